"""Open the Anju DuckDB file with the spatial extension loaded offline and the schema migrated."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import duckdb_extension_spatial

from data.store import audit, clock, derived, migrations

DEFAULT_DB = Path("var/anju.duckdb")


def spatial_extension_path() -> Path:
    """Path of the spatial extension shipped inside the `duckdb-extension-spatial` wheel."""
    root = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    found = sorted(root.glob(f"v{duckdb.__version__}/spatial.duckdb_extension"))
    if not found:
        raise RuntimeError(
            f"找不到与 duckdb {duckdb.__version__} 匹配的 spatial 扩展（{root}）。"
            "请按 requirements.lock 重新安装 duckdb-extension-spatial。"
        )
    return found[0]


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    """Load spatial from the installed wheel; `INSTALL spatial` would need the internet."""
    con.execute(f"LOAD '{spatial_extension_path()}'")


def is_engine_fault(exc: BaseException) -> bool:
    """True for DuckDB's own failures rather than a fault of the query or the data: an internal
    or fatal error, or a database a previous one invalidated. The connection (the database
    instance) is then unusable for everyone until it is closed and opened again."""
    if isinstance(exc, duckdb.InternalException | duckdb.FatalException):
        return True
    return isinstance(exc, duckdb.Error) and "database has been invalidated" in str(exc)


def db_path() -> Path:
    """The database the app and CLI use: $ANJU_DB, else var/anju.duckdb."""
    return Path(os.environ.get("ANJU_DB", DEFAULT_DB))


def connect(
    path: str | Path | None = None, *, read_only: bool = False, migrate: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a database, load spatial, apply pending migrations and create
    the derived definitions (data.store.derived)."""
    target = Path(path) if path is not None else db_path()
    if str(target) != ":memory:" and not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    # Autoloading would try to download extensions; everything we need is loaded explicitly.
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    con = duckdb.connect(str(target), read_only=read_only, config=config)
    # No progress bar (a connection setting): a long query would print it into the JSON that
    # `anju bench` writes on stdout.
    con.execute("SET enable_progress_bar = false")
    # One clock (data.store.clock): SQL defaults such as current_timestamp are Beijing time too.
    con.execute(f"SET GLOBAL TimeZone = '{clock.ZONE}'")
    load_spatial(con)
    if migrate and not read_only:
        migrations.apply(con)
        # The macros and views (queries/derived) are created after the migrations, whose tables
        # they bind to; the derived tables are recomputed once when what they follow changed.
        derived.install(con)
        # Entries committed but not yet chained (a process stopped between the two) join the
        # chain now; one whose own MAC does not match is chained as not ours and reported.
        if migrations.current_version(con) >= audit.CHAIN_MIGRATION:
            audit.seal(con)
    return con
