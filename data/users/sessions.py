"""Browser sessions that survive a reload (F5) or a bookmarked page, and can be revoked.

The browser holds a random token in a cookie; the database keeps only its SHA-256, with the
account, when it was last used and when it expires. Every click looks the session up again, so
signing out, disabling the account or changing its role takes effect on the next click.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import duckdb

import queries
from data.store import clock
from data.users import access

COOKIE = "anju_session"
MAX_AGE = timedelta(hours=12)  # a working day, then sign in again whatever the activity
TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(con: duckdb.DuckDBPyConnection, username: str, via: str = "password") -> str:
    """A new session for USERNAME; returns the token to put in the browser's cookie."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    queries.call(
        con,
        "sessions.open",
        token_hash=_hash(token),
        username=username,
        via=via,
        now=now,
        expires_at=now + MAX_AGE,
    )
    return token


def current(
    con: duckdb.DuckDBPyConnection, token: str | None, idle_minutes: int
) -> tuple[access.User, bool] | None:
    """The session's account as it is now (role and street re-read) and whether it must change
    its password; None when the token is unknown, revoked, expired, idle too long or the
    account is disabled."""
    if not token:
        return None
    now = clock.now()
    row = queries.call(con, "sessions.resume", token_hash=_hash(token), now=now).fetchone()
    if row is None:
        return None
    username, last_seen, role, street_id, display_name, must_change = row
    if now - last_seen > timedelta(minutes=idle_minutes):
        end(con, token)
        return None
    if now - last_seen > TOUCH_EVERY:
        queries.call(con, "sessions.touch", now=now, token_hash=_hash(token))
    return access.User(username, role, street_id, display_name), bool(must_change)


def end(con: duckdb.DuckDBPyConnection, token: str | None) -> None:
    """Revoke one session (sign-out)."""
    if token:
        queries.call(con, "sessions.end", now=clock.now(), token_hash=_hash(token))


def end_all(con: duckdb.DuckDBPyConnection, username: str) -> int:
    """Revoke every session of USERNAME (account disabled or password reset)."""
    return (
        queries.call(con, "sessions.end_all", now=clock.now(), username=username)
        .fetchall()
        .__len__()
    )
