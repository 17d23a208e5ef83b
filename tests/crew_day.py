"""A sent batch whose crew-day is today in the demo's 华阳路, so that 入户登记 shows its today
list and forms: what the field and i18n page tests set up alike."""

from __future__ import annotations

import duckdb

from data.demos import demo
from data.store import clock

HUAYANG = "310105001"


def todays_batch(con: duckdb.DuckDBPyConnection, batch_id: str, n: int, reason: str) -> list[str]:
    """Put `n` surveyed, not yet installed households of 华阳路 (lowest ids first) in a sent batch
    `batch_id`, crew 1, visited today in that order for `reason`; their ids."""
    picks = [
        h
        for (h,) in con.execute(
            "SELECT household_id FROM household_status(?, ?) WHERE street_id = ? AND surveyed"
            " AND NOT installed AND NOT refused AND NOT gas_cut ORDER BY household_id LIMIT ?",
            [demo.PROGRAMME, clock.today(), HUAYANG, n],
        ).fetchall()
    ]
    con.execute(
        "INSERT INTO batch (batch_id, programme_id, street_id, month, crews, per_day, status,"
        " created_by, sent_by, sent_at) VALUES (?, ?, ?, ?, 1, 8, 'sent', 't', 't', now())",
        [batch_id, demo.PROGRAMME, HUAYANG, clock.today().strftime("%Y-%m")],
    )
    con.executemany(
        "INSERT INTO batch_item (batch_id, household_id, crew, day, seq, reason)"
        " VALUES (?, ?, 1, ?, ?, ?)",
        [[batch_id, h, clock.today(), seq, reason] for seq, h in enumerate(picks, start=1)],
    )
    return picks
