"""Settlement (结算): what each payer owes for a month or quarter, exact to the fen.

Seeds 000/001/002: installations whose verification (验收) date falls in the
period, not failed at spot check, not of an opted-out household, × the device set's price × the
payer's share. Where the programme samples its work (`settlement_requires_spot_check`, on by
default with a spot-check rate), a street's installations wait (待核验) until every household
of that street's sample for the month they were done has a recorded result. Shares are stored as DOUBLE; the exact fraction is recovered with
`Fraction(share).limit_denominator(1000)` (1/3 stays 1/3). Each item's total is split over its
payers by largest remainder, so the payers' fens add up to the item total exactly and the 合计
row reconciles with the price list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

import duckdb
import pandas as pd

import queries
from data.messages import render
from data.money import finance_rules

FEN = Decimal("0.01")
DEVICE_ITEM = "device"  # the device set's price (TEMPLATE_KEYS); a device_type id narrows it
ITEM_LABELS = {"device": "设备费", "installation": "安装及调试费"}
RESIDENT = "居民"
# The spot-check gate's columns (settlement_installations): read for the 原因, not listed.
GATE_COLUMNS = ["sample_month", "drawn", "sampled", "sample_checked"]


def exact_share(share: float) -> Fraction:
    """The fraction a stored DOUBLE share stands for: 0.3333333333333333 → 1/3, 0.4 → 2/5."""
    return Fraction(share).limit_denominator(1000)


def share_text(share: Fraction) -> str:
    """40% for shares that are whole percents, 1/3 for the others."""
    pct = share * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else str(share)


def to_fen(amount: Fraction | Decimal) -> Decimal:
    """Round half up to the fen."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def split(total: Decimal, shares: dict[str, Fraction]) -> dict[str, Decimal]:
    """Split a total (in fen) over payers by their shares; the parts add up to total × Σshares.

    Largest remainder: each payer gets the floor of its exact part, the fens left go to the
    largest remainders (ties: larger share, then payer name).
    """
    exact = {p: Fraction(total) * s for p, s in shares.items()}
    target = to_fen(sum(exact.values(), Fraction(0)))
    out = {
        p: (Decimal(v.numerator) / Decimal(v.denominator)).quantize(FEN, rounding=ROUND_FLOOR)
        for p, v in exact.items()
    }
    left = int((target - sum(out.values(), Decimal(0))) / FEN)
    order = sorted(shares, key=lambda p: (-(exact[p] - Fraction(out[p])), -shares[p], p))
    for p in order[:left]:
        out[p] += FEN
    return out


@dataclass
class Settlement:
    """One period's settlement: payer rows, the 合计, and every installation in or out, with why."""

    programme_id: str
    period: str
    payers: list[dict]  # {payer, item, share, amount_cny}
    total_cny: Decimal
    included: pd.DataFrame
    excluded: pd.DataFrame  # with 原因
    unpriced_items: list[dict]
    residents: pd.DataFrame  # resident share per household: 应收, 已收, 收取日期, 收取单位
    opted_out: pd.DataFrame
    months: list[str]
    unaccepted: list[dict]  # {month, street_name}
    accepted_months_only: bool
    unchecked: list[dict] = field(default_factory=list)  # see unchecked_months
    checked_only: bool = False
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The CLI's JSON: money as exact decimal strings (no floats); with the spot-check gate
        on, the street-months it left waiting."""
        out = {
            "programme_id": self.programme_id,
            "period": self.period,
            "installations": len(self.included),
            "payers": [
                {"payer": r["payer"], "item": r["item"], "amount_cny": str(r["amount_cny"])}
                for r in self.payers
            ],
            "total_cny": str(self.total_cny),
        }
        if self.checked_only:
            out["waiting"] = self.unchecked
        return out

    def payer_frame(self) -> pd.DataFrame:
        """Payer rows and the 合计 row, for the page and Excel (amounts as Decimal)."""
        homes = len(set(self.included["household_id"])) if len(self.included) else 0
        return _payer_frame(self.payers, homes, self.total_cny)


def _payer_frame(payers: list[dict], households: int, total_cny: Decimal) -> pd.DataFrame:
    rows = [
        {
            "付款方": r["payer"],
            "费用项": ITEM_LABELS.get(r["item"], r["item"]),
            "分担比例": share_text(r["share"]),
            "户数": r["households"],
            "金额（元）": r["amount_cny"],
        }
        for r in payers
    ]
    rows.append(
        {
            "付款方": "合计",
            "费用项": "",
            "分担比例": "",
            "户数": households,
            "金额（元）": total_cny,
        }
    )
    return pd.DataFrame(rows)


def _why(
    r, accepted_months_only: bool, checked_only: bool = False, by: str | None = None
) -> str | None:
    """Why an installation (a settlement_installations row) is not settled; None if it is."""
    if isinstance(r.opt_out_reason, str):
        return f"已选择不参加：{r.opt_out_reason}"
    if r.check_result == "不合格":
        on = pd.Timestamp(r.checked_on).date()
        return f"抽查不合格（{on}：{r.failed_items or ''}），复查合格前不结算"
    if r.unit_price_cny is None or r.unit_price_cny != r.unit_price_cny:
        return f"设备类型「{r.device_type}」没有单价"
    if checked_only and not (r.sampled and r.sample_checked >= r.sampled):
        return WAITING + gate_text(
            r.street_name, r.sample_month, r.drawn, r.sampled, r.sample_checked, by
        )
    if accepted_months_only and r.acceptance != "accepted":
        return f"{r.street_name} {r.month} 尚未验收"
    return None


def gate_text(
    street: str,
    month: str,
    drawn: bool,
    sampled: int,
    checked: int,
    by: str | None,
    lang: str = "zh",
) -> str:
    """Why a street's month waits for its spot check, and who must act."""
    who = by or render("settle.gate.someone", lang)
    if not drawn:
        return render("settle.gate.undrawn", lang, street=street, month=month, by=who)
    if not sampled:
        return render("settle.gate.outside", lang, street=street, month=month, by=who)
    return render(
        "settle.gate.partial", lang, street=street, month=month, by=who, n=sampled, done=checked
    )


