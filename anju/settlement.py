"""`anju settlement`: one period's settlement by payer and item, exact to the fen."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import queries
from anju.common import add_db_programme, on_db, print_json
from anju.importer import active_user
from data.money import settlement
from data.store import audit
from documents import settlement as settlement_doc


def _run(args: argparse.Namespace) -> int:
    def work(con) -> settlement.Settlement:
        user = active_user(con, args.user)
        result = settlement.compute(
            con,
            args.programme,
            args.period,
            accepted_months_only=args.accepted_months_only or None,
            checked_only=False if args.include_unchecked else None,
        )
        if args.out:
            name = queries.call(con, "programmes.name", programme_id=args.programme).fetchone()[0]
            Path(args.out).write_bytes(settlement_doc.excel_bytes(result, name))
            audit.log(
                con,
                user.username,
                "export",
                f"settlement:{args.programme}:{result.period}",
                {"file": Path(args.out).name, "rows": len(result.included)},
            )
        return result

    code, result = on_db(args.db, work)
    if result is None:
        return code
    if args.json:
        print_json(result.as_json())
    else:
        print(f"{result.programme_id} {result.period} 结算：{len(result.included)} 套安装")
        print(result.payer_frame().to_string(index=False))
        for note in result.notes:
            print("说明：" + note)
        if len(result.excluded):
            print(f"未结算 {len(result.excluded)} 套（原因见 --out 的「未结算」表）")
    for u in result.unchecked:
        word = "待核验（未结算）" if result.checked_only else "提示：抽查未核验（已按要求计入）"
        print(f"{word}：{u['text']}，{u['installations']} 套", file=sys.stderr)
    if result.unaccepted and not result.accepted_months_only:
        months = "、".join(f"{u['street_name']} {u['month']}" for u in result.unaccepted)
        print(f"提示：以下街道月份尚未验收：{months}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `settlement` sub-command."""
    p = sub.add_parser("settlement", help="资金结算：按付款方和费用项计算某月或某季度金额")
    add_db_programme(p)
    p.add_argument("--period", required=True, help="月份 2024-07 或季度 2024-Q3")
    p.add_argument("--json", action="store_true", help="打印 JSON（金额为精确到分的字符串）")
    p.add_argument("--out", help="写出结算 Excel（.xlsx）")
    p.add_argument(
        "--accepted-months-only", action="store_true", help="只结算已验收（已审核）的街道月份"
    )
    p.add_argument(
        "--include-unchecked",
        action="store_true",
        help="抽查样本尚未核验的街道月份也计入（默认按项目规则：核验完成前不结算）",
    )
    p.add_argument("--user", help="以哪个账号导出（记入审计日志；默认为服务器控制台管理员 cli）")
    p.set_defaults(func=_run)
