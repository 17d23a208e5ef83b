"""Scope is required: every query that returns household, hazard, device or street rows takes
$street_ids, and leaving it out is an error (fail closed), never a district-wide answer."""

from __future__ import annotations

import re

import pytest

import queries
from tests.conftest import TINY

# Tables whose rows belong to a street (households and everything recorded about them).
SCOPED = re.compile(
    r"\b(household|household_status|hazard|installation|inspection|batch_item|batch|"
    r"batch_event|region_shapes|service_event|device_event)\b"
)
# Queries that read those tables without returning any of their rows, each with the reason.
UNSCOPED = {
    "assign_households": (
        "a statement placing every household (the write path); returns only the ids it moved,"
        " for the same write path's status refresh"
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
