"""After the installation: device serials on installations, the alarm platform's
event export (device_events) and the hotline's service events (service_events, seed 003).

Device events name a device by its serial; a serial no installation carries is rejected with
未知设备编号, never created. Service events name their household when known, else a place
(street/community names or coordinates). Street users import rows of their own street only.
"""

from __future__ import annotations

import hashlib

import duckdb
import numpy as np

import queries
from data.importing import households, parse
from data.importing.core import Context, KindSpec
from data.importing.results import Planned


def stored_serials(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict[str, tuple]:
    """Serial → (household_id, device_type, street_id) of every device the programme holds."""
    rows = queries.call(con, "import_service.serials", programme_id=programme_id).fetchall()
    return {r[0]: r[1:] for r in rows}


class SerialCheck:
    """Serials must be unique within a programme: one device, one installation."""

    def __init__(self, con: duckdb.DuckDBPyConnection, programme_id: str) -> None:
        self.owner = {s: (r[0], r[1]) for s, r in stored_serials(con, programme_id).items()}
        self.in_file: dict[str, tuple[int, tuple]] = {}

    def clash(self, row_no: int, key: tuple, serials: str | None) -> str | None:
        """Why the serials of row `row_no` (installation `key`) cannot be stored, or None."""
        for s in (serials or "").split(","):
            if not s:
                continue
            owner = self.owner.get(s)
            if owner is not None and owner != key:
                return (
                    f"设备编号「{s}」已登记在户号 {owner[0]} 的设备上，同一项目内设备编号不能重复"
                )
            seen = self.in_file.get(s)
            if seen is not None and seen[1] != key:
                return f"设备编号「{s}」与本文件第 {seen[0]} 行重复"
        for s in (serials or "").split(","):
            if s:
                self.in_file.setdefault(s, (row_no, key))
        return None


def prepare_device_events(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Platform events keyed by (serial, event type, time); unknown serials rejected."""
    known = stored_serials(ctx.con, ctx.programme_id)
    col = {f: c for c, f in ctx.mapping.items()}
    out = []
    for row_no, rec in records:
        s = rec.pop("serial")
        dev = known.get(s)
        if dev is None:
            ctx.reject(
                row_no, col.get("serial"), f"未知设备编号「{s}」：本项目没有安装此编号的设备"
            )
            continue
        if ctx.user.role == "street" and dev[2] != ctx.user.street_id:
            ctx.reject(
                row_no,
                col.get("serial"),
                "该设备不属于本街道（不是您所在的街道），不能导入",
            )
            continue
        handled = rec.get("handled_at")
        if handled is not None and handled < rec["event_at"]:
            ctx.reject(row_no, col.get("handled_at"), "处置时间早于事件时间")
            continue
        out.append(Planned(row_no, (s, rec.pop("event_type"), rec.pop("event_at")), rec))
    return out


def _event_id(rec: dict) -> str:
    ident = (
        "|".join(str(rec.get(k) or "") for k in ("kind", "reported_at", "household_id", "address"))
        + "|"
        + parse.norm_key(rec.get("description"))
    )
    return "SE" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12].upper()


def prepare_service_events(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Service events keyed by 工单号 (else a stable id from kind, time and place), placed."""
    regions = households.load_regions(ctx.con, ctx.programme_id)
    homes = {
        r[0]: r[1:]
        for r in queries.call(
            ctx.con, "import_service.homes", programme_id=ctx.programme_id
        ).fetchall()
    }
    col = {f: c for c, f in ctx.mapping.items()}
    out = []
    for row_no, rec in records:
        reported = rec["reported_at"]
        bad = next(
            (
                f
                for f in ("responded_at", "resolved_at")
                if rec.get(f) is not None and rec[f] < reported
            ),
            None,
        )
        if bad:
            ctx.reject(row_no, col.get(bad), "时间早于报告时间，请核对")
            continue
        street_txt, comm_txt = rec.pop("street", None), rec.pop("community", None)
        hid = parse.text(rec.get("household_id"))
        street_id = community_id = None
        if hid:
            if hid not in homes:
                ctx.reject(row_no, col.get("household_id"), f"户号「{hid}」不在住户名单中")
                continue
            street_id, community_id, lon, lat, address = homes[hid]
            rec["lon"] = rec.get("lon") or lon
            rec["lat"] = rec.get("lat") or lat
            rec["address"] = rec.get("address") or address
        elif rec.get("lon") is not None and rec.get("lat") is not None:
            found = households._locate(regions, np.array([rec["lon"]]), np.array([rec["lat"]]))[0]
            if found is not None:
                community_id = regions.community_ids[found]
                street_id = regions.community_parent[found]
        if street_id is None and (street_txt or comm_txt):
            street_id = regions.street_by_key.get(parse.norm_key(street_txt)) or (
                regions.street_by_key.get(parse.region_key(street_txt))
            )
            if comm_txt:
                hit = households._community(regions, comm_txt, street_id)
                if hit is not None:
                    community_id, street_id = hit
        if ctx.user.role == "street" and street_id != ctx.user.street_id:
            ctx.reject(
                row_no, col.get("street"), "不是您所在街道的事件（或无法确定街道），不能导入"
            )
            continue
        rec["street_id"], rec["community_id"] = street_id, community_id
        eid = parse.text(rec.pop("event_id", None)) or _event_id(rec)
        out.append(Planned(row_no, (eid,), rec))
    return out


DEVICE_EVENTS = KindSpec(
    "device_event", ("serial", "event_type", "event_at"), prepare_device_events
)
SERVICE_EVENTS = KindSpec("service_event", ("event_id",), prepare_service_events)
