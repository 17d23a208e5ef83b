"""批次: a street's monthly installation batch — propose, edit, send, confirm, export, track."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import context, db, format
from dashboard.components import batch_view as view
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data import batches
from data.setup import workdays
from data.users import access
from documents import batch_docs

lang, scope, pid = context.open_page("batch")
who = context.user()
can_edit = context.can("batch", access.W)
can_export = context.can("batch", access.E)
prog = db.query("programmes", scope=db.WHOLE_DISTRICT).set_index("programme_id").loc[pid]
latest = context.latest_date(pid)
st.title(t("batch.title", lang).format(name=format.md(prog["name"])))
prog_settings = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
st.caption(view.page_note(prog_settings["settings"], lang))

streets = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
names = dict(zip(streets["region_id"], streets["name"], strict=True))
if not names:
    st.info(t("batch.no_streets", lang))
    st.stop()
street = st.selectbox(
    t("batch.street", lang), list(names), format_func=names.get, key="batch_street"
)
view_scope = access.narrow(scope, [street])
communities = db.query("region_shapes", scope=view_scope, programme_id=pid, level="community")
street_shape = streets[streets["region_id"] == street]
attribution = map_credit(
    db.query("region_shapes", scope=db.WHOLE_DISTRICT, programme_id=pid, level="district"),
    streets,
    context.lang(),
)
context.unmask_toggle("batch")


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    return context.present_people(frame, "batch")


def _people_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A household table as this user may see it, headed in the interface language."""
    return view.headed(_people(frame), lang)


def _calendar_note(month: str) -> str | None:
    # data.setup.workdays words the note in Chinese; the page words it in the interface language
    note = workdays.calendar_note(month)
    if note is None or lang == "zh":
        return note
    return t("batch.calendar_note", lang).format(year=month[:4], month=month)


def _show_map(items: pd.DataFrame, key: str) -> None:
    days = sorted({pd.Timestamp(d).date() for d in items["day"]})
    pick = st.selectbox(
        t("batch.map_day", lang),
        [None, *days],
        format_func=lambda d: t("batch.whole_month", lang) if d is None else f"{d}",
        key=f"{key}_day",
    )
    shown = items if pick is None else items[[pd.Timestamp(d).date() == pick for d in items["day"]]]
    fmap = view.plan_map(shown, street_shape, communities, attribution, lang)
    st_folium(fmap, key=key, height=520, use_container_width=True, returned_objects=[])


