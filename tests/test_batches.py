"""Monthly batch planning: working days, priority, crew-days, visit order, status, documents."""

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
from geo import routing
from tests.conftest import TINY

HUAYANG = "310105001"


def synthetic(n: int, seed: int = 3, street: str = "S", communities: int = 6) -> pd.DataFrame:
    """n candidates as the batch_candidates query returns them, in a 2 km square."""
    rng = np.random.default_rng(seed)
    comm = rng.integers(0, communities, n)
    # Each community is a blob, so the naive community order is a fair baseline.
    cx, cy = rng.random(communities) * 0.02, rng.random(communities) * 0.02
    return pd.DataFrame(
        {
            "household_id": [f"X{i:05d}" for i in range(n)],
            "street_id": street,
            "street_name": "测试街道",
            "community_id": [f"C{c:02d}" for c in comm],
            "community_name": [f"第{c}社区" for c in comm],
            "address": [
                f"测试路{rng.integers(1, 900)}号{rng.integers(101, 1201)}室" for _ in range(n)
            ],
            "name": "张三",
            "phone": "13800000000",
            "gas_type": np.where(rng.random(n) < 0.05, "lpg", "piped"),
            "birth_year": 1943 - rng.integers(0, 20, n),
            "age": 80 + rng.integers(0, 20, n),
            "lon": 121.40 + cx[comm] + rng.normal(0, 0.002, n),
            "lat": 31.20 + cy[comm] + rng.normal(0, 0.002, n),
            "surveyed": True,
            "hazard_open": rng.random(n) < 0.08,
            "gas_cut": rng.random(n) < 0.02,
            "refused": rng.random(n) < 0.03,
            "hazard_kinds": None,
            "community_completion": (comm / communities).astype(float),
            "open_batch_id": None,
            "carried_from": None,
            "risk_score": rng.integers(0, 30, n).astype(float),
        }
    )


def propose(cands: pd.DataFrame, month: str = "2023-08", crews: int = 3, per_day: int = 8, **kw):
    return batches.propose(
        cands, programme_id="p", street_id="S", month=month, crews=crews, per_day=per_day, **kw
    )


# ---------------------------------------------------------------- working days


def test_october_2023_has_national_day_off_and_two_make_up_weekend_days():
    days = workdays.working_days("2023-10")
    assert len(days) == 19
    assert date(2023, 10, 2) not in days  # 国庆
    assert date(2023, 10, 6) not in days  # a Friday, still holiday
    assert {date(2023, 10, 7), date(2023, 10, 8)} <= set(days)  # 调休 Saturday and Sunday
    assert workdays.day_kind(date(2023, 10, 7)) == "makeup"
    assert workdays.day_kind(date(2023, 10, 3)) == "holiday"
    assert workdays.day_kind(date(2023, 10, 14)) == "weekend"


def test_april_2023_qingming_and_a_make_up_sunday():
    days = workdays.working_days("2023-04")
    assert date(2023, 4, 5) not in days  # 清明
    assert date(2023, 4, 23) in days  # 调休 Sunday (for 劳动节)
    assert len(days) == 20


def test_bad_month_is_a_clear_error():
    with pytest.raises(ValueError, match="YYYY-MM"):
        workdays.working_days("2023/8")


# ---------------------------------------------------------------- routing units


def test_visit_order_on_a_line_walks_it_end_to_end():
    lon = np.array([121.000, 121.004, 121.001, 121.003, 121.002])
    lat = np.full(5, 31.0)
    order = routing.visit_order(lon, lat)
    assert sorted(order.tolist()) == [0, 1, 2, 3, 4]
    walked = routing.path_m(lon[order], lat[order])
    assert walked == pytest.approx(routing.haversine_m(121.0, 31.0, 121.004, 31.0), rel=1e-6)


def test_compact_groups_split_two_far_clusters_cleanly():
    lon = np.r_[np.full(4, 121.0) + np.arange(4) * 1e-4, np.full(4, 121.1) + np.arange(4) * 1e-4]
    lat = np.full(8, 31.0)
    lab = routing.compact_groups(lon, lat, 4)
    assert len(set(lab[:4])) == 1 and len(set(lab[4:])) == 1 and lab[0] != lab[4]


