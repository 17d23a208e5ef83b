"""周报: where the programme stands this week, who is ahead and who is behind, the bulletin."""

from __future__ import annotations

import streamlit as st

from dashboard import context, db, format
from dashboard.components import acceptance_panel, milestones, weekly
from dashboard.components.as_of import as_of_input
from dashboard.components.class_progress import class_table
from dashboard.i18n import t
from data.reporting import briefing_text

lang, scope, pid = context.open_page("weekly")

prog = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
latest = context.latest_date(pid)
st.title(f"{t('page.weekly', lang)} · {format.md(prog['name'])}")
context.require_data(pid, lang, households=True)

pick, basis_col = st.columns([1, 3])
basis = weekly.basis_picker(basis_col, lang)
streets = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
label = "" if scope is None else "、".join(streets["name"])
if basis == "issue":
    stored = weekly.issue_picker(pick, pid, lang)
    if stored is None:
        st.info(t("weekly.no_issues", lang), icon=":material/info:")
        st.stop()
    as_of, known_at = stored["as_of"], stored["known_at"]
    b = weekly.build(pid, as_of, scope, label, known_at, stored["issue_no"])
else:
    as_of = as_of_input(
        pick,
        t("weekly.as_of", lang),
        "weekly_as_of",
        prog,
        latest,
        help=t("weekly.as_of_help", lang),
    )
    b = weekly.build(pid, as_of, scope, label, as_of if basis == "as_published" else None)
    known_at = b.known_at

st.info(format.md(briefing_text.summary(b, lang)), icon=":material/campaign:")
milestones.near_note(pid, as_of, lang)  # seed 001: self-acceptance / spot check when near
st.caption(t("weekly.basis_caption", lang).format(basis=briefing_text.basis(b, lang)))
if basis == "business":
    weekly.publish_button(pid, as_of, lang)
weekly.kpi_cards(b, lang)
class_table(pid, as_of, scope, known_at, lang=lang)

burnup, multiples = weekly.chart_images(pid, as_of, scope, label, known_at, lang)
st.subheader(t("weekly.burnup", lang))
chart, side = st.columns([2.2, 1])
chart.image(burnup, width="stretch")
with side:
    weekly.projection_panel(b, lang)

st.subheader(t("weekly.ranking", lang))
week_tab, month_tab = st.tabs([t("weekly.ranking_week", lang), t("weekly.ranking_month", lang)])
with week_tab:
    weekly.ranking_table(b, lang)
    st.caption(t("weekly.ranking_help", lang))
with month_tab:
    weekly.monthly_table(b, lang)

st.subheader(t("weekly.multiples", lang))
st.image(multiples, width="stretch")

st.subheader(t("weekly.downloads", lang))
# The Word bulletin is Chinese paperwork in either language: it embeds the Chinese chart.
bulletin_chart = (
    burnup if lang == "zh" else weekly.chart_images(pid, as_of, scope, label, known_at)[0]
)
weekly.downloads(b, bulletin_chart, lang)

acceptance_panel.panel("weekly", pid, scope, as_of, prog["starts"])  # 已上报 / 已审核
