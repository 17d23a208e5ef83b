"""The login gate: sign-in form, first-login password change, session timeout, logout, optional SSO."""

from __future__ import annotations

import os
import time

import streamlit as st
import streamlit.components.v1 as components

from dashboard import context, db, format
from dashboard.i18n import t
from data.store import audit
from data.users import accounts, sessions

SESSION_MINUTES = int(os.environ.get("ANJU_SESSION_MINUTES", "30"))
_SEEN = "_anju_last_seen"
_MUST_CHANGE = "_anju_must_change"
_TOKEN = "_anju_session_token"  # this browser's session token (server memory and its cookie)
_VIA = "_anju_via"  # "password" or "oidc"
_CLEAR = "_anju_clear_cookie"


def _cookie(token: str | None) -> None:
    # Streamlit cannot send Set-Cookie from a script: a zero-height component sets the cookie on
    # the app's own page (same origin). The token is random, only its hash is stored, and the
    # server checks it on every click, so a revoked or expired cookie opens nothing.
    if token:
        value = (
            f"{sessions.COOKIE}={token}; path=/; max-age={int(sessions.MAX_AGE.total_seconds())}"
        )
    else:
        value = f"{sessions.COOKIE}=; path=/; max-age=0"
    components.html(
        "<script>var d = window.parent.document;"
        f'd.cookie = "{value}; SameSite=Strict" + '
        '(window.parent.location.protocol === "https:" ? "; Secure" : "");</script>',
        height=0,
    )


def _sign_out(reason: str | None = None) -> None:
    who = context.user()
    via = st.session_state.get(_VIA)
    if who is not None:
        sessions.end(db.cursor(), st.session_state.get(_TOKEN))
        audit.log(db.cursor(), who.username, "logout", None, {"reason": reason or "user"})
    lang = context.lang()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state["lang"] = lang  # the sign-in page stays in the language last chosen
    st.session_state[_CLEAR] = True
    if reason:
        st.session_state["_anju_notice"] = reason
    if via == "oidc" and _sso_configured():
        st.logout()  # also end the identity provider's session cookie


def _resume() -> None:
    """Sign back in from this browser's session cookie (a reload, a bookmarked page)."""
    try:
        token = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # no browser context (bare script runs)
        token = None
    if not isinstance(token, str) or not token or st.session_state.get(_CLEAR):
        return
    found = sessions.current(db.cursor(), token, SESSION_MINUTES)
    if found is None:
        return
    st.session_state[context.USER_KEY], st.session_state[_MUST_CHANGE] = found
    st.session_state[_TOKEN], st.session_state[_VIA] = token, "password"
    st.session_state[_SEEN] = time.time()


def _still_valid() -> bool:
    """Re-read the account on every click: sign-out elsewhere, disabling, a reset password or a
    new role apply now, not when the session times out."""
    token = st.session_state.get(_TOKEN)
    if token:
        found = sessions.current(db.cursor(), token, SESSION_MINUTES)
        if found is None:
            return False
        user, must_change = found
        st.session_state[context.USER_KEY] = user
        st.session_state[_MUST_CHANGE] = st.session_state.get(_MUST_CHANGE) or must_change
    elif st.session_state.get(_VIA) == "oidc":
        fresh = accounts.user_by_name(db.cursor(), context.user().username)
        if fresh is None:
            return False
        st.session_state[context.USER_KEY] = fresh
    return True


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _sso_user() -> None:
    # The identity provider checked the password; Anju still decides the role from app_user.
    if not (_sso_configured() and getattr(st.user, "is_logged_in", False)):
        return
    email = getattr(st.user, "email", None) or ""
    found = accounts.user_by_name(db.cursor(), email)
    if found is None:
        st.error(t("login.sso_unknown", context.lang()).format(email=format.md(email)))
        return
    audit.log(db.cursor(), email, "login", None, {"via": "oidc"})
    st.session_state[context.USER_KEY] = found
    st.session_state[_VIA] = "oidc"


