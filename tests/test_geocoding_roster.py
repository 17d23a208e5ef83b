"""A roster in the seeds' form with addresses only, located through the pages' own write paths:
the district's address base imported, then the roster; ≥ 95 % of the rows that name a base
building get that building's point, and no row that names none gets a building point."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import openpyxl
import pytest

from data import importing
from data.households import geocoding
from data.store import connection
from data.users import access
from geo.address_synth import synthetic_base, synthetic_roster
from geo.crs import haversine_m

PID = "synth"
ADMIN = access.User("synth_admin", "admin")
# The synthetic base's box (geo.address_synth), cut into 2 streets × 3 communities each.
LON0, LON1, LAT0, LAT1 = 121.30, 121.50, 31.15, 31.27


def _district(con) -> None:
    con.execute(
        "INSERT INTO programme (programme_id, name, kind, district_id, starts, ends,"
        " target_households, report_day) VALUES (?, '合成区（测试）', 'gas_alarm', 'SD', ?, ?, 1000, 25)",
        [PID, date(2025, 1, 1), date(2025, 12, 31)],
    )
    rows = [("SD", "合成区", "district", None, (LON0, LAT0, LON1, LAT1))]
    mid = (LON0 + LON1) / 2
    for s, (x0, x1) in enumerate([(LON0, mid), (mid, LON1)], start=1):
        rows.append((f"S{s}", f"合成{s}街道", "street", "SD", (x0, LAT0, x1, LAT1)))
        step = (LAT1 - LAT0) / 3
        for c in range(3):
            box = (x0, LAT0 + c * step, x1, LAT0 + (c + 1) * step)
            rows.append((f"S{s}C{c}", f"合成{s}{c}社区", "community", f"S{s}", box))
    for rid, name, level, parent, (x0, y0, x1, y1) in rows:
        con.execute(
            "INSERT INTO region VALUES (?, ?, ?, ?, ST_MakeEnvelope(?, ?, ?, ?), 'test', true)",
            [rid, name, level, parent, x0, y0, x1, y1],
        )


def _community(lon: float, lat: float) -> tuple[str, str]:
    s = 1 if lon < (LON0 + LON1) / 2 else 2
    c = min(int((lat - LAT0) / ((LAT1 - LAT0) / 3)), 2)
    return f"合成{s}街道", f"合成{s}{c}社区"


@pytest.fixture(scope="module")
def located(tmp_path_factory):
    db = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    con = connection.connect(db)
    _district(con)
    base = synthetic_base(1500, seed=3)
    base = base[
        base["lon"].between(LON0 + 0.001, LON1 - 0.001)
        & base["lat"].between(LAT0 + 0.001, LAT1 - 0.001)
    ]
    csv = base.rename(columns={"address": "标准地址", "lon": "经度", "lat": "纬度"})
    csv = csv.assign(小区名称=base["estate"].fillna(""))[["标准地址", "经度", "纬度", "小区名称"]]
    got = importing.run(
        con,
        "address_points",
        "门牌地址.csv",
        csv.to_csv(index=False).encode(),
        PID,
        ADMIN,
        commit=True,
    )
    assert got.loaded == len(base) and not got.rejections
    roster = synthetic_roster(base.reset_index(drop=True), 600, seed=5)
    rng = np.random.default_rng(1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "户号", "姓名", "地址", "街道", "社区", "联系电话"])  # no 经度/纬度
    for i, r in enumerate(roster.itertuples(), start=1):
        lon = r.true_lon if r.in_base else rng.uniform(LON0, LON1)
        lat = r.true_lat if r.in_base else rng.uniform(LAT0, LAT1)
        street, community = _community(lon, lat)
        ws.append([i, f"R{i:04d}", f"住户{i}", r.address, street, community, f"1390000{i:04d}"])
    buf = io.BytesIO()
    wb.save(buf)
    result = importing.run(
        con, "households", "花名册.xlsx", buf.getvalue(), PID, ADMIN, commit=True
    )
    assert result.loaded == 600, result.rejections[:3]
    stored = con.execute(
        "SELECT household_id, loc_level, lon, lat FROM household WHERE programme_id = ?"
        " ORDER BY household_id",
        [PID],
    ).df()
    yield con, roster, stored
    con.close()


def test_rows_naming_a_base_building_get_its_point(located):
    _con, roster, stored = located
    named = roster["in_base"].to_numpy()
    at_building = stored["loc_level"].to_numpy() == "building"
    d = haversine_m(
        stored["lon"].to_numpy(float),
        stored["lat"].to_numpy(float),
        roster["true_lon"].to_numpy(float),
        roster["true_lat"].to_numpy(float),
    )
    placed = at_building & (d <= 50)
    assert placed[named].mean() >= 0.95


def test_rows_naming_no_building_are_unmatched_and_never_at_a_building(located):
    con, roster, stored = located
    unnamed = ~roster["in_base"].to_numpy()
    assert not (stored["loc_level"].to_numpy()[unnamed] == "building").any()
    unmatched = set(geocoding.summary(con, PID)["unmatched"])
    assert set(stored["household_id"][unnamed]) <= unmatched


def test_every_household_keeps_its_roster_community(located):
    _con, _roster, stored = located
    assert stored["loc_level"].isin(["building", "estate", "road", "community"]).all()
