"""Explainable fire-risk score of an elderly household from the seed-004 registry fields.

score = Σ weight(factor) × units(factor). Units are counts a reader can check on the registry
card (1 = the condition holds; age bands and open hazards count up to a cap), so each
household's explanation lists its factors with the points each adds, and they sum to the score.
Unknown (not recorded) fields add nothing: the score says what is known to be wrong.

Weights: the programme template's [risk_weights] are the defaults; the fire-safety office edits
them on the 火灾风险 page, each edit appended to table risk_weight (latest row wins) and to the
audit log with old → new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

import queries
from data.messages import render
from data.store import audit
from data.store.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Factor:
    """One scored condition: its key (as in [risk_weights]), Chinese label and rule."""

    key: str
    label: str
    rule: str
    max_units: int = 1


# Age: 80 is where 高龄 starts (seed 000); each further 5 years is one more band, capped at 4
# (95+), so a 99-year-old non-smoker does not outrank a smoker in a brick-and-timber house.
AGE_START, AGE_BAND_YEARS, AGE_MAX_BANDS = 80, 5, 4
OLD_BUILDING_BEFORE = 1980  # wiring older than the 1980s codes; seed 004 asks for 建成年代
HIGH_FLOOR_FROM = 7  # 7+ floors: slow stairs for an old person (no lift assumed)
COMBUSTIBLE_NATURES = ("砖木", "木结构", "土木", "土坯", "老式里弄", "简易房", "棚户")
MAX_OPEN_HAZARDS = 3
DEFAULT_OVERDUE_DAYS = 90
DEFAULT_WEIGHT = 1.0  # for a programme whose template has no [risk_weights]

FACTORS: tuple[Factor, ...] = (
    Factor(
        "age_band",
        "高龄",
        f"{AGE_START} 岁起每 {AGE_BAND_YEARS} 岁一档（最多 {AGE_MAX_BANDS} 档）",
        AGE_MAX_BANDS,
    ),
    Factor("lives_alone", "独居", "登记为独居"),
    Factor("smoker", "吸烟", "有吸烟抽烟情形"),
    Factor("drinker", "饮酒", "有饮酒情形"),
    Factor("combustible_building", "建筑耐火差", "建筑性质为" + "、".join(COMBUSTIBLE_NATURES)),
    Factor("old_building", "老旧建筑", f"{OLD_BUILDING_BEFORE} 年以前建成"),
    Factor("high_floor", "楼层高", f"居住建筑 {HIGH_FLOOR_FROM} 层及以上"),
    Factor("no_smoke_detector", "无感烟探测器", "未安装联网型独立式感烟探测器"),
    Factor("no_one_key_alarm", "无一键报警", "未安装一键报警器或视频监控"),
    Factor("no_rcd", "无漏电保护", "未安装三级漏电保护装置"),
    Factor("no_gas_autoshutoff", "无燃气自动切断", "用燃气但未安装燃气泄漏自动断阀装置"),
    Factor("lpg", "使用液化气", "使用瓶装液化石油气"),
    Factor(
        "open_hazard",
        "隐患未整改",
        f"每处未整改隐患一档（最多 {MAX_OPEN_HAZARDS} 档）",
        MAX_OPEN_HAZARDS,
    ),
    Factor("no_helper", "无帮扶人或联系不上", "未落实“一对一”帮扶人，或帮扶人无联系电话"),
    Factor("visit_overdue", "久未走访", "超过规定天数未上门走访（未遇到人不算）"),
)
FACTOR_KEYS = tuple(f.key for f in FACTORS)
BY_KEY = {f.key: f for f in FACTORS}
DEVICE_FACTORS = ("no_smoke_detector", "no_one_key_alarm", "no_rcd", "no_gas_autoshutoff")


@dataclass(frozen=True)
class Registry:
    """Who a programme's fire-risk registry holds, from its settings (fire_risk_config decides
    the same in SQL): its [programme.eligibility], or its whole list (`registry = true`), or
    nobody — a programme of gas users (seed 002) keeps no registry of elderly people."""

    exists: bool
    min_age: int | None = None
    alone_only: bool = False

    def text(self, lang: str = "zh") -> str:
        """The rule in a cadre's words: 年满60周岁的独居老人 / 项目名单内的老人."""
        if not self.exists:
            return ""
        if self.min_age is None and not self.alone_only:
            return render("registry.listed", lang)
        who = render("registry.alone" if self.alone_only else "registry.elderly", lang)
        if self.min_age is None:
            return who
        return render("registry.aged", lang, age=self.min_age, who=who)


