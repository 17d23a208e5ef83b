"""What every page needs to know: language, programme, the user's scope."""

from __future__ import annotations

import streamlit as st

from dashboard import db


def lang() -> str:
    """Interface language chosen in the sidebar ('zh' by default)."""
    return st.session_state.get("lang", "zh")


def programme_id() -> str | None:
    """The programme chosen in the sidebar, or the newest one in the database."""
    progs = db.query("programmes")
    if progs.empty:
        return None
    chosen = st.session_state.get("programme_id")
    return chosen if chosen in set(progs["programme_id"]) else progs["programme_id"].iloc[0]


def scope() -> list[str] | None:
    """Street ids the current user may see; None is the whole district.

    Until accounts exist (the access-control issue) everyone sees the district; every query
    already takes the scope as a parameter, so that issue only has to decide its value here.
    """
    return None
