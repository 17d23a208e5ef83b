"""`anju plan-batch`: propose a street's monthly installation batch (and its 花名册)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from anju.common import add_db_programme, on_db, print_json
from data import batches
from data.store import audit
from documents import batch_docs


def _run(args: argparse.Namespace) -> int:
    def work(con) -> tuple[batches.Plan, dict]:
        street_id = batches.street_id_for(con, args.street)
        rules = (
            tuple(r for r in args.rules.split(",") if r) if args.rules else batches.DEFAULT_RULES
        )
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
        plan = batches.plan(
            con, args.programme, street_id, args.month, args.crews, args.per_day, rules, as_of
        )
        result = plan.summary()
        if args.save:
            result["batch_id"] = batches.save(con, plan, actor="cli")
        if args.out:
            table = batches.roster(plan.items, batches.device_names(con, args.programme))
            about = {
                "项目": args.programme,
                "街道": args.street,
                "月份": args.month,
                "班组 × 每日户数": f"{args.crews} × {args.per_day}",
                "工作日": str(len(plan.workdays)),
            }
            Path(args.out).write_bytes(
                batch_docs.roster_xlsx(table, f"{args.street} {args.month} 安装花名册", about)
            )
            audit.log(
                con,
                "cli",
                "export",
                "batch_roster",
                {"rows": len(table), "street_id": street_id, "month": args.month, "file": args.out},
            )
            result["out"] = args.out
        return plan, result

    code, done = on_db(args.db, work, (batches.BatchError, ValueError))
    if done is None:
        return code
    plan, result = done
    if args.json:
        print_json(result)
    else:
        by_address = result["by_address"]
        print(
            f"{args.street} {args.month}：工作日 {len(plan.workdays)} 天，容量 {plan.capacity} 户，"
            f"排入 {result['assigned']} 户（{len(result['crew_days'])} 个班组日"
            + (f"，其中无坐标、按地址排序 {by_address} 户" if by_address else "")
            + f"），待下月 {result['waiting']} 户，拒装/停气另列 {result['held_back']} 户；"
            f"有坐标住户路程 {plan.travel_km:.1f} km（按社区地址顺序 {plan.naive_km:.1f} km）"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `plan-batch` sub-command."""
    p = sub.add_parser("plan-batch", help="街道月度安装批次：班组日分组、上门顺序、花名册")
    add_db_programme(p)
    p.add_argument("--street", required=True, help="街道名称或区划代码，如 华阳路街道")
    p.add_argument("--month", required=True, help="计划月份 YYYY-MM")
    p.add_argument("--crews", type=int, required=True, help="安装班组数")
    p.add_argument("--per-day", type=int, required=True, help="每个班组每日户数")
    p.add_argument(
        "--rules",
        help=f"优先规则，逗号分隔、按先后：{','.join(batches.RULES)}（默认全部按此顺序）",
    )
    p.add_argument("--as-of", help="以哪天的数据为准（默认数据最新日期）")
    p.add_argument("--out", help="花名册 Excel 输出文件（含完整姓名电话，交燃气公司）")
    p.add_argument("--save", action="store_true", help="保存为草稿批次")
    p.add_argument(
        "--json", action="store_true", help="输出 JSON：住户、班组日、travel_km、naive_km"
    )
    p.set_defaults(func=_run)
