"""Monthly batches on the demo street and the tiny programme: plans, rosters, confirmation slips,
the CLI, saving, editing and status."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date

import docx
import numpy as np
import pandas as pd
import pytest

import queries
from anju.cli import main
from data import batches
from data.demos import demo
from data.households import household_state
from data.setup import workdays
from data.store import connection
from documents import batch_docs
from tests.conftest import TINY

HUAYANG = "310105001"


# ---------------------------------------------------------------- the demo street


@pytest.fixture(scope="module")
def demo_con(demo_db):
    con = connection.connect(demo_db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def huayang(demo_con):
    return batches.plan(demo_con, demo.PROGRAMME, HUAYANG, "2023-08", 3, 8)


def test_demo_huayang_august_route_beats_naive_by_30_percent(huayang):
    # Measured: travel ≈ 14.9 km vs naive ≈ 52.0 km (see the note in geo/routing.py).
    assert huayang.travel_km <= 0.7 * huayang.naive_km
    assert huayang.stats["crew_days_per_community"] <= 2.6


def test_demo_no_installed_household_is_planned(demo_con, huayang):
    installed = set(
        demo_con.execute(
            "SELECT household_id FROM installation WHERE programme_id = ?", [demo.PROGRAMME]
        ).df()["household_id"]
    )
    assert len(installed) > 0
    assert not installed & set(huayang.items.household_id)
    assert (huayang.items.street_id == HUAYANG).all()
    remaining = demo_con.execute(
        "SELECT count(*) FROM household_status(?, ?) WHERE street_id = ? AND NOT installed"
        " AND NOT refused AND NOT gas_cut"
        " AND household_id NOT IN (SELECT household_id FROM installation)",
        [demo.PROGRAMME, demo.AS_OF, HUAYANG],
    ).fetchone()[0]
    assert len(huayang.items) == remaining  # capacity 552 is enough for everyone left


def test_demo_roster_excel_reopens_with_rows_and_columns(demo_con, huayang):
    table = batches.roster(huayang.items, batches.device_names(demo_con, demo.PROGRAMME))
    data = batch_docs.roster_xlsx(table, "华阳路街道 2023-08 安装花名册", {"项目": "测试"})
    back = batch_docs.read_roster(data)
    assert list(back.columns) == list(batches.ROSTER_COLUMNS)
    assert len(back) == len(huayang.items)
    assert back["序号"].tolist() == [str(i) for i in range(1, len(back) + 1)]
    first = huayang.items.iloc[0]
    assert back.loc[0, "地址"] == first.address and back.loc[0, "计划日期"] == "2023-08-01"
    assert back["设备类型"].str.contains("报警器").all()


def test_confirmation_slips_one_page_each_with_four_signatures(huayang):
    table = batches.roster(huayang.items.head(3), {"piped": "报警器", "lpg": "报警器"})
    doc = docx.Document(io.BytesIO(batch_docs.confirmation_slips(table, "项目", "B")))
    breaks = sum('w:type="page"' in p._p.xml for p in doc.paragraphs)
    assert breaks == 2  # 3 pages
    sign_tables = [t for t in doc.tables if "居民（签字）" in t.rows[0].cells[-1].text]
    assert len(sign_tables) == 3
    assert [c.text for c in sign_tables[0].rows[0].cells] == [
        f"{w}（签字）" for w in batch_docs.SIGNERS
    ]
    assert batch_docs.SIGNERS == ("社区书记", "网格员", "安装人员", "居民")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.count(batch_docs.SLIP_TITLE) == 3  # 燃气技防设施安装确认单, seed 002's title
    first = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert first[0][:2] == [
        "户号",
        huayang.items.sort_values(["day", "crew", "seq"]).iloc[0].household_id,
    ]


def _slip_text(doc) -> str:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_wushen_slip_itemises_devices_and_the_residents_share(demo_con):
    from data.demos import demo_wushen

    terms = batch_docs.slip_terms(demo_con, demo_wushen.PROGRAMME)
    assert terms.resident_share == pytest.approx(0.3)  # seed 002: 4:3:3, residents 30%
    row = {c: None for c in batches.ROSTER_COLUMNS} | {
        "序号": 1,
        "户号": "W0001",
        "街道": "嘎鲁图镇",
        "社区": "沙尔利格嘎查",
        "姓名": "其其格",
        "燃气类型": "管道天然气",
    }
    town = row | {"序号": 2, "户号": "W0002", "社区": "朝阳社区"}
    doc = docx.Document(
        io.BytesIO(batch_docs.confirmation_slips(pd.DataFrame([row, town]), "乌审旗", "B", terms))
    )
    text = _slip_text(doc)
    for item in ("波纹管", "自闭阀", "切断阀", "报警器"):
        assert item in text
    assert "470.00 元/户" in text and "居民自付 30%：141.00 元" in text
    assert "W0001" in text and "其其格" in text
    signers = [
        [c.text for c in t.rows[0].cells]
        for t in doc.tables
        if "（签字）" in t.rows[0].cells[0].text
    ]
    assert signers[0][0] == "村支书（签字）"  # a 嘎查 (village): signed by its party secretary
    assert signers[1][0] == "社区书记（签字）"


def test_cli_plan_batch_json_and_roster(demo_db, tmp_path, capsys):
    db = tmp_path / "demo.duckdb"  # the export is audit-logged: keep the shared demo unchanged
    shutil.copy(demo_db, db)
    out = tmp_path / "roster.xlsx"
    args = ["plan-batch", "--db", str(db), "--programme", demo.PROGRAMME]
    args += ["--street", "华阳路街道", "--month", "2023-08", "--crews", "3", "--per-day", "8"]
    assert main([*args, "--json", "--out", str(out)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["travel_km"] <= 0.7 * got["naive_km"]
    assert (
        got["assigned"]
        == len(got["households"])
        == sum(len(c["households"]) for c in got["crew_days"])
    )
    assert len(got["working_days"]) == 23
    assert len(batch_docs.read_roster(out.read_bytes())) == got["assigned"]
    con = connection.connect(db)
    try:
        logged = con.execute(
            "SELECT count(*) FROM audit_log WHERE object = 'batch_roster'"
        ).fetchone()
    finally:
        con.close()
    assert logged == (1,)


# ---------------------------------------------------------------- saving, editing, status


@pytest.fixture
def tiny_plan(tiny_con):
    return batches.plan(tiny_con, TINY, "S2", "2023-06", 1, 2, as_of=date(2023, 5, 20))


def test_tiny_candidates_and_plan(tiny_con, tiny_plan):
    # S2 on 05-20: H5 H6 H7 not installed, none refused yet (H7 refuses on 05-25).
    assert sorted(tiny_plan.items.household_id) == ["H5", "H6", "H7"]
    s1 = batches.plan(tiny_con, TINY, "S1", "2023-06", 1, 2, as_of=date(2023, 5, 20))
    # S1: H2 is in B1 (May, not done) → carried over; H3 refused and gas cut → held back.
    assert s1.items.household_id.tolist() == ["H2"]
    assert "上批 B1 未完成" in s1.items.reason.iloc[0]
    assert s1.held_back.household_id.tolist() == ["H3"]
    may = batches.plan(tiny_con, TINY, "S1", "2023-05", 1, 2, as_of=date(2023, 5, 20))
    assert may.items.empty  # H2 already in B1 for May


def test_save_edit_send_lock_reopen(tiny_con, tiny_plan):
    con = tiny_con
    bid = batches.save(con, tiny_plan, "t_street")
    assert bid == "S2-2023-06-1"
    june = workdays.working_days("2023-06")
    item = batches.items(con, TINY, bid, ["S2"]).set_index("household_id")
    h = "H7"
    target = june[5] if item.loc[h, "day"] != june[5] else june[6]
    batches.move_item(con, bid, h, 1, target, "t_street", ["S2"])
    moved = batches.items(con, TINY, bid, ["S2"]).set_index("household_id")
    assert moved.loc[h, "day"] == pd.Timestamp(target) or moved.loc[h, "day"] == target
    batches.remove_item(con, bid, "H5", "t_street", "住院", ["S2"])
    live = batches.items(con, TINY, bid, ["S2"])
    assert live.removed_at.notna().sum() == 1  # kept, marked removed
    with pytest.raises(batches.BatchError, match="无权"):
        batches.send(con, bid, "t_other", ["S1"])
    batches.send(con, bid, "t_street", ["S2"], on=date(2023, 5, 26))
    with pytest.raises(batches.BatchError, match="已下发"):
        batches.remove_item(con, bid, "H6", "t_street", "x", ["S2"])
    with pytest.raises(batches.BatchError, match="理由"):
        batches.reopen(con, bid, "t_street", "  ", ["S2"])
    batches.reopen(con, bid, "t_street", "燃气公司要求调整日期", ["S2"], on=date(2023, 5, 27))
    batches.add_item(con, bid, "H5", 1, june[10], "t_street", ["S2"])
    batches.send(con, bid, "t_street", ["S2"], on=date(2023, 5, 28))
    batches.confirm(con, bid, "t_street", ["S2"], on=date(2023, 5, 29))
    events = con.execute(
        "SELECT batch_id, event, event_on FROM batch_event WHERE batch_id LIKE 'S2-%' ORDER BY recorded_at, event_on"
    ).fetchall()
    assert [(b, e) for b, e, _ in events] == [
        (bid, "sent"),
        (bid, "withdrawn"),
        (f"{bid}#2", "sent"),
        (f"{bid}#2", "confirmed"),
    ]
    listed = queries.run(con, "batch_list", programme_id=TINY, street_ids=["S2"]).iloc[0]
    assert (listed.status, listed.revision, listed.planned, listed.confirmed_by) == (
        "confirmed",
        2,
        3,
        "t_street",
    )
    trail = con.execute(
        "SELECT action, CAST(detail AS VARCHAR) FROM audit_log WHERE object = ? ORDER BY audit_id",
        [f"batch:{bid}"],
    ).fetchall()
    assert [a for a, _ in trail] == [
        "batch_status",
        "edit",
        "edit",
        "batch_status",
        "batch_status",
        "edit",
        "batch_status",
        "batch_status",
    ]
    assert "燃气公司要求调整日期" in trail[4][1]


def test_slot_rules_on_editing(tiny_con, tiny_plan):
    bid = batches.save(tiny_con, tiny_plan, "t")
    items = batches.items(tiny_con, TINY, bid, None)
    full_day = items.groupby(["crew", "day"]).size().idxmax()
    with pytest.raises(batches.BatchError, match="排满"):
        other = items[(items.day != full_day[1])].household_id.iloc[0]
        batches.move_item(tiny_con, bid, other, 1, pd.Timestamp(full_day[1]).date(), "t")
    with pytest.raises(batches.BatchError, match="工作日"):
        batches.move_item(tiny_con, bid, "H5", 1, date(2023, 6, 22), "t")  # 端午
    with pytest.raises(batches.BatchError, match="待安装名单"):
        batches.add_item(tiny_con, bid, "H1", 1, date(2023, 6, 30), "t")


def test_mark_done_from_installations_closes_the_loop(tiny_con, tiny_plan):
    bid = batches.save(tiny_con, tiny_plan, "t")
    assert batches.mark_done_from_installations(tiny_con, TINY) == 1  # B1's H1 (05-20)
    tiny_con.execute(
        "INSERT INTO installation (household_id, programme_id, device_type, installed_on)"
        " VALUES ('H6', ?, 'ng_alarm_valve', DATE '2023-06-05')",
        [TINY],
    )
    household_state.refresh(tiny_con, TINY)
    assert batches.mark_done_from_installations(tiny_con, TINY) == 1
    assert batches.mark_done_from_installations(tiny_con, TINY) == 0  # idempotent
    prog = batches.progress(batches.items(tiny_con, TINY, bid, None))
    assert prog.planned.sum() == 3 and prog.done.sum() == 1
    listed = queries.run(tiny_con, "batch_list", programme_id=TINY, street_ids=None)
    assert listed.set_index("batch_id").loc[bid, "done"] == 1


def test_bench_plans_a_topped_up_street_month(demo_con):
    from bench import batch as bench_batch

    cands, _ = bench_batch.candidates_2000(demo_con, 500)
    assert len(cands) == 500 and cands["household_id"].is_unique
    assert bench_batch.plan_2000_seconds(demo_con, 500) > 0


def test_candidates_carry_the_fire_risk_page_scores(demo_con):
    """The 火灾风险 rule ranks by the score the fire-safety office sees: batch_candidates reads
    the stored span on the date, and it equals data.firerisk.risk's explained score of every household
    (0 for one without a span)."""
    from data.firerisk import risk

    for as_of in (demo.AS_OF, date(2023, 3, 15)):
        cands = batches.candidates(demo_con, demo.PROGRAMME, [HUAYANG], "2023-08", as_of)
        scored = risk.scored_households(demo_con, demo.PROGRAMME, as_of, [HUAYANG])
        expected = cands["household_id"].map(scored.set_index("household_id")["risk_score"])
        assert (cands["risk_score"] > 0).sum() > 50
        assert np.array_equal(cands["risk_score"].to_numpy(), expected.fillna(0.0).to_numpy())


def test_tiny_roster_without_coordinates_is_planned_by_address_then_by_route(tiny_con):
    from data.households import geocoding
    from data.store.unit_of_work import unit_of_work

    tiny_con.executemany(
        "INSERT INTO address_point (programme_id, point_id, address, lon, lat)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            [TINY, "P1", "虹桥路144弄3号", 121.0030, 31.0020],
            [TINY, "P2", "虹桥路144弄12号", 121.0034, 31.0022],
        ],
    )
    roster = ["虹桥路144弄12号101室", "虹桥路144弄3号1201室", "虹桥路144弄3号502室", "门卫旁边"]
    ids = [f"A{i}" for i in range(len(roster))]
    with unit_of_work(tiny_con, "tester") as uow:
        tiny_con.executemany(
            "INSERT INTO household (household_id, programme_id, address, community_id, street_id,"
            " gas_type, loc_level) VALUES (?, ?, ?, 'C11', 'S1', 'piped', 'community')",
            [[h, TINY, a] for h, a in zip(ids, roster, strict=True)],
        )
        uow.touch(TINY, ids)
    p = batches.plan(tiny_con, TINY, "S1", "2023-06", 1, 8, as_of=date(2023, 5, 20))
    assert set(ids) <= set(p.items.household_id) and p.stats["by_address"] == 4
    day = p.items.sort_values("seq")
    # Same community, room to spare: the address-ordered households follow the routed one.
    assert len(day[["day", "crew"]].drop_duplicates()) == 1
    assert day.household_id.tolist()[-4:] == ["A2", "A1", "A0", "A3"]  # 3号502, 3号1201, 12号, ?
    assert day.order_basis.tolist()[-4:] == ["按地址排序"] * 3 + ["地址待核实"]
    table = batches.roster(p.items, batches.device_names(tiny_con, TINY))
    assert dict(zip(table["户号"], table["定位"], strict=True)) == {
        "H2": "楼栋",
        "A0": "社区",
        "A1": "社区",
        "A2": "社区",
        "A3": "社区",
    }
    geocoding.geocode(tiny_con, TINY, "tester")
    p = batches.plan(tiny_con, TINY, "S1", "2023-06", 1, 8, as_of=date(2023, 5, 20))
    assert p.stats["by_address"] == 1 and p.travel_km > 0
    located = p.items.set_index("household_id")
    assert (
        located.loc["A1", "order_basis"] == "按路线"
        and located.loc["A1", "loc_level"] == "building"
    )
    # One building, one stop: its households one after another, room by room.
    assert located.loc["A2", "seq"] + 1 == located.loc["A1", "seq"]  # 502室, then 1201室