def test_compact_groups_respect_size_and_are_deterministic():
    c = synthetic(500)
    a = routing.compact_groups(c.lon, c.lat, 8, community=c.community_id)
    b = routing.compact_groups(c.lon, c.lat, 8, community=c.community_id)
    assert np.array_equal(a, b)
    assert np.bincount(a).max() <= 8 and a.max() + 1 == 63  # ceil(500 / 8)


# ---------------------------------------------------------------- proposing a batch (pure)


def test_every_household_once_within_capacity_on_working_days():
    cands = synthetic(700)
    p = propose(cands, month="2023-10", crews=3, per_day=8)
    assert p.capacity == 3 * 8 * 19
    assert p.items["household_id"].is_unique
    assert len(p.items) == p.capacity  # more eligible candidates than capacity
    assert not set(p.items.household_id) & set(p.waiting.household_id)
    assert set(p.items["day"]) <= set(workdays.working_days("2023-10"))
    assert date(2023, 10, 7) in set(p.items["day"])  # the 调休 Saturday is used
    per_crew_day = p.items.groupby(["day", "crew"]).size()
    assert per_crew_day.max() <= 8 and set(p.items["crew"]) == {1, 2, 3}
    seqs = p.items.groupby(["day", "crew"])["seq"].apply(sorted)
    assert all(s == list(range(1, len(s) + 1)) for s in seqs)


def test_refusals_gas_cuts_and_open_batches_are_not_planned():
    cands = synthetic(300)
    cands.loc[:9, "open_batch_id"] = "S-2023-08-1"
    p = propose(cands)
    planned = set(p.items.household_id)
    blocked = cands[cands.refused | cands.gas_cut]
    assert len(blocked) > 0
    assert not planned & set(blocked.household_id)
    assert set(p.held_back.household_id) == set(blocked.household_id)
    assert not planned & set(cands.household_id[:10])
    assert "hazard_open" in p.held_back.columns  # shown with their hazard status


def test_priority_rules_decide_who_gets_in_and_say_why():
    cands = synthetic(400)
    p = propose(cands, crews=1, per_day=4)  # capacity 92 of ~350 eligible
    eligible = cands[~(cands.refused | cands.gas_cut)]
    hazards = set(eligible.household_id[eligible.hazard_open])
    assert hazards <= set(p.items.household_id)  # open hazards first
    assert p.items.loc[p.items.hazard_open, "reason"].str.startswith("隐患未整改").all()
    # Among the rest, the highest fire-risk scores got in.
    rest = p.items[~p.items.hazard_open]
    left = p.waiting[~p.waiting.hazard_open]
    assert rest.risk_score.min() >= left.risk_score.max()
    # Rule order switched: LPG users first.
    lpg_first = propose(cands, crews=1, per_day=4, rules=("lpg", "age"))
    assert set(eligible.household_id[eligible.gas_type == "lpg"]) <= set(
        lpg_first.items.household_id
    )
    assert (
        lpg_first.items.loc[lpg_first.items.gas_type == "lpg", "reason"]
        .str.contains("液化气")
        .all()
    )


def test_urgent_households_are_visited_early_in_the_month():
    p = propose(synthetic(300))
    first_day = p.items["day"].min()
    hazard_days = p.items.loc[p.items.hazard_open, "day"]
    assert (hazard_days - first_day).map(lambda d: d.days).median() < 10


def test_same_inputs_same_plan():
    cands = synthetic(400)
    a, b = propose(cands), propose(cands.sample(frac=1, random_state=1))
    cols = ["household_id", "day", "crew", "seq"]
    assert a.items[cols].equals(b.items[cols])
    assert a.travel_km == b.travel_km


def test_planned_route_is_shorter_than_the_naive_order():
    p = propose(synthetic(400))
    assert p.travel_km <= 0.7 * p.naive_km
    assert p.travel_km == pytest.approx(batches.planned_travel_m(p.items) / 1000)


