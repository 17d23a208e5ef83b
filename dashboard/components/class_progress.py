"""分类进度: each user class (seed 001: 居民 / 非居民) against its own target and deadline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import context, db
from dashboard.i18n import t


def class_table(
    pid: str, as_of: date, scope: list[str] | None, known_at=None, lang: str | None = None
) -> pd.DataFrame | None:
    """Show the per-class progress table when the programme defines classes; return it.

    `lang` defaults to the signed-in user's language.
    """
    lang = lang or context.lang()
    params = {"programme_id": pid, "as_of": as_of}
    if known_at is not None:
        params["known_at"] = known_at
    df = db.query("class_progress", scope=scope, **params)
    if df.empty:
        return None
    late = t("class.late", lang)
    columns = {
        "name": df["name"],
        "target": df["target"],
        "installed": df["installed"],
        "completion": [
            "—" if n == 0 else f"{i / n * 100:.1f}%"
            for i, n in zip(df["installed"], df["target"], strict=True)
        ],
        "plan": [f"{p * 100:.1f}%" for p in df["plan_fraction"]],
        "deadline": [
            "—" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")
            for d in df["install_deadline"]
        ],
        "state": [late if p else "" for p in df["past_deadline"]],
    }
    shown = pd.DataFrame({t(f"class.col.{k}", lang): v for k, v in columns.items()})
    st.markdown(t("class.title", lang))
    st.dataframe(shown, hide_index=True, key="class_progress")
    return shown
