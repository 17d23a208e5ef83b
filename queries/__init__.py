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


# ---------------------------------------------------------------- statement families (aiosql-style)
# A module's own reads and writes (accounts, batches ...) live in one file per family under
# queries/statements/, each statement headed `-- name: <name>` and a one-line description; they
# are run as `queries.call(con, "<family>.<name>", **params)` and return the cursor, so the
# caller fetches one row, all rows or nothing. Values are bound, never formatted into the text.
STATEMENTS_DIR = SQL_DIR / "statements"
_HEADER = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\b.*$", re.MULTILINE)


@cache
def family(name: str) -> dict[str, str]:
    """The statements of one family file, name → SQL text (header comment included)."""
    path = STATEMENTS_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"没有名为 {name!r} 的语句文件（queries/statements/{name}.sql）")
    text = path.read_text(encoding="utf-8")
    heads = list(_HEADER.finditer(text))
    out: dict[str, str] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        if head.group(1) in out:
            raise ValueError(f"queries/statements/{name}.sql 中语句名重复：{head.group(1)}")
        out[head.group(1)] = text[head.start() : end].strip()
    return out


def families() -> list[str]:
    """Every statement family available."""
    return sorted(p.stem for p in STATEMENTS_DIR.glob("*.sql"))


def statement(name: str) -> str:
    """The SQL text of a statement named '<family>.<name>'."""
    fam, _, stmt = name.partition(".")
    found = family(fam)
    if stmt not in found:
        raise KeyError(f"语句文件 {fam}.sql 中没有 {stmt!r}；可用：{', '.join(found)}")
    return found[stmt]


def statement_parameters(name: str) -> set[str]:
    """The `$parameters` a statement uses (comments ignored)."""
    return set(_PARAM.findall(_COMMENT.sub("", statement(name))))


def call(con: duckdb.DuckDBPyConnection, name: str, /, **params: object):
    """Run the statement '<family>.<name>' with exactly its parameters bound; return the cursor.

    Missing or unknown parameters fail, as with `run`; a `$street_ids` must be given (None =
    the whole district).
    """
    wanted = statement_parameters(name)
    unknown, missing = set(params) - wanted, wanted - set(params)
    if unknown:
        raise TypeError(f"语句 {name} 不接受参数：{sorted(unknown)}")
    if missing:
        raise TypeError(f"语句 {name} 缺少参数：{sorted(missing)}")
    if params.get(SCOPE) is not None:
        params[SCOPE] = [str(s) for s in params[SCOPE]]
    return con.execute(statement(name), params)


def call_many(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict]) -> None:
    """Run the statement '<family>.<name>' once per row (one executemany), each row a dict of
    exactly its parameters; an empty list runs nothing."""
    if not rows:
        return
    wanted = statement_parameters(name)
    for row in rows:
        if set(row) != wanted:
            unknown, missing = set(row) - wanted, wanted - set(row)
            raise TypeError(f"语句 {name} 参数不符：多余 {sorted(unknown)}，缺少 {sorted(missing)}")
    con.executemany(statement(name), rows)
