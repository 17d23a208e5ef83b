"""Installations (确认表), inspections (安检) and hazards (隐患台账): rows that refer to a household.

A row names its household by 户号, else by name + address + phone (or name + address, or name +
phone when that is unique). Unknown households are rejected, never created: the roster comes
first. Street users may only import rows of households in their own street.
"""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb

import queries
from data import batches
from data.importing import parse, service
from data.importing.core import Context, KindSpec
from data.importing.results import Planned


class _Households:
    """Lookup of the programme's households by id and by normalised identity."""

    def __init__(self, con: duckdb.DuckDBPyConnection, programme_id: str) -> None:
        rows = queries.call(con, "import_events.households", programme_id=programme_id).fetchall()
        self.by_id = {r[0]: r for r in rows}
        self.by_key: dict[tuple, list[str]] = {}
        for hid, name, address, phone, *_ in rows:
            n, a, p = parse.norm_key(name), parse.norm_key(address), parse.norm_key(phone)
            for key in (("nap", n, a, p), ("na", n, a), ("np", n, p)):
                self.by_key.setdefault(key, []).append(hid)

    def find(self, rec: dict) -> tuple[str | None, str]:
        """The household id for a row, or None and the reason it is not found."""
        hid = parse.text(rec.get("household_id"))
        if hid:
            return (hid, "") if hid in self.by_id else (None, f"户号「{hid}」不在住户名单中")
        n = parse.norm_key(rec.get("name"))
        a, p = parse.norm_key(rec.get("address")), parse.norm_key(rec.get("phone"))
        if not n:
            return None, "没有户号时须填写姓名（及地址或电话）以找到住户"
        for key in (("nap", n, a, p), ("na", n, a), ("np", n, p)):
            if "" in key[2:]:
                continue
            hits = self.by_key.get(key, [])
            if len(hits) == 1:
                return hits[0], ""
            if len(hits) > 1:
                return None, "有多户姓名、地址相同，请填写户号"
        return None, "在住户名单中找不到此户（请先导入花名册，或填写户号）"


def _resolve(ctx: Context, records: list[tuple[int, dict]]):
    homes = _Households(ctx.con, ctx.programme_id)
    col_of = {f: c for c, f in ctx.mapping.items()}
    for row_no, rec in records:
        hid, why = homes.find(rec)
        if hid is None:
            ctx.reject(row_no, col_of.get("household_id") or col_of.get("name"), why)
            continue
        home = homes.by_id[hid]
        if ctx.user.role == "street" and home[4] != ctx.user.street_id:
            ctx.reject(
                row_no,
                col_of.get("household_id") or col_of.get("name"),
                "该户不属于本街道（不是您所在的街道），不能导入",
            )
            continue
        for f in ("household_id", "name", "address", "phone"):
            rec.pop(f, None)
        yield row_no, hid, home, rec


def _device_types(con: duckdb.DuckDBPyConnection, programme_id: str) -> list[tuple]:
    return queries.call(con, "import_events.device_types", programme_id=programme_id).fetchall()


