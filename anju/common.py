"""What the sub-commands share: their --db / --programme / --json / --user options, one piece of
work on the database (closed after, a refusal printed in Chinese with exit code 2), and JSON
printed as readable Chinese."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

import queries
from data.store import derived, migrations
from data.store.connection import DEFAULT_DB, connect

T = TypeVar("T")

REFUSED = 2  # the exit code of a refusal: bad input, unknown account or programme, a rule


def refuse(message: object, code: int = REFUSED) -> int:
    """Print `错误：message` on stderr; return the exit code."""
    print(f"错误：{message}", file=sys.stderr)
    return code


class NotCheckable(ValueError):
    """A database a read-only command cannot look at as it is: missing, not Anju's, or older
    than this version of Anju."""


def _reader(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection to look through: read-only, or, when this process already holds the file
    read-write (a host or a test), that instance without migrating it: DuckDB refuses a second
    connection to one file with another configuration."""
    try:
        return connect(path, read_only=True)
    except duckdb.ConnectionException:
        return connect(path, migrate=False)


def open_read_only(db: str | Path) -> duckdb.DuckDBPyConnection:
    """Open an existing Anju database read-only for a command that only looks (a check, a
    verification, a forecast). Refuses (NotCheckable) a missing file rather than creating one,
    and a database that needs upgrading rather than migrating it."""
    path = Path(db)
    if not path.is_file():
        raise NotCheckable(
            f"数据库文件 {db} 不存在（请检查路径和文件名）；只读命令不会新建数据库。"
        )
    con = _reader(path)
    try:
        if not migrations.has_ledger(con):
            raise NotCheckable(f"{db} 不是安居数据库（没有迁移记录 schema_migration）。")
        waiting = [version for version, _ in migrations.pending(con)]
        stored = queries.call(con, "derived.fingerprint").fetchone()
        if waiting or stored is None or stored[0] != derived.fingerprint(con):
            what = (
                f"待执行迁移 {', '.join(f'{v:03d}' for v in waiting)}"
                if waiting
                else "派生定义已更新"
            )
            raise NotCheckable(
                f"数据库 {db} 需要先升级到当前版本（{what}）；只读命令不会改写它。"
                "请先备份，再启动一次安居应用（或运行任一会写入的 anju 命令）完成升级，然后重新运行。"
            )
    except BaseException:
        con.close()
        raise
    return con


def on_db(
    db: str,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    refused: tuple[type[Exception], ...] = (ValueError,),
    *,
    read_only: bool = False,
) -> tuple[int, T | None]:
    """Run work(con) on the database at `db` and close it: (0, what work returned), or, when
    work raises one of `refused`, the message printed (`refuse`) and (REFUSED, None).
    read_only: the database must exist and be current (open_read_only), else REFUSED."""
    try:
        con = open_read_only(db) if read_only else connect(db)
    except NotCheckable as exc:
        return refuse(exc), None
    try:
        return 0, work(con)
    except refused as exc:
        return refuse(exc), None
    finally:
        con.close()


def unknown_programme(db: str, programme_id: str) -> str | None:
    """Why `programme_id` cannot be worked on in `db` (the file is missing, or holds no such
    programme), in Chinese; None when it is there. Read on a read-only connection, closed after."""
    if not Path(db).is_file():
        return f"数据库文件 {db} 不存在（请检查路径和文件名）。"
    con = _reader(db)
    try:
        known = list(queries.run(con, "programmes")["programme_id"])
    finally:
        con.close()
    if programme_id in known:
        return None
    choices = "、".join(known) if known else "无（先用 anju programme new 创建）"
    return f"数据库 {db} 中没有编号为 {programme_id} 的工作项目；可选：{choices}。"


def int_between(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high], else a Chinese usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} 不是整数") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} 超出范围（应在 {low} 到 {high} 之间）")
        return value

    return parse


def print_json(value: object) -> None:
    """Print `value` as JSON, Chinese as it is (not \\u escapes)."""
    print(json.dumps(value, ensure_ascii=False))


def add_db_programme(p: argparse.ArgumentParser) -> None:
    """--db (default the app's database) and the required --programme."""
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--programme", required=True, help="项目编号，如 changning_2023")


def add_user_json(p: argparse.ArgumentParser, act: str) -> None:
    """--user (whose account does it; `act` names the deed) and --json."""
    p.add_argument("--user", help=f"以哪个账号{act}（默认为服务器控制台管理员 cli）")
    p.add_argument("--json", action="store_true", help="打印 JSON")
