"""Field work from a phone (入户登记): the one write path for what is recorded at the door.

Every entry — a visit, a refusal, a rectification, a gas cut-off or restoration, an installation,
a street verification, a helper's visit — is checked here (role, street scope, the programme's
rules, answered in Chinese), kept in `field_entry` as entered, applied to the event tables
(inspection / hazard / installation) and followed, in the same transaction, by
`household_state.refresh` and the audit log: every page counts it at once, and `anju check`
stays clean. Withdrawal undoes the effect and keeps the entry, its photos and the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

import queries
from data import batches
from data.fieldwork import photos
from data.fieldwork.field_common import (  # the door's words and lists, shared with field_rules
    DEFAULT_HAZARD_KINDS,
    HAZARD_DUE_DAYS,
    HELPER_CHECKS,
    KINDS,
    OUTCOMES,
    PAGE,
    TEXT_MAX,
    WITHDRAW_MINUTES,
    Entry,
    FieldError,
    device_choices,
    hazard_kinds,
    programme_settings,
)
from data.fieldwork.field_rules import plan
from data.messages import UserPermissionError, Words
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access

__all__ = [
    "DEFAULT_HAZARD_KINDS",
    "HAZARD_DUE_DAYS",
    "HELPER_CHECKS",
    "KINDS",
    "OUTCOMES",
    "PAGE",
    "TEXT_MAX",
    "WITHDRAW_MINUTES",
    "Entry",
    "FieldError",
    "device_choices",
    "hazard_kinds",
    "programme_settings",
]


# --------------------------------------------------------------------------- reading


def _check_view(user: access.User | None) -> access.User:
    if user is None or not access.can(user, PAGE):
        raise UserPermissionError("field.no_right")
    return user


def household(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    as_of: date | None = None,
) -> dict:
    """One household of the user's scope with its status today; PermissionError otherwise.

    A household outside the scope and one that does not exist get the same answer, so ids of
    other streets cannot be probed."""
    user = _check_view(user)
    rows = queries.run(
        con,
        "field_household",
        programme_id=programme_id,
        household_id=str(household_id)[:64],
        as_of=as_of or clock.today(),
        street_ids=access.scope(user),
    )
    if rows.empty:
        raise UserPermissionError("field.not_found")
    return rows.iloc[0].to_dict()


def search(
    con: duckdb.DuckDBPyConnection, user: access.User | None, programme_id: str, text: str
) -> pd.DataFrame:
    """Households of the user's scope by 户号, name, address or the phone's last four digits."""
    user = _check_view(user)
    needle = (text or "").strip()[:50]
    if len(needle) < 2:
        raise FieldError("field.search_short")
    return queries.run(
        con, "field_search", programme_id=programme_id, search=needle, street_ids=access.scope(user)
    )


def today_list(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    day: date | None = None,
) -> pd.DataFrame:
    """The crew-days of sent batches on `day` (default today, Beijing), in visit order, with a
    `geo:` link per household (opens the phone's map app)."""
    user = _check_view(user)
    first = day or clock.today()
    frame = queries.run(
        con,
        "field_today",
        programme_id=programme_id,
        date_from=first,
        date_to=first + timedelta(days=1),
        street_ids=access.scope(user),
    )
    frame["geo"] = [geo_link(lon, lat) for lon, lat in zip(frame["lon"], frame["lat"], strict=True)]
    return frame


def geo_link(lon: object, lat: object) -> str | None:
    """RFC 5870 `geo:lat,lon` (WGS84), or None without coordinates."""
    if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
        return None
    return f"geo:{float(lat):.6f},{float(lon):.6f}"


def timeline(
    con: duckdb.DuckDBPyConnection, user: access.User | None, programme_id: str, household_id: str
) -> pd.DataFrame:
    """The household's dated events, newest first (scope checked)."""
    household(con, user, programme_id, household_id)
    return queries.run(
        con,
        "field_timeline",
        programme_id=programme_id,
        household_id=household_id,
        street_ids=access.scope(user),
    )


def entries(
    con: duckdb.DuckDBPyConnection, user: access.User | None, programme_id: str, household_id: str
) -> pd.DataFrame:
    """The field entries of the household, withdrawn ones included (scope checked)."""
    household(con, user, programme_id, household_id)
    return queries.call(
        con, "field.entries", programme_id=programme_id, household_id=household_id
    ).df()


def devices(con: duckdb.DuckDBPyConnection, programme_id: str, household_id: str) -> pd.DataFrame:
    """The household's installations: device, serials, installed, warranty end, verification."""
    return queries.call(
        con, "field.devices", programme_id=programme_id, household_id=household_id
    ).df()


def hazards(con: duckdb.DuckDBPyConnection, programme_id: str, household_id: str) -> pd.DataFrame:
    """The household's hazards, open ones first (for the rectify / gas cut / restore forms)."""
    return queries.call(
        con, "field.hazards", programme_id=programme_id, household_id=household_id
    ).df()


# --------------------------------------------------------------------------- writing


def _conflict(exc: Exception) -> FieldError:
    return FieldError("field.conflict")


def record(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    entry: Entry,
    photo_store: Path | None = None,
) -> int:
    """Check and record one field entry; return its id.

    values by kind — visit: outcome (正常/有隐患/拒绝/不在家/无法整改), hazards (list of types),
    note · refusal: reason · rectified / gas_cut / gas_restored: hazard_id, note ·
    installation: device_types, serials {device_type: "SN1,SN2"}, installer, signed (bool) ·
    verification: note · helper_visit: helper, checks (HELPER_CHECKS), advice.
    Raises FieldError (a rule, in Chinese) or PermissionError (role or scope).
    """
    if user is None or not access.can(user, PAGE, access.W):
        raise UserPermissionError("field.no_right")
    hh = household(con, user, programme_id, household_id)
    kind = entry.kind
    key = str(entry.form_key)[:64] if entry.form_key else None
    done = _already(con, key, programme_id, household_id, kind)
    if done is not None:  # before the rules: a repeat must not be refused as a new entry
        return done
    if kind not in KINDS:
        raise FieldError("field.bad_kind", kinds=Words("、".join(KINDS.values()), ", ".join(KINDS)))
    when = entry.occurred_at
    if not isinstance(when, datetime):
        raise FieldError("field.need_datetime")
    now = clock.now()
    if when > now + timedelta(minutes=5):  # a phone clock a little fast is not the future
        raise FieldError("field.future")
    on = when.date()
    v = entry.values
    stored = photos.check_all(entry.photos)  # size and type before anything is written
    if stored and photo_store is None:
        photo_store = photos.store_for(con)
    apply = plan(con, user, programme_id, hh, kind, when, on, v)
    try:
        return _write(
            con, user, programme_id, household_id, entry, key, apply, stored, photo_store, now
        )
    except duckdb.ConstraintException:
        # The same form saved by a concurrent request that committed first: that entry stands.
        done = _already(con, key, programme_id, household_id, kind)
        if done is None:
            raise
        return done


def _already(
    con: duckdb.DuckDBPyConnection,
    key: str | None,
    programme_id: str,
    household_id: str,
    kind: str,
) -> int | None:
    """The entry already stored from the form KEY, if any; a key used for another household
    or kind is refused, not taken for this entry."""
    if key is None:
        return None
    row = queries.call(con, "field.entry_by_form_key", form_key=key).fetchone()
    if row is None:
        return None
    if tuple(row[1:]) != (programme_id, household_id, kind):
        raise FieldError("field.form_used", entry_id=int(row[0]))
    return int(row[0])


def _write(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    household_id: str,
    entry: Entry,
    key: str | None,
    apply: Callable[[int, str, datetime], dict],
    stored: list,
    photo_store: Path | None,
    now: datetime,
) -> int:
    kind, when, v = entry.kind, entry.occurred_at, entry.values
    with unit_of_work(con, user.username, conflict=_conflict) as uow:
        # Inside the transaction again: a repeat that arrived while the first was being written.
        done = _already(con, key, programme_id, household_id, kind)
        if done is not None:
            return done
        entry_id = queries.call(con, "field.next_entry_id").fetchone()[0]
        tag = f"field:{entry_id}"
        applied = apply(entry_id, tag, now)
        queries.call(
            con,
            "field.insert_entry",
            entry_id=entry_id,
            programme_id=programme_id,
            household_id=household_id,
            kind=kind,
            when=when,
            now=now,
            username=user.username,
            v=json.dumps(_bounded(v), ensure_ascii=False, default=str),
            applied=json.dumps(applied, ensure_ascii=False, default=str),
            form_key=key,
        )
        for up in stored:
            photos.save(con, photo_store, up, entry_id, programme_id, household_id, user, now)
        if kind == "installation":
            batches.mark_done_from_installations(con, programme_id)
        uow.touch(programme_id, [household_id])
        audit.log(
            con,
            user.username,
            f"field_{kind}",
            f"household:{programme_id}/{household_id}",
            {"entry_id": int(entry_id), "occurred_at": when.isoformat(), "photos": len(stored)}
            | {k: applied[k] for k in ("warning",) if k in applied},
        )
    return int(entry_id)


def _bounded(values: dict) -> dict:
    return {
        k: (v[:TEXT_MAX] if isinstance(v, str) else v) for k, v in values.items() if k != "photos"
    }


# --------------------------------------------------------------------------- withdrawal


_UNDO_COLUMNS = {
    "hazard": {
        "rectified_on",
        "rectified_recorded_at",
        "gas_cut_on",
        "gas_cut_recorded_at",
        "gas_restored_on",
        "restored_recorded_at",
    },
    "installation": {"verified_on", "verified_by", "verified_recorded_at"},
}
_UNDO_KEYS = {"hazard": "hazard_id", "installation": "device_type"}


def withdraw(
    con: duckdb.DuckDBPyConnection, user: access.User | None, entry_id: int, reason: str
) -> None:
    """Withdraw an entry: its author within 30 minutes, an administrator at any time, with a
    reason. Its effect leaves the event tables (and so every count); the entry stays, stamped."""
    if user is None or not access.can(user, PAGE, access.W):
        raise UserPermissionError("field.withdraw_right")
    row = queries.call(con, "field.entry", entry_id=int(entry_id)).fetchone()
    if row is None:
        raise FieldError("field.entry_not_found")
    pid, hid, kind, author, recorded_at, applied_raw, withdrawn_at = row
    household(con, user, pid, hid)  # scope: the same answer as for any other household
    why = (reason or "").strip()
    if len(why) < 2:
        raise FieldError("field.withdraw_reason")
    if withdrawn_at is not None:
        raise FieldError("field.already_withdrawn")
    if user.role != "admin":
        if author != user.username:
            raise UserPermissionError("field.withdraw_own_only")
        if clock.now() - recorded_at > timedelta(minutes=WITHDRAW_MINUTES):
            raise FieldError("field.withdraw_too_late", minutes=WITHDRAW_MINUTES)
    applied = json.loads(applied_raw)
    mine = set(applied.get("creates", [])) | set(applied.get("touches", []))
    later = queries.call(
        con, "field.later_entries", pid=pid, hid=hid, entry_id=int(entry_id)
    ).fetchall()
    for later_id, later_applied in later:
        if mine & set(json.loads(later_applied).get("touches", [])):
            raise FieldError("field.withdraw_later_first", later=later_id)
    tag = f"field:{int(entry_id)}"
    with unit_of_work(con, user.username, conflict=_conflict) as uow:
        for table in ("inspection", "hazard", "installation"):
            con.execute(
                f"DELETE FROM {table} WHERE programme_id = ? AND household_id = ?"
                " AND source_import_id = ?",
                [pid, hid, tag],
            )
        for step in applied.get("undo", []):
            table = step["table"]
            cols = [c for c in step["set"] if c in _UNDO_COLUMNS[table]]
            key_col = _UNDO_KEYS[table]
            con.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)}"
                f" WHERE programme_id = ? AND household_id = ? AND {key_col} = ?",
                [*(step["set"][c] for c in cols), pid, hid, step["key"][key_col]],
            )
        if kind == "installation":
            queries.call(con, "field.reopen_batch_items", hid=hid, pid=pid)
        queries.call(
            con,
            "field.mark_withdrawn",
            value1=clock.now(),
            username=user.username,
            value3=why[:TEXT_MAX],
            entry_id=int(entry_id),
        )
        uow.touch(pid, [hid])
        audit.log(
            con,
            user.username,
            "field_withdraw",
            f"household:{pid}/{hid}",
            {"entry_id": int(entry_id), "kind": kind, "reason": why[:TEXT_MAX]},
        )


def household_photos(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    store: Path | None = None,
    *,
    thumbs: bool = False,
) -> list[dict]:
    """The household's photos with their bytes (None if the file is missing or altered); the
    role and scope rules are those of the household's rows. `thumbs`: the stored thumbnails
    instead (what the card shows; the full image is never decoded to show it)."""
    household(con, user, programme_id, household_id)
    rows = photos.listing(con, programme_id, household_id)
    if rows:
        base = store or photos.store_for(con)
        read = photos.read_thumb if thumbs else photos.read
        for r in rows:
            r["data"] = read(base, r["sha256"], r["media_type"])
    return rows


def warning(con: duckdb.DuckDBPyConnection, entry_id: int) -> str | None:
    """The warning an entry was recorded with (e.g. gas restored later than the rules allow)."""
    row = queries.call(con, "field.warning", entry_id=int(entry_id)).fetchone()
    return row[0] if row else None
