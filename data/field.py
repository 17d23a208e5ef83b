"""Field work from a phone (入户登记, issue 12): the one write path for what is recorded at the door.

Every entry — a visit, a refusal, a rectification, a gas cut-off or restoration, an installation,
a street verification, a helper's visit — is checked here (role, street scope, the programme's
rules, answered in Chinese), kept in `field_entry` as entered, applied to the event tables
(inspection / hazard / installation) and followed, in the same transaction, by
`household_state.refresh` and the audit log: every page counts it at once, and `anju check`
stays clean. Withdrawal undoes the effect and keeps the entry, its photos and the audit trail.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

import queries
from data import access, audit, batches, briefing, clock, photos
from data.messages import UserError, UserPermissionError, Words
from data.unit_of_work import unit_of_work

PAGE = "field"
WITHDRAW_MINUTES = 30
TEXT_MAX = 200

KINDS: dict[str, str] = {
    "visit": "入户检查",
    "refusal": "拒绝入户",
    "rectified": "隐患整改",
    "gas_cut": "停气",
    "gas_restored": "恢复供气",
    "installation": "安装",
    "verification": "街道验收",
    "helper_visit": "帮扶走访",
}
# The outcome labels of seed 000's safety check, as the inspection table stores them.
OUTCOMES: dict[str, str] = {
    "正常": "ok",
    "有隐患": "hazard",
    "拒绝": "refused",
    "不在家": "not_home",
    "无法整改": "unfixable",
}
# Seed 004 三(2): what a helper checks at each visit.
HELPER_CHECKS = ("电气线路", "燃气", "炉灶", "易燃可燃物")
# The same words in English, for messages shown in English mode.
OUTCOMES_EN = ("normal", "hazard found", "refused", "not at home", "cannot be fixed")
HELPER_CHECKS_EN = ("wiring", "gas", "stove", "flammables")
# Used when a programme names no hazard types and has none recorded yet (seed 000 四).
DEFAULT_HAZARD_KINDS = ("胶管老化或超期", "灶具无熄火保护", "私接燃气管道", "燃气泄漏", "其他")
HAZARD_DUE_DAYS = 30  # as the demo and the importers' 整改期限 default
_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{3,39}")


class FieldError(UserError):
    """A field entry that breaks a rule; the message says what to fix (Chinese, or English)."""


def _listed(zh: tuple[str, ...] | dict[str, str], en: tuple[str, ...]) -> Words:
    return Words("、".join(zh), ", ".join(en))


@dataclass
class Entry:
    """One form as entered on the page. `values` depend on the kind (see `record`)."""

    kind: str
    occurred_at: datetime
    values: dict = field(default_factory=dict)
    photos: list[photos.Upload] = field(default_factory=list)


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


def hazard_kinds(con: duckdb.DuckDBPyConnection, programme_id: str) -> list[str]:
    """Hazard types of the programme: its settings' `hazard_kinds`, else those it has recorded,
    else the seed-000 list."""
    settings = programme_settings(con, programme_id)
    named = settings.get("hazard_kinds")
    if isinstance(named, list) and named:
        return [str(k) for k in named]
    seen = [
        r[0] for r in queries.call(con, "field.hazard_kinds", programme_id=programme_id).fetchall()
    ]
    return seen or list(DEFAULT_HAZARD_KINDS)


def device_choices(
    con: duckdb.DuckDBPyConnection, programme_id: str, gas_type: str | None
) -> dict[str, str]:
    """Device sets of the programme that fit the household's gas type: device_type → name."""
    rows = queries.call(
        con, "field.device_choices", programme_id=programme_id, gas_type=gas_type
    ).fetchall()
    return dict(rows)