def address_only(n: int, communities: int = 3, seed: int = 5) -> pd.DataFrame:
    """n candidates placed by community only: no point, a Shanghai-style address each."""
    rng = np.random.default_rng(seed)
    cands = synthetic(n, seed=seed, communities=communities)
    cands[["lon", "lat"]] = np.nan
    cands[["refused", "gas_cut"]] = False
    comm = cands["community_id"].str[1:].astype(int)
    lanes = 100 + comm * 10 + rng.integers(0, 2, n)  # two lanes per community
    cands["address"] = [
        f"上海市长宁区华阳路{lane}弄{b}号{r}室"
        for lane, b, r in zip(
            lanes, rng.integers(1, 30, n), rng.integers(101, 1203, n), strict=True
        )
    ]
    cands.loc[cands.index[:3], "address"] = "门口小卖部后面"  # nothing to read
    return cands


def test_address_only_street_is_planned_in_address_order():
    cands = address_only(150)
    p = propose(cands)  # capacity 3 × 8 × 23 = 552: everyone fits
    assert len(p.items) == len(cands) and len(p.waiting) == 0
    assert p.stats["by_address"] == 150 and p.stats["address_unverified"] == 3
    assert p.travel_km == 0 and p.naive_km == 0  # nothing to measure without points
    assert "no_coordinates" not in p.stats
    unverified = p.items[p.items.order_basis == "地址待核实"]
    assert set(unverified.household_id) == set(cands.household_id[:3])
    assert (p.items.order_basis.isin(["按地址排序", "地址待核实"])).all()
    for _, day in p.items.groupby(["day", "crew"]):
        assert len(day) <= 8
        assert day.community_id.nunique() == 1  # room to spare: a day never mixes communities
        day = day.sort_values("seq")
        known = day[day.order_basis == "按地址排序"]
        # Within a lane, building by number (3号 before 12号), then room; unreadable ones last.
        lane = known.address.str.extract(r"(\d+)弄(\d+)号(\d+)室").astype(int)
        assert lane.apply(tuple, axis=1).is_monotonic_increasing
        assert (day.order_basis.iloc[len(known) :] == "地址待核实").all()


def test_address_only_households_are_ranked_and_cut_to_capacity():
    cands = address_only(300, communities=7)
    p = propose(cands, crews=1, per_day=5)  # 1 × 5 × 23 = 115: ranking decides who goes
    assert p.capacity == 115 and len(p.items) == 115 and len(p.waiting) == 185
    ranked = batches.prioritise(cands, batches.DEFAULT_RULES)
    assert set(p.items.household_id) == set(ranked.household_id[:115])
    slots = p.items.groupby(["day", "crew"]).size()
    # Seven communities cut into days of 5 leave part-full days: to fit everyone the month has
    # room for, part-full days of different communities share a crew-day.
    assert len(slots) == 23 and slots.max() <= 5
    assert (slots.index.get_level_values("day").isin(p.workdays)).all()


def test_point_and_address_households_share_a_month():
    cands = synthetic(120)
    cands.loc[cands.index[::4], ["lon", "lat"]] = np.nan  # a quarter placed by community only
    p = propose(cands)
    free = cands[~(cands.refused | cands.gas_cut)]
    assert set(p.items.household_id) == set(free.household_id)
    routed = p.items[p.items.lon.notna()]
    assert (routed.order_basis == "按路线").all()
    assert (p.items[p.items.lon.isna()].order_basis != "按路线").all()
    assert p.stats["by_address"] == int(free.lon.isna().sum())
    assert p.travel_km == pytest.approx(batches.planned_travel_m(routed) / 1000)
    assert p.travel_km > 0
    summary = p.summary()
    assert summary["by_address"] == p.stats["by_address"] and "travel_km" in summary


def test_households_of_one_building_are_one_stop():
    cands = synthetic(40)
    cands[["refused", "gas_cut"]] = False
    cands.loc[cands.index[:6], ["lon", "lat"]] = (121.41, 31.21)  # one building, six households
    p = propose(cands)
    same = p.items[p.items.household_id.isin(cands.household_id[:6])]
    assert same[["day", "crew"]].drop_duplicates().shape[0] == 1
    assert sorted(same.seq.diff().dropna().tolist()) == [1.0] * 5  # visited one after another


def test_unknown_rule_is_refused():
    with pytest.raises(batches.BatchError, match="未知优先规则"):
        propose(synthetic(20), rules=("hazard", "bogus"))


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
