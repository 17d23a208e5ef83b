"""Who may be planned and in which order: candidates of a street and the switchable priority rules."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import numpy as np
import pandas as pd

import queries
from data.batches.common import DEFAULT_RULES, RULES, BatchError
from data.setup import workdays


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
    return workdays.month_start(month)


def candidates(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    street_ids: list[str] | None,
    month: str,
    as_of: date,
) -> pd.DataFrame:
    """Not-installed households in scope with status, priority fields and fire-risk score."""
    return queries.run(
        con,
        "batch_candidates",
        programme_id=programme_id,
        as_of=as_of,
        month=month_start(month),
        street_ids=street_ids,
    )


# LPG households are the bigger hazard (hoses, cylinders indoors), so they come first — but at
# twice their share of what is left, interleaved with piped households, not all of them before
# anyone else: a street whose LPG users fill a month leaves its piped crews idle and its piped
# households waiting months (a 无定河镇 batch of 528 was 505 LPG).
LPG_WEIGHT = 2.0


def lpg_slots(is_lpg: pd.Series) -> pd.Series:
    """Sort keys that interleave LPG households (in their given order) with the others so that
    any first k of them hold about min(1, LPG_WEIGHT × LPG share) LPG households."""
    n, lpg = len(is_lpg), int(is_lpg.sum())
    if not n or lpg in (0, n):
        return pd.Series(0.0, index=is_lpg.index)
    rate = min(1.0, LPG_WEIGHT * lpg / n)
    flag = is_lpg.to_numpy()
    nth = np.empty(n)
    nth[flag] = np.arange(lpg)
    nth[~flag] = np.arange(n - lpg)
    # the i-th LPG household takes slot (i + ½) / rate, the j-th other (j + ½) / (1 − rate)
    slots = np.where(flag, (nth + 0.5) / rate, (nth + 0.5) / max(1.0 - rate, 1e-9))
    return pd.Series(slots, index=is_lpg.index)


def _rule_key(frame: pd.DataFrame, rule: str) -> pd.Series:
    """A sort key per rule: smaller comes first."""
    if rule == "hazard":
        return (~frame["hazard_open"].fillna(False).astype(bool)).astype(int)
    if rule == "risk":
        return -frame["risk_score"].fillna(0.0)
    if rule == "age":
        return -pd.to_numeric(frame["age"], errors="coerce").fillna(0)
    if rule == "lpg":
        return lpg_slots(frame["gas_type"] == "lpg")
    if rule == "behind":
        return frame["community_completion"].fillna(0.0).round(4)
    raise BatchError("batch.unknown_rule", rule=repr(rule), rules=", ".join(RULES))


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
        raise BatchError("batch.unknown_rule", rule=unknown, rules=", ".join(RULES))
    if "lpg" in rules:
        # LPG slots follow each group's own order under the rules after it (and the id)
        later = rules[rules.index("lpg") + 1 :]
        inner = pd.DataFrame({f"_k{i}": _rule_key(frame, r) for i, r in enumerate(later)})
        inner["_id"] = frame["household_id"].to_numpy()
        frame = frame.loc[inner.sort_values([*inner.columns], kind="stable").index]
    keys = pd.DataFrame({f"_k{i}": _rule_key(frame, r) for i, r in enumerate(rules)})
    keys["_id"] = frame["household_id"].to_numpy()
    order = keys.sort_values([*keys.columns], kind="stable").index
    out = frame.loc[order].reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["reason"] = [_reason(row, rules) for _, row in out.iterrows()]
    return out
