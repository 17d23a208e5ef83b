"""The 设备状态 page's counts come from SQL; they equal the recomputation from the
whole device list (data.events.devices over device_health), and the visit list is the same."""

from __future__ import annotations

import pandas as pd
import pytest

import queries
from data.demos import demo
from data.events import devices
from data.store import connection

SCOPES = (None, ["310105001"])


@pytest.fixture(scope="module")
def con(demo_db):
    c = connection.connect(demo_db)
    yield c
    c.close()


@pytest.mark.parametrize("scope", SCOPES)
def test_groups_equal_the_whole_list(con, scope) -> None:
    params = {"programme_id": demo.PROGRAMME, "as_of": demo.AS_OF, "street_ids": scope}
    whole = devices.health(con, demo.PROGRAMME, demo.AS_OF, scope)
    assert len(whole) > 100
    for group in devices.GROUPS:
        rows = queries.run(con, "device_health_groups", **params, group=group)
        pd.testing.assert_frame_equal(
            devices.group_frame(rows, group),
            devices.by_group(whole, group).reset_index(drop=True),
            check_dtype=False,
        )
        total = devices.totals(rows)
        assert total == {k: v for k, v in devices.summary(whole).items() if k != "by_street"}
    rows = queries.run(con, "device_health_groups", **params, group="community")
    pd.testing.assert_frame_equal(
        devices.community_frame(rows), devices.by_community(whole), check_dtype=False
    )
    revisit = queries.run(con, "device_revisit", **params)
    assert 0 < len(revisit) < len(whole)
    pd.testing.assert_frame_equal(devices.revisit(revisit), devices.revisit(whole))


def test_groups_on_the_tiny_programme(tiny_con) -> None:
    from datetime import date

    as_of = date(2023, 5, 20)
    whole = devices.health(tiny_con, "tiny", as_of, None)
    for group in devices.GROUPS:
        rows = queries.run(
            tiny_con,
            "device_health_groups",
            programme_id="tiny",
            as_of=as_of,
            street_ids=None,
            group=group,
        )
        pd.testing.assert_frame_equal(
            devices.group_frame(rows, group),
            devices.by_group(whole, group).reset_index(drop=True),
            check_dtype=False,
        )


@pytest.mark.parametrize("scope", SCOPES)
def test_fire_risk_alerts_equal_the_whole_list(con, scope) -> None:
    params = {"programme_id": demo.PROGRAMME, "as_of": demo.AS_OF, "street_ids": scope}
    whole = devices.household_alerts(devices.health(con, demo.PROGRAMME, demo.AS_OF, scope))
    assert len(whole) > 0
    alerts = devices.household_alerts(queries.run(con, "device_alerts", **params))
    pd.testing.assert_series_equal(alerts, whole)


def test_fire_risk_alerts_on_the_tiny_programme(tiny_con) -> None:
    from datetime import date

    # Every tiny household an isolated elderly one, so that its devices can raise it.
    tiny_con.execute("UPDATE household SET lives_alone = true")
    seen = 0
    for as_of in (date(2023, 5, 20), date(2023, 6, 30)):
        whole = devices.household_alerts(devices.health(tiny_con, "tiny", as_of, None))
        alerts = devices.household_alerts(
            queries.run(
                tiny_con, "device_alerts", programme_id="tiny", as_of=as_of, street_ids=None
            )
        )
        assert alerts.to_dict() == whole.to_dict()
        seen += len(whole)
    assert seen > 0
