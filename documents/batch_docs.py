"""Documents of a batch: the 花名册 (Excel) for the gas company and the 确认单 (Word) per household.

Seed 002 (乌审旗): each installation is confirmed on a slip signed by the community secretary,
the grid worker, the installer and the resident. Both documents take frames already masked or
not by the caller (the page applies the user's unmask choice).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm
from openpyxl.styles import Font

import queries
from documents import excel
from documents.fonts import BODY_FONT as BODY
from documents.fonts import TITLE_FONT as TITLE
from documents.fonts import docx_run

ROSTER_SHEET = "花名册"
_WIDTHS = {
    "序号": 6,
    "户号": 12,
    "地址": 36,
    "定位": 6,
    "设备类型": 40,
    "联系电话": 14,
    "计划日期": 12,
}


@dataclass(frozen=True)
class BatchPapers:
    """The Chinese words of one batch's papers: titles, the 说明 sheet and file names."""

    programme: str
    street_word: str  # 街镇 / 苏木镇 / 乡镇, as the programme names its level
    street: str
    label: str
    households: int

    def about(self, full: bool = False) -> dict[str, str]:
        """The roster's 说明 sheet; the 下发版 says it carries full details."""
        out = {
            "项目": self.programme,
            self.street_word: self.street,
            "批次": self.label,
            "户数": str(self.households),
        }
        return out | ({"版本": "下发版（完整信息），仅供燃气公司安装使用"} if full else {})

    def title(self, full: bool = False) -> str:
        """安装花名册's title row."""
        return f"{self.street} {self.label} 安装花名册" + ("（下发版）" if full else "")

    def file_name(self, paper: str, full: bool = False) -> str:
        """花名册_… .xlsx, 花名册_下发版_… .xlsx or 确认单_… .docx."""
        if paper == "slips":
            return f"确认单_{self.street}_{self.label}.docx"
        return f"花名册_{'下发版_' if full else ''}{self.street}_{self.label}.xlsx"


def roster_xlsx(table: pd.DataFrame, title: str, about: dict[str, str]) -> bytes:
    """The roster as .xlsx: a title row, the header on row 2 (frozen), thin borders, a 说明 sheet."""
    wb, ws = excel.new_workbook(ROSTER_SHEET)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(table.columns)))
    excel.write_table(ws, table, start_row=2, fixed_widths=_WIDTHS)
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    excel.about_sheet(wb, about)
    return excel.save(wb)


def read_roster(data: bytes) -> pd.DataFrame:
    """Read a roster written by roster_xlsx back as text (tests, re-import); dates as ISO text."""
    back = pd.read_excel(
        io.BytesIO(data), sheet_name=ROSTER_SHEET, header=1, dtype=str, engine="openpyxl"
    )
    # 计划日期 is an Excel date; read as text it carries a midnight time the roster never had.
    return back.apply(
        lambda col: col.str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True)
    )


def slip_signers(settings: str | dict | None) -> tuple[str, ...]:
    """Who signs the programme's 确认单 (rules.confirmation_signatures); () when none is set.

    Only seed 002 (乌审旗) has four-party slips; seed 000 (长宁) verifies by the street and the
    gas company's monthly confirmation table, so its batches print the 花名册 alone.
    """
    data = json.loads(settings) if isinstance(settings, str) and settings else (settings or {})
    return tuple(str(s) for s in (data.get("rules") or {}).get("confirmation_signatures") or ())


def batch_papers(settings: str | dict | None) -> tuple[str, ...]:
    """The papers a programme's batch prints: the 花名册, and the 确认单 where the rules ask."""
    return (ROSTER_SHEET, *(("确认单",) if slip_signers(settings) else ()))


# Who signs (seed 002 七): the community secretary — a village's party secretary (村支书) in a
# village or 嘎查 — the grid worker, the gas company's installer and the resident.
SIGNERS = ("社区书记", "网格员", "安装人员", "居民")
VILLAGE_SIGNERS = ("村支书", "网格员", "安装人员", "居民")
SLIP_TITLE = "燃气技防设施安装确认单"
_VILLAGE = ("村", "嘎查")
_RESIDENT_PAYERS = ("居民", "居民用户", "用户")
GAS_TYPE_KEYS = {"管道天然气": "piped", "液化气": "lpg", "无燃气": "none"}


@dataclass(frozen=True)
class Device:
    """One device set a programme installs: its name, items and price per household."""

    name: str
    gas_type: str
    items: tuple[str, ...]
    unit_price: Decimal | None


@dataclass(frozen=True)
class SlipTerms:
    """What the 确认单 itemises and charges: device sets by gas type and who pays which share."""

    devices: tuple[Device, ...] = ()
    shares: tuple[tuple[str, float], ...] = ()  # (payer, share of the device price)

    def for_gas(self, gas_type: str | None) -> list[Device]:
        """The sets installed for a household of this gas type ('any' sets for everyone)."""
        return [d for d in self.devices if d.gas_type in (gas_type, "any")]

    @property
    def resident_share(self) -> float:
        """The residents' share of the price (seed 002: 0.3), 0 when they pay nothing."""
        return sum(share for payer, share in self.shares if payer in _RESIDENT_PAYERS)


