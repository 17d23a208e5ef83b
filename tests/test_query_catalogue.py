"""Every named query, generically, on the tiny programme of conftest.py: each runs, documents
its name and parameters, and binds its parameters strictly. The expected numbers of the page
queries are in tests/test_queries.py."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
import pytest

import queries
from tests.conftest import TINY

MAY20 = date(2023, 5, 20)  # H1 installed
MAY31 = date(2023, 5, 31)  # last day of the install phase


# ---------------------------------------------------------------- every query, generically

GENERIC = {
    "programme_id": TINY,
    "as_of": MAY20,
    "dates": [MAY20, MAY31],  # street_rankings
    "known_at": datetime(2023, 5, 21),
    "street_ids": None,
    "level": "street",
    "cut_days": 7,
    "restore_hours": 24,
    "days_after_survey": 30,
    "warning_days": 90,
    "report": "加装报警器确认表",
    "household_id": "H2",
    "actor": None,
    "action": None,
    "text": None,
    "date_from": date(2000, 1, 1),
    "date_to": date(2100, 1, 1),
    "limit": 10,
    "offset": 0,  # paged lists
    "search": None,
    "accepted_only": False,  # settlement: months not accepted stay out
    "checked_only": False,  # settlement: months whose spot-check sample is unchecked stay out
    "items": ["device"],  # settlement_residents_page: the resident pays 1/3 of the device
    "num": [1],
    "den": [3],
    "month": date(2023, 5, 1),
    "factor": "smoker",
    "weight": 3.0,
    "changed_by": "test",
    "batch_id": "B1",
    # 6
    "period": "2023-05",
    "start": date(2023, 5, 1),
    "end": date(2023, 6, 1),
    "month_start": date(2023, 5, 1),
    "month_end": date(2023, 6, 1),
    "scope": "当月完工",
    # 7
    "group": "street",
    # scale-fire: the visit list's filters and the hotspot / alarm households.
    "street": "S1",
    "community": None,
    "resolution": 9,
    "hot_cells": [],
    "hot_communities": ["C1"],
    "hot_conf": [95],
}
_STATEMENT = re.compile(r"^\s*(UPDATE|INSERT|DELETE|MERGE)\b", re.IGNORECASE)


def _is_statement(name: str) -> bool:
    return bool(_STATEMENT.match(re.sub(r"--[^\n]*", "", queries.sql(name))))


def test_there_are_queries_to_check():
    assert {"placement_reference", "programme_kpis", "coverage_by_street"} <= set(queries.names())
    # Named queries only read: every write is a statement of queries/statements/, run by a
    # writer inside the unit of work.
    assert not [n for n in queries.names() if _is_statement(n)]


# The tiny programme prices no device, so nothing of it is settled: a query about settled
# lines gets the price of its alarm first.
PRICED = {"settlement_residents_page"}
# Every tiny household has its roster's point: the 待定位 list gets one placed by community only.
UNLOCATED = {"locate_pending"}


@pytest.mark.parametrize("name", queries.names())
def test_every_query_runs_on_the_tiny_programme(tiny_con, name):
    if name in PRICED:
        tiny_con.execute(
            "INSERT INTO device_type (programme_id, device_type, name, gas_type, unit_price_cny)"
            " VALUES (?, 'ng_alarm_valve', '报警器', 'piped', 890)",
            [TINY],
        )
    if name in UNLOCATED:
        tiny_con.execute(
            "UPDATE household SET lon = NULL, lat = NULL, loc_level = 'community'"
            " WHERE programme_id = ? AND household_id = 'H1'",
            [TINY],
        )
    wanted = queries.parameters(name)
    assert wanted <= set(GENERIC), f"add a generic value for {wanted - set(GENERIC)} to GENERIC"
    params = {k: GENERIC[k] for k in wanted}
    if _is_statement(name):
        before = tiny_con.execute("SELECT * FROM household ORDER BY household_id").fetchall()
        queries.execute(tiny_con, name, **params)
        # The fixture already ran every statement once; running it again must change nothing.
        after = tiny_con.execute("SELECT * FROM household ORDER BY household_id").fetchall()
        assert after == before
    else:
        df = queries.run(tiny_con, name, **params)
        assert isinstance(df, pd.DataFrame)
        assert len(df) > 0


@pytest.mark.parametrize("name", queries.names())
def test_every_query_documents_its_name_and_parameters(name):
    text = queries.sql(name)
    assert text.startswith(f"-- name: {name} "), "first line must be '-- name: <file stem> — ...'"
    params_line = re.search(r"^-- params:(.*)$", text, re.MULTILINE)
    assert params_line, "missing '-- params:' line"
    assert set(re.findall(r"\$([a-z_][a-z0-9_]*)", params_line.group(1))) == queries.parameters(
        name
    )


# ---------------------------------------------------------------- parameter binding


def test_run_rejects_a_missing_parameter(tiny_con):
    with pytest.raises(TypeError, match="as_of"):
        queries.run(tiny_con, "programme_kpis", programme_id=TINY, street_ids=None)


def test_run_rejects_an_unknown_parameter(tiny_con):
    with pytest.raises(TypeError, match="street"):
        queries.run(tiny_con, "data_status", programme_id=TINY, street="S1")


def test_execute_rejects_bad_parameters(tiny_con):
    with pytest.raises(TypeError):
        queries.run(tiny_con, "placement_reference")
    with pytest.raises(TypeError):
        queries.run(tiny_con, "placement_reference", programme_id=TINY, as_of=MAY20)


def test_street_scope_is_required_and_is_stringified(tiny_con):
    with pytest.raises(TypeError, match="street_ids"):
        queries.bind("programme_kpis", {"programme_id": TINY, "as_of": MAY20})
    whole = {"programme_id": TINY, "as_of": MAY20, "street_ids": None}
    assert queries.bind("programme_kpis", whole) == whole | {"known_at": None}
    assert queries.bind("region_shapes", {"programme_id": 1, "level": "x", "street_ids": (1, 2)})[
        "street_ids"
    ] == ["1", "2"]


def test_unknown_query_name():
    with pytest.raises(KeyError):
        queries.sql("no_such_query")


def test_parameters_come_from_the_body_not_from_comments(tmp_path, monkeypatch):
    (tmp_path / "probe_params.sql").write_text(
        "-- name: probe_params — a $ghost in a comment is not a parameter\n"
        "SELECT $x AS x -- nor is $trailing\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(queries, "SQL_DIR", tmp_path)
    queries.sql.cache_clear()
    try:
        assert queries.names() == ["probe_params"]
        assert queries.parameters("probe_params") == {"x"}
    finally:
        queries.sql.cache_clear()
