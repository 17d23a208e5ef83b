"""Money follows the seed's rule: a street's month is paid only once its spot-check sample has
every result (seed 000 三/五 "根据审核结果每月拨付"); failed installations stay out; the page's SQL
path and the full computation agree on every figure and reason."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from data.money import finance_rules, settlement, spot_checks
from data.setup import programmes
from data.store import connection
from data.users import access
from tests.finance_fixture import build, d

FINANCE = access.User("fin", "finance")
PID = "fin000"


def _july():
    """fin000 (3%: one sampled household per street): S1 four July installs, S2 two July installs
    and one June install verified in July."""
    homes = [(f"A{n}", "S1", "piped") for n in range(4)] + [
        ("B0", "S2", "piped"),
        ("B1", "S2", "piped"),
        ("J1", "S2", "piped"),
    ]
    installs = [
        (h, "ng_alarm_valve", d("2023-07-05"), d("2023-07-20"), None, True) for h, *_ in homes
    ]
    installs[-1] = ("J1", "ng_alarm_valve", d("2023-06-28"), d("2023-07-03"), None, True)
    return build(PID, homes, installs)


def _paid(con, **kw) -> settlement.Settlement:
    whole = settlement.compute(con, PID, "2023-07", checked_only=True, **kw)
    fast = settlement.summary(con, PID, "2023-07", checked_only=True, **kw)
    # one figure everywhere: the page's SQL path says what the full computation says
    assert (fast.total_cny, fast.included, fast.excluded) == (
        whole.total_cny,
        len(whole.included),
        len(whole.excluded),
    )
    assert fast.unchecked == whole.unchecked and fast.payers == whole.payers
    page, total = settlement.unsettled_page(con, PID, "2023-07", None, None, 100, checked_only=True)
    assert total == len(whole.excluded)
    pd.testing.assert_frame_equal(
        page.astype(object).where(page.notna(), None),
        whole.excluded.astype(object).where(whole.excluded.notna(), None),
    )
    return whole


def _record(con, street_id: str, result: str) -> str:
    hid = next(
        r[0]
        for r in con.execute(
            "SELECT household_id FROM spot_check_sample WHERE street_id = ?", [street_id]
        ).fetchall()
    )
    spot_checks.record_result(
        con,
        FINANCE,
        PID,
        hid,
        d("2023-07-25"),
        result,
        "切断阀未联动" if result == "不合格" else None,
    )
    return hid


def test_a_month_without_a_drawn_sample_pays_nothing_and_says_who_must_act():
    con = _july()
    out = _paid(con)
    assert out.total_cny == Decimal("0.00") and out.included.empty
    assert len(out.excluded) == 7
    assert all(r.startswith("待核验：") and "尚未抽取抽查样本" in r for r in out.excluded["原因"])
    assert all("由街镇" in r for r in out.excluded["原因"])  # fin000: spot_check_by = 街镇
    assert [(u["street_name"], u["month"], u["installations"]) for u in out.unchecked] == [
        ("东街道", "2023-06", 1),
        ("东街道", "2023-07", 2),
        ("西街道", "2023-07", 4),
    ]
    # the gate off (what the page's box and `anju settlement --include-unchecked` do): as before
    assert settlement.compute(con, PID, "2023-07", checked_only=False).total_cny > 0


def test_a_checked_street_is_paid_except_its_failures_the_rest_waits():
    con = _july()
    spot_checks.draw(con, PID, "2023-07", FINANCE, seed=1)
    out = _paid(con)
    assert out.total_cny == 0  # drawn, nothing recorded yet
    assert {u["text"] for u in out.unchecked} >= {
        "西街道 2023-07 抽查样本已核验 0/1 户，全部录入结果前不结算（由街镇核验）"
    }
    _record(con, "S1", "合格")
    out = _paid(con)
    assert set(out.included["household_id"]) == {"A0", "A1", "A2", "A3"}
    assert out.total_cny == Decimal("890.00") * 4
    failed = _record(con, "S2", "不合格")
    out = _paid(con)
    paid = set(out.included["household_id"])
    assert paid == {"A0", "A1", "A2", "A3", "B0", "B1"} - {failed}
    why = dict(zip(out.excluded["household_id"], out.excluded["原因"], strict=True))
    assert why[failed].startswith("抽查不合格")
    # J1 was done in June, a month nobody drew: it waits for June's sample
    assert why["J1"] == "待核验：东街道 2023-06 尚未抽取抽查样本（由街镇抽取并核验）"


def test_installations_after_the_draw_wait_for_a_new_draw():
    con = _july()
    spot_checks.draw(con, PID, "2023-07", FINANCE, seed=1)
    con.execute("UPDATE spot_check_sample SET street_id = 'S1' WHERE street_id = 'S2'")
    out = _paid(con)
    why = dict(zip(out.excluded["household_id"], out.excluded["原因"], strict=True))
    assert "不在抽查样本中" in why["B0"] and "重新抽取" in why["B0"]


def test_templates_with_a_spot_check_rule_gate_by_default_others_do_not():
    con = connection.connect(":memory:")
    for name in ("changning_2023", "wushen_2024", "songjiang_2022"):
        programmes.load(
            con, programmes.read_template(programmes.TEMPLATE_DIR / f"{name}.toml"), actor="t"
        )
    gated = {
        pid: finance_rules.load(con, pid).settlement_requires_spot_check
        for (pid,) in con.execute("SELECT programme_id FROM programme").fetchall()
    }
    rates = {
        pid: finance_rules.load(con, pid).spot_check_rate
        for (pid,) in con.execute("SELECT programme_id FROM programme").fetchall()
    }
    assert gated == {pid: bool(rate) for pid, rate in rates.items()}
    assert gated["changning_2023"] and gated["wushen_2024"]
    # seed 000: the district centre's 再确认 is part of the rule too
    assert finance_rules.load(con, "changning_2023").settlement_requires_acceptance


def test_the_changning_demo_pays_no_month_whose_sample_is_unchecked(demo_db):
    con = connection.connect(demo_db)
    try:
        for period in ("2023-05", "2023-06", "2023-07"):
            out = settlement.summary(con, "changning_2023", period)
            assert out.checked_only and out.accepted_months_only
            if out.included:  # paid lines only from fully checked street-months
                lines = settlement.compute(con, "changning_2023", period).included
                assert len(lines) == out.included
        assert settlement.summary(con, "changning_2023", "2023-07").total_cny == 0
        assert settlement.summary(con, "changning_2023", "2023-05").total_cny > 0
    finally:
        con.close()
