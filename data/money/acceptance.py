"""Acceptance (验收) up the chain: a street submits its month, the district body accepts or returns.

Seed 000 五: streets confirm completed installs, the district transport centre re-confirms them
monthly; seed 001: street self-acceptance, then the leading group; seed 002: the housing
department checks monthly. Who accepts is the programme's `acceptance_by`; in Anju that is the
leader role (and admin). Events are append-only (acceptance_event); the latest decides:

    (none) / returned / reopened --submit--> submitted --accept--> accepted --reopen--> reopened
                                             submitted --return--> returned

An accepted month is locked: installation imports that touch it are refused until it is reopened.
"""

from __future__ import annotations

import duckdb

import queries
from data.messages import UserError, UserPermissionError, Words
from data.money import finance_rules
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access

SUBMITTERS = {"street", "admin"}
REVIEWERS = {"leader", "admin"}
LABELS = {
    None: "未上报",
    "submitted": "已上报",
    "accepted": "已审核",
    "returned": "已退回",
    "reopened": "已重开",
}
# event → (states it may follow, roles allowed, reason required)
_RULES = {
    "submitted": ({None, "returned", "reopened"}, SUBMITTERS, False),
    "accepted": ({"submitted"}, REVIEWERS, False),
    "returned": ({"submitted"}, REVIEWERS, True),
    "reopened": ({"accepted"}, REVIEWERS, True),
}
_VERBS = {"submitted": "上报", "accepted": "审核通过", "returned": "退回", "reopened": "重开"}
_VERBS_EN = {
    "submitted": "submit",
    "accepted": "accept",
    "returned": "return",
    "reopened": "reopen",
}


def _verb(event: str) -> Words:
    return Words(_VERBS[event], _VERBS_EN[event])


def status(
    con: duckdb.DuckDBPyConnection, programme_id: str, month: str, street_ids: list[str] | None
):
    """Every street of the scope with its month's state (DataFrame, 状态 in Chinese)."""
    frame = queries.run(
        con, "acceptance_status", programme_id=programme_id, period=month, street_ids=street_ids
    )
    frame["状态"] = [LABELS.get(e if isinstance(e, str) else None, e) for e in frame["event"]]
    return frame


def state(con: duckdb.DuckDBPyConnection, programme_id: str, street_id: str, month: str):
    """The latest event of one street's month, or None."""
    row = queries.call(
        con, "acceptance.state", programme_id=programme_id, street_id=street_id, month=month
    ).fetchone()
    return row[0] if row else None


def allowed(user: access.User | None, event: str, street_id: str) -> bool:
    """Whether this user's role may record `event` for this street."""
    if user is None:
        return False
    if user.role == "street" and user.street_id != street_id:
        return False
    return user.role in _RULES[event][1]


def record(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    street_id: str,
    month: str,
    event: str,
    reason: str | None = None,
) -> None:
    """Submit, accept, return or reopen a street's month (audit-logged, one transaction)."""
    finance_rules.month_bounds(month)
    follows, _roles, needs_reason = _RULES[event]
    if not allowed(user, event, street_id):
        raise UserPermissionError("acceptance.no_right", username=user.username, verb=_verb(event))
    reason = (reason or "").strip() or None
    if needs_reason and not reason:
        raise UserError("acceptance.reason", verb=_verb(event))
    now = clock.now()
    with unit_of_work(con, user.username):
        current = state(con, programme_id, street_id, month)
        if current not in follows:
            raise ValueError(
                f"{month} 当前状态为「{LABELS.get(current, current)}」，不能{_VERBS[event]}。"
            )
        verified = queries.call(
            con, "acceptance.verified", programme_id=programme_id, street_id=street_id, month=month
        ).fetchone()[0]
        audit.logged_call(
            con,
            user.username,
            "acceptance",
            f"{programme_id}:{street_id}:{month}",
            {"event": event, "installations": verified, "reason": reason},
            "acceptance.insert_event",
            programme_id=programme_id,
            street_id=street_id,
            month=month,
            event=event,
            installations=verified,
            reason=reason,
            actor=user.username,
            event_at=now,
        )


def locked_months(con: duckdb.DuckDBPyConnection, programme_id: str) -> set[tuple[str, str]]:
    """(street_id, month) pairs whose latest event is accepted: their installations are locked."""
    rows = queries.call(con, "acceptance.locked", programme_id=programme_id).fetchall()
    return {(s, m) for s, m in rows}
