"""The shared import pipeline: read → map → parse → classify (new / changed / unchanged /
rejected) → write in one transaction, with import_log, rejected_row and audit entries.

A KIND module supplies `prepare(ctx, records)` that turns parsed records into `Planned`
rows (or rejections) and says which table and key columns they go to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

import queries
from data.importing import mapping as mp
from data.importing import read
from data.importing.results import Planned, Rejection, Result
from data.store import audit, clock
from data.store.knowledge import update_stamps
from data.store.unit_of_work import unit_of_work
from data.users import access, privacy
from geo import crs as gcrs

PREVIEW_ROWS = 10
AUDIT_CHUNK = 500  # households per "import_update" audit entry: complete, yet not one entry per row

_LON, _LAT = (73.0, 136.0), (3.0, 54.0)  # China, roughly: where a file's points must fall

# Every value a file brings is bounded before it is planned: an unclosed quote swallows a
# file into one 11,000-character "name", a typo dates a device event in 9999.
MAX_TEXT = 500
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Dates that lie ahead by nature (a rectification deadline, a warranty's end); every other date
# records something that happened, so it is not after tomorrow (Beijing time).
FUTURE_FIELDS = frozenset({"due_on", "warranty_until"})


def bounded(field: mp.Field, value: object) -> object:
    """`value` if it is within the bounds of its kind, else ValueError in Chinese."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValueError(
            f"「{field.label}」有 {len(value):,} 个字，超过 {MAX_TEXT} 字的上限"
            "（常见原因：某个引号没有闭合，把后面的内容并进了这一格）"
        )
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"「{field.label}」{day} 超出合理范围（{FIRST_YEAR}—{LAST_YEAR} 年）")
        if field.name not in FUTURE_FIELDS and (day - clock.today()).days > 1:
            raise ValueError(f"「{field.label}」{day} 晚于今天，未来的事不能登记为已发生")
    return value


@dataclass
class Context:
    """What a KIND needs while preparing rows."""

    con: duckdb.DuckDBPyConnection
    programme_id: str
    user: access.User
    table: read.RawTable
    mapping: dict[str, str]  # column → field
    crs: str
    reject: Callable[[int, str | None, str], None]
    warn: Callable[[int, str], None]

    def wgs84(
        self, row_no: int, lon_column: str | None, lon: float, lat: float, crs_in: str | None
    ) -> tuple[float, float, str] | None:
        """A row's point in WGS84 and the CRS it came in (the row's, else the file's): swapped
        back, with a warning, when longitude and latitude were entered the wrong way round;
        None, the row rejected, when it is not in China."""
        if _LAT[0] <= lon <= _LAT[1] and _LON[0] <= lat <= _LON[1]:
            lon, lat = lat, lon
            self.warn(row_no, f"经度、纬度填反了，已互换为 经度 {lon}、纬度 {lat}")
        if not (_LON[0] <= lon <= _LON[1] and _LAT[0] <= lat <= _LAT[1]):
            self.reject(row_no, lon_column, f"坐标（{lon}, {lat}）不在中国范围内")
            return None
        src = crs_in or self.crs
        if src != "wgs84":
            lon, lat = gcrs.convert(lon, lat, src, "wgs84")
        return lon, lat, src


@dataclass(frozen=True)
class KindSpec:
    """How one KIND is stored: table, key columns, and its prepare function."""

    table: str
    key: tuple[str, ...]
    prepare: Callable[[Context, list[tuple[int, dict]]], list[Planned]]
    # Runs in the import's unit of work after the rows: (con, programme_id, written keys) → extra
    after_write: Callable[[duckdb.DuckDBPyConnection, str, list[tuple]], dict] | None = None
    page: str = "import"  # the page whose edit right allows this import (data.users.access.MATRIX)


def _raw(columns: list[str], values: list[object]) -> dict[str, object]:
    return {
        c: (v.isoformat() if isinstance(v, date | datetime) else v)
        for c, v in zip(columns, values, strict=False)
        if v is not None
    }


def _text(value: object) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, date) else str(value)


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) < 1e-9
    if isinstance(old, datetime) and isinstance(new, date) and not isinstance(new, datetime):
        return old.date() == new
    return old == new


def _masked(values: dict) -> dict:
    # The audit log never holds a full phone number (data.store.audit); the change is still visible.
    return {c: privacy.mask_phone(v) if "phone" in c else v for c, v in values.items()}


