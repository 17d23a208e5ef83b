"""`anju user …`: add, list, disable/enable, reset-password, ensure-admin."""

from __future__ import annotations

import argparse
import json
import sys

from data.store.connection import DEFAULT_DB, connect
from data.users import access, accounts


def _print_password(username: str, password: str) -> None:
    # Shown once: only the argon2 hash is stored, nobody can look it up later.
    print(f"用户 {username} 的一次性密码（仅显示这一次，首次登录须修改）：{password}")


def _run(args: argparse.Namespace) -> int:
    con = connect(args.db)
    try:
        if args.user_command == "add":
            _print_password(
                args.username,
                accounts.add_user(
                    con, args.username, args.role, args.street, args.name, actor="cli"
                ),
            )
        elif args.user_command == "list":
            users = accounts.list_users(con)
            if args.json:
                print(json.dumps(users, ensure_ascii=False, default=str))
            for u in [] if args.json else users:
                state = "停用" if u["disabled"] else ("锁定" if u["locked_until"] else "正常")
                print(
                    f"{u['username']:<20} {access.ROLES[u['role']]:<4} {u['street_id'] or '-':<10} {state}"
                )
        elif args.user_command in ("disable", "enable"):
            accounts.set_disabled(con, args.username, args.user_command == "disable", actor="cli")
            print(f"用户 {args.username} 已{'停用' if args.user_command == 'disable' else '启用'}")
        elif args.user_command == "reset-password":
            _print_password(args.username, accounts.reset_password(con, args.username, actor="cli"))
        elif args.user_command == "contact":
            accounts.set_contact(con, args.username, args.unit, args.phone, actor="cli")
            print(f"用户 {args.username} 的科室和联系电话已保存")
        elif args.user_command == "ensure-admin":
            password = accounts.ensure_admin(con, args.username)
            if password:
                _print_password(args.username, password)
    except accounts.AccountError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `user` sub-command and its actions."""
    u = sub.add_parser("user", help="账号管理：添加、列出、停用、重置密码")
    u.add_argument("--db", default=str(DEFAULT_DB))
    acts = u.add_subparsers(dest="user_command", required=True)
    add = acts.add_parser("add", help="添加用户，打印一次性密码")
    add.add_argument("username")
    add.add_argument(
        "--role", required=True, choices=list(access.ROLES), help="leader/street/fire/finance/admin"
    )
    add.add_argument("--street", help="街道角色必填：街道名称或区划代码")
    add.add_argument("--name", help="显示名称")
    lst = acts.add_parser("list", help="列出用户（不含密码）")
    lst.add_argument("--json", action="store_true")
    for name, text in (
        ("disable", "停用用户"),
        ("enable", "重新启用用户"),
        ("reset-password", "重置为新的一次性密码并解锁"),
    ):
        acts.add_parser(name, help=text).add_argument("username")
    con_ = acts.add_parser("contact", help="设置科室和联系电话（填报月度统计表等时使用）")
    con_.add_argument("username")
    con_.add_argument("--unit", help="科室，如 应急办")
    con_.add_argument("--phone", help="联系电话")
    ens = acts.add_parser("ensure-admin", help="没有管理员时创建一个，并打印其一次性密码")
    ens.add_argument("username", nargs="?", default="admin")
    u.set_defaults(func=_run)
