"""The `anju` console script: build the demo database, run the benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from anju import aftercare, batch, briefing, fire, importer, users
from data.connection import DEFAULT_DB


def _demo(args: argparse.Namespace) -> int:
    from data import demo

    result = demo.build(
        args.db, seed=args.seed, households=args.households, communities=args.communities
    )
    print(json.dumps(result, ensure_ascii=False))
    print("演示账号（一次性密码只显示这一次，首次登录须修改）：", file=sys.stderr)
    for name, password in result["accounts"].items():
        print(f"  {name:<14} {password}", file=sys.stderr)
    return 0


def _bench(args: argparse.Namespace) -> int:
    from anju import bench

    result = bench.run(
        Path(args.db),
        households=args.households,
        communities=args.communities,
        repeat=args.repeat,
        reuse=args.reuse,
        app=not args.no_app,
        fire_households=args.fire_households,
        import_rows=args.import_rows,
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface, one sub-command per task."""
    p = argparse.ArgumentParser(prog="anju", description="安居：燃气与消防安全工作台")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="生成演示数据库（长宁区，seed 000）")
    d.add_argument("--db", default=str(DEFAULT_DB), help="数据库文件（将被覆盖）")
    d.add_argument("--seed", type=int, default=20230714, help="随机种子：相同种子生成相同数据")
    d.add_argument(
        "--households", type=int, default=6460, help="住户数（默认 6460，压测可用 1000000）"
    )
    d.add_argument("--communities", type=int, default=180, help="社区数（默认约 180）")
    d.set_defaults(func=_demo)

    users.register(sub)
    fire.register(sub)
    briefing.register(sub)
    batch.register(sub)
    importer.register(sub)
    aftercare.register(sub)

    b = sub.add_parser("bench", help="性能基准：打印 JSON，便于前后对比")
    b.add_argument("--db", default="var/bench.duckdb", help="基准数据库（将被重建，除非 --reuse）")
    b.add_argument("--households", type=int, default=6460)
    b.add_argument("--communities", type=int, default=180)
    b.add_argument("--repeat", type=int, default=20, help="每个查询重复次数")
    b.add_argument("--reuse", action="store_true", help="数据库已存在时不重建")
    b.add_argument("--no-app", action="store_true", help="不测页面脚本耗时（AppTest）")
    b.add_argument(
        "--fire-households",
        type=int,
        default=100_000,
        help="火灾风险评分 + Gi* 计时所用的住户数（另建临时演示库；0 = 不测）",
    )
    b.add_argument(
        "--import-rows", type=int, default=100_000, help="导入压测的花名册行数（0 = 不测）"
    )
    b.set_defaults(func=_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `anju` console script."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
