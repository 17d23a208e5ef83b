"""The app's one DuckDB connection and cached, scope-keyed query results."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

import queries
from dashboard.i18n import t
from data.connection import connect, db_path


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return connect(path)


def _lang() -> str:
    # context.lang() without importing context (context imports this module).
    return st.session_state.get("lang", "zh")


def _open(path: str) -> duckdb.DuckDBPyConnection:
    # A file another process holds (an `anju` command run beside the app) is a message, never a
    # traceback in the browser; the next click tries again.
    try:
        return _connection(path)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            st.error(t("db.locked", _lang()))
        else:
            st.error(t("db.unopenable", _lang()))
        st.stop()
        raise  # st.stop() raises; this keeps type checkers sure nothing returns here


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared connection; each script run (thread) uses its own."""
    return _open(str(db_path())).cursor()


@st.cache_data(show_spinner=False, ttl=600, max_entries=512)
def _cached(path: str, name: str, scope: tuple[str, ...] | None, params: tuple) -> pd.DataFrame:
    # scope is part of the cache key: st.cache_data is shared by every user of the server.
    extra = {} if "street_ids" not in queries.parameters(name) else {"street_ids": scope}
    return queries.run(_open(path).cursor(), name, **dict(params), **extra)


def query(
    name: str, scope: list[str] | tuple[str, ...] | None = None, **params: object
) -> pd.DataFrame:
    """Run a named query for a scope (None = whole district), cached per (database, scope, params)."""
    key_scope = None if scope is None else tuple(sorted(scope))
    return _cached(str(db_path()), name, key_scope, tuple(sorted(params.items()))).copy()


def later(
    name: str, scope: list[str] | None = None, **params: object
) -> Callable[[], pd.DataFrame]:
    """A named query to run off the script thread (a download built on click): the connection
    and scope are fixed now; each call runs the query on a cursor of its own."""
    base = cursor()
    extra = {} if "street_ids" not in queries.parameters(name) else {"street_ids": scope}
    return lambda: queries.run(base.cursor(), name, **params, **extra)


def query_fresh(name: str, scope: list[str] | None = None, **params: object) -> pd.DataFrame:
    """Run a named query uncached (audit log, account lists: they must show the latest rows)."""
    extra = {} if "street_ids" not in queries.parameters(name) else {"street_ids": scope}
    return queries.run(cursor(), name, **params, **extra)
