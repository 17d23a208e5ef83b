"""AppTest of 项目设置: admins edit a programme with checks in Chinese; changes are audit-logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.setup import programme_edits, programmes
from data.store.connection import connect
from data.users import access
from tests.apptest import fetch_one, open_page

ADMIN = access.User("t_admin", "admin")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "settings.duckdb"
    con = connect(path)
    try:
        programmes.save(con, programmes.read_template("wushen_2024"), "setup")
    finally:
        con.close()
    return path


def _open(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(ADMIN, "dashboard/pages/programme_settings.py", timeout=120)


def _save(at: AppTest):
    return next(b for b in at.button if b.label == "保存设置")


def test_rename_and_change_a_rule_is_saved_and_audited(db, monkeypatch):
    at = _open(db, monkeypatch)
    at.text_input[-1].set_value("乌审旗燃气技防设施安装（修订）")
    rules = at.text_area[0].value.replace("roster_day = 10", "roster_day = 12")
    at.text_area[0].set_value(rules)
    _save(at).click().run()
    assert not at.exception, at.exception
    assert any("已保存项目 wushen_2024" in s.value for s in at.success)
    name, settings = fetch_one(db, "SELECT name, settings FROM programme")
    (detail,) = fetch_one(db, "SELECT detail FROM audit_log WHERE action = 'programme_update'")
    assert name == "乌审旗燃气技防设施安装（修订）"
    assert json.loads(settings)["rules"]["roster_day"] == 12
    changes = json.loads(detail)["changes"]
    assert changes["rules.roster_day"] == [10, 12]


def test_a_target_that_does_not_add_up_is_refused_in_chinese(db, monkeypatch):
    at = _open(db, monkeypatch)
    at.number_input[0].set_value(40001)
    _save(at).click().run()
    assert not at.exception, at.exception
    assert any("不等于目标户数 40001" in e.value for e in at.error)
    con = connect(db)
    try:
        assert con.execute("SELECT target_households FROM programme").fetchone()[0] == 40000
    finally:
        con.close()


def test_bad_rules_text_names_the_problem(db, monkeypatch):
    at = _open(db, monkeypatch)
    at.text_area[0].set_value("roster_day = = 10")
    _save(at).click().run()
    assert any("规则格式有误" in e.value for e in at.error)


def test_others_cannot_open_it(db, monkeypatch):
    for role in ("leader", "street", "fire", "finance"):
        assert not access.can(access.User("x", role, street_id="S"), "programme_settings")


def test_apply_keeps_device_items_and_reads_fraction_shares():
    tpl = programmes.read_template("zhongyuan_2022")
    devices = programme_edits.frame(tpl["device"], programme_edits.DEVICE_COLUMNS)
    shares = programme_edits.frame(tpl["cost_share"], programme_edits.SHARE_COLUMNS).astype(
        {"share": str}
    )
    new = programme_edits.apply(
        tpl,
        name="x",
        target_households=None,
        targets_by_gas_type=None,
        phases=programme_edits.frame(tpl["phase"], programme_edits.PHASE_COLUMNS),
        devices=devices,
        shares=shares,
        rules=programme_edits.rules_text(tpl["rules"]),
    )
    assert new["device"][0]["items"] == ["燃气泄漏报警器", "联动切断装置", "金属软管"]
    assert [s["share"] for s in new["cost_share"]][1:4] == ["1/3", "1/3", "1/3"]
    assert new["rules"] == tpl["rules"]
    assert new["phase"] == tpl["phase"]
    assert programmes.validate(new) == []
