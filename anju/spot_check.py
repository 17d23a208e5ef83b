"""`anju spot-check draw`: draw a month's spot-check sample by the programme's rule."""

from __future__ import annotations

import argparse

from anju.common import add_db_programme, add_user_json, on_db, print_json
from anju.importer import active_user
from data.money import spot_checks


def _draw(args: argparse.Namespace) -> int:
    def work(con) -> dict:
        user = active_user(con, args.user)
        return spot_checks.draw(
            con, args.programme, args.month, user, seed=args.seed, reason=args.reason
        )

    code, out = on_db(args.db, work, (ValueError, PermissionError))
    if out is None:
        return code
    if args.json:
        print_json({k: out[k] for k in ("programme_id", "month", "seed", "strata")})
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
    add_db_programme(d)
    d.add_argument("--month", required=True, help="月份 YYYY-MM")
    d.add_argument("--seed", type=int, help="随机种子（不填则随机生成并保存）")
    d.add_argument("--reason", help="同一月份重新抽取时必须填写原因")
    add_user_json(d, "抽取")
    d.set_defaults(func=_draw)
