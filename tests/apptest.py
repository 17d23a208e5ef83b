"""What the AppTest files share: the app's entry file, the app opened as a signed-in user on
one page, and the table a page shows that has a given column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

import queries
from data.store.connection import connect
from data.users import access

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def open_page(
    user: access.User | None,
    page: str | None = None,
    *,
    timeout: float = 180,
    state: dict | None = None,
) -> AppTest:
    """The app (on the database ANJU_DB names) run once as `user` (None: nobody signed in), with
    `state` in its session, then switched to `page` (a path such as dashboard/pages/weekly.py);
    neither run may raise."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if user is not None:
        at.session_state["_anju_user"] = user
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def fetch_one(db: Path, sql: str) -> tuple:
    """The first row `sql` returns from the database file `db`, read on a connection of its own
    that is closed again, so the app under test keeps the file to itself."""
    con = connect(db)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def run_query(db: Path, name: str, **params):
    """The named query (queries/<name>.sql) run with `params` on the database file `db`, on a
    connection of its own that is closed again."""
    con = connect(db)
    try:
        return queries.run(con, name, **params)
    finally:
        con.close()


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table the page shows that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
