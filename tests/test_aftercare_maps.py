"""设备状态 / 服务保障 maps carry the credit line of where their outlines came from, in the
interface language (not a fixed Chinese text)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import queries
from dashboard.components import aftercare, coverage_map
from dashboard.components.credit import map_credit
from data.demos import demo
from data.store import connection


@pytest.fixture(scope="module")
def shapes(demo_db):
    con = connection.connect(demo_db)
    try:
        pid = demo.PROGRAMME
        return (
            queries.run(con, "region_shapes", programme_id=pid, level="community", street_ids=None),
            queries.run(con, "region_shapes", programme_id=pid, level="district", street_ids=None),
        )
    finally:
        con.close()


@pytest.mark.parametrize(
    ("lang", "word", "other"), [("zh", "区界", "District"), ("en", "District", "区界")]
)
def test_device_and_service_maps_credit_their_sources_in_the_language(shapes, lang, word, other):
    communities, district = shapes
    credit = map_credit(district, communities, lang)
    ids = communities["region_id"]
    by_comm = pd.DataFrame(
        {
            "community_id": ids,
            "community_name": communities["name"],
            "street_name": "",
            "devices": 10,
            "not_online_pct": 12.5,
        }
    )
    spots = by_comm.assign(households=100, per_1000=20.0, events=2, cls="ns", z=0.1)
    outline = coverage_map.outline_frame(district)
    maps = [
        aftercare.health_map(communities, by_comm, outline, lang, credit),
        *aftercare.service_maps(communities, spots, outline, lang, credit),
    ]
    assert word in credit and other not in credit
    for fmap in maps:
        page = fmap.get_root().render()
        # The credit rides in the map's script, where non-ASCII text is \\u-escaped.
        shown = {credit, json.dumps(credit)[1:-1]}
        assert any(s in page for s in shown)
        assert not any(s in page for s in (other, json.dumps(other)[1:-1]))
