"""Numbers as Chinese readers expect them: thousands separators, percentages to one decimal."""

from __future__ import annotations

import math


def count(value: float | int | None) -> str:
    """6460 → '6,460'; missing → '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round(value):,}"


def pct(fraction: float | None) -> str:
    """0.4722 → '47.2%'; missing → '—'."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "—"
    return f"{fraction * 100:.1f}%"


def signed_count(value: float | int | None) -> str:
    """Households above (+) or below (−) plan: 104 → '+104', -116 → '-116'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round(value):+,}"


def signed_pp(value: float | None) -> str:
    """Percentage-point difference: 0.123 → '+12.3 个百分点'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:+.1f} 个百分点"
