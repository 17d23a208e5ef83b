"""Per-area parts of the interface catalogue; dashboard.i18n merges them into one LABELS."""

from __future__ import annotations

from dashboard.labels import aftercare, briefing, planning

PARTS: tuple[dict[str, dict[str, str]], ...] = (briefing.LABELS, planning.LABELS, aftercare.LABELS)
