"""入户登记, seed 004: how many 灭火逃生培训, 水桶/水缸 and 宣传 one person has had, and a small
form to add today's. Its own form (not a field entry kind), so the field entry forms stay as
they are; the counts reach the monthly statistics table."""

from __future__ import annotations

import streamlit as st

from dashboard import context
from dashboard.format import error_text
from dashboard.i18n import t
from data.fieldwork import care
from data.store import clock


def section(con, user, pid: str, hh: dict, lang: str) -> str | None:
    """Show the person's counts and the form to add some; a message once saved."""
    hid = hh["household_id"]
    done = None
    with st.expander(t("care.title", lang)):
        st.caption(t("care.rule", lang))
        have = care.totals(con, user, pid, hid)
        held = dict(zip(have["kind"], have["quantity"], strict=True)) if not have.empty else {}
        cols = st.columns(len(care.KINDS))
        for col, kind in zip(cols, care.KINDS, strict=True):
            col.metric(t(f"care.total.{kind}", lang), int(held.get(kind) or 0))
        with st.form("care_counts_form", clear_on_submit=True):
            on = st.date_input(t("care.on", lang), value=clock.today(), key="care_on")
            counts = {
                kind: st.number_input(
                    t(f"care.kind.{kind}", lang),
                    min_value=0,
                    max_value=care.MAX_QUANTITY,
                    value=0,
                    step=1,
                    key=f"care_{kind}",
                )
                for kind in care.KINDS
            }
            if st.form_submit_button(t("care.save", lang), width="stretch"):
                try:
                    care.record(con, user, pid, hid, on, {k: int(v) for k, v in counts.items()})
                    done = t("care.saved", lang)
                except (ValueError, PermissionError) as exc:
                    st.error(error_text(exc, context.lang()))
    return done
