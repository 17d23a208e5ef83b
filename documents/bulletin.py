"""The 周通报 files: a Word bulletin (.docx) and the tables on Excel sheets (.xlsx).

`anju briefing` and the 周报 page's download buttons both call `docx_bytes` / `xlsx_bytes` on a
`data.reporting.briefing.Briefing`, so the files carry exactly the page's numbers. A street office's copy
is headed by the street office and says so; the district's by the programme's leading group.
"""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.styles import Alignment

from data.reporting import briefing, briefing_text
from data.reporting.briefing import Briefing
from data.store import clock
from documents import charts, excel
from documents.fonts import BODY_FONT, TITLE_FONT, docx_run

# Excel number format of each ranking column kind (data.reporting.briefing_text.RANKING_NUMBER_KINDS).
_FORMATS = {
    "count": excel.COUNT,
    "percent": excel.PERCENT,
    "signed": excel.SIGNED,
    "rank_change": excel.RANK_CHANGE,
}


def base_name(b: Briefing) -> str:
    """The programme's name without its trailing year bracket: '长宁区…报警器（2023）' → '长宁区…报警器'."""
    name = b.programme_name
    if name.endswith("）") and "（" in name:
        return name[: name.rindex("（")]
    return name


def _office_of(street: str) -> str:
    # A 街道 is run by its 办事处; a 镇, 乡 or 苏木 by its people's government.
    return f"{street}办事处" if street.endswith("街道") else f"{street}人民政府"


def issuer(b: Briefing) -> str:
    """Who issues this copy: the street office for a street's copy, else the leading group."""
    group = f"{base_name(b)}工作领导小组办公室"
    if b.is_street_copy:
        return "、".join(_office_of(s) for s in b.scope_label.split("、"))
    return group


def distribution(b: Briefing) -> tuple[str, str]:
    """The 报送 and 抄送 lines of the 版记 (who the copy goes up to, and across/down to)."""
    group = f"{base_name(b)}工作领导小组办公室"
    if b.is_street_copy:
        return f"{group}", "本辖区各社区（村）居委会、燃气企业"
    district = b.district_name or "区"
    return (
        f"{district}人民政府分管领导，领导小组组长、副组长",
        f"领导小组各成员单位，各{b.levels['street']}，燃气企业",
    )


def _street_word(headers: list[str], b: Briefing) -> list[str]:
    """The ranking's headers with 街镇 in the programme's own word (苏木镇 in a 旗)."""
    return [b.levels["street"] if h == "街镇" else h for h in headers]


def _street_keys(row: dict | None, b: Briefing) -> dict | None:
    """A 合计 row keyed like the renamed ranking (街镇 → the programme's word)."""
    if row is None:
        return None
    return {b.levels["street"] if k == "街镇" else k: v for k, v in row.items()}


def issue_number(b: Briefing) -> int:
    """第N期: the published issue's number, else the number it would take (the programme's
    issues count from 1, never the weeks reported so far)."""
    return b.issue_no or b.draft_issue_no


def _para(
    doc,
    text: str,
    size: float = 14,
    *,
    font: str = BODY_FONT,
    bold=False,
    align=None,
    indent: bool = False,
):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    p.paragraph_format.line_spacing = 1.4
    docx_run(p.add_run(text), font, size, bold)
    return p


def _page_number_footer(section) -> None:
    # "— 1 —" centred at the foot of every page (GB/T 9704 页码), as a live PAGE field.
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_run(p.add_run("— "), BODY_FONT, 14)
    run = docx_run(p.add_run(), BODY_FONT, 14)
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    docx_run(p.add_run(" —"), BODY_FONT, 14)