WAITING = "待核验："
# The reasons gate_text writes (in Chinese, as stored in the 未结算 list), read back so a page can
# say them in another language.
_WAITING = {
    "undrawn": re.compile(
        r"^(?P<street>.+) (?P<month>\d{4}-\d{2}) 尚未抽取抽查样本（由(?P<by>.*)抽取并核验）$"
    ),
    "outside": re.compile(
        r"^(?P<street>.+) (?P<month>\d{4}-\d{2}) 的安装不在抽查样本中.*须由(?P<by>.*)重新抽取样本$"
    ),
    "partial": re.compile(
        r"^(?P<street>.+) (?P<month>\d{4}-\d{2}) 抽查样本已核验 (?P<done>\d+)/(?P<n>\d+) 户"
        r"，全部录入结果前不结算（由(?P<by>.*)核验）$"
    ),
}


def waiting_parts(reason: str) -> tuple[str, dict[str, str]] | None:
    """A 待核验 reason as (undrawn | outside | partial, its parts); None for any other reason."""
    if not reason.startswith(WAITING):
        return None
    for kind, pattern in _WAITING.items():
        hit = pattern.match(reason[len(WAITING) :])
        if hit:
            return kind, hit.groupdict()
    return None


def unchecked_months(rows: pd.DataFrame, by: str | None) -> list[dict]:
    """The street-months waiting for their spot check: {street_name, month, drawn, sampled,
    checked, installations, text (why, and who must act)}, in (month, street) order."""
    out = []
    for r in rows.itertuples():
        u = {
            "street_name": r.street_name,
            "month": r.sample_month,
            "drawn": bool(r.drawn),
            "sampled": int(r.sampled),
            "checked": int(r.sample_checked),
            "installations": int(r.installations),
        }
        u["text"] = gate_text(
            u["street_name"], u["month"], u["drawn"], u["sampled"], u["checked"], by
        )
        out.append(u)
    return sorted(out, key=lambda u: (u["month"], u["street_name"]))


