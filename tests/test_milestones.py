"""Seed 001's dated milestones beyond the install deadline — 街道自查验收 by 2023-11-15, the
leadership group's 抽查验收 and ranking by 2023-11-30 — and its sectors' supervising
departments: on 逾期 (阶段节点) and, when near, on 周报."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from data.setup import milestones, programmes
from data.users import access
from tests.apptest import open_page

P = "zhongyuan_2022"
LEADER = access.User("t_leader", "leader")


def test_seed_001_milestones_and_sectors_from_the_template():
    tpl = programmes.read_template(P)
    table = milestones.milestones(tpl, date(2023, 11, 8))
    rows = {r.name: r for r in table.itertuples()}
    assert rows["街道自查验收"].due == date(2023, 11, 15)
    assert rows["街道自查验收"].days_left == 7
    assert rows["街道自查验收"].who == "各街道办事处"
    spot = rows["领导小组统一抽查验收、排名通报"]
    assert (spot.due, spot.days_left, spot.who) == (date(2023, 11, 30), 22, "区领导小组办公室")
    assert rows["非居民用户加装阶段"].days_left < 0  # 2022-06-30, long past
    assert list(table["due"]) == sorted(table["due"])
    sectors = milestones.sectors(tpl).set_index("name")["departments"]
    assert sectors["餐饮"] == "区商务局" and sectors["工业"] == "区发改委、区工信局"
    near = milestones.near(tpl, date(2023, 11, 8))
    assert any("街道自查验收" in s and "还剩 7 天" in s for s in near)
    assert any("领导小组统一抽查验收" in s for s in near)
    assert milestones.near(tpl, date(2023, 6, 1)) == []


def test_sectors_survive_a_programme_loaded_without_its_template(tiny_con):
    programmes.load(tiny_con, programmes.read_template(P), actor="test")
    back = programmes.current_template(tiny_con, P)
    assert milestones.sectors(back).equals(milestones.sectors(programmes.read_template(P)))


@pytest.fixture
def db(demo_db: Path, tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("ANJU_DB", str(path))
    return path


def _cells(at) -> str:
    return " ".join(
        str(v) for d in at.dataframe for v in [*d.value.columns, *d.value.to_numpy().ravel()]
    )


def test_overdue_shows_milestones_and_sector_departments(db):
    at = open_page(LEADER, "dashboard/pages/overdue.py", state={"programme_id": P})
    assert "阶段节点" in [s.value for s in at.subheader]
    cells = _cells(at)
    for text in ("街道自查验收", "2023-11-15", "领导小组统一抽查验收、排名通报", "2023-11-30"):
        assert text in cells
    assert "还剩" in cells and "已过" in cells
    for text in ("区商务局", "区发改委、区工信局", "区卫健委", "未装户数"):
        assert text in cells


def test_weekly_names_the_near_milestones(db):
    at = open_page(LEADER, "dashboard/pages/weekly.py", state={"programme_id": P})
    notes = " ".join(w.value for w in at.warning)
    assert "街道自查验收" in notes and "2023年11月15日" in notes


def test_a_programme_without_such_dates_shows_only_its_phases(db):
    at = open_page(LEADER, "dashboard/pages/weekly.py", state={"programme_id": "yuxi_2024"})
    assert not any("街道自查验收" in w.value for w in at.warning)
