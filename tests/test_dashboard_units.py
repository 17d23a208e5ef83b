"""Small UI helpers: labels in both languages, Chinese number formats, Excel export."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd

from dashboard import exports, format, i18n


def test_every_label_has_both_languages() -> None:
    missing = [k for k, v in i18n.LABELS.items() if not v.get("zh") or not v.get("en")]
    assert missing == []
    assert i18n.t("kpi.target") == "目标户数"
    assert i18n.t("kpi.target", "en") == "Target"
    assert i18n.t("no.such.key") == "no.such.key"


def test_every_locale_file_is_in_the_labels() -> None:
    # The labels are read from dashboard/locale/*.toml; a file there that no loader reads would
    # be texts nobody sees, and the package data must ship them all.
    locale = Path(i18n.__file__).resolve().parent / "locale"
    files = sorted(locale.glob("*.toml"))
    assert len(files) >= 5
    for path in files:
        with path.open("rb") as fh:
            part = tomllib.load(fh)
        assert part and all(i18n.LABELS[k] == v for k, v in part.items()), path.name
    assert sum(len(tomllib.loads(p.read_text("utf-8"))) for p in files) == len(i18n.LABELS)


def test_number_formats() -> None:
    assert format.count(6460) == "6,460"
    assert format.count(None) == "—"
    assert format.pct(0.47214) == "47.2%"
    assert format.pct(float("nan")) == "—"
    assert format.signed_count(-116) == "-116"
    assert format.signed_count(1104) == "+1,104"
    assert format.signed_pp(-0.0181) == "-1.8 个百分点"


def test_excel_export_round_trip() -> None:
    table = pd.DataFrame(
        {"街道": ["华阳路街道", "江苏路街道"], "目标户数": [800, 520], "完成率": [62.0, 58.1]}
    )
    data = exports.excel_bytes(table, "覆盖地图", {"项目": "测试项目", "统计日期": "2023-07-14"})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["覆盖地图", "说明"]
    ws = wb["覆盖地图"]
    assert [c.value for c in ws[1]] == ["街道", "目标户数", "完成率"]
    # The page shows 62.0 (percentage points); Excel holds the share 0.62 under a % format.
    assert [c.value for c in ws[2]] == ["华阳路街道", 800, 0.62]
    assert [ws["B2"].number_format, ws["C2"].number_format] == ["#,##0", "0.0%"]
    assert ws.freeze_panes == "A2"
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2)}
    assert about["项目"] == "测试项目" and "导出时间" in about
