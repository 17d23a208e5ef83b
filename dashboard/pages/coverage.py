"""覆盖地图: completion by street (or by community of one street) as of a date."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import context, db, exports, format
from dashboard.components import acceptance_panel, coverage_map, kpi, locate, map_view
from dashboard.components.as_of import as_of_input
from dashboard.components.class_progress import class_table
from dashboard.components.coverage_table import coverage_table
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data.users import access

lang, scope, pid = context.open_page("coverage")

prog = db.query("programmes", scope=db.WHOLE_DISTRICT).set_index("programme_id").loc[pid]
latest = context.latest_date(pid)
st.title(f"{t('page.coverage', lang)} · {format.md(prog['name'])}")
context.require_data(pid, lang, streets=True, households=True)

streets = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
district = db.query("region_shapes", scope=db.WHOLE_DISTRICT, programme_id=pid, level="district")
street_names = dict(zip(streets["region_id"], streets["name"], strict=True))


def _on_map_click() -> None:
    # Runs before the rerun, so it may still set the street picker's value.
    clicked = (st.session_state.get("coverage_map") or {}).get("last_active_drawing") or {}
    region_id = (clicked.get("properties") or {}).get("region_id")
    if region_id in street_names:
        st.session_state["coverage_street"] = region_id


c1, c2, c3 = st.columns([1, 2, 1.4])
as_of = as_of_input(c1, t("coverage.as_of", lang), "coverage_as_of", prog, latest)
# Labels fixed now, in this run's level words: a widget may be re-labelled off this thread.
street_labels = {"": t("coverage.whole_district", lang), **street_names}
street = c2.selectbox(
    t("coverage.street", lang),
    options=["", *street_names],
    # A crafted session may hold a street that is not offered: it reads as the whole scope,
    # and access.narrow below keeps it from widening anything.
    format_func=lambda v: street_labels.get(v, street_labels[""]),
    key="coverage_street",
)
basemap = c3.selectbox(
    t("coverage.basemap", lang),
    options=coverage_map.BASEMAPS,
    format_func=lambda b: t(f"basemap.{b}", lang),
    key="coverage_basemap",
)

if street:
    st.button(
        t("coverage.back", lang),
        key="coverage_back",
        icon=":material/arrow_back:",
        on_click=lambda: st.session_state.update(coverage_street=""),
    )

# Drill-down narrows the user's scope; it can never widen it.
view_scope = access.narrow(scope, [street]) if street else scope
params = {"programme_id": pid, "as_of": as_of}
kpis = db.query("programme_kpis", scope=view_scope, **params).iloc[0]
kpi.kpi_row(kpis, lang)
locate.levels_line(db.cursor(), pid, view_scope, lang)
class_table(pid, as_of, view_scope)

if street:
    stats = db.query("coverage_by_community", scope=view_scope, **params)
    shapes = db.query("region_shapes", scope=view_scope, programme_id=pid, level="community")
    outline = coverage_map.outline_frame(streets[streets.region_id == street])
    id_col, name_label = "community_id", t("col.community_name", lang)
else:
    stats = db.query("coverage_by_street", scope=view_scope, **params)
    shapes = streets
    outline = coverage_map.outline_frame(district)
    id_col, name_label = "street_id", t("col.street_name", lang)

if basemap != "none":
    st.caption(t("coverage.tiles_online", lang))
if basemap == "tianditu" and not coverage_map.tianditu_key():
    st.warning(t("coverage.tianditu_key", lang))

# Short enough to fit under the map; full provenance is in region.source and the Excel 说明 sheet.
attribution = map_credit(district, shapes, lang)


def _build_map():
    return coverage_map.build_map(
        coverage_map.map_features(shapes, stats, id_col, lang),
        name_label=name_label,
        lang=lang,
        basemap=basemap,
        outline=outline,
        attribution=attribution,
        label_prefix=street_names.get(street, "").removesuffix("街道").removesuffix("镇"),
    )


st.caption(t("coverage.map_hint", lang))
# Built and rendered once per (scope, date, street, basemap, language); a rerun reuses the HTML.
map_view.show(
    map_view.cached(("coverage", pid, as_of, street, basemap, lang), view_scope, _build_map),
    key="coverage_map",
    height=560,
    returned_objects=["last_active_drawing"],
    on_change=_on_map_click,
)

st.subheader(t("coverage.table", lang))
table = coverage_table(stats, "community" if street else "street", lang)
about = {
    "项目": prog["name"],
    "统计日期": as_of.isoformat(),
    "范围": exports.scope_label(street_names, street, scope, t("coverage.whole_district", lang)),
    "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
    "完成率": "已安装 ÷ 目标户数；计划进度按安装阶段线性计算",
    "边界来源": "；".join(dict.fromkeys([*district["source"], *shapes["source"]])),
}
if context.can("coverage", "export"):
    st.download_button(
        t("coverage.download", lang),
        data=partial(exports.excel_bytes, table, t("page.coverage", lang), about),
        file_name=f"覆盖进度_{prog['name']}_{as_of.isoformat()}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="coverage_download",
        on_click=lambda: context.audit_log(
            "export", "coverage", {"rows": len(table), "as_of": str(as_of), "scope": view_scope}
        ),
    )

acceptance_panel.panel("coverage", pid, view_scope, as_of, prog["starts"])  # 6
