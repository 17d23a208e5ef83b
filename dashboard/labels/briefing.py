"""Labels of 周报 (weekly) and 逾期 (overdue), in both languages."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {}