def _existing(con: duckdb.DuckDBPyConnection, spec: KindSpec, programme_id: str, cols: list[str]):
    wanted = list(dict.fromkeys([*spec.key, *cols]))
    # fetchall, not .df(): DATE values must stay datetime.date to compare and hash like the file's.
    cur = con.execute(
        f"SELECT {', '.join(wanted)} FROM {spec.table} WHERE programme_id = ?",  # names from code
        [programme_id],
    )
    out = {}
    for row in cur.fetchall():
        rec = dict(zip(wanted, row, strict=True))
        out[tuple(rec[k] for k in spec.key)] = rec
    return out


# What makes a stored record a street's: its own street, its household's, its device's.
OWNER_COLUMNS = ("street_id", "household_id", "serial")


def _owner_columns(con: duckdb.DuckDBPyConnection, spec: KindSpec) -> list[str]:
    """The columns of SPEC's table that tell whose a stored record is."""
    columns = _table_columns(con, spec.table)
    return [c for c in OWNER_COLUMNS if c in columns]


def _not_own(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    user: access.User,
    existing: dict[tuple, dict],
    owners: list[str],
) -> set[tuple]:
    """Keys of stored records a street account may not write: those whose STORED street — the
    record's own, its household's and its device's, every one it has — is not the account's.
    A record with none of them cannot be shown to be the street's, so it is not (fail closed)."""
    if user.role != "street" or not existing:
        return set()
    homes = devices = {}
    if "household_id" in owners:
        homes = dict(
            queries.call(con, "importing.household_streets", programme_id=programme_id).fetchall()
        )
    if "serial" in owners:
        devices = dict(
            queries.call(con, "importing.device_streets", programme_id=programme_id).fetchall()
        )
    out = set()
    for key, rec in existing.items():
        streets = set()
        if "street_id" in owners:
            streets.add(rec["street_id"])
        if rec.get("household_id") is not None:
            streets.add(homes.get(rec["household_id"]))
        if rec.get("serial") is not None:
            streets.add(devices.get(rec["serial"]))
        if streets != {user.street_id}:
            out.add(key)
    return out


def _key_column(kind: str, spec: KindSpec, column_map: dict[str, str]) -> str | None:
    """The file's column that names a record's key, for a rejection's message."""
    col_of = {f: c for c, f in column_map.items()}
    return next((col_of[k] for k in spec.key if k in col_of), None)


def _key_text(kind: str, spec: KindSpec, key: tuple) -> str:
    """A record named by its key as the file names it: 工单号「E3」、…"""
    labels = {f.name: f.label for f in mp.FIELDS[kind]}
    parts = [f"{labels.get(k, k)}「{_text(v)}」" for k, v in zip(spec.key, key, strict=True)]
    return "、".join(parts) or "该记录"


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in queries.call(con, "importing.table_columns", table=table).fetchall()]


