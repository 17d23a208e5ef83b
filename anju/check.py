"""`anju check`: recompute derived tables from the events and report any difference."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from anju.common import NotCheckable, open_read_only, refuse
from data.events import device_state
from data.firerisk import risk_state
from data.households import household_cell, household_state
from data.money import spot_checks

_AGAIN = "（下列为前几行；可由管理员重新生成该表后再检查）："


# Each derived table checked: its differences, what is compared, and one line per differing row.
_TABLES: tuple[tuple[Callable, str, Callable[..., str]], ...] = (
    (
        household_state.differences,
        "住户状态表（household_state）或社区汇总表（area_change）与重算结果",
        lambda programme_id, household_id, side, start, until: (
            f"  项目 {programme_id} {household_id} {side}：{start} 至 {until}"
        ),
    ),
    (
        device_state.differences,
        "设备状态表（device_state）与安装记录、平台事件重算结果",
        lambda programme_id, serial, household_id, side, last_event_at: (
            f"  项目 {programme_id} 设备 {serial}（住户 {household_id}）{side}："
            f"最后事件 {last_event_at or '无'}"
        ),
    ),
    (
        risk_state.differences,
        "火灾风险分表（fire_risk_score）与重算结果",
        lambda programme_id, household_id, side, start, until, score, version: (
            f"  项目 {programme_id} 住户 {household_id} {side}：{start} 至 {until}"
            f" 风险分 {score:g}（权重版本 {version[:8]}）"
        ),
    ),
    (
        spot_checks.differences,
        "抽查样本（spot_check_sample）与抽样时记入审计日志的摘要",
        lambda programme_id, month, draw_id, what: (
            f"  项目 {programme_id} {month} 第 {draw_id} 次抽样：{what}"
        ),
    ),
    (
        household_cell.differences,
        "住户网格表（household_cell）与住户坐标重算结果",
        lambda programme_id, household_id, side, lon, lat: (
            f"  项目 {programme_id} 住户 {household_id} {side}：坐标 {lon}, {lat}"
        ),
    ),
)


def _check(args: argparse.Namespace) -> int:
    # Read-only: a check must not create a mistyped file, nor migrate or seal what it checks.
    try:
        con = open_read_only(args.db)
    except NotCheckable as exc:
        return refuse(exc)
    try:
        found = [(what, line, *differences(con)) for differences, what, line in _TABLES]
    finally:
        con.close()
    if not any(count for _what, _line, count, _rows in found):
        print(
            f"检查通过：{args.db} 的住户状态表、社区汇总表、设备状态表、火灾风险分表、"
            "住户网格表与重算结果一致，抽查样本与审计日志一致。"
        )
        return 0
    for what, line, count, rows in found:
        if count:
            print(f"检查未通过：{args.db} 的{what}有 {count} 行不同" + _AGAIN, file=sys.stderr)
            for row in rows:
                print(line(*row), file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `check` sub-command."""
    c = sub.add_parser(
        "check",
        help="核对：住户状态表、社区汇总表、设备状态表、火灾风险分表、住户网格表与重算结果是否一致（不一致时退出码 1）",
    )
    c.add_argument("--db", default="var/anju.duckdb", help="数据库文件（默认 var/anju.duckdb）")
    c.set_defaults(func=_check)
