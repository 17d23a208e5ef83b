"""分类进度: each user class (seed 001: 居民 / 非居民) against its own target and deadline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import db


def class_table(
    pid: str, as_of: date, scope: list[str] | None, known_at=None
) -> pd.DataFrame | None:
    """Show the per-class progress table when the programme defines classes; return it."""
    params = {"programme_id": pid, "as_of": as_of}
    if known_at is not None:
        params["known_at"] = known_at
    df = db.query("class_progress", scope, **params)
    if df.empty:
        return None
    shown = pd.DataFrame(
        {
            "用户类别": df["name"],
            "目标户数": df["target"],
            "已安装": df["installed"],
            "完成率": [
                "—" if t == 0 else f"{i / t * 100:.1f}%"
                for i, t in zip(df["installed"], df["target"], strict=True)
            ],
            "计划进度": [f"{p * 100:.1f}%" for p in df["plan_fraction"]],
            "完成期限": [
                "—" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")
                for d in df["install_deadline"]
            ],
            "状态": ["已过期限未完成" if p else "" for p in df["past_deadline"]],
        }
    )
    st.markdown("**分类进度**（各类用户按各自目标和期限）")
    st.dataframe(shown, hide_index=True, key="class_progress")
    return shown
