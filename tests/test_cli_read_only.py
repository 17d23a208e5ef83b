"""`anju check` and `anju audit verify` only look: a mistyped --db is refused (exit 2, the file
named in Chinese) and not created, an existing database is opened read-only and left byte for
byte as it was, and one older than the code is refused with "needs upgrading" rather than
migrated."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from anju.cli import main
from data.store import migrations
from data.store.connection import connect
from tests.conftest import load_tiny

COMMANDS = (["check"], ["audit", "verify"])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def current(tmp_path_factory) -> Path:
    """A database written by this version: migrated, derived tables and audit chain current."""
    path = tmp_path_factory.mktemp("ro") / "anju.duckdb"
    con = connect(path)
    load_tiny(con)
    con.close()
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_missing_file_is_refused_not_created(command, tmp_path, capsys):
    typo = tmp_path / "typo.duckdb"
    assert main([*command, "--db", str(typo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and str(typo) in err and "不存在" in err
    assert not typo.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_existing_database_is_only_read(command, current, capsys):
    before = _digest(current)
    assert main([*command, "--db", str(current)]) == 0
    assert "通过" in capsys.readouterr().out
    assert _digest(current) == before


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_older_database_needs_upgrading_first(command, current, tmp_path, capsys):
    old = tmp_path / "old.duckdb"
    old.write_bytes(current.read_bytes())
    con = connect(old)
    newest = max(migrations.applied(con))
    # As a database last opened by the version before the newest migration.
    con.execute("DELETE FROM schema_migration WHERE version = ?", [newest])
    con.close()
    before = _digest(old)
    assert main([*command, "--db", str(old)]) == 2
    err = capsys.readouterr().err
    assert str(old) in err and "需要先升级" in err and f"{newest:03d}" in err
    assert _digest(old) == before


def test_check_notices_a_spot_check_sample_edited_in_the_database(demo_db, tmp_path, capsys):
    """A draw logs its sample's digest; `anju check` recomputes it from the stored sample."""
    from anju.cli import main
    from data.store.connection import connect

    db = tmp_path / "edited.duckdb"
    shutil.copy(demo_db, db)
    assert main(["check", "--db", str(db)]) == 0
    assert "抽查样本与审计日志一致" in capsys.readouterr().out
    con = connect(db)
    con.execute(
        "UPDATE spot_check_sample SET household_id = 'H-swapped'"
        " WHERE household_id = (SELECT min(household_id) FROM spot_check_sample)"
    )
    con.close()
    assert main(["check", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "抽查样本" in err and "不一致" in err
