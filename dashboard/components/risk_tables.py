"""Fire-risk tables as the page shows and exports them: visit list, hotspots, explanation, weights."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.i18n import current_levels, t
from data.firerisk import risk
from data.users import accounts
from documents import monthly_table
from geo import hotspots

PAGE = "fire_risk"
MISSING = "—"  # what a table shows for a value the registry does not record

# Visit-list columns: source column → Chinese header, in display order.
VISIT_COLUMNS = {
    "street_name": "街镇",
    "community_name": "社区",
    "name": "姓名",
    "phone": "联系电话",
    "address": "地址",
    "age": "年龄",
    "risk_score": "风险分",
    "hotspot_text": "所在热点",
    "reasons": "主要原因",
    "helper_name": "帮扶人",
    "helper_type": "帮扶人类型",
    "helper_phone": "帮扶人电话",
    "last_visit": "最近走访",
    "missing_devices": "缺少设备",
    "device_alert": "报警器告警",  # 3
}


def visit_table(
    visits: pd.DataFrame,
    lang: str = "zh",
    present: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    words: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The visit list as this user may see it (masked unless unmasked), Chinese headers.

    `present` (context.presenter) and `words` (context.level_names) replace the session lookups
    where no session is at hand."""
    out = visits.assign(
        device_alert=visits.get("device_alert", ""),
        hotspot_text=visits["hotspot"].map(lambda c: t(f"fire.cls.{c}", lang)),
        risk_score=visits["risk_score"].round(1),
        last_visit=pd.to_datetime(visits["last_visit"])
        .dt.strftime("%Y-%m-%d")
        .fillna(t("fire.visit.never", lang)),
    )
    shown = out[list(VISIT_COLUMNS)]
    out = context.present_people(shown, PAGE) if present is None else present(shown)
    out["helper_name"] = out["helper_name"].fillna(t("fire.visit.no_helper", lang))
    # An unrecorded age or phone is shown as "—", never as "None"; the export keeps the
    # cell empty and the known ages numbers.
    missing = MISSING if present is None else None
    age = pd.to_numeric(out["age"], errors="coerce")
    out["age"] = [
        missing if pd.isna(a) else (int(a) if present is not None else str(int(a))) for a in age
    ]
    text = [c for c in VISIT_COLUMNS if c not in ("age", "risk_score")]
    out[text] = out[text].astype(object).where(out[text].notna(), missing)
    if lang == "zh":
        # 街镇/社区 in the programme's own words (苏木镇/嘎查 in a 旗).
        words = words or current_levels()
        own = {"street_name": words["street"], "community_name": words["community"]}
        return out.rename(columns=VISIT_COLUMNS | own)
    return out.rename(columns={c: t(f"fire.visit.{c}", lang) for c in VISIT_COLUMNS})


def significant_units(units: pd.DataFrame) -> pd.DataFrame:
    """Significant units, strongest first; units under the privacy threshold never appear."""
    sig = units[
        units["cls"].astype(str).str.match(r"^(hot|cold)_")
        & (units["households"] >= hotspots.MIN_COUNT)
    ]
    return sig.reindex(sig["z"].abs().sort_values(ascending=False).index)


def hotspot_table(units: pd.DataFrame, level: str, lang: str = "zh") -> pd.DataFrame:
    """Significant units in a cadre's words: where, how many, how risky, how sure.

    H3 cells are named after the community most of their households live in (…一带); the
    statistics behind the class (z, adjusted p, cell id) are in `hotspot_method_table`.
    """
    sig = significant_units(units)
    return pd.DataFrame(
        {
            t("fire.col.unit", lang): sig["name"].to_numpy(),
            t("col.street_name", lang): sig["street_name"]
            .astype(object)
            .fillna(MISSING)
            .to_numpy(),
            t("fire.col.households", lang): sig["households"].to_numpy(),
            t("fire.col.mean_score", lang): sig["mean_value"].round(1).to_numpy(),
            t("fire.col.class", lang): sig["cls"]
            .map(lambda c: t(f"fire.cls.{c}", lang))
            .to_numpy(),
        }
    )


def hotspot_method_table(units: pd.DataFrame, level: str, lang: str = "zh") -> pd.DataFrame:
    """The same units with the statistics behind their class, for the 技术说明 expander."""
    sig = significant_units(units)
    table = {
        t("fire.col.unit", lang): sig["name"].to_numpy(),
        "z": sig["z"].round(2).to_numpy(),
        t("fire.col.p_adj", lang): sig["p_adj"].map(lambda p: f"{p:.3g}").to_numpy(),
    }
    if level == "h3":
        table[t("fire.col.h3_id", lang)] = sig["unit_id"].to_numpy()
    return pd.DataFrame(table)


def _factor(key: str, text: str, lang: str, kind: str = "factor") -> str:
    """A factor's label (or rule) in the interface language; data.firerisk.risk holds the Chinese."""
    return text if lang == "zh" else t(f"fire.{kind}.{key}", lang)


