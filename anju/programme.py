"""`anju programme templates|new|load|list`: set a programme up from a template or a TOML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from anju.common import on_db, print_json, refuse
from anju.importer import active_user
from data.setup import programmes
from data.users import access


def _print_result(result: dict, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    words = {"created": "已创建", "updated": "已更新", "unchanged": "未变（与数据库中一致）"}
    print(f"项目 {result['programme_id']}：{words[result['status']]}")
    for path, (old, new) in result["changes"].items():
        if result["status"] == "updated":
            print(f"  {path}：{old!r} → {new!r}")


def _actor(con, username: str | None) -> str:
    """Who the audit log records: the server console (cli) without --user, else an active
    account allowed to change programme settings; any other name is refused, not recorded."""
    user = active_user(con, username)
    if not access.can(user, "programme_settings", access.W):
        raise ValueError(f"账号 {user.username} 无权设置工作项目（需管理员账号）。")
    return user.username


def _save(
    db: str, template: dict, username: str | None, programme_id: str | None, as_json: bool
) -> int:
    code, result = on_db(
        db,
        lambda con: programmes.save(
            con, template, _actor(con, username), programme_id=programme_id
        ),
    )
    if result is None:
        return code
    _print_result(result, as_json)
    return 0


def _templates(args: argparse.Namespace) -> int:
    rows = []
    for name in programmes.shipped():
        prog = programmes.read_template(name)["programme"]
        rows.append(
            {
                "template": name,
                "programme_id": prog["programme_id"],
                "name": prog["name"],
                "district_id": prog["district_id"],
                "district_name": prog.get("district_name"),
                "target_households": prog.get("target_households"),
            }
        )
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            target = r["target_households"]
            print(
                f"{r['template']:<16} {r['name']}（{r['district_name'] or r['district_id']}，"
                f"目标 {target if target is not None else '—'} 户）"
            )
    return 0


def _new(args: argparse.Namespace) -> int:
    try:
        template = programmes.read_template(args.template)
    except ValueError as exc:
        return refuse(exc)
    return _save(args.db, template, args.user, args.id, args.json)


def _load(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.suffix.lower() != ".toml":
        return refuse(f"{path.name} 不是 .toml 项目文件")
    try:
        template = programmes.read_template(path)
    except ValueError as exc:
        return refuse(exc)
    return _save(args.db, template, args.user, args.id, args.json)


def _list(args: argparse.Namespace) -> int:
    _, rows = on_db(args.db, programmes.listing, ())
    if args.json:
        print_json(rows)
    elif not rows:
        print("数据库中还没有项目：用 anju programme new 或 anju programme load 创建")
    else:
        for r in rows:
            target = r["target_households"]
            print(
                f"{r['programme_id']:<16} {r['name']}（区县 {r['district_id']}，"
                f"{r['starts']}～{r['ends']}，目标 {target if target is not None else '—'} 户）"
            )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `anju programme …` to the CLI's sub-commands."""
    p = sub.add_parser("programme", help="工作项目：模板、新建、载入、列表")
    psub = p.add_subparsers(dest="programme_command", required=True)

    t = psub.add_parser("templates", help="列出随附的项目模板（每个方案一个）")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_templates)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--db", required=True, help="数据库文件（不存在时新建）")
        q.add_argument("--id", help="项目编号（默认用模板中的编号）")
        q.add_argument(
            "--user", help="以哪个管理员账号操作（记入审计日志；默认为服务器控制台管理员 cli）"
        )
        q.add_argument("--json", action="store_true", help="打印 JSON 结果")

    n = psub.add_parser("new", help="从随附模板新建项目")
    n.add_argument("template", help="模板名，如 wushen_2024（见 anju programme templates）")
    common(n)
    n.set_defaults(func=_new)

    ld = psub.add_parser("load", help="从自己的 TOML 文件新建或更新项目（再次载入不重复）")
    ld.add_argument(
        "file", help="项目文件 .toml（格式同 data/setup/templates/changning_2023.toml）"
    )
    common(ld)
    ld.set_defaults(func=_load)

    ls = psub.add_parser("list", help="列出数据库中的项目")
    ls.add_argument("--db", required=True, help="数据库文件")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