def _shares(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict[str, dict[str, Fraction]]:
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for r in queries.run(con, "cost_shares", programme_id=programme_id).itertuples():
        out[r.item][r.payer] = exact_share(r.share)
    return out


def compute(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    period: str,
    street_ids: list[str] | None = None,
    accepted_months_only: bool | None = None,
    checked_only: bool | None = None,
) -> Settlement:
    """The settlement of one month ('2024-07') or quarter ('2024-Q3').

    accepted_months_only=None follows the programme's `settlement_requires_acceptance` rule,
    checked_only=None its `settlement_requires_spot_check`.
    """
    rules = finance_rules.load(con, programme_id)
    period, start, end, accepted_months_only, checked_only = _period(
        rules, period, accepted_months_only, checked_only
    )
    rows = queries.run(
        con,
        "settlement_installations",
        programme_id=programme_id,
        start=start,
        end=end,
        street_ids=street_ids,
    )
    rows["原因"] = [
        _why(r, accepted_months_only, checked_only, rules.spot_check_by) for r in rows.itertuples()
    ]
    waiting = rows[rows["sample_checked"] < rows["sampled"].clip(lower=1)]
    included = rows[rows["原因"].isna()].drop(columns=["原因", *GATE_COLUMNS])
    included = included.reset_index(drop=True)
    excluded = rows[rows["原因"].notna()].drop(columns=GATE_COLUMNS).reset_index(drop=True)
    unaccepted = (
        rows[rows["acceptance"] != "accepted"][["month", "street_name"]]
        .drop_duplicates()
        .sort_values(["month", "street_name"])
        .to_dict("records")
    )
    unchecked = unchecked_months(
        waiting.groupby(
            ["street_name", "sample_month", "drawn", "sampled", "sample_checked"], as_index=False
        )
        .size()
        .rename(columns={"size": "installations"}),
        rules.spot_check_by,
    )

    shares = _shares(con, programme_id)
    specific = {item for item in shares if item in set(rows["device_type"])}
    types = _device_types(con, programme_id)
    payers, unpriced = [], []
    residents: dict[str, Decimal] = defaultdict(Decimal)
    resident_payer = None
    for item, by_payer in shares.items():
        if item == DEVICE_ITEM:
            applies = included[~included["device_type"].isin(specific)]
        elif item in specific or item in types:
            applies = included[included["device_type"] == item]
        else:
            unpriced.append({"item": item, "payers": sorted(by_payer)})
            continue
        prices = [Decimal(p) for p in applies["unit_price_cny"]]
        parts = split(sum(prices, Decimal(0)), by_payer)
        for payer in sorted(by_payer, key=lambda p: (-by_payer[p], p)):
            payers.append(
                {
                    "payer": payer,
                    "item": item,
                    "share": by_payer[payer],
                    "households": applies["household_id"].nunique(),
                    "amount_cny": parts[payer],
                }
            )
            if rules.resident_share_collected_by and payer == RESIDENT:
                resident_payer = payer
                for hid, price in zip(applies["household_id"], prices, strict=True):
                    residents[hid] += to_fen(Fraction(price) * by_payer[payer])
    total = sum((r["amount_cny"] for r in payers), Decimal(0))
    notes = _notes(unpriced)
    return Settlement(
        programme_id=programme_id,
        period=period,
        payers=payers,
        total_cny=total,
        included=included,
        excluded=excluded,
        unpriced_items=unpriced,
        residents=_resident_frame(con, programme_id, street_ids, residents, rules, resident_payer),
        opted_out=queries.run(
            con, "opted_out_households", programme_id=programme_id, street_ids=street_ids
        ),
        months=finance_rules.period_months(period),
        unaccepted=unaccepted,
        accepted_months_only=bool(accepted_months_only),
        unchecked=unchecked,
        checked_only=checked_only,
        notes=notes,
    )


@dataclass
class Summary:
    """One period's settlement as the page shows it, counted in SQL (settlement_totals): the
    same payer rows, 合计 and counts as `compute`, without fetching the installations. The
    unsettled list comes a page at a time (`unsettled_page`); the workbook needs `compute`."""

    programme_id: str
    period: str
    payers: list[dict]  # {payer, item, share, households, amount_cny}
    total_cny: Decimal
    included: int  # settled installations (lines)
    households: int  # settled households
    excluded: int  # unsettled installations
    unpriced_items: list[dict]
    opted_out: pd.DataFrame
    months: list[str]
    unaccepted: list[dict]  # {month, street_name}
    accepted_months_only: bool
    unchecked: list[dict] = field(default_factory=list)  # see unchecked_months
    checked_only: bool = False
    notes: list[str] = field(default_factory=list)

    def payer_frame(self) -> pd.DataFrame:
        """Payer rows and the 合计 row, as Settlement.payer_frame."""
        return _payer_frame(self.payers, self.households, self.total_cny)


def _period(rules, period: str, accepted_months_only: bool | None, checked_only: bool | None):
    """(normal period, first day, last day, whether only accepted months settle, whether only
    spot-checked months settle)."""
    period = finance_rules.normal_period(period)
    start, end = finance_rules.period_bounds(period)
    if accepted_months_only is None:
        accepted_months_only = rules.settlement_requires_acceptance
    if checked_only is None:
        checked_only = rules.settlement_requires_spot_check
    return period, start, end, bool(accepted_months_only), bool(checked_only)


def summary(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    period: str,
    street_ids: list[str] | None = None,
    accepted_months_only: bool | None = None,
    checked_only: bool | None = None,
) -> Summary:
    """The page's view of `compute(...)`: payer rows, 合计 and counts, summed in SQL."""
    rules = finance_rules.load(con, programme_id)
    period, start, end, only, checked = _period(rules, period, accepted_months_only, checked_only)
    parts = queries.run(
        con,
        "settlement_totals",
        programme_id=programme_id,
        start=start,
        end=end,
        street_ids=street_ids,
        accepted_only=only,
        checked_only=checked,
    )
    by_part = {p: g for p, g in parts.groupby("part")}
    empty = parts.iloc[0:0]
    items = {
        r.item: (Decimal(r.amount_cny), int(r.households))
        for r in by_part.get("item", empty).itertuples()
    }
    settled = by_part.get("all", empty)
    unsettled = by_part.get("unsettled", empty)
    met = set(by_part.get("type", empty)["item"])
    shares = _shares(con, programme_id)
    specific = {item for item in shares if item in met}
    types = _device_types(con, programme_id)
    payers, unpriced = [], []
    for item, by_payer in shares.items():
        if item != DEVICE_ITEM and not (item in specific or item in types):
            unpriced.append({"item": item, "payers": sorted(by_payer)})
            continue
        amount, homes = items.get(item, (Decimal(0), 0))
        parts_ = split(amount, by_payer)
        for payer in sorted(by_payer, key=lambda p: (-by_payer[p], p)):
            payers.append(
                {
                    "payer": payer,
                    "item": item,
                    "share": by_payer[payer],
                    "households": homes,
                    "amount_cny": parts_[payer],
                }
            )
    unaccepted = sorted(
        (
            {"month": r.month, "street_name": r.street_name}
            for r in by_part.get("unaccepted", empty).itertuples()
        ),
        key=lambda u: (u["month"], u["street_name"]),
    )
    return Summary(
        programme_id=programme_id,
        period=period,
        payers=payers,
        total_cny=sum((r["amount_cny"] for r in payers), Decimal(0)),
        included=int(settled["lines"].sum()),
        households=int(settled["households"].sum()),
        excluded=int(unsettled["lines"].sum()),
        unpriced_items=unpriced,
        opted_out=queries.run(
            con, "opted_out_households", programme_id=programme_id, street_ids=street_ids
        ),
        months=finance_rules.period_months(period),
        unaccepted=unaccepted,
        accepted_months_only=only,
        unchecked=unchecked_months(
            by_part.get("unchecked", empty).rename(
                columns={"month": "sample_month", "lines": "installations"}
            ),
            rules.spot_check_by,
        ),
        checked_only=checked,
        notes=_notes(unpriced),
    )


def unsettled_page(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    period: str,
    street_ids: list[str] | None,
    accepted_months_only: bool | None,
    limit: int,
    offset: int = 0,
    checked_only: bool | None = None,
) -> tuple[pd.DataFrame, int]:
    """One page of `compute(...).excluded` (same rows, order and 原因) and the whole list's length."""
    rules = finance_rules.load(con, programme_id)
    period, start, end, only, checked = _period(rules, period, accepted_months_only, checked_only)
    rows = queries.run(
        con,
        "settlement_unsettled_page",
        programme_id=programme_id,
        start=start,
        end=end,
        street_ids=street_ids,
        accepted_only=only,
        checked_only=checked,
        limit=limit,
        offset=offset,
    )
    total = int(rows["total_rows"].iloc[0]) if len(rows) else 0
    rows = rows.drop(columns="total_rows")
    rows["原因"] = [_why(r, only, checked, rules.spot_check_by) for r in rows.itertuples()]
    return rows.drop(columns=GATE_COLUMNS), total


RESIDENT_COLUMNS = ["户号", "应收（元）", "收取状态", "实收（元）", "收取日期", "收取单位"]


def _notes(unpriced: list[dict]) -> list[str]:
    return [
        f"「{ITEM_LABELS.get(u['item'], u['item'])}」没有单价（由{'、'.join(u['payers'])}承担），不计金额"
        for u in unpriced
    ]


def _device_types(con: duckdb.DuckDBPyConnection, programme_id: str) -> set[str]:
    return {
        r[0]
        for r in queries.call(con, "settlement.device_types", programme_id=programme_id).fetchall()
    }


def _resident_frame(con, programme_id, street_ids, owed, rules, payer) -> pd.DataFrame:
    if not owed:
        return pd.DataFrame(columns=RESIDENT_COLUMNS)
    paid = {
        r.household_id: r
        for r in queries.run(
            con, "resident_payments", programme_id=programme_id, street_ids=street_ids
        ).itertuples()
    }
    rows = []
    for hid in sorted(owed):
        p = paid.get(hid)
        rows.append(
            {
                "户号": hid,
                "应收（元）": owed[hid],
                "收取状态": "已收取" if p is not None else "未收取",
                "实收（元）": Decimal(p.amount_cny) if p is not None else None,
                "收取日期": pd.Timestamp(p.collected_on).date() if p is not None else None,
                "收取单位": (p.collected_by if p is not None else None)
                or rules.resident_share_collected_by,
            }
        )
    return pd.DataFrame(rows, columns=RESIDENT_COLUMNS)
