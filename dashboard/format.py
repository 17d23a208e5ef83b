"""Numbers as Chinese readers expect them: thousands separators, percentages to one decimal."""

from __future__ import annotations

import math
import re

from dashboard.i18n import t
from data.messages import UserMessage

# Characters Markdown (and Streamlit's :color[…] / :material/…: / $…$ extensions) give meaning to.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md(value: object) -> str:
    """Any text (a name, address, file name, error message quoting a cell) made safe to put
    inside st.markdown / st.caption / st.error: every Markdown character is escaped, so an
    imported `![x](http://…)` is shown as those characters and never fetched or rendered."""
    text = "" if value is None else str(value)
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def error_text(err: BaseException, lang: str) -> str:
    """An exception's message for st.error, escaped: a data-layer catalogue message in `lang`,
    any other exception as its own text."""
    return md(err.text(lang) if isinstance(err, UserMessage) else str(err))


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


def signed_pp(value: float | None, lang: str = "zh") -> str:
    """Percentage-point difference: 0.123 → '+12.3 个百分点' ('+12.3 pp' in English)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:+.1f} {t('format.pp', lang)}"