def run(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    spec: KindSpec,
    file_name: str,
    data: bytes,
    programme_id: str,
    user: access.User,
    column_map: dict[str, str] | None = None,
    crs: str = "wgs84",
    sheet: str | None = None,
    commit: bool = False,
) -> Result:
    """Read, check and classify a file; with commit=True also write it, in one transaction.

    Raises read.ReadError (nothing written) when the file itself cannot be read.
    """
    if not access.can(user, spec.page, access.W):
        raise PermissionError(f"用户 {user.username} 没有导入数据的权限。")
    table = read.read_table(file_name, data, mp.field_of(kind), sheet)
    known = {f.name for f in mp.FIELDS[kind]}
    column_map = {
        c: f for c, f in (column_map or mp.propose(kind, table.columns)).items() if f in known
    }
    missing_cols = [c for c in column_map if c not in table.columns]
    if missing_cols:
        raise read.ReadError(f"{file_name}：文件中没有列 {'、'.join(missing_cols)}。")
    if len(set(column_map.values())) != len(column_map):
        raise read.ReadError(f"{file_name}：同一字段对应了多个列，请修改列对应关系。")
    result = Result(
        kind,
        file_name,
        hashlib.sha256(data).hexdigest(),
        table.sheet,
        table.sheets,
        table.header_rows,
        table.columns,
        column_map,
        skipped=table.skipped,
    )
    result.preview = [
        {"行号": n, **dict(zip(table.columns, v, strict=False))}
        for n, v in table.rows[:PREVIEW_ROWS]
    ]
    fields = {f.name: f for f in mp.FIELDS[kind]}
    by_row = dict(table.rows)
    rejected_rows: set[int] = set()

    def reject(row_no: int, column: str | None, reason: str) -> None:
        if row_no not in rejected_rows:
            rejected_rows.add(row_no)
            raw = _raw(
                table.columns, by_row[row_no]
            )  # only for rejected rows: keeps big files fast
            result.rejections.append(Rejection(row_no, column, reason, raw))

    def warn(row_no: int, text: str) -> None:
        result.warnings.append(f"{file_name} 第 {row_no} 行：{text}")

    index = {c: i for i, c in enumerate(table.columns)}
    records: list[tuple[int, dict]] = []
    for row_no, values in table.rows:
        rec: dict[str, object] = {}
        for col, fname in column_map.items():
            try:
                rec[fname] = bounded(fields[fname], fields[fname].parser(values[index[col]]))
            except ValueError as exc:
                reject(row_no, col, str(exc))
                break
        else:
            absent = [f.label for f in fields.values() if f.required and rec.get(f.name) is None]
            if absent:
                reject(row_no, None, f"缺少必填项：{'、'.join(absent)}")
            else:
                records.append((row_no, rec))

    ctx = Context(con, programme_id, user, table, column_map, crs, reject, warn)
    planned = [p for p in spec.prepare(ctx, records) if p.row_no not in rejected_rows]

    # Within the file: the first row of a household wins; later ones are rejected, not merged.
    first: dict[tuple, int] = {}
    unique: list[Planned] = []
    for p in planned:
        if p.key in first:
            reject(p.row_no, None, f"与本文件第 {first[p.key]} 行是同一条记录（重复）")
        else:
            first[p.key] = p.row_no
            unique.append(p)

    cols = sorted({c for p in unique for c in p.values} - set(spec.key))
    owners = _owner_columns(con, spec) if user.role == "street" else []
    existing = _existing(con, spec, programme_id, [*cols, *owners])
    foreign = _not_own(con, programme_id, user, existing, owners)
    key_col = _key_column(kind, spec, column_map)
    new_rows: list[Planned] = []
    updates: list[tuple[Planned, dict, dict]] = []
    for p in unique:
        if p.key in foreign:
            # Said before any stored value is compared or shown: the preview holds nothing of it.
            reject(p.row_no, key_col, f"{_key_text(kind, spec, p.key)}不属于本街道，不能导入或修改")
            continue
        old = existing.get(p.key)
        if old is None:
            new_rows.append(p)
            continue
        # A blank cell never clears a stored value: nothing already stored is lost by an import.
        diff = {
            c: v
            for c, v in p.values.items()
            if c not in spec.key and v is not None and not _same(old.get(c), v)
        }
        if diff:
            updates.append((p, diff, {c: old.get(c) for c in diff}))
        else:
            result.unchanged += 1
    result.loaded, result.updated = len(new_rows), len(updates)
    result.changes = [
        {"key": list(p.key), "row_no": p.row_no, "old": _masked(old), "new": _masked(diff)}
        for p, diff, old in updates
    ]
    result.rejections.sort(key=lambda r: r.row_no)
    if commit:
        _write(con, kind, spec, programme_id, user, result, new_rows, updates)
    return result