def slip_terms(con, programme_id: str) -> SlipTerms:
    """The programme's device sets (with items) and device cost shares, for the 确认单."""
    devices = queries.run(con, "programme_devices", programme_id=programme_id)
    shares = queries.run(con, "cost_shares", programme_id=programme_id)
    return SlipTerms(
        tuple(
            Device(
                r.name,
                r.gas_type,
                _items(r.items) or (r.name,),
                None if pd.isna(r.unit_price_cny) else Decimal(str(r.unit_price_cny)),
            )
            for r in devices.itertuples()
            if isinstance(r.device_type, str)
        ),
        tuple((r.payer, float(r.share)) for r in shares.itertuples() if r.item == "device"),
    )


def _items(value: object) -> tuple[str, ...]:
    # A VARCHAR[] comes back as a list or array; NULL as None or pd.NA.
    if isinstance(value, str) or not hasattr(value, "__len__"):
        return ()
    return tuple(str(v) for v in value)


def _yuan(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


def is_village(community: object) -> bool:
    """Whether a community is a village (村/嘎查): its slip is signed by the 村支书."""
    return isinstance(community, str) and community.strip().endswith(_VILLAGE)


def signers(community: object) -> tuple[str, ...]:
    """The four who sign this household's slip (seed 002 七)."""
    return VILLAGE_SIGNERS if is_village(community) else SIGNERS


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _row(table, cells: list[tuple[str, bool]], merge_from: int | None = None) -> None:
    row = table.add_row().cells
    if merge_from is not None:
        row[merge_from].merge(row[-1])
    for cell, (text, bold) in zip(row, cells, strict=False):
        docx_run(cell.paragraphs[0].add_run(text), BODY, 11, bold)


def confirmation_slips(
    table: pd.DataFrame,
    programme_name: str,
    batch_label: str,
    terms: SlipTerms | None = None,
) -> bytes:
    """One A4 page per household, as seed 002's 附件 燃气技防设施安装确认单 has it.

    户号 and the household, the devices itemised, the price and the resident's own share, and
    four signatures (社区书记 — or 村支书 in a village —, 网格员, 安装人员, 居民). `table` has the
    roster columns, masked or not by the caller: only roles allowed to unmask print names.
    """
    terms = terms or SlipTerms()
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    records = table.to_dict("records")
    for i, rec in enumerate(records):
        head = doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        docx_run(head.add_run(SLIP_TITLE), TITLE, 18, bold=True)
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        docx_run(
            sub.add_run(f"{programme_name}　批次 {batch_label}　第 {rec['序号']} 户"), BODY, 10
        )

        info = doc.add_table(rows=0, cols=4)
        info.style = "Table Grid"
        info.alignment = WD_TABLE_ALIGNMENT.CENTER
        for a, b, c, d in (
            ("户号", rec.get("户号"), "燃气类型", rec.get("燃气类型")),
            ("街道（镇）", rec.get("街道"), "社区（村）", rec.get("社区")),
            ("住户姓名", rec.get("姓名"), "联系电话", rec.get("联系电话")),
        ):
            _row(info, [(a, True), (_text(b), False), (c, True), (_text(d), False)])
        _row(info, [("地址", True), (_text(rec.get("地址")), False)], merge_from=1)
        # How well the address is placed (楼栋 … 社区): a 社区-only household is found by asking.
        _row(info, [("定位", True), (_text(rec.get("定位")), False)], merge_from=1)
        _row(
            info,
            [
                ("计划日期", True),
                (_text(rec.get("计划日期")), False),
                ("实际安装日期", True),
                ("", False),
            ],
        )

        devices = terms.for_gas(GAS_TYPE_KEYS.get(_text(rec.get("燃气类型"))))
        doc.add_paragraph()
        items = doc.add_table(rows=1, cols=4)
        items.style = "Table Grid"
        items.alignment = WD_TABLE_ALIGNMENT.CENTER
        for j, text in enumerate(("序号", "安装项目", "数量", "已安装（打√）")):
            docx_run(items.cell(0, j).paragraphs[0].add_run(text), BODY, 11, bold=True)
        listed = [item for d in devices for item in d.items] or [_text(rec.get("设备类型"))]
        for n, item in enumerate(listed, start=1):
            _row(items, [(str(n), False), (item, False), ("1", False), ("□", False)])

        prices = [d.unit_price for d in devices if d.unit_price is not None]
        if prices:
            total = sum(prices, Decimal(0))
            own = total * Decimal(str(terms.resident_share))
            split = "，".join(f"{p} {share * 100:g}%" for p, share in terms.shares)
            money = doc.add_paragraph()
            docx_run(
                money.add_run(
                    f"费用：{_yuan(total)} 元/户（含设备与安装）；居民自付 "
                    f"{terms.resident_share * 100:g}%：{_yuan(own)} 元"
                    + (f"（分担比例：{split}）" if split else "")
                    + "。"
                ),
                BODY,
                11,
            )
        note = doc.add_paragraph()
        docx_run(
            note.add_run(
                "经现场确认，上述住户已按要求安装以上燃气技防设施，并完成安全检查与使用告知。"
            ),
            BODY,
            11,
        )
        who = signers(rec.get("社区"))
        sign = doc.add_table(rows=3, cols=len(who))
        sign.style = "Table Grid"
        sign.alignment = WD_TABLE_ALIGNMENT.CENTER
        for j, name in enumerate(who):
            docx_run(sign.cell(0, j).paragraphs[0].add_run(f"{name}（签字）"), BODY, 11, bold=True)
            sign.cell(1, j).paragraphs[0].add_run("\n\n\n")  # room for a handwritten signature
            docx_run(sign.cell(2, j).paragraphs[0].add_run("日期：____年__月__日"), BODY, 10)
        if i < len(records) - 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))
