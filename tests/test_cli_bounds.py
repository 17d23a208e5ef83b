"""The CLI fails closed on what it is told: `anju programme --user` must name an active account
allowed to set programmes up (any other string is refused, not written into the audit log).
Messages read as Chinese with every value they are given (no 已已下发), and a weak Chinese
password glued from common parts (woaini1314520) is refused like a listed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from anju.cli import main
from data.store.connection import connect
from data.users import accounts


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "anju.duckdb"
    con = connect(path)
    accounts.add_user(con, "boss", "admin", None, actor="t")
    accounts.add_user(con, "east", "finance", None, actor="t")
    accounts.add_user(con, "gone", "admin", None, actor="t")
    accounts.set_disabled(con, "gone", True, actor="t")
    con.close()
    return path


def _actors(path: Path) -> list[str]:
    con = connect(path)
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT actor FROM audit_log WHERE action LIKE 'programme%' ORDER BY audit_id"
            ).fetchall()
        ]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("user", "said"),
    [("nobody", "不存在或已停用"), ("gone", "不存在或已停用"), ("east", "无权设置工作项目")],
)
def test_programme_user_must_be_an_active_administrator(db, user, said, capsys):
    assert main(["programme", "new", "wushen_2024", "--db", str(db), "--user", user]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and user in err and said in err
    assert _actors(db) == []


def test_programme_user_named_or_the_console(db, capsys):
    assert main(["programme", "new", "wushen_2024", "--db", str(db), "--user", "boss"]) == 0
    assert main(["programme", "new", "changning_2023", "--db", str(db)]) == 0
    assert _actors(db) == ["boss", "cli"]


@pytest.mark.parametrize("key", ["batch.not_draft", "batch.claimed"])
@pytest.mark.parametrize("status", ["草稿", "已下发", "已确认"])
def test_batch_messages_read_well_with_every_status(key, status):
    from data import messages

    text = messages.render(key, batch="B1", status=status)
    assert status in text and "已已" not in text


@pytest.mark.parametrize(
    "command",
    [
        ["device-health", "--as-of", "2024-05-01"],
        ["monthly-table", "--month", "2024-05", "--out", "m.xlsx"],
        ["import", "households", "x.csv"],
        ["spot-check", "draw", "--month", "2024-05"],
    ],
    ids=lambda c: c[0],
)
def test_an_unknown_programme_is_one_chinese_message(command, db, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("户号,姓名\n1,甲\n", encoding="utf-8")
    assert main([*command, "--db", str(db), "--programme", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "没有编号为 nope 的工作项目" in err
    assert "Traceback" not in err and not (tmp_path / "m.xlsx").exists()


@pytest.mark.parametrize("seed", [str(10**30), "-1", "abc"])
def test_a_demo_seed_out_of_range_is_a_usage_message(seed, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["demo", "--db", str(tmp_path / "d.duckdb"), "--seed", seed])
    assert stop.value.code == 2
    assert "--seed" in capsys.readouterr().err
    assert not (tmp_path / "d.duckdb").exists()


@pytest.mark.parametrize(
    "password", ["woaini1314520", "iloveyou5201314", "woaini19900101", "ShangHai12345"]
)
def test_weak_chinese_passwords_are_refused(password):
    assert "太常见或太简单" in (accounts.password_problem(password, "someone") or "")


@pytest.mark.parametrize("password", ["Xk8#mq2Lp0vz", "tianqi-hao-9!", "a-long-new-password"])
def test_uncommon_passwords_still_pass(password):
    assert accounts.password_problem(password, "someone") is None
