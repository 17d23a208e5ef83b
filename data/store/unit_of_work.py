"""The one write path: every change to stored data is one unit of work.

    with unit_of_work(con, actor) as uow:
        ...write rows...
        uow.touch(programme_id, household_ids)     # their derived state is refreshed
        uow.audit("action", "object", {...})       # the entry lands with the change

On leaving the block, in this order and in this one place: the touched households' derived
state (status spans, area changes, devices, H3 cells, fire-risk scores; devices touched by
serial; scores of a programme whose weights changed) is recomputed, the audit
entries are written, the transaction commits, and the committed entries are sealed into the
chain. Any exception rolls everything back, audit entries included, so the log never describes
a change that did not happen and no change lands without its entry.

A unit opened while another is open on the same connection joins it: a writer that calls
another writer commits once, at the outermost block.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import duckdb

from data.events import device_state
from data.firerisk import risk_state
from data.households import household_state
from data.store import audit

_OPEN: dict[int, Unit] = {}
_OPEN_LOCK = threading.Lock()


@dataclass
class Unit:
    """What one unit of work has touched and will log; see the module docstring."""

    con: duckdb.DuckDBPyConnection
    actor: str
    # programme_id → household ids, or None for the whole programme; key None: every programme
    _touched: dict[str | None, set[str] | None] = field(default_factory=dict)
    _devices: list[tuple[str | None, set[str]]] = field(default_factory=list)
    _scores: set[str | None] = field(default_factory=set)
    _entries: list[tuple[str, str, str | None, dict | None]] = field(default_factory=list)

    def touch(
        self, programme_id: str | None, household_ids: Iterable[object] | None = None
    ) -> None:
        """Mark households (None: all of the programme; programme None: every programme) whose
        derived state must be recomputed before the commit."""
        if None in self._touched and self._touched[None] is None:
            return
        if household_ids is None:
            self._touched[programme_id] = None
            return
        ids = {str(h) for h in household_ids}
        if not ids:
            return
        current = self._touched.setdefault(programme_id, set())
        if current is not None:
            current.update(ids)

    def touch_devices(self, programme_id: str | None, serials: Iterable[object]) -> None:
        """Mark device serials whose stored state must follow their new events."""
        self._devices.append((programme_id, {str(s) for s in serials}))

    def touch_scores(self, programme_id: str | None) -> None:
        """Mark a programme whose fire-risk scores must be recomputed (its weights changed)."""
        self._scores.add(programme_id)

    def audit(
        self,
        action: str,
        object: str | None = None,
        detail: dict | None = None,
        *,
        actor: str | None = None,
    ) -> None:
        """Queue an audit entry; it is written in the same transaction, just before the commit."""
        self._entries.append((actor or self.actor, action, object, detail))

    def refresh(self) -> None:
        """Recompute the derived state touched so far, now (for a writer that reads it back
        before the unit ends); whatever is touched later is refreshed at the end as usual."""
        touched, self._touched = self._touched, {}
        if None in touched and touched[None] is None:
            touched = {None: None}
        for programme_id, ids in sorted(touched.items(), key=lambda kv: str(kv[0])):
            household_state.refresh(self.con, programme_id, ids)
        devices, self._devices = self._devices, []
        for programme_id, serials in devices:
            device_state.refresh(self.con, programme_id, serials=serials)
        scores, self._scores = self._scores, set()
        for programme_id in sorted(scores, key=str):
            risk_state.refresh(self.con, programme_id)

    def _finish(self) -> None:
        self.refresh()
        for actor, action, object, detail in self._entries:
            audit.write(self.con, actor, action, object, detail)
        self._entries.clear()


def current(con: duckdb.DuckDBPyConnection) -> Unit | None:
    """The unit of work open on CON, if any."""
    with _OPEN_LOCK:
        return _OPEN.get(id(con))


@contextlib.contextmanager
def unit_of_work(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    *,
    conflict: Callable[[duckdb.TransactionException], Exception] | None = None,
) -> Iterator[Unit]:
    """Open (or join) the unit of work on CON for ACTOR; see the module docstring.

    CONFLICT turns DuckDB's refusal of a concurrent change (a double click from two sessions)
    into the caller's own error, e.g. a Chinese message that nothing was changed.
    """
    outer = current(con)
    if outer is not None:
        yield outer
        return
    if not actor:
        raise ValueError("写入必须记明操作人")
    unit = Unit(con, actor)
    with _OPEN_LOCK:
        _OPEN[id(con)] = unit
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            yield unit
            unit._finish()
            con.execute("COMMIT")
        except duckdb.TransactionException as exc:  # a conflict, at a statement or at commit
            with contextlib.suppress(duckdb.Error):  # DuckDB may have rolled it back already
                con.execute("ROLLBACK")
            if conflict is not None:
                raise conflict(exc) from exc
            raise
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
    finally:
        with _OPEN_LOCK:
            _OPEN.pop(id(con), None)
    audit.seal(con)
