"""What every page needs to know: language, programme, the signed-in user, their scope and rights."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import db
from dashboard.i18n import t, use_levels
from data.setup import levels as level_words
from data.store import audit, latest
from data.users import access, privacy

USER_KEY = "_anju_user"


def lang() -> str:
    """Interface language chosen in the sidebar ('zh' by default)."""
    return st.session_state.get("lang", "zh")


def programme_id() -> str | None:
    """The programme chosen in the sidebar, or the newest one in the database."""
    progs = db.query("programmes", scope=db.WHOLE_DISTRICT)
    if progs.empty:
        return None
    chosen = st.session_state.get("programme_id")
    return chosen if chosen in set(progs["programme_id"]) else progs["programme_id"].iloc[0]


# The programme rides in the address (?programme=…): a reload (F5) starts a new session, and a
# link sent to a colleague should open the same programme.
URL_KEY = "programme"


def restore_programme(progs) -> None:
    """Take the programme from the address into the sidebar's choice when the session has none."""
    wanted = st.query_params.get(URL_KEY)
    if "programme_id" not in st.session_state and wanted in set(progs["programme_id"]):
        st.session_state["programme_id"] = wanted


def remember_programme(pid: str | None) -> None:
    """Keep the chosen programme in the address."""
    if pid is not None and st.query_params.get(URL_KEY) != pid:
        st.query_params[URL_KEY] = pid


def user() -> access.User | None:
    """The signed-in user (set only by the login gate), or None."""
    found = st.session_state.get(USER_KEY)
    return found if isinstance(found, access.User) else None


def scope() -> list[str] | None:
    """Street ids the signed-in user may see (None = district, [] = nothing). Pass to every query."""
    return access.scope(user())


def can(page: str, action: str = access.V) -> bool:
    """Whether the signed-in user may perform `action` on `page`."""
    return access.can(user(), page, action)


def require(page: str) -> None:
    """Stop the page for users who may not view it (URL typed by hand, stale link)."""
    if not can(page):
        st.error(t("app.no_access", lang()))
        st.stop()


def audit_log(action: str, object: str | None = None, detail: dict | None = None) -> None:
    """Append an audit entry as the signed-in user."""
    who = user()
    audit.log(db.cursor(), who.username if who else "anonymous", action, object, detail)


def unmasked(page: str) -> bool:
    """Whether personal data is shown in full on `page`: allowed for the role and switched on."""
    return can(page, access.U) and bool(st.session_state.get(f"_unmask_{page}"))


def unmask_toggle(page: str) -> None:
    """A 显示完整个人信息 switch for roles that may unmask; switching it on is audit-logged."""
    if not can(page, access.U):
        return
    key = f"_unmask_{page}"

    def _logged() -> None:
        if st.session_state.get(key):
            audit_log("unmask", page)

    st.toggle(t("app.unmask", lang()), key=key, on_change=_logged)


def present_people(frame: pd.DataFrame, page: str) -> pd.DataFrame:
    """Household rows as this user may see them: masked unless unmasked; no phones for finance."""
    who = user()
    out = frame if unmasked(page) else privacy.mask_frame(frame)
    return privacy.drop_phones(out) if who is not None and who.role == "finance" else out


def presenter(page: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """`present_people` with this user's rights fixed now, for work done off the script thread
    (a download built when clicked cannot read the session)."""
    full = unmasked(page)
    who = user()
    finance = who is not None and who.role == "finance"

    def present(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame if full else privacy.mask_frame(frame)
        return privacy.drop_phones(out) if finance else out

    return present


def open_page(page: str) -> tuple[str, list[str] | None, str]:
    """What every page does first: check the right to view, then return (language, scope, programme).

    Stops with a hint when the database holds no programme yet.
    """
    require(page)
    language = lang()
    pid = programme_id()
    if pid is None:
        st.info(t("app.no_programme", language))
        st.stop()
    use_levels(level_names(pid))
    return language, scope(), pid


def district_name(pid: str) -> str:
    """The name of the programme's district (长宁区, 乌审旗, …), '' when it has none."""
    progs = db.query("programmes", scope=db.WHOLE_DISTRICT)
    row = progs[progs["programme_id"] == pid]
    if row.empty:
        return ""
    name = row.iloc[0]["district_name"]
    return name if isinstance(name, str) else ""


def level_names(pid: str) -> dict[str, str]:
    """What programme `pid` calls its levels: {district: 全区/全旗/…, street: 街镇/苏木镇/…,
    community: 社区/嘎查/…}, from its district's kind or its template's level_names."""
    found = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid)
    settings = json.loads(found.iloc[0]["settings"] or "{}") if not found.empty else {}
    return level_words.for_settings(settings, settings.get("district_name") or district_name(pid))


def _status(pid: str) -> pd.DataFrame:
    # One district-wide row (latest date, household count, demo flag): no street rows in it.
    return db.query("data_status", scope=db.WHOLE_DISTRICT, programme_id=pid)


def _streets(pid: str, where: list[str] | None) -> pd.DataFrame:
    return db.query("region_shapes", scope=where, programme_id=pid, level="street")


def latest_date(pid: str) -> date:
    """The latest date any record of the programme carries (pages open on it), else today."""
    return latest.from_status(_status(pid))


def require_data(pid: str, lang: str, *, streets: bool = False, households: bool = False) -> None:
    """Stop the page with a clear Chinese empty state when the programme lacks what it needs.

    A programme just created has no streets (街道/镇/苏木 boundaries) and no households yet;
    each page says which import comes next instead of failing.
    """
    # Whether the programme has any street at all, whoever asks.
    if streets and _streets(pid, db.WHOLE_DISTRICT).empty:
        st.info(t("empty.no_streets", lang), icon=":material/info:")
        st.stop()
    # A street user whose street is not in this programme (another district) sees nothing.
    mine = scope()
    if mine is not None and _streets(pid, mine).empty:
        st.info(t("empty.no_streets_in_scope", lang), icon=":material/info:")
        st.stop()
    if households and int(_status(pid).iloc[0]["households"]) == 0:
        st.info(t("empty.no_households", lang), icon=":material/info:")
        st.stop()


def is_demo(pid: str) -> bool:
    """Whether the database is the synthetic demo (banner, export notes)."""
    return bool(_status(pid).iloc[0]["is_demo"])
