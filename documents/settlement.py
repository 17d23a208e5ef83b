"""The settlement workbook (资金结算): per payer with a 合计 row, detail, exclusions, residents."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from data.money.settlement import Settlement
from documents import excel

_FORMATS = {
    "金额（元）": excel.MONEY,
    "单价（元）": excel.MONEY,
    "应收（元）": excel.MONEY,
    "实收（元）": excel.MONEY,
    "户数": excel.COUNT,
}


def excel_bytes(
    result: Settlement, programme_name: str, words: Mapping[str, str] | None = None
) -> bytes:
    """The settlement workbook: 结算汇总 (numbers as numbers, 0.00 format), 结算明细, 未结算, 居民分担, 说明.

    `words` (data.setup.levels) names the street and community columns as the programme does."""
    # Without the programme's words the columns keep their long-standing 街道/社区.
    words = words or {"street": "街道", "community": "社区"}
    summary = result.payer_frame()
    summary["金额（元）"] = summary["金额（元）"].map(float)
    detail = result.included[
        [
            "household_id",
            "street_name",
            "community_name",
            "device_name",
            "unit_price_cny",
            "installed_on",
            "verified_on",
        ]
    ].rename(
        columns={
            "household_id": "户号",
            "street_name": words["street"],
            "community_name": words["community"],
            "device_name": "设备",
            "unit_price_cny": "单价（元）",
            "installed_on": "安装日期",
            "verified_on": "验收日期",
        }
    )
    detail["单价（元）"] = detail["单价（元）"].map(float)
    out = result.excluded[["household_id", "street_name", "device_type", "verified_on", "原因"]]
    out = out.rename(
        columns={
            "household_id": "户号",
            "street_name": words["street"],
            "device_type": "设备类型",
            "verified_on": "验收日期",
        }
    )
    residents = result.residents.copy()
    for c in ("应收（元）", "实收（元）"):
        residents[c] = residents[c].map(lambda v: None if v is None else float(v))
    notes = pd.DataFrame(
        {
            "说明": [
                f"项目：{programme_name}",
                f"结算期间：{result.period}（{'、'.join(result.months)}）",
                "口径：验收日期在期间内、抽查未判不合格、未选择不参加的安装；金额 = 单价 × 分担比例，"
                "按最大余数法分到分，各付款方金额之和等于合计。",
                "仅结算已验收月份" if result.accepted_months_only else "含未验收月份",
                *result.notes,
            ]
        }
    )
    wb = ws = None
    for name, frame in (
        ("结算汇总", summary),
        ("结算明细", detail),
        ("未结算", out),
        ("居民分担", residents),
        ("说明", notes),
    ):
        if wb is None:
            wb, ws = excel.new_workbook(name)
        else:
            ws = wb.create_sheet(name)
        if name == "结算汇总":  # its last row is the 合计 row: styled as one
            excel.write_table(ws, frame.iloc[:-1], formats=_FORMATS, total=frame.iloc[-1].to_dict())
        else:
            excel.write_table(ws, frame, formats=_FORMATS)
    return excel.save(wb)
