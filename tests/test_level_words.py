"""Each programme in its own words: a 旗 has 苏木镇 and 嘎查 (its whole is 全旗), a 区 街镇 and
社区; the demo banner names the programme's own district."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from data.setup import levels
from data.users import access
from tests.apptest import open_page

ADMIN = access.User("t_admin", "admin")
PAGES = ("coverage", "weekly", "overdue", "batch", "fire_risk", "settlement", "spot_check")


def test_words_follow_the_district_kind() -> None:
    assert levels.level_names("长宁区") == {
        "district": "全区",
        "street": "街镇",
        "community": "社区",
    }
    assert levels.level_names("乌审旗") == {
        "district": "全旗",
        "street": "苏木镇",
        "community": "嘎查",
    }
    assert levels.level_names("某某县")["street"] == "乡镇"
    assert levels.level_names("潼南区", town="玉溪镇")["district"] == "全镇"
    assert levels.level_names(None) == levels.DEFAULT
    # The template may say it otherwise; unknown levels and blanks are ignored.
    own = levels.level_names("乌审旗", override={"community": "嘎查村", "x": "y", "street": " "})
    assert own == {"district": "全旗", "street": "苏木镇", "community": "嘎查村"}


def test_labels_carry_the_current_programmes_words() -> None:
    assert i18n.t("coverage.whole_district") == "全区（按街镇）"
    i18n.use_levels(levels.level_names("乌审旗"))
    try:
        assert i18n.t("coverage.whole_district") == "全旗（按苏木镇）"
        # English stays generic; other fields are left for the caller's format().
        assert "{" not in i18n.t("coverage.whole_district", "en")
        assert i18n.t("credit.regions").format(source="x") == "苏木镇/嘎查：x"
    finally:
        i18n.use_levels(levels.DEFAULT)


def _texts(at: AppTest) -> list[str]:
    """What the interface says: headings, messages, widget labels and options, table headers."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "success", "error"):
        out += [str(e.value) for e in at.get(kind)]
    out += [m.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in at.get(kind):
            out += [w.label, *map(str, w.options)]
    for kind in ("text_input", "number_input", "date_input"):
        out += [w.label for w in at.get(kind)]
    out += [b.label for b in at.button] + [b.label for b in at.get("download_button")]
    out += [x.label for x in at.tabs] + [e.label for e in at.expander]
    out += [str(c) for d in at.dataframe for c in d.value.columns]
    return [s for s in out if s]


def _pages(programme: str) -> dict[str, str]:
    at = open_page(ADMIN, state={"programme_id": programme})
    shown = {"banner": "\n".join(str(w.value) for w in at.warning)}
    for page in PAGES:
        at.switch_page(f"dashboard/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        shown[page] = "\n".join(_texts(at))
    return shown


@pytest.fixture(scope="module")
def wushen(demo_db, tmp_path_factory) -> dict[str, str]:
    mp = pytest.MonkeyPatch()
    mp.setenv("ANJU_DB", str(demo_db))
    try:
        return _pages("wushen_2024")
    finally:
        mp.undo()


def test_the_demo_banner_names_the_programmes_district(wushen) -> None:
    assert "乌审旗外轮廓为真实边界" in wushen["banner"]
    assert "苏木镇、嘎查划分" in wushen["banner"]
    assert "长宁区" not in wushen["banner"]


@pytest.mark.parametrize("page", PAGES)
def test_a_pages_labels_say_sumu_and_gacha(wushen, page) -> None:
    text = wushen[page]
    assert "街镇" not in text, [line for line in text.splitlines() if "街镇" in line]
    # The programme picker lists 长宁区's programme by name: data, not a label.
    assert "长宁区" not in text.replace("长宁区高龄独居老人", "")
    assert "全区" not in text, [line for line in text.splitlines() if "全区" in line]


def test_the_wushen_coverage_map_is_by_sumu(wushen) -> None:
    assert "全旗（按苏木镇）" in wushen["coverage"]
    assert "苏木镇（下钻到嘎查）" in wushen["coverage"]


def test_changning_keeps_its_streets_and_communities(demo_db, monkeypatch) -> None:
    monkeypatch.setenv("ANJU_DB", str(demo_db))
    at = open_page(ADMIN, "dashboard/pages/coverage.py", state={"programme_id": "changning_2023"})
    text = "\n".join(_texts(at))
    assert "长宁区外轮廓为真实边界" in text
    assert "全区（按街镇）" in text and "街镇（下钻到社区）" in text
    assert "苏木镇" not in text and "嘎查" not in text


def test_exports_name_the_levels_as_the_programme_does(demo_db) -> None:
    import pandas as pd

    from data.demos import demo_wushen
    from data.reporting import briefing, briefing_text
    from data.store.connection import connect
    from documents import charts, spot_check_docs

    con = connect(demo_db)
    try:
        b = briefing.build(briefing.fetcher(con, None), demo_wushen.PROGRAMME, demo_wushen.AS_OF)
    finally:
        con.close()
    assert b.district_name == "乌审旗"
    title = charts.street_multiples_figure(b)._suptitle.get_text()
    assert title.startswith("各苏木镇安装完成率")
    assert not b.behind.empty and "请相关苏木镇加快推进" in briefing_text.summary(b)
    status = pd.DataFrame({"street_name": ["图克镇"], "community_name": ["吉美社区"]})
    words = levels.level_names("乌审旗")
    assert list(spot_check_docs.sample_table(status, words=words).columns[:2]) == ["苏木镇", "嘎查"]
    assert list(spot_check_docs.sample_table(status).columns[:2]) == ["街镇", "社区"]


def test_a_template_may_name_its_levels(tiny_con) -> None:
    import json

    from data.setup import programmes

    tpl = programmes.read_template("wushen_2024")
    tpl["programme"]["level_names"] = {"community": "嘎查村"}
    programmes.save(tiny_con, tpl, "test")
    (settings,) = tiny_con.execute(
        "SELECT CAST(settings AS VARCHAR) FROM programme WHERE programme_id = 'wushen_2024'"
    ).fetchone()
    words = levels.for_settings(json.loads(settings))
    assert words == {"district": "全旗", "street": "苏木镇", "community": "嘎查村"}


def test_the_bulletin_names_the_levels_as_the_programme_does(demo_db) -> None:
    """乌审旗's 周通报 (Word and Excel) ranks 苏木镇 across 全旗; 长宁区's still ranks 街镇."""
    import io

    import docx
    import openpyxl

    from data.demos import demo, demo_wushen
    from data.reporting import briefing
    from data.store.connection import connect
    from documents import bulletin

    con = connect(demo_db)
    try:
        fetch = briefing.fetcher(con, None)
        wushen = briefing.build(fetch, demo_wushen.PROGRAMME, demo_wushen.AS_OF)
        changning = briefing.build(fetch, demo.PROGRAMME, demo.AS_OF)
    finally:
        con.close()
    word = docx.Document(io.BytesIO(bulletin.docx_bytes(wushen)))
    text = "\n".join(p.text for p in word.paragraphs)
    heads = [c.text for t in word.tables for c in t.rows[0].cells]
    assert "二、苏木镇排名" in text and "街镇" not in text and "苏木镇" in heads
    book = openpyxl.load_workbook(io.BytesIO(bulletin.xlsx_bytes(wushen)))
    assert "苏木镇排名" in book.sheetnames and "街镇排名" not in book.sheetnames
    sheet = book["苏木镇排名"]
    assert "苏木镇" in [c.value for c in sheet[1]]
    assert (
        "街镇排名" in openpyxl.load_workbook(io.BytesIO(bulletin.xlsx_bytes(changning))).sheetnames
    )


def test_headers_follow_the_programme_after_their_module_is_imported() -> None:
    """The 逾期 export's headers are read when used, not frozen at the module's first import
    (the whole suite imports it under 长宁区 long before 乌审旗's pages run)."""
    from dashboard.components import overdue

    try:
        i18n.use_levels(levels.level_names("长宁区"))
        assert "街镇" in overdue.column_headers().values()
        i18n.use_levels(levels.level_names("乌审旗"))
        assert "苏木镇" in overdue.column_headers().values()
        assert "街镇" not in overdue.column_headers().values()
    finally:
        i18n.use_levels(levels.DEFAULT)
