"""A district with no shipped template goes from nothing to its own bulletin, by docs/deploy.md's steps.

`anju programme load` (today's TOML format), `anju import boundaries` (旗 / 苏木镇 / 嘎查 and the
district outline), `anju import households`, `anju import installations` — all of it history
dated in the past and imported today. The bulletin of a past date counts it (business date);
a published issue (第N期) is re-shown exactly after late records and late rectifications.
"""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from anju import cli
from data.households import household_state
from data.reporting import briefing, briefing_text, bulletins
from data.store.connection import connect

TOML = """
[programme]
programme_id = "testqi_2025"
name = "测试旗燃气安全装置加装（2025）"
kind = "gas_retrofit"
district_id = "999901"
district_name = "测试旗"
starts = 2025-03-01
ends = 2025-12-31
target_households = 6

[programme.targets_by_gas_type]
piped = 5
lpg = 1

[[phase]]
kind = "install"
name = "安装阶段"
starts = 2025-04-01
ends = 2025-09-30

[[device]]
device_type = "valve_hose"
name = "自闭阀及金属软管"
gas_type = "piped"
unit_price_cny = 300

[[device]]
device_type = "lpg_hose"
name = "液化气金属软管"
gas_type = "lpg"
unit_price_cny = 100

[[cost_share]]
item = "device"
payer = "旗财政"
share = 1.0

[rules]
report_day = 10
report_name = "安装月报"
"""


def _square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _feature(code: str, name: str, level: str, parent: str, geom: dict) -> dict:
    props = {"编码": code, "名称": name, "级别": level, "上级编码": parent}
    return {"type": "Feature", "properties": props, "geometry": geom}


BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [
        _feature("999901", "测试旗", "旗", "", _square(100.0, 40.0, 100.02, 40.01)),
        _feature("T1", "甲苏木镇", "苏木镇", "999901", _square(100.0, 40.0, 100.01, 40.01)),
        _feature("T2", "乙苏木", "苏木", "999901", _square(100.01, 40.0, 100.02, 40.01)),
        _feature("T1G1", "一嘎查", "嘎查", "T1", _square(100.0, 40.0, 100.01, 40.01)),
        _feature("T2G1", "二嘎查", "嘎查", "T2", _square(100.01, 40.0, 100.02, 40.01)),
    ],
}

HOUSEHOLDS = """户号,姓名,联系电话,地址,燃气类型,经度,纬度
Q1,甲一,13800000001,甲苏木镇1号,管道天然气,100.002,40.005
Q2,甲二,13800000002,甲苏木镇2号,管道天然气,100.004,40.005
Q3,甲三,13800000003,甲苏木镇3号,管道天然气,100.006,40.005
Q4,乙一,13800000004,乙苏木1号,管道天然气,100.012,40.005
Q5,乙二,13800000005,乙苏木2号,管道天然气,100.014,40.005
Q6,乙三,13800000006,乙苏木3号,液化气,100.016,40.005
"""

# Installed April–June 2025, imported today.
INSTALLS = """户号,设备类型,安装日期,验收日期
Q1,自闭阀及金属软管,2025-04-15,2025-04-20
Q2,自闭阀及金属软管,2025-05-10,
Q4,自闭阀及金属软管,2025-06-05,
"""
LATE_INSTALL = """户号,设备类型,安装日期
Q5,自闭阀及金属软管,2025-06-20
"""
HAZARDS = """户号,隐患类型,发现日期,整改期限
Q3,胶管老化,2025-06-01,2025-06-15
"""
RECTIFIED = """户号,隐患类型,发现日期,整改期限,整改日期
Q3,胶管老化,2025-06-01,2025-06-15,2025-06-10
"""
VERIFIED = """户号,设备类型,安装日期,验收日期
Q2,自闭阀及金属软管,2025-05-10,2025-06-01
"""


