"""Multi-statement actions are transactions with conditional updates: a double submit from two
sessions sends, confirms or reopens a batch once, edits never half-apply, batch numbers never
collide, and a repeated risk-weight save records nothing the second time."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from data import batches
from data.batches import workflow
from data.firerisk import risk
from data.setup import workdays
from data.store import audit
from tests.conftest import TINY


@pytest.fixture
def bid(tiny_con):
    plan = batches.plan(tiny_con, TINY, "S2", "2023-06", 1, 2, as_of=date(2023, 5, 20))
    return batches.save(tiny_con, plan, "t_street")


def _events(con, event: str) -> int:
    return con.execute(
        "SELECT count(*) FROM batch_event WHERE batch_id LIKE 'S2-%' AND event = ?", [event]
    ).fetchone()[0]


def _racing(monkeypatch, other):
    """Run OTHER (the second session's click) between this session's checks and its write."""
    real = workflow._active_count
    fired = []

    def count(con, batch_id):
        if not fired:
            fired.append(True)
            other()
        return real(con, batch_id)

    monkeypatch.setattr(workflow, "_active_count", count)


def test_send_twice_from_two_sessions_sends_once(tiny_con, bid, monkeypatch):
    other = tiny_con.cursor()
    _racing(monkeypatch, lambda: batches.send(other, bid, "t_b", ["S2"], on=date(2023, 5, 26)))
    with pytest.raises(batches.BatchError, match="未重复下发"):
        batches.send(tiny_con, bid, "t_a", ["S2"], on=date(2023, 5, 26))
    assert _events(tiny_con, "sent") == 1
    sent_by = tiny_con.execute("SELECT sent_by FROM batch WHERE batch_id = ?", [bid]).fetchone()
    assert sent_by == ("t_b",)


def test_confirm_and_reopen_twice_happen_once(tiny_con, bid, monkeypatch):
    batches.send(tiny_con, bid, "t", ["S2"], on=date(2023, 5, 26))
    other = tiny_con.cursor()
    _racing(monkeypatch, lambda: batches.confirm(other, bid, "t_b", ["S2"]))
    with pytest.raises(batches.BatchError, match="未重复确认"):
        batches.confirm(tiny_con, bid, "t_a", ["S2"])
    assert _events(tiny_con, "confirmed") == 1
    monkeypatch.undo()
    _racing(monkeypatch, lambda: batches.reopen(other, bid, "t_b", "改期", ["S2"]))
    with pytest.raises(batches.BatchError, match="未重复退回"):
        batches.reopen(tiny_con, bid, "t_a", "改期", ["S2"])
    assert _events(tiny_con, "withdrawn") == 1
    revision = tiny_con.execute("SELECT revision FROM batch WHERE batch_id = ?", [bid]).fetchone()
    assert revision == (2,)


def test_concurrent_edits_of_one_draft_never_half_apply(tiny_con, bid):
    june = workdays.working_days("2023-06")
    a, b = tiny_con.cursor(), tiny_con.cursor()
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def move(cur, day):
        barrier.wait()
        try:
            batches.move_item(cur, bid, "H7", 1, day, "t", ["S2"])
        except Exception as exc:  # anything else fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=move, args=(c, d)) for c, d in ((a, june[7]), (b, june[8]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    live = tiny_con.execute(
        "SELECT crew, day, count(*) FROM batch_item WHERE batch_id = ? AND removed_at IS NULL"
        " GROUP BY ALL",
        [bid],
    ).fetchall()
    assert sum(n for *_, n in live) == 3  # nobody lost, nobody doubled
    seqs = tiny_con.execute(
        "SELECT crew, day, list(seq ORDER BY seq) FROM batch_item WHERE batch_id = ?"
        " AND removed_at IS NULL GROUP BY ALL",
        [bid],
    ).fetchall()
    assert all(s == list(range(1, len(s) + 1)) for *_, s in seqs)  # orders stay whole
    assert all(isinstance(e, batches.BatchError) and "其他人" in str(e) for e in errors), errors
    assert audit.check(tiny_con)["ok"]


def test_batch_numbers_come_from_a_sequence(tiny_con, bid):
    plan = batches.plan(tiny_con, TINY, "S1", "2023-06", 1, 2, as_of=date(2023, 5, 20))
    # An older database already used S1-2023-06-2: the sequence skips it, nothing collides.
    tiny_con.execute(
        "INSERT INTO batch (batch_id, programme_id, street_id, month, crews, per_day, rules,"
        " created_by, created_at) VALUES ('S1-2023-06-2', ?, 'S1', '2023-06', 1, 2, '[]', 'x',"
        " now())",
        [TINY],
    )
    assert batches.save(tiny_con, plan, "t") == "S1-2023-06-3"


def test_repeated_risk_weight_save_records_once(tiny_con):
    factor = next(iter(risk.BY_KEY))
    first = risk.set_weights(tiny_con, TINY, {factor: 7.5}, "t")
    second = risk.set_weights(tiny_con, TINY, {factor: 7.5}, "t")
    assert list(first) == [factor] and second == {}
    rows = tiny_con.execute(
        "SELECT count(*) FROM risk_weight WHERE programme_id = ? AND factor = ?", [TINY, factor]
    ).fetchone()
    assert rows == (1,)
