"""月度验收 panel for 覆盖地图 and 周报: each street's month 已上报 / 已审核, and the step the user may take."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.i18n import t
from data.money import acceptance

_NEXT = {
    None: ["submitted"],
    "returned": ["submitted"],
    "reopened": ["submitted"],
    "submitted": ["accepted", "returned"],
    "accepted": ["reopened"],
}


def _months(starts: date, until: date) -> list[str]:
    out, y, m = [], starts.year, starts.month
    while (y, m) <= (until.year, until.month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out[::-1]


def panel(page: str, pid: str, scope: list[str] | None, as_of: date, starts: date) -> None:
    """Show the acceptance state of the scope's streets for a month; let the user act if allowed."""
    lang = context.lang()
    who = context.user()
    with st.expander(t("acceptance.title", lang), expanded=False):
        months = _months(pd.Timestamp(starts).date(), as_of)
        month = st.selectbox(t("acceptance.month", lang), months, key=f"{page}_acc_month")
        # Not cached: a step taken here must show at once.
        frame = acceptance.status(db.cursor(), pid, month, scope)
        cols = ["street_name", "verified", "状态", "submitted", "actor", "event_at", "reason"]
        shown = frame.assign(
            状态=frame["状态"]
            if lang == "zh"
            else frame["event"].map(
                lambda e: t(f"acceptance.state.{e if isinstance(e, str) else 'none'}", lang)
            ),
            event_at=pd.to_datetime(frame["event_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        )[cols].rename(columns={c: t(f"acceptance.col.{c}", lang) for c in cols})
        st.dataframe(shown, hide_index=True, width="stretch", key=f"{page}_acc_table")
        names = dict(zip(frame["street_id"], frame["street_name"], strict=True))
        state = dict(zip(frame["street_id"], frame["event"], strict=True))
        doable = {
            sid: [
                e
                for e in _NEXT[state[sid] if isinstance(state[sid], str) else None]
                if acceptance.allowed(who, e, sid)
            ]
            for sid in names
        }
        doable = {sid: evs for sid, evs in doable.items() if evs}
        if not doable:
            return
        c1, c2, c3 = st.columns([1, 1, 2])
        sid = c1.selectbox(
            t("acceptance.street", lang), list(doable), format_func=names.get, key=f"{page}_acc_st"
        )
        event = c2.selectbox(
            t("acceptance.action", lang),
            doable[sid],
            format_func=lambda e: t(f"acceptance.event.{e}", lang),
            key=f"{page}_acc_ev",
        )
        reason = c3.text_input(t("acceptance.reason", lang), max_chars=200, key=f"{page}_acc_re")
        if st.button(t("acceptance.go", lang), key=f"{page}_acc_go"):
            try:
                acceptance.record(db.cursor(), who, pid, sid, month, event, reason)
            except (ValueError, PermissionError) as exc:
                st.error(format.error_text(exc, lang))
            else:
                st.success(
                    t("acceptance.done", lang).format(
                        street=names[sid], month=month, event=t(f"acceptance.event.{event}", lang)
                    )
                )
                st.rerun()