def _write(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    spec: KindSpec,
    programme_id: str,
    user: access.User,
    result: Result,
    new_rows: list[Planned],
    updates: list[tuple[Planned, dict, dict]],
) -> None:
    columns = _table_columns(con, spec.table)
    with unit_of_work(con, user.username) as uow:
        import_id = log_import(con, kind, result, user, programme_id)
        now = clock.now()  # Beijing time, whatever the server's zone
        if new_rows:
            recs = []
            for p in new_rows:
                rec = dict(zip(spec.key, p.key, strict=True)) | p.values
                rec |= {"programme_id": programme_id, "source_import_id": str(import_id)}
                if "recorded_at" in columns:
                    rec["recorded_at"] = now
                rec |= update_stamps(rec, columns, now)
                recs.append(rec)
            frame = pd.DataFrame(recs)
            frame = frame[[c for c in frame.columns if c in columns]]
            con.register("_anju_import_new", frame)
            try:
                names = ", ".join(frame.columns)
                con.execute(
                    f"INSERT INTO {spec.table} ({names}) SELECT {names} FROM _anju_import_new"
                )
            finally:
                con.unregister("_anju_import_new")
        if updates:  # the replaced values in full: nothing stored is lost by an import
            queries.call_many(
                con,
                "importing.insert_change",
                [
                    {
                        "import_id": import_id,
                        "table_name": spec.table,
                        "record_key": "|".join(map(str, p.key)),
                        "row_no": p.row_no,
                        "column_name": c,
                        "old_value": _text(old.get(c)),
                        "new_value": _text(v),
                    }
                    for p, diff, old in updates
                    for c, v in diff.items()
                ],
            )
        by_cols: dict[tuple[str, ...], list[list]] = {}
        for p, diff, _old in updates:
            diff = diff | update_stamps(diff, columns, now)  # a late rectification is dated
            by_cols.setdefault(tuple(sorted(diff)), []).append(
                [*(diff[c] for c in sorted(diff)), programme_id, *p.key]
            )
        for cols, params in by_cols.items():
            sets = ", ".join(f"{c} = ?" for c in cols)
            where = " AND ".join(f"{k} = ?" for k in ("programme_id", *spec.key))
            con.executemany(f"UPDATE {spec.table} SET {sets} WHERE {where}", params)
        store_rejections(con, import_id, result)
        audit.log(
            con,
            user.username,
            "import",
            f"{kind}:{result.file_name}",
            {"import_id": import_id, "sha256": result.sha256, "programme_id": programme_id}
            | result.counts(),
        )
        for start in range(0, len(result.changes), AUDIT_CHUNK):
            audit.log(
                con,
                user.username,
                "import_update",
                f"{spec.table}:{import_id}",
                {"import_id": import_id, "changes": result.changes[start : start + AUDIT_CHUNK]},
            )
        if (
            spec.after_write is not None
        ):  # same transaction: batches follow installations or neither lands
            keys = [p.key for p in new_rows] + [p.key for p, _d, _o in updates]
            result.extra |= spec.after_write(con, programme_id, keys) or {}
        if spec.table in STATE_TABLES:  # the stored status follows its events
            uow.touch(programme_id, _touched(spec, new_rows, updates))
        if spec.table == "device_event":  # the stored device summary follows
            at = spec.key.index("serial")
            uow.touch_devices(
                programme_id, {p.key[at] for p in new_rows} | {p.key[at] for p, _d, _o in updates}
            )
    result.committed, result.import_id = True, import_id


# Tables a household's status is derived from.
STATE_TABLES = {"household", "inspection", "installation", "hazard"}


def _touched(
    spec: KindSpec, new_rows: list[Planned], updates: list[tuple[Planned, dict, dict]]
) -> set[str] | None:
    """Households whose events an import wrote; None (all of the programme) if one is unknown."""
    touched: set[str] = set()
    for p, _diff, old in [(p, {}, {}) for p in new_rows] + updates:
        key = dict(zip(spec.key, p.key, strict=True))
        ids = {key.get("household_id"), p.values.get("household_id"), old.get("household_id")}
        ids.discard(None)
        if not ids:
            return None
        touched |= {str(i) for i in ids}
    return touched


def log_import(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    result: Result,
    user: access.User,
    programme_id: str | None,
) -> int:
    """Record an import (file, SHA-256, who, counts) in import_log; return its id."""
    return queries.call(
        con,
        "importing.log_import",
        kind=kind,
        file_name=result.file_name,
        sha256=result.sha256,
        imported_by=user.username,
        programme_id=programme_id,
        loaded=result.loaded,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=result.rejected,
    ).fetchone()[0]


def store_rejections(con: duckdb.DuckDBPyConnection, import_id: int, result: Result) -> None:
    """Quarantine the rejected rows with their raw content and the reason shown to the user."""
    if not result.rejections:
        return
    queries.call_many(
        con,
        "importing.reject_row",
        [
            {
                "import_id": import_id,
                "row_no": r.row_no,
                "raw": json.dumps(r.raw, ensure_ascii=False, default=str),
                "reason": r.message(result.file_name),
            }
            for r in result.rejections
        ],
    )
