"""Monthly installation batches of a street: propose, save, edit, send, confirm, close the loop.

A street office plans a month's batch (seed 002: roster to the gas company by the 10th):
candidates are the street's households not yet installed; refusals and gas cut-offs are shown
apart; the rest are ranked by switchable priority rules, cut to capacity (crews × per-day ×
working days from the official calendar), grouped into compact crew-days and put in a visit
order (geo.routing).

Status: 草稿 draft → 已下发 sent → 已确认 confirmed. Only a draft can be edited. A sent or
confirmed batch is reopened to draft with a written reason (logged, revision + 1, a
'withdrawn' batch_event) — the gas company's copy is never changed silently.
"""

from __future__ import annotations

import contextlib
import json
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

import queries
from data import audit, clock, risk, workdays
from geo import routing

STATUSES = {"draft": "草稿", "sent": "已下发", "confirmed": "已确认"}
RULES: dict[str, str] = {
    "hazard": "隐患未整改优先",
    "risk": "火灾风险分高优先",
    "age": "年龄大优先",
    "lpg": "液化气用户优先",
    "behind": "社区进度落后优先",
}
DEFAULT_RULES: tuple[str, ...] = tuple(RULES)
GAS_TYPES = {"piped": "管道天然气", "lpg": "液化气", "none": "无燃气"}
ROSTER_COLUMNS = (
    "序号",
    "户号",
    "街道",
    "社区",
    "地址",
    "姓名",
    "联系电话",
    "燃气类型",
    "设备类型",
    "计划日期",
    "班组",
    "顺序",
)


class BatchError(ValueError):
    """A batch operation that is not allowed (message in Chinese, shown to the user)."""


@dataclass
class Plan:
    """A proposed batch before it is saved: assigned households and what was left out."""

    programme_id: str
    street_id: str
    month: str
    crews: int
    per_day: int
    rules: tuple[str, ...]
    workdays: list[date]
    items: pd.DataFrame  # candidates columns + crew, day, seq, reason, rank
    held_back: pd.DataFrame  # refusals and gas cut-offs: not planned, shown with hazard status
    waiting: pd.DataFrame  # eligible but beyond capacity this month
    travel_km: float
    naive_km: float
    stats: dict = field(default_factory=dict)

    @property
    def capacity(self) -> int:
        """Households the crews can do this month: crews × per-day × working days."""
        return self.crews * self.per_day * len(self.workdays)

    def summary(self) -> dict:
        """What the CLI prints with --json (no personal data)."""
        days = self.items.groupby(["day", "crew"]).size()
        return {
            "programme_id": self.programme_id,
            "street_id": self.street_id,
            "month": self.month,
            "crews": self.crews,
            "per_day": self.per_day,
            "rules": list(self.rules),
            "working_days": [d.isoformat() for d in self.workdays],
            "capacity": self.capacity,
            "assigned": len(self.items),
            "waiting": len(self.waiting),
            "held_back": len(self.held_back),
            "crew_days": [
                {
                    "day": d.isoformat(),
                    "crew": int(c),
                    "households": self.items[(self.items["day"] == d) & (self.items["crew"] == c)]
                    .sort_values("seq")["household_id"]
                    .tolist(),
                }
                for (d, c) in days.index
            ],
            "households": self.items[["household_id", "day", "crew", "seq", "reason"]]
            .assign(day=lambda f: f["day"].map(date.isoformat))
            .to_dict("records"),
            "travel_km": round(self.travel_km, 3),
            "naive_km": round(self.naive_km, 3),
            **self.stats,
        }


# ---------------------------------------------------------------- candidates and priority


def page_note(settings: str | dict | None) -> str:
    """The 批次 page's note in the programme's own rules (who installs, roster day, signatures)."""
    data = json.loads(settings) if isinstance(settings, str) else (settings or {})
    rules = data.get("rules", {})
    parts = ["按月编排安装批次"]
    if data.get("implementer"):
        parts.append(f"{data['implementer']}上门安装")
    if rules.get("verification"):
        parts.append(f"核验：{rules['verification']}")
    if rules.get("roster_day"):
        to = rules.get("report_to") or ["燃气公司"]
        to = "、".join(to) if isinstance(to, list) else str(to)
        first = f"（首批 {rules['roster_first_due']} 前）" if rules.get("roster_first_due") else ""
        parts.append(f"花名册每月 {rules['roster_day']} 日前报{to}{first}")
    if rules.get("confirmation_signatures"):
        parts.append(f"确认单由{'、'.join(rules['confirmation_signatures'])}签字")
    return "；".join(parts) + "。已下发的批次不能直接修改，须先退回草稿并说明理由。"


