"""The 统计日期 picker shared by the progress pages: opens on the latest data, bounded by the programme."""

from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.delta_generator import DeltaGenerator


def as_of_input(
    where: DeltaGenerator,
    label: str,
    key: str,
    prog: pd.Series,
    latest: date,
    help: str | None = None,
) -> date:
    """A date input from the programme start to its end (or the latest data, if later)."""
    starts = pd.Timestamp(prog["starts"]).date()
    ends = pd.Timestamp(prog["ends"]).date()
    return where.date_input(
        label,
        value=latest,
        min_value=starts,
        max_value=max(ends, latest),
        key=key,
        format="YYYY-MM-DD",
        help=help,
    )
