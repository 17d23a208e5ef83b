"""The rules of each field entry: checked before anything is written, then applied inside the
unit of work that stores the entry (data.fieldwork.field.record)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import queries
from data.fieldwork.field_common import (
    _SERIAL,
    HAZARD_DUE_DAYS,
    HELPER_CHECKS,
    HELPER_CHECKS_EN,
    OUTCOMES,
    OUTCOMES_EN,
    TEXT_MAX,
    FieldError,
    _listed,
    device_choices,
    hazard_kinds,
    programme_settings,
)
from data.messages import UserPermissionError, Words
from data.reporting import briefing


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


def plan(con, user, programme_id: str, hh: dict, kind: str, when: datetime, on: date, v: dict):
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
