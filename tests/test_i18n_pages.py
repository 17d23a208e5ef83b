"""Every page renders in both languages, and English mode shows no Chinese interface text.

Data (street names, people, addresses from the seeds) stays as recorded; what is checked is the
interface: titles, headings, captions, widget labels and options, tab labels, metric labels,
messages and table headers. Each Chinese string found in English mode is a label that did not
go through dashboard/i18n.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import LABELS
from dashboard.navigation import PAGES
from data import access
from data.connection import connect

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
ADMIN = access.User("t_admin", "admin")

# Pages whose every interface string is in the catalogue. A page not listed here still has to
# render in English without an exception; see the README (界面语言) for what is left.
ENGLISH_COMPLETE = {"coverage", "fire_risk", "audit", "users", "weekly", "overdue"}


def test_every_label_has_both_languages() -> None:
    missing = [k for k, v in LABELS.items() if not (v.get("zh") or "").strip()]
    missing += [k for k, v in LABELS.items() if not (v.get("en") or "").strip()]
    assert missing == []
    # English text is English: no label left half-translated.
    assert [k for k, v in LABELS.items() if CJK.search(v["en"]) and "语言" not in v["en"]] == []


def _interface_texts(at: AppTest) -> list[str]:
    """Text the interface itself puts on screen (not data values inside tables)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "success", "error"):
        out += [e.value for e in at.get(kind)]
    out += [m.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio", "text_input", "number_input", "date_input"):
        out += [w.label for w in at.get(kind)]
    out += [b.label for b in at.button] + [b.label for b in at.get("download_button")]
    out += [t.label for t in at.tabs] + [e.label for e in at.expander]
    out += [str(c) for d in at.dataframe for c in d.value.columns]
    return [s for s in out if s]


def _data_names(db: Path) -> list[str]:
    """Names that are data, not interface: programmes, regions, accounts (longest first)."""
    con = connect(db)
    try:
        rows = con.execute(
            "SELECT name FROM programme UNION SELECT name FROM region"
            " UNION SELECT display_name FROM app_user WHERE display_name IS NOT NULL"
        ).fetchall()
        # A programme's own terms from its template (seed 000: 加装报警器确认表, 大众燃气公司).
        settings = con.execute("SELECT settings FROM programme").fetchall()
    finally:
        con.close()
    terms = [
        "、".join(map(str, v)) if isinstance(v, list) else str(v)
        for (raw,) in settings
        for k, v in json.loads(raw or "{}").get("rules", {}).items()
        if k in ("report_name", "report_from") and v
    ]
    return sorted({r[0] for r in rows if r[0]} | set(terms), key=len, reverse=True)


def _chinese(text: str, names: list[str]) -> bool:
    for name in names:
        text = text.replace(name, "")
    return bool(CJK.search(text.replace("Language / 语言", "")))


def _render(demo_db: Path, monkeypatch, lang: str) -> dict[str, list[str]]:
    names = _data_names(demo_db)
    monkeypatch.setenv("ANJU_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["_anju_user"] = ADMIN
    at.session_state["lang"] = lang
    at.run()
    found = {}
    for page in PAGES:
        at.switch_page(page.path)
        at.run()
        assert not at.exception, f"{page.key} ({lang}): {at.exception[0].message}"
        found[page.key] = [s for s in _interface_texts(at) if _chinese(s, names)]
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(demo_db, monkeypatch, lang) -> None:
    found = _render(demo_db, monkeypatch, lang)
    if lang == "en":
        leaks = {k: v for k, v in found.items() if k in ENGLISH_COMPLETE and v}
        assert leaks == {}


def _english_leaks(at: AppTest, names: list[str], where: str) -> list[str]:
    assert not at.exception, f"{where}: {at.exception[0].message}"
    return [f"{where}: {s}" for s in _interface_texts(at) if _chinese(s, names)]


def _select_row(at: AppTest, key: str) -> None:
    """Select a table's first row, as a click on it does (AppTest has no click on a table)."""
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()


def test_briefing_pages_in_english_after_interaction(demo_db, tmp_path, monkeypatch) -> None:
    """周报 and 逾期 in English through the states a user reaches: every basis, a published
    issue, the publish message, and a selected row of every overdue list."""
    db = tmp_path / "briefing.duckdb"  # publishing writes: not on the shared demo
    shutil.copy(demo_db, db)
    names = _data_names(db)
    monkeypatch.setenv("ANJU_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["_anju_user"] = ADMIN
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("dashboard/pages/weekly.py")
    at.run()
    leaks = _english_leaks(at, names, "weekly")
    assert at.info[0].value.startswith("As of 14 July 2023")
    at.radio(key="weekly_basis").set_value("issue").run()
    leaks += _english_leaks(at, names, "weekly, no issue yet")
    at.radio(key="weekly_basis").set_value("as_published").run()
    leaks += _english_leaks(at, names, "weekly, as known that day")
    at.radio(key="weekly_basis").set_value("business").run()
    at.button(key="weekly_publish").click().run()
    leaks += _english_leaks(at, names, "weekly, published")
    assert any(s.value.startswith("Published issue 1") for s in at.success)
    at.radio(key="weekly_basis").set_value("issue").run()
    at.selectbox(key="weekly_issue").set_value(1).run()
    leaks += _english_leaks(at, names, "weekly, issue 1")
    assert at.selectbox(key="weekly_issue").format_func(1).startswith("Issue 1 · as of 2023-07-14")
    assert "only records entered before" in at.caption[0].value

    at.switch_page("dashboard/pages/overdue.py")
    at.run()
    leaks += _english_leaks(at, names, "overdue")
    lists = [d.key for d in at.dataframe if d.key and d.key.startswith("overdue_")]
    assert {"overdue_streets", "overdue_hazards", "overdue_gas_cuts"} <= set(lists)
    for key in lists:
        _select_row(at, key)
        leaks += _english_leaks(at, names, f"overdue, {key} row selected")
        at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": []}}
    # A selected household opens its card, with its events' words in English.
    _select_row(at, "overdue_hazards")
    card = next(d.value for d in at.dataframe if "Event" in d.value.columns)
    assert list(card.columns) == ["Date", "Event", "Details", "Entered"]
    assert "Hazard found" in set(card["Event"])
    assert leaks == []
