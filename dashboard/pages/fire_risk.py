"""火灾风险: explainable risk scores, Gi* hotspots beside raw counts, visit list, monthly table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import context, db, exports, format
from dashboard.components import coverage_map, map_view, risk_map, risk_tables
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data.firerisk import fire_risk, risk, risk_state
from data.setup import workdays
from documents import monthly_table
from geo import grid, hotspots

PAGE = "fire_risk"
lang, scope, pid = context.open_page(PAGE)

prog = db.query("programmes", scope=db.WHOLE_DISTRICT).set_index("programme_id").loc[pid]
latest = context.latest_date(pid)
st.title(f"{t('page.fire_risk', lang)} · {format.md(prog['name'])}")
st.info(t("fire.meaning", lang), icon=":material/info:")

streets = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
street_names = dict(zip(streets["region_id"], streets["name"], strict=True))
c1, c2, c3, c4 = st.columns([1, 1, 1.3, 1.6])
as_of = c1.date_input(t("fire.as_of", lang), value=latest, key="fire_as_of", format="YYYY-MM-DD")
level = c2.selectbox(
    t("fire.level", lang),
    fire_risk.LEVELS,
    format_func={v: t(f"fire.level.{v}", lang) for v in fire_risk.LEVELS}.get,
    key="fire_level",
)
street = c3.selectbox(
    t("fire.street", lang),
    ["", *street_names],
    format_func=lambda s: street_names.get(s, t("fire.all", lang)),
    key="fire_street",
)

# Scores are stored; the weights in force are read uncached, so an edit shows
# at once, and so is the score version that keys the Gi* cache.
config = risk.load_config(db.cursor(), pid)
if not config.registry.exists:
    # A programme of gas users (seed 002) has no registry of elderly people: saying so beats
    # scoring every gas household as if it were one.
    st.info(t("fire.no_registry", lang).format(name=prog["name"]), icon=":material/info:")
    st.stop()
version = risk_state.version(db.cursor(), pid)
summary = db.query_fresh(
    "fire_risk_visit_count",
    scope=scope,
    programme_id=pid,
    as_of=as_of,
    street=None,
    community=None,
    search="",
).iloc[0]
if not summary["households"]:
    st.info(t("fire.empty", lang))
    st.stop()
district = db.query("region_shapes", scope=db.WHOLE_DISTRICT, programme_id=pid, level="district")
shapes = db.query("region_shapes", scope=scope, programme_id=pid, level="community")


@st.cache_data(show_spinner=False, max_entries=16)
def _hotspots(
    pid: str, as_of, level: str, scope: tuple[str, ...] | None, version: tuple[str, int]
) -> fire_risk.Hotspots:
    # Keyed by (programme, date, level, scope, score version): a write or a weight change makes a
    # new version, so Gi* runs once per version, never on every view.
    street_ids = None if scope is None else list(scope)
    return fire_risk.find_hotspots(db.cursor(), pid, as_of, level, street_ids)


with st.spinner(t("spinner.hotspots", lang)):
    found = _hotspots(pid, as_of, level, None if scope is None else tuple(sorted(scope)), version)
units, resolution = found.units, found.resolution

communities = found.communities[
    found.communities["street_id"] == street if street else found.communities["street_id"].notna()
]
community_names = dict(zip(communities["community_id"], communities["community_name"], strict=True))
community = c4.selectbox(
    t("fire.community", lang),
    ["", *community_names],
    format_func=lambda c: community_names.get(c, t("fire.all", lang)),
    key="fire_community",
)

k1, k2, k3, k4 = st.columns(4)
k1.metric(t("fire.kpi.households", lang), risk_tables.count_text(int(summary["households"])))
k2.metric(t("fire.kpi.mean", lang), f"{summary['mean_score']:.1f}")
k3.metric(
    t("fire.kpi.hot_units", lang),
    risk_tables.count_text(int(hotspots.at_least(units["cls"], 95).sum())),
)
k4.metric(t("fire.kpi.hot_households", lang), risk_tables.count_text(found.hot_households(95)))

st.caption(
    t("fire.registry_rule", lang).format(rule=config.registry.text(lang))
    + " "
    + t("fire.plain", lang)
)
if level == "h3":
    # Households without a building or estate point have no cell: the map says how many and why.
    gaps = db.query("fire_risk_cell_gaps", scope=scope, programme_id=pid, as_of=as_of)
    left_out = risk_tables.cell_gaps_text(gaps.iloc[0], lang)
    if left_out:
        st.info(left_out, icon=":material/location_off:")
with st.expander(t("fire.method", lang)):
    unit_text = (
        t("fire.method.h3", lang).format(
            resolution=resolution, edge=f"{grid.edge_length_m(resolution):.0f}"
        )
        if level == "h3"
        else t("fire.method.community", lang)
    )
    st.markdown(format.md(unit_text) + "\n\n" + format.md(t("fire.method.text", lang)))
    st.dataframe(
        risk_tables.hotspot_method_table(units, level, lang),
        hide_index=True,
        width="stretch",
        key="fire_hotspots_method",
    )
m1, m2 = st.columns(2)
# The maps show the units' counts and classes: keyed by everything that decides them (date, level,
# weights, scope), built and rendered once per key.
weights_key = (tuple(sorted(config.weights.items())), config.overdue_days, resolution)
for col, mode in ((m1, "count"), (m2, "hotspot")):
    # "Gi*" would open a Markdown emphasis: escape the star.
    col.markdown(f"**{t(f'fire.map.{mode}', lang).replace('*', chr(92) + '*')}**")
    with col:
        map_view.show(
            map_view.cached(
                ("fire_risk", pid, as_of, level, mode, lang, weights_key),
                scope,
                lambda mode=mode: risk_map.build_map(
                    risk_map.unit_features(units, level, shapes, lang),
                    mode,
                    coverage_map.outline_frame(district),
                    lang,
                    map_credit(district, shapes, lang),
                ),
            ),
            key=f"fire_map_{mode}",
            height=460,
        )

st.subheader(t("fire.hotspots", lang))
st.dataframe(
    risk_tables.hotspot_table(units, level, lang),
    hide_index=True,
    width="stretch",
    key="fire_hotspots_table",
)

# "热点内优先" only when there is a hotspot to put first; cold spots are never a priority.
any_hot = units["cls"].astype(str).str.startswith("hot_").any()
st.subheader(t("fire.visits" if any_hot else "fire.visits.no_hot", lang))
context.unmask_toggle(PAGE)
v1, v2, v3 = st.columns([1.4, 1, 1])
search = v1.text_input(t("fire.visits.search", lang), key="fire_search").strip()
picked = {"street": street or None, "community": community or None, "search": search}
total = int(
    db.query_fresh(
        "fire_risk_visit_count", scope=scope, programme_id=pid, as_of=as_of, **picked
    ).iloc[0]["households"]
)
limit = int(
    v2.number_input(
        t("fire.visits.limit", lang),
        min_value=10,
        max_value=500,
        value=100,
        step=10,
        key="fire_limit",
    )
)
pages = max(1, -(-total // limit))
page = int(v3.number_input(t("fire.visits.page", lang), 1, pages, 1, key="fire_page"))
st.caption(t("fire.visits.total", lang).format(n=f"{total:,}", page=page, pages=pages))
# One page sorted and cut in SQL on the stored scores, in the visit-list order; a
# gas alarm or a long-offline alarm at the home raises it, joined there too.
visits = fire_risk.visit_page(
    db.cursor(),
    pid,
    as_of,
    scope,
    found,
    config.weights,
    **picked,
    limit=limit,
    offset=(page - 1) * limit,
)
table = risk_tables.visit_table(visits, lang)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="fire_visits_table",
    # 主要原因 is the column a cadre reads: wide enough that it is not cut off.
    column_config={table.columns[8]: st.column_config.TextColumn(width="large")},
)
if context.can(PAGE, "export"):
    about = {
        "项目": prog["name"],
        "统计日期": as_of.isoformat(),
        "范围": " / ".join(
            x for x in (street_names.get(street), community_names.get(community)) if x
        )
        or "全部",
        "排序": "近30天燃气报警者最先；其次热点内（置信度高者）优先，同级中报警器长时间离线者在前，"
        "再按风险分从高到低；同分时不显著片区在前、冷点在后",
        "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
    }
    present, export_con = context.presenter(PAGE), db.cursor()
    words = context.level_names(pid)

    def _export_all() -> bytes:
        # Built only when clicked (on Streamlit's download thread): the whole list, not a page.
        every = fire_risk.visit_page(
            export_con, pid, as_of, scope, found, config.weights, **picked, limit=None
        )
        return exports.excel_bytes(
            risk_tables.visit_table(every, lang, present, words), "走访清单", about
        )

    st.download_button(
        t("fire.visits.download", lang),
        data=_export_all,
        file_name=risk_tables.excel_name("走访清单", prog["name"], as_of.isoformat()),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="fire_visits_download",
        on_click=lambda: context.audit_log("export", "fire_visit_list", {"rows": total}),
    )

st.subheader(t("fire.explain", lang))
if not visits.empty:
    shown = context.present_people(visits[["household_id", "name", "risk_score"]], PAGE)
    labels = {
        r.household_id: f"{r.name or r.household_id}（{r.household_id}）· {r.risk_score:g} 分"
        for r in shown.itertuples()
    }
    pick = st.selectbox(
        t("fire.explain.pick", lang), list(labels), format_func=labels.get, key="fire_explain"
    )
    row = visits.set_index("household_id").loc[pick]
    explanation = risk_tables.explanation_table(row, config.weights, lang)
    st.dataframe(
        explanation,
        hide_index=True,
        height=35 * (len(explanation) + 1) + 3,  # every factor visible, no inner scrolling
        key="fire_explain_table",
    )

with st.expander(t("fire.weights", lang), expanded=context.can(PAGE, "edit")):
    risk_tables.weights_section(config, pid, lang)

st.subheader(t("fire.monthly", lang))
start_month = pd.Timestamp(prog["starts"]).to_period("M")
months = pd.period_range(
    start_month, max(pd.Timestamp(as_of).to_period("M"), start_month), freq="M"
)
month_text = st.selectbox(
    t("fire.monthly.month", lang),
    [str(p) for p in reversed(months)],
    key="fire_month",
)
month = monthly_table.parse_month(month_text)
due = monthly_table.last_working_day(month)
if note := workdays.calendar_note(month_text):
    st.warning(f"{note}{t('fire.monthly.estimate', lang)}")
st.markdown(
    t("fire.monthly.due", lang).format(
        due=due.isoformat(),
        weekday=t(f"weekday.{due.weekday()}", lang),
        time=monthly_table.DUE_TIME,
    )
)
if context.can(PAGE, "export"):
    if not context.unmasked(PAGE) and context.can(PAGE, "unmask"):
        st.caption(t("fire.monthly.masked", lang))
    # Every registered household of the scope (a million in a city): built when clicked.
    monthly_rows = db.later(
        "monthly_table", scope=[street] if street else scope, programme_id=pid, month=month
    )
    monthly_present, unit = (
        context.presenter(PAGE),
        street_names.get(street) or str(prog["district_name"] or ""),
    )
    st.download_button(
        t("fire.monthly.download", lang),
        data=lambda: risk_tables.monthly_bytes(monthly_present(monthly_rows()), month, unit),
        file_name=risk_tables.excel_name("独居老人消防安全统计表", month_text),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="fire_monthly_download",
        on_click=lambda: context.audit_log(
            "export", "monthly_table", {"month": month_text, "street": street or None}
        ),
    )
