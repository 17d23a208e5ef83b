"""What every part of field work shares: the entry kinds and outcome words, the rule error,
the form as entered, and the programme's lists a form offers (hazard types, device sets)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

import queries
from data.fieldwork import photos
from data.messages import UserError, Words

PAGE = "field"
WITHDRAW_MINUTES = 30
TEXT_MAX = 200

KINDS: dict[str, str] = {
    "visit": "入户检查",
    "refusal": "拒绝入户",
    "rectified": "隐患整改",
    "gas_cut": "停气",
    "gas_restored": "恢复供气",
    "installation": "安装",
    "verification": "街道验收",
    "helper_visit": "帮扶走访",
}
# The outcome labels of seed 000's safety check, as the inspection table stores them.
OUTCOMES: dict[str, str] = {
    "正常": "ok",
    "有隐患": "hazard",
    "拒绝": "refused",
    "不在家": "not_home",
    "无法整改": "unfixable",
}
# Seed 004 三(2): what a helper checks at each visit.
HELPER_CHECKS = ("电气线路", "燃气", "炉灶", "易燃可燃物")
# The same words in English, for messages shown in English mode.
OUTCOMES_EN = ("normal", "hazard found", "refused", "not at home", "cannot be fixed")
HELPER_CHECKS_EN = ("wiring", "gas", "stove", "flammables")
# Used when a programme names no hazard types and has none recorded yet (seed 000 四).
DEFAULT_HAZARD_KINDS = ("胶管老化或超期", "灶具无熄火保护", "私接燃气管道", "燃气泄漏", "其他")
HAZARD_DUE_DAYS = 30  # as the demo and the importers' 整改期限 default
_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{3,39}")


class FieldError(UserError):
    """A field entry that breaks a rule; the message says what to fix (Chinese, or English)."""


def _listed(zh: tuple[str, ...] | dict[str, str], en: tuple[str, ...]) -> Words:
    return Words("、".join(zh), ", ".join(en))


@dataclass
class Entry:
    """One form as entered on the page. `values` depend on the kind (see `record`)."""

    kind: str
    occurred_at: datetime
    values: dict = field(default_factory=dict)
    photos: list[photos.Upload] = field(default_factory=list)
    # The key of the form render it came from (new after each save): the same key twice is the
    # same entry, stored once — a second tap, a double click, a resubmitted request.
    form_key: str | None = None


def hazard_kinds(con: duckdb.DuckDBPyConnection, programme_id: str) -> list[str]:
    """Hazard types of the programme: its settings' `hazard_kinds`, else those it has recorded,
    else the seed-000 list."""
    settings = programme_settings(con, programme_id)
    named = settings.get("hazard_kinds")
    if isinstance(named, list) and named:
        return [str(k) for k in named]
    seen = [
        r[0] for r in queries.call(con, "field.hazard_kinds", programme_id=programme_id).fetchall()
    ]
    return seen or list(DEFAULT_HAZARD_KINDS)


def device_choices(
    con: duckdb.DuckDBPyConnection, programme_id: str, gas_type: str | None
) -> dict[str, str]:
    """Device sets of the programme that fit the household's gas type: device_type → name."""
    rows = queries.call(
        con, "field.device_choices", programme_id=programme_id, gas_type=gas_type
    ).fetchall()
    return dict(rows)


def programme_settings(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict:
    """The programme's settings (its template beyond the columns) as a dict."""
    row = queries.call(con, "field.programme_settings", programme_id=programme_id).fetchone()
    if row is None:
        raise FieldError("field.no_programme")
    raw = row[0]
    return json.loads(raw) if isinstance(raw, str) and raw else (raw or {})
