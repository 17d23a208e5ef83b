"""`anju hotspots` and `anju monthly-table`: fire-risk hotspots and seed 004's monthly table."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import queries
from data.firerisk import fire_risk
from data.store import audit, latest
from data.store.connection import DEFAULT_DB, connect
from data.users import accounts
from documents import monthly_table
from geo import hotspots


def _latest(con, programme_id: str) -> date:
    """The latest date any record carries (as the page opens), else today."""
    if queries.run(con, "data_status", programme_id=programme_id).iloc[0]["households"] == 0:
        raise SystemExit(f"工作项目 {programme_id!r} 没有住户数据")
    return latest.latest_date(con, programme_id)


def _hotspots(args: argparse.Namespace) -> int:
    con = connect(args.db)
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else _latest(con, args.programme)
        result = fire_risk.analyse(con, args.programme, as_of, level=args.level)
    finally:
        con.close()
    sig = fire_risk.significant(result.units)
    rows = [
        {
            "unit": r.unit_id,
            "name": getattr(r, "name", None) if args.level == "community" else None,
            "households": int(r.households),
            "mean_score": round(float(r.mean_value), 2),
            "z": round(float(r.z), 3),
            "p_adj": float(f"{r.p_adj:.3g}"),
            "class": r.cls,
        }
        for r in sig.itertuples()
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "programme_id": args.programme,
                    "as_of": as_of.isoformat(),
                    "level": args.level,
                    "resolution": result.resolution,
                    "tested": int((result.units["cls"] != hotspots.TOO_FEW).sum()),
                    "significant": rows,
                },
                ensure_ascii=False,
            )
        )
        return 0
    unit = f"H3 网格（分辨率 {result.resolution}）" if args.level == "h3" else "社区"
    tested = int((result.units["cls"] != hotspots.TOO_FEW).sum())
    print(f"{args.programme} · {as_of} · {unit}：检验 {tested} 个，显著 {len(rows)} 个（FDR 校正）")
    print(f"{'单元':<18} {'户数':>5} {'平均分':>7} {'z':>8} {'校正p':>9}  类别")
    for r in rows:
        label = r["name"] or r["unit"]
        p = r["p_adj"]
        p_text = f"{p:.2e}" if p < 0.001 else f"{p:.4f}"
        cls = hotspots.CLASS_LABELS.get(r["class"], r["class"])
        print(
            f"{label:<18} {r['households']:>5} {r['mean_score']:>7.2f} {r['z']:>8.2f} "
            f"{p_text:>9}  {cls}"
        )
    return 0


def _monthly(args: argparse.Namespace) -> int:
    month = monthly_table.parse_month(args.month)
    con = connect(args.db)
    try:
        frame = monthly_table.rows(con, args.programme, month)
        unit = args.unit or ""
        filler = accounts.contact(con, args.user) if args.user else None
        data = monthly_table.workbook_bytes(frame, month, unit=unit, filler=filler)
        Path(args.out).write_bytes(data)
        audit.log(
            con,
            "cli",
            "export",
            f"monthly_table:{args.programme}:{args.month}",
            {"rows": len(frame)},
        )
    finally:
        con.close()
    due = monthly_table.last_working_day(month)
    print(
        json.dumps(
            {
                "out": str(args.out),
                "rows": len(frame),
                "month": f"{month:%Y-%m}",
                "due": f"{due.isoformat()} {monthly_table.DUE_TIME}",
            },
            ensure_ascii=False,
        )
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the hotspots and monthly-table sub-commands."""
    h = sub.add_parser("hotspots", help="火灾风险热点（Getis-Ord Gi*，FDR 校正）")
    h.add_argument("--db", default=str(DEFAULT_DB), help="数据库文件")
    h.add_argument("--programme", required=True, help="工作项目编号，如 changning_2023")
    h.add_argument("--level", choices=fire_risk.LEVELS, default="h3", help="H3 网格或社区")
    h.add_argument("--as-of", help="统计日期 YYYY-MM-DD（默认：数据中的最新日期）")
    h.add_argument("--json", action="store_true", help="输出 JSON")
    h.set_defaults(func=_hotspots)

    m = sub.add_parser("monthly-table", help="独居老人消防安全月度统计表（seed 004，Excel）")
    m.add_argument("--db", default=str(DEFAULT_DB), help="数据库文件")
    m.add_argument("--programme", required=True, help="工作项目编号")
    m.add_argument("--month", required=True, help="月份 YYYY-MM")
    m.add_argument("--out", required=True, help="输出的 .xlsx 文件")
    m.add_argument("--unit", help="填报单位（表头）")
    m.add_argument("--user", help="填报人账号：表头填其姓名、联系电话，科室列填其科室")
    m.set_defaults(func=_monthly)
