"""The stored-vs-recomputed check of a derived table: fill a scratch table with the
recomputation, read how many rows differ and the first of them, and always drop the scratch."""

from __future__ import annotations

import duckdb

import queries


def differences(
    con: duckdb.DuckDBPyConnection, *, fill: str, count: str, rows: str, drop: str, limit: int
) -> tuple[int, list[tuple]]:
    """(number of differing rows, the first `limit` of them), running the four named
    statements; the scratch table is dropped even when a read fails."""
    queries.call(con, fill)
    try:
        n = queries.call(con, count).fetchone()[0]
        first = queries.call(con, rows, limit=limit).fetchall()
    finally:
        queries.call(con, drop)
    return int(n), first
