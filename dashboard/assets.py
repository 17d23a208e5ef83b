"""Local copies of the browser libraries the map needs, served by Streamlit's static route."""

from __future__ import annotations

import shutil
from pathlib import Path

import folium
import js_lib_leaflet

from dashboard import folium_text

folium_text.install()  # before any map is built: see dashboard/folium_text.py

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
LEAFLET_URL = "/app/static/vendor/leaflet"
LEAFLET_JS = f"{LEAFLET_URL}/leaflet.js"
LEAFLET_CSS = f"{LEAFLET_URL}/leaflet.css"
_PACKAGE_DIR = Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet"


def ensure_leaflet() -> Path:
    """Copy Leaflet from the installed `django-js-lib-leaflet` package into static/ if missing.

    Copied, not symlinked: Streamlit refuses static paths that resolve outside static/.
    """
    wanted = ["leaflet.js", "leaflet.css", "images"]
    if all((LEAFLET_DIR / name).exists() for name in wanted):
        return LEAFLET_DIR
    LEAFLET_DIR.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        src = _PACKAGE_DIR / name
        if src.is_dir():
            shutil.copytree(src, LEAFLET_DIR / name, dirs_exist_ok=True)
        else:
            shutil.copy2(src, LEAFLET_DIR / name)
    return LEAFLET_DIR


def offline_map() -> folium.Map:
    """An empty folium map that loads Leaflet from static/ and nothing else (no tiles, no CDN).

    folium's defaults pull Leaflet, jQuery and Bootstrap from CDNs, which leaves the map blank on
    an intranet; every map in Anju starts here.
    """
    m = folium.Map(tiles=None, zoom_control=True)
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    return m


def uploader_css(lang: str, max_mb: int) -> str:
    """CSS that shows st.file_uploader's built-in English in the interface language.

    Streamlit 1.67 has no option for the drop zone's "Upload" button and its "50MB per file •
    XLSX, XLS, CSV" line (streamlit/streamlit#13500, open). Its stable test ids let CSS hide
    those texts and draw ours in their place; each page's label already names the file types.
    """
    from dashboard.i18n import t

    button = t("upload.button", lang)
    limit = t("upload.limit", lang).format(mb=max_mb)
    drop = t("upload.drop", lang)
    zone = '[data-testid="stFileUploaderDropzone"]'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"]'
    # While a file is dragged over the zone Streamlit lays a box without a test id over it,
    # holding one span ("Drag and drop a file here"); the button's box holds a button instead.
    dragging = f"{zone} > div:not([data-testid]) > span"
    # The button's label and icon shrink to nothing and the button itself carries our word;
    # likewise the hint's own text and the drag-over text, with ours drawn after their boxes.
    return (
        "<style>"
        f"{zone} button {{font-size:0;}}"
        f"{zone} button * {{font-size:0 !important;}}"
        f'{zone} button::after {{content:"{button}";font-size:0.875rem;}}'
        f"{hint} * {{font-size:0 !important;}}"
        f'{hint}::after {{content:"{limit}";font-size:0.75rem;color:rgba(49,51,63,.6);}}'
        f"{dragging} {{font-size:0 !important;}}"
        f'{dragging}::after {{content:"{drop}";font-size:0.875rem;}}'
        "</style>"
    )
