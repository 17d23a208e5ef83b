"""English mode outside the pages: the sign-in gate and a data-layer validation
message, on a demo database, through the app itself (AppTest)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.demos import demo
from data.store import clock
from data.store.connection import connect
from data.users import access
from tests.apptest import APP

_CJK = re.compile(r"[\u4e00-\u9fff]")
HUAYANG = "310105001"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A demo database of its own (sign-ins change it) and its accounts' one-time passwords."""
    db = tmp_path_factory.mktemp("shell_en") / "demo.duckdb"
    return db, demo.build(db)["accounts"]


def _app(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return AppTest.from_file(APP, default_timeout=180)


def _shown(at: AppTest) -> list[str]:
    """Every interface text of the current view: titles, captions, messages, widget labels."""
    texts = [e.value for e in [*at.title, *at.caption, *at.error, *at.info, *at.warning]]
    texts += [w.label for w in [*at.text_input, *at.button]]
    # The language switch is labelled in both languages on purpose ("Language / 语言").
    texts += [w.label for w in at.selectbox if w.key != "_login_lang"]
    return [str(x) for x in texts]


def test_sign_in_and_first_password_in_english(built, monkeypatch) -> None:
    db, logins = built
    at = _app(db, monkeypatch)
    at.run()
    assert at.title[0].value == "安居 · 登录"  # Chinese unless chosen otherwise
    at.selectbox(key="_login_lang").set_value("en").run()
    assert at.title[0].value == "Anju · sign in"
    at.text_input[0].input("demo_leader")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert "Wrong username or password" in at.error[0].value
    assert not [x for x in _shown(at) if _CJK.search(x)], _shown(at)
    at.text_input[0].input("demo_leader")
    at.text_input[1].input(logins["demo_leader"])
    at.button[0].click().run()
    assert at.title[0].value == "First sign-in: change your password"
    at.text_input[0].input(logins["demo_leader"])
    at.text_input[1].input("demo_leader-2026")
    at.text_input[2].input("demo_leader-2026")
    at.button[0].click().run()
    assert "must not contain the username" in at.error[0].value  # a data-layer message
    assert not [x for x in _shown(at) if _CJK.search(x)], _shown(at)
    at.text_input[0].input(logins["demo_leader"])
    at.text_input[1].input("leader-new-pass-2026")
    at.text_input[2].input("leader-new-pass-2026")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any(m.label == "Target" for m in at.metric)  # signed in, still in English


def test_field_form_error_in_english(built, monkeypatch) -> None:
    db, _ = built
    con = connect(db)
    try:
        hid = con.execute(
            "SELECT household_id FROM household_status(?, ?) WHERE street_id = ?"
            " ORDER BY household_id LIMIT 1",
            [demo.PROGRAMME, clock.today(), HUAYANG],
        ).fetchone()[0]
    finally:
        con.close()
    at = _app(db, monkeypatch)
    at.session_state["_anju_user"] = access.User("t_street", "street", HUAYANG, "网格员")
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("dashboard/pages/field.py")
    at.session_state["field_household"] = hid
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="field_kind").set_value("refusal").run()
    # The refusal form's own submit button, whatever its label's language.
    submit = next(b for b in at.button if b.form_id == "field_refusal")
    submit.click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors == ["Please fill in the reason for refusing\\."], errors
