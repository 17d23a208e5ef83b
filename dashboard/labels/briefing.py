"""Labels of 周报 (weekly), 逾期 (overdue) and the 验收 panel: dashboard/locale/briefing.toml."""

from __future__ import annotations

from pathlib import Path

from data.message_catalogue import load_catalogue

LABELS: dict[str, dict[str, str]] = load_catalogue(
    Path(__file__).resolve().parents[1] / "locale" / "briefing.toml"
)
