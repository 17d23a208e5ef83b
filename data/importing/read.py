"""Files → raw rows: type and size checked from the bytes, header found, Excel row numbers kept.

Accepts .xlsx / .xls (python-calamine) and .csv (UTF-8, UTF-8 with BOM, GBK/GB18030). Title rows
above the header, two-row merged headers, 合计/小计 rows and blank rows are handled here so the
importers only ever see data rows, each with the row number Excel shows for it.
"""

from __future__ import annotations

import csv
import io
import pickle
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from data.importing import html_tables, xlsx_parts
from data.messages import UserError, Words

# A 100,000-row roster is ~5 MB as .xlsx: 50 MB is ample for one import, and refusing bigger
# files keeps one upload from holding the server's memory.
MAX_BYTES = 50 * 1024 * 1024
# Limits checked before (or while) a file is parsed, so that no file can hold the server's
# memory or time: a 5 KB workbook with one cell at XFD1048576 makes calamine allocate 512 GB and
# abort the process. Real rosters are far inside them (seed 004's table has 26 columns).
MAX_ROWS = 200_000
MAX_COLS = 256
MAX_CELLS = 10_000_000
MAX_FIELD_CHARS = 32_767  # Excel's own limit for one cell
MAX_LINE_CHARS = MAX_COLS * 4_096  # one physical CSV line
MAX_UNZIPPED = 400 * 1024 * 1024  # all parts of an .xlsx, decompressed (a zip bomb stops here)
# Excel files are parsed in a child process with its own memory and time limit: a library that
# aborts (calamine does on allocation failure) takes down only that child.
WORKER_MEMORY = 3 * 1024 * 1024 * 1024
WORKER_SECONDS = 180
HEADER_SCAN_ROWS = 30  # title rows (表名、填报单位) seldom take more than a handful
SEP = "»"  # joins a two-row header's parent and child ("/" occurs inside real column names)
_NOTE = re.compile(r"\s*(备注|注|说明)\s*[:：]")
_TOTAL = re.compile(r"^\s*(合\s*计|小\s*计|总\s*计|共\s*计)")

_IMAGE_MAGIC = {
    b"\x89PNG": Words("PNG 图片", "a PNG image"),
    b"\xff\xd8\xff": Words("JPEG 图片", "a JPEG image"),
    b"GIF8": Words("GIF 图片", "a GIF image"),
    b"%PDF": Words("PDF 文件", "a PDF file"),
    b"BM": Words("BMP 图片", "a BMP image"),
}


class ReadError(ValueError):
    """The file itself cannot be read: nothing is imported and the message says why (Chinese)."""


class FileRefused(UserError, ReadError):
    """A ReadError from the message catalogue, so the import page can show it in English too."""


@dataclass
class RawTable:
    """A sheet as the importer sees it: flattened column names and data rows with Excel numbers."""

    file_name: str
    sheet: str
    header_rows: list[int]  # Excel row numbers the header came from (1 or 2 rows)
    columns: list[str]  # flattened names; a two-row header gives "上级»下级"
    rows: list[tuple[int, list[object]]]  # (Excel row number, values aligned to columns)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why) totals etc.
    sheets: list[str] = field(default_factory=list)