@dataclass(frozen=True)
class Config:
    """Weights in force for a programme, their defaults, the visit rule and the registry rule."""

    weights: dict[str, float]
    defaults: dict[str, float]
    overdue_days: int
    changes: pd.DataFrame  # every edit: factor, weight, changed_by, changed_at
    registry: Registry = Registry(exists=True)

    def table(self) -> pd.DataFrame:
        """One row per factor: key, label, rule, default, weight in force, last changed by/at."""
        last = self.changes.groupby("factor").tail(1).set_index("factor")
        return pd.DataFrame(
            {
                "factor": FACTOR_KEYS,
                "label": [f.label for f in FACTORS],
                "rule": [f.rule for f in FACTORS],
                "default": [self.defaults[k] for k in FACTOR_KEYS],
                "weight": [self.weights[k] for k in FACTOR_KEYS],
                "changed_by": [last["changed_by"].get(k) for k in FACTOR_KEYS],
                "changed_at": [last["changed_at"].get(k) for k in FACTOR_KEYS],
            }
        )


def config_from_row(row: pd.DataFrame) -> Config:
    """Build the Config from the one-row result of the `risk_weights` query."""
    if row.empty:
        raise KeyError("找不到该工作项目")
    rec = row.iloc[0]
    given = json.loads(rec["defaults"]) if isinstance(rec["defaults"], str) else {}
    unknown = set(given) - set(FACTOR_KEYS)
    if unknown:
        raise ValueError(f"项目模板 [risk_weights] 中有未知因素：{sorted(unknown)}")
    defaults = {k: float(given.get(k, DEFAULT_WEIGHT)) for k in FACTOR_KEYS}
    changes = pd.DataFrame(
        list(rec["changes"]) if isinstance(rec["changes"], list | np.ndarray) else [],
        columns=["factor", "weight", "changed_by", "changed_at"],
    )
    weights = dict(defaults)
    for ch in changes.itertuples():
        if ch.factor in weights:  # ordered by change_id: the latest row wins
            weights[ch.factor] = float(ch.weight)
    overdue = rec["visit_overdue_days"]
    overdue_days = int(overdue) if overdue is not None and not pd.isna(overdue) else None
    min_age = rec.get("min_age")
    registry = Registry(
        exists=bool(rec.get("has_registry", True)),
        min_age=None if min_age is None or pd.isna(min_age) else int(min_age),
        alone_only=bool(rec.get("alone_only", False)),
    )
    return Config(weights, defaults, overdue_days or DEFAULT_OVERDUE_DAYS, changes, registry)


def load_config(con: duckdb.DuckDBPyConnection, programme_id: str) -> Config:
    """Weights in force for a programme: template defaults with the latest edits applied."""
    return config_from_row(queries.run(con, "risk_weights", programme_id=programme_id))


def set_weights(
    con: duckdb.DuckDBPyConnection, programme_id: str, new: dict[str, float], actor: str
) -> dict[str, tuple[float, float]]:
    """Record changed weights (append-only) and audit-log each old → new; return the changes.

    One transaction: every changed weight and its audit entry land together. The comparison with
    the weights in force is made inside it, so a double submit records nothing the second time.
    """
    for key, value in new.items():
        if key not in BY_KEY:
            raise ValueError(f"未知风险因素：{key!r}")
        value = float(value)
        if not np.isfinite(value) or value < 0 or value > 100:
            raise ValueError(f"权重须在 0 到 100 之间：{BY_KEY[key].label} = {value}")
    with unit_of_work(con, actor) as uow:
        changed = _record_weights(con, programme_id, new, actor)
        if changed:  # every stored score of the programme uses the new weights
            uow.touch_scores(programme_id)
    return changed


