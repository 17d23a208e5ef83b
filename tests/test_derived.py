"""Derived definitions are defined once (queries/derived, created at connect, never in a
migration), and the derived tables follow them: recomputed once when a definition or the schema
changed, on a fresh database, on an upgraded one, and not on a plain reconnect."""

from __future__ import annotations

import re

import pytest

from data.events import device_state
from data.firerisk import risk_state
from data.households import household_cell, household_state
from data.store import connection, derived, migrations
from tests.conftest import load_tiny

_DEFINED = re.compile(r"^CREATE OR REPLACE (MACRO|VIEW) (\w+)", re.MULTILINE)
_ANY_DEFINITION = re.compile(
    r"\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP\w*\s+)?(MACRO|VIEW|FUNCTION)\b", re.I
)
DERIVED_TABLES = (
    "household_state",
    "area_change",
    "device_state",
    "household_cell",
    "fire_risk_score",
)


def _defined() -> list[str]:
    return [name for text in derived.texts() for _, name in _DEFINED.findall(text)]


def test_every_macro_and_view_is_defined_once_and_only_in_queries_derived():
    names = _defined()
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for text in derived.texts():  # every definition there is idempotent (CREATE OR REPLACE)
        assert len(_ANY_DEFINITION.findall(text)) == len(_DEFINED.findall(text))
    for _, path in migrations.available():
        assert not _ANY_DEFINITION.search(path.read_text(encoding="utf-8")), path.name
    con = connection.connect(":memory:")
    try:
        live = {
            r[0]
            for r in con.execute(
                "SELECT function_name FROM duckdb_functions()"
                " WHERE function_type IN ('macro', 'table_macro') AND NOT internal"
                " UNION SELECT view_name FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        }
    finally:
        con.close()
    assert live == set(names)


def _tiny_file(path):
    con = connection.connect(path)
    load_tiny(con)
    con.close()


def _count_refreshes(monkeypatch) -> list:
    calls: list = []
    real = household_state.refresh

    def spy(con, programme_id, household_ids=None):
        calls.append((programme_id, household_ids))
        real(con, programme_id, household_ids)

    monkeypatch.setattr(household_state, "refresh", spy)
    return calls


def _assert_derived_equal_recomputation(con):
    for table in DERIVED_TABLES:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    assert household_state.differences(con)[0] == 0
    assert device_state.differences(con)[0] == 0
    assert risk_state.differences(con)[0] == 0
    assert household_cell.differences(con)[0] == 0


def test_a_reconnect_recomputes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    _tiny_file(path)
    calls = _count_refreshes(monkeypatch)
    con = connection.connect(path)
    try:
        assert calls == []
        assert derived.install(con) is False
        _assert_derived_equal_recomputation(con)
    finally:
        con.close()


def test_a_changed_definition_recomputes_every_derived_table_once(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    _tiny_file(path)
    con = connection.connect(path)
    for table in DERIVED_TABLES:  # stale, as if computed by other definitions
        con.execute(f"DELETE FROM {table}")
    con.close()
    texts = derived.texts()
    monkeypatch.setattr(derived, "texts", lambda: (*texts, "-- a changed definition\n"))
    calls = _count_refreshes(monkeypatch)
    con = connection.connect(path)
    try:
        assert calls == [(None, None)]  # every programme, every household, once
        _assert_derived_equal_recomputation(con)
    finally:
        con.close()
    connection.connect(path).close()
    assert calls == [(None, None)]


def test_an_old_database_gets_its_derived_tables_when_upgraded(tmp_path, monkeypatch):
    # A database at version 11 (before any derived table) holding the tiny programme, written
    # without the derived layer, as code of that time did.
    old = tmp_path / "old.duckdb"
    everything = migrations.available()
    with monkeypatch.context() as m:
        m.setattr(migrations, "available", lambda: [v for v in everything if v[0] < 13])
        m.setattr(derived, "install", lambda con: False)
        m.setattr(household_state, "refresh", lambda *a, **k: None)
        m.setattr(device_state, "refresh", lambda *a, **k: None)
        _tiny_file(old)
    fresh = tmp_path / "fresh.duckdb"
    _tiny_file(fresh)

    con = connection.connect(old)
    try:
        assert migrations.applied(con) == {v for v, _ in everything}
        _assert_derived_equal_recomputation(con)
        con.execute(f"ATTACH '{fresh}' AS fresh (READ_ONLY)")
        for table in DERIVED_TABLES:
            for a, b in ((table, f"fresh.{table}"), (f"fresh.{table}", table)):
                extra = con.execute(
                    f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})"
                ).fetchone()[0]
                assert extra == 0, (a, b)
    finally:
        con.close()


@pytest.mark.parametrize("family", derived.FAMILIES)
def test_each_family_file_says_what_it_answers(family):
    text = (derived.DERIVED_DIR / f"{family}.sql").read_text(encoding="utf-8")
    assert text.startswith("-- ")
    for match in _DEFINED.finditer(text):  # a comment right above every definition
        above = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        assert above.startswith("-- "), match.group(2)
