"""`anju geocode`: locate (again) the households of a programme from their addresses."""

from __future__ import annotations

import argparse
from pathlib import Path

import queries
from anju.common import add_db_programme, add_user_json, on_db, print_json, refuse
from anju.importer import active_user
from data.households import geocoding

LEVEL_NAMES = {
    "building": "楼栋",
    "estate": "小区（弄）",
    "road": "道路",
    "community": "仅社区",
    "none": "无法定位",
}


def _geocode(args: argparse.Namespace) -> int:
    if not Path(args.db).exists():
        return refuse(f"数据库文件 {args.db} 不存在。")

    def work(con) -> dict:
        user = active_user(con, args.user) if args.user else None
        if args.programme not in set(queries.run(con, "programmes")["programme_id"]):
            raise ValueError(f"没有编号为 {args.programme} 的项目。")
        return geocoding.geocode(con, args.programme, user.username if user else "cli")

    code, out = on_db(args.db, work, (ValueError, PermissionError))
    if out is None:
        return code
    if args.json:
        print_json(out)
    else:
        levels = "，".join(f"{LEVEL_NAMES[k]} {v:,}" for k, v in out["levels"].items())
        print(f"{args.programme}：共 {out['households']:,} 户；{levels}")
        print(f"未定位到楼栋的 {len(out['unmatched']):,} 户见 --json 的 unmatched。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `geocode` sub-command."""
    g = sub.add_parser("geocode", help="按标准地址库为没有经纬度的住户定位（可反复运行）")
    add_db_programme(g)
    add_user_json(g, "操作")
    g.set_defaults(func=_geocode)
