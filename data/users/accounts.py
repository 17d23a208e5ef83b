"""Local accounts: argon2id password hashes, lock-out after repeated failures, one-time passwords."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

import queries
from data.messages import UserError, UserMessage, render
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access, sessions

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("anju-no-such-user")


# One message for every failed sign-in: unknown user, wrong password, locked or disabled alike,
# so the form never tells which usernames exist (the audit log keeps the real reason).
LOGIN_FAILED = render("accounts.login_failed", failures=MAX_FAILURES)
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def _common() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


# The pieces most Chinese weak passwords are glued from: love-number codes (520 我爱你, 1314
# 一生一世), pinyin and English words, keyboard runs, counting runs and years. A password made
# of nothing else (woaini1314520, iloveyou5201314, zhangwei19900101) is refused like a listed one.
_WEAK_PART = (
    r"woaini|woaiwojia|aini|iloveyou|love|wo|ni|ta|baobei|laopo|laogong|qinai|xiaobao"
    r"|zhongguo|china|beijing|shanghai|anju|admin|password|passw0rd|pass|qq|abc|abcd"
    r"|qwerty|qwertyuiop|asdf|asdfghjkl|zxcv|zxcvbnm|qaz|wsx|edc|1qaz|2wsx"
    r"|5201314|1314520|520|521|1314|666|888|168|518|147258|369|258"
    r"|(?:19|20)\d\d(?:0[1-9]|1[0-2])?(?:0[1-9]|[12]\d|3[01])?"
    r"|0?1234567890?|123456789|12345678|1234567|123456|12345|1234|123|12|(\d)\1+|\d"
)
_WEAK = re.compile(rf"(?:{_WEAK_PART})+")


def _weak_by_pattern(low: str) -> bool:
    # Two glued parts at least; one word or number alone is the length rule's business.
    return _WEAK.fullmatch(low) is not None and not low.isdigit() and len(low) < 24


def _password_problem(password: str, username: str) -> tuple[str, dict] | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return "accounts.password_short", {"length": MIN_PASSWORD_LENGTH}
    low = password.lower()
    name = (username or "").strip().lower()
    if name and (low == name or (name in low and len(name) >= 4)):
        return "accounts.password_has_name", {}
    if low in _common() or len(set(low)) < 4 or _weak_by_pattern(low):
        return "accounts.password_common", {}
    return None


def password_problem(password: str, username: str) -> str | None:
    """Why PASSWORD may not be used by USERNAME (Chinese), or None when it is acceptable:
    at least 10 characters, not a common password, not the username, not one repeated pattern."""
    problem = _password_problem(password, username)
    return None if problem is None else render(problem[0], "zh", **problem[1])


class LoginError(UserMessage):
    """A sign-in that failed; the message is safe to show (it never says which part was wrong)."""


class AccountError(UserError):
    """A bad account operation, with a Chinese message saying what to fix."""


def one_time_password() -> str:
    """A random 16-character password to hand over once; the user must change it at first login."""
    return secrets.token_urlsafe(12)


def _street_id(con: duckdb.DuckDBPyConnection, street: str | None) -> str | None:
    if street is None:
        return None
    row = queries.call(con, "accounts.street_by_id_or_name", street=street).fetchone()
    if row is None:
        raise AccountError("accounts.no_street", street=street)
    return row[0]


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    street: str | None = None,
    display_name: str | None = None,
    actor: str = "system",
) -> str:
    """Create an account and return its one-time password (shown once, stored only as a hash)."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise AccountError("accounts.bad_username")
    if role not in access.ROLES:
        raise AccountError("accounts.bad_role", role=role, roles=", ".join(access.ROLES))
    street_id = _street_id(con, street)
    if role == "street" and street_id is None:
        raise AccountError("accounts.street_needed")
    _refuse_taken(con, username)
    password = one_time_password()
    try:
        with unit_of_work(con, actor) as uow:
            queries.call(
                con,
                "accounts.add",
                username=username,
                role=role,
                street_id=street_id if role == "street" else None,
                display_name=display_name,
                password_hash=_HASHER.hash(password),
            )
            uow.audit("user_add", username, {"role": role, "street_id": street_id})
    except duckdb.ConstraintException:  # created meanwhile by another session
        _refuse_taken(con, username)
        raise
    return password


def _refuse_taken(con: duckdb.DuckDBPyConnection, username: str) -> None:
    # Usernames are one whatever their case: DEMO_ADMIN beside demo_admin would be two
    # accounts no one can tell apart in the audit log (the database refuses it too).
    row = queries.call(con, "accounts.same_name", username=username).fetchone()
    if row is None:
        return
    if row[0] == username:
        raise AccountError("accounts.exists", username=username)
    raise AccountError("accounts.exists_case", username=username, other=row[0])


