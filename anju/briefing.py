"""The 周通报 files: a Word bulletin (.docx) and the tables on Excel sheets (.xlsx).

`anju briefing --db PATH --programme ID --as-of DATE --out FILE` and the 周报 page's download
buttons both call `docx_bytes` / `xlsx_bytes` on a `data.briefing.Briefing`, so the files carry
exactly the page's numbers.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from anju import charts
from data import briefing, clock, excel_safe
from data.briefing import Briefing

# Fonts of Chinese government documents (GB/T 9704) as found on Windows: 黑体 for the title
# (方正小标宋 is rarely installed), 仿宋 for the body. Set as w:eastAsia so Word uses them for
# Chinese; Word substitutes its own CJK face where they are missing, never boxes.
TITLE_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
ISSUER = "区领导小组办公室"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def _para(
    doc,
    text: str,
    size: float = 14,
    *,
    font: str = BODY_FONT,
    bold: bool = False,
    align=None,
    indent: bool = False,
):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    p.paragraph_format.line_spacing = 1.4
    _font(p.add_run(text), font, size, bold)
    return p


def issue_number(b: Briefing) -> int:
    """第N期: the published issue's number, else the weeks reported so far (a draft)."""
    return b.issue_no or max(1, len(b.series))


def docx_bytes(b: Briefing, chart_png: bytes | None = None) -> bytes:
    """A Word 周通报: title, issue and date, summary, ranking table, burn-up chart.

    `chart_png` reuses an already drawn burn-up (the page's); by default it is drawn here.
    """
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _para(doc, f"{b.programme_name}", 20, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "工作周通报", 22, font=TITLE_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        f"第{issue_number(b)}期　　{ISSUER}　　{briefing.cn_date(b.as_of)}",
        14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    if b.is_demo:
        warn = _para(doc, "（演示数据，非真实工作数据）", 12, align=WD_ALIGN_PARAGRAPH.CENTER)
        warn.runs[0].font.color.rgb = RGBColor(0xC0, 0x39, 0x2B)

    _para(doc, "一、总体进展", 16, font=TITLE_FONT)
    _para(doc, briefing.summary(b), 14, indent=True)

    _para(doc, "二、街镇排名", 16, font=TITLE_FONT)
    _para(
        doc,
        "按安装完成率排名；较计划为已安装户数减去计划应完成户数，负数为落后；"
        "较上周、较上月为名次变化（↑上升，↓下降）。",
        12,
        indent=True,
    )
    headers = list(briefing.RANKING_COLUMNS.values())
    rows = briefing.ranking_rows(b)
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, text in enumerate(headers):
        cell = table.cell(0, j)
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), TITLE_FONT, 10.5, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if j == 1 else WD_ALIGN_PARAGRAPH.CENTER
            )

    _para(doc, "三、进度图", 16, font=TITLE_FONT)
    doc.add_picture(io.BytesIO(chart_png or burnup_png(b)), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = b.projection
    _para(
        doc,
        f"注：实线为实际安装户数，虚线为计划（安装阶段按日线性），点线为按近"
        f"{briefing.PROJECTION_WEEKS}周（{p.window_start.month}月{p.window_start.day}日至"
        f"{p.window_end.month}月{p.window_end.day}日）平均速度的预测。"
        f"数据截至{briefing.cn_date(b.as_of)}，{briefing.basis(b)}。",
        10.5,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def burnup_png(b: Briefing) -> bytes:
    """The bulletin's burn-up chart as PNG bytes."""
    return charts.png_bytes(charts.burnup_figure(b))


def kpi_frame(b: Briefing) -> pd.DataFrame:
    """The KPI cards as a table: value now, a week ago and the change."""
    labels = {
        "target": "目标户数",
        "surveyed": "已排摸",
        "installed": "已安装",
        "verified": "已验收",
        "completion": "完成率（%）",
        "plan": "计划进度（%）",
        "gap_to_plan": "较计划（户）",
        "hazards_open": "隐患未整改（户）",
        "gas_cut": "停气中（户）",
        "refused": "拒绝安装（户）",
    }
    rows = []
    for key, label in labels.items():
        now, before = b.kpis[key], b.kpis_week_ago[key]
        scale = 100 if key in ("completion", "plan") else 1
        rows.append(
            [
                label,
                round(now * scale, 1),
                round(before * scale, 1),
                round((now - before) * scale, 1),
            ]
        )
    return pd.DataFrame(rows, columns=["指标", "本周", "上周", "周变化"])


def xlsx_bytes(b: Briefing) -> bytes:
    """The bulletin's tables on sheets: 摘要, 街镇排名, 月排名, 周进度, 说明."""
    p = b.projection
    ranking = pd.DataFrame(
        briefing.ranking_rows(b), columns=list(briefing.RANKING_COLUMNS.values())
    )
    weekly = b.series.rename(
        columns={
            "week_end": "周末（周五）",
            "surveyed": "已排摸",
            "installed": "已安装",
            "verified": "已验收",
            "plan_installed": "计划应完成",
        }
    ).drop(columns=["plan"])
    about = pd.DataFrame(
        [
            ["项目", b.programme_name],
            ["范围", b.scope_label or "全区"],
            ["统计日期", b.as_of.isoformat()],
            ["数据", "演示数据（合成）" if b.is_demo else "正式数据"],
            ["口径", briefing.basis(b)],
            [
                "预测",
                f"近{briefing.PROJECTION_WEEKS}周（{p.window_start}至{p.window_end}）"
                f"平均每周安装 {p.weekly_rate:,.0f} 户",
            ],
            ["预计完成", p.finish_on.isoformat() if p.finish_on else "按此速度无法完成"],
            ["按期需每周安装", f"{p.needed_weekly:,.0f}" if p.needed_weekly else "—"],
            ["导出时间", clock.now().strftime("%Y-%m-%d %H:%M")],
        ],
        columns=["项目", "内容"],
    )
    summary = pd.DataFrame([[briefing.summary(b)]], columns=["周通报摘要"])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        summary.to_excel(xw, sheet_name="摘要", index=False)
        kpi_frame(b).to_excel(xw, sheet_name="摘要", index=False, startrow=3)
        ranking.to_excel(xw, sheet_name="街镇排名", index=False)
        b.monthly.rename(columns={"street_name": "街镇"}).to_excel(
            xw, sheet_name="月排名", index=False
        )
        weekly.to_excel(xw, sheet_name="周进度", index=False)
        about.to_excel(xw, sheet_name="说明", index=False)
        for ws in xw.sheets.values():
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
                cell.alignment = Alignment(horizontal="center", wrap_text=True)
            for idx in range(1, ws.max_column + 1):
                ws.column_dimensions[get_column_letter(idx)].width = 14
        xw.sheets["摘要"].column_dimensions["A"].width = 100
        xw.sheets["摘要"]["A2"].alignment = Alignment(wrap_text=True, vertical="top")
        xw.sheets["摘要"].row_dimensions[2].height = 150
        xw.sheets["说明"].column_dimensions["B"].width = 80
        excel_safe.neutralise(xw.book)
    return buf.getvalue()


def write(b: Briefing, out: str | Path) -> Path:
    """Write the bulletin to `out`: .docx (Word 周通报) or .xlsx (tables on sheets)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".docx":
        data = docx_bytes(b)
    elif suffix == ".xlsx":
        data = xlsx_bytes(b)
    else:
        raise ValueError(f"不支持的输出格式 {out.suffix!r}：请使用 .docx 或 .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def run(
    db: str | Path,
    programme_id: str,
    as_of: date | None,
    out: str | Path,
    *,
    as_published: bool = False,
    publish_as: str | None = None,
    issue: int | None = None,
) -> dict:
    """Compute the briefing from a database file and write it; return what was written.

    By business date as known now; `as_published`: as known at the end of `as_of`;
    `publish_as`: issue it as the next 第N期 (by that user); `issue`: re-show a published one.
    """
    from data import bulletins
    from data.connection import connect

    con = connect(db)
    try:
        fetch = briefing.fetcher(con, None)
        known = set(fetch("programmes")["programme_id"])
        if programme_id not in known:
            raise ValueError(
                f"数据库中没有工作项目 {programme_id!r}；可选：{', '.join(sorted(known))}"
            )
        if issue is not None:
            stored = bulletins.issue(con, programme_id, issue)
            if stored is None:
                raise ValueError(f"项目 {programme_id} 没有第{issue}期周通报")
            b = bulletins.reshow(fetch, stored)
        elif publish_as:
            done = bulletins.publish(con, programme_id, as_of, publish_as)
            b = bulletins.reshow(fetch, bulletins.issue(con, programme_id, done["issue_no"]))
        else:
            b = briefing.build(fetch, programme_id, as_of, known_at=as_of if as_published else None)
    finally:
        con.close()
    path = write(b, out)
    return {
        "out": str(path),
        "as_of": b.as_of.isoformat(),
        "issue_no": b.issue_no,
        "known_at": b.known_at.isoformat() if b.known_at else None,
        "summary": briefing.summary(b),
    }


def _command(args) -> int:
    import json

    if args.as_of is None and args.issue is None:
        print("错误：请给出 --as-of 统计日期，或用 --issue 重现已发布的一期", file=sys.stderr)
        return 2
    try:
        result = run(
            args.db,
            args.programme,
            date.fromisoformat(args.as_of) if args.as_of else None,
            args.out,
            as_published=args.as_published,
            publish_as=args.publish_as,
            issue=args.issue,
        )
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def register(sub) -> None:
    """Add `anju briefing` to the CLI's sub-commands."""
    b = sub.add_parser("briefing", help="生成周通报：Word（.docx）或 Excel（.xlsx）")
    b.add_argument("--db", required=True, help="数据库文件")
    b.add_argument("--programme", required=True, help="工作项目编号，如 changning_2023")
    b.add_argument("--as-of", help="统计日期 YYYY-MM-DD（默认按业务日期统计，含此后补录的记录）")
    b.add_argument("--out", required=True, help="输出文件：.docx 或 .xlsx")
    b.add_argument(
        "--as-published", action="store_true", help="按当日结束前已录入的记录统计（当时口径）"
    )
    b.add_argument("--publish-as", metavar="USER", help="以此账号发布为下一期（第N期）并保存")
    b.add_argument("--issue", type=int, help="重现已发布的第N期（按其发布时已录入的记录）")
    b.set_defaults(func=_command)
