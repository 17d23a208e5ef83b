"""Pieces of the 项目设置 page: create a programme, edit one; saving goes through
`data.setup.programmes.save` (checks in Chinese, idempotent, audit-logged old → new)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.i18n import t
from data.setup import programme_checks, programmes
from data.setup import programme_edits as edits


def _actor() -> str:
    who = context.user()
    return who.username if who else "anonymous"


def _report(result: dict, lang: str) -> None:
    if result["status"] == "unchanged":
        st.info(t("settings.unchanged", lang))
        return
    how = t("settings.created" if result["status"] == "created" else "settings.updated", lang)
    st.success(t("settings.saved", lang).format(id=result["programme_id"], how=how))
    if result["changes"]:
        st.dataframe(
            pd.DataFrame(
                [[k, str(o), str(n)] for k, (o, n) in result["changes"].items()],
                columns=[t(f"settings.col.{c}", lang) for c in ("item", "old", "new")],
            ),
            hide_index=True,
        )
    st.cache_data.clear()  # programme lists and settings are cached queries


def _save(template: dict, lang: str, programme_id: str | None = None) -> None:
    try:
        result = programmes.save(db.cursor(), template, _actor(), programme_id=programme_id)
    except ValueError as exc:
        st.error(format.error_text(exc, context.lang()))
        return
    _report(result, lang)


def create_section(lang: str) -> None:
    """新建项目: from a shipped template (one per seed) or from an uploaded .toml."""
    with st.expander(t("settings.create", lang)):
        c1, c2 = st.columns(2)
        name = c1.selectbox(
            t("settings.template", lang), programmes.shipped(), key="settings_template"
        )
        new_id = c2.text_input(t("settings.new_id", lang), key="settings_new_id", max_chars=64)
        if st.button(
            t("settings.create_go", lang),
            key="settings_create",
            disabled=not context.can("programme_settings", "edit"),
        ):
            _save(programmes.read_template(name), lang, new_id.strip() or None)
        upload = st.file_uploader(
            t("settings.upload", lang),
            type=["toml"],
            key="settings_upload",
            max_upload_size=1,  # MB; programme_checks.parse refuses over 256 KB in words
        )
        if upload is not None and st.button(t("settings.load", lang), key="settings_load"):
            try:
                template = programme_checks.parse(upload.getvalue(), upload.name)
            except ValueError as exc:
                st.error(format.error_text(exc, context.lang()))
                return
            _save(template, lang)


def edit_section(pid: str, lang: str) -> None:
    """The current programme's settings as a form; 保存 checks, loads and audits."""
    tpl = programmes.current_template(db.cursor(), pid)
    prog = tpl["programme"]
    st.subheader(t("settings.edit", lang).format(name=format.md(prog["name"])))
    st.caption(t("settings.rules_note", lang))
    with st.form("programme_settings_form"):
        name = st.text_input(t("settings.name", lang), prog["name"], max_chars=200)
        c1, c2, c3 = st.columns(3)
        has_target = prog.get("target_households") is not None
        target = c1.number_input(
            t("settings.target", lang),
            min_value=0,
            value=int(prog.get("target_households") or 0),
            step=1,
        )
        by_gas = prog.get("targets_by_gas_type")
        piped = lpg = None
        if by_gas is not None:
            piped = c2.number_input(
                t("settings.piped", lang), min_value=0, value=int(by_gas.get("piped", 0)), step=1
            )
            lpg = c3.number_input(
                t("settings.lpg", lang), min_value=0, value=int(by_gas.get("lpg", 0)), step=1
            )
        tables = {}  # phases, devices, shares: edits.apply reads each back
        for table, section, columns in (
            ("phases", "phase", edits.PHASE_COLUMNS),
            ("devices", "device", edits.DEVICE_COLUMNS),
            ("shares", "cost_share", edits.SHARE_COLUMNS),
        ):
            st.markdown(t(f"settings.{table}", lang))
            frame = edits.frame(tpl.get(section, []), columns)
            tables[table] = st.data_editor(
                # a share is edited as text, so that "1/3" stays exact
                frame.astype({"share": str}) if table == "shares" else frame,
                num_rows="dynamic",
                key=f"settings_{table}",
                hide_index=True,
            )
        rules = st.text_area(
            t("settings.rules", lang), edits.rules_text(tpl.get("rules", {})), height=260
        )
        submitted = st.form_submit_button(
            t("settings.save", lang), disabled=not context.can("programme_settings", "edit")
        )
    if not submitted:
        return
    try:
        new = edits.apply(
            tpl,
            name=name,
            target_households=int(target) if (target or has_target) else None,
            targets_by_gas_type=None if by_gas is None else {"piped": piped, "lpg": lpg},
            **tables,
            rules=rules,
        )
    except ValueError as exc:
        st.error(format.error_text(exc, context.lang()))
        return
    _save(new, lang)
