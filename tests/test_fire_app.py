"""AppTest of the 火灾风险 page: numbers equal the analysis, masking, exports, weight edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from data.demos import demo
from data.firerisk import fire_risk, risk
from data.store.connection import connect
from data.users import access
from geo import hotspots
from tests.apptest import fetch_one, open_page
from tests.conftest import build_demo
from tests.downloads import deferred_download, record_deferred

PAGE = "dashboard/pages/fire_risk.py"
HUAYANG = "310105001"


@pytest.fixture(scope="module")
def fire_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database of its own: weight edits and audit entries change it."""
    return build_demo(tmp_path_factory, "fire")


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, user: access.User) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, PAGE)


# AppTest does not expose a dataframe's key: each table is found by a column only it has.
_MARKER = {
    "fire_visits_table": "主要原因",
    "fire_hotspots_table": "判断（把握程度）",
    "fire_hotspots_method": "校正后 p",
    "fire_explain_table": "档数",
    "fire_weights_table": "计分规则",
}


def _table(at: AppTest, key: str):
    return next(d.value for d in at.dataframe if _MARKER[key] in d.value.columns)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _truth(db: Path) -> fire_risk.Analysis:
    con = connect(db)
    try:
        return fire_risk.analyse(con, demo.PROGRAMME, demo.AS_OF)
    finally:
        con.close()


def test_fire_user_sees_scores_hotspots_and_a_masked_visit_list(fire_db, monkeypatch) -> None:
    at = _page(fire_db, monkeypatch, access.User("t_fire", "fire"))
    truth = _truth(fire_db)
    shown = _metrics(at)
    assert shown["登记老人"] == "6,460"
    assert shown["平均风险分"] == f"{truth.households['risk_score'].mean():.1f}"
    hot_units = int(hotspots.at_least(truth.units["cls"], 95).sum())
    assert shown["风险热点片区"] == f"{hot_units:,}"
    assert any("风险热点" in i.value for i in at.info)
    assert any("12:00" in m.value and "2023-07-31" in m.value for m in at.markdown)

    visits = _table(at, "fire_visits_table")
    assert len(visits) == 100
    # a recent gas alarm at the home comes first; then hotspots, strongest first.
    alarm = visits["报警器告警"].str.contains("燃气报警")
    assert visits.loc[~alarm, "所在热点"].iloc[0] == "热点 99%"
    assert visits["姓名"].str.contains(r"\*").all()  # 张* / 张**
    assert visits["联系电话"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    top = fire_risk.visit_list(truth.households, 1).iloc[0]
    assert visits["风险分"].iloc[0] == pytest.approx(round(top["risk_score"], 1))

    explain = _table(at, "fire_explain_table")
    assert explain["因素"].iloc[-1].startswith("合计")
    points = explain["加分"].iloc[:-1].astype(float).sum()
    assert points == pytest.approx(float(explain["加分"].iloc[-1]))

    hot = _table(at, "fire_hotspots_table")
    assert (hot["户数"] >= 5).all() and len(hot) >= hot_units
    assert hot["片区"].str.endswith("社区（演示）一带").all()  # cells named after a community
    assert not {"z", "H3 编号", "校正后 p"} & set(hot.columns)  # method only in 技术说明
    method = _table(at, "fire_hotspots_method")
    assert method["H3 编号"].str.fullmatch(r"89[0-9a-f]{13}").all()  # resolution 9 ids
    assert list(method["片区"]) == list(hot["片区"])
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"导出走访清单 Excel", "下载月度统计表 Excel"}


def test_unmask_shows_full_names_and_is_audited(fire_db, monkeypatch) -> None:
    at = _page(fire_db, monkeypatch, access.User("t_fire", "fire"))
    at.toggle(key="_unmask_fire_risk").set_value(True).run()
    visits = _table(at, "fire_visits_table")
    assert not visits["联系电话"].str.contains(r"\*").any()
    (n,) = fetch_one(
        fire_db, "SELECT count(*) FROM audit_log WHERE actor = 't_fire' AND action = 'unmask'"
    )
    assert n >= 1


def test_community_filter_and_level_switch(fire_db, monkeypatch) -> None:
    at = _page(fire_db, monkeypatch, access.User("t_fire", "fire"))
    at.selectbox(key="fire_street").set_value("310105006").run()
    community = "仙霞新村第1社区（演示）"
    assert community in at.selectbox(key="fire_community").options
    at.selectbox(key="fire_community").set_value("310105006001").run()
    visits = _table(at, "fire_visits_table")
    assert set(visits["街镇"]) == {"仙霞新村街道"}
    assert set(visits["社区"]) == {community}
    at.selectbox(key="fire_level").set_value("community").run()
    assert not at.exception
    hot = _table(at, "fire_hotspots_table")
    assert hot["片区"].str.contains("社区").all()
    assert "H3 编号" not in _table(at, "fire_hotspots_method").columns


