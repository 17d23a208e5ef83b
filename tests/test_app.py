"""AppTest of the coverage page: renders, and its numbers equal the SQL ground truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from data.demos import demo
from data.store.connection import connect
from data.users.access import User

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def app(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = User("t_admin", "admin")
    at.run()
    assert not at.exception, at.exception
    return at


def _truth(demo_db: Path, name: str, **params) -> dict:
    # Opened with the app's own settings: DuckDB then shares the instance the app holds open.
    con = connect(demo_db)
    try:
        scope = {"street_ids": None} if "street_ids" in queries.parameters(name) else {}
        return queries.run(con, name, **(scope | params)).to_dict("records")[0]
    finally:
        con.close()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_kpis_equal_sql(app: AppTest, demo_db: Path) -> None:
    truth = _truth(demo_db, "programme_kpis", programme_id=demo.PROGRAMME, as_of=demo.AS_OF)
    shown = _metrics(app)
    assert shown["目标户数"] == "6,460"
    assert shown["已排摸"] == f"{truth['surveyed']:,}"
    assert shown["已安装"] == f"{truth['installed']:,}"
    assert shown["已验收"] == f"{truth['verified']:,}"
    assert shown["完成率"] == f"{truth['installed'] / truth['target'] * 100:.1f}%"
    assert shown["计划应完成"] == f"{round(truth['target'] * truth['plan_fraction']):,}"
    assert any("演示数据" in w.value for w in app.warning)


def test_table_lists_ten_streets(app: AppTest) -> None:
    table = app.dataframe[0].value
    assert len(table) == 10
    assert set(table["街镇"]) == {s.name for s in demo.STREETS}
    assert table["目标户数"].sum() == 6460


def test_date_changes_numbers(app: AppTest, demo_db: Path) -> None:
    app.date_input(key="coverage_as_of").set_value(date(2023, 6, 1)).run()
    assert not app.exception
    truth = _truth(demo_db, "programme_kpis", programme_id=demo.PROGRAMME, as_of=date(2023, 6, 1))
    assert _metrics(app)["已安装"] == f"{truth['installed']:,}"
    assert truth["installed"] < 3050


def test_drill_down_to_communities(app: AppTest, demo_db: Path) -> None:
    app.selectbox(key="coverage_street").set_value("310105004").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert set(table["街镇"]) == {"周家桥街道"}
    assert table["社区"].str.contains("周家桥").all()
    truth = _truth(
        demo_db,
        "programme_kpis",
        programme_id=demo.PROGRAMME,
        as_of=demo.AS_OF,
        street_ids=["310105004"],
    )
    assert _metrics(app)["目标户数"] == f"{truth['target']:,}"
    assert table["目标户数"].sum() == truth["target"]


def test_english_labels(app: AppTest) -> None:
    app.selectbox(key="lang").set_value("en").run()
    assert not app.exception
    assert "Target" in _metrics(app)
    assert any("Synthetic demo data" in w.value for w in app.warning)


@pytest.mark.parametrize("basemap", ["osm", "amap", "tianditu"])
def test_basemaps_render(app: AppTest, basemap: str) -> None:
    app.selectbox(key="coverage_basemap").set_value(basemap).run()
    assert not app.exception


def test_back_to_district(app: AppTest) -> None:
    app.selectbox(key="coverage_street").set_value("310105004").run()
    app.button(key="coverage_back").click().run()
    assert not app.exception
    assert app.selectbox(key="coverage_street").value == ""
    assert len(app.dataframe[0].value) == 10
