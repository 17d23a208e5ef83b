"""`anju import KIND FILE` and `anju import-template KIND --out FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import queries
from anju.common import add_db_programme, print_json, refuse
from data import importing
from data.store.connection import connect
from data.users import access
from documents import import_templates as templates


def _user(con, username: str | None) -> access.User | None:
    """The account to import as: without --user the server console acts as administrator
    ("cli"); a named account must exist and be active, or nothing is imported."""
    if username is None:
        return access.User("cli", "admin")
    row = queries.call(con, "accounts.active_user", username=username).fetchone()
    return None if row is None else access.User(username, row[0], row[1])


def active_user(con, username: str | None) -> access.User:
    """Like _user, for commands that act rather than import: an unknown or disabled account
    is refused with a Chinese message (ValueError)."""
    user = _user(con, username)
    if user is None:
        raise ValueError(f"账号 {username} 不存在或已停用。")
    return user


def _run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return refuse(f"无法读取 {path}：{exc}")
    con = connect(args.db)
    try:
        user = _user(con, args.user)
        if user is None:
            return refuse(f"账号 {args.user} 不存在或已停用，未导入。")
        if args.kind == "boundaries":
            from data.importing import boundaries

            result = boundaries.run(
                con, path.name, data, args.programme, user, crs=args.crs, commit=not args.dry_run
            )
        else:
            result = importing.run(
                con,
                args.kind,
                path.name,
                data,
                args.programme,
                user,
                crs=args.crs,
                sheet=args.sheet,
                commit=not args.dry_run,
            )
    except importing.ReadError as exc:
        return refuse(exc)
    except PermissionError as exc:
        return refuse(exc, 3)
    finally:
        con.close()
    if args.json:
        print_json(result.counts())
    else:
        c = result.counts()
        print(
            f"{path.name}：新增 {c['loaded']}，更新 {c['updated']}，未变 {c['unchanged']}，"
            f"拒绝 {c['rejected']}" + ("（试运行，未写入）" if args.dry_run else "")
        )
    for r in result.rejections:
        print(r.message(result.file_name), file=sys.stderr)
    for w in result.warnings:
        print("提示：" + w, file=sys.stderr)
    if args.rejected_out and result.rejections:
        Path(args.rejected_out).write_bytes(templates.rejected_bytes(result.rejection_frame()))
    return 0


def _template(args: argparse.Namespace) -> int:
    Path(args.out).write_bytes(templates.template_bytes(args.kind))
    print(f"已写出{importing.mapping.KIND_LABELS[args.kind]}模板：{args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `import` and `import-template` sub-commands."""
    i = sub.add_parser("import", help="导入花名册、安装确认表、安检、隐患或边界文件")
    i.add_argument("kind", choices=importing.ALL_KINDS)
    i.add_argument("file", help=".xlsx / .xls / .csv；边界：.geojson / .gpkg / .zip（Shapefile）")
    add_db_programme(i)
    i.add_argument("--crs", default="wgs84", choices=["wgs84", "gcj02", "bd09"], help="坐标系")
    i.add_argument("--sheet", help="工作表名（默认第一个可见工作表）")
    i.add_argument(
        "--user",
        help="以哪个（启用中的）账号导入，街道账号只能导入本街道；不写则以服务器管理员 cli 导入",
    )
    i.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    i.add_argument("--rejected-out", help="把被拒绝的行写入此 .xlsx（含 原因 列）")
    i.add_argument(
        "--json", action="store_true", help='打印 {"loaded", "updated", "unchanged", "rejected"}'
    )
    i.set_defaults(func=_run)

    t = sub.add_parser("import-template", help="写出某类导入文件的模板")
    t.add_argument("kind", choices=importing.ALL_KINDS)
    t.add_argument("--out", required=True)
    t.set_defaults(func=_template)
