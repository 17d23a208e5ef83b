"""Hostile files (generated here, each a few KB) are refused with a Chinese message before they
can take the server's memory or time, and nothing is written. Each case below is one line of the
issue's reproduction list."""

from __future__ import annotations

import pytest

from data import importing
from data.importing import read
from data.users import access
from tests import hostile
from tests.conftest import TINY

ADMIN = access.User("t_admin", "admin")
WEST = access.User("t_west", "street", "S1")
TABLES = ("household", "import_log", "rejected_row", "audit_log")


def _counts(con) -> list[int]:
    return [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]


CASES = [
    ("远端单元格.xlsx", hostile.far_cell_xlsx, "列数过多（16,384 列"),
    ("远端行.xlsx", hostile.far_row_xlsx, "行数过多（1,048,576 行"),
    ("合并单元格.xls", hostile.colspan_html, "合并单元格跨度 999,999,999 超过上限"),
    ("长字段.csv", hostile.long_field_csv, "第 2 行有一个单元格超过 32,767 个字符"),
    ("超宽.csv", lambda: hostile.wide_csv(2_000_000), "第 2 行过长（2,000,000 个字符"),
    ("较宽.csv", lambda: hostile.wide_csv(300), "第 2 行列数过多（300 列，上限 256 列）"),
    ("很多行.xlsx", lambda: hostile.many_rows_xlsx(250_000), "行数过多"),
    ("压缩炸弹.xlsx", lambda: hostile.zip_bomb_xlsx(401), "解压后内容过大（超过 400 MB）"),
]


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("user", [ADMIN, WEST], ids=["admin", "street"])
def test_hostile_file_is_refused_and_nothing_is_written(tiny_con, name, make, message, user):
    data = make()
    assert len(data) < 3_000_000  # every one of them is small on disk
    before = _counts(tiny_con)
    with pytest.raises(importing.ReadError, match=message) as err:
        importing.run(tiny_con, "households", name, data, TINY, user, commit=True)
    assert str(err.value).startswith(name)  # names the file
    assert _counts(tiny_con) == before


def test_a_library_that_aborts_takes_down_only_the_worker(tiny_con, monkeypatch):
    # Without the pre-check calamine really aborts on the far cell: the bounded worker dies,
    # this process (the server) goes on and says so in Chinese.
    monkeypatch.setattr(read, "check_xlsx", lambda file_name, data: None)
    before = _counts(tiny_con)
    with pytest.raises(importing.ReadError, match="读取进程异常退出"):
        importing.run(
            tiny_con, "households", "远端.xlsx", hostile.far_cell_xlsx(), TINY, ADMIN, commit=True
        )
    assert _counts(tiny_con) == before
    assert tiny_con.execute("SELECT 1").fetchone() == (1,)


def test_a_worker_over_its_memory_limit_is_refused(tiny_con, monkeypatch):
    monkeypatch.setattr(read, "WORKER_MEMORY", 64 * 1024 * 1024)  # too little even to start
    with pytest.raises(importing.ReadError, match="未导入"):
        importing.run(
            tiny_con,
            "households",
            "小.xlsx",
            hostile.xlsx_with_sheet(hostile.HEADER_ROW),
            TINY,
            ADMIN,
            commit=False,
        )


def test_a_declared_size_that_lies_is_still_caught(monkeypatch):
    # The zip directory says small; the stream is read and counted, never trusted.
    monkeypatch.setattr(read, "MAX_UNZIPPED", 3 * 1024 * 1024)
    data = hostile.zip_bomb_xlsx(4)
    with pytest.raises(read.ReadError, match="解压后内容过大"):
        read.check_xlsx("炸弹.xlsx", data)


def test_ordinary_files_still_pass_the_limits(tiny_con):
    ok = hostile.xlsx_with_sheet(hostile.HEADER_ROW)
    result = importing.run(tiny_con, "households", "正常.xlsx", ok, TINY, ADMIN)
    assert result.columns[:2] == ["姓名", "联系电话"]
    wide_enough = hostile.wide_csv(200).replace(b"\n,", b"\n\xe5\xbc\xa0\xe4\xb8\x89,", 1)
    result = importing.run(tiny_con, "households", "宽.csv", wide_enough, TINY, ADMIN)
    assert len(result.columns) == 200 and result.rejected == 1  # read; the row lacks an address
