"""逾期: the programme's dated milestones (阶段节点) with days left or late, and seed 001's
non-residential sectors with their supervising departments and progress."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import db
from dashboard.i18n import t
from data.setup import milestones, programmes


@st.cache_data(show_spinner=False, max_entries=32)
def _template(db_key: str, pid: str) -> dict:
    # The template holds no household data: cached per database file and programme.
    return programmes.current_template(db.cursor(), pid)


def _when(days: int, lang: str) -> str:
    if days > 0:
        return t("milestones.left", lang).format(n=days)
    if days == 0:
        return t("milestones.today", lang)
    return t("milestones.late", lang).format(n=-days)


def panel(pid: str, as_of: date, scope, lang: str) -> None:
    """Show the milestones (nothing when the template has none) and the sectors, if any."""
    template = _template(str(db.db_path()), pid)
    table = milestones.milestones(template, as_of)
    if table.empty:
        return
    st.subheader(t("milestones.title", lang))
    st.caption(t("milestones.rule", lang))
    shown = pd.DataFrame(
        {
            t("milestones.col.name", lang): table["name"],
            t("milestones.col.due", lang): [d.isoformat() for d in table["due"]],
            t("milestones.col.who", lang): table["who"].replace("", "—"),
            t("milestones.col.when", lang): [_when(int(n), lang) for n in table["days_left"]],
        }
    )
    st.dataframe(shown, hide_index=True, key="overdue_milestones")
    sectors = milestones.sectors(template)
    if sectors.empty:
        return
    done = db.query("sector_progress", scope=scope, programme_id=pid, as_of=as_of)
    merged = sectors.merge(done, on="sector", how="left").fillna({"registered": 0, "installed": 0})
    st.markdown(t("milestones.sectors", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("milestones.col.sector", lang): merged["name"],
                t("milestones.col.departments", lang): merged["departments"],
                t("milestones.col.registered", lang): merged["registered"].astype(int),
                t("milestones.col.missing", lang): (
                    merged["registered"] - merged["installed"]
                ).astype(int),
            }
        ),
        hide_index=True,
        key="overdue_sectors",
    )


def near_note(pid: str, as_of: date, lang: str) -> None:
    """周报: a note naming each milestone due within the next weeks (nothing when none is)."""
    lines = milestones.near(_template(str(db.db_path()), pid), as_of, lang=lang)
    if lines:
        st.warning(t("milestones.near", lang) + " ".join(lines), icon=":material/event:")