def _downloads(items: pd.DataFrame, label: str, key: str) -> None:
    if not can_export or items.empty:
        return
    devices = batches.device_names(db.cursor(), pid)
    roster = batches.roster(items, devices if "device_name" not in items else None)
    table = _people(roster)
    # The 确认单 is signed by the resident: printed with the full name for roles that may unmask.
    named = context.can("batch", access.U)
    slip_people = roster if named else table
    if not context.unmasked("batch"):
        st.caption(t("batch.export_masked_full" if named else "batch.export_masked", lang))
    papers = batch_docs.BatchPapers(
        prog["name"], context.level_names(pid)["street"], names[street], label, len(table)
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        t("batch.download_roster", lang),
        data=partial(batch_docs.roster_xlsx, table, papers.title(), papers.about()),
        file_name=papers.file_name("roster"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_roster",
        on_click=lambda: context.audit_log(
            "export", "batch_roster", {"rows": len(table), "batch": label}
        ),
    )
    if named:
        # The gas company installs by name and phone: the 下发版 is the full roster in one
        # click for roles that may unmask, logged as an unmasked export.
        c1.download_button(
            t("batch.download_roster_full", lang),
            data=partial(
                batch_docs.roster_xlsx, roster, papers.title(full=True), papers.about(full=True)
            ),
            file_name=papers.file_name("roster", full=True),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_roster_full",
            on_click=lambda: context.audit_log(
                "export",
                "batch_roster_full",
                {"rows": len(roster), "batch": label, "unmasked": True},
            ),
        )
    if not batch_docs.slip_signers(prog_settings["settings"]):
        return  # the programme has no signed 确认单 (seed 000): the roster is the batch's paper
    # A Word page per household takes ~25 ms: built on request, not on every rerun.
    slips_key = f"{key}_slips_doc"
    wanted = (label, len(table), named)
    held = st.session_state.get(slips_key)
    stale = held is None or held[0] != wanted
    if stale and c2.button(t("batch.make_slips", lang), key=f"{key}_slips_make"):
        with st.spinner(t("batch.making_slips", lang)):
            terms = batch_docs.slip_terms(db.cursor(), pid)
            held = (wanted, batch_docs.confirmation_slips(slip_people, prog["name"], label, terms))
        st.session_state[slips_key] = held
    if held is not None and held[0] == wanted:
        c2.download_button(
            t("batch.download_slips", lang),
            data=held[1],
            file_name=papers.file_name("slips"),
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key=f"{key}_slips",
            on_click=lambda: context.audit_log(
                "export", "batch_slips", {"rows": len(table), "batch": label, "names": named}
            ),
        )


def _run(action, *args, ok: str) -> None:
    """Run a data.batches action as the signed-in user; show its refusal (data.batches words) if any."""
    try:
        action(db.cursor(), *args)
    except batches.BatchError as exc:
        st.session_state["batch_flash"] = ("error", format.error_text(exc, context.lang()))
    else:
        st.session_state["batch_flash"] = ("success", ok)


if flash := st.session_state.pop("batch_flash", None):
    getattr(st, flash[0])(flash[1])

PLAN_TAB, SAVED_TAB = t("batch.tab.plan", lang), t("batch.tab.saved", lang)


def _save_draft(plan: batches.Plan) -> None:
    """Save the plan and land on the batch just saved, not on an emptied planning tab.

    A button callback: it runs before the tabs are drawn, so it may choose the open tab.
    """
    try:
        saved = batches.save(db.cursor(), plan, who.username)
    except batches.BatchError as exc:
        st.session_state["batch_flash"] = ("error", format.error_text(exc, context.lang()))
        return
    st.session_state["batch_flash"] = ("success", t("batch.saved_draft", lang).format(id=saved))
    st.session_state["batch_tab"] = SAVED_TAB
    st.session_state["batch_pick"] = saved
    st.session_state.pop("batch_plan", None)


plan_tab, saved_tab = st.tabs([PLAN_TAB, SAVED_TAB], key="batch_tab", on_change="rerun")

with plan_tab:
    c1, c2, c3 = st.columns(3)
    every = view.month_options(latest)
    months = workdays.plannable(every)  # only months whose working days are officially known
    if not months:
        st.warning(_calendar_note(every[0]) or t("batch.no_month", lang))
        st.stop()
    if len(months) < len(every):
        left_out = ", ".join(m for m in every if m not in months)
        st.caption(
            t("batch.months_left_out", lang).format(months=left_out)
            + (_calendar_note(every[-1]) or "")
        )
    month = c1.selectbox(
        t("batch.month", lang), months, index=min(1, len(months) - 1), key="batch_month"
    )
    crews = int(c2.number_input(t("batch.crews", lang), 1, 50, 3, key="batch_crews"))
    per_day = int(c3.number_input(t("batch.per_day", lang), 1, 40, 8, key="batch_per_day"))
    rules = st.multiselect(
        t("batch.rules", lang),
        list(batches.RULES),
        default=list(batches.DEFAULT_RULES),
        format_func={r: t(f"batch.rule.{r}", lang) for r in batches.RULES}.get,
        key="batch_rules",
    )
    wanted = (pid, street, month, crews, per_day, tuple(rules), latest)
    if st.button(t("batch.propose", lang), type="primary", key="batch_propose"):
        with st.spinner(t("batch.proposing", lang)):
            st.session_state["batch_plan"] = (
                wanted,
                batches.plan(db.cursor(), pid, street, month, crews, per_day, tuple(rules), latest),
            )
    held = st.session_state.get("batch_plan")
    plan = held[1] if held and held[0] == wanted else None
    if plan is None:
        st.info(t("batch.before_plan", lang).format(latest=latest))
        st.table(view.calendar_frame(month, lang))
    else:
        k = st.columns(6)
        days, hh = t("batch.days", lang), t("batch.households", lang)
        k[0].metric(t("batch.m.workdays", lang), days.format(n=len(plan.workdays)))
        k[1].metric(
            t("batch.m.capacity", lang),
            hh.format(n=plan.capacity),
            help=t("batch.m.capacity_help", lang),
        )
        k[2].metric(t("batch.m.planned", lang), hh.format(n=len(plan.items)))
        k[3].metric(t("batch.m.waiting", lang), hh.format(n=len(plan.waiting)))
        k[4].metric(t("batch.m.held_back", lang), hh.format(n=len(plan.held_back)))
        saving = 1 - plan.travel_km / plan.naive_km if plan.naive_km else 0.0
        k[5].metric(
            t("batch.m.travel", lang),
            f"{plan.travel_km:.1f} km",
            delta=f"-{saving * 100:.0f}%",
            delta_color="inverse",
            help=t("batch.m.travel_help", lang),
        )
        st.caption(
            t("batch.compare", lang).format(
                per_day=per_day, naive=plan.naive_km, km=plan.travel_km, saving=saving * 100
            )
        )
        if plan.stats["by_address"]:
            st.info(
                t("batch.by_address", lang).format(
                    n=plan.stats["by_address"], unverified=plan.stats["address_unverified"]
                )
            )
        st.subheader(t("batch.calendar", lang))
        st.caption(t("batch.calendar_source", lang))
        st.table(view.calendar_frame(month, lang, plan.items.groupby("day").size()))
        st.subheader(t("batch.plan_map", lang))
        _show_map(plan.items, "batch_plan_map")
        st.subheader(t("batch.plan_items", lang))
        st.dataframe(
            _people_table(view.items_table(plan.items, lang)),
            hide_index=True,
            key="batch_plan_table",
        )
        if len(plan.held_back):
            st.subheader(t("batch.held_back", lang))
            st.dataframe(_people_table(view.held_back_table(plan.held_back, lang)), hide_index=True)
        if can_edit:
            st.button(
                t("batch.save_draft", lang), key="batch_save", on_click=_save_draft, args=(plan,)
            )
        # the label names the roster and slip files: the paperwork's own Chinese
        _downloads(plan.items, f"{month}（方案）", "batch_plan")

with saved_tab:
    listed = db.query_fresh("batch_list", scope=view_scope, programme_id=pid)
    if listed.empty:
        st.info(t("batch.none_saved", lang))
        st.stop()
    # the stored status stays draft/sent/confirmed; its word is interface
    show = listed.assign(status=[t(f"batch.status.{s}", lang) for s in listed["status"]])
    columns = ["batch_id", "month", "status", "revision", "planned", "done", "created_by"]
    st.dataframe(
        view.headed(show[[*columns, "sent_at", "confirmed_at"]], lang),
        hide_index=True,
    )
    bid = st.selectbox(t("batch.pick", lang), listed["batch_id"], key="batch_pick")
    b = listed.set_index("batch_id").loc[bid]
    head = t("batch.head", lang).format(
        id=format.md(bid),
        status=t(f"batch.status.{b['status']}", lang),
        revision=b["revision"],
        by=format.md(b["created_by"]),
        at=b["created_at"],
    )
    if b["sent_by"]:
        head += t("batch.head_sent", lang).format(by=format.md(b["sent_by"]), at=b["sent_at"])
    if b["confirmed_by"]:
        head += t("batch.head_confirmed", lang).format(
            by=format.md(b["confirmed_by"]), at=b["confirmed_at"]
        )
    st.markdown(head)
    frame = batches.items(db.cursor(), pid, bid, view_scope)
    live = frame[frame["removed_at"].isna()]
    st.subheader(t("batch.progress", lang))
    st.dataframe(
        view.headed(view.progress_table(live), lang), hide_index=True, key="batch_progress"
    )
    _show_map(live, "batch_saved_map")
    st.dataframe(_people_table(view.items_table(live, lang)), hide_index=True, key="batch_items")
    if can_edit and b["status"] == "draft":
        with st.expander(t("batch.edit", lang)):
            days = workdays.working_days(b["month"])
            act = st.radio(
                t("batch.action", lang),
                ["move", "remove", "add"],
                format_func=lambda a: t(f"batch.action.{a}", lang),
                horizontal=True,
                key="batch_edit_action",
            )
            hh = st.text_input(t("batch.household_id", lang), key="batch_edit_hh").strip()
            c1, c2 = st.columns(2)
            crew = int(
                c1.number_input(t("batch.crew", lang), 1, int(b["crews"]), 1, key="batch_edit_crew")
            )
            day = c2.selectbox(t("batch.day", lang), days, key="batch_edit_day")
            why = st.text_input(t("batch.why", lang), key="batch_edit_why")
            if st.button(t("batch.go", lang), key="batch_edit_go") and hh:
                if act == "remove":
                    ok = t("batch.removed", lang).format(hh=hh)
                    _run(batches.remove_item, bid, hh, who.username, why, scope, ok=ok)
                elif act == "add":
                    ok = t("batch.added", lang).format(hh=hh)
                    _run(batches.add_item, bid, hh, crew, day, who.username, scope, ok=ok)
                else:
                    _run(
                        batches.move_item,
                        bid,
                        hh,
                        crew,
                        day,
                        who.username,
                        scope,
                        ok=t("batch.moved", lang).format(hh=hh),
                    )
                st.rerun()
        if st.button(t("batch.send", lang), type="primary", key="batch_send"):
            _run(batches.send, bid, who.username, scope, ok=t("batch.sent", lang))
            st.rerun()
    elif can_edit:
        if b["status"] == "sent" and st.button(
            t("batch.confirm", lang), type="primary", key="batch_confirm"
        ):
            _run(batches.confirm, bid, who.username, scope, ok=t("batch.confirmed", lang))
            st.rerun()
        reason = st.text_input(t("batch.reopen_reason", lang), key="batch_reopen_reason")
        if st.button(t("batch.reopen", lang), key="batch_reopen"):
            ok = t("batch.reopened", lang)
            _run(batches.reopen, bid, who.username, reason, scope, ok=ok)
            st.rerun()
    _downloads(frame, bid, "batch_saved")
