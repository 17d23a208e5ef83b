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
# Fail closed: a query that takes $street_ids must be given it. Callers that mean the whole
# district say so with street_ids=None; a forgotten argument is an error, not a district-wide
# answer. Knowledge time is "now" (business date) unless the caller asks for the as-published
# view.
SCOPE = "street_ids"
DEFAULTS = {"known_at": None}


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
    """Check params against the query: missing ones fail (the scope too: pass
    street_ids=None for the whole district), unknown ones fail."""
    wanted = parameters(name)
    unknown = set(params) - wanted
    if unknown:
        raise TypeError(f"查询 {name} 不接受参数：{sorted(unknown)}")
    bound = {k: v for k, v in DEFAULTS.items() if k in wanted} | dict(params)
    if SCOPE in wanted and SCOPE not in bound:
        raise TypeError(
            f"查询 {name} 必须指定查看范围 street_ids（街道列表；整个区请明确传 street_ids=None）"
        )
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
