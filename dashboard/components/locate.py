"""待定位 (households without a building-level point) on 入户登记, and the one line that says how
a scope's households are located. Rules live in data.households.geocoding; this only lists and collects.

Each household of the page shows the base buildings the matcher offered (address, score) with a
button to take one, and a small map — the community's outline, the base's buildings around, the
candidates — where a click sets the point. Street users see only their street (scope).
"""

from __future__ import annotations

import html

import duckdb
import folium
import pandas as pd
import streamlit as st

from dashboard import assets, db
from dashboard.components import coverage_map, geojson, map_view, pager
from dashboard.components.field_forms import person
from dashboard.format import error_text
from dashboard.i18n import t
from data.households import geocoding
from data.users import access
from geo import crs as gcrs
from geo.crs import transform_geodataframe

SIZE = 10  # households a page: each carries its candidates and, when opened, a map
NEAR_DEG = 0.004  # ~400 m around the household's centre: the base's buildings drawn for reference
NEAR_MAX = 400


def level_label(level: str, lang: str) -> str:
    """楼栋 / 小区（弄）/ 道路 / 仅社区 / 无法定位 in the interface language."""
    return t(f"locate.level.{level}", lang)


def levels_text(levels: dict[str, int] | pd.Series, lang: str) -> str:
    """ "楼栋 4,120 · 小区（弄） 830 · …" for the levels present (all of them when given a dict)."""
    return t("locate.sep", lang).join(
        t("locate.level_n", lang).format(level=level_label(lv, lang), n=f"{int(levels[lv]):,}")
        for lv in geocoding.LEVELS
        if lv in levels
    )


def levels_line(con: duckdb.DuckDBPyConnection, pid: str, scope: db.Scope, lang: str) -> None:
    """覆盖地图's line: how many of the scope's households are located at each level."""
    levels = geocoding.levels(con, pid, None if scope is None else list(scope))
    st.caption(t("locate.line", lang).format(levels=levels_text(levels, lang)))
    waiting = sum(n for lv, n in levels.items() if lv != "building")
    if waiting and access.can(_user(), "field", access.W):
        st.caption(t("locate.pending_hint", lang).format(n=f"{waiting:,}"))


def _user() -> access.User | None:
    from dashboard import context  # context imports the components' db layer

    return context.user()


def pending_list(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    pid: str,
    scope: db.Scope,
    unmasked: bool,
    lang: str,
) -> None:
    """The 待定位 list of the user's scope, a page at a time, with candidates and a map."""
    done = st.session_state.pop("_locate_saved", None)
    if done:
        st.success(done)
    st.caption(t("locate.intro", lang))
    c1, c2 = st.columns([2, 1])
    search = c1.text_input(t("locate.search", lang), key="locate_search", max_chars=50)
    basemap = c2.selectbox(
        t("coverage.basemap", lang),
        coverage_map.BASEMAPS,
        format_func=lambda b: t(f"basemap.{b}", lang),
        key="locate_basemap",
    )

    def cut(page: int) -> pd.DataFrame:
        return db.query_fresh(
            "locate_pending",
            scope=scope,
            programme_id=pid,
            search=search.strip() or None,
            limit=SIZE,
            offset=(page - 1) * SIZE,
        )

    page, rows = pager.fetch("locate_page", cut)
    total = int(rows["total_rows"].iloc[0]) if not rows.empty else 0
    st.text(t("locate.count", lang).format(n=f"{total:,}"))
    if rows.empty:
        st.info(t("locate.none", lang))
        return
    found = geocoding.match(con, pid, rows["household_id"].tolist())
    offered = dict(zip(found["household_id"], found["candidates"], strict=True))
    for row in rows.to_dict("records"):
        cands = offered.get(row["household_id"]) or []
        _household(con, user, pid, scope, row, cands, unmasked, basemap, lang)
    pager.caption(total, page, SIZE, len(rows), lang)
    pager.picker("locate_page", total, SIZE, lang)


def _household(con, user, pid, scope, row, candidates: list, unmasked: bool, basemap: str, lang):
    hid = row["household_id"]
    name, address, _ = person(row, unmasked)
    with st.container(border=True):
        where = " ".join(str(v) for v in (row["street_name"], row["community_name"]) if v)
        st.text(f"{hid} {name} · {where}\n{address or t('locate.no_address', lang)}")
        score = row.get("loc_score")
        level = level_label(row["loc_level"], lang)
        if score is not None and pd.notna(score):
            level = t("locate.level_score", lang).format(level=level, score=f"{score:.0f}")
        st.caption(t("locate.now", lang).format(level=level))
        if not candidates:
            st.caption(t("locate.no_candidates", lang))
        for i, c in enumerate(candidates, start=1):
            a, b = st.columns([4, 1], vertical_alignment="center")
            a.text(
                t("locate.candidate", lang).format(i=i, address=c.address, score=f"{c.score:.0f}")
            )
            if b.button(t("locate.use", lang), key=f"locate_use_{hid}_{i}", width="stretch"):
                _save(con, user, pid, hid, c.lon, c.lat, lang)
        opened = st.session_state.get("locate_open") == hid
        if st.button(
            t("locate.close_map" if opened else "locate.open_map", lang),
            key=f"locate_toggle_{hid}",
            icon=":material/map:",
        ):
            st.session_state["locate_open"] = None if opened else hid
            st.rerun()
        if opened:
            _map(con, user, pid, scope, row, candidates, basemap, lang)


