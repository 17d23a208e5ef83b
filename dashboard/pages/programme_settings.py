"""项目设置: an administrator edits the programme (name, targets, phases, devices, shares, rules)
or creates one from a shipped template or an uploaded TOML; every change is checked and audited."""

from __future__ import annotations

import streamlit as st

from dashboard import context
from dashboard.components import programme_form as form
from dashboard.i18n import t

context.require("programme_settings")
lang, pid = context.lang(), context.programme_id()
st.title(t("page.programme_settings", lang))
form.create_section(lang)
if pid is None:
    st.info(t("settings.none", lang))
    st.stop()
form.edit_section(pid, lang)
