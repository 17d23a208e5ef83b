"""A programme's dated milestones (阶段节点) from its template, and how far each is from a day.

Seed 001 sets more than an install deadline: 台账 by 2022-01-31, non-residential users by
2022-06-30, residential by 2023-10-31, 街道自查验收 by 2023-11-15 and the leadership group's
抽查验收 and ranking by 2023-11-30; each non-residential sector has its supervising departments.
These come from the phases (each phase's end) and the dated rules the phases do not already
give, and are shown on 逾期 and, when near, in the 周报."""

from __future__ import annotations

from datetime import date

import pandas as pd

# Dated rules of a template that are milestones, with their Chinese name and who is responsible
# (the rule that names them, if any). A rule already given as a phase end is not repeated.
DATED_RULES = {
    "street_self_acceptance_by": ("街道自查验收", "各街道办事处"),
    "group_spot_check_by": ("领导小组统一抽查验收、排名通报", "acceptance_by"),
}
NEAR_DAYS = 30  # the 周报 names a milestone due within this many days


def _day(value: object) -> date | None:
    if value is None or value == "":
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return None


def milestones(template: dict, as_of: date) -> pd.DataFrame:
    """One row per dated milestone: name, due (date), who, days_left (negative when past),
    in date order. Empty when the template has no dates beyond its own start and end."""
    rules = template.get("rules", {}) or {}
    rows: list[tuple[str, date, str]] = []
    for phase in template.get("phase", []) or []:
        if d := _day(phase.get("ends")):
            # a non-residential phase is the sectors' departments' to push (seed 001 五(四))
            who = "各行业监管部门" if phase.get("user_class") == "non_residential" else ""
            rows.append((str(phase.get("name") or phase.get("kind")), d, who))
    phase_days = {d for _, d, _ in rows}
    for cls in template.get("user_class", []) or []:
        d = _day(cls.get("ledger_deadline"))
        if d and d not in phase_days:
            rows.append((f"{cls.get('name') or cls['class']}建立台账", d, ""))
    for key, (name, who) in DATED_RULES.items():
        d = _day(rules.get(key))
        if d is None:
            continue
        who = str(rules.get(who) or "") if who in rules else who
        if d in phase_days:  # the phase says the same: name who is responsible on it
            rows = [(n, pd_, who if pd_ == d and not w else w) for n, pd_, w in rows]
        else:
            rows.append((name, d, who))
    frame = pd.DataFrame(rows, columns=["name", "due", "who"]).drop_duplicates(["name", "due"])
    frame["days_left"] = [(d - as_of).days for d in frame["due"]]
    return frame.sort_values(["due", "name"], kind="stable").reset_index(drop=True)


def sectors(template: dict) -> pd.DataFrame:
    """Seed 001 五(四)(八): each non-residential sector with its supervising departments."""
    rows = [
        (s.get("sector"), s.get("name") or s.get("sector"), "、".join(s.get("department") or []))
        for s in template.get("sector", []) or []
    ]
    return pd.DataFrame(rows, columns=["sector", "name", "departments"])


def near(template: dict, as_of: date, days: int = NEAR_DAYS, lang: str = "zh") -> list[str]:
    """Sentences for the 周报: each milestone due within `days` days of `as_of` (or due today);
    names stay Chinese (they are the plan's), `lang="en"` words the rest in English."""
    out = []
    for r in milestones(template, as_of).itertuples():
        if not 0 <= r.days_left <= days:
            continue
        if lang == "zh":
            who = f"（{r.who}）" if r.who else ""
            when = "今天截止" if r.days_left == 0 else f"还剩 {r.days_left} 天"
            out.append(
                f"{r.name}{who}须于{r.due.year}年{r.due.month}月{r.due.day}日前完成，{when}。"
            )
        else:
            who = f" ({r.who})" if r.who else ""
            when = "due today" if r.days_left == 0 else f"{r.days_left} days left"
            out.append(f"{r.name}{who} is due by {r.due.isoformat()}: {when}.")
    return out
