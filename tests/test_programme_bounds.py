"""Hostile programme files are refused in Chinese, naming the key, and nothing is stored.

Each case edits the shipped 长宁区 template the way a mistyped or malicious file would; the file
goes through the same path as `anju programme load` (read_template → save) into a database that
already holds the programme, which must stay exactly as it was.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from data.setup import programme_checks, programme_edits, programmes
from data.store import connection

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (programmes.TEMPLATE_DIR / "changning_2023.toml").read_text(encoding="utf-8")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _edit(old: str, new: str) -> str:
    assert old in SOURCE, old
    return SOURCE.replace(old, new, 1)


def _add_rule(line: str) -> str:
    return SOURCE + "\n" + line + "\n"  # [rules] is the template's last table


# (case, file text, what the message must name)
HOSTILE = [
    ("share_huge_exponent", _edit("share = 1.0", 'share = "1e-100000000"'), "share"),
    ("share_bare_exponent", _edit("share = 1.0", "share = 1e-100000000"), "share"),
    ("share_divide_by_zero", _edit("share = 1.0", 'share = "1/0"'), "share"),
    ("share_long_digits", _edit("share = 1.0", 'share = "0.33333333333333"'), "share"),
    ("price_nan", _edit("unit_price_cny = 890", "unit_price_cny = nan"), "unit_price_cny"),
    ("price_inf", _edit("unit_price_cny = 890", "unit_price_cny = inf"), "unit_price_cny"),
    ("price_1e308", _edit("unit_price_cny = 890", "unit_price_cny = 1e308"), "unit_price_cny"),
    ("price_over_cap", _edit("unit_price_cny = 890", "unit_price_cny = 100001"), "unit_price_cny"),
    ("price_text", _edit("unit_price_cny = 890", 'unit_price_cny = "890元"'), "单价"),
    (
        "target_huge",
        _edit("target_households = 6460", "target_households = 10000001"),
        "target_households",
    ),
    (
        "target_thousands_of_digits",
        _edit("target_households = 6460", "target_households = 1" + "0" * 5000),
        "target_households",
    ),
    ("target_text", _edit("target_households = 6460", 'target_households = "6460"'), "target"),
    ("deep_nesting_arrays", _add_rule("x = " + "[" * 5000 + "]" * 5000), "嵌套"),
    ("deep_nesting_inline", _add_rule("x = " + "{a = " * 500 + "1" + "}" * 500), "嵌套"),
    ("deep_dotted_tables", SOURCE + "\n[rules." + ".".join("abcdefghijkl") + "]\nx = 1\n", "嵌套"),
    ("too_big", SOURCE + "\n" + "# 填充\n" * 60_000, "256 KB"),
    (
        "spot_check_rate_50",
        _edit("spot_check_rate = 0.03", "spot_check_rate = 50"),
        "spot_check_rate",
    ),
    (
        "gas_cut_days_1e300",
        _edit("gas_cut_overdue_days = 7", "gas_cut_overdue_days = 1e300"),
        "gas_cut_overdue_days",
    ),
    (
        "gas_cut_days_4000",
        _edit("gas_cut_overdue_days = 7", "gas_cut_overdue_days = 4000"),
        "gas_cut_overdue_days",
    ),
    (
        "visit_days_text",
        _edit("visit_overdue_days = 90", 'visit_overdue_days = "90"'),
        "visit_overdue_days",
    ),
    ("report_day_40", _edit("report_day = 25", "report_day = 40"), "report_day"),
    ("risk_weight_drop", _edit("age_band = 1.5", 'age_band = "DROP"'), "age_band"),
    ("risk_weight_huge", _edit("age_band = 1.5", "age_band = 1e9"), "age_band"),
    ("risk_weight_unknown", _edit("age_band = 1.5", "age_band = 1.5\nbogus = 1"), "bogus"),
    ("warranty_100000", _edit("warranty_years = 5", "warranty_years = 100000"), "warranty_years"),
    (
        "district_path",
        _edit('district_id = "310105"', 'district_id = "../../../../tmp/x"'),
        "district_id",
    ),
    ("district_number", _edit('district_id = "310105"', "district_id = 310105"), "district_id"),
    (
        "programme_id_number",
        _edit('programme_id = "changning_2023"', "programme_id = 5"),
        "programme_id",
    ),
    ("a_time_of_day", _add_rule("report_time = 12:00:00"), "report_time"),
    ("payment_cycle", _add_rule('payment_cycle = "weekly"'), "payment_cycle"),
    ("phase_not_a_list", SOURCE.replace("[[phase]]", "[phase_x]") + "\nphase = 3\n", "phase"),
    ("year_9999", _edit("ends = 2023-12-31", "ends = 9999-12-31"), "ends"),
    (
        "service_hours_nan",
        _add_rule('[rules.service_standards."抢修"]\nresponse_hours = nan'),
        "response_hours",
    ),
]


@pytest.fixture(scope="module")
def con():
    c = connection.connect(":memory:")
    programmes.save(c, programmes.read_template("changning_2023"), "setup")
    yield c
    c.close()


def _stored(con) -> tuple:
    return (
        con.execute("SELECT sha256 FROM programme_source").fetchall(),
        con.execute("SELECT count(*) FROM audit_log").fetchone(),
        con.execute("SELECT * FROM programme ORDER BY programme_id").fetchall(),
        con.execute("SELECT * FROM device_type ORDER BY device_type").fetchall(),
        con.execute("SELECT * FROM cost_share ORDER BY item, payer").fetchall(),
    )


# Checked in a subprocess with a timeout (below): a regression would hang the test run.
HANGS = {"share_huge_exponent"}
IN_PROCESS = [c for c in HOSTILE if c[0] not in HANGS]


@pytest.mark.parametrize(("case", "text", "names"), IN_PROCESS, ids=[c[0] for c in IN_PROCESS])
def test_a_hostile_programme_file_is_refused_in_chinese_and_nothing_is_stored(
    con, tmp_path, case, text, names
):
    before = _stored(con)
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        programmes.save(con, programmes.read_template(path), "admin")
    message = str(err.value)
    assert names in message, message
    assert CJK.search(message), message
    assert "Traceback" not in message
    assert _stored(con) == before


def test_the_huge_exponent_file_is_refused_at_once_by_the_cli(tmp_path):
    # Fraction("1e-100000000") used to keep the process busy for minutes; the timeout is only a
    # guard against that hang, not a speed measurement.
    path = tmp_path / "hostile.toml"
    path.write_text(dict((c[0], c[1]) for c in HOSTILE)["share_huge_exponent"], encoding="utf-8")
    db = tmp_path / "d.duckdb"
    seeded = connection.connect(db)
    try:
        programmes.save(seeded, programmes.read_template("changning_2023"), "setup")
        before = _stored(seeded)
    finally:
        seeded.close()
    code = (
        "import sys; from anju import cli; "
        f"sys.exit(cli.main(['programme', 'load', {str(path)!r}, '--db', {str(db)!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 2, done.stderr
    assert "share" in done.stderr and "比例" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    check = connection.connect(db)
    try:
        assert _stored(check) == before
    finally:
        check.close()


def test_the_settings_form_goes_through_the_same_checks(con):
    tpl = programmes.current_template(con, "changning_2023")
    before = _stored(con)
    devices = programme_edits.frame(tpl["device"], programme_edits.DEVICE_COLUMNS)
    devices.loc[0, "warranty_years"] = 100000
    new = programme_edits.apply(
        tpl,
        name=tpl["programme"]["name"],
        target_households=tpl["programme"]["target_households"],
        targets_by_gas_type=tpl["programme"]["targets_by_gas_type"],
        phases=programme_edits.frame(tpl["phase"], programme_edits.PHASE_COLUMNS),
        devices=devices,
        shares=programme_edits.frame(tpl["cost_share"], programme_edits.SHARE_COLUMNS).astype(
            {"share": str}
        ),
        rules=programme_edits.rules_text(tpl["rules"]).replace(
            "spot_check_rate = 0.03", "spot_check_rate = 50"
        ),
    )
    with pytest.raises(ValueError) as err:
        programmes.save(con, new, "admin")
    assert "warranty_years" in str(err.value) and "spot_check_rate" in str(err.value)
    assert _stored(con) == before


def test_rules_text_is_bounded_like_a_file():
    with pytest.raises(ValueError, match="嵌套"):
        programme_edits.parse_rules("x = " + "[" * 3000 + "]" * 3000)


def test_an_uploaded_file_is_parsed_with_the_same_bounds():
    with pytest.raises(ValueError, match="256 KB"):
        programme_checks.parse(b"# x\n" * 70_000, "big.toml")
    with pytest.raises(ValueError, match="UTF-8"):
        programme_checks.parse("[programme]\nname = '长宁'\n".encode("gbk"), "gbk.toml")


def test_a_district_code_is_looked_up_in_the_shipped_list_never_as_a_path(tmp_path):
    from geo import boundaries

    outside = tmp_path / "secret.geojson"
    outside.write_text('{"type": "Point", "coordinates": [0, 0]}', encoding="utf-8")
    relative = "../" * 30 + str(outside.with_suffix("")).lstrip("/")
    with pytest.raises(FileNotFoundError):
        boundaries.district_outline(relative)
    assert "310105" in boundaries.shipped_codes()


@pytest.mark.parametrize("name", programmes.shipped())
def test_every_shipped_template_passes_the_bounds(name):
    assert programmes.validate(programmes.read_template(name)) == []