def test_weight_edit_rescores_and_is_audited(fire_db, monkeypatch) -> None:
    at = _page(fire_db, monkeypatch, access.User("t_fire", "fire"))
    before = float(_metrics(at)["平均风险分"])
    at.number_input(key="fire_w_smoker").set_value(9.0)
    at.button(key="FormSubmitter:fire_weights_form-保存权重（记入审计日志）").click().run()
    assert not at.exception, at.exception
    assert any("已保存 1 项" in s.value for s in at.success)
    assert float(_metrics(at)["平均风险分"]) > before
    weights = _table(at, "fire_weights_table").set_index("因素")
    assert weights.loc["吸烟", "当前权重"] == "9" and weights.loc["吸烟", "默认权重"] == "3"
    assert weights.loc["吸烟", "最近修改人"] == "t_fire"
    con = connect(fire_db)
    try:
        logged = con.execute(
            "SELECT detail->>'old', detail->>'new' FROM audit_log"
            " WHERE actor = 't_fire' AND action = 'edit' AND object LIKE 'risk_weight:%smoker'"
        ).fetchall()
        # Put the default back for the other tests of this module.
        risk.set_weights(con, demo.PROGRAMME, {"smoker": 3.0}, "t_fire")
    finally:
        con.close()
    assert logged == [("3.0", "9.0")]


def test_leader_may_view_but_not_export_or_edit(fire_db, monkeypatch) -> None:
    at = _page(fire_db, monkeypatch, access.User("t_leader", "leader"))
    assert _metrics(at)["登记老人"] == "6,460"
    assert not at.get("download_button")
    assert not [n for n in at.number_input if (n.key or "").startswith("fire_w_")]
    assert _table(at, "fire_visits_table")["姓名"].str.contains(r"\*").all()


def test_street_user_sees_only_their_street(fire_db, monkeypatch) -> None:
    at = _page(fire_db, monkeypatch, access.User("t_street", "street", HUAYANG))
    con = connect(fire_db)
    try:
        own = con.execute(
            "SELECT count(*) FROM household WHERE street_id = ?", [HUAYANG]
        ).fetchone()[0]
    finally:
        con.close()
    assert _metrics(at)["登记老人"] == f"{own:,}"
    assert set(_table(at, "fire_visits_table")["街镇"]) == {"华阳路街道"}
    assert at.selectbox(key="fire_street").options == ["全部", "华阳路街道"]


def test_monthly_table_of_a_chosen_street_holds_that_street_only(fire_db, monkeypatch) -> None:
    from dashboard.components import risk_tables

    seen = []

    def capture(rows, month, unit):
        seen.append((set(rows["street_name"]), unit))
        return b""

    monkeypatch.setattr(risk_tables, "monthly_bytes", capture)
    kept = record_deferred(monkeypatch)
    at = _page(fire_db, monkeypatch, access.User("t_fire", "fire"))
    at.selectbox(key="fire_street").set_value(HUAYANG).run()
    assert not at.exception, at.exception
    assert seen == []  # built when the button is clicked, not with the page
    deferred_download(at, "fire_monthly_download", kept)
    assert seen[-1] == ({"华阳路街道"}, "华阳路街道")  # not the whole district


def test_small_area_map_says_which_households_it_leaves_out(fire_db, tmp_path, monkeypatch):
    import shutil

    from data.store.unit_of_work import unit_of_work

    db = tmp_path / "located.duckdb"
    shutil.copy(fire_db, db)
    con = connect(db)
    try:
        # The demo already has households its address base cannot locate: they count too.
        before = queries.run(
            con,
            "fire_risk_cell_gaps",
            programme_id=demo.PROGRAMME,
            as_of=demo.AS_OF,
            street_ids=None,
        ).iloc[0]
        ids = [
            r[0]
            for r in con.execute(
                "SELECT household_id FROM household WHERE programme_id = ? AND street_id = ?"
                " ORDER BY household_id LIMIT 40",
                [demo.PROGRAMME, HUAYANG],
            ).fetchall()
        ]
        with unit_of_work(con, "tester") as uow:
            # 30 placed by community only (a roster without coordinates), 10 only to their road.
            con.execute(
                "UPDATE household SET lon = NULL, lat = NULL, loc_level = 'community',"
                " loc_source = NULL WHERE programme_id = ? AND list_contains(?, household_id)",
                [demo.PROGRAMME, ids[:30]],
            )
            con.execute(
                "UPDATE household SET loc_level = 'road', loc_source = 'address_base'"
                " WHERE programme_id = ? AND list_contains(?, household_id)",
                [demo.PROGRAMME, ids[30:]],
            )
            uow.touch(demo.PROGRAMME, ids)
    finally:
        con.close()
    at = _page(db, monkeypatch, access.User("t_fire", "fire"))
    said = [i.value for i in at.info if "小片区地图未计入" in i.value]
    left, community = int(before["left_out"]) + 40, int(before["community_only"]) + 30
    assert said == [
        f"小片区地图未计入 {left} 户：{community} 户只有社区归属、10 户只定位到道路。"
        "这些住户仍计入“社区”分析单元。"
    ]
    at.selectbox(key="fire_level").set_value("community").run()
    assert not any("小片区地图未计入" in i.value for i in at.info)


def test_cell_gaps_in_english():
    from dashboard.components import risk_tables

    gaps = {"left_out": 1234, "community_only": 1200, "road": 30, "no_point": 1204}
    assert risk_tables.cell_gaps_text(gaps, "en") == (
        "The small-area map leaves out 1,234 households: 1,200 placed by community only, 30"
        " located only to their road, 4 with neither a point nor a community. They still count"
        " at the community level."
    )
    assert risk_tables.cell_gaps_text({"left_out": 0}, "zh") is None
