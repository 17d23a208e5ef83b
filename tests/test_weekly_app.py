"""AppTest of the 周报 and 逾期 pages: they render, and their numbers equal the SQL ground truth."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from data.demos import demo
from data.reporting import briefing
from data.store.connection import connect
from data.users import access
from tests import apptest
from tests.apptest import APP

LEADER = access.User("t_leader", "leader")
STREET = access.User("t_street", "street", street_id="310105004")  # 周家桥街道


def open_page(demo_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, user) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(demo_db))
    return apptest.open_page(user, f"dashboard/pages/{page}.py", timeout=120)


def truth(demo_db: Path, name: str, **params):
    con = connect(demo_db)
    try:
        scope = {"street_ids": None} if "street_ids" in queries.parameters(name) else {}
        return queries.run(con, name, programme_id=demo.PROGRAMME, **(scope | params))
    finally:
        con.close()


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


# ---------------------------------------------------------------- 周报


def test_weekly_kpis_and_changes_equal_sql(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "weekly", LEADER)
    now = truth(demo_db, "programme_kpis", as_of=demo.AS_OF).iloc[0]
    before = truth(demo_db, "programme_kpis", as_of=demo.AS_OF - timedelta(days=7)).iloc[0]
    shown = metrics(at)
    assert shown["目标户数"][0] == "6,460"
    for label, key in (("已排摸", "surveyed"), ("已安装", "installed"), ("已验收", "verified")):
        n, b = int(now[key]), int(before[key])
        assert shown[label] == (f"{n:,}", f"{n - b:+,}")
    assert shown["完成率"][0] == f"{now.installed / 6460 * 100:.1f}%"
    plan = round(6460 * now.plan_fraction)
    assert shown["较计划（户）"][0] == f"{int(now.installed) - plan:+,}"
    assert shown["隐患未整改（户）"][0] == f"{int(now.hazards_open):,}"
    assert shown["停气中（户）"][0] == f"{int(now.gas_cut):,}"
    assert shown["拒绝安装（户）"][0] == f"{int(now.refused):,}"
    assert any("演示数据" in w.value for w in at.warning)


def test_weekly_ranking_equals_sql_and_summary_is_shown(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "weekly", LEADER)
    table = apptest.frame_with(at, "排名")
    sql = truth(demo_db, "street_ranking", as_of=demo.AS_OF)
    assert table["街镇"].tolist() == sql.street_name.tolist()
    assert table["排名"].astype(int).tolist() == sql["rank"].tolist()
    assert table["已安装"].str.replace(",", "").astype(int).tolist() == sql.installed.tolist()
    summary = at.info[0].value
    assert summary.startswith("截至2023年7月14日")
    assert "周家桥街道（落后" in summary
    assert apptest.frame_with(at, "2023-07").shape[0] == 10
    assert len(at.get("image")) == 2  # burn-up and small multiples


def test_weekly_past_friday(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "weekly", LEADER)
    friday = date(2023, 6, 30)
    at.date_input(key="weekly_as_of").set_value(friday).run()
    assert not at.exception
    sql = truth(demo_db, "programme_kpis", as_of=friday).iloc[0]
    assert metrics(at)["已安装"][0] == f"{int(sql.installed):,}"
    assert at.info[0].value.startswith("截至2023年6月30日")


def test_weekly_street_user_sees_own_street_only(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "weekly", STREET)
    sql = truth(demo_db, "programme_kpis", as_of=demo.AS_OF, street_ids=["310105004"]).iloc[0]
    assert metrics(at)["目标户数"][0] == f"{int(sql.target):,}"
    table = apptest.frame_with(at, "排名")
    assert table["街镇"].tolist() == ["周家桥街道"]
    full = truth(demo_db, "street_ranking", as_of=demo.AS_OF)
    assert (
        table["排名"].astype(int).tolist()
        == full.loc[full.street_id == "310105004", "rank"].tolist()
    )


def test_weekly_not_offered_to_the_fire_office(demo_db, monkeypatch):
    monkeypatch.setenv("ANJU_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = access.User("t_fire", "fire")
    at.run()
    with pytest.raises(ValueError, match=r"weekly\.py"):
        at.switch_page("dashboard/pages/weekly.py")


# ---------------------------------------------------------------- 逾期


def test_overdue_lists_equal_sql(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "overdue", LEADER)
    rules = briefing.rules(truth(demo_db, "programme_settings").settings.iloc[0])
    p = {"as_of": demo.AS_OF}
    expected = {
        "overdue_streets": truth(demo_db, "coverage_by_street", **p).query("gap_to_plan < 0"),
        "overdue_hazards": truth(demo_db, "overdue_hazards", **p),
        "overdue_gas_cuts": truth(
            demo_db,
            "overdue_gas_cuts",
            **p,
            cut_days=rules.gas_cut_overdue_days,
            restore_hours=rules.restore_within_hours,
        ),
        "overdue_reports": truth(demo_db, "overdue_reports", **p, report=rules.report_name),
    }
    for key, frame in expected.items():
        assert len(frame) > 0, key
        assert len(at.dataframe(key=key).value) == len(frame), key
    streets = at.dataframe(key="overdue_streets").value
    assert streets["街镇"].iloc[0] == "周家桥街道"  # furthest behind first
    reports = at.dataframe(key="overdue_reports").value
    assert reports[["所属月份", "状态"]].values.tolist() == [["2023-06", "迟报"]]
    # Empty lists say why rather than show an empty table.
    assert any("尚无批次记录" in s.value for s in at.success)
    # mid-programme, with no batch sent, nobody surveyed is late for themselves yet:
    # the list is empty and the households waiting are summarised with their deadline.
    days = rules.install_after_survey_days
    assert truth(demo_db, "overdue_installs", **p, days_after_survey=days).empty
    assert any("没有已过应安装日期仍未安装的住户" in s.value for s in at.success)
    waiting = truth(demo_db, "overdue_installs_summary", **p, days_after_survey=days)
    assert waiting[["due_basis", "overdue"]].values.tolist() == [["deadline", False]]
    captions = [c.value for c in at.caption]
    assert any(
        f"尚未安装 {int(waiting.households.iloc[0]):,} 户" in c and "2023-09-30" in c
        for c in captions
    )


def test_overdue_masks_people_for_leaders(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "overdue", LEADER)
    hazards = at.dataframe(key="overdue_hazards").value
    assert hazards["姓名"].str.contains(r"\*").all()
    assert hazards["联系电话"].str.contains(r"\*\*\*\*").all()


def test_overdue_street_scope(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "overdue", STREET)
    hazards = at.dataframe(key="overdue_hazards").value
    assert set(hazards["街镇"]) == {"周家桥街道"}
    sql = truth(demo_db, "overdue_hazards", as_of=demo.AS_OF, street_ids=["310105004"])
    assert len(hazards) == len(sql)


def test_overdue_map_colours_by_gap_share():
    from dashboard.components import coverage_map as cm

    # Gap to plan as a share of the target: on/ahead green, then deeper reds.
    assert cm.gap_colour(5, 100) == cm.GAP_COLOURS[-1]
    assert cm.gap_colour(0, 100) == cm.GAP_COLOURS[-1]
    assert cm.gap_colour(-3, 100) == cm.GAP_COLOURS[3]  # 0 to -5%
    assert cm.gap_colour(-12, 100) == cm.GAP_COLOURS[1]  # -10% to -20%
    assert cm.gap_colour(-30, 100) == cm.GAP_COLOURS[0]
    assert cm.gap_colour(0, 0) == cm.NO_DATA
    legend = cm.legend_html("zh", "gap")
    assert "较计划（占目标户数）" in legend and "达到或超过计划" in legend
    assert "安装完成率" in cm.legend_html("zh")  # the coverage map's legend is unchanged


def test_overdue_hazards_in_pages(demo_db, monkeypatch):
    """逾期's hazard list a page at a time: the tab names the whole list, the second page holds
    the next rows of the unpaged list."""
    from dashboard.components import overdue as ui

    monkeypatch.setattr(ui, "PAGE_ROWS", 7)
    at = open_page(demo_db, monkeypatch, "overdue", LEADER)
    whole = truth(demo_db, "overdue_hazards", as_of=demo.AS_OF)
    assert len(whole) > 14
    assert any(tab.label.startswith("隐患") and f"{len(whole):,}" in tab.label for tab in at.tabs)
    first = at.dataframe(key="overdue_hazards").value
    assert list(first["户号"]) == list(whole.household_id[:7])
    picker = at.number_input(key="overdue_hazards_pageno")
    assert picker.max == -(-len(whole) // 7)
    picker.set_value(2).run()
    assert not at.exception, at.exception
    second = at.dataframe(key="overdue_hazards").value
    assert list(second["户号"]) == list(whole.household_id[7:14])
    assert any(f"{len(whole):,}" in c.value and "8–14" in c.value for c in at.caption)
