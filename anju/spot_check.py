"""`anju spot-check draw`: draw a month's spot-check sample by the programme's rule."""

from __future__ import annotations

import argparse
import json
import sys

from anju.importer import active_user
from data import spot_checks
from data.connection import DEFAULT_DB, connect


def _draw(args: argparse.Namespace) -> int:
    con = connect(args.db)
    try:
        out = spot_checks.draw(
            con,
            args.programme,
            args.month,
            active_user(con, args.user),
            seed=args.seed,
            reason=args.reason,
        )
    except (ValueError, PermissionError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    if args.json:
        shape = {k: out[k] for k in ("programme_id", "month", "seed", "strata")}
        print(json.dumps(shape, ensure_ascii=False))
    else:
        print(f"{out['programme_id']} {out['month']} 抽查（{out['scope']}，比例 {out['rate']:.0%}），"
              f"种子 {out['seed']}：")  # fmt: skip
        for s in out["strata"]:
            print(f"  {s['street']}：总数 {s['population']}，抽取 {s['sample_size']}："
                  + "、".join(s["households"]))  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `spot-check` sub-command."""
    p = sub.add_parser("spot-check", help="抽查：按项目规则抽取当月样本")
    acts = p.add_subparsers(dest="action", required=True)
    d = acts.add_parser("draw", help="抽取某月样本（可用 --seed 复现）")
    d.add_argument("--db", default=str(DEFAULT_DB))
    d.add_argument("--programme", required=True, help="项目编号，如 changning_2023")
    d.add_argument("--month", required=True, help="月份 YYYY-MM")
    d.add_argument("--seed", type=int, help="随机种子（不填则随机生成并保存）")
    d.add_argument("--reason", help="同一月份重新抽取时必须填写原因")
    d.add_argument("--user", help="以哪个账号抽取（默认为服务器控制台管理员 cli）")
    d.add_argument("--json", action="store_true", help="打印 JSON")
    d.set_defaults(func=_draw)
