"""The KPI row: target, surveyed, installed, verified, completion and the plan to date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import format
from dashboard.i18n import t


def kpi_row(kpis: pd.Series, lang: str = "zh") -> None:
    """Render one row of metrics from a `programme_kpis` result row."""
    target = int(kpis["target"])
    installed = int(kpis["installed"])
    completion = installed / target if target else None
    plan_households = round(target * float(kpis["plan_fraction"]))
    gap = installed - plan_households
    cols = st.columns(6)
    cols[0].metric(t("kpi.target", lang), format.count(target))
    cols[1].metric(
        t("kpi.surveyed", lang),
        format.count(kpis["surveyed"]),
        help=f"{format.pct(kpis['surveyed'] / target if target else None)}",
    )
    cols[2].metric(t("kpi.installed", lang), format.count(installed))
    cols[3].metric(t("kpi.verified", lang), format.count(kpis["verified"]))
    cols[4].metric(
        t("kpi.completion", lang),
        format.pct(completion),
        delta=format.signed_pp((completion or 0) - float(kpis["plan_fraction"]), lang),
        help=f"{t('kpi.vs_plan', lang)}: {format.signed_count(gap)}",
    )
    cols[5].metric(
        t("kpi.plan", lang),
        format.count(plan_households),
        delta=format.signed_count(gap),
        help=t("kpi.vs_plan_help", lang).format(plan=format.pct(float(kpis["plan_fraction"]))),
    )
    small = st.columns(6)
    colon = "：" if lang == "zh" else ": "
    small[0].caption(
        f"{t('kpi.hazards_open', lang)}{colon}**{format.count(kpis['hazards_open'])}**"
    )
    small[1].caption(f"{t('kpi.gas_cut', lang)}{colon}**{format.count(kpis['gas_cut'])}**")
    small[2].caption(f"{t('kpi.refused', lang)}{colon}**{format.count(kpis['refused'])}**")
    small[3].caption(
        f"{t('kpi.piped_lpg', lang)}{colon}**{format.count(kpis['piped'])} / {format.count(kpis['lpg'])}**"
    )
    if int(kpis["unplaced"]):
        small[4].caption(f"{t('kpi.unplaced', lang)}{colon}**{format.count(kpis['unplaced'])}**")
