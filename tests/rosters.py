"""The tiny programme's roster for the importers' tests: its header and three rows, the users
who import, an import run as admin, what got stored, and the device types events refer to."""

from __future__ import annotations

from data import importing
from data.users import access
from tests.conftest import TINY

ADMIN = access.User("t_admin", "admin")
WEST = access.User("t_west", "street", "S1")
HEADER = [
    "序号",
    "姓名",
    "性别",
    "年龄",
    "联系电话",
    "家庭住址",
    "街道",
    "社区",
    "经度",
    "纬度",
    "燃气类型",
]
ROWS = [
    [1, "张三", "男", 85, "13812345678", "西路1号", "西街道", None, 121.005, 31.0025, "管道天然气"],
    [2, "李四", "女", 90, "13900001111", "东路2号", None, "东北社区居委会", None, None, "液化气"],
    [3, "王五", "男", 80, "13900003333", "东路3号", "东街道", None, 121.015, 31.0025, "管道"],
]


def run(con, data: bytes, name: str = "花名册.xlsx", kind: str = "households", **kw):
    """Import `data` into the tiny programme, as ADMIN unless kw names a user."""
    kw.setdefault("user", ADMIN)
    return importing.run(con, kind, name, data, TINY, **kw)


def stored(con, name: str) -> dict:
    """The stored household row of the person named `name` ({} if none)."""
    cur = con.execute("SELECT * FROM household WHERE name = ?", [name])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(cols, row, strict=True)) if row else {}


def count(con, table: str) -> int:
    """How many rows `table` holds."""
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def device_types(con) -> None:
    """The tiny programme's two device types (piped alarm + valve, LPG alarm)."""
    con.execute(
        "INSERT INTO device_type (programme_id, device_type, name, gas_type, unit_price_cny,"
        " warranty_years, planned_units) VALUES (?, 'ng_alarm_valve', '燃气报警器+联动切断阀', 'piped', 890, 5, 8),"
        " (?, 'lpg_alarm', '液化气报警器', 'lpg', 350, 5, 2)",
        [TINY, TINY],
    )
