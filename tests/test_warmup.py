"""The server's background imports (dashboard.warmup) stay clear of Streamlit components: a
component declared outside a script run is never drawn (the maps came up blank)."""

from __future__ import annotations

import subprocess
import sys


def test_warmup_imports_no_streamlit_component() -> None:
    code = (
        "import importlib, sys\n"
        "from dashboard import warmup\n"
        "before = set(sys.modules)\n"
        "warmup._import_all()\n"
        "new = set(sys.modules) - before\n"
        "bad = sorted(m for m in new if m.startswith(('streamlit', 'dashboard')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == "", out.stdout