def sniff(file_name: str, data: bytes) -> str:
    """The file's real type from its bytes ('xlsx', 'xls', 'csv'); refuse anything else."""
    if len(data) == 0:
        raise FileRefused("import.empty", file=file_name)
    if len(data) > MAX_BYTES:
        raise FileRefused(
            "import.too_large",
            file=file_name,
            mb=f"{len(data) / 1024 / 1024:.0f}",
            limit=MAX_BYTES // 1024 // 1024,
        )
    for magic, what in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            raise FileRefused("import.not_table", file=file_name, what=what)
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise FileRefused("import.damaged", file=file_name, detail=str(exc)) from exc
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        raise FileRefused("import.zip_not_excel", file=file_name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<table" in head:
        # Many government systems export "xls" that is really an HTML table.
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("import.binary", file=file_name)
    return "csv"


def decode_text(file_name: str, data: bytes) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (⊇ GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("import.encoding", file=file_name)


_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)([0-9]+)"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_big(file_name: str, rows: int, cols: int, where: str = "") -> None:
    """Refuse a sheet whose used area is beyond the limits (the message says how to fix it)."""
    if cols > MAX_COLS:
        raise ReadError(
            f"{file_name}：{where}列数过多（{cols:,} 列，上限 {MAX_COLS} 列），未导入。"
            "请删除表格右侧多余的列（含空白但有格式的列）后再导入。"
        )
    if rows > MAX_ROWS + HEADER_SCAN_ROWS:
        raise ReadError(
            f"{file_name}：{where}行数过多（{rows:,} 行，单次导入上限 {MAX_ROWS:,} 行），未导入。"
            "请按街道或月份拆分后分别导入，或删除表格下方多余的行。"
        )
    if rows * cols > MAX_CELLS:
        raise ReadError(
            f"{file_name}：{where}单元格过多（{rows:,} 行 × {cols:,} 列，上限 {MAX_CELLS:,} 个），未导入。"
            "请拆分后分别导入。"
        )


def check_xlsx(file_name: str, data: bytes) -> None:
    """Before parsing: decompressed size of every part, and the far corner of every sheet.

    Reads the zip as a stream and stops at the limit, so a zip bomb (or a part whose declared
    size lies) costs at most MAX_UNZIPPED bytes of reading, never of memory.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileRefused("import.damaged", file=file_name, detail=str(exc)) from exc
    refusal = (
        f"{file_name}：解压后内容过大（超过 {MAX_UNZIPPED // 1024 // 1024} MB），"
        "可能是异常或恶意构造的文件，未导入。请用 Excel 打开另存为新文件，或拆分后再导入。"
    )
    if sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise ReadError(refusal)
    total = 0
    for info in infos:
        sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        max_row = max_col = 0
        try:
            with z.open(info) as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_UNZIPPED:
                        raise ReadError(refusal)
                    if not sheet:
                        continue
                    buf = tail + chunk
                    for letters in set(_CELL_REF.findall(buf)):
                        max_col = max(max_col, _col_number(letters[0]))
                        max_row = max(max_row, int(letters[1]))
                    rows = _ROW_REF.findall(buf)
                    if rows:
                        max_row = max(max_row, max(int(r) for r in rows))
                    tail = buf[-64:]
                    _too_big(file_name, max_row, max_col, "工作表")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
            raise FileRefused("import.damaged", file=file_name, detail=str(exc)) from exc
        except NotImplementedError as exc:  # e.g. an unsupported compression method
            raise ReadError(f"{file_name}：文件的压缩方式不受支持（{exc}）。") from exc


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    if isinstance(value, timedelta | time):
        return str(value)
    return value


def grid_excel(file_name: str, data: bytes, kind: str, sheet: str | None) -> tuple[str, list, list]:
    """Parse an Excel file in this process (only ever called inside the bounded worker)."""
    import python_calamine  # only the worker loads the library that can abort the process

    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types for broken files
        raise FileRefused("import.excel_damaged", file=file_name, detail=str(exc)) from exc
    names = list(wb.sheet_names)
    visible = [
        m.name for m in wb.sheets_metadata if str(m.visible).endswith("Visible") and m.name in names
    ] or names
    if sheet is not None and sheet not in names:
        raise FileRefused("import.no_sheet", file=file_name, sheet=sheet, sheets="、".join(names))
    chosen = sheet or visible[0]
    if kind == "xlsx":
        cells = xlsx_parts.formula_cells(data, chosen)
        if cells:
            raise ReadError(
                f"{file_name}：工作表「{chosen}」含公式（如 {'、'.join(cells[:3])} 单元格），"
                "公式结果可能随文件变化。请全选后「选择性粘贴 → 数值」，保存后再导入。"
            )
    ws = wb.get_sheet_by_name(chosen)
    _too_big(file_name, ws.height, ws.width, f"工作表「{chosen}」")
    grid = ws.to_python(skip_empty_area=False)
    return chosen, names, [[_cell(v) for v in row] for row in grid]


def _grid_excel(
    file_name: str, data: bytes, kind: str, sheet: str | None
) -> tuple[str, list, list]:
    """Parse an Excel file in a child process bounded in memory and time."""
    if kind == "xlsx":
        check_xlsx(file_name, data)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "data.importing.worker"],
            input=pickle.dumps((file_name, data, kind, sheet, WORKER_MEMORY)),
            capture_output=True,
            timeout=WORKER_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadError(
            f"{file_name}：读取超过 {WORKER_SECONDS} 秒仍未完成，已停止，未导入。"
            "请用 Excel 打开另存为新文件，或拆分后再导入。"
        ) from exc
    if done.returncode == 0 and done.stdout:
        status, payload = pickle.loads(done.stdout)  # our own child's answer, not the file's
        if status == "ok":
            return payload
        if status == "refused":  # a catalogue message: key and fields, so it shows in English too
            raise FileRefused(payload[0], **payload[1])
        raise ReadError(payload)
    raise ReadError(
        f"{file_name}：文件无法安全读取（读取进程异常退出，代码 {done.returncode}），未导入。"
        "文件可能已损坏或为异常构造；请用 Excel 打开另存为新文件后再导入。"
    )


def _lines(file_name: str, text: str):
    """Physical lines, refusing one so long that splitting it could exhaust memory."""
    for n, line in enumerate(io.StringIO(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ReadError(
                f"{file_name}：第 {n} 行过长（{len(line):,} 个字符，上限 {MAX_LINE_CHARS:,}），"
                "不是正常的表格行，未导入。"
            )
        yield line


def _grid_csv(file_name: str, data: bytes) -> list[list[object]]:
    text = decode_text(file_name, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    old = csv.field_size_limit(MAX_FIELD_CHARS)
    grid: list[list[object]] = []
    reader = csv.reader(_lines(file_name, text), dialect)
    try:
        for row in reader:
            if len(row) > MAX_COLS:
                _too_big(file_name, reader.line_num, len(row), f"第 {reader.line_num} 行")
            if len(grid) > MAX_ROWS + HEADER_SCAN_ROWS:
                _too_big(file_name, len(grid), len(row))
            grid.append(list(row))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ReadError(
                f"{file_name}：第 {reader.line_num} 行有一个单元格超过 {MAX_FIELD_CHARS:,} 个字符"
                "（Excel 单元格的上限），可能是引号不配对或异常构造的文件，未导入。"
            ) from exc
        raise ReadError(
            f"{file_name}：第 {reader.line_num} 行不是有效的 CSV（{exc}），未导入。"
        ) from exc
    finally:
        csv.field_size_limit(old)
    return grid


def _grid_html(file_name: str, data: bytes) -> list[list[object]]:
    text = decode_text(file_name, data)
    parser = html_tables.Tables(
        max_rows=MAX_ROWS,
        max_cols=MAX_COLS,
        max_chars=MAX_FIELD_CHARS,
        title_rows=HEADER_SCAN_ROWS,
    )
    try:
        parser.feed(text)
    except html_tables.TableError as exc:
        raise ReadError(f"{file_name}：{exc}，不是正常的表格，未导入。") from exc
    if not parser.rows:
        raise ReadError(f"{file_name}：这是网页文件，但里面没有表格。")
    return parser.rows


def _norm(text: object) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def _merge(top: list[str], sub: list[str]) -> list[str]:
    """Column names of a two-row header: a merged cell's text sits in its first column only."""
    parents, last = [], ""
    for v in top:
        last = v or last
        parents.append(last)
    return [
        f"{p}{SEP}{s}" if s and p and p != s else (s or p)
        for p, s in zip(parents, sub, strict=True)
    ]


def read_table(
    file_name: str,
    data: bytes,
    field_of: Callable[[str], str | None],
    sheet: str | None = None,
) -> RawTable:
    """Read a spreadsheet or CSV into a RawTable.

    `field_of(column_name)` gives the field a name maps to, or None; the header is the row (or
    pair of rows, for a two-row merged header) among the first rows naming the most distinct
    fields.
    """
    kind = sniff(file_name, data)
    names: list[str] = []
    if kind == "csv":
        chosen, grid = "CSV", _grid_csv(file_name, data)
    elif kind == "html":
        chosen, grid = "HTML", _grid_html(file_name, data)
    else:
        chosen, names, grid = _grid_excel(file_name, data, kind, sheet)
    long = next(
        (
            (r, c)
            for r, row in enumerate(grid)
            for c, v in enumerate(row)
            if isinstance(v, str) and len(v) > MAX_FIELD_CHARS
        ),
        None,
    )
    if long is not None:
        raise ReadError(
            f"{file_name}：第 {long[0] + 1} 行第 {long[1] + 1} 列的内容超过 {MAX_FIELD_CHARS:,} "
            "个字符（Excel 单元格的上限），未导入。"
        )
    if kind != "xlsx" and kind != "xls":
        grid = [[_cell(v) for v in row] for row in grid]
    if not any(any(v is not None for v in row) for row in grid):
        raise ReadError(f"{file_name}：工作表「{chosen}」没有任何内容。")

    width = max(len(r) for r in grid)
    grid = [r + [None] * (width - len(r)) for r in grid]
    scan = grid[:HEADER_SCAN_ROWS]
    normed = [[_norm(v) for v in row] for row in scan]
    # Candidates: each row alone, and each row merged with the one under it (two-row header).
    best_score, header_rows, columns = 0, [], []

    def score(names: list[str]) -> int:
        return len({field_of(v) for v in names if v} - {None})

    for i, top in enumerate(normed):
        single = score(top)
        if single > best_score:
            best_score, header_rows, columns = single, [i + 1], top
        if i + 1 < len(normed):
            merged = _merge(top, normed[i + 1])
            both = score(merged)
            # Strictly better than either row alone: a title row above a header adds nothing.
            if both > max(best_score, single, score(normed[i + 1])):
                best_score, header_rows, columns = both, [i + 1, i + 2], merged
    if best_score < 2:
        raise ReadError(
            f"{file_name}：工作表「{chosen}」前 {HEADER_SCAN_ROWS} 行里找不到表头"
            "（应有 姓名、地址、联系电话 等列名）。请确认选对了工作表，或下载模板对照。"
        )
    columns = [c or f"第{i + 1}列" for i, c in enumerate(columns)]
    seen: dict[str, int] = {}
    for i, c in enumerate(columns):  # two columns named 联系电话: keep both, apart
        seen[c] = seen.get(c, 0) + 1
        if seen[c] > 1:
            columns[i] = f"{c}({seen[c]})"

    rows: list[tuple[int, list[object]]] = []
    skipped: list[tuple[int, str]] = []
    in_notes = False
    for idx in range(header_rows[-1], len(grid)):
        values = grid[idx]
        if all(v is None for v in values):
            continue
        first = [str(v) for v in values[:4] if v is not None]
        if first and any(_TOTAL.match(t) for t in first):
            skipped.append((idx + 1, "合计/小计行，已跳过"))
            continue
        filled = [v for v in values if v is not None]
        # The 备注 lines under a form (seed 004's table ends with two): text in one cell, not a
        # record. Once a 备注 line is seen, following one-cell lines are its continuation.
        if len(filled) == 1 and isinstance(filled[0], str):
            in_notes = in_notes or bool(_NOTE.match(filled[0]))
            if in_notes:
                skipped.append((idx + 1, "备注行，已跳过"))
                continue
        rows.append((idx + 1, values))
    return RawTable(file_name, chosen, header_rows, columns, rows, skipped, names)