def _match_device(types: list[tuple], text: str, gas_type: str | None) -> tuple | None:
    k = parse.norm_key(text)
    for t in types:
        if k in (parse.norm_key(t[0]), parse.norm_key(t[1])):
            return t
    hits = [t for t in types if k and (k in parse.norm_key(t[1]) or parse.norm_key(t[1]) in k)]
    if len(hits) > 1 and gas_type:
        hits = [t for t in hits if t[2] in (gas_type, "any")]
    return hits[0] if len(hits) == 1 else None


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def prepare_installations(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Installation rows keyed by (household, device type); warranty from the programme."""
    types = _device_types(ctx.con, ctx.programme_id)
    col = {f: c for c, f in ctx.mapping.items()}.get("device_type")
    locked = _locked(ctx.con, ctx.programme_id)
    serials = service.SerialCheck(ctx.con, ctx.programme_id)  # device registry
    out = []
    for row_no, hid, home, rec in _resolve(ctx, records):
        device = rec.pop("device_type")
        if types:
            found = _match_device(types, device, home[5])
            if found is None:
                names = "、".join(t[1] for t in types)
                ctx.reject(row_no, col, f"设备「{device}」不是本项目的设备（可选：{names}）")
                continue
            device = found[0]
            if rec.get("warranty_until") is None and found[3]:
                rec["warranty_until"] = _add_years(rec["installed_on"], found[3])
        month = _locked_month(locked, ctx.con, ctx.programme_id, hid, device, home[4], rec)
        if month:
            ctx.reject(row_no, None, f"{home[6] or ''} {month} 已审核锁定，须先重开该月再修改")
            continue
        clash = serials.clash(row_no, (hid, device), rec.get("device_serials"))
        if clash:
            ctx.reject(row_no, {f: c for c, f in ctx.mapping.items()}.get("device_serials"), clash)
            continue
        out.append(Planned(row_no, (hid, device), rec))
    return out


def _locked(con: duckdb.DuckDBPyConnection, programme_id: str) -> set[tuple[str, str]]:
    # a street's accepted (已审核) month is locked until it is reopened with a reason.
    from data.money import acceptance

    return acceptance.locked_months(con, programme_id)


def _locked_month(locked, con, programme_id, hid, device, street_id, rec) -> str | None:
    """The accepted month this row would change, if any (an unchanged row passes)."""
    if not locked:
        return None
    cur = queries.call(
        con,
        "import_events.installation",
        programme_id=programme_id,
        household_id=hid,
        device_type=device,
    )
    row = cur.fetchone()
    stored = dict(zip([c[0] for c in cur.description], row, strict=True)) if row else {}
    if stored and all(v is None or stored.get(k) == v for k, v in rec.items()):
        return None
    months = {rec["verified_on"].strftime("%Y-%m")} if rec.get("verified_on") else set()
    if stored.get("verified_on"):
        months.add(stored["verified_on"].strftime("%Y-%m"))
    hit = sorted(m for m in months if (street_id, m) in locked)
    return hit[0] if hit else None


def prepare_inspections(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """One inspection per household and visit date."""
    return [
        Planned(row_no, (hid, rec.pop("visited_on")), rec)
        for row_no, hid, _home, rec in _resolve(ctx, records)
    ]


def _existing_hazards(
    con: duckdb.DuckDBPyConnection, programme_id: str
) -> tuple[dict[tuple, str], dict[str, str]]:
    rows = queries.call(con, "import_events.hazards", programme_id=programme_id).fetchall()
    return {(h, parse.norm_key(k), f): hz for h, k, f, hz in rows}, {hz: h for h, _, _, hz in rows}


def prepare_hazards(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Hazards keyed by 隐患编号, else by household + kind + date found (stable derived id)."""
    known, owner = _existing_hazards(ctx.con, ctx.programme_id)
    col = {f: c for c, f in ctx.mapping.items()}.get("hazard_id")
    out = []
    for row_no, hid, _home, rec in _resolve(ctx, records):
        hz = parse.text(rec.pop("hazard_id", None))
        if hz is not None and owner.get(hz, hid) != hid:
            # A hazard stays with its household: the key alone must not let a row (of any
            # street) move another household's hazard, nor show its stored values.
            ctx.reject(row_no, col, f"隐患编号「{hz}」已登记在另一户名下，不能改到此户；请核对编号")
            continue
        if hz is None:
            ident = (hid, parse.norm_key(rec["kind"]), rec["found_on"])
            hz = (
                known.get(ident)
                or "HZ" + hashlib.sha1(repr(ident).encode("utf-8")).hexdigest()[:12].upper()
            )
        rec["household_id"] = hid
        out.append(Planned(row_no, (hz,), rec))
    return out


def _mark_batches(con: duckdb.DuckDBPyConnection, programme_id: str, keys: list[tuple]) -> dict:
    # Batch items whose household is now installed are done, in the import's unit of work.
    exists = queries.call(con, "import_events.has_batches").fetchone()[0]
    return (
        {"batch_items_done": batches.mark_done_from_installations(con, programme_id)}
        if exists
        else {}
    )


INSTALLATIONS = KindSpec(
    "installation", ("household_id", "device_type"), prepare_installations, _mark_batches
)
INSPECTIONS = KindSpec("inspection", ("household_id", "visited_on"), prepare_inspections)
HAZARDS = KindSpec("hazard", ("hazard_id",), prepare_hazards)
