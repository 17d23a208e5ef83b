"""The audit log as a person reads it: named columns, actions in words, details as text."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd

from dashboard import exports
from dashboard.i18n import LABELS, t

# Columns of audit_search in display order.
COLUMNS = ("audit_id", "logged_at", "actor", "action", "object", "detail")
# Entries the page shows (newest first); the download holds every match.
SHOWN = 2000


def action_text(action: str | None, lang: str = "zh") -> str:
    """An action code in words (login → 登录); an unknown code is shown as it is stored."""
    if not action:
        return t("audit.all", lang)
    key = f"audit.action.{action}"
    return t(key, lang) if key in LABELS else action


def detail_text(detail: str | None, lang: str = "zh") -> str:
    """Stored JSON detail as 'key：value；…' with known keys in words; empty when there is none."""
    if detail is None or pd.isna(detail) or detail in ("", "null", "None"):
        return ""
    try:
        data = json.loads(detail)
    except (TypeError, ValueError):
        return str(detail)
    if not isinstance(data, dict):
        return "" if data is None else str(data)
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    parts = []
    for k, v in data.items():
        if v is None or v == "":
            continue  # an empty field says nothing: no "None"
        key = f"audit.detail.{k}"
        name = t(key, lang) if key in LABELS else k
        value = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
        if k == "role" and f"role.{v}" in LABELS:
            value = t(f"role.{v}", lang)
        parts.append(f"{name}{colon}{value}")
    return sep.join(parts)


def shown(found: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """audit_search rows with headers, actions and details in the interface language."""
    out = found[list(COLUMNS)].copy()
    out["logged_at"] = pd.to_datetime(out["logged_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    out["action"] = out["action"].map(lambda a: action_text(a, lang))
    out["detail"] = out["detail"].map(lambda d: detail_text(d, lang))
    out["object"] = out["object"].fillna("")
    return out.rename(columns={c: t(f"audit.col.{c}", lang) for c in COLUMNS})


def export_bytes(run_all: Callable[[], pd.DataFrame], lang: str, sheet: str, note: dict) -> bytes:
    """Every matching entry, not just those shown, as a workbook (sheet SHEET): RUN_ALL is the
    search without a limit, run only when the file is downloaded."""
    return exports.excel_bytes(shown(run_all(), lang), sheet, note)
