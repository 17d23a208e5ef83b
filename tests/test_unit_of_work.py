"""The one write path: every writer commits through data.store.unit_of_work, in one order.

A change and its audit entry land together or not at all; the derived state of the households
a unit touched is recomputed before the commit; a unit inside a unit commits once.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.batches import workflow
from data.batches.common import BatchError, Plan
from data.households import household_state
from data.store import audit, unit_of_work
from data.store.unit_of_work import unit_of_work as uow_block
from tests.conftest import TINY

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("anju", "bench", "dashboard", "data", "documents", "geo", "queries")
# Transaction control outside the unit of work: the unit itself; migrations (DDL, one
# transaction per file, before any writer runs); the audit sealer, which chains committed
# entries on its own cursor after a unit has committed.
ALLOWED = {"data/store/unit_of_work.py", "data/store/migrations.py", "data/store/audit.py"}
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "ABORT", "END TRANSACTION")


def transaction_control() -> dict[str, list[int]]:
    """Lines that begin, commit or roll back a transaction, per module."""
    found: dict[str, list[int]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                name = node.func.attr
                text = ""
                if name in ("execute", "sql") and node.args:
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        text = arg.value.strip().upper()
                if name in ("begin", "commit", "rollback") or text.startswith(_CONTROL):
                    key = path.relative_to(ROOT).as_posix()
                    found.setdefault(key, []).append(node.lineno)
    return found


def test_no_writer_commits_outside_the_unit_of_work():
    outside = {m: lines for m, lines in transaction_control().items() if m not in ALLOWED}
    assert not outside, f"transaction control outside data/store/unit_of_work.py: {outside}"


def test_the_scan_sees_transaction_control(tmp_path, monkeypatch):
    # The rule above must be able to fail: a module that commits by hand is found.
    pkg = tmp_path / "data"
    pkg.mkdir()
    (pkg / "rogue.py").write_text(
        'def w(con):\n    con.execute("BEGIN TRANSACTION")\n    con.commit()\n', encoding="utf-8"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert transaction_control() == {"data/rogue.py": [2, 3]}


def _inspection(con, hid: str, on: date) -> None:
    con.execute(
        "INSERT INTO inspection (household_id, programme_id, visited_on, outcome)"
        " VALUES (?, ?, ?, 'hazard')",
        [hid, TINY, on],
    )


def _audit_count(con) -> int:
    return con.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_touched_households_are_refreshed_before_the_commit(tiny_con):
    before = _audit_count(tiny_con)
    with uow_block(tiny_con, "tester") as uow:
        _inspection(tiny_con, "H5", date(2023, 5, 2))
        uow.touch(TINY, ["H5"])
        uow.audit("test_write", "household:tiny/H5")
    assert household_state.differences(tiny_con)[0] == 0
    assert _audit_count(tiny_con) == before + 1
    # sealed: the entry joined the chain once committed
    assert (
        tiny_con.execute("SELECT count(*) FROM audit_log WHERE chain_seq IS NULL").fetchone()[0]
        == 0
    )


def test_a_write_whose_audit_entry_fails_does_not_land(tiny_con, monkeypatch):
    rows = tiny_con.execute("SELECT count(*) FROM inspection").fetchone()[0]

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "write", broken)
    with pytest.raises(RuntimeError), uow_block(tiny_con, "tester") as uow:
        _inspection(tiny_con, "H5", date(2023, 5, 2))
        uow.touch(TINY, ["H5"])
        uow.audit("test_write")
    assert tiny_con.execute("SELECT count(*) FROM inspection").fetchone()[0] == rows
    assert unit_of_work.current(tiny_con) is None


def test_a_failed_write_leaves_no_audit_entry(tiny_con):
    before = _audit_count(tiny_con)
    with pytest.raises(duckdb.Error), uow_block(tiny_con, "tester") as uow:
        uow.audit("never")
        tiny_con.execute("INSERT INTO inspection (household_id) VALUES (NULL)")
    assert _audit_count(tiny_con) == before


def test_a_unit_inside_a_unit_commits_once(tiny_con):
    before = _audit_count(tiny_con)
    with pytest.raises(RuntimeError), uow_block(tiny_con, "outer") as outer:
        audit.log(tiny_con, "inner", "inner_step")  # joins the open unit
        with uow_block(tiny_con, "inner2") as inner:
            assert inner is outer
            _inspection(tiny_con, "H6", date(2023, 5, 3))
        raise RuntimeError("the outer writer fails after the inner one returned")
    assert _audit_count(tiny_con) == before
    assert (
        tiny_con.execute(
            "SELECT count(*) FROM inspection WHERE household_id = 'H6' AND visited_on = '2023-05-03'"
        ).fetchone()[0]
        == 0
    )


def test_every_write_names_its_actor(tiny_con):
    with pytest.raises(ValueError, match="操作人"), uow_block(tiny_con, ""):
        pass


def test_batch_save_logs_inside_its_transaction(tiny_con, monkeypatch):
    # A saved batch and its audit entry land together: when the entry cannot be written the
    # batch is not stored either (it used to be logged after the commit).
    items = pd.DataFrame(
        {
            "household_id": ["H5"],
            "crew": [1],
            "day": [date(2023, 6, 1)],
            "seq": [1],
            "reason": ["x"],
        }
    )
    plan = Plan(
        programme_id=TINY,
        street_id="S2",
        month="2023-06",
        crews=1,
        per_day=5,
        items=items,
        rules=(),
        workdays=[date(2023, 6, 1)],
        held_back=items.iloc[:0],
        waiting=items.iloc[:0],
        travel_km=0.0,
        naive_km=0.0,
    )
    batches = tiny_con.execute("SELECT count(*) FROM batch").fetchone()[0]
    monkeypatch.setattr(audit, "write", lambda *a, **k: (_ for _ in ()).throw(RuntimeError()))
    with pytest.raises(RuntimeError):
        workflow.save(tiny_con, plan, "tiny_street")
    assert tiny_con.execute("SELECT count(*) FROM batch").fetchone()[0] == batches
    monkeypatch.undo()
    batch_id = workflow.save(tiny_con, plan, "tiny_street")
    assert (
        tiny_con.execute(
            "SELECT count(*) FROM audit_log WHERE object = ?", [f"batch:{batch_id}"]
        ).fetchone()[0]
        == 1
    )
    with pytest.raises(BatchError):
        workflow.save(tiny_con, dataclasses.replace(plan, items=items.iloc[:0]), "x")
