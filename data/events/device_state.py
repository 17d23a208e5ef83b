"""The stored device summary (device_state): the one write path that keeps it
equal to installations, households and platform events, and the check that proves it.

`data.households.household_state.refresh` calls `refresh` for the households it refreshes (every writer of
households and installations goes through it); the platform-event import and the demo build
call it for the devices whose events they wrote. Same transaction as the write.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

import queries
from data.store import recheck


def refresh(
    con: duckdb.DuckDBPyConnection,
    programme_id: str | None,
    household_ids: Iterable[str] | None = None,
    serials: Iterable[str] | None = None,
) -> None:
    """Recompute the rows of some households' devices and/or some serials (both None: all)
    of a programme (None: all), inside the caller's transaction when there is one."""
    hids = None if household_ids is None else sorted({str(h) for h in household_ids})
    sers = None if serials is None else sorted({str(s) for s in serials})
    if (hids is not None and not hids) or (sers is not None and not sers):
        return
    params = {"programme_id": programme_id, "household_ids": hids, "serials": sers}
    queries.call(con, "device_state.delete", **params)
    queries.call(con, "device_state.insert", **params)


def differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Rows of device_state that differ from a recomputation: (count, first `limit` as
    (programme_id, serial, household_id, '已存' | '重算', last_event_at))."""
    return recheck.differences(
        con,
        fill="device_state.check_fill",
        count="device_state.check_count",
        rows="device_state.check_rows",
        drop="device_state.check_drop",
        limit=limit,
    )
