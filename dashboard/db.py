"""The app's one DuckDB connection and cached, scope-keyed query results."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import duckdb
import pandas as pd
import streamlit as st

import queries
from dashboard.i18n import t
from data.store.connection import connect, db_path, is_engine_fault

_log = logging.getLogger(__name__)
# The connection each path's cache entry holds, so a fault can tell whether the connection it
# broke is still the shared one (another session may have reopened it already).
_held: dict[str, duckdb.DuckDBPyConnection] = {}
_reopening = threading.Lock()


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    _held[path] = con
    return con


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


def _reopen(path: str, faulted: duckdb.DuckDBPyConnection | None) -> None:
    # Closing the connection closes its cursors, and only then does DuckDB drop the invalidated
    # instance: a connect() while it is open would hand the same broken instance back.
    with _reopening:
        current = _held.get(path)
        if current is None or (faulted is not None and current is not faulted):
            return  # another session has reopened it since this run began
        del _held[path]
        _connection.clear(path)
        with suppress(duckdb.Error):
            current.close()


def _closed_under_us(exc: BaseException) -> bool:
    # A run that began before another session reopened the database still holds cursors of
    # the connection closed then.
    return isinstance(exc, duckdb.ConnectionException) and "closed" in str(exc).lower()


@contextmanager
def contained() -> Iterator[None]:
    """Run a script (the app's pages) so that a DuckDB internal or fatal error reopens the shared
    database and shows a message with a retry button, instead of a traceback and a database
    that fails for every user until the server restarts."""
    path = str(db_path())
    held = _held.get(path)
    try:
        yield
    except Exception as exc:
        if not (is_engine_fault(exc) or _closed_under_us(exc)):
            raise
        _log.exception("DuckDB engine fault; reopening the database %s", path)
        _reopen(path, held)
        st.error(t("db.engine_fault", _lang()))
        # Any click reruns the script, which now opens the database afresh.
        st.button(t("db.retry", _lang()), key="_anju_db_retry", type="primary")
        st.stop()


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared connection; each script run (thread) uses its own."""
    return _open(str(db_path())).cursor()


# Whose rows a query returns: street ids (from context.scope(), a drill-down, a filter), or
# WHOLE_DISTRICT. Every helper below takes it as a required keyword, so a call that forgets it
# fails instead of answering for the whole district.
Scope = list[str] | tuple[str, ...] | None
WHOLE_DISTRICT: None = None
"""The scope of a read that is district-wide on purpose: every street (the district outline, a
leader's or an administrator's view, queries that return no street rows at all)."""


def _scoped(name: str, scope: Scope) -> dict[str, object]:
    # Queries without $street_ids return no street rows (test_scope_required lists them): the
    # scope does not reach them, nor their cache key.
    if "street_ids" not in queries.parameters(name):
        return {}
    return {"street_ids": None if scope is None else list(scope)}


@st.cache_data(show_spinner=False, ttl=600, max_entries=512)
def _cached(path: str, name: str, scope: tuple[str, ...] | None, params: tuple) -> pd.DataFrame:
    # scope is part of the cache key: st.cache_data is shared by every user of the server.
    return queries.run(_open(path).cursor(), name, **dict(params), **_scoped(name, scope))


def query(name: str, *, scope: Scope, **params: object) -> pd.DataFrame:
    """Run a named query for `scope` (street ids or WHOLE_DISTRICT), cached per (database,
    scope, params)."""
    scoped = _scoped(name, scope).get("street_ids")
    key_scope = None if scoped is None else tuple(sorted(scoped))
    return _cached(str(db_path()), name, key_scope, tuple(sorted(params.items()))).copy()


def later(name: str, *, scope: Scope, **params: object) -> Callable[[], pd.DataFrame]:
    """A named query to run off the script thread (a download built on click): the connection
    and scope are fixed now; each call runs the query on a cursor of its own."""
    base = cursor()
    extra = _scoped(name, scope)
    return lambda: queries.run(base.cursor(), name, **params, **extra)


def query_fresh(name: str, *, scope: Scope, **params: object) -> pd.DataFrame:
    """Run a named query uncached (audit log, account lists: they must show the latest rows)."""
    return queries.run(cursor(), name, **params, **_scoped(name, scope))
