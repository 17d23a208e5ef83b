"""The phone's location at the door (入户登记): a button that asks the browser for a fix each time
it is pressed, its accuracy shown in metres, and what saving does with it.

Streamlit has no geolocation widget; this is a tiny bidirectional component whose page
(geolocation_frontend/index.html) Streamlit serves itself — no CDN, works on an intranet. Browsers
give a location only on HTTPS or localhost, and only when the person allows it.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dashboard.format import error_text
from dashboard.i18n import t
from data.households import geocoding
from data.users import access

KINDS = ("visit", "installation")  # the entries made standing at the door
_component = components.declare_component(
    "anju_geolocation", path=str(Path(__file__).with_name("geolocation_frontend"))
)


def fix_from(value: object) -> dict | None:
    """The browser's answer as {"lon", "lat", "accuracy_m"}, or None (an error, or nonsense)."""
    if not isinstance(value, dict) or value.get("error"):
        return None
    try:
        lon, lat, acc = (float(value[k]) for k in ("lon", "lat", "accuracy"))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(math.isfinite(x) for x in (lon, lat, acc)) or acc < 0:
        return None
    return {"lon": round(lon, 7), "lat": round(lat, 7), "accuracy_m": round(acc, 1)}


def precise(fix: dict) -> bool:
    """Whether a fix may become the household's point (else it is a hint in the entry only)."""
    return fix["accuracy_m"] <= geocoding.FIELD_GPS_MAX_M


def control(prefix: str, lang: str) -> dict | None:
    """Draw 取当前位置 for the form PREFIX; the last fix taken (kept under PREFIX_fix until the
    form is saved and cleared), with its accuracy shown below the button."""
    labels = {k: t(f"field.gps.{k}", lang) for k in ("button", "asking", "denied", "unavailable")}
    labels["timeout"] = t("field.gps.timeout", lang)
    value = _component(labels=labels, key=f"{prefix}_gps", default=None)
    if isinstance(value, dict) and value.get("n") != st.session_state.get(f"{prefix}_gps_n"):
        st.session_state[f"{prefix}_gps_n"] = value.get("n")
        st.session_state[f"{prefix}_fix"] = fix_from(value)
    fix = st.session_state.get(f"{prefix}_fix")
    if fix:
        st.caption(t("field.gps.fix", lang).format(m=f"{fix['accuracy_m']:.0f}"))
        if not precise(fix):
            st.caption(t("field.gps.hint", lang))
    return fix


def after_save(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    hh: dict,
    fix: dict | None,
    lang: str,
) -> str | None:
    """Once the entry is saved: the fix becomes the household's point when it has none at
    building level and the fix is good to 100 m. The sentence to show, or None without a fix."""
    if not fix:
        return None
    m = f"{fix['accuracy_m']:.0f}"
    level = hh.get("loc_level")
    if level is None or pd.isna(level):  # an older row: a roster point is a building's
        level = "building" if pd.notna(hh.get("lon")) else "none"
    if level == "building":
        return t("field.gps.kept", lang)
    try:
        stored = geocoding.set_point(
            con,
            user,
            programme_id,
            hh["household_id"],
            fix["lon"],
            fix["lat"],
            source="field_gps",
            accuracy_m=fix["accuracy_m"],
        )
    except (ValueError, PermissionError) as exc:  # the entry itself is saved: say why, go on
        return error_text(exc, lang)
    return t("field.gps.stored" if stored else "field.gps.kept_hint", lang).format(m=m)
