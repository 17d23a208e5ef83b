"""用户管理: accounts, roles and street scope; one-time passwords shown once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.i18n import t
from data.users import access, accounts

context.require("users")
admin = context.user()
lang = context.lang()
st.title(t("page.users", lang))
streets = db.query(
    "region_shapes", scope=db.WHOLE_DISTRICT, programme_id=context.programme_id(), level="street"
)
street_names = dict(zip(streets["region_id"], streets["name"], strict=True))


def _show_password(username: str, password: str) -> None:
    # Rendered once and never stored in session state; only the argon2 hash is kept.
    st.success(
        t("users.password", lang).format(user=format.md(username), password=format.md(password))
    )


st.subheader(t("users.add", lang))
with st.form("add_user", clear_on_submit=True):
    c1, c2, c3, c4 = st.columns(4)
    username = c1.text_input(t("users.col.username", lang))
    name = c2.text_input(t("users.col.display_name", lang))
    role = c3.selectbox(
        t("users.col.role", lang), list(access.ROLES), format_func=lambda r: t(f"role.{r}", lang)
    )
    street = c4.selectbox(
        t("users.street", lang),
        ["", *street_names],
        format_func=lambda s: street_names.get(s, "—"),
    )
    if st.form_submit_button(t("users.add_go", lang), type="primary"):
        try:
            password = accounts.add_user(
                db.cursor(), username, role, street or None, name or None, actor=admin.username
            )
        except accounts.AccountError as exc:
            st.error(format.error_text(exc, lang))
        else:
            _show_password(username.strip(), password)

users = pd.DataFrame(accounts.list_users(db.cursor()))
if not users.empty:
    st.subheader(t("users.manage", lang))
    c1, c2 = st.columns([2, 3])
    target = c1.selectbox(t("users.user", lang), users["username"], key="users_target")
    b1, b2, b3 = c2.columns(3)
    if b1.button(t("users.disable", lang), key="users_disable", disabled=target == admin.username):
        accounts.set_disabled(db.cursor(), target, True, actor=admin.username)
    if b2.button(t("users.enable", lang), key="users_enable"):
        accounts.set_disabled(db.cursor(), target, False, actor=admin.username)
    if b3.button(t("users.reset", lang), key="users_reset"):
        _show_password(target, accounts.reset_password(db.cursor(), target, actor=admin.username))
    users = pd.DataFrame(accounts.list_users(db.cursor()))  # after this run's changes
    view = users.assign(
        role=users["role"].map(lambda r: t(f"role.{r}", lang)),
        street=users["street_id"].map(street_names).astype(object).fillna("—"),
        state=[
            t("users.state.disabled" if disabled else "users.state.locked", lang)
            if disabled or pd.notna(locked)
            else t("users.state.ok", lang)
            for disabled, locked in zip(users["disabled"], users["locked_until"], strict=True)
        ],
    )[["username", "display_name", "role", "street", "state", "last_login_at", "created_at"]]
    for col in ("last_login_at", "created_at"):
        view[col] = pd.to_datetime(view[col]).dt.strftime("%Y-%m-%d %H:%M").fillna("")
    view.columns = [t(f"users.col.{c}", lang) for c in view.columns]
    st.dataframe(view, hide_index=True, width="stretch", key="users_table")
