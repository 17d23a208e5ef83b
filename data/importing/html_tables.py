"""The first <table> of an HTML page as a grid (the ".xls" that web systems export is often an
HTML page): colspan/rowspan fill the grid like merged cells, every size bounded."""

from __future__ import annotations

from html.parser import HTMLParser


class TableError(ValueError):
    """The page's table is beyond a limit; the message says which, in Chinese."""


class Tables(HTMLParser):
    """Rows of the first <table> in an HTML page; colspan/rowspan cells fill the grid like
    merged cells in Excel (text in the first cell only)."""

    def __init__(
        self, *, max_rows: int, max_cols: int, max_chars: int, title_rows: int = 0
    ) -> None:
        super().__init__()
        self.max_rows, self.max_cols, self.max_chars = max_rows, max_cols, max_chars
        self.title_rows = title_rows  # rows above the header, beyond the data-row limit
        self.rows: list[list[object]] = []
        self._row: list[object] | None = None
        self._cell: list[str] | None = None
        self._span = 1
        self._down: dict[int, int] = {}  # column → rows still covered by a rowspan
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            a = dict(attrs)
            self._span = _span(a.get("colspan"), self.max_cols)
            rows = _span(a.get("rowspan"), self.max_rows)
            if len(self._row) + self._span > self.max_cols:
                raise TableError(f"表格第 {len(self.rows) + 1} 行超过 {self.max_cols} 列")
            while self._down.get(len(self._row), 0) > 0:
                self._down[len(self._row)] -= 1
                self._row.append(None)
            if rows > 1:
                for c in range(len(self._row), len(self._row) + self._span):
                    self._down[c] = rows - 1
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
            if sum(map(len, self._cell)) > self.max_chars:
                raise TableError(
                    f"表格第 {len(self.rows) + 1} 行有单元格超过 {self.max_chars:,} 个字符"
                )

    def handle_endtag(self, tag: str) -> None:
        if self._done:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row += ["".join(self._cell).strip() or None] + [None] * (self._span - 1)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            while self._down.get(len(self._row), 0) > 0:
                self._down[len(self._row)] -= 1
                self._row.append(None)
            self.rows.append(self._row)
            self._row = None
            if len(self.rows) > self.max_rows + self.title_rows:
                raise TableError(f"表格超过 {self.max_rows:,} 行")
        elif tag == "table" and self.rows:
            self._done = True


def _span(value: str | None, limit: int) -> int:
    """A colspan/rowspan as a bounded integer (browsers clamp too: colspan ≤ 1000)."""
    try:
        n = int(str(value or "1").strip())
    except ValueError:
        return 1
    if n > limit:
        raise TableError(f"表格的合并单元格跨度 {n:,} 超过上限 {limit:,}")
    return max(n, 1)
