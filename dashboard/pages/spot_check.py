"""抽查核验: the month's spot-check sample for those who check it (streets where the programme
says so, finance, admin): draw, print the 抽查核验表, record results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import context, db
from dashboard.components import spot_check_view
from dashboard.i18n import t

lang, scope, pid = context.open_page("spot_check")
con = db.cursor()  # not cached: this page writes, and must show its own writes at once
prog = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
st.title(f"{t('page.spot_check', lang)} · {prog['name']}")
st.caption(t("check.about", lang))
spot_check_view.show(
    con,
    pid,
    context.user(),
    scope,
    lang,
    pd.Timestamp(prog["starts"]).date(),
    context.latest_date(pid),
)
