"""Scope is required: every query that returns household, hazard, device or street rows takes
$street_ids, and leaving it out is an error (fail closed), never a district-wide answer. The
app's query helpers (dashboard.db) ask for it too, as a keyword every call must name."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import queries
from dashboard import db
from data.store import connection
from tests.conftest import TINY, load_tiny

ROOT = Path(__file__).resolve().parents[1]
HELPERS = (db.query, db.later, db.query_fresh)

# Tables whose rows belong to a street (households and everything recorded about them).
SCOPED = re.compile(
    r"\b(household|household_status|hazard|installation|inspection|batch_item|batch|"
    r"batch_event|region_shapes|service_event|device_event)\b"
)
# Queries that read those tables without returning any of their rows, each with the reason.
UNSCOPED = {
    "placement_reference": (
        "the test oracle and bench reference of the placement writer; never shown to a user"
    ),
    "data_status": "one district-wide row: latest date and a count, no household or street row",
    "programmes": "programme rows and the district's name",
}


@pytest.mark.parametrize("name", queries.names())
def test_queries_on_street_rows_take_the_scope(name):
    body = re.sub(r"--[^\n]*", "", queries.sql(name))
    reads = bool(SCOPED.search(body)) or bool(re.search(r"level\s*=\s*'street'", body))
    if reads and name not in UNSCOPED:
        assert "street_ids" in queries.parameters(name), f"{name} returns street rows unscoped"


def test_every_unscoped_exception_is_still_needed():
    for name in UNSCOPED:
        assert "street_ids" not in queries.parameters(name)


@pytest.mark.parametrize(
    "name", [n for n in queries.names() if "street_ids" in queries.parameters(n)]
)
def test_forgetting_the_scope_is_an_error(tiny_con, name):
    params = {p: None for p in queries.parameters(name) if p != "street_ids"}
    with pytest.raises(TypeError, match="必须指定查看范围 street_ids"):
        queries.bind(name, params)


def test_whole_district_is_said_explicitly(tiny_con):
    everyone = queries.run(tiny_con, "recent_imports", programme_id=TINY, limit=5, street_ids=None)
    assert len(everyone) == 1
    with pytest.raises(TypeError):
        queries.run(tiny_con, "recent_imports", programme_id=TINY, limit=5)


@pytest.mark.parametrize("helper", HELPERS, ids=lambda h: h.__name__)
def test_the_apps_helpers_take_the_scope_as_a_required_keyword(helper):
    scope = inspect.signature(helper).parameters["scope"]
    assert scope.kind is inspect.Parameter.KEYWORD_ONLY
    assert scope.default is inspect.Parameter.empty


@pytest.mark.parametrize("helper", HELPERS, ids=lambda h: h.__name__)
def test_an_app_call_without_the_scope_fails(helper):
    # Fails before the database is touched: no district-wide answer by omission.
    with pytest.raises(TypeError, match="scope"):
        helper("coverage_by_street", programme_id=TINY, as_of="2023-07-01")
    with pytest.raises(TypeError):
        helper("coverage_by_street", None, programme_id=TINY, as_of="2023-07-01")


def _helper_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in [ROOT / "streamlit_app.py", *sorted((ROOT / "dashboard").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "db"
                and node.func.attr in {h.__name__ for h in HELPERS}
            ):
                found.append((f"{path.relative_to(ROOT).as_posix()}:{node.lineno}", node))
    return found


def test_every_app_call_names_its_scope():
    # Also the branches no page test reaches: each call says whose rows it reads.
    calls = _helper_calls()
    assert len(calls) > 50
    for where, call in calls:
        keywords = {k.arg for k in call.keywords}
        assert "scope" in keywords, f"{where}: db.{call.func.attr} without scope="
        assert "street_ids" not in keywords, f"{where}: the scope goes in scope=, not street_ids="


def test_whole_district_is_a_named_choice(tmp_path, monkeypatch):
    path = tmp_path / "tiny.duckdb"
    con = connection.connect(path)
    try:
        load_tiny(con)
    finally:
        con.close()
    monkeypatch.setenv("ANJU_DB", str(path))
    try:
        for helper in (db.query, db.query_fresh, lambda *a, **k: db.later(*a, **k)()):
            every = helper(
                "region_shapes", scope=db.WHOLE_DISTRICT, programme_id=TINY, level="street"
            )
            west = helper("region_shapes", scope=["S1"], programme_id=TINY, level="street")
            none = helper("region_shapes", scope=[], programme_id=TINY, level="street")
            assert set(every["region_id"]) == {"S1", "S2"}
            assert list(west["region_id"]) == ["S1"]
            assert none.empty
        # A query that returns no street rows takes no scope: any scope gives the same rows.
        assert db.query("programmes", scope=["S1"]).equals(
            db.query("programmes", scope=db.WHOLE_DISTRICT)
        )
    finally:
        db._connection.clear()
