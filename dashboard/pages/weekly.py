"""周报: where the programme stands this week, who is ahead and who is behind, the bulletin."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import context, db
from dashboard.components import weekly
from dashboard.i18n import t
from data import briefing

context.require("weekly")
lang = context.lang()
scope = context.scope()
pid = context.programme_id()
if pid is None:
    st.info(t("app.no_programme", lang))
    st.stop()

prog = db.query("programme_settings", programme_id=pid).iloc[0]
status = db.query("data_status", programme_id=pid).iloc[0]
latest = status["latest_date"] if status["latest_date"] is not None else date.today()
st.title(f"{t('page.weekly', lang)} · {prog['name']}")

pick, _ = st.columns([1, 3])
as_of = pick.date_input(
    t("weekly.as_of", lang),
    value=latest,
    min_value=prog["starts"],
    max_value=max(prog["ends"], latest),
    key="weekly_as_of",
    format="YYYY-MM-DD",
    help=t("weekly.as_of_help", lang),
)
streets = db.query("region_shapes", scope, programme_id=pid, level="street")
label = "" if scope is None else "、".join(streets["name"])
b = weekly.build(pid, as_of, scope, label)

st.info(briefing.summary(b), icon=":material/campaign:")
weekly.kpi_cards(b, lang)

burnup, multiples = weekly.chart_images(pid, as_of, scope, label)
st.subheader(t("weekly.burnup", lang))
chart, side = st.columns([2.2, 1])
chart.image(burnup, width="stretch")
with side:
    weekly.projection_panel(b)

st.subheader(t("weekly.ranking", lang))
week_tab, month_tab = st.tabs([t("weekly.ranking_week", lang), t("weekly.ranking_month", lang)])
with week_tab:
    weekly.ranking_table(b)
    st.caption(t("weekly.ranking_help", lang))
with month_tab:
    weekly.monthly_table(b)

st.subheader(t("weekly.multiples", lang))
st.image(multiples, width="stretch")

st.subheader(t("weekly.downloads", lang))
weekly.downloads(b, burnup)
