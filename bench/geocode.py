"""Address matching speed for `anju bench`: a synthetic roster against a synthetic address base.

Run in a fresh process, so `peak_mb` is the matching's own peak memory (the bench process has
by then held whole demo databases), and the timing starts from cold caches as an import does.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

# The child runs this checkout's code (not whatever an installed copy points at).
_ROOT = Path(__file__).resolve().parents[1]


def _measure(buildings: int, rows: int) -> dict:
    from geo.address_synth import bench_geocode

    got = bench_geocode(buildings, rows)
    got["peak_mb"] = _peak_mb()
    return got


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the address space, so it starts
    afresh at exec; ru_maxrss (the fallback off Linux) keeps the forking parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def geocode_timing(rows: int = 100_000, buildings: int | None = None) -> dict:
    """Seconds to parse a base of `buildings` (default 2 × rows) and match `rows` roster rows
    (generation untimed); rows/s, the child process's peak memory, and how well it matched."""
    buildings = 2 * rows if buildings is None else buildings
    # A plain child interpreter: multiprocessing's spawn would re-run the parent's __main__,
    # which after the bench's AppTest runs is the Streamlit app.
    code = f"import json, bench.geocode as g; print(json.dumps(g._measure({buildings}, {rows})))"
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=_ROOT, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    seconds = got["total_s"]
    return {
        "rows": got["rows"],
        "buildings": got["buildings"],
        "seconds": seconds,
        "rows_per_second": round(got["rows"] / seconds) if seconds else None,
        "base_seconds": got["build_s"],
        "match_seconds": got["match_s"],
        "peak_mb": got["peak_mb"],
        # Quality, so a faster matcher that matches worse shows: base-named rows placed within
        # 50 m of their building, and rows naming no base building that still got one.
        "named_within_50m": got["named_within_50m"],
        "unnamed_at_building": got["unnamed_at_building"],
        "levels": got["levels"],
    }