def _record_weights(
    con: duckdb.DuckDBPyConnection, programme_id: str, new: dict[str, float], actor: str
) -> dict[str, tuple[float, float]]:
    current = load_config(con, programme_id).weights
    changed = {
        key: (current[key], float(value))
        for key, value in new.items()
        if float(value) != current[key]
    }
    for key, (old, value) in changed.items():
        queries.call(
            con,
            "risk.weight_set",
            programme_id=programme_id,
            factor=key,
            weight=value,
            changed_by=actor,
        )
        audit.log(
            con,
            actor,
            "edit",
            f"risk_weight:{programme_id}:{key}",
            {"factor": BY_KEY[key].label, "old": old, "new": value},
        )
    return changed


def _true(col: pd.Series) -> np.ndarray:
    # Registry booleans may be missing: only a recorded True counts.
    return col.fillna(False).astype(bool).to_numpy()


def _false(col: pd.Series) -> np.ndarray:
    return (col.astype("boolean") == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712


def units(frame: pd.DataFrame, as_of: date, overdue_days: int) -> pd.DataFrame:
    """How many units of each factor every household has (columns = factor keys).

    `frame` has the columns of the fire_risk_households query (age, smoker, … last_visit).
    """
    age = pd.to_numeric(frame["age"], errors="coerce").to_numpy(dtype=float)
    bands = np.where(age >= AGE_START, np.floor((age - AGE_START) / AGE_BAND_YEARS) + 1, 0).clip(
        0, AGE_MAX_BANDS
    )
    build_year = pd.to_numeric(frame["build_year"], errors="coerce").to_numpy(dtype=float)
    floors = pd.to_numeric(frame["floors"], errors="coerce").to_numpy(dtype=float)
    uses_gas = frame["gas_type"].isin(["piped", "lpg"]).to_numpy()
    helper_missing = (
        frame["helper_name"].fillna("").astype(str).str.strip().eq("")
        | frame["helper_phone"].fillna("").astype(str).str.strip().eq("")
    ).to_numpy()
    last = pd.to_datetime(frame["last_visit"], errors="coerce")
    days = (pd.Timestamp(as_of) - last).dt.days.to_numpy(dtype=float)
    out = {
        "age_band": np.nan_to_num(bands),
        "lives_alone": _true(frame["lives_alone"]),
        "smoker": _true(frame["smoker"]),
        "drinker": _true(frame["drinker"]),
        "combustible_building": frame["building_nature"].isin(COMBUSTIBLE_NATURES).to_numpy(),
        "old_building": np.nan_to_num(build_year, nan=9999) < OLD_BUILDING_BEFORE,
        "high_floor": np.nan_to_num(floors, nan=0) >= HIGH_FLOOR_FROM,
        "no_smoke_detector": _false(frame["has_smoke_detector"]),
        "no_one_key_alarm": _false(frame["has_one_key_alarm"]),
        "no_rcd": _false(frame["has_rcd"]),
        "no_gas_autoshutoff": _false(frame["has_gas_autoshutoff"]) & uses_gas,
        "lpg": (frame["gas_type"] == "lpg").to_numpy(),
        "open_hazard": np.minimum(
            pd.to_numeric(frame["open_hazards"], errors="coerce").fillna(0).to_numpy(),
            MAX_OPEN_HAZARDS,
        ),
        "no_helper": helper_missing,
        # Never visited counts as overdue: nobody has been to check.
        "visit_overdue": np.isnan(days) | (days > overdue_days),
    }
    return pd.DataFrame(
        {k: np.asarray(out[k], dtype=float) for k in FACTOR_KEYS}, index=frame.index
    )


def score(
    frame: pd.DataFrame, weights: dict[str, float], as_of: date, overdue_days: int
) -> pd.DataFrame:
    """`frame` plus pts_<factor> columns, risk_score (their sum), reasons and missing_devices."""
    return _explained(frame, units(frame, as_of, overdue_days), weights)


def explained(stored: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Rows read with their stored units (u_<factor>) and score, explained:
    pts_<factor>, reasons and missing_devices, as `score` gives them."""
    u = stored[[f"u_{k}" for k in FACTOR_KEYS]].set_axis(list(FACTOR_KEYS), axis=1)
    out = _explained(stored.drop(columns=[f"u_{k}" for k in FACTOR_KEYS]), u, weights)
    # The stored score itself (equal to the sum above: same terms, same order, same rounding).
    return out.assign(risk_score=stored["risk_score"].to_numpy(dtype=float))


def _explained(frame: pd.DataFrame, u: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    w = np.array([weights[k] for k in FACTOR_KEYS], dtype=float)
    pts = u.to_numpy(dtype=float) * w
    out = frame.copy()
    for i, key in enumerate(FACTOR_KEYS):
        out[f"pts_{key}"] = pts[:, i]
    # Added left to right in factor order, as the stored scores are: the same
    # rounding whatever the weights (numpy's pairwise sum would group the terms differently).
    total = np.zeros(len(out))
    for i in range(len(FACTOR_KEYS)):
        total = total + pts[:, i]
    out["risk_score"] = total
    out["reasons"] = _reasons(pts)
    dev = [FACTOR_KEYS.index(k) for k in DEVICE_FACTORS]
    has_dev = u.to_numpy()[:, dev] > 0
    # Few distinct combinations of four devices: build each text once.
    names = [BY_KEY[k].label.removeprefix("无") for k in DEVICE_FACTORS]
    combos = has_dev.astype(int) @ (1 << np.arange(len(DEVICE_FACTORS)))
    text = {c: "、".join(n for b, n in enumerate(names) if c >> b & 1) for c in np.unique(combos)}
    out["missing_devices"] = [text[c] for c in combos]
    return out


def scored_households(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    as_of: date,
    street_ids: list[str] | None,
) -> pd.DataFrame:
    """The one scoring pipeline: the programme's elderly households in scope as of a date with
    their stored scores (fire_risk_households), explained with the weights in force."""
    config = load_config(con, programme_id)
    frame = queries.run(
        con, "fire_risk_households", programme_id=programme_id, as_of=as_of, street_ids=street_ids
    )
    return explained(frame, config.weights)


def _reasons(pts: np.ndarray, top: int = 4) -> list[str]:
    """'吸烟 +3、无感烟探测器 +3、…' — the largest contributions first."""
    labels = [BY_KEY[k].label for k in FACTOR_KEYS]
    # Sorted once for all rows; ties keep the factor order (stable), as the explanation does.
    order = np.argsort(-pts, axis=1, kind="stable")[:, :top]
    top_pts = np.take_along_axis(pts, order, axis=1)
    positive = (pts > 0).sum(axis=1)
    texts: dict[tuple[int, float], str] = {}  # "吸烟 +3": few distinct pairs, formatted once
    out = []
    for idx, vals, n in zip(order.tolist(), top_pts.tolist(), positive.tolist(), strict=True):
        parts = []
        for i, v in zip(idx, vals, strict=True):
            if v <= 0:
                break
            part = texts.get((i, v))
            if part is None:
                part = texts[(i, v)] = f"{labels[i]} +{_num(v)}"
            parts.append(part)
        rest = n - len(parts)
        out.append("、".join(parts) + (f" 等 {rest} 项" if rest > 0 else ""))
    return out


def _num(x: float) -> str:
    return f"{x:g}"


def explain(scored_row: pd.Series, weights: dict[str, float]) -> pd.DataFrame:
    """One household's score, factor by factor: units × weight = points; points sum to the score."""
    rows = []
    for f in FACTORS:
        pts = float(scored_row[f"pts_{f.key}"])
        if pts:
            w = weights[f.key]
            rows.append(
                {
                    "factor": f.key,
                    "label": f.label,
                    "units": pts / w if w else 0.0,
                    "weight": w,
                    "points": pts,
                }
            )
    return pd.DataFrame(rows, columns=["factor", "label", "units", "weight", "points"])