def explanation_table(row: pd.Series, weights: dict[str, float], lang: str = "zh") -> pd.DataFrame:
    """Factor × weight = points for one household, with a 合计 row equal to its score."""
    exp = risk.explain(row, weights)
    cols = [t(f"fire.explain.{c}", lang) for c in ("factor", "units", "weight", "points")]
    table = pd.DataFrame(
        {
            cols[0]: [
                _factor(k, v, lang) for k, v in zip(exp["factor"], exp["label"], strict=True)
            ],
            cols[1]: exp["units"].map(lambda u: f"{u:g}"),
            cols[2]: exp["weight"].map(lambda w: f"{w:g}"),
            cols[3]: exp["points"].map(lambda p: f"{p:g}"),
        }
    )
    total = pd.DataFrame(
        [[t("fire.explain.total", lang), "", "", f"{row['risk_score']:g}"]], columns=cols
    )
    return pd.concat([table, total], ignore_index=True)


def weights_section(config: risk.Config, programme_id: str, lang: str = "zh") -> None:
    """The weights in force; the fire-safety role (edit right) may change them, audit-logged."""
    table = config.table()
    keys = list(table["factor"])
    shown = pd.DataFrame(
        {
            t("fire.explain.factor", lang): [
                _factor(k, v, lang) for k, v in zip(keys, table["label"], strict=True)
            ],
            t("fire.weights.rule", lang): [
                _factor(k, v, lang, "rule") for k, v in zip(keys, table["rule"], strict=True)
            ],
            t("fire.weights.default", lang): table["default"].map(lambda w: f"{w:g}"),
            t("fire.weights.current", lang): table["weight"].map(lambda w: f"{w:g}"),
            t("fire.weights.changed_by", lang): table["changed_by"].fillna(
                t("fire.weights.template", lang)
            ),
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=35 * (len(shown) + 1) + 3,
        key="fire_weights_table",
    )
    st.caption(t("fire.weights.note", lang).format(days=config.overdue_days))
    if not context.can(PAGE, "edit"):
        return

    def _save() -> None:
        if not context.can(PAGE, "edit"):  # re-checked at the moment of writing
            return
        new = {k: st.session_state[f"fire_w_{k}"] for k in risk.FACTOR_KEYS}
        who = context.user()
        changed = risk.set_weights(db.cursor(), programme_id, new, who.username if who else "?")
        st.session_state["_fire_weights_saved"] = len(changed)

    with st.form("fire_weights_form"):
        cols = st.columns(3)
        for i, f in enumerate(risk.FACTORS):
            cols[i % 3].number_input(
                _factor(f.key, f.label, lang),
                min_value=0.0,
                max_value=100.0,
                step=0.5,
                value=float(config.weights[f.key]),
                key=f"fire_w_{f.key}",
                help=_factor(f.key, f.rule, lang, "rule"),
            )
        st.form_submit_button(t("fire.weights.save", lang), on_click=_save)
    saved = st.session_state.pop("_fire_weights_saved", None)
    if saved is not None:
        st.success(t("fire.weights.saved", lang).format(n=saved))


def excel_name(prefix: str, *parts: str) -> str:
    """A download file name like 走访清单_项目_2023-07-14.xlsx."""
    return "_".join([prefix, *[p for p in parts if p]]) + ".xlsx"


def cell_gaps_text(gaps: pd.Series | dict, lang: str = "zh") -> str | None:
    """What the small-area map leaves out and why (a fire_risk_cell_gaps row), None if nothing."""
    n = int(gaps["left_out"])
    if not n:
        return None
    community = int(gaps["community_only"])
    counts = {
        "community": community,
        "road": int(gaps["road"]),
        "none": int(gaps["no_point"]) - community,
    }
    parts = [
        t(f"fire.cells_left_out.{k}", lang).format(n=count_text(v)) for k, v in counts.items() if v
    ]
    return t("fire.cells_left_out", lang).format(
        n=count_text(n), parts=t("fire.cells_left_out.join", lang).join(parts)
    )


def count_text(n: int) -> str:
    """Thousands separators for KPI values."""
    return format.count(n)


def monthly_bytes(rows: pd.DataFrame, month: date, unit: str) -> bytes:
    """The seed-004 workbook filled in by the signed-in user (填报人, 联系电话, 科室)."""
    who = context.user()
    filler = accounts.contact(db.cursor(), who.username if who else None)
    with st.spinner(t("spinner.monthly_table", context.lang())):
        return _monthly_bytes(rows, month, unit, filler)


@st.cache_data(show_spinner=False, max_entries=16)
def _monthly_bytes(rows: pd.DataFrame, month: date, unit: str, filler: accounts.Contact) -> bytes:
    # Cached because writing thousands of styled cells takes a second; the filler is in the key.
    return monthly_table.workbook_bytes(rows, month, unit=unit, filler=filler)
