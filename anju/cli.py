"""The `anju` console script: build the demo database, run the benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from anju import (
    aftercare,
    audit,
    batch,
    briefing,
    check,
    fire,
    forecast,
    geocode,
    importer,
    programme,
    settlement,
    spot_check,
    users,
)
from anju.common import int_between, refuse, unknown_programme


def _demo(args: argparse.Namespace) -> int:
    from data.demos import demo

    try:
        result = demo.build(
            args.db,
            seed=args.seed,
            households=args.households,
            communities=args.communities,
            overwrite=args.force,
        )
    except demo.NotDemoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    print("演示账号（一次性密码只显示这一次，首次登录须修改）：", file=sys.stderr)
    for name, password in result["accounts"].items():
        print(f"  {name:<14} {password}", file=sys.stderr)
    return 0


def _bench(args: argparse.Namespace) -> int:
    # Imported here: the bench (a dev tool above the UI) loads Streamlit, the pages and
    # Playwright, which no other `anju` command needs.
    from bench.run import run

    result = run(
        Path(args.db),
        households=args.households,
        communities=args.communities,
        repeat=args.repeat,
        reuse=args.reuse,
        app=not args.no_app,
        fire_households=args.fire_households,
        import_rows=args.import_rows,
        geocode_rows=args.geocode_rows,
        browser=args.browser,
        pages=args.pages.split(",") if args.pages else None,
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface, one sub-command per task."""
    p = argparse.ArgumentParser(prog="anju", description="安居：燃气与消防安全工作台")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser(
        "demo",
        help="生成演示数据库（长宁区 seed 000，另含乌审旗 002 及中原区 001、松江区 003、玉溪镇 004 小型演示）",
    )
    d.add_argument("--db", default="var/demo.duckdb", help="演示数据库文件（默认 var/demo.duckdb）")
    d.add_argument(
        "--force", action="store_true", help="覆盖已有的演示数据库（正式数据库永远不会被覆盖）"
    )
    # A 32-bit seed is plenty for a demo and stays inside every generator and column it
    # reaches; a huge one gave a traceback.
    d.add_argument(
        "--seed",
        type=int_between(0, 2**32 - 1),
        default=20230714,
        help="随机种子：相同种子生成相同数据",
    )
    d.add_argument(
        "--households", type=int, default=6460, help="住户数（默认 6460，压测可用 1000000）"
    )
    d.add_argument("--communities", type=int, default=180, help="社区数（默认约 180）")
    d.set_defaults(func=_demo)

    users.register(sub)
    fire.register(sub)
    briefing.register(sub)
    forecast.register(sub)
    batch.register(sub)
    importer.register(sub)
    spot_check.register(sub)
    settlement.register(sub)
    programme.register(sub)
    audit.register(sub)
    aftercare.register(sub)
    check.register(sub)
    geocode.register(sub)

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
    b.add_argument(
        "--geocode-rows",
        type=int,
        default=100_000,
        help="地址匹配压测的花名册行数，对两倍楼栋数的合成标准地址库（0 = 不测）",
    )
    b.add_argument(
        "--browser",
        action="store_true",
        help="在本机 Chromium 中逐页计时：首次绘制与改动控件后重绘（毫秒），及服务器峰值内存",
    )
    b.add_argument(
        "--pages", default="", help="只测这些页面（逗号分隔的页面键，如 coverage,overdue）"
    )
    b.set_defaults(func=_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `anju` console script.

    A database another process holds (the running app) is refused with a Chinese message and
    exit code 2, never a traceback.
    """
    args = parser().parse_args(argv)
    try:
        # Every sub-command's --programme is checked here once: an unknown one is a message,
        # not a traceback or an empty answer for a programme that does not exist.
        programme_id, db = getattr(args, "programme", None), getattr(args, "db", None)
        if programme_id is not None and db is not None:
            problem = unknown_programme(db, programme_id)
            if problem is not None:
                return refuse(problem)
        return args.func(args)
    except duckdb.IOException as exc:
        db = getattr(args, "db", "数据库")
        if "lock" in str(exc).lower():
            print(
                f"错误：数据库 {db} 正被另一个程序（通常是正在运行的安居应用）使用，"
                "此命令无法同时打开它。请先停止应用（或在应用的页面上操作），再运行此命令。",
                file=sys.stderr,
            )
        else:
            print(f"错误：无法打开数据库 {db}（{exc}）。", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
