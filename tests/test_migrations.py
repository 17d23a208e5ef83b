"""Connection, numbered migrations and the seed-000 programme template."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from data.setup import programmes
from data.store import connection, migrations

CORE_TABLES = {
    "region",
    "programme",
    "programme_phase",
    "device_type",
    "cost_share",
    "household",
    "inspection",
    "hazard",
    "installation",
    "audit_log",
    "import_log",
    "rejected_row",
}


def tables(con) -> set[str]:
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


# ---------------------------------------------------------------- migrations


def test_migrations_apply_to_an_empty_database():
    con = connection.connect(":memory:", migrate=False)
    assert "region" not in tables(con)
    assert migrations.current_version(con) == 0
    applied = migrations.apply(con)
    assert applied == [v for v, _ in migrations.available()]
    assert applied[0] == 1 and applied == sorted(applied)
    assert migrations.current_version(con) == applied[-1]


def test_reconnecting_applies_nothing_new(tmp_path):
    path = tmp_path / "anju.duckdb"
    connection.connect(path).close()
    con = connection.connect(path)
    try:
        assert migrations.apply(con) == []
        rows = con.execute("SELECT version, name FROM schema_migration ORDER BY version").fetchall()
        assert rows == [(v, p.stem) for v, p in migrations.available()]  # one row per file
    finally:
        con.close()


def test_core_tables_exist():
    con = connection.connect(":memory:")
    assert tables(con) >= CORE_TABLES | {"schema_migration", "app_meta"}


def test_status_macros_exist():
    con = connection.connect(":memory:")
    macros = {
        r[0]
        for r in con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE function_type LIKE '%macro%'"
        ).fetchall()
    }
    assert {"household_status", "plan_fraction"} <= macros


def test_spatial_is_loaded_from_the_wheel_without_install(tmp_path, monkeypatch):
    # An empty home means no ~/.duckdb/extensions: spatial can only come from the wheel.
    monkeypatch.setenv("HOME", str(tmp_path))
    con = connection.connect(":memory:")
    assert con.execute("SELECT ST_AsText(ST_Point(1, 2))").fetchone() == ("POINT (1 2)",)
    loaded, installed = con.execute(
        "SELECT loaded, installed FROM duckdb_extensions() WHERE extension_name = 'spatial'"
    ).fetchone()
    assert (loaded, installed) == (True, False)
    assert list(tmp_path.iterdir()) == []  # nothing was downloaded into the home directory


def test_read_only_connection_does_not_migrate(tmp_path):
    path = tmp_path / "anju.duckdb"
    connection.connect(path, migrate=False).close()
    con = connection.connect(path, read_only=True)
    try:
        assert "region" not in tables(con)
        assert con.execute("SELECT ST_AsText(ST_Point(0, 0))").fetchone() == ("POINT (0 0)",)
    finally:
        con.close()


@pytest.fixture
def schema_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "SCHEMA_DIR", tmp_path)
    return tmp_path


def test_new_migration_files_are_applied_in_order(schema_dir):
    (schema_dir / "002_second.sql").write_text("INSERT INTO t VALUES (2);")
    (schema_dir / "001_first.sql").write_text(
        "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"
    )
    con = connection.connect(":memory:", migrate=False)
    assert migrations.apply(con) == [1, 2]
    (schema_dir / "003_third.sql").write_text("INSERT INTO t VALUES (3);")
    assert migrations.apply(con) == [3]
    assert migrations.apply(con) == []
    assert con.execute("SELECT list(x ORDER BY x) FROM t").fetchone() == ([1, 2, 3],)


def test_a_migration_numbered_below_the_head_is_applied(schema_dir):
    # Applied by the set of recorded versions, not by "above the highest": a file filling a gap
    # (as 012 is in data/schema) is applied on the next connect, not silently skipped.
    (schema_dir / "001_first.sql").write_text("CREATE TABLE t (x INTEGER);")
    (schema_dir / "003_third.sql").write_text("INSERT INTO t VALUES (3);")
    con = connection.connect(":memory:", migrate=False)
    assert migrations.apply(con) == [1, 3]
    (schema_dir / "002_gap.sql").write_text("INSERT INTO t VALUES (2);")
    assert migrations.pending(con) == [(2, schema_dir / "002_gap.sql")]
    assert migrations.apply(con) == [2]
    assert migrations.apply(con) == []
    assert migrations.applied(con) == {1, 2, 3} and migrations.current_version(con) == 3
    assert con.execute("SELECT list(x ORDER BY x) FROM t").fetchone() == ([2, 3],)


def test_a_failing_migration_is_rolled_back_and_not_recorded(schema_dir):
    (schema_dir / "001_ok.sql").write_text("CREATE TABLE t (x INTEGER);")
    (schema_dir / "002_bad.sql").write_text("CREATE TABLE u (y INTEGER); SELECT * FROM missing;")
    con = connection.connect(":memory:", migrate=False)
    with pytest.raises(Exception, match="missing"):
        migrations.apply(con)
    assert migrations.current_version(con) == 1
    assert "u" not in tables(con)  # the half-done migration left nothing behind
    assert "t" in tables(con)


@pytest.mark.parametrize("bad", ["1_short.sql", "001-dash.sql", "001_Upper.sql"])
def test_badly_named_migration_files_are_refused(schema_dir, bad):
    (schema_dir / bad).write_text("SELECT 1;")
    with pytest.raises(ValueError):
        migrations.available()


def test_duplicate_migration_numbers_are_refused(schema_dir):
    (schema_dir / "001_a.sql").write_text("SELECT 1;")
    (schema_dir / "001_b.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError):
        migrations.available()


# ---------------------------------------------------------------- programme template


@pytest.fixture
def changning():
    con = connection.connect(":memory:")
    pid = programmes.load(con, programmes.read_template("changning_2023"), actor="test")
    assert pid == "changning_2023"
    yield con
    con.close()


def test_template_programme_row(changning):
    row = changning.execute(
        "SELECT district_id, starts, ends, target_households, spot_check_rate, report_day,"
        " kind FROM programme"
    ).fetchone()
    assert row == ("310105", date(2023, 2, 1), date(2023, 12, 31), 6460, 0.03, 25, "gas_alarm")


def test_template_phases(changning):
    rows = changning.execute(
        "SELECT phase_no, kind, starts, ends FROM programme_phase ORDER BY phase_no"
    ).fetchall()
    assert rows == [
        (1, "survey", date(2023, 2, 1), date(2023, 4, 30)),
        (2, "install", date(2023, 5, 1), date(2023, 9, 30)),
        (3, "archive", date(2023, 10, 1), date(2023, 12, 31)),
    ]


def test_template_devices(changning):
    rows = changning.execute(
        "SELECT device_type, gas_type, unit_price_cny, warranty_years, planned_units"
        " FROM device_type ORDER BY device_type"
    ).fetchall()
    assert rows == [
        ("lpg_alarm", "lpg", Decimal("350.00"), 5, 10),
        ("ng_alarm_valve", "piped", Decimal("890.00"), 5, 6450),
    ]


def test_template_cost_shares_and_settings(changning):
    shares = changning.execute("SELECT item, payer, share FROM cost_share ORDER BY item").fetchall()
    assert shares == [("device", "区财政局", 1.0), ("installation", "燃气经营企业", 1.0)]
    settings = json.loads(changning.execute("SELECT settings FROM programme").fetchone()[0])
    assert settings["district_name"] == "长宁区"
    assert settings["targets_by_gas_type"] == {"piped": 6450, "lpg": 10}
    assert settings["rules"]["refusal_action"] == "gas_cut"
    assert "programme_id" not in settings  # columns are not repeated in settings


def test_loading_a_template_twice_does_not_duplicate(changning):
    def counts():
        return [
            changning.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("programme", "programme_phase", "device_type", "cost_share")
        ]

    assert counts() == [1, 3, 2, 2]
    programmes.load(changning, programmes.read_template("changning_2023"), actor="test")
    assert counts() == [1, 3, 2, 2]


def test_template_by_path():
    tpl = programmes.read_template(programmes.TEMPLATE_DIR / "changning_2023.toml")
    assert tpl["programme"]["programme_id"] == "changning_2023"
