"""The SQL rule (docs/design.md「SQL 放在哪里」), kept by a test.

SQL lives in queries/: named queries (queries/*.sql, one a file, `queries.run`/`execute`) and a
module's own statements (queries/statements/<family>.sql, aiosql-style `-- name:` blocks,
`queries.call`). SQL text in Python stays only for transaction control, connection set-up and
migrations, statements whose table or column names are built from code, and the modules listed
in INLINE below with the count they hold today: a count may go down, never up, and a module not
listed holds none.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import queries

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("anju", "bench", "dashboard", "data", "documents", "geo", "queries")
_SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|MERGE|COPY|ATTACH|DETACH|DESCRIBE"
    r"|PRAGMA|LOAD|INSTALL|SET|SHOW|EXPORT|IMPORT|USE)\b",
    re.IGNORECASE,
)
# Inline SQL still held, per module (the ratchet). Migrations and connection set-up are DDL and
# extension loading by nature; bulk, field and importing/core name tables or columns from code;
# the bench (a developer's tool) times a few statements of its own.
INLINE = {
    "bench/imports.py": 1,
    "bench/pages.py": 4,
    "data/store/bulk.py": 1,  # the demo builds' generated frames into a table named from code
    "data/store/connection.py": 3,  # connection set-up: extensions, time zone, no progress bar
    "data/fieldwork/field.py": 2,  # withdrawal: the tables and the undone columns named from code
    "data/importing/core.py": 3,  # the imported table's read, insert, update: named by the kind
    "data/store/migrations.py": 3,
}
# The whole allowance: what is left is the short list of exceptions above, not a backlog.
ALLOWANCE = 20


def inline_sql() -> dict[str, int]:
    """Calls of .execute / .executemany / .sql whose first argument is SQL text, per module.

    Transaction control (BEGIN, COMMIT, ROLLBACK, CHECKPOINT) does not count: it is no query.
    """
    found: dict[str, int] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany", "sql")
                    and node.args
                ):
                    continue
                text = next(
                    (
                        n.value
                        for n in ast.walk(node.args[0])
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    ),
                    "",
                )
                if _SQL.match(text):
                    key = path.relative_to(ROOT).as_posix()
                    found[key] = found.get(key, 0) + 1
    return found


def test_inline_sql_only_where_the_rule_allows_it():
    found = inline_sql()
    grown = {m: (n, INLINE.get(m, 0)) for m, n in found.items() if n > INLINE.get(m, 0)}
    assert not grown, (
        "SQL text in Python beyond the rule (module: (now, allowed)); put it in queries/*.sql "
        f"or queries/statements/<family>.sql: {grown}"
    )


def test_the_ratchet_only_goes_down():
    # A module that lost inline SQL must lower its entry, so the gain cannot be spent again.
    found = inline_sql()
    stale = {m: (found.get(m, 0), n) for m, n in INLINE.items() if found.get(m, 0) < n}
    assert not stale, f"lower these INLINE entries to the count now held: {stale}"


def test_inline_sql_stays_within_the_allowance():
    held = sum(INLINE.values())
    assert held <= ALLOWANCE, f"{held} SQL statements inline; at most {ALLOWANCE} are allowed"


def test_converted_modules_hold_no_sql():
    found = inline_sql()
    for module in (
        "data/users/accounts.py",
        "data/households/placement.py",
        "data/users/sessions.py",
    ):
        assert module not in found
    assert not [m for m in found if m.startswith(("data/batches/", "documents/", "geo/"))]


@pytest.mark.parametrize("fam", queries.families())
def test_every_statement_is_documented_and_used(fam):
    code = "\n".join(
        p.read_text(encoding="utf-8") for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
    )
    for name, text in queries.family(fam).items():
        assert re.match(rf"-- name: {name} — \S", text), f"{fam}.{name}: '-- name: x — what'"
        assert f'"{fam}.{name}"' in code, f"{fam}.{name} is not used anywhere"


def test_every_call_names_an_existing_statement():
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            for name in re.findall(
                r'queries\.call(?:_many)?\(\s*\w+,\s*"([a-z_.]+)"', path.read_text()
            ):
                queries.statement(name)  # raises KeyError when missing


def test_call_binds_exactly_the_statement_parameters(tiny_con):
    with pytest.raises(TypeError, match="缺少参数"):
        queries.call(tiny_con, "placement.counts")
    with pytest.raises(TypeError, match="不接受参数"):
        queries.call(tiny_con, "placement.counts", programme_id="tiny", extra=1)
    rows = dict(queries.call(tiny_con, "placement.counts", programme_id="tiny").fetchall())
    assert sum(rows.values()) > 0


def test_call_many_binds_exactly_the_statement_parameters(tiny_con):
    with pytest.raises(TypeError, match="参数不符"):
        queries.call_many(tiny_con, "demo.set_meta", [{"key": "dataset"}])
    queries.call_many(tiny_con, "demo.set_meta", [])  # no rows: nothing run, no error