def _table(doc, headers: list[str], rows: list[list[str]], total: list[str] | None) -> None:
    body = rows + ([total] if total else [])
    table = doc.add_table(rows=1 + len(body), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, text in enumerate(headers):
        cell = table.cell(0, j)
        cell.text = ""
        docx_run(cell.paragraphs[0].add_run(text), TITLE_FONT, 10.5, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, row in enumerate(body, start=1):
        is_total = total is not None and i == len(body)
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = ""
            docx_run(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5, bold=is_total)
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if j == 1 else WD_ALIGN_PARAGRAPH.CENTER
            )


def docx_bytes(b: Briefing, chart_png: bytes | None = None) -> bytes:
    """A Word 周通报: title, issue line, summary, ranking with 合计, chart, 报送/抄送, page numbers.

    `chart_png` reuses an already drawn burn-up (the page's); by default it is drawn here.
    """
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_number_footer(section)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, b.programme_name, 20, font=TITLE_FONT, align=centre)
    _para(doc, "工作周通报", 22, font=TITLE_FONT, bold=True, align=centre)
    if b.is_street_copy:
        _para(doc, f"（{b.scope_label}）", 16, font=TITLE_FONT, align=centre)
    _para(
        doc,
        f"第{issue_number(b)}期　　{issuer(b)}　　{briefing_text.cn_date(b.as_of)}",
        14,
        align=centre,
    )
    if b.is_demo:
        warn = _para(doc, "（演示数据，非真实工作数据）", 12, align=centre)
        warn.runs[0].font.color.rgb = RGBColor(0xC0, 0x39, 0x2B)

    _para(doc, "一、总体进展", 16, font=TITLE_FONT)
    _para(doc, briefing_text.summary(b), 14, indent=True)

    _para(doc, f"二、{b.levels['street']}排名", 16, font=TITLE_FONT)
    _para(
        doc,
        "按安装完成率排名；较计划为已安装户数减去计划应完成户数，负数为落后；"
        "较上周、较上月为名次变化（↑上升，↓下降）"
        + (
            f"；名次为在{b.levels['district']}的名次。"
            if b.is_street_copy
            else "；合计行的完成率、整改率按合计数计算。"
        ),
        12,
        indent=True,
    )
    _table(
        doc,
        _street_word(list(briefing_text.RANKING_COLUMNS.values()), b),
        briefing_text.ranking_rows(b),
        briefing_text.ranking_total_row(b),
    )
    note = briefing_text.total_note(b)
    if note:
        _para(doc, f"注：{note}", 10.5)
    _monthly_section(doc, b)

    _para(doc, "三、进度图", 16, font=TITLE_FONT)
    doc.add_picture(io.BytesIO(chart_png or burnup_png(b)), width=Cm(15.5))
    doc.paragraphs[-1].alignment = centre
    p = b.projection
    f = None if b.forecast is None else b.forecast.whole
    if f is None:
        drawn = (
            f"点线为按近{briefing.PROJECTION_WEEKS}周（{p.window_start.month}月"
            f"{p.window_start.day}日至{p.window_end.month}月{p.window_end.day}日）平均速度的预测。"
        )
    else:
        drawn = (
            f"点线为按{briefing_text.METHOD_NAMES['zh'][f.method]}的预测，阴影为其80%区间"
            "（按工作日推算，已扣除周末、法定节假日并计入调休）。"
        )
    _para(
        doc,
        f"注：实线为实际安装户数，虚线为计划（安装阶段按日线性），{drawn}"
        f"数据截至{briefing_text.cn_date(b.as_of)}，{briefing_text.basis(b)}。",
        10.5,
    )
    if f is not None:
        _para(doc, briefing_text.forecast_check(f), 10.5)
    # 版记: 报送 / 抄送, then the issuing office and date.
    report_to, copy_to = distribution(b)
    _para(doc, "", 10.5)
    _para(doc, f"报送：{report_to}。", 14)
    _para(doc, f"抄送：{copy_to}。", 14)
    _para(doc, f"{issuer(b)}　　{briefing_text.cn_date(b.as_of)}印发", 14)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# 月排名 columns the Word page holds legibly; the .xlsx 月排名 sheet keeps every month.
MONTHLY_WORD_MONTHS = 6


def monthly_table(b: Briefing) -> tuple[list[str], list[list[str]]]:
    """The 月排名 as Word prints it: 街镇 and the last months' month-end ranks (— when unranked)."""
    months = [c for c in b.monthly.columns if c != "street_name"][-MONTHLY_WORD_MONTHS:]
    years = {m[:4] for m in months}
    heads = [f"{int(m[5:])}月" if len(years) == 1 else f"{m[:4]}年{int(m[5:])}月" for m in months]
    rows = [
        [str(r["street_name"]), *("—" if pd.isna(r[m]) else str(int(r[m])) for m in months)]
        for _, r in b.monthly.iterrows()
    ]
    return [b.levels["street"], *heads], rows


def _monthly_section(doc, b: Briefing) -> None:
    # Seed 001 asks for 周通报、月排名: the month-end ranks follow the week's ranking.
    headers, rows = monthly_table(b)
    if not rows or len(headers) < 2:
        return
    _para(doc, "月排名", 14, font=TITLE_FONT, bold=True)
    _para(
        doc,
        "各月月末按安装完成率的名次"
        + ("（本月为截至统计日期）" if b.monthly.columns[-1] == b.as_of.strftime("%Y-%m") else "")
        + f"；列出最近{len(headers) - 1}个月，各月全部名次见 Excel 月排名表。",
        12,
        indent=True,
    )
    _table(doc, headers, rows, None)


def burnup_png(b: Briefing) -> bytes:
    """The bulletin's burn-up chart as PNG bytes."""
    return charts.png_bytes(charts.burnup_figure(b))


