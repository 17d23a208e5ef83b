"""入户登记: at the door, on a phone — find the household, see its record, record what
happened, withdraw a mistake. Rules, scope and the write path are in data.fieldwork.field."""

from __future__ import annotations

import streamlit as st

from dashboard import context, db
from dashboard.components import care_counts, geolocation, locate
from dashboard.components import field_forms as ui
from dashboard.format import error_text, md
from dashboard.i18n import t
from data.fieldwork import field

PAGE = field.PAGE
lang, scope, pid = context.open_page(PAGE)
context.require_data(pid, lang, households=True)
user, con = context.user(), db.cursor()
st.title(t("page.field", lang))
context.unmask_toggle(PAGE)
shown = context.unmasked(PAGE)

saved = st.session_state.pop("_field_saved", None)
if saved:
    st.success(t("field.saved", lang).format(id=saved["id"]))
    if saved.get("warning"):
        st.warning(saved["warning"])
    if saved.get("located"):
        st.info(saved["located"])

note = st.session_state.pop("_field_registry", None)
if note:
    st.success(note)
gone = st.session_state.pop("_field_withdrawn", None)
if gone:
    st.success(t("field.withdrawn", lang).format(id=gone))

# 待定位 lives here: the street staff who set a point by hand are the ones who go to the door,
# under the same right (edit on 入户登记), and a household picked there opens the same card.
modes = ["today", "search", *(["locate"] if context.can(PAGE, "edit") else [])]
mode = st.segmented_control(
    t("field.mode", lang),
    modes,
    format_func=lambda m: t(f"field.mode.{m}", lang),
    default="today",
    key="field_mode",
    width="stretch",
)
if mode == "search":
    text = st.text_input(t("field.search", lang), key="field_search", max_chars=50)
    if text:
        try:
            found = field.search(con, user, pid, text)
            st.caption(t("field.found", lang).format(n=len(found)))
            pick = ui.pick_list(found, "field_pick", shown, lang)
            if pick:
                st.session_state["field_household"] = pick
        except ValueError as exc:
            st.error(error_text(exc, lang))
    if context.can(PAGE, "edit") and ui.keeps_registry(con, pid):
        added = ui.add_person_form(con, user, pid, scope, lang)
        if added:
            st.cache_data.clear()
            st.session_state["field_household"] = added
            st.session_state["_field_registry"] = t("field.registry_added", lang).format(id=added)
            st.rerun()
elif mode == "locate":
    locate.pending_list(con, user, pid, scope, shown, lang)
else:
    today = field.today_list(con, user, pid)
    if today.empty:
        st.info(t("field.none_today", lang))
    for (batch_id, crew), group in today.groupby(["batch_id", "crew"], sort=False):
        done = int(group["done_on"].notna().sum())
        head = t("field.crew_head", lang)
        st.markdown(head.format(batch=md(batch_id), crew=crew, done=done, n=len(group)))
        pick = ui.pick_list(group, f"field_today_{batch_id}_{crew}", shown, lang, today=True)
        if pick:
            st.session_state["field_household"] = pick

hid = st.session_state.get("field_household")
if hid:
    try:
        hh = field.household(con, user, pid, hid)
    except PermissionError as exc:
        st.error(error_text(exc, lang))
        st.session_state.pop("field_household", None)
        st.stop()
    st.divider()
    ui.card(con, user, pid, hh, shown, lang)
    if context.can(PAGE, "edit") and ui.keeps_registry(con, pid):
        changed = ui.registry_forms(con, user, pid, hh, lang)
        changed = care_counts.section(con, user, pid, hh, lang) or changed
        if changed:
            st.cache_data.clear()
            st.session_state["_field_registry"] = changed
            st.rerun()
    if context.can(PAGE, "edit"):
        st.subheader(t("field.record", lang))
        kind = st.selectbox(
            t("field.kind", lang),
            list(field.KINDS),
            format_func=lambda k: t(f"field.kind.{k}", lang),
            key="field_kind",
        )
        # At the door: the phone's location, asked each time, recorded with the entry.
        fix = geolocation.control(f"field_{kind}", lang) if kind in geolocation.KINDS else None
        entry = ui.form(con, pid, hh, kind, lang)
        if entry is not None:
            try:
                if fix:
                    entry.values["location"] = fix  # a hint in the entry, whatever its accuracy
                new_id = field.record(con, user, pid, hid, entry)
                located = geolocation.after_save(con, user, pid, hh, fix, lang)
                st.cache_data.clear()  # every page's cached numbers now include this entry
                ui.clear(kind)
                st.session_state["_field_saved"] = {
                    "id": new_id,
                    "warning": field.warning(con, new_id),
                    "located": located,
                }
                st.rerun()
            except (ValueError, PermissionError) as exc:
                st.error(error_text(exc, lang))
        mine = field.entries(con, user, pid, hid)
        live = mine[mine["withdrawn_at"].isna()]
        if not live.empty:
            with st.expander(t("field.withdraw", lang)):
                st.caption(t("field.withdraw_rule", lang))
                labels = {
                    int(r["entry_id"]): f"#{r['entry_id']} {ui.kind_label(r['kind'], lang)}"
                    f" {r['occurred_at']:%m-%d %H:%M} {r['author']}"
                    for r in live.to_dict("records")
                }
                with st.form("field_withdraw_form"):
                    which = st.selectbox(
                        t("field.entry", lang),
                        list(labels),
                        format_func=labels.get,
                        key="field_withdraw_id",
                    )
                    reason = st.text_input(
                        t("field.withdraw_reason", lang), key="field_withdraw_reason", max_chars=200
                    )
                    if st.form_submit_button(t("field.withdraw_go", lang), width="stretch"):
                        try:
                            field.withdraw(con, user, which, reason)
                            st.cache_data.clear()
                            st.session_state["_field_withdrawn"] = which
                            st.rerun()
                        except (ValueError, PermissionError) as exc:
                            st.error(error_text(exc, lang))