def _map(con, user, pid: str, scope, row: dict, candidates: list, basemap: str, lang: str) -> None:
    hid = row["household_id"]
    shapes = db.query("region_shapes", scope=scope, programme_id=pid, level="community")
    outline = shapes[shapes["region_id"] == row["community_id"]]
    fmap = build_map(
        row,
        candidates,
        geocoding.base(con, pid).frame,
        coverage_map.outline_frame(outline) if not outline.empty else None,
        basemap,
        lang,
    )
    if fmap is None:
        st.caption(t("locate.no_map", lang))
        return
    st.caption(t("locate.map_hint", lang))
    state = map_view.show(
        map_view.render(fmap),
        key=f"locate_map_{hid}",
        height=360,
        returned_objects=["last_clicked"],
    )
    clicked = (state or {}).get("last_clicked") or {}
    if clicked.get("lng") is None:
        return
    lon, lat = float(clicked["lng"]), float(clicked["lat"])
    if basemap == "amap":  # AMap's tiles are drawn in GCJ-02: the click is, too
        lon, lat = gcrs.convert(lon, lat, "gcj02", "wgs84")
    st.text(t("locate.clicked", lang).format(lon=f"{lon:.6f}", lat=f"{lat:.6f}"))
    if st.button(t("locate.save_click", lang), key=f"locate_save_{hid}", type="primary"):
        _save(con, user, pid, hid, lon, lat, lang)


def _save(con, user, pid: str, hid: str, lon: float, lat: float, lang: str) -> None:
    try:
        geocoding.set_point(con, user, pid, hid, lon, lat, source="manual")
    except (ValueError, PermissionError) as exc:
        st.error(error_text(exc, lang))
        return
    st.cache_data.clear()  # the household's place, status and cells changed for every page
    st.session_state["_locate_saved"] = t("locate.saved", lang).format(id=hid)
    st.session_state["locate_open"] = None
    st.rerun()


def build_map(
    row: dict,
    candidates: list,
    base: pd.DataFrame,
    outline,
    basemap: str,
    lang: str,
) -> folium.Map | None:
    """A small map around one household: its community's outline, the base's buildings nearby
    (grey), the candidates (numbered) and its present coarse point (orange); None when nothing
    says where to look. WGS84 in, shifted to GCJ-02 for AMap tiles."""
    spots = [(c.lon, c.lat) for c in candidates]
    if pd.notna(row.get("lon")) and pd.notna(row.get("lat")):
        spots.append((float(row["lon"]), float(row["lat"])))
    if not spots and outline is not None:
        centre = outline.geometry.iloc[0].representative_point()
        spots.append((centre.x, centre.y))
    if not spots:
        return None
    cx = sum(x for x, _ in spots) / len(spots)
    cy = sum(y for _, y in spots) / len(spots)

    def shown(lon: float, lat: float) -> tuple[float, float]:
        # folium wants (lat, lon); AMap's tiles are GCJ-02
        if basemap == "amap":
            lon, lat = gcrs.convert(lon, lat, "wgs84", "gcj02")
        return float(lat), float(lon)

    m = assets.offline_map()
    coverage_map.add_basemap(m, basemap, lang)
    if outline is not None:
        if basemap == "amap":
            outline = transform_geodataframe(outline, "wgs84", "gcj02")
        folium.GeoJson(
            geojson.feature_collection(outline),
            style_function=lambda _: {"fill": False, "color": "#333", "weight": 2},
            interactive=False,
        ).add_to(m)
    near = base[
        (base["lon"].between(cx - NEAR_DEG, cx + NEAR_DEG))
        & (base["lat"].between(cy - NEAR_DEG, cy + NEAR_DEG))
    ].head(NEAR_MAX)
    for r in near.itertuples():
        folium.CircleMarker(
            shown(r.lon, r.lat),
            radius=3,
            color="#888",
            fill=True,
            weight=1,
            tooltip=html.escape(str(r.address)),  # Leaflet inserts tooltips as HTML
        ).add_to(m)
    if pd.notna(row.get("lon")) and pd.notna(row.get("lat")):
        folium.CircleMarker(
            shown(float(row["lon"]), float(row["lat"])),
            radius=8,
            color="#e6550d",
            fill=True,
            tooltip=html.escape(t("locate.present", lang)),
        ).add_to(m)
    for i, c in enumerate(candidates, start=1):
        folium.Marker(
            shown(c.lon, c.lat),
            tooltip=html.escape(f"{i}. {c.address} ({c.score:.0f})"),
        ).add_to(m)
    (s, w), (n, e) = (
        shown(cx - NEAR_DEG / 2, cy - NEAR_DEG / 2),
        shown(cx + NEAR_DEG / 2, cy + NEAR_DEG / 2),
    )
    m.fit_bounds([[s, w], [n, e]])
    return m