def month_start(month: str) -> date:
    """'2023-08' → date(2023, 8, 1)."""
    year, mon = workdays.parse_month(month)
    return date(year, mon, 1)


def fire_risk_scores(
    con: duckdb.DuckDBPyConnection, programme_id: str, as_of: date, street_ids: list[str] | None
) -> pd.Series:
    """risk_score per household_id from data.risk (the fire-safety office's weights in force)."""
    config = risk.load_config(con, programme_id)
    frame = queries.run(
        con, "fire_risk_households", programme_id=programme_id, as_of=as_of, street_ids=street_ids
    )
    if frame.empty:
        return pd.Series(dtype=float)
    scored = risk.score(frame, config.weights, as_of, config.overdue_days)
    return scored.set_index("household_id")["risk_score"]


def candidates(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    street_ids: list[str] | None,
    month: str,
    as_of: date,
) -> pd.DataFrame:
    """Not-installed households in scope with status, priority fields and fire-risk score."""
    frame = queries.run(
        con,
        "batch_candidates",
        programme_id=programme_id,
        as_of=as_of,
        month=month_start(month),
        street_ids=street_ids,
    )
    scores = fire_risk_scores(con, programme_id, as_of, street_ids)
    frame["risk_score"] = frame["household_id"].map(scores).fillna(0.0).astype(float)
    return frame


def _rule_key(frame: pd.DataFrame, rule: str) -> pd.Series:
    """A sort key per rule: smaller comes first."""
    if rule == "hazard":
        return (~frame["hazard_open"].fillna(False).astype(bool)).astype(int)
    if rule == "risk":
        return -frame["risk_score"].fillna(0.0)
    if rule == "age":
        return -pd.to_numeric(frame["age"], errors="coerce").fillna(0)
    if rule == "lpg":
        return (frame["gas_type"] != "lpg").astype(int)
    if rule == "behind":
        return frame["community_completion"].fillna(0.0).round(4)
    raise BatchError(f"未知优先规则：{rule!r}，可选：{'、'.join(RULES)}")


def _reason(row: pd.Series, rules: tuple[str, ...]) -> str:
    """Why a household is in the batch, rule by rule, in the order the rules apply."""
    parts = []
    for rule in rules:
        if rule == "hazard" and row["hazard_open"]:
            kinds = row.get("hazard_kinds")
            parts.append("隐患未整改" + (f"（{kinds}）" if isinstance(kinds, str) else ""))
        elif rule == "risk" and row["risk_score"] > 0:
            parts.append(f"火灾风险 {row['risk_score']:g} 分")
        elif rule == "age" and not pd.isna(row["age"]):
            parts.append(f"{int(row['age'])} 岁")
        elif rule == "lpg" and row["gas_type"] == "lpg":
            parts.append("液化气用户")
        elif rule == "behind" and not pd.isna(row["community_completion"]):
            parts.append(f"所在社区完成 {row['community_completion'] * 100:.0f}%")
    if isinstance(row.get("carried_from"), str):
        parts.append(f"上批 {row['carried_from']} 未完成")
    return "；".join(parts) or "待安装"


def prioritise(frame: pd.DataFrame, rules: tuple[str, ...] = DEFAULT_RULES) -> pd.DataFrame:
    """Candidates sorted by the rules in order (ties by household id), with rank and reason."""
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise BatchError(f"未知优先规则：{unknown}，可选：{'、'.join(RULES)}")
    keys = pd.DataFrame({f"_k{i}": _rule_key(frame, r) for i, r in enumerate(rules)})
    keys["_id"] = frame["household_id"].to_numpy()
    order = keys.sort_values([*keys.columns], kind="stable").index
    out = frame.loc[order].reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["reason"] = [_reason(row, rules) for _, row in out.iterrows()]
    return out


# ---------------------------------------------------------------- planning (pure)


def naive_order(items: pd.DataFrame) -> pd.DataFrame:
    """The office's usual order: by community id, then address, then household id."""
    return items.sort_values(
        ["community_id", "address", "household_id"], kind="stable", na_position="last"
    )


