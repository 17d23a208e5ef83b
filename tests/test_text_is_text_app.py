"""Text is text on every page: a programme name, a household's name, address or 户号 and a
username that carry Markdown (an image to fetch, bold, HTML) are shown as those characters —
never as an image the browser fetches, bold text or HTML — with the personal data masked or not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.demos import demo
from data.store.connection import connect
from data.users import access
from tests.apptest import open_page
from tests.crew_day import HUAYANG

HOSTILE = "![x](http://127.0.0.1:9/x.png) **b** <b>h</b>"
# What the hostile text looks like where Markdown would act on it, unescaped.
RAW = ("![x](http", "**b**", "<b>h</b>")
# Elements whose text Streamlit renders as Markdown (st.text, tables and selectbox options are
# plain text already).
MARKDOWN_TYPES = {
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "success",
    "info",
    "warning",
    "error",
    "toast",
    "latex",
}
ADMIN = access.User("t_admin", "admin")
FINANCE = access.User("t_finance", "finance")
STREET = access.User("t_street", "street", HUAYANG)


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with Markdown in the programme's name, one 华阳路 household's name and address,
    and an account's username."""
    path = tmp_path_factory.mktemp("text_is_text") / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = connect(path)
    try:
        con.execute(
            "UPDATE programme SET name = ? WHERE programme_id = ?", [HOSTILE, demo.PROGRAMME]
        )
        hid = con.execute(
            "SELECT min(household_id) FROM household WHERE programme_id = ? AND street_id = ?",
            [demo.PROGRAMME, HUAYANG],
        ).fetchone()[0]
        con.execute(
            "UPDATE household SET name = ?, address = ? WHERE programme_id = ? AND household_id = ?",
            ["张" + HOSTILE, "华阳路" + HOSTILE, demo.PROGRAMME, hid],
        )
        con.execute(
            "INSERT INTO app_user (username, role, password_hash) VALUES (?, 'leader', 'x')",
            [HOSTILE],
        )
    finally:
        con.close()
    return path


def _texts(node) -> list[tuple[str, str]]:
    """(where, text) of everything under NODE that Streamlit renders as Markdown."""
    out = []
    kind = getattr(node, "type", "")
    value = getattr(node, "value", None)
    if kind in MARKDOWN_TYPES and isinstance(value, str):
        out.append((kind, value))
    label = getattr(node, "label", None)
    if isinstance(label, str):
        out.append((f"{kind} label", label))
    if kind == "radio":
        out += [("radio option", str(o)) for o in node.options]
    for child in (getattr(node, "children", None) or {}).values():
        out += _texts(child)
    return out


def _leaks(at: AppTest) -> list[tuple[str, str]]:
    assert not at.exception, at.exception
    return [(w, s) for w, s in _texts(at._tree) if any(r in s for r in RAW)]


def _open(db: Path, monkeypatch: pytest.MonkeyPatch, user: access.User, page: str) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, f"dashboard/pages/{page}.py")


@pytest.mark.parametrize(
    ("user", "page"),
    [
        (FINANCE, "settlement"),
        (ADMIN, "devices"),
        (ADMIN, "service"),
        (ADMIN, "programme_settings"),
        (ADMIN, "users"),
        (ADMIN, "weekly"),
        (ADMIN, "coverage"),
    ],
)
def test_a_programme_name_and_a_username_are_text(db, monkeypatch, user, page) -> None:
    at = _open(db, monkeypatch, user, page)
    assert _leaks(at) == []


@pytest.mark.parametrize("unmask", [False, True], ids=["masked", "unmasked"])
def test_a_household_found_on_the_field_page_is_text(db, monkeypatch, unmask) -> None:
    at = _open(db, monkeypatch, STREET, "field")
    if unmask:
        at.toggle(key="_unmask_field").set_value(True).run()
    at.segmented_control(key="field_mode").set_value("search").run()
    at.text_input(key="field_search").input("127.0.0.1").run()
    labels = [b.label for b in at.button if (b.key or "").startswith("field_pick_")]
    assert labels, "the hostile household is found"
    assert _leaks(at) == []
    pick = next(b.key for b in at.button if (b.key or "").startswith("field_pick_"))
    at.button(key=pick).click().run()
    assert _leaks(at) == []


def test_a_new_users_message_shows_the_username_as_text(db, monkeypatch) -> None:
    at = _open(db, monkeypatch, ADMIN, "users")
    at.text_input[0].input("x" + HOSTILE.replace(" ", ""))  # 用户名
    next(b for b in at.button if b.label == "添加").click().run()
    assert any("一次性密码" in s.value for s in at.success)  # the account was made
    assert _leaks(at) == []
