"""The coverage numbers as a sortable table, with Chinese headers, ready for Excel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t

_COUNTS = [
    "target",
    "surveyed",
    "installed",
    "verified",
    "plan_installed",
    "gap_to_plan",
    "hazards_open",
    "gas_cut",
    "refused",
]
_PERCENTS = ["completion", "plan"]


def coverage_frame(stats: pd.DataFrame, level: str, lang: str = "zh") -> pd.DataFrame:
    """Rename and order a coverage query result for people: percentages as 0–100, one decimal."""
    names = ["street_name"] if level == "street" else ["street_name", "community_name"]
    order = [
        *names,
        "target",
        "surveyed",
        "installed",
        "verified",
        "completion",
        "plan",
        "plan_installed",
        "gap_to_plan",
        "hazards_open",
        "gas_cut",
        "refused",
    ]
    out = stats[order].copy()
    for col in _PERCENTS:
        out[col] = (out[col].astype(float) * 100).round(1)
    for col in _COUNTS:
        out[col] = out[col].astype("Int64")
    return out.rename(columns={c: t(f"col.{c}", lang) for c in order})


def coverage_table(stats: pd.DataFrame, level: str, lang: str = "zh") -> pd.DataFrame:
    """Show the table (click a header to sort) and return the frame that was shown."""
    frame = coverage_frame(stats, level, lang)
    config = {
        t(f"col.{c}", lang): st.column_config.NumberColumn(format="%.1f%%") for c in _PERCENTS
    }
    config |= {
        t(f"col.{c}", lang): st.column_config.NumberColumn(format="localized") for c in _COUNTS
    }
    st.dataframe(
        frame, hide_index=True, column_config=config, width="stretch", key=f"coverage_table_{level}"
    )
    return frame
