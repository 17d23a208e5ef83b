"""What one import produces: the rows planned for writing, the rejected rows and the Result
that the CLI, the import page and import_log read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Rejection:
    """One bad row: where it is (as Excel shows it), which column, why, and its raw content."""

    row_no: int
    column: str | None
    reason: str
    raw: dict[str, object]

    def message(self, file_name: str) -> str:
        """Chinese message naming file, row and column."""
        where = f"第 {self.row_no} 行" + (f"「{self.column}」列" if self.column else "")
        return f"{file_name} {where}：{self.reason}"


@dataclass
class Planned:
    """A valid row: its key, the values to store, and the Excel row it came from."""

    row_no: int
    key: tuple
    values: dict[str, object]


@dataclass
class Result:
    """What an import did (or, before commit, would do)."""

    kind: str
    file_name: str
    sha256: str
    sheet: str
    sheets: list[str]
    header_rows: list[int]
    columns: list[str]
    mapping: dict[str, str]
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # {key, row_no, old, new} per changed row
    preview: list[dict] = field(default_factory=list)  # the first rows as read, for a look
    committed: bool = False
    import_id: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def counts(self) -> dict[str, int]:
        """The four numbers the CLI prints and import_log stores."""
        return {
            "loaded": self.loaded,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def rejection_frame(self) -> pd.DataFrame:
        """Rejected rows with their original columns, the Excel row number and a 原因 column."""
        rows = [
            {**r.raw, "原行号": r.row_no, "原因": r.message(self.file_name)}
            for r in self.rejections
        ]
        return pd.DataFrame(rows, columns=[*self.columns, "原行号", "原因"])
