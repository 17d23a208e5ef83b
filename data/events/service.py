"""Service events (seed 003) and their timeliness against the programme's standards.

Standards come from the programme template's `[rules.service_standards.<kind>]`
(`response_hours`, `resolution_hours`); kinds the template does not set fall back to
DEFAULT_STANDARDS, Anju's defaults (seed 003 asks for a 24-hour hotline and emergency crews,
快速处置 and 及时完成抢修, but gives no number of hours).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import shapely

import queries
from data.importing.parse_events import SERVICE_KINDS
from data.store import audit, clock
from data.users import access
from geo import hotspots as ghot

SOURCES = ("热线", "网格", "平台", "其他")


@dataclass(frozen=True)
class Standard:
    """How fast one kind of event must be responded to and resolved, in hours."""

    response_hours: float
    resolution_hours: float
    source: str  # where the number comes from (seed section or "Anju 默认")


# Anju's defaults, used when a programme sets none. 抢修 and 事故/险情: crew on site within
# 30 minutes is the common commitment of Chinese city gas companies; the rest are one or a few
# working days. Adjust them in the programme template to the gas company's own commitments.
DEFAULT_STANDARDS: dict[str, Standard] = {
    "热线咨询": Standard(0.25, 24, "Anju 默认"),
    "报修": Standard(24, 72, "Anju 默认"),
    "抢修": Standard(0.5, 24, "Anju 默认"),
    "缴费/IC卡": Standard(24, 24, "Anju 默认"),
    "液化气配送": Standard(24, 48, "Anju 默认"),
    "复工安检": Standard(72, 168, "Anju 默认"),
    "事故/险情": Standard(0.5, 24, "Anju 默认"),
    "其他": Standard(24, 168, "Anju 默认"),
}


def standards(settings: str | dict | None) -> dict[str, Standard]:
    """Per-kind standards from a programme's settings JSON, defaults filling the gaps."""
    if isinstance(settings, str):
        settings = json.loads(settings)
    given = ((settings or {}).get("rules") or {}).get("service_standards") or {}
    out = dict(DEFAULT_STANDARDS)
    for kind, row in given.items():
        if kind in out and isinstance(row, dict):
            base = out[kind]
            out[kind] = Standard(
                float(row.get("response_hours", base.response_hours)),
                float(row.get("resolution_hours", base.resolution_hours)),
                str(row.get("source", "项目模板")),
            )
    return out