KPI_LABELS = {
    "target": "目标户数",
    "surveyed": "已排摸",
    "installed": "已安装",
    "verified": "已验收",
    "completion": "完成率",
    "plan": "计划进度",
    "gap_to_plan": "较计划（户）",
    "hazards_open": "隐患未整改（户）",
    "gas_cut": "停气中（户）",
    "refused": "拒绝安装（户）",
}
_SHARES = ("completion", "plan")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _finish_cell(b: Briefing) -> str:
    """The 说明 sheet's finish date: the forecast's with its 80 % range, else the line's."""
    p = b.projection
    if b.forecast is None:
        return p.finish_on.isoformat() if p.finish_on else "按此速度无法完成"
    f = b.forecast.whole
    if f.finish_date is None:
        return "按当前走势三年内难以完成"
    low = f.finish_low.isoformat() if f.finish_low else "—"
    high = f.finish_high.isoformat() if f.finish_high else "三年后"
    method = briefing_text.METHOD_NAMES["zh"][f.method]
    return f"{f.finish_date.isoformat()}（80%区间 {low} 至 {high}，{method}）"


def kpi_frame(b: Briefing) -> pd.DataFrame:
    """The KPI cards as a table: value now, a week ago and the change (shares as fractions)."""
    rows = []
    for key, label in KPI_LABELS.items():
        now, before = b.kpis[key], b.kpis_week_ago[key]
        if key in _SHARES:
            rows.append([label, round(now, 4), round(before, 4), round(now - before, 4)])
        else:
            rows.append([label, int(now), int(before), int(now - before)])
    return pd.DataFrame(rows, columns=["指标", "本周", "上周", "周变化"])


def xlsx_bytes(b: Briefing) -> bytes:
    """The bulletin's tables on sheets: 摘要, 街镇排名 (with 合计), 月排名, 周进度, 说明.

    Every count, share and change is an Excel number with a number format.
    """
    p = b.projection
    wb, ws = excel.new_workbook("摘要")
    ws.cell(1, 1, "周通报摘要")
    excel.style_header(ws, 1, 1)
    ws.cell(2, 1, briefing_text.summary(b)).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 150
    kpis = kpi_frame(b)
    excel.write_table(ws, kpis, start_row=4, freeze=False)
    for r, key in enumerate(KPI_LABELS, start=5):
        share = key in _SHARES
        for c in (2, 3, 4):
            signed = c == 4 or key == "gap_to_plan"
            ws.cell(r, c).number_format = (
                ("+0.0%;-0.0%;0.0%" if signed else excel.PERCENT)
                if share
                else (excel.SIGNED if signed else excel.COUNT)
            )
    ws.column_dimensions["A"].width = 100

    ranking = briefing_text.ranking_values(b)
    rank_formats = {
        briefing_text.RANKING_COLUMNS[k]: _FORMATS[kind]
        for k, kind in briefing_text.RANKING_NUMBER_KINDS.items()
    }
    excel.write_table(
        wb.create_sheet(f"{b.levels['street']}排名"),
        ranking.rename(columns={"街镇": b.levels["street"]}),
        formats=rank_formats,
        total=_street_keys(briefing_text.ranking_total(b), b),
    )
    monthly = b.monthly.rename(columns={"street_name": b.levels["street"]})
    excel.write_table(
        wb.create_sheet("月排名"),
        monthly,
        formats={c: excel.COUNT for c in monthly.columns if c != b.levels["street"]},
    )
    # Weeks end on Friday, but the last point is the statistics day, whatever its weekday:
    # each row says its own.
    weekly = b.series.rename(
        columns={
            "week_end": "截止日期",
            "surveyed": "已排摸",
            "installed": "已安装",
            "verified": "已验收",
            "plan_installed": "计划应完成",
        }
    ).drop(columns=["plan"])
    weekly.insert(1, "星期", [WEEKDAYS[pd.Timestamp(d).weekday()] for d in weekly["截止日期"]])
    excel.write_table(
        wb.create_sheet("周进度"),
        weekly,
        formats={c: excel.COUNT for c in weekly.columns if c not in ("截止日期", "星期")},
    )
    excel.about_sheet(
        wb,
        {
            "项目": b.programme_name,
            "范围": b.scope_label
            or f"{b.district_name or b.levels['district']}（全部{b.levels['street']}）",
            "发文单位": issuer(b),
            "统计日期": b.as_of.isoformat(),
            "数据": "演示数据（合成）" if b.is_demo else "正式数据",
            "口径": briefing_text.basis(b),
            "预测": f"近{briefing.PROJECTION_WEEKS}周（{p.window_start}至{p.window_end}）"
            f"平均每周安装 {p.weekly_installs:,} 户",
            "预计完成": _finish_cell(b),
            "按期需每周安装": "—" if p.needed_weekly is None else f"{p.needed_weekly:,}",
            "合计行": (
                f"完成率、隐患整改率按合计数计算（非各{b.levels['street']}比率的平均）；"
                + (briefing_text.total_note(b) or f"较计划合计即{b.levels['district']}较计划。")
            )
            if briefing_text.ranking_total(b)
            else f"单一{b.levels['street']}，无合计行",
            "导出时间": clock.now().strftime("%Y-%m-%d %H:%M"),
        },
    )
    return excel.save(wb)
