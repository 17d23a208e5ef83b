"""Knowledge time of updates: when a later change to a stored record reached Anju.

A record's existence is dated by `recorded_at`. Its later updates (a rectification, a gas cut or
restoration, a verification) change the same row, so each carries its own recorded-at column
. Every writer stamps them here, so the as-published view (`known_by` with a
knowledge time) re-shows a published bulletin exactly after late updates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

# update column → the column recording when that update reached Anju
UPDATE_STAMPS = {
    "rectified_on": "rectified_recorded_at",
    "gas_cut_on": "gas_cut_recorded_at",
    "gas_restored_on": "restored_recorded_at",
    "verified_on": "verified_recorded_at",
}


def update_stamps(
    values: Mapping[str, object], columns: Iterable[str], now: datetime
) -> dict[str, datetime]:
    """The recorded-at stamps for the update columns set (non-empty) in `values`."""
    present = set(columns)
    return {
        stamp: now
        for col, stamp in UPDATE_STAMPS.items()
        # NaN / NaT (an emptied cell) never equal themselves: not an update
        if stamp in present and values.get(col) is not None and values.get(col) == values.get(col)
    }
