"""The 数据导入 page driven through AppTest, and `anju import` / `anju import-template`."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from anju import cli
from data.store import connection
from data.users import access
from tests.apptest import open_page
from tests.conftest import TINY
from tests.test_importing import HEADER, ROWS, csv_bytes, xlsx

PAGE = "dashboard/pages/import.py"


def _page(db: Path, monkeypatch, user: access.User) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, PAGE, timeout=120)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _upload(at: AppTest, kind: str, name: str, data: bytes, *mime: str) -> AppTest:
    """Upload `name` as a file of `kind` and let the page check it; no run may raise."""
    at.file_uploader(key=f"import_file_{kind}").upload(name, data, *mime)
    at.run()
    assert not at.exception, at.exception
    return at


def _commit(at: AppTest) -> None:
    """Import what the page checked; it says so."""
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    assert any("已导入" in s.value for s in at.success)


def test_page_preview_commit_and_rejections(tiny_db, monkeypatch):
    at = _page(tiny_db, monkeypatch, access.User("t_admin", "admin"))
    assert at.title[0].value == "数据导入"
    rows = [*ROWS, [4, "坏电话", "男", 80, "139", "某路", None, None, None, None, "管道"]]
    _upload(at, "households", "花名册.csv", csv_bytes([HEADER, *rows], "gbk"), "text/csv")
    assert _metrics(at) == {"新增": "3", "更新": "0", "未变": "0", "拒绝": "1"}
    mapping = at.dataframe  # rejections table is the first dataframe after the mapping editor
    assert any("不是电话号码" in str(d.value) for d in mapping)
    _commit(at)
    con = connection.connect(tiny_db)
    try:
        assert con.execute(
            "SELECT loaded, rejected, imported_by FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchone() == (3, 1, "t_admin")
    finally:
        con.close()


def test_page_refuses_a_picture_on_the_server(tiny_db, monkeypatch):
    at = _page(tiny_db, monkeypatch, access.User("t_admin", "admin"))
    _upload(at, "households", "照片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    assert any("PNG 图片，不是表格" in e.value for e in at.error)
    assert not at.metric


def test_page_street_user_rows_of_other_streets_rejected(tiny_db, monkeypatch):
    at = _page(tiny_db, monkeypatch, access.User("t_west", "street", "S1"))
    _upload(at, "households", "花名册.xlsx", xlsx([HEADER, *ROWS]), "application/octet-stream")
    assert _metrics(at)["新增"] == "1" and _metrics(at)["拒绝"] == "2"


def _counts(loaded: int = 0, updated: int = 0, unchanged: int = 0, rejected: int = 0) -> dict:
    """The JSON summary `anju import --json` prints, zero where not given."""
    return {"loaded": loaded, "updated": updated, "unchanged": unchanged, "rejected": rejected}


def _cli_counts(args: list[str], capsys) -> dict:
    """Run the CLI, require exit code 0, and return its JSON summary."""
    assert cli.main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_import_json_and_exit_codes(tiny_db, tmp_path, capsys):
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(xlsx([HEADER, *ROWS], title_rows=1))
    args = [
        "import",
        "households",
        str(roster),
        "--db",
        str(tiny_db),
        "--programme",
        TINY,
        "--json",
    ]
    # The second run of the same roster changes nothing: every row is unchanged.
    assert _cli_counts(args, capsys) == _counts(loaded=3)
    assert _cli_counts(args, capsys) == _counts(unchanged=3)
    picture = tmp_path / "照片.xlsx"
    picture.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    assert cli.main([*args[:2], str(picture), *args[3:]]) == 2
    assert "JPEG 图片" in capsys.readouterr().err


def test_cli_templates(tmp_path):
    for kind in ("households", "installations", "inspections", "hazards", "boundaries"):
        out = tmp_path / f"{kind}.bin"
        assert cli.main(["import-template", kind, "--out", str(out)]) == 0
        assert out.stat().st_size > 100


def test_page_boundaries(tiny_db, monkeypatch):
    from tests.test_import_boundaries import FEATURES, geojson

    at = _page(tiny_db, monkeypatch, access.User("t_admin", "admin"))
    at.selectbox(key="import_kind").set_value("boundaries").run()
    _upload(at, "boundaries", "边界.geojson", geojson(FEATURES))
    assert _metrics(at) == {"新增": "1", "更新": "1", "未变": "2", "拒绝": "1"}
    _commit(at)


def test_page_address_base_for_administrators_only(tiny_db, monkeypatch):
    """The district's address base belongs to 项目设置: a street user is not offered the kind."""
    at = _page(tiny_db, monkeypatch, access.User("t_west", "street", "S1"))
    offered = at.selectbox(key="import_kind").options
    assert "住户花名册" in offered and "标准地址库（门牌地址）" not in offered
    at = _page(tiny_db, monkeypatch, access.User("t_admin", "admin"))
    kind = at.selectbox(key="import_kind")
    assert "标准地址库（门牌地址）" in kind.options
    kind.set_value("address_points").run()
    assert any("每栋楼一个点位" in c.value for c in at.caption)
    base = [
        ["标准地址", "经度", "纬度", "坐标系", "小区名称"],
        ["东路2号", 121.0150, 31.0080, "WGS84", None],
        ["西路1号", 121.0030, 31.0020, "WGS84", None],
    ]
    _upload(at, "address_points", "标准地址.csv", csv_bytes(base, "gbk"), "text/csv")
    assert _metrics(at) == {"新增": "2", "更新": "0", "未变": "0", "拒绝": "0"}
    _commit(at)


def test_page_roster_preview_says_where_rows_would_be_located(tiny_db, monkeypatch):
    con = connection.connect(tiny_db)
    con.execute(
        "INSERT INTO address_point (programme_id, point_id, address, lon, lat)"
        " VALUES (?, 'P1', '东路2号', 121.015, 31.008)",
        [TINY],
    )
    con.close()
    at = _page(tiny_db, monkeypatch, access.User("t_admin", "admin"))
    rows = [*ROWS, [4, "赵六", "男", 81, "13900004444", "无名路9号", None, "东北社区居委会"]]
    _upload(at, "households", "花名册.csv", csv_bytes([HEADER, *rows], "gbk"), "text/csv")
    line = next(c.value for c in at.caption if "将定位到" in c.value)
    assert line.startswith("预览的前 4 行将定位到：楼栋 3 · 仅社区 1"), line
    preview = at.dataframe[0].value
    assert preview["定位"].tolist() == ["楼栋", "楼栋", "楼栋", "仅社区"]
    # Nothing was written by the preview.
    con = connection.connect(tiny_db)
    try:
        assert con.execute("SELECT count(*) FROM household WHERE name = '赵六'").fetchone() == (0,)
    finally:
        con.close()