def _import(db, tmp_path, kind: str, name: str, text: str) -> dict:
    path = tmp_path / name
    if name.endswith(".geojson"):
        path.write_text(json.dumps(BOUNDARIES, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    args = ["import", kind, str(path), "--db", str(db), "--programme", "testqi_2025", "--json"]
    assert cli.main(args) == 0
    return path


@pytest.fixture
def district(tmp_path, capsys):
    db = tmp_path / "new" / "testqi.duckdb"
    toml = tmp_path / "testqi_2025.toml"
    toml.write_text(TOML, encoding="utf-8")
    assert cli.main(["programme", "load", str(toml), "--db", str(db)]) == 0
    _import(db, tmp_path, "boundaries", "边界.geojson", "")
    _import(db, tmp_path, "households", "花名册.csv", HOUSEHOLDS)
    _import(db, tmp_path, "installations", "安装.csv", INSTALLS)
    _import(db, tmp_path, "hazards", "隐患.csv", HAZARDS)
    capsys.readouterr()
    return db


def _kpis(db, as_of: date, known_at=None) -> dict:
    con = connect(db)
    try:
        return briefing.build(
            briefing.fetcher(con, None), "testqi_2025", as_of, known_at=known_at
        ).kpis
    finally:
        con.close()


def test_boundaries_of_qi_sumu_town_and_gacha_levels(district):
    con = connect(district)
    try:
        rows = con.execute(
            "SELECT region_id, level, parent_id FROM region ORDER BY level, region_id"
        ).fetchall()
        placed = con.execute(
            "SELECT household_id, street_id, community_id FROM household ORDER BY household_id"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("T1G1", "community", "T1"),
        ("T2G1", "community", "T2"),
        ("999901", "district", None),
        ("T1", "street", "999901"),
        ("T2", "street", "999901"),
    ]
    assert [p[1] for p in placed] == ["T1", "T1", "T1", "T2", "T2", "T2"]
    assert [p[2] for p in placed] == ["T1G1"] * 3 + ["T2G1"] * 3


def test_history_imported_today_counts_on_its_business_dates(district):
    june = _kpis(district, date(2025, 6, 30))
    assert (june["installed"], june["verified"], june["hazards_open"]) == (3, 1, 1)
    assert _kpis(district, date(2025, 5, 31))["installed"] == 2
    assert _kpis(district, date(2025, 4, 30))["installed"] == 1
    # As known at the end of 2025-06-30 nothing had been imported yet.
    assert _kpis(district, date(2025, 6, 30), known_at=date(2025, 6, 30))["installed"] == 0


def test_cli_briefing_counts_by_business_date(district, tmp_path, capsys):
    out = tmp_path / "周通报.docx"
    args = ["briefing", "--db", str(district), "--programme", "testqi_2025"]
    assert cli.main([*args, "--as-of", "2025-06-30", "--out", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "已安装3户" in result["summary"] and out.stat().st_size > 0


def test_a_published_issue_is_reshown_exactly_after_late_records_and_updates(
    district, tmp_path, capsys
):
    # Knowledge times are stamped to the second: keep the imports, the publication and the
    # late records in different seconds so the test says what it means.
    time.sleep(1.05)
    con = connect(district)
    try:
        done = bulletins.publish(con, "testqi_2025", date(2025, 6, 30), "leader1")
    finally:
        con.close()
    assert done["issue_no"] == 1
    time.sleep(1.05)
    # Later: a late installation, a late rectification and a late verification arrive.
    _import(district, tmp_path, "installations", "补录安装.csv", LATE_INSTALL)
    _import(district, tmp_path, "hazards", "整改.csv", RECTIFIED)
    _import(district, tmp_path, "installations", "验收.csv", VERIFIED)
    now = _kpis(district, date(2025, 6, 30))
    assert (now["installed"], now["verified"], now["hazards_open"]) == (4, 2, 0)
    con = connect(district)
    try:
        stored = bulletins.issue(con, "testqi_2025", 1)
        again = bulletins.reshow(briefing.fetcher(con, None), stored)
        stamps = con.execute(
            "SELECT rectified_recorded_at IS NOT NULL FROM hazard WHERE household_id = 'Q3'"
        ).fetchone()[0]
    finally:
        con.close()
    assert stamps
    assert (again.kpis["installed"], again.kpis["verified"], again.kpis["hazards_open"]) == (
        3,
        1,
        1,
    )
    assert again.kpis == stored["kpis"]
    assert briefing_text.summary(again) == stored["summary"]
    assert again.issue_no == 1
    # The CLI re-shows the same issue.
    capsys.readouterr()
    out = tmp_path / "第1期.docx"
    args = ["briefing", "--db", str(district), "--programme", "testqi_2025", "--issue", "1"]
    assert cli.main([*args, "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == stored["summary"]


def test_user_classes_progress_against_their_own_deadlines(tmp_path):
    """Seed 001: residential and non-residential users, each with its own deadline."""
    import queries
    from data.setup import programmes

    con = connect(tmp_path / "zy.duckdb")
    try:
        programmes.save(con, programmes.read_template("zhongyuan_2022"), "t")
        con.execute(
            "INSERT INTO household (household_id, programme_id, user_class, gas_type) VALUES"
            " ('R1', 'zhongyuan_2022', 'residential', 'piped'),"
            " ('R2', 'zhongyuan_2022', 'residential', 'lpg'),"
            " ('N1', 'zhongyuan_2022', 'catering', 'piped'),"
            " ('N2', 'zhongyuan_2022', 'medical', 'lpg')"
        )
        con.execute(
            "INSERT INTO installation (household_id, programme_id, device_type, installed_on)"
            " VALUES ('N1', 'zhongyuan_2022', 'nonres_alarm_valve_hose', DATE '2022-05-01'),"
            " ('R1', 'zhongyuan_2022', 'res_piped_valve_hose', DATE '2022-08-01')"
        )
        household_state.refresh(con, "zhongyuan_2022")
        df = queries.run(
            con,
            "class_progress",
            programme_id="zhongyuan_2022",
            as_of=date(2022, 7, 1),
            street_ids=None,
        )
    finally:
        con.close()
    rows = df.set_index("user_class")
    assert (
        rows.loc["non_residential", "installed"] == 1 and rows.loc["non_residential", "target"] == 2
    )
    assert rows.loc["non_residential", "plan_fraction"] == 1.0  # its phase ended 2022-06-30
    assert bool(rows.loc["non_residential", "past_deadline"])
    assert rows.loc["residential", "installed"] == 0
    assert 0 < rows.loc["residential", "plan_fraction"] < 1  # until 2023-10-31
    assert not bool(rows.loc["residential", "past_deadline"])
