"""Hostile files built in code (tiny on disk, huge when parsed naively), shared by the tests."""

from __future__ import annotations

import io
import zipfile

_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_TAIL = "</sheetData></worksheet>"


def _c(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">'
    + _c("A1", "姓名")
    + _c("B1", "联系电话")
    + _c("C1", "家庭住址")
    + _c("D1", "街道")
    + "</row>"
    + '<row r="2">'
    + _c("A2", "张三")
    + _c("B2", "13812345678")
    + _c("C2", "西路1号")
    + _c("D2", "西街道")
    + "</row>"
)


def xlsx_with_sheet(rows_xml: str | None = None, chunks=None) -> bytes:
    """A minimal valid .xlsx whose only sheet's <sheetData> is ROWS_XML (or streamed CHUNKS)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_HEAD.encode())
            fh.write((rows_xml or "").encode())
            for chunk in chunks or ():
                fh.write(chunk)
            fh.write(_TAIL.encode())
    return buf.getvalue()


def far_cell_xlsx() -> bytes:
    """The template header, one row, and one cell at XFD1048576: 5 KB, 512 GB to calamine."""
    return xlsx_with_sheet(HEADER_ROW + '<row r="1048576">' + _c("XFD1048576", "x") + "</row>")


def far_row_xlsx() -> bytes:
    """One value in column A, row 1,048,576."""
    return xlsx_with_sheet(HEADER_ROW + '<row r="1048576">' + _c("A1048576", "x") + "</row>")


def zip_bomb_xlsx(megabytes: int) -> bytes:
    """A sheet padded with MEGABYTES of whitespace: compresses about 1000:1."""
    pad = b" " * (1 << 20)
    return xlsx_with_sheet(HEADER_ROW, chunks=(pad for _ in range(megabytes)))


def many_rows_xlsx(rows: int) -> bytes:
    """ROWS one-cell rows: the 3.5 MB zip-bombed workbook that wrote 499,997 rejected rows."""
    body = (
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
        for r in range(3, rows + 3)
    )
    return xlsx_with_sheet(HEADER_ROW, chunks=body)


def colspan_html(span: int = 999_999_999) -> bytes:
    """An HTML-as-xls of a few hundred bytes with one huge colspan."""
    return (
        "<html><body><table><tr><th>姓名</th><th>联系电话</th><th>家庭住址</th></tr>"
        f'<tr><td colspan="{span}">张三</td><td>13812345678</td></tr></table></body></html>'
    ).encode()


def long_field_csv(chars: int = 200_000) -> bytes:
    """A CSV with one quoted field longer than Python's default field limit (131,072)."""
    return ('姓名,联系电话,家庭住址\n张三,13812345678,"' + "长" * chars + '"\n').encode()


def wide_csv(columns: int) -> bytes:
    """A CSV whose second line has COLUMNS fields."""
    return ("姓名,联系电话,家庭住址\n" + "," * (columns - 1) + "\n").encode()
