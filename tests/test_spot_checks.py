"""Spot checks: reproducible stratified draws, results, re-checks and the import."""

from __future__ import annotations

import json
from datetime import date

import pytest

from data import importing
from data.money import settlement, spot_checks
from data.store import audit
from data.users import access
from tests.finance_fixture import build, d
from tests.workbooks import xlsx

FINANCE = access.User("fin", "finance")
LEADER = access.User("boss", "leader")


def _slips():
    """fin002 (30% of the month's signed slips): S1 20 signed (crew A 12, B 8) + 5 unsigned,
    S2 7 signed (no installer recorded); June installs are not July's population."""
    homes, installs = [], []
    for n in range(25):
        hid = f"A{n:02d}"
        homes.append((hid, "S1", "piped"))
        crew = "A班" if n < 12 else "B班" if n < 20 else "A班"
        installs.append((hid, "piped_set", d("2024-07-10"), d("2024-07-20"), crew, n < 20))
    for n in range(7):
        hid = f"B{n:02d}"
        homes.append((hid, "S2", "piped"))
        installs.append((hid, "piped_set", d("2024-07-11"), d("2024-07-21"), None, True))
    homes.append(("J1", "S2", "piped"))
    installs.append(("J1", "piped_set", d("2024-06-30"), d("2024-07-02"), None, True))
    return build("fin002", homes, installs)


def test_sizes_per_stratum_only_eligible_and_installers_spread():
    con = _slips()
    out = spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=7)
    assert set(out) >= {"programme_id", "month", "seed", "strata"}
    by = {s["street"]: s for s in out["strata"]}
    assert by["西街道"]["population"] == 20 and by["西街道"]["sample_size"] == 6  # ceil(0.3×20)
    assert by["东街道"]["population"] == 7 and by["东街道"]["sample_size"] == 3  # ceil(2.1)
    drawn = {h for s in out["strata"] for h in s["households"]}
    unsigned = {f"A{n:02d}" for n in range(20, 25)}
    assert not drawn & (unsigned | {"J1"})
    # 6 over crews of 12 and 8: 3.6 / 2.4 → 4 and 2 (largest remainder)
    assert out["installers"]["西街道"] == {"A班": 4, "B班": 2}
    crews = dict(
        con.execute(
            "SELECT installer, count(*) FROM spot_check_sample WHERE street_id = 'S1' GROUP BY 1"
        ).fetchall()
    )
    assert crews == {"A班": 4, "B班": 2}


def test_same_seed_same_sample_and_redraw_needs_a_reason():
    con = _slips()
    first = spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=11)
    with pytest.raises(spot_checks.DrawExists, match="原因"):
        spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=11)
    again = spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=11, reason="补录迟到的确认单")
    assert again["strata"] == first["strata"]
    other = spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=12, reason="复核")
    assert other["strata"] != first["strata"]
    rows = spot_checks.draws(con, "fin002")
    assert [r["seed"] for r in rows] == [12, 11, 11]  # every draw kept, newest first
    assert rows[-1]["reason"] is None and rows[-1]["drawn_by"] == "fin"
    actions = [r[0] for r in con.execute("SELECT action FROM audit_log").fetchall()]
    assert actions.count("spot_check_draw") == 3
    assert audit.verify(con)[0]


def test_only_finance_and_admin_draw():
    con = _slips()
    with pytest.raises(PermissionError):
        spot_checks.draw(con, "fin002", "2024-07", LEADER, seed=1)


def test_seed_000_three_percent_of_the_months_completed_installs():
    homes = [(f"H{n:03d}", "S1" if n < 70 else "S2", "piped") for n in range(100)]
    installs = [
        (h, "ng_alarm_valve", d("2023-07-05"), d("2023-07-15"), None, False) for h, _s, _g in homes
    ]
    con = build("fin000", homes, installs)
    out = spot_checks.draw(con, "fin000", "2023-07", FINANCE, seed=3)
    assert [(s["population"], s["sample_size"]) for s in out["strata"]] == [(30, 1), (70, 3)]


def _failed_then_rechecked(con, hid: str) -> None:
    spot_checks.record_result(
        con, FINANCE, "fin002", hid, date(2024, 7, 25), "不合格", "切断阀未联动", "王五"
    )


