"""`anju geocode`: locate (again) the households of a programme from their addresses."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import queries
from anju.importer import active_user
from data import geocoding
from data.connection import DEFAULT_DB, connect

LEVEL_NAMES = {
    "building": "楼栋",
    "estate": "小区（弄）",
    "road": "道路",
    "community": "仅社区",
    "none": "无法定位",
}


def _geocode(args: argparse.Namespace) -> int:
    if not Path(args.db).exists():
        print(f"错误：数据库文件 {args.db} 不存在。", file=sys.stderr)
        return 2
    con = connect(args.db)
    try:
        user = active_user(con, args.user) if args.user else None
        if args.programme not in set(queries.run(con, "programmes")["programme_id"]):
            print(f"错误：没有编号为 {args.programme} 的项目。", file=sys.stderr)
            return 2
        out = geocoding.geocode(con, args.programme, user.username if user else "cli")
    except (ValueError, PermissionError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        levels = "，".join(f"{LEVEL_NAMES[k]} {v:,}" for k, v in out["levels"].items())
        print(f"{args.programme}：共 {out['households']:,} 户；{levels}")
        print(f"未定位到楼栋的 {len(out['unmatched']):,} 户见 --json 的 unmatched。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `geocode` sub-command."""
    g = sub.add_parser("geocode", help="按标准地址库为没有经纬度的住户定位（可反复运行）")
    g.add_argument("--db", default=str(DEFAULT_DB))
    g.add_argument("--programme", required=True, help="项目编号，如 changning_2023")
    g.add_argument("--user", help="以哪个账号操作（默认为服务器控制台管理员 cli）")
    g.add_argument("--json", action="store_true", help="打印 JSON")
    g.set_defaults(func=_geocode)
