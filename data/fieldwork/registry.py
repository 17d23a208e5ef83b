"""Seed 004's registry kept alive from the door (动态更新): add a person found on a visit,
mark one who left (moved away, deceased, entered care, no longer alone) from a date, change the
one-to-one helper. The write path: role and scope checks, a registry_change row, the audit log
and `household_state.refresh`, in one transaction.
"""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb

import queries
from data.fieldwork import field
from data.messages import UserPermissionError, Words
from data.store import clock
from data.store.unit_of_work import unit_of_work
from data.users import access

LEFT_REASONS: dict[str, str] = {
    "moved": "迁出",
    "deceased": "去世",
    "care": "入住养老机构",
    "not_alone": "不再独居",
}
DEFAULT_HELPER_TYPES = ("村（社区）干部", "网格员", "志愿者", "其他")
_PHONE = re.compile(r"1\d{10}|0\d{2,3}-?\d{7,8}")


def helper_types(con: duckdb.DuckDBPyConnection, programme_id: str) -> list[str]:
    """The helper types of the programme's template (seed 004 三(2)), else the seed's list."""
    named = (field.programme_settings(con, programme_id).get("helpers") or {}).get("types")
    return [str(t) for t in named] if named else list(DEFAULT_HELPER_TYPES)


def _date(on: object) -> date:
    if not isinstance(on, date):
        raise field.FieldError("registry.need_date")
    if on > clock.today():
        raise field.FieldError("registry.future")
    return on


def _change(
    con,
    user: access.User,
    pid: str,
    hid: str,
    change: str,
    on: date,
    detail: dict,
    statement: str,
    /,
    **params: object,
) -> None:
    """One registry change in one unit: `statement` run with `params`, the change kept in
    registry_change (with `detail`), the household touched and the change audited."""
    with unit_of_work(con, user.username) as uow:
        queries.call(con, statement, **params)
        queries.call(
            con,
            "registry.write",
            pid=pid,
            hid=hid,
            change=change,
            on=on,
            detail=json.dumps(detail, ensure_ascii=False, default=str),
            username=user.username,
            value7=clock.now(),
        )
        uow.touch(pid, [hid])
        uow.audit(f"registry_{change}", f"household:{pid}/{hid}", detail)


def _editor(user: access.User | None) -> access.User:
    if user is None or not access.can(user, field.PAGE, access.W):
        raise UserPermissionError("registry.no_right")
    return user


def mark_left(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    reason: str,
    on: object,
) -> None:
    """The person leaves the registry from `on` (moved / deceased / care / not_alone)."""
    user = _editor(user)
    hh = field.household(con, user, programme_id, household_id)
    if reason not in LEFT_REASONS:
        raise field.FieldError(
            "registry.pick_reason",
            reasons=Words("、".join(LEFT_REASONS.values()), ", ".join(LEFT_REASONS)),
        )
    day = _date(on)
    registered, left = queries.call(
        con, "registry.left_state", programme_id=programme_id, household_id=hh["household_id"]
    ).fetchone()
    if left is not None:
        raise field.FieldError("registry.already_left", day=left)
    if registered is not None and day < registered:
        raise field.FieldError("registry.before_registered", day=registered)
    _change(
        con,
        user,
        programme_id,
        household_id,
        "left",
        day,
        {"reason": LEFT_REASONS[reason], "left_on": day.isoformat()},
        "registry.set_left",
        day=day,
        reason=reason,
        programme_id=programme_id,
        household_id=household_id,
    )


def change_helper(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    name: str,
    helper_type: str,
    phone: str,
    on: object,
) -> None:
    """A new one-to-one helper from `on` (old → new kept in registry_change and the audit log)."""
    user = _editor(user)
    hh = field.household(con, user, programme_id, household_id)
    new_name = (name or "").strip()[:50]
    if not new_name:
        raise field.FieldError("registry.helper_name")
    if helper_type not in helper_types(con, programme_id):
        raise field.FieldError(
            "registry.helper_type", types="、".join(helper_types(con, programme_id))
        )
    tel = re.sub(r"\s", "", phone or "")
    if not _PHONE.fullmatch(tel):
        raise field.FieldError("registry.helper_phone")
    day = _date(on)
    old = {k: hh.get(k) for k in ("helper_name", "helper_type", "helper_phone")}
    _change(
        con,
        user,
        programme_id,
        household_id,
        "helper",
        day,
        {
            "old": old,
            "new": {"helper_name": new_name, "helper_type": helper_type, "helper_phone": tel},
        },
        "registry.change_helper",
        new_name=new_name,
        helper_type=helper_type,
        tel=tel,
        programme_id=programme_id,
        household_id=household_id,
    )


def add_person(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    values: dict,
    on: object,
) -> str:
    """Add a person found on a visit to the registry of the user's street; the new 户号."""
    user = _editor(user)
    street = values.get("street_id")
    if user.role == "street":
        street = user.street_id
    community = values.get("community_id")
    ok = queries.call(
        con, "registry.community_in_street", community=community, street=street
    ).fetchone()[0]
    if not ok:
        raise field.FieldError("registry.pick_community")
    name = (values.get("name") or "").strip()[:50]
    address = (values.get("address") or "").strip()[:200]
    if not name:
        raise field.FieldError("registry.need_name")
    if not address:
        raise field.FieldError("registry.need_address")
    sex = values.get("sex")
    if sex not in ("男", "女"):
        raise field.FieldError("registry.need_sex")
    birth = values.get("birth_year")
    if not isinstance(birth, int) or not 1900 <= birth <= clock.today().year - 60:
        raise field.FieldError("registry.too_young")
    phone = re.sub(r"\s", "", values.get("phone") or "")
    if phone and not _PHONE.fullmatch(phone):
        raise field.FieldError("registry.phone")
    day = _date(on)
    n = queries.call(con, "registry.added_count", programme_id=programme_id).fetchone()[0]
    hid = f"ADD-{street}-{n + 1:04d}"
    _change(
        con,
        user,
        programme_id,
        hid,
        "added",
        day,
        {"street_id": street, "community_id": community, "registered_on": day.isoformat()},
        "registry.insert_person",
        hid=hid,
        programme_id=programme_id,
        street=street,
        community=community,
        address=address,
        person_name=name,
        sex=sex,
        birth=birth,
        phone=phone or None,
        gas_type=values.get("gas_type") or "none",
        day=day,
    )
    return hid


def history(con: duckdb.DuckDBPyConnection, programme_id: str, household_id: str) -> list[dict]:
    """The registry changes of one household, newest first (the caller checked its scope)."""
    cur = queries.call(
        con, "registry.history", programme_id=programme_id, household_id=household_id
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
