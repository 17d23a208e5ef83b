"""逾期: who is behind plan, and every follow-up past its deadline, as of a date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.components import coverage_map, map_view, milestones
from dashboard.components import overdue as ui
from dashboard.components.as_of import as_of_input
from dashboard.components.class_progress import class_table
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data.events import service
from data.reporting import briefing

lang, scope, pid = context.open_page("overdue")

prog = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
rules = briefing.rules(prog["settings"])
report_from = briefing.rule_text(prog["settings"], "report_from", t("overdue.report_from", lang))
latest = context.latest_date(pid)
st.title(f"{t('page.overdue', lang)} · {format.md(prog['name'])}")
context.require_data(pid, lang, streets=True, households=True)
pick, _ = st.columns([1, 3])
as_of = as_of_input(pick, t("overdue.as_of", lang), "overdue_as_of", prog, latest)
context.unmask_toggle(ui.PAGE)
params = {"programme_id": pid, "as_of": as_of}
about = {
    "项目": str(prog["name"]),
    "统计日期": as_of.isoformat(),
    "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
    "口径": "按业务日期（发生日期）统计，含事后补录的记录",
}

# ---------------------------------------------------------------- behind plan
class_table(pid, as_of, scope, lang=lang)
milestones.panel(pid, as_of, scope, lang)  # seed 001: self-acceptance, spot check, sectors
st.subheader(t("overdue.regions", lang))
streets = db.query("coverage_by_street", scope=scope, **params)
communities = db.query("coverage_by_community", scope=scope, **params)
behind_streets = streets[streets["gap_to_plan"] < 0].sort_values("gap_to_plan")
behind_comms = communities[communities["gap_to_plan"] < 0].sort_values("gap_to_plan")
shapes = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
district = db.query("region_shapes", scope=db.WHOLE_DISTRICT, programme_id=pid, level="district")
left, right = st.columns([1.1, 1])
with left:
    map_view.show(
        map_view.cached(
            ("overdue", pid, as_of, lang),
            scope,
            lambda: coverage_map.build_map(
                coverage_map.map_features(shapes, streets, "street_id", lang, colour_by="gap"),
                name_label=t("col.street_name", lang),
                lang=lang,
                outline=coverage_map.outline_frame(district),
                attribution=map_credit(district, shapes, lang),
                colour_by="gap",
            ),
        ),
        key="overdue_map",
        height=420,
    )
    st.caption(t("overdue.map_hint", lang))


def _behind_list(kind: str, behind) -> None:
    """The streets or communities behind plan, a chosen row linking to its street."""
    row = ui.overdue_list(
        kind,
        t(f"overdue.{kind}_title", "zh"),  # the exported sheet's name
        behind,
        rule=t(f"overdue.{kind}_rule", lang),
        empty=t(f"overdue.{kind}_empty", lang),
        about=about,
        columns=ui.REGION_COLUMNS,
        label=t(f"overdue.{kind}_title", lang),
        lang=lang,
    )
    if row is not None:
        ui.region_link(row["street_id"], row["street_name"], lang)


with right:
    _behind_list("streets", behind_streets)
with st.expander(t("overdue.communities_behind", lang).format(n=f"{len(behind_comms):,}")):
    _behind_list("communities", behind_comms)

# ---------------------------------------------------------------- follow-ups past their deadline
lists = {
    # paged in SQL; the tab titles carry the whole lists' lengths
    "hazards": ui.list_page("hazards", "overdue_hazards", scope, params),
    "gas_cuts": ui.list_page(
        "gas_cuts",
        "overdue_gas_cuts",
        scope,
        params
        | {"cut_days": rules.gas_cut_overdue_days, "restore_hours": rules.restore_within_hours},
    ),
    "installs": None,  # paged in SQL: filled in its own tab
    "batches": db.query("overdue_batches", scope=scope, **params),
    "reports": db.query(
        "overdue_reports", scope=db.WHOLE_DISTRICT, **params, report=rules.report_name
    ),
    "warranties": db.query(
        "expiring_warranties", scope=scope, **params, warning_days=rules.warranty_warning_days
    ),
    "spot_checks": db.query("spot_check_failed", scope=scope, **params),  # 6
    # service events open past their standard (reported that day, or still open)
    "service": service.overdue_frame(
        db.query("service_events", scope=scope, **params, date_from=as_of),
        service.standards(prog["settings"]),
        as_of,
    ),
}
# Each list's rule (caption) and what an empty list means, with the programme's thresholds.
# A programme without a report day (seed 001 reports weekly, not by a day) reads NA here.
report_day = prog["report_day"] if pd.notna(prog["report_day"]) else None
words = {
    "cut_days": rules.gas_cut_overdue_days,
    "restore_hours": rules.restore_within_hours,
    "warning_days": rules.warranty_warning_days,
    "report": rules.report_name,
    "report_from": report_from,
    "report_day": report_day or "—",
}
explain = {
    k: (t(f"overdue.{k}_rule", lang).format(**words), t(f"overdue.{k}_empty", lang).format(**words))
    for k in lists
}
if not report_day:
    explain["reports"] = (explain["reports"][0], t("overdue.reports_no_day", lang))
st.subheader(t("overdue.follow_ups", lang))
# The report tab is named after the programme's own report (seed 000: 加装报警器确认表).
# Chinese titles name the exported sheets and files; `titles` names the tabs on screen.
sheets = {k: t(f"overdue.{k}", "zh") for k in lists} | {
    "reports": t("overdue.report_late", "zh").format(report=rules.report_name)
}
titles = {k: t(f"overdue.{k}", lang) for k in lists} | {
    "reports": t("overdue.report_late", lang).format(report=rules.report_name)
}
install_total = db.query(
    "overdue_installs_page",
    scope=scope,
    **params,
    days_after_survey=rules.install_after_survey_days,
    search=None,
    limit=1,
    offset=0,
)
counts = {
    k: v.total if isinstance(v, ui.Paged) else len(v) for k, v in lists.items() if v is not None
}
counts["installs"] = int(install_total.total_rows.iloc[0]) if len(install_total) else 0
tabs = st.tabs([t("overdue.tab", lang).format(title=titles[k], n=f"{counts[k]:,}") for k in lists])
for tab, (key, frame) in zip(tabs, lists.items(), strict=True):
    with tab:
        sheet = sheets[key].replace(" / ", "与")
        paged = {}
        if key == "installs":
            frame, total, export = ui.installs_page(
                pid, as_of, scope, rules.install_after_survey_days, sheet, about, lang
            )
            paged = {"total": total, "export": export}
        elif isinstance(frame, ui.Paged):
            ui.page_picker(frame, lang)
            export = ui.whole_export(frame.name, frame.params, scope, sheet, about)
            paged = {"total": frame.total, "export": export}
            frame = frame.rows
        row = ui.overdue_list(
            key,
            sheet,
            frame,
            rule=explain[key][0],
            empty=explain[key][1],
            about=about,
            label=sheet if lang == "zh" else titles[key],
            lang=lang,
            **paged,
        )
        if row is not None and "household_id" in row.index:
            ui.household_card(pid, as_of, scope, row["household_id"], lang)
        elif row is not None and "street_id" in row.index:
            ui.region_link(row["street_id"], row["street_name"], lang)
