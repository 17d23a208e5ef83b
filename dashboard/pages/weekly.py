"""周报: where the programme stands this week, who is ahead and who is behind, the bulletin."""

from __future__ import annotations

import streamlit as st

from dashboard import context, db, format
from dashboard.components import weekly
from dashboard.components.as_of import as_of_input
from dashboard.i18n import t
from data import briefing

lang, scope, pid = context.open_page("weekly")

prog = db.query("programme_settings", programme_id=pid).iloc[0]
latest = context.latest_date(pid)
st.title(f"{t('page.weekly', lang)} · {format.md(prog['name'])}")

pick, _ = st.columns([1, 3])
as_of = as_of_input(
    pick, t("weekly.as_of", lang), "weekly_as_of", prog, latest, help=t("weekly.as_of_help", lang)
)
streets = db.query("region_shapes", scope, programme_id=pid, level="street")
label = "" if scope is None else "、".join(streets["name"])
b = weekly.build(pid, as_of, scope, label)

st.info(format.md(briefing.summary(b)), icon=":material/campaign:")
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
