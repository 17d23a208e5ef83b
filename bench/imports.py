"""Import speed for `anju bench`: a 100,000-row roster .xlsx into a fresh demo database."""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import shapely

from data import importing
from data.demos import demo
from data.store import connection
from data.users import access
from geo import boundaries as gb


def roster_xlsx(rows: int, con, seed: int = 7) -> bytes:
    """A roster like a street office's: title row, Chinese header, points inside the district."""
    rng = np.random.default_rng(seed)
    wkb = con.execute(
        "SELECT ST_AsWKB(geom) FROM region WHERE region_id = ?", [demo.DISTRICT_ID]
    ).fetchone()[0]
    outline = gb.as_multipolygon(shapely.from_wkb(bytes(wkb)))
    pts = gb.random_points_in(outline, rows, rng)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["长宁区高龄独居老人花名册（压测）"])
    ws.append(["序号", "姓名", "性别", "年龄", "联系电话", "家庭住址", "经度", "纬度", "燃气类型"])
    for i in range(rows):
        ws.append(
            [
                i + 1,
                f"测试{i:06d}",
                "男" if i % 2 else "女",
                int(rng.integers(75, 100)),
                f"139{i:08d}",
                f"测试路{i // 100}弄{i % 100}号",
                round(float(pts[i, 0]), 6),
                round(float(pts[i, 1]), 6),
                "管道天然气" if i % 50 else "液化气",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_timing(rows: int = 100_000) -> dict[str, float | int]:
    """Seconds and rows/s for one committed import of `rows` new households (target ≤ 30 s)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "import.duckdb"
        demo.build(db)
        con = connection.connect(db)
        try:
            data = roster_xlsx(rows, con)

            def timed(commit: bool) -> tuple[importing.Result, float]:
                started = time.perf_counter()
                res = importing.run(
                    con,
                    "households",
                    "压测花名册.xlsx",
                    data,
                    demo.PROGRAMME,
                    access.User("bench", "admin"),
                    commit=commit,
                )
                return res, time.perf_counter() - started

            result, seconds = timed(commit=True)
            again, again_seconds = timed(commit=False)  # the same file checked once more
        finally:
            con.close()
    return {
        "rows": rows,
        "file_mb": round(len(data) / 1024 / 1024, 1),
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "loaded": result.loaded,
        "rejected": result.rejected,
        "recheck_seconds": round(again_seconds, 2),
        "recheck_unchanged": again.unchanged,
    }
