"""Named SQL in queries/*.sql, run with bound `$parameters` (never formatted into the text).

Each file starts with `-- name: what it answers` and a `-- params:` line.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).parent
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
# Scope is "all streets" unless the caller narrows it; knowledge time is "now" (business date)
# unless the caller asks for the as-published view; every other parameter must be given.
DEFAULTS = {"street_ids": None, "known_at": None}


def names() -> list[str]:
    """Every query name available."""
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


@cache
def sql(name: str) -> str:
    """The SQL text of one named query."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"没有名为 {name!r} 的查询；可用：{', '.join(names())}")
    return path.read_text(encoding="utf-8")


def parameters(name: str) -> set[str]:
    """The `$parameters` a query uses (comments ignored)."""
    return set(_PARAM.findall(_COMMENT.sub("", sql(name))))


def bind(name: str, params: dict) -> dict:
    """Check params against the query: missing ones fail, unknown ones fail, scope defaults."""
    wanted = parameters(name)
    unknown = set(params) - wanted
    if unknown:
        raise TypeError(f"查询 {name} 不接受参数：{sorted(unknown)}")
    bound = {k: v for k, v in DEFAULTS.items() if k in wanted} | params
    missing = wanted - set(bound)
    if missing:
        raise TypeError(f"查询 {name} 缺少参数：{sorted(missing)}")
    if "street_ids" in bound and bound["street_ids"] is not None:
        bound["street_ids"] = [str(s) for s in bound["street_ids"]]
    return bound


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run a named query with bound parameters and return a DataFrame."""
    return con.execute(sql(name), bind(name, params)).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    """Run a named statement (UPDATE/INSERT) with bound parameters."""
    con.execute(sql(name), bind(name, params))