def programme_standards(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict[str, Standard]:
    """The standards in force for a programme."""
    row = queries.call(con, "service_events.settings", programme_id=programme_id).fetchone()
    return standards(row[0] if row else None)


def events(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    date_from: date,
    as_of: date,
    street_ids: list[str] | None,
) -> pd.DataFrame:
    """Events reported from `date_from` to the end of `as_of`, plus all still open then."""
    return queries.run(
        con,
        "service_events",
        programme_id=programme_id,
        date_from=date_from,
        as_of=as_of,
        street_ids=street_ids,
    )


def _hours(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return ((pd.to_datetime(later) - pd.to_datetime(earlier)).dt.total_seconds() / 3600).round(2)


def timeliness(frame: pd.DataFrame, stds: dict[str, Standard], as_of: date) -> pd.DataFrame:
    """Each event with its deadlines and whether it met them as of the end of `as_of`.

    response_ok / resolution_ok: True met, False missed (late, or still not done after the
    deadline), NA not yet due. overdue: still open (or unanswered) past a deadline.
    """
    day_end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    out = frame.copy()
    rep = pd.to_datetime(out["reported_at"])
    resp_h = out["kind"].map(lambda k: stds[k].response_hours).astype(float)
    res_h = out["kind"].map(lambda k: stds[k].resolution_hours).astype(float)
    out["response_due"] = rep + pd.to_timedelta(resp_h, unit="h")
    out["resolution_due"] = rep + pd.to_timedelta(res_h, unit="h")
    out["response_hours"] = _hours(out["responded_at"], rep)
    out["resolution_hours"] = _hours(out["resolved_at"], rep)
    out["open"] = out["resolved_at"].isna()

    def verdict(done: pd.Series, due: pd.Series) -> pd.Series:
        done = pd.to_datetime(done)
        ok = pd.Series(pd.NA, index=out.index, dtype="boolean")
        ok[done.notna()] = (done <= due)[done.notna()]
        ok[done.isna() & (due < day_end)] = False
        return ok

    out["response_ok"] = verdict(out["responded_at"], out["response_due"])
    out["resolution_ok"] = verdict(out["resolved_at"], out["resolution_due"])
    out["overdue"] = (out["open"] & (out["resolution_due"] < day_end)) | (
        out["responded_at"].isna() & (out["response_due"] < day_end)
    )
    out["hours_overdue"] = (
        ((day_end - out["resolution_due"]).dt.total_seconds() / 3600).round(1).where(out["overdue"])
    )
    return out


def timeliness_by_kind(timed: pd.DataFrame, stds: dict[str, Standard]) -> pd.DataFrame:
    """Per kind: events, open, overdue, % responded and % resolved within the standard
    (of those due), median response and resolution hours, and the standard itself."""
    rows = []
    for kind in SERVICE_KINDS:
        part = timed[timed["kind"] == kind]
        std = stds[kind]
        resp = part["response_ok"].dropna()
        res = part["resolution_ok"].dropna()
        rows.append(
            {
                "kind": kind,
                "events": len(part),
                "open": int(part["open"].sum()),
                "overdue": int(part["overdue"].sum()),
                "response_standard_h": std.response_hours,
                "resolution_standard_h": std.resolution_hours,
                "standard_source": std.source,
                "response_ok_pct": round(float(resp.mean()) * 100, 1) if len(resp) else None,
                "resolution_ok_pct": round(float(res.mean()) * 100, 1) if len(res) else None,
                "median_response_h": _median(part["response_hours"]),
                "median_resolution_h": _median(part["resolution_hours"]),
            }
        )
    return pd.DataFrame(rows)


def _median(s: pd.Series) -> float | None:
    s = s.dropna()
    return round(float(s.median()), 2) if len(s) else None


def daily_volumes(timed: pd.DataFrame, date_from: date, as_of: date) -> pd.DataFrame:
    """Events reported per day (rows, every day of the window) and kind (columns)."""
    days = pd.date_range(date_from, as_of, freq="D")
    within = timed[pd.to_datetime(timed["reported_at"]) >= pd.Timestamp(date_from)]
    counts = (
        within.assign(day=pd.to_datetime(within["reported_at"]).dt.normalize())
        .pivot_table(index="day", columns="kind", values="event_id", aggfunc="count")
        .reindex(index=days, columns=list(SERVICE_KINDS))
        .fillna(0)
        .astype(int)
    )
    counts.index.name = "day"
    return counts


def record(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    values: dict,
) -> str:
    """Record one event entered on the page (the write path: scope check, audit); its id."""
    if not access.can(user, "service", access.W):
        raise PermissionError(f"用户 {user.username} 没有登记服务事件的权限。")
    kind = values.get("kind")
    if kind not in SERVICE_KINDS:
        raise ValueError(f"事件类别须为：{'、'.join(SERVICE_KINDS)}")
    reported = values.get("reported_at")
    if not isinstance(reported, datetime):
        raise ValueError("请填写报告时间。")
    for f, label in (("responded_at", "响应时间"), ("resolved_at", "办结时间")):
        v = values.get(f)
        if v is not None and v < reported:
            raise ValueError(f"{label}早于报告时间，请核对。")
    if values.get("source") not in (None, *SOURCES):
        raise ValueError(f"来源须为：{'、'.join(SOURCES)}")
    street = values.get("street_id")
    if user.role == "street" and street != user.street_id:
        raise PermissionError("街道账号只能登记本街道的事件。")
    text = {k: (str(v)[:500] if isinstance(v, str) else v) for k, v in values.items()}
    ident = f"{kind}|{reported.isoformat()}|{text.get('address') or ''}|{clock.now().isoformat()}"
    event_id = "WEB" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12].upper()
    cols = [
        "kind",
        "reported_at",
        "occurred_at",
        "responded_at",
        "resolved_at",
        "household_id",
        "street_id",
        "community_id",
        "address",
        "source",
        "handler",
        "outcome",
        "description",
    ]
    audit.logged_call(
        con,
        user.username,
        "service_event_add",
        f"service_event:{event_id}",
        {"programme_id": programme_id, "kind": kind, "street_id": street},
        "service_events.insert",
        programme_id=programme_id,
        event_id=event_id,
        **{c: text.get(c) for c in cols},
        recorded_at=clock.now(),
    )
    return event_id


def window_start(as_of: date, days: int) -> date:
    """First day of a window of `days` days ending on `as_of`."""
    return as_of - timedelta(days=days - 1)


def community_rates(timed: pd.DataFrame, communities: pd.DataFrame) -> pd.DataFrame:
    """Events per community and per 1,000 of its programme households (an intensity, so a
    community is not "hot" just because many people live there).

    `communities`: community_id, community_name, street_name, target (as coverage_by_community).
    """
    counts = timed.dropna(subset=["community_id"]).groupby("community_id").size()
    out = communities[["community_id", "community_name", "street_name", "target"]].copy()
    out = out.dropna(subset=["community_id"]).rename(columns={"target": "households"})
    out["events"] = out["community_id"].map(counts).fillna(0).astype(int)
    out["per_1000"] = (out["events"] / out["households"].where(out["households"] > 0) * 1000).round(
        1
    )
    return out.reset_index(drop=True)


def community_hotspots(
    rates: pd.DataFrame,
    shapes: pd.DataFrame,
) -> pd.DataFrame:
    """Gi* (geo.hotspots, as for fire risk) on events per 1,000 households per community,
    Queen contiguity; communities under MIN_COUNT households are too_few and not tested."""
    out = rates.copy()
    geoms = dict(
        zip(
            shapes["region_id"],
            shapely.from_wkb([bytes(b) for b in shapes["geom_wkb"]]),
            strict=True,
        )
    )
    big = out[(out["households"] >= ghot.MIN_COUNT) & out["community_id"].isin(geoms)]
    ids = list(big["community_id"])
    result = ghot.gi_star(
        big["per_1000"].to_numpy(dtype=float),
        ghot.contiguity([geoms[c] for c in ids], ids),
    )
    out = out.merge(
        result[["z", "p_adj", "cls"]], left_on="community_id", right_index=True, how="left"
    )
    out["cls"] = out["cls"].fillna(ghot.TOO_FEW)
    return out


def overdue_frame(frame: pd.DataFrame, stds: dict[str, Standard], as_of: date) -> pd.DataFrame:
    """Events still open (or unanswered) past their standard at the end of `as_of`, longest
    overdue first, for the 逾期 page (`kind` is named service_kind there: hazards own `kind`)."""
    timed = timeliness(frame, stds, as_of)
    late = timed[timed["overdue"]].sort_values("hours_overdue", ascending=False)
    cols = ["event_id", "kind", "reported_at", "resolution_due", "hours_overdue", "handler"]
    out = late[[*cols, "street_id", "street_name", "community_name", "address"]].copy()
    for c in ("reported_at", "resolution_due"):
        out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d %H:%M")
    return out.rename(columns={"kind": "service_kind"}).reset_index(drop=True)