def programme_settings(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict:
    """The programme's settings (its template beyond the columns) as a dict."""
    row = queries.call(con, "field.programme_settings", programme_id=programme_id).fetchone()
    if row is None:
        raise FieldError("field.no_programme")
    raw = row[0]
    return json.loads(raw) if isinstance(raw, str) and raw else (raw or {})


# --------------------------------------------------------------------------- validation


def _text(values: dict, key: str, label: Words, required: bool = False) -> str | None:
    raw = values.get(key)
    text = str(raw).strip() if raw is not None else ""
    if not text:
        if required:
            raise FieldError("field.required", label=label)
        return None
    if len(text) > TEXT_MAX:
        raise FieldError("field.too_long", label=label, limit=TEXT_MAX)
    return text


def _hazard(con, programme_id: str, household_id: str, values: dict) -> dict:
    hid = values.get("hazard_id")
    row = queries.call(
        con,
        "field.hazard",
        programme_id=programme_id,
        household_id=household_id,
        hid=str(hid or ""),
    ).fetchone()
    if row is None:
        raise FieldError("field.pick_hazard")
    cols = [
        "hazard_id",
        "kind",
        "found_on",
        "rectified_on",
        "gas_cut_on",
        "gas_restored_on",
        "rectified_recorded_at",
        "gas_cut_recorded_at",
        "restored_recorded_at",
    ]
    return dict(zip(cols, row, strict=True))


def _last_outcome(con, programme_id: str, household_id: str, on: date) -> str | None:
    row = queries.call(
        con, "field.last_outcome", programme_id=programme_id, household_id=household_id, on=on
    ).fetchone()
    return row[0] if row else None


def _serials(con, programme_id: str, values: dict, chosen: list[str]) -> dict[str, list[str]]:
    given = values.get("serials") or {}
    out: dict[str, list[str]] = {}
    seen: set[str] = set()
    for dev in chosen:
        raw = str(given.get(dev) or "")
        parts = [p.strip() for p in re.split(r"[,，;；\s]+", raw) if p.strip()]
        if not parts:
            raise FieldError("field.serial_missing", device=dev)
        for s in parts:
            if not _SERIAL.fullmatch(s):
                raise FieldError("field.serial_format", serial=s[:40])
            if s.upper() in seen:
                raise FieldError("field.serial_repeated", serial=s)
            seen.add(s.upper())
        out[dev] = parts
    taken = queries.call(
        con, "field.serials", programme_id=programme_id, seen=sorted(seen)
    ).fetchall()
    if taken:
        raise FieldError("field.serial_taken", serials=", ".join(sorted(t[0] for t in taken)))
    return out


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
    apply = _plan(con, user, programme_id, hh, kind, when, on, v)
    with unit_of_work(con, user.username, conflict=_conflict) as uow:
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


def _plan(con, user, programme_id: str, hh: dict, kind: str, when: datetime, on: date, v: dict):
    """Validate an entry and return the function that applies it inside the transaction.

    `applied` records what it did: inserted rows carry the entry's tag; updates keep the
    previous values (`undo`); `touches` names the hazard / installation rows it depends on."""
    hid = hh["household_id"]
    pid = programme_id

    if kind in ("visit", "refusal", "helper_visit"):
        if kind == "visit":
            label = v.get("outcome")
            if label not in OUTCOMES:
                raise FieldError("field.pick_outcome", outcomes=_listed(OUTCOMES, OUTCOMES_EN))
            outcome = OUTCOMES[label]
            kinds = [str(k) for k in v.get("hazards") or []]
            allowed = set(hazard_kinds(con, pid))
            if outcome == "hazard" and not kinds:
                raise FieldError("field.hazard_kinds_needed")
            if outcome != "hazard" and kinds:
                raise FieldError("field.hazard_kinds_only_with_hazard")
            bad = [k for k in kinds if k not in allowed]
            if bad:
                raise FieldError("field.hazard_kinds_unknown", kinds="、".join(bad))
            note = _text(
                v, "note", Words("备注", "the note"), required=outcome in ("refused", "unfixable")
            )
        elif kind == "refusal":
            outcome, kinds = "refused", []
            note = _text(v, "reason", Words("拒绝原因", "the reason for refusing"), required=True)
        else:
            outcome, kinds = "ok", []
            helper = _text(v, "helper", Words("帮扶人", "the helper"), required=True)
            checks = [c for c in v.get("checks") or [] if c in HELPER_CHECKS]
            if not checks:
                raise FieldError(
                    "field.pick_checks", checks=_listed(HELPER_CHECKS, HELPER_CHECKS_EN)
                )
            advice = _text(v, "advice", Words("提出的建议", "the advice given"))
            note = f"帮扶走访（{helper}）：检查{'、'.join(checks)}" + (
                f"；建议：{advice}" if advice else ""
            )

        def apply_visit(entry_id: int, tag: str, now: datetime) -> dict:
            queries.call(
                con,
                "field.insert_inspection",
                hid=hid,
                pid=pid,
                on=on,
                outcome=outcome,
                note=note,
                now=now,
                tag=tag,
            )
            made = []
            for n, k in enumerate(kinds, start=1):
                hz = f"F{entry_id}-{n}"
                queries.call(
                    con,
                    "field.insert_hazard",
                    hz=hz,
                    hid=hid,
                    pid=pid,
                    k=k,
                    on=on,
                    value6=on + timedelta(days=HAZARD_DUE_DAYS),
                    now=now,
                    tag=tag,
                )
                made.append(f"hazard:{hz}")
            return {"creates": made, "touches": [], "undo": []}

        return apply_visit

    if kind in ("rectified", "gas_cut", "gas_restored"):
        hz = _hazard(con, pid, hid, v)
        note = _text(v, "note", Words("备注", "the note"))
        if on < hz["found_on"]:
            raise FieldError("field.before_found", day=hz["found_on"])
        warning = None
        if kind == "rectified":
            if hz["rectified_on"] is not None:
                raise FieldError("field.already_rectified", day=hz["rectified_on"])
            col, stamp, update = "rectified_on", "rectified_recorded_at", "field.set_rectified"
        elif kind == "gas_cut":
            if hz["rectified_on"] is not None:
                raise FieldError("field.cut_after_rectified")
            if hz["gas_cut_on"] is not None:
                raise FieldError("field.already_cut", day=hz["gas_cut_on"])
            col, stamp, update = "gas_cut_on", "gas_cut_recorded_at", "field.set_gas_cut"
        else:
            if hz["gas_cut_on"] is None:
                raise FieldError("field.restore_without_cut")
            if hz["gas_restored_on"] is not None:
                raise FieldError("field.already_restored", day=hz["gas_restored_on"])
            if hz["rectified_on"] is None:
                raise FieldError("field.restore_before_rectified")
            if on < hz["gas_cut_on"]:
                raise FieldError("field.restore_before_cut", day=hz["gas_cut_on"])
            hours = briefing.rules(programme_settings(con, pid)).restore_within_hours
            fixed_at = _rectified_at(con, pid, hz)
            late = (when - fixed_at).total_seconds() / 3600
            if late > hours:
                warning = (
                    f"整改后 {late:.0f} 小时才恢复供气，超过本项目规定的 {hours} 小时（已记录）。"
                )
            col, stamp = "gas_restored_on", "restored_recorded_at"
            update = "field.set_gas_restored"

        def apply_hazard(entry_id: int, tag: str, now: datetime) -> dict:
            queries.call(con, update, on=on, now=now, pid=pid, hid=hid, hazard_id=hz["hazard_id"])
            out = {
                "creates": [],
                "touches": [f"hazard:{hz['hazard_id']}"],
                "undo": [
                    {
                        "table": "hazard",
                        "key": {"hazard_id": hz["hazard_id"]},
                        "set": {col: hz[col], stamp: hz[stamp]},
                    }
                ],
                "note": note,
            }
            if warning:
                out["warning"] = warning
            return out

        return apply_hazard

    if kind == "installation":
        choices = device_choices(con, pid, hh.get("gas_type"))
        chosen = [d for d in v.get("device_types") or [] if d]
        if not chosen:
            raise FieldError("field.pick_devices")
        bad = [d for d in chosen if d not in choices]
        if bad:
            raise FieldError("field.devices_unknown", devices="、".join(bad))
        serials = _serials(con, pid, v, chosen)
        installer = _text(v, "installer", Words("安装人员", "the installer"), required=True)
        if not v.get("signed"):
            raise FieldError("field.not_signed")
        surveyed = queries.call(con, "field.first_visit", pid=pid, hid=hid).fetchone()[0]
        if surveyed is None:
            raise FieldError("field.not_surveyed")
        if on < surveyed:
            raise FieldError("field.install_before_survey", day=surveyed)
        last = _last_outcome(con, pid, hid, on)
        if last == "refused":
            raise FieldError("field.last_refused")
        if last == "unfixable":
            raise FieldError("field.last_unfixable")
        cut = queries.call(con, "field.open_gas_cuts", pid=pid, hid=hid, on=on).fetchone()[0]
        if cut:
            raise FieldError("field.gas_cut_now")
        dup = queries.call(
            con, "field.installed_devices", pid=pid, hid=hid, chosen=chosen
        ).fetchone()[0]
        if dup:
            raise FieldError(
                "field.already_installed", devices="、".join(choices.get(d, d) for d in dup)
            )
        years = dict(queries.call(con, "field.warranty_years", pid=pid).fetchall())
        batch = queries.call(con, "field.open_batch", pid=pid, hid=hid).fetchone()[0]

        def apply_installation(entry_id: int, tag: str, now: datetime) -> dict:
            for dev in chosen:
                yrs = years.get(dev)
                until = _add_years(on, int(yrs)) if yrs else None
                queries.call(
                    con,
                    "field.apply_installation",
                    hid=hid,
                    pid=pid,
                    dev=dev,
                    on=on,
                    installer=installer,
                    batch=batch,
                    until=until,
                    value8=",".join(serials[dev]),
                    now=now,
                    tag=tag,
                )
            return {
                "creates": [f"installation:{d}" for d in chosen],
                "touches": [],
                "undo": [],
                "serials": serials,
            }

        return apply_installation

    # verification (验收) by the street
    if user.role not in ("street", "admin"):
        raise UserPermissionError("field.verify_right")
    rows = queries.call(con, "field.installations_to_verify", pid=pid, hid=hid).fetchall()
    if not rows:
        raise FieldError("field.nothing_installed")
    todo = [r for r in rows if r[2] is None]
    if not todo:
        raise FieldError("field.all_verified")
    first = min(r[1] for r in todo)
    if on < first:
        raise FieldError("field.verify_before_install", day=first)
    by = user.display_name or user.username
    note = _text(v, "note", Words("备注", "the note"))

    def apply_verification(entry_id: int, tag: str, now: datetime) -> dict:
        undo = []
        for dev, _inst, ver, ver_by, ver_rec in todo:
            queries.call(
                con,
                "field.apply_verification",
                on=on,
                value2=by[:50],
                now=now,
                pid=pid,
                hid=hid,
                dev=dev,
            )
            undo.append(
                {
                    "table": "installation",
                    "key": {"device_type": dev},
                    "set": {
                        "verified_on": ver,
                        "verified_by": ver_by,
                        "verified_recorded_at": ver_rec,
                    },
                }
            )
        return {
            "creates": [],
            "touches": [f"installation:{r[0]}" for r in todo],
            "undo": undo,
            "note": note,
        }

    return apply_verification


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _rectified_at(con, programme_id: str, hz: dict) -> datetime:
    """When the hazard was rectified: the field entry's time, else the start of its day."""
    row = queries.call(
        con, "field.rectified_at", programme_id=programme_id, value2=f"hazard:{hz['hazard_id']}"
    ).fetchone()
    if row and row[0] is not None:
        return row[0]
    return datetime.combine(hz["rectified_on"], datetime.min.time())


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
) -> list[dict]:
    """The household's photos with their bytes (None if the file is missing or altered); the
    role and scope rules are those of the household's rows."""
    household(con, user, programme_id, household_id)
    rows = photos.listing(con, programme_id, household_id)
    if rows:
        base = store or photos.store_for(con)
        for r in rows:
            r["data"] = photos.read(base, r["sha256"], r["media_type"])
    return rows


def warning(con: duckdb.DuckDBPyConnection, entry_id: int) -> str | None:
    """The warning an entry was recorded with (e.g. gas restored later than the rules allow)."""
    row = queries.call(con, "field.warning", entry_id=int(entry_id)).fetchone()
    return row[0] if row else None
