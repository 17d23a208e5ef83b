"""`anju device-health`: which installed devices are not working, as of a date."""

from __future__ import annotations

import argparse
from datetime import date

from anju.common import add_db_programme, on_db, print_json
from data.events import devices


def _device_health(args: argparse.Namespace) -> int:
    as_of = date.fromisoformat(args.as_of)
    _, frame = on_db(args.db, lambda con: devices.health(con, args.programme, as_of, None), ())
    result = devices.summary(frame)
    if args.json:
        print_json(result)
        return 0
    print(
        f"{args.programme} 截至 {as_of.isoformat()} 24:00（北京时间）：设备 {result['devices']}，"
        f"在线 {result['online']}，离线 {result['offline']}，从未上报 {result['never_reported']}，"
        f"报警 {result['alarms']} 次"
    )
    for row in result["by_street"]:
        print(
            f"  {row['street'] or '（未归属街道）'}：设备 {row['devices']}，在线 {row['online']}，"
            f"离线 {row['offline']}，从未上报 {row['never_reported']}，报警 {row['alarms']}"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `device-health` sub-command."""
    d = sub.add_parser("device-health", help="报警器在线状态：在线、离线、从未上报、报警（按街道）")
    add_db_programme(d)
    d.add_argument("--as-of", required=True, help="统计日期 YYYY-MM-DD（当日 24:00 北京时间）")
    d.add_argument(
        "--json",
        action="store_true",
        help='打印 {"devices", "online", "offline", "never_reported", "alarms", "by_street"}',
    )
    d.set_defaults(func=_device_health)
