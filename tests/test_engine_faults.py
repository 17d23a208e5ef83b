"""A DuckDB internal or fatal error during a page never takes the app down: the shared database
is closed and opened again, the user sees a Chinese message with a retry button, and the retry
works on the fresh connection."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import queries
from dashboard import db
from data.store.connection import is_engine_fault
from data.users import access
from tests.apptest import open_page

ADMIN = access.User("t_admin", "admin")
FAULTS = [
    duckdb.InternalException("INTERNAL Error: Attempted to access index 0 within vector of size 0"),
    duckdb.FatalException("FATAL Error: Failed: database has been invalidated"),
    duckdb.InvalidInputException(
        "Invalid Input Error: database has been invalidated because of a previous fatal error"
    ),
]


@pytest.mark.parametrize("exc", FAULTS, ids=["internal", "fatal", "invalidated"])
def test_engine_faults_are_recognised(exc):
    assert is_engine_fault(exc)


@pytest.mark.parametrize(
    "exc",
    [duckdb.CatalogException("Catalog Error: Table x does not exist"), ValueError("x")],
    ids=["catalog", "python"],
)
def test_query_and_data_faults_are_not_engine_faults(exc):
    assert not is_engine_fault(exc)


def _fail_next(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> list[str]:
    """queries.run raises `exc` on its next call, then runs normally; the names it ran."""
    real, ran = queries.run, []

    def run(con, name, **params):
        ran.append(name)
        if len(ran) == 1:
            raise exc
        return real(con, name, **params)

    monkeypatch.setattr(queries, "run", run)
    return ran


@pytest.mark.parametrize("exc", FAULTS[:2], ids=["internal", "fatal"])
def test_a_page_shows_a_message_and_reopens(exc, tiny_db: Path, monkeypatch: pytest.MonkeyPatch):
    path = str(tiny_db)
    monkeypatch.setenv("ANJU_DB", path)
    at = open_page(ADMIN, timeout=120)
    before = db._held[path]
    db._cached.clear()  # the next page run reads through queries.run, not the shared cache
    ran = _fail_next(monkeypatch, exc)
    at.run()
    assert not at.exception, at.exception
    assert ran, "the page ran no query"
    assert any("数据库引擎出现内部错误" in e.value for e in at.error)
    retry = at.button(key="_anju_db_retry")
    assert retry.label == "重试"
    # The broken connection is closed (its cursors with it) and no longer shared.
    assert path not in db._held
    with pytest.raises(duckdb.ConnectionException):
        before.execute("SELECT 1")
    retry.click().run()
    assert not at.exception, at.exception
    assert not at.error
    assert db._held[path] is not before
    assert db._held[path].execute("SELECT count(*) FROM household").fetchone()[0] > 0


def test_other_errors_still_surface(tiny_db: Path, monkeypatch: pytest.MonkeyPatch):
    """Only engine faults are contained: a bug elsewhere stays visible as a bug."""
    path = str(tiny_db)
    monkeypatch.setenv("ANJU_DB", path)
    at = open_page(ADMIN, timeout=120)
    db._cached.clear()
    _fail_next(monkeypatch, duckdb.CatalogException("Catalog Error: no such table"))
    at.run()
    assert at.exception
    assert db._held[path] is not None