def test_failed_check_removes_the_installation_until_a_passed_recheck():
    con = _slips()
    out = spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=7)
    hid = out["strata"][0]["households"][0]
    before = settlement.compute(con, "fin002", "2024-Q3")
    with pytest.raises(ValueError, match="不合格项"):
        spot_checks.record_result(con, FINANCE, "fin002", hid, date(2024, 7, 25), "不合格")
    with pytest.raises(ValueError, match="抽查样本"):
        spot_checks.record_result(con, FINANCE, "fin002", "A22", date(2024, 7, 25), "合格")
    _failed_then_rechecked(con, hid)
    failed = settlement.compute(con, "fin002", "2024-Q3")
    assert len(failed.included) == len(before.included) - 1
    assert failed.total_cny == before.total_cny - 470
    assert "抽查不合格" in failed.excluded.set_index("household_id").loc[hid, "原因"]
    shown = spot_checks.failed_households(con, "fin002", date(2024, 7, 31), None)
    assert list(shown["household_id"]) == [hid]
    assert spot_checks.failed_households(con, "fin002", date(2024, 7, 31), ["S9"]).empty
    spot_checks.record_result(con, FINANCE, "fin002", hid, date(2024, 8, 2), "合格", None, "王五")
    assert settlement.compute(con, "fin002", "2024-Q3").total_cny == before.total_cny
    assert spot_checks.failed_households(con, "fin002", date(2024, 8, 3), None).empty
    status = spot_checks.status(con, "fin002", "2024-07", None)
    row = status.set_index("household_id").loc[hid]
    assert row["result"] == "合格" and row["checks"] == 2
    by_street = spot_checks.progress(status)
    assert sum(p["已抽查"] for p in by_street) == 1 and sum(p["样本户数"] for p in by_street) == 9
    row = next(p for p in by_street if p["已抽查"])
    assert (row["合格"], row["不合格"], row["合格率"]) == (1, 0, "100%")
    crews = {p["安装班组"]: p["样本户数"] for p in spot_checks.progress(status, "installer")}
    assert crews == {"A班": 4, "B班": 2, "未记录": 3}


def test_import_spot_checks_rejects_unsampled_and_missing_items():
    con = _slips()
    out = spot_checks.draw(con, "fin002", "2024-07", FINANCE, seed=7)
    a, b = out["strata"][0]["households"][:2]
    data = xlsx(
        [
            ["户号", "抽查日期", "抽查结果", "不合格项", "抽查人", "备注"],
            [a, "2024-07-26", "合格", None, "王五", "复查"],
            [b, "2024-07-26", "不合格", None, "王五", None],
            ["A22", "2024-07-26", "合格", None, "王五", None],
            [b, "2024/7/27", "不合格", "报警器未固定", "王五", None],
        ]
    )
    result = importing.run(con, "spot_checks", "抽查.xlsx", data, "fin002", FINANCE, commit=True)
    assert result.counts() == {"loaded": 2, "updated": 0, "unchanged": 0, "rejected": 2}
    reasons = [r.message("抽查.xlsx") for r in result.rejections]
    assert "第 3 行" in reasons[0] and "不合格项" in reasons[0]
    assert "第 4 行" in reasons[1] and "抽查样本" in reasons[1]
    stored = con.execute(
        "SELECT household_id, result FROM spot_check_result ORDER BY household_id"
    ).fetchall()
    assert stored == sorted([(a, "合格"), (b, "不合格")])
    with pytest.raises(PermissionError):
        importing.run(con, "spot_checks", "抽查.xlsx", data, "fin002", LEADER)


def test_cli_draw_prints_the_issue_shape(tmp_path, capsys):
    from anju.cli import main
    from data.store import connection

    db = tmp_path / "s.duckdb"
    con = _slips()
    con.execute(f"ATTACH '{db}' AS f")
    con.execute("COPY FROM DATABASE memory TO f")
    con.execute("DETACH f")
    con.close()
    assert main(["spot-check", "draw", "--db", str(db), "--programme", "fin002",
                 "--month", "2024-07", "--seed", "5", "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["programme_id", "month", "seed", "strata"]
    assert out["seed"] == 5
    keys = ["street", "population", "sample_size", "households"]
    assert out["strata"] and all(list(s) == keys for s in out["strata"])
    assert main(["spot-check", "draw", "--db", str(db), "--programme", "fin002",
                 "--month", "2024-07", "--json"]) == 2  # fmt: skip
    assert "原因" in capsys.readouterr().err
    con = connection.connect(db)
    assert con.execute("SELECT count(*) FROM spot_check_draw").fetchone()[0] == 1
    con.close()


@pytest.mark.parametrize("kind", ["spot_checks", "confirmations"])
def test_finance_templates_are_recognised(kind):
    from documents import import_templates as templates

    con = _slips()
    result = importing.run(
        con, kind, f"{kind}.xlsx", templates.template_bytes(kind), "fin002", FINANCE
    )
    assert result.header_rows == [1]
    assert set(result.mapping.values()) >= set(templates.EXAMPLES[kind])
