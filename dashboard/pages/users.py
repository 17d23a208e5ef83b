"""用户管理: accounts, roles and street scope; one-time passwords shown once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import context, db
from data import access, accounts

context.require("users")
admin = context.user()
st.title("用户管理")
streets = db.query("region_shapes", programme_id=context.programme_id(), level="street")
street_names = dict(zip(streets["region_id"], streets["name"], strict=True))


def _show_password(username: str, password: str) -> None:
    # Rendered once and never stored in session state; only the argon2 hash is kept.
    st.success(
        f"用户 {username} 的一次性密码：**{password}**　"
        "（只显示这一次，请当面或电话告知本人；首次登录须修改）"
    )


st.subheader("添加用户")
with st.form("add_user", clear_on_submit=True):
    c1, c2, c3, c4 = st.columns(4)
    username = c1.text_input("用户名")
    name = c2.text_input("显示名称")
    role = c3.selectbox("角色", list(access.ROLES), format_func=access.ROLES.get)
    street = c4.selectbox(
        "所属街镇（街镇角色必填）",
        ["", *street_names],
        format_func=lambda s: street_names.get(s, "—"),
    )
    if st.form_submit_button("添加", type="primary"):
        try:
            password = accounts.add_user(
                db.cursor(), username, role, street or None, name or None, actor=admin.username
            )
        except accounts.AccountError as exc:
            st.error(str(exc))
        else:
            _show_password(username.strip(), password)

users = pd.DataFrame(accounts.list_users(db.cursor()))
if not users.empty:
    st.subheader("停用 / 启用 / 重置密码")
    c1, c2 = st.columns([2, 3])
    target = c1.selectbox("用户", users["username"], key="users_target")
    b1, b2, b3 = c2.columns(3)
    if b1.button("停用", key="users_disable", disabled=target == admin.username):
        accounts.set_disabled(db.cursor(), target, True, actor=admin.username)
    if b2.button("启用", key="users_enable"):
        accounts.set_disabled(db.cursor(), target, False, actor=admin.username)
    if b3.button("重置密码", key="users_reset"):
        _show_password(target, accounts.reset_password(db.cursor(), target, actor=admin.username))
    users = pd.DataFrame(accounts.list_users(db.cursor()))  # after this run's changes
    view = users.assign(
        role=users["role"].map(access.ROLES),
        street=users["street_id"].map(street_names).astype(object).fillna("—"),
        state=[
            "停用" if disabled else ("锁定" if pd.notna(locked) else "正常")
            for disabled, locked in zip(users["disabled"], users["locked_until"], strict=True)
        ],
    )[["username", "display_name", "role", "street", "state", "last_login_at", "created_at"]]
    view.columns = ["用户名", "显示名称", "角色", "所属街镇", "状态", "最近登录", "创建时间"]
    st.dataframe(view, hide_index=True, width="stretch", key="users_table")
