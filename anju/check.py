"""`anju check`: recompute derived tables from the events and report any difference."""

from __future__ import annotations

import argparse
import sys

from data import connection, household_state


def _check(args: argparse.Namespace) -> int:
    con = connection.connect(args.db)
    try:
        count, rows = household_state.differences(con)
    finally:
        con.close()
    if not count:
        print(f"检查通过：{args.db} 的住户状态表、社区汇总表与重算结果一致。")
        return 0
    print(
        f"检查未通过：{args.db} 的住户状态表（household_state）或社区汇总表（area_change）"
        f"与重算结果有 {count} 行不同（下列为前几行；可由管理员重新生成该表后再检查）：",
        file=sys.stderr,
    )
    for programme_id, household_id, side, start, until in rows:
        print(f"  项目 {programme_id} {household_id} {side}：{start} 至 {until}", file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `check` sub-command."""
    c = sub.add_parser(
        "check", help="核对：住户状态表、社区汇总表与重算结果是否一致（不一致时退出码 1）"
    )
    c.add_argument("--db", default="var/anju.duckdb", help="数据库文件（默认 var/anju.duckdb）")
    c.set_defaults(func=_check)