def list_users(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Accounts without their hashes, for the CLI and the admin page."""
    rows = queries.call(con, "accounts.list").fetchall()
    cols = [
        "username",
        "role",
        "street_id",
        "display_name",
        "disabled",
        "must_change_password",
        "failed_attempts",
        "locked_until",
        "created_at",
        "last_login_at",
    ]
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _require(con: duckdb.DuckDBPyConnection, username: str) -> None:
    if not queries.call(con, "accounts.exists", username=username).fetchone():
        raise AccountError("accounts.no_user", username=username)


@dataclass(frozen=True)
class Contact:
    """Who fills in a form: 填报人, 科室 and 联系电话 as recorded on the account."""

    name: str
    unit: str | None = None
    phone: str | None = None


def contact(con: duckdb.DuckDBPyConnection, username: str | None) -> Contact:
    """The form-filler details of an account (its username alone when nothing is recorded)."""
    row = queries.call(con, "accounts.contact", username=username).fetchone()
    return Contact(*row) if row else Contact(username or "")


def set_contact(
    con: duckdb.DuckDBPyConnection,
    username: str,
    unit: str | None,
    phone: str | None,
    actor: str = "system",
) -> None:
    """Record an account's 科室 and 联系电话 (printed on the forms it fills in); audit-logged."""
    _require(con, username)
    unit = (unit or "").strip()[:60] or None
    phone = (phone or "").strip()[:30] or None
    with unit_of_work(con, actor) as uow:
        queries.call(con, "accounts.set_contact", username=username, unit=unit, phone=phone)
        uow.audit("user_contact", username, {"unit": unit})


def set_disabled(
    con: duckdb.DuckDBPyConnection, username: str, disabled: bool, actor: str = "system"
) -> None:
    """Disable (or re-enable) an account; a disabled user cannot sign in, and its open sessions
    end on their next click."""
    _require(con, username)
    with unit_of_work(con, actor) as uow:
        queries.call(con, "accounts.set_disabled", username=username, disabled=disabled)
        if disabled:
            sessions.end_all(con, username)
        uow.audit("user_disable" if disabled else "user_enable", username)


def reset_password(con: duckdb.DuckDBPyConnection, username: str, actor: str = "system") -> str:
    """Issue a new one-time password, unlock the account, and return the password (shown once)."""
    _require(con, username)
    password = one_time_password()
    with unit_of_work(con, actor) as uow:
        queries.call(
            con,
            "accounts.reset_password",
            username=username,
            password_hash=_HASHER.hash(password),
        )
        sessions.end_all(con, username)  # whoever had the old password is signed out too
        uow.audit("password_reset", username)
    return password


def change_password(con: duckdb.DuckDBPyConnection, username: str, old: str, new: str) -> None:
    """Replace a password after checking the old one; the new one must pass `password_problem`
    and differ from the old one."""
    problem = _password_problem(new, username)
    if problem:
        raise AccountError(problem[0], **problem[1])
    if new == old:
        raise AccountError("accounts.same_password")
    row = queries.call(con, "accounts.password_hash", username=username).fetchone()
    if row is None or not _matches(row[0], old):
        raise AccountError("accounts.wrong_password")
    with unit_of_work(con, username) as uow:
        queries.call(
            con, "accounts.change_password", username=username, password_hash=_HASHER.hash(new)
        )
        uow.audit("password_change", username)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    con: duckdb.DuckDBPyConnection, username: str, password: str, now: datetime | None = None
) -> tuple[access.User, bool]:
    """Check a sign-in; return the user and whether they must change their password.

    Raises LoginError with the same message for unknown users and wrong passwords; locks the
    account for 15 minutes after 5 failures in a row. Every attempt is audit-logged.
    """
    now = now or clock.now()
    username = (username or "").strip()
    row = queries.call(con, "accounts.sign_in_state", username=username).fetchone()
    if row is None:
        _matches(_DUMMY_HASH, password or "")
        audit.log(con, username[:64] or "(空)", "login_failed", None, {"reason": "unknown_user"})
        raise LoginError("accounts.login_failed", failures=MAX_FAILURES)
    role, street_id, display_name, password_hash, disabled, failures, locked_until, must_change = (
        row
    )
    if disabled:
        _matches(_DUMMY_HASH, password or "")  # same time as any other failure
        audit.log(con, username, "login_failed", None, {"reason": "disabled"})
        raise LoginError("accounts.login_failed", failures=MAX_FAILURES)
    if locked_until is not None and locked_until > now:
        _matches(_DUMMY_HASH, password or "")
        audit.log(con, username, "login_failed", None, {"reason": "locked"})
        raise LoginError("accounts.login_failed", failures=MAX_FAILURES)
    if not _matches(password_hash, password or ""):
        failures += 1
        lock = now + LOCKOUT if failures >= MAX_FAILURES else None
        with unit_of_work(con, username) as uow:
            queries.call(
                con,
                "accounts.record_failure",
                username=username,
                failed_attempts=0 if lock else failures,
                locked_until=lock,
            )
            uow.audit("login_failed", None, {"reason": "password", "locked": lock is not None})
        raise LoginError("accounts.login_failed", failures=MAX_FAILURES)
    with unit_of_work(con, username) as uow:
        queries.call(con, "accounts.record_login", username=username, now=now)
        uow.audit("login", None, {"role": role})
    return access.User(username, role, street_id, display_name), bool(must_change)


def user_by_name(con: duckdb.DuckDBPyConnection, username: str) -> access.User | None:
    """An enabled account by username (used for single sign-on, where the IdP did the password)."""
    row = queries.call(con, "accounts.active_user", username=username).fetchone()
    return access.User(username, *row) if row else None


def ensure_admin(con: duckdb.DuckDBPyConnection, username: str = "admin") -> str | None:
    """Create the first administrator if there is none; return its one-time password, else None."""
    if queries.call(con, "accounts.has_admin").fetchone():
        return None
    return add_user(con, username, "admin", display_name="管理员")