def chunked_travel_m(ordered: pd.DataFrame, per_day: int) -> float:
    """Walk length when `ordered` is cut into crew-days of `per_day` in that order."""
    total = 0.0
    lon, lat = ordered["lon"].to_numpy(float), ordered["lat"].to_numpy(float)
    for start in range(0, len(ordered), per_day):
        total += routing.path_m(lon[start : start + per_day], lat[start : start + per_day])
    return total


def planned_travel_m(items: pd.DataFrame) -> float:
    """Walk length of a plan: each crew-day in its visit order (seq)."""
    total = 0.0
    for _, g in items.sort_values(["day", "crew", "seq"]).groupby(["day", "crew"], sort=False):
        total += routing.path_m(g["lon"].to_numpy(float), g["lat"].to_numpy(float))
    return total


def propose(
    cands: pd.DataFrame,
    *,
    programme_id: str,
    street_id: str,
    month: str,
    crews: int,
    per_day: int,
    rules: tuple[str, ...] = DEFAULT_RULES,
) -> Plan:
    """A batch from candidates (the batch_candidates query + risk_score): no database access.

    1. Refusals and gas cut-offs are held back (shown apart); households already in an open
       batch are skipped; the rest are ranked by `rules` and cut to capacity.
    2. The chosen households are split into compact groups of at most `per_day`
       (geo.routing.compact_groups); the groups holding the most urgent households go first:
       group i is crew (i mod crews) + 1 on working day i div crews.
    3. Each crew-day gets a short visit order (geo.routing.visit_order).
    """
    if crews < 1 or per_day < 1:
        raise BatchError("班组数和每组每日户数都必须至少为 1")
    days = workdays.working_days(month)
    mine = cands[cands["street_id"] == street_id]
    blocked = mine["refused"].fillna(False).astype(bool) | mine["gas_cut"].fillna(False).astype(
        bool
    )
    held_back = mine[blocked].copy()
    free = mine[~blocked & mine["open_batch_id"].isna()]
    unplaced = free["lon"].isna() | free["lat"].isna()
    ranked = prioritise(free[~unplaced].reset_index(drop=True), rules)
    capacity = crews * per_day * len(days)
    chosen = ranked.head(capacity).copy()
    waiting = ranked.iloc[capacity:].copy()

    lon = chosen["lon"].to_numpy(float)
    lat = chosen["lat"].to_numpy(float)
    groups = routing.compact_groups(
        lon, lat, per_day, community=chosen["community_id"].fillna("").to_numpy()
    )
    chosen["_group"] = groups
    urgency = chosen.groupby("_group")["rank"].agg(["min", "mean"])
    group_order = urgency.sort_values(["min", "mean"], kind="stable").index.tolist()
    slot = {g: i for i, g in enumerate(group_order)}
    chosen["crew"] = [slot[g] % crews + 1 for g in groups]
    chosen["day"] = [days[slot[g] // crews] for g in groups]
    chosen["seq"] = 0
    for g in group_order:
        idx = np.flatnonzero(groups == g)
        order = routing.visit_order(lon[idx], lat[idx])
        chosen.iloc[idx[order], chosen.columns.get_loc("seq")] = np.arange(1, len(idx) + 1)
    items = chosen.drop(columns="_group").sort_values(["day", "crew", "seq"]).reset_index(drop=True)
    travel = planned_travel_m(items)
    naive = chunked_travel_m(naive_order(items), per_day)
    stats = {
        # Placed in the street by the roster but without coordinates: cannot be routed, so not
        # planned; the page names them so they are fixed, not forgotten.
        "no_coordinates": free.loc[unplaced, "household_id"].tolist(),
        "communities": int(items["community_id"].nunique()),
        "crew_days_per_community": round(
            float(
                items.groupby("community_id")[["day", "crew"]]
                .apply(lambda g: len(g.drop_duplicates()))
                .mean()
            )
            if len(items)
            else 0.0,
            2,
        ),
    }
    return Plan(
        programme_id=programme_id,
        street_id=street_id,
        month=month,
        crews=crews,
        per_day=per_day,
        rules=tuple(rules),
        workdays=days,
        items=items,
        held_back=held_back.reset_index(drop=True),
        waiting=waiting.reset_index(drop=True),
        travel_km=travel / 1000,
        naive_km=naive / 1000,
        stats=stats,
    )


def plan(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    street_id: str,
    month: str,
    crews: int,
    per_day: int,
    rules: tuple[str, ...] = DEFAULT_RULES,
    as_of: date | None = None,
) -> Plan:
    """Read candidates for one street and propose its batch for `month`."""
    as_of = as_of or latest_date(con, programme_id)
    cands = candidates(con, programme_id, [street_id], month, as_of)
    return propose(
        cands,
        programme_id=programme_id,
        street_id=street_id,
        month=month,
        crews=crews,
        per_day=per_day,
        rules=rules,
    )


def latest_date(con: duckdb.DuckDBPyConnection, programme_id: str) -> date:
    """The latest date with data (what the planner knows), or today for an empty programme."""
    status = queries.run(con, "data_status", programme_id=programme_id)
    latest = status["latest_date"].iloc[0] if len(status) else None
    return (
        pd.Timestamp(latest).date() if latest is not None and not pd.isna(latest) else clock.today()
    )


def street_id_for(con: duckdb.DuckDBPyConnection, name_or_id: str) -> str:
    """A street's region_id from its name (华阳路街道, 华阳路) or id."""
    row = queries.call(con, "batches.street_id_for", s=name_or_id).fetchone()
    if row is None:
        raise BatchError(f"找不到街道：{name_or_id}")
    return row[0]


# ---------------------------------------------------------------- storage and status


def _batch(con: duckdb.DuckDBPyConnection, batch_id: str, scope: list[str] | None) -> dict:
    row = queries.call(con, "batches.get", batch_id=batch_id).fetchone()
    if row is None:
        raise BatchError(f"找不到批次：{batch_id}")
    keys = (
        "batch_id",
        "programme_id",
        "street_id",
        "month",
        "crews",
        "per_day",
        "status",
        "revision",
    )
    found = dict(zip(keys, row, strict=True))
    if scope is not None and found["street_id"] not in scope:
        raise BatchError(f"无权操作其他街道的批次：{batch_id}")
    return found


def _editable(con: duckdb.DuckDBPyConnection, batch_id: str, scope: list[str] | None) -> dict:
    found = _batch(con, batch_id, scope)
    if found["status"] != "draft":
        raise BatchError(
            f"批次 {batch_id} 已{STATUSES[found['status']]}，不能直接修改；"
            "如需调整，请先“退回草稿”并填写理由（将记入审计日志）"
        )
    return found


def save(con: duckdb.DuckDBPyConnection, p: Plan, actor: str) -> str:
    """Store a proposed plan as a new draft batch; return its id ('<street>-<YYYY-MM>-<n>')."""
    if p.items.empty:
        raise BatchError("方案中没有住户，未保存")
    with _transaction(con):
        while True:  # the number comes from a sequence; skip one an older database used
            n = queries.call(con, "batches.next_number").fetchone()[0]
            batch_id = f"{p.street_id}-{p.month}-{n}"
            if not queries.call(con, "batches.exists", batch_id=batch_id).fetchone():
                break
        queries.call(
            con,
            "batches.insert",
            batch_id=batch_id,
            programme_id=p.programme_id,
            street_id=p.street_id,
            month=p.month,
            crews=p.crews,
            per_day=p.per_day,
            rules=json.dumps(list(p.rules)),
            travel_km=round(p.travel_km, 3),
            naive_km=round(p.naive_km, 3),
            created_by=actor,
            created_at=_now(),
        )
        rows = p.items[["household_id", "crew", "day", "seq", "reason"]].assign(
            batch_id=batch_id, added_by=actor
        )
        con.register("batch_rows", rows)
        queries.call(con, "batches.insert_items_from_batch_rows")
        con.unregister("batch_rows")
    audit.log(
        con,
        actor,
        "batch_status",
        f"batch:{batch_id}",
        {
            "status": "draft",
            "households": len(p.items),
            "crews": p.crews,
            "per_day": p.per_day,
            "rules": list(p.rules),
            "travel_km": round(p.travel_km, 2),
            "naive_km": round(p.naive_km, 2),
        },
    )
    return batch_id


def _now() -> datetime:
    return clock.now()


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    """All statements of one action land together or not at all. A concurrent change to the
    same batch (a double click from two sessions) makes DuckDB refuse one of the two: that one
    becomes a Chinese message and changes nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except duckdb.TransactionException as exc:  # a conflict, at a statement or at commit
        with contextlib.suppress(duckdb.Error):  # DuckDB may have rolled it back already
            con.execute("ROLLBACK")
        raise BatchError("批次刚被其他人修改，本次操作未执行；请刷新页面后再试") from exc
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    audit.seal(con)


def _claim(con: duckdb.DuckDBPyConnection, batch_id: str, status: str, revision: int) -> None:
    """Inside a transaction: the batch must still be in STATUS at REVISION, else nothing is
    done (another session got there first). Touching the row also makes two concurrent edits
    of one batch conflict, so one of them is refused instead of both half-applying."""
    hit = queries.call(
        con, "batches.claim", batch_id=batch_id, status=status, revision=revision
    ).fetchall()
    if not hit:
        raise BatchError(
            f"批次 {batch_id} 刚被其他人修改（已不是{STATUSES[status]}），本次操作未执行"
        )


def _event(con, b: dict, event: str, on: date, actor: str, households: int) -> None:
    # batch_event (migration 003) feeds the 逾期 page. A reopened and re-sent batch is a new
    # revision there ('…#2'), because that page treats a withdrawn batch id as closed for good.
    event_id = b["batch_id"] if b["revision"] == 1 else f"{b['batch_id']}#{b['revision']}"
    queries.call(
        con,
        "batches.insert_event",
        event_id=event_id,
        programme_id=b["programme_id"],
        street_id=b["street_id"],
        month=b["month"],
        households=households,
        event=event,
        event_on=on,
        actor=actor,
        recorded_at=_now(),
    )


def _active_count(con, batch_id: str) -> int:
    return queries.call(con, "batches.active_count", batch_id=batch_id).fetchone()[0]


def send(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    actor: str,
    scope: list[str] | None = None,
    on: date | None = None,
) -> None:
    """草稿 → 已下发: the roster goes to the gas company; the batch is locked from now on."""
    b = _editable(con, batch_id, scope)
    n = _active_count(con, batch_id)
    if n == 0:
        raise BatchError("批次中没有住户，不能下发")
    on = on or clock.today()
    with _transaction(con):
        hit = queries.call(
            con,
            "batches.mark_sent",
            actor=actor,
            at=_now(),
            batch_id=batch_id,
            revision=b["revision"],
        ).fetchall()
        if not hit:
            raise BatchError(f"批次 {batch_id} 已被下发或修改，未重复下发")
        _event(con, b, "sent", on, actor, n)
        audit.log(
            con,
            actor,
            "batch_status",
            f"batch:{batch_id}",
            {"from": "draft", "to": "sent", "households": n},
        )


def confirm(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    actor: str,
    scope: list[str] | None = None,
    on: date | None = None,
) -> None:
    """已下发 → 已确认: the gas company confirmed the roster."""
    b = _batch(con, batch_id, scope)
    if b["status"] != "sent":
        raise BatchError(f"只有已下发的批次可以确认（当前：{STATUSES[b['status']]}）")
    n = _active_count(con, batch_id)
    with _transaction(con):
        hit = queries.call(
            con,
            "batches.mark_confirmed",
            actor=actor,
            at=_now(),
            batch_id=batch_id,
            revision=b["revision"],
        ).fetchall()
        if not hit:
            raise BatchError(f"批次 {batch_id} 已被确认或退回，未重复确认")
        _event(con, b, "confirmed", on or clock.today(), actor, n)
        audit.log(
            con,
            actor,
            "batch_status",
            f"batch:{batch_id}",
            {"from": "sent", "to": "confirmed", "households": n},
        )


def reopen(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    actor: str,
    reason: str,
    scope: list[str] | None = None,
    on: date | None = None,
) -> None:
    """已下发/已确认 → 草稿, with a reason: the gas company's copy is withdrawn, revision + 1."""
    b = _batch(con, batch_id, scope)
    if b["status"] == "draft":
        raise BatchError("批次已是草稿")
    if not reason or not reason.strip():
        raise BatchError("退回草稿必须填写理由")
    n = _active_count(con, batch_id)
    with _transaction(con):
        hit = queries.call(
            con,
            "batches.reopen",
            batch_id=batch_id,
            status=b["status"],
            revision=b["revision"],
        ).fetchall()
        if not hit:
            raise BatchError(f"批次 {batch_id} 已被退回或修改，未重复退回")
        _event(con, b, "withdrawn", on or clock.today(), actor, n)
        _reopen_log(con, b, actor, reason)


def _reopen_log(con: duckdb.DuckDBPyConnection, b: dict, actor: str, reason: str) -> None:
    batch_id = b["batch_id"]
    audit.log(
        con,
        actor,
        "batch_status",
        f"batch:{batch_id}",
        {
            "from": b["status"],
            "to": "draft",
            "reason": reason.strip(),
            "revision": b["revision"] + 1,
        },
    )


# ---------------------------------------------------------------- editing a draft


def _item_lonlat(con, batch_id: str, crew: int, day: date) -> pd.DataFrame:
    return queries.call(con, "batches.crew_day_stops", batch_id=batch_id, crew=crew, day=day).df()


def resequence(con: duckdb.DuckDBPyConnection, batch_id: str, crew: int, day: date) -> None:
    """Recompute one crew-day's visit order after an edit."""
    stops = _item_lonlat(con, batch_id, crew, day)
    if stops.empty:
        return
    order = routing.visit_order(stops["lon"].to_numpy(float), stops["lat"].to_numpy(float))
    for i, j in enumerate(order):
        queries.call(
            con,
            "batches.set_seq",
            seq=i + 1,
            batch_id=batch_id,
            household_id=stops["household_id"].iloc[j],
        )


def _check_slot(con, b: dict, crew: int, day: date) -> None:
    if not 1 <= crew <= b["crews"]:
        raise BatchError(f"班组应在 1–{b['crews']} 之间")
    if day not in workdays.working_days(b["month"]):
        raise BatchError(f"{day} 不是 {b['month']} 的工作日")
    if len(_item_lonlat(con, b["batch_id"], crew, day)) >= b["per_day"]:
        raise BatchError(f"第 {crew} 班组 {day} 已排满（每日 {b['per_day']} 户）")


def _item(con, batch_id: str, household_id: str) -> tuple | None:
    return queries.call(
        con, "batches.item", batch_id=batch_id, household_id=household_id
    ).fetchone()


def remove_item(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    household_id: str,
    actor: str,
    reason: str,
    scope: list[str] | None = None,
) -> None:
    """Take a household out of a draft (kept as a removed row with who, when and why)."""
    b = _editable(con, batch_id, scope)
    with _transaction(con):
        _claim(con, batch_id, "draft", b["revision"])
        found = _item(con, batch_id, household_id)
        if found is None or found[2] is not None:
            raise BatchError(f"批次 {batch_id} 中没有住户 {household_id}")
        queries.call(
            con,
            "batches.remove_item",
            at=_now(),
            actor=actor,
            reason=reason or None,
            batch_id=batch_id,
            household_id=household_id,
        )
        resequence(con, batch_id, found[0], found[1])
        audit.log(
            con,
            actor,
            "edit",
            f"batch:{batch_id}",
            {"remove": household_id, "crew": found[0], "day": found[1], "reason": reason},
        )


def add_item(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    household_id: str,
    crew: int,
    day: date,
    actor: str,
    scope: list[str] | None = None,
) -> None:
    """Add a household (of the batch's street, not installed, in no other open batch) to a crew-day."""
    b = _editable(con, batch_id, scope)
    cands = queries.run(
        con,
        "batch_candidates",
        programme_id=b["programme_id"],
        as_of=clock.today(),
        month=month_start(b["month"]),
        street_ids=[b["street_id"]],
    )
    row = cands[cands["household_id"] == household_id]
    if row.empty:
        raise BatchError(f"住户 {household_id} 不在本街道的待安装名单中（或已安装）")
    if isinstance(row["open_batch_id"].iloc[0], str):
        raise BatchError(f"住户 {household_id} 已在批次 {row['open_batch_id'].iloc[0]} 中")
    reason = "手工加入"
    if bool(row["refused"].iloc[0]) or bool(row["gas_cut"].iloc[0]):
        reason += "（拒装或停气户，需先做工作）"
    with _transaction(con):
        _claim(con, batch_id, "draft", b["revision"])
        _check_slot(con, b, crew, day)
        found = _item(con, batch_id, household_id)
        if found is not None and found[2] is None:
            raise BatchError(f"住户 {household_id} 已在本批次中")
        if found is None:
            queries.call(
                con,
                "batches.add_item",
                batch_id=batch_id,
                household_id=household_id,
                crew=crew,
                day=day,
                reason=reason,
                actor=actor,
            )
        else:  # a household removed earlier comes back: same row, removal cleared
            queries.call(
                con,
                "batches.restore_item",
                crew=crew,
                day=day,
                reason=reason,
                actor=actor,
                batch_id=batch_id,
                household_id=household_id,
            )
        resequence(con, batch_id, crew, day)
        audit.log(
            con,
            actor,
            "edit",
            f"batch:{batch_id}",
            {"add": household_id, "crew": crew, "day": day},
        )


def move_item(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    household_id: str,
    crew: int,
    day: date,
    actor: str,
    scope: list[str] | None = None,
) -> None:
    """Move a household of a draft to another crew-day; both crew-days are re-ordered."""
    b = _editable(con, batch_id, scope)
    found = _item(con, batch_id, household_id)
    if found is None or found[2] is not None:
        raise BatchError(f"批次 {batch_id} 中没有住户 {household_id}")
    if (found[0], found[1]) == (crew, day):
        return
    with _transaction(con):
        _claim(con, batch_id, "draft", b["revision"])
        _check_slot(con, b, crew, day)
        queries.call(
            con,
            "batches.move_item",
            crew=crew,
            day=day,
            batch_id=batch_id,
            household_id=household_id,
            from_crew=found[0],
            from_day=found[1],
        )
        resequence(con, batch_id, found[0], found[1])
        resequence(con, batch_id, crew, day)
        audit.log(
            con,
            actor,
            "edit",
            f"batch:{batch_id}",
            {"move": household_id, "from": [found[0], found[1]], "to": [crew, day]},
        )


# ---------------------------------------------------------------- closing the loop and views


def mark_done_from_installations(con: duckdb.DuckDBPyConnection, programme_id: str) -> int:
    """Mark batch items done for households that now have an installation; return how many.

    Call after importing the gas company's completed roster (installations). Idempotent.
    """
    before = queries.call(con, "batches.done_count").fetchone()[0]
    queries.call(con, "batches.mark_done", programme_id=programme_id)
    after = queries.call(con, "batches.done_count").fetchone()[0]
    return after - before


def items(
    con: duckdb.DuckDBPyConnection, programme_id: str, batch_id: str, scope: list[str] | None
) -> pd.DataFrame:
    """A saved batch's items (removed ones last), within the user's scope."""
    return queries.run(
        con, "batch_items", programme_id=programme_id, batch_id=batch_id, street_ids=scope
    )


def progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Planned vs done per crew-day (removed items excluded)."""
    live = frame[frame["removed_at"].isna()] if "removed_at" in frame else frame
    done = live["done_on"].notna() if "done_on" in live else pd.Series(False, index=live.index)
    out = (
        live.assign(_done=done)
        .groupby(["day", "crew"], as_index=False)
        .agg(planned=("household_id", "size"), done=("_done", "sum"))
    )
    out["done"] = out["done"].astype(int)
    return out


def device_names(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict[str, str]:
    """gas_type → the device name(s) the programme installs for it (for a plan not yet saved)."""
    rows = queries.call(con, "batches.device_names", programme_id=programme_id).fetchall()
    return dict(rows)


def roster(frame: pd.DataFrame, devices: dict[str, str] | None = None) -> pd.DataFrame:
    """The 花名册 for the gas company, one row per planned household in visit order.

    `frame` is batch_items (device_name included) or Plan.items with `devices` from device_names.
    """
    live = frame[frame["removed_at"].isna()] if "removed_at" in frame else frame
    if devices is not None:
        live = live.assign(device_name=live["gas_type"].map(devices))
    live = live.sort_values(["day", "crew", "seq"])
    return pd.DataFrame(
        {
            "序号": np.arange(1, len(live) + 1),
            "户号": live["household_id"].to_numpy(),
            "街道": live["street_name"].to_numpy(),
            "社区": live["community_name"].to_numpy(),
            "地址": live["address"].to_numpy(),
            "姓名": live["name"].to_numpy(),
            "联系电话": live["phone"].to_numpy(),
            "燃气类型": live["gas_type"].map(GAS_TYPES).to_numpy(),
            "设备类型": live["device_name"].to_numpy() if "device_name" in live else None,
            "计划日期": [pd.Timestamp(d).date().isoformat() for d in live["day"]],
            "班组": [f"第{int(c)}组" for c in live["crew"]],
            "顺序": live["seq"].astype(int).to_numpy(),
        },
        columns=list(ROSTER_COLUMNS),
    )


def crew_day_count(n: int, per_day: int) -> int:
    """Crew-days needed for n households at per_day each."""
    return math.ceil(n / per_day) if per_day else 0
