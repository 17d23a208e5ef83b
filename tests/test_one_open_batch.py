"""A household is in one open batch at a time: two plans for the same street and month, saved
by two sessions at once or one after the other from stale screens, never both keep it; the
loser is told which households, and an audit entry exists exactly for what was committed."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from data import batches
from data.batches import workflow
from tests.conftest import TINY

AS_OF = date(2023, 5, 20)


def _plan(con):
    return batches.plan(con, TINY, "S2", "2023-06", 1, 2, as_of=AS_OF)


def _state(con) -> tuple[list, list]:
    saved = sorted(
        r[0] for r in con.execute("SELECT batch_id FROM batch WHERE month = '2023-06'").fetchall()
    )
    logged = sorted(
        r[0].removeprefix("batch:")
        for r in con.execute(
            "SELECT object FROM audit_log WHERE action = 'batch_status'"
            " AND json_extract_string(detail, '$.status') = 'draft'"
        ).fetchall()
    )
    return saved, logged


def _open_items(con) -> dict[str, int]:
    rows = con.execute(
        "SELECT household_id, count(*) FROM batch_item WHERE removed_at IS NULL"
        " AND done_on IS NULL GROUP BY ALL"
    ).fetchall()
    return dict(rows)


def test_a_plan_from_a_stale_screen_is_refused_naming_the_households(tiny_con):
    first, second = _plan(tiny_con), _plan(tiny_con)  # two sessions proposed before either saved
    held = sorted(first.items["household_id"])
    won = batches.save(tiny_con, first, "t_a")
    with pytest.raises(batches.BatchError) as err:
        batches.save(tiny_con, second, "t_b")
    assert all(h in str(err.value) for h in held), str(err.value)
    assert won in str(err.value)
    assert max(_open_items(tiny_con).values()) == 1
    saved, logged = _state(tiny_con)
    assert saved == logged == [won]


def test_two_sessions_saving_at_once_one_wins(tiny_con, monkeypatch):
    # The other session saves and commits while this one's transaction is open, after this one
    # has looked: only the schema can still stop the second copy.
    a, b = tiny_con.cursor(), tiny_con.cursor()
    mine, theirs = _plan(a), _plan(b)
    real = workflow._overlaps
    won: list[str] = []
    fired: list[bool] = []

    def racing(con, *args, **kwargs):
        found = real(con, *args, **kwargs)
        if not fired:
            fired.append(True)
            won.append(batches.save(b, theirs, "t_b"))
        return found

    monkeypatch.setattr(workflow, "_overlaps", racing)
    with pytest.raises(batches.BatchError) as err:
        batches.save(a, mine, "t_a")
    assert all(h in str(err.value) for h in mine.items["household_id"]), str(err.value)
    assert max(_open_items(tiny_con).values()) == 1
    saved, logged = _state(tiny_con)
    assert saved == logged == won


def _race(curs, plans) -> list[object]:
    """Both sessions click 保存 at the same moment; each gets a batch id or an exception."""
    barrier = threading.Barrier(2)
    results: list[object] = []

    def save(cur, plan, who):
        barrier.wait()
        try:
            results.append(batches.save(cur, plan, who))
        except Exception as exc:  # judged by the caller
            results.append(exc)

    threads = [
        threading.Thread(target=save, args=(c, p, f"t{i}"))
        for i, (c, p) in enumerate(zip(curs, plans, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_threads_racing_to_save_overlapping_plans(tiny_con):
    for _round in range(3):
        curs = [tiny_con.cursor(), tiny_con.cursor()]
        plans = [_plan(c) for c in curs]
        results = _race(curs, plans)
        wins = [r for r in results if isinstance(r, str)]
        losses = [r for r in results if not isinstance(r, str)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert isinstance(losses[0], batches.BatchError), repr(losses[0])
        assert any(h in str(losses[0]) for h in plans[0].items["household_id"]), str(losses[0])
        assert max(_open_items(tiny_con).values()) == 1
        saved, logged = _state(tiny_con)
        assert saved == logged
        tiny_con.execute("UPDATE batch_item SET removed_at = now()")  # free them for next round
        for c in curs:
            c.close()
