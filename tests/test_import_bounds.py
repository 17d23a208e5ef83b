"""Every value a file brings is bounded before anything is planned: text length, dates that
happened (not in 9999, not before 2000), counts; each refusal names row and column in Chinese,
and the good rows of the same file still load."""

from __future__ import annotations

from data import importing
from tests.conftest import TINY
from tests.rosters import ADMIN, HEADER, ROWS, run
from tests.workbooks import csv_bytes, xlsx


def test_an_unclosed_quote_cannot_store_an_eleven_thousand_character_name(tiny_con):
    swallowed = "张" + "三，男，85，" * 1500  # what a file with an unclosed quote gives
    rows = [HEADER, ROWS[0], [9, swallowed, *ROWS[0][2:]]]
    result = run(tiny_con, xlsx(rows), commit=True)
    assert result.counts()["loaded"] == 1 and result.counts()["rejected"] == 1
    (bad,) = result.rejections
    assert bad.row_no == 3 and bad.column == "姓名"
    assert "超过 500 字" in bad.reason and "引号" in bad.reason
    assert not tiny_con.execute(
        "SELECT count(*) FROM household WHERE length(name) > 500"
    ).fetchone()[0]


def test_a_device_event_dated_9999_or_1900_is_refused(tiny_con):
    rows = [
        ["设备IMEI", "事件类型", "事件时间", "处理时间"],
        ["SN001", "报警", "2023/5/20 14:05:00", ""],
        ["SN001", "报警", "9999-12-31 10:00", ""],
        ["SN001", "心跳", "1900-01-01 10:00", ""],
        ["SN001", "心跳", "2099-01-01 10:00", ""],  # in range of years, but after today
    ]
    result = importing.run(
        tiny_con, "device_events", "平台.csv", csv_bytes(rows, "gbk"), TINY, ADMIN, commit=True
    )
    assert result.counts()["loaded"] == 1
    reasons = {r.row_no: (r.column, r.reason) for r in result.rejections}
    assert reasons[3][0] == "事件时间" and "超出合理范围" in reasons[3][1]
    assert "超出合理范围" in reasons[4][1]
    assert "晚于今天" in reasons[5][1]
    assert (
        tiny_con.execute("SELECT max(event_at) FROM device_event WHERE programme_id = ?", [TINY])
        .fetchone()[0]
        .year
        == 2023
    )


def test_a_confirmed_count_of_a_trillion_is_refused_not_a_traceback(tiny_con):
    rows = [
        ["月份", "街道", "确认户数"],
        ["2023-05", "西街道", "1e12"],
        ["2023-05", "东街道", "nan"],
    ]
    result = importing.run(
        tiny_con, "confirmations", "确认表.xlsx", xlsx(rows), TINY, ADMIN, commit=True
    )
    reasons = [r.reason for r in result.rejections]
    assert any("超出合理范围" in r for r in reasons) and any("非负整数" in r for r in reasons)
