"""Seed 000 has the streets check their own work: a street draws and records its own street's
sample (never another's), the sample prints as a 抽查核验表 (Word and Excel) with addresses under
the masking rules, and a programme whose checks belong to another body keeps streets out."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pytest

from data.messages import UserPermissionError
from data.money import settlement, spot_checks
from data.users import access, privacy
from documents import spot_check_docs
from tests.apptest import frame_with, open_page
from tests.finance_fixture import build, d

WEST = access.User("west", "street", "S1")
EAST = access.User("east", "street", "S2")
FINANCE = access.User("fin", "finance")


def _july(template: str = "fin000"):
    homes = [(f"A{n}", "S1", "piped") for n in range(5)] + [
        (f"B{n}", "S2", "piped") for n in range(3)
    ]
    installs = [
        (h, "ng_alarm_valve", d("2023-07-05"), d("2023-07-20"), "甲班", True) for h, *_ in homes
    ]
    return build(template, homes, installs)


def test_a_street_draws_and_records_only_its_own_street():
    con = _july()
    west = spot_checks.draw(con, "fin000", "2023-07", WEST, seed=3)
    assert [s["street"] for s in west["strata"]] == ["西街道"]
    # the other street draws its own, no reason needed: it is not a redraw for it
    spot_checks.draw(con, "fin000", "2023-07", EAST, seed=4)
    status = spot_checks.status(con, "fin000", "2023-07", None)
    assert set(status["street_id"]) == {"S1", "S2"}
    with pytest.raises(spot_checks.DrawExists):
        spot_checks.draw(con, "fin000", "2023-07", WEST, seed=5)
    theirs = status.loc[status["street_id"] == "S2", "household_id"].iloc[0]
    with pytest.raises(UserPermissionError):
        spot_checks.record_result(con, WEST, "fin000", theirs, d("2023-07-25"), "合格")
    mine = status.loc[status["street_id"] == "S1", "household_id"].iloc[0]
    spot_checks.record_result(con, WEST, "fin000", mine, d("2023-07-25"), "合格")
    paid = settlement.compute(con, "fin000", "2023-07", checked_only=True)
    assert set(paid.included["household_id"]) == {f"A{n}" for n in range(5)}
    # a district redraw by finance replaces both streets' samples and needs a reason
    with pytest.raises(spot_checks.DrawExists):
        spot_checks.draw(con, "fin000", "2023-07", FINANCE, seed=6)
    spot_checks.draw(con, "fin000", "2023-07", FINANCE, seed=6, reason="样本登记有误")
    assert len(spot_checks.status(con, "fin000", "2023-07", None)) == 2


def test_streets_stay_out_where_another_body_checks():
    con = _july("fin002")  # seed 002: 住建局 checks
    with pytest.raises(UserPermissionError):
        spot_checks.draw(con, "fin002", "2023-07", WEST, seed=1)
    assert spot_checks.draw(con, "fin002", "2023-07", FINANCE, seed=1)["strata"]


def test_the_check_form_prints_addresses_masked_and_types_its_dates():
    con = _july()
    con.execute(
        "UPDATE household SET address = '长宁区华阳路100弄3号601室', name = '张三丰',"
        " phone = '13812345678'"
    )
    spot_checks.draw(con, "fin000", "2023-07", FINANCE, seed=3)
    status = privacy.mask_frame(spot_checks.status(con, "fin000", "2023-07", None))
    table = spot_check_docs.sample_table(status)
    assert {"地址", "姓名", "联系电话", "安装设备", "安装班组", "核验结果"} <= set(table.columns)
    assert "601" not in table["地址"].iloc[0] and table["姓名"].iloc[0] != "张三丰"
    wb = openpyxl.load_workbook(io.BytesIO(spot_check_docs.xlsx(status, "项目", "2023-07", {})))
    ws = wb["抽查核验表"]
    heads = [c.value for c in ws[2]]
    assert isinstance(ws.cell(3, heads.index("安装日期") + 1).value, date)
    word = docx.Document(io.BytesIO(spot_check_docs.docx(status, "项目", "2023-07", "街镇")))
    cells = [c.text for c in word.tables[0].rows[1].cells]
    assert spot_check_docs.BOXES in cells and "13812345678" not in cells


def test_a_street_account_opens_the_page_draws_and_downloads(demo_copy):
    at = open_page(access.User("t_street", "street", "310105001"), "dashboard/pages/spot_check.py")
    assert at.title[0].value.startswith("抽查核验")
    at.selectbox(key="check_month").set_value("2023-07").run()
    at.button(key="check_draw").click().run()
    assert not at.exception, at.exception
    assert any("已抽取" in s.value for s in at.success)
    sample = frame_with(at, "核验结果")
    assert len(sample) and set(sample["街镇"]) == {"华阳路街道"}
    assert at.get("download_button")  # Word and Excel of the form