def _language_switch() -> str:
    # The sidebar's switch is drawn only after sign-in; the sign-in page has its own, Chinese by
    # default, writing the same session value so the choice carries over.
    def _keep() -> None:
        st.session_state["lang"] = st.session_state["_login_lang"]

    st.session_state["_login_lang"] = context.lang()
    st.selectbox(
        t("app.language", context.lang()),
        ["zh", "en"],
        format_func={"zh": "中文", "en": "English"}.get,
        key="_login_lang",
        on_change=_keep,
    )
    return context.lang()


def _login_form() -> None:
    lang = _language_switch()
    st.title(t("login.title", lang))
    if notice := st.session_state.pop("_anju_notice", None):
        st.info(notice)
    with st.form("login", clear_on_submit=True):
        username = st.text_input(t("login.username", lang))
        password = st.text_input(t("login.password", lang), type="password")
        submitted = st.form_submit_button(t("login.submit", lang), type="primary")
    if submitted:
        try:
            user, must_change = accounts.authenticate(db.cursor(), username, password)
        except accounts.LoginError as exc:
            st.error(format.error_text(exc, lang))
        else:
            st.session_state[context.USER_KEY] = user
            st.session_state[_MUST_CHANGE] = must_change
            st.session_state[_SEEN] = time.time()
            st.session_state[_TOKEN] = sessions.start(db.cursor(), user.username)
            st.session_state[_VIA] = "password"
            st.session_state.pop(_CLEAR, None)
            st.rerun()
    if _sso_configured():
        st.divider()
        st.button(t("login.sso", lang), on_click=st.login)
    st.caption(t("login.forgot", lang))


def _change_password_form(username: str) -> None:
    lang = _language_switch()
    st.title(t("password.title", lang))
    st.caption(t("password.caption", lang).format(n=accounts.MIN_PASSWORD_LENGTH))
    with st.form("change_password", clear_on_submit=True):
        old = st.text_input(t("password.old", lang), type="password")
        new = st.text_input(t("password.new", lang), type="password")
        again = st.text_input(t("password.again", lang), type="password")
        submitted = st.form_submit_button(t("password.submit", lang), type="primary")
    if submitted:
        if new != again:
            st.error(t("password.mismatch", lang))
            return
        try:
            accounts.change_password(db.cursor(), username, old, new)
        except accounts.AccountError as exc:
            st.error(format.error_text(exc, lang))
        else:
            st.session_state[_MUST_CHANGE] = False
            st.rerun()
    st.button(t("app.logout", lang), on_click=_sign_out)


def gate() -> None:
    """Stop the script unless a user is signed in, active within the timeout, with a usable password."""
    if context.user() is None:
        _resume()
    if context.user() is None:
        _sso_user()
    who = context.user()
    if who is None:
        if st.session_state.get(_CLEAR):
            _cookie(None)
        _login_form()
        st.stop()
    if not _still_valid():
        _sign_out(t("login.invalid", context.lang()))
        st.rerun()
    who = context.user()
    if st.session_state.get(_TOKEN):
        _cookie(st.session_state[_TOKEN])
    last = st.session_state.get(_SEEN)
    now = time.time()
    if last is not None and now - last > SESSION_MINUTES * 60:
        _sign_out(t("login.timeout", context.lang()).format(minutes=SESSION_MINUTES))
        st.rerun()
    st.session_state[_SEEN] = now
    if st.session_state.get(_MUST_CHANGE):
        _change_password_form(who.username)
        st.stop()


def sidebar_account() -> None:
    """Who is signed in, their role and street, and the logout button."""
    from data.users.access import ROLES

    who = context.user()
    if who is None:
        return
    lang = context.lang()
    role = t(f"role.{who.role}", lang) if lang != "zh" else ROLES[who.role]
    st.caption(f"**{format.md(who.display_name or who.username)}** · {role}")
    st.button(t("app.logout", lang), key="logout", on_click=_sign_out, icon=":material/logout:")
