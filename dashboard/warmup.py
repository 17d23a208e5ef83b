"""Import the heavy libraries in the background when the server first runs the app.

Each costs up to 2 s on first import (scipy.stats alone 1.8 s): without this, the first person
to open 火灾风险, 服务保障 or 周报 after a restart waits for them. Imported while someone signs in,
they are ready by the time a page needs them (a page importing one meanwhile simply waits for it).
"""

from __future__ import annotations

import importlib
import threading

# No Streamlit component or page module here: streamlit_folium declares its component when
# imported, and declared outside a script run it is never drawn (measured: a blank map).
MODULES = (
    "scipy.stats",
    "scipy.sparse",
    "matplotlib.figure",
    "docx",
    "geo.hotspots",
    "data.batches",
    "documents.charts",
)
_started = threading.Lock()


def start() -> None:
    """Start the imports once per server process (later calls do nothing)."""
    if _started.acquire(blocking=False):
        threading.Thread(target=_import_all, name="anju-warmup", daemon=True).start()


def _import_all() -> None:
    for name in MODULES:
        importlib.import_module(name)
