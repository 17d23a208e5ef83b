"""What the sub-commands share: their --db / --programme / --json / --user options, one piece of
work on the database (closed after, a refusal printed in Chinese with exit code 2), and JSON
printed as readable Chinese."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TypeVar

import duckdb

from data.store.connection import DEFAULT_DB, connect

T = TypeVar("T")

REFUSED = 2  # the exit code of a refusal: bad input, unknown account or programme, a rule


def refuse(message: object, code: int = REFUSED) -> int:
    """Print `错误：message` on stderr; return the exit code."""
    print(f"错误：{message}", file=sys.stderr)
    return code


def on_db(
    db: str,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    refused: tuple[type[Exception], ...] = (ValueError,),
) -> tuple[int, T | None]:
    """Run work(con) on the database at `db` and close it: (0, what work returned), or, when
    work raises one of `refused`, the message printed (`refuse`) and (REFUSED, None)."""
    con = connect(db)
    try:
        return 0, work(con)
    except refused as exc:
        return refuse(exc), None
    finally:
        con.close()


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
