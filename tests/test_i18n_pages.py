"""Every page renders in both languages, and English mode shows no Chinese interface text.

Data (street names, people, addresses from the seeds) stays as recorded; what is checked is the
interface: titles, headings, captions, widget labels and options, tab labels, metric labels,
messages and table headers. Each Chinese string found in English mode is a label that did not
go through dashboard/i18n.py.
"""

from __future__ import annotations

import re
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
ENGLISH_COMPLETE = {"coverage", "fire_risk", "audit", "users"}


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
    finally:
        con.close()
    return sorted({r[0] for r in rows if r[0]}, key=len, reverse=True)


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
