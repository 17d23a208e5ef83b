"""Shipped programme templates: every number and date equals its seed's, and the loader/CLI.

One assertion per number, each naming the seed section it comes from (../shared/seeds/).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from anju import cli
from data.setup import programmes
from data.store import connection

# {template: [(what, expected, seed section)]}
SEED_NUMBERS = {
    # seed 001 中原区
    "zhongyuan_2022": [
        ("class_deadline:residential", date(2023, 10, 31), "001 四 第二阶段 居民 2023年10月底前"),
        (
            "class_deadline:non_residential",
            date(2022, 6, 30),
            "001 四 第二阶段 非居民 2022年6月底前",
        ),
        ("phase:排查摸底阶段:ends", date(2022, 1, 31), "001 四 第一阶段 2022年1月底前建立台账"),
        (
            "phase:街道自查验收:ends",
            date(2023, 11, 15),
            "001 四 第三阶段 2023年11月15日前 街道自查验收",
        ),
        (
            "phase:领导小组统一抽查验收、排名通报:ends",
            date(2023, 11, 30),
            "001 四 第三阶段 2023年11月30日前 统一抽查验收",
        ),
        ("class_phase:non_residential:install:ends", date(2022, 6, 30), "001 四 第二阶段"),
        ("class_phase:residential:install:ends", date(2023, 10, 31), "001 四 第二阶段"),
        ("share:res_piped_valve_hose:市财政", Fraction(1, 3), "001 六(二) 市级财政三分之一"),
        ("share:res_piped_valve_hose:区财政", Fraction(1, 3), "001 六(二) 区级财政三分之一"),
        (
            "share:res_piped_valve_hose:居民及燃气企业",
            Fraction(1, 3),
            "001 六(二) 居民、企业三分之一",
        ),
        ("share:res_lpg_hose:市财政", Fraction(1, 3), "001 六(二) 瓶装燃气居民 三分之一"),
        ("share:res_lpg_hose:区财政", Fraction(1, 3), "001 六(二)"),
        ("share:res_lpg_hose:居民及燃气企业", Fraction(1, 3), "001 六(二)"),
        ("share:nonres_alarm_valve_hose:非居民用户", Fraction(1), "001 六(一) 用户自行承担"),
        ("rule:restore_within_hours", 24, "001 五(十一) 隐患消除后24小时内恢复供气"),
        ("rule:street_self_acceptance_by", "2023-11-15", "001 四 第三阶段"),
        ("rule:group_spot_check_by", "2023-11-30", "001 四 第三阶段"),
        ("sector:catering", ["区商务局"], "001 五(四) 商务局—餐饮"),
        ("sector:industry", ["区发改委", "区工信局"], "001 五(四) 发改委、工信局—工业"),
        ("sector:elderly_care", ["区民政局"], "001 五(四) 民政局—养老"),
        ("sector:education", ["区教育局"], "001 五(四) 教育局—教育"),
        ("sector:culture", ["区文旅体局"], "001 五(四) 文旅体局—文化娱乐"),
        ("sector:medical", ["区卫健委"], "001 五(四) 卫健委—医疗"),
        ("device_class:nonres_alarm_valve_hose", "non_residential", "001 三(一)"),
        ("device_class:res_piped_valve_hose", "residential", "001 三(二)"),
    ],
    # seed 002 乌审旗
    "wushen_2024": [
        ("target_households", 40000, "002 二 36000 + 4000 户"),
        ("gas:piped", 36000, "002 二 36000户燃气用户"),
        ("gas:lpg", 4000, "002 二 4000户液化石油气用户"),
        ("ends", date(2024, 12, 31), "002 二 2024年12月31日前"),
        ("price:piped_safety_set", Decimal("470.00"), "002 六 470元／户"),
        ("price:lpg_hose_regulator", Decimal("223.00"), "002 六 调压阀223元／户"),
        ("units:piped_safety_set", 36000, "002 二"),
        ("units:lpg_hose_regulator", 4000, "002 二"),
        ("share:device:燃气企业", Fraction(2, 5), "002 六 燃气公司40%"),
        ("share:device:政府", Fraction(3, 10), "002 六 政府部门30%"),
        ("share:device:居民", Fraction(3, 10), "002 六 居民用户30%"),
        ("rule:roster_first_due", "2024-03-20", "002 五(四) 3月20日前第一批花名册"),
        ("rule:roster_day", 10, "002 五(四) 每月10日前"),
        ("rule:spot_check_rate", 0.3, "002 七 随机抽查30％单据"),
        ("rule:spot_check_scope", "当月确认单", "002 七 抽查单据"),
        ("rule:payment_cycle", "quarterly", "002 七 按季度支付政府出资部分"),
        ("rule:opt_out_if_under_warranty", True, "002 三 已安装未超期的自主选择"),
        ("rule:resident_share_collected_by", "社区", "002 七 由社区统一支付用户出资部分"),
        ("phase:宣传统计阶段:ends", date(2024, 3, 31), "002 五(一) 3月31日前完成统计"),
        ("phase:设备采购阶段:ends", date(2024, 4, 5), "002 五(三) 4月5日前完成采购"),
        ("phase:入户安装阶段:ends", date(2024, 12, 30), "002 五(五) 2024年12月30日前完成"),
        (
            "towns",
            ["嘎鲁图镇", "苏力德苏木", "无定河镇", "乌兰陶勒盖镇", "图克镇", "乌审召镇"],
            "002 四 成员",
        ),
    ],
    # seed 004 玉溪镇
    "yuxi_2024": [
        ("eligibility:min_age", 60, "004 二 年满60周岁"),
        ("eligibility:lives_alone", True, "004 二 独居"),
        ("phase:部署准备阶段:ends", date(2024, 5, 30), "004 五(一) 2024年5月30日前"),
        ("phase:实施推进阶段:ends", date(2024, 11, 30), "004 五(二) 2024年11月底前"),
        ("phase:巩固成效阶段:ends", date(2024, 12, 31), "004 五(三) 2024年12月底前"),
        ("rule:report_due", "last_working_day", "004 附件 备注2 每月最后一个工作日"),
        ("rule:report_due_time", "12:00", "004 附件 备注2 12：00前"),
        ("rule:report_first_period", "2024-06", "004 附件 备注2 从6月起"),
        ("device:smoke_detector", "联网型独立式感烟探测器", "004 三(3)"),
        ("device:one_key_alarm", "一键报警器或视频监控", "004 三(3)"),
        ("device:rcd", "三级漏电保护装置", "004 附件"),
        ("device:gas_autoshutoff", "燃气泄漏自动断阀装置", "004 三(5)"),
        ("helpers", ["村（社区）干部", "网格员", "志愿者", "其他"], "004 三(2) / 附件"),
    ],
}


@pytest.fixture(scope="module")
def loaded():
    con = connection.connect(":memory:")
    for name in programmes.shipped():
        programmes.save(con, programmes.read_template(name), "test")
    yield con
    con.close()


def _value(con, pid: str, what: str):
    settings = json.loads(
        con.execute("SELECT settings FROM programme WHERE programme_id = ?", [pid]).fetchone()[0]
    )
    kind, _, rest = what.partition(":")
    one = lambda sql, *args: con.execute(sql, [pid, *args]).fetchone()[0]  # noqa: E731
    if kind in ("target_households", "ends"):
        return one(f"SELECT {kind} FROM programme WHERE programme_id = ?")
    if kind == "gas":
        return settings["targets_by_gas_type"][rest]
    if kind == "price":
        return one(
            "SELECT unit_price_cny FROM device_type WHERE programme_id=? AND device_type=?", rest
        )
    if kind == "units":
        return one(
            "SELECT planned_units FROM device_type WHERE programme_id=? AND device_type=?", rest
        )
    if kind == "device":
        return one("SELECT name FROM device_type WHERE programme_id=? AND device_type=?", rest)
    if kind == "device_class":
        tpl = programmes.stored_template(con, pid)
        return next(d["user_class"] for d in tpl["device"] if d["device_type"] == rest)
    if kind == "share":
        item, payer = rest.split(":")
        share = one(
            "SELECT share FROM cost_share WHERE programme_id=? AND item=? AND payer=?", item, payer
        )
        return Fraction(share).limit_denominator(1000)
    if kind == "rule":
        return settings["rules"][rest]
    if kind == "phase":
        name, field = rest.split(":")
        return one(f"SELECT {field} FROM programme_phase WHERE programme_id=? AND name=?", name)
    if kind == "class_phase":
        cls, k, field = rest.split(":")
        return one(
            f"SELECT {field} FROM programme_class_phase WHERE programme_id=? AND user_class=? AND kind=?",
            cls,
            k,
        )
    if kind == "class_deadline":
        return one(
            "SELECT install_deadline FROM programme_class WHERE programme_id=? AND user_class=?",
            rest,
        )
    if kind == "sector":
        tpl = programmes.stored_template(con, pid)
        return next(s["department"] for s in tpl["sector"] if s["sector"] == rest)
    if kind == "eligibility":
        return settings["eligibility"][rest]
    if kind == "helpers":
        return settings["helpers"]["types"]
    return settings[kind]


@pytest.mark.parametrize(
    ("pid", "what", "expected", "section"),
    [(pid, *row) for pid, rows in SEED_NUMBERS.items() for row in rows],
)
def test_template_number_equals_the_seed(loaded, pid, what, expected, section):
    got = _value(loaded, pid, what)
    assert got == expected, f"{pid} {what}: {got!r}，方案 {section} 为 {expected!r}"


@pytest.mark.parametrize("name", programmes.shipped())
def test_every_shipped_template_is_valid_and_loads_idempotently(name):
    con = connection.connect(":memory:")
    tpl = programmes.read_template(name)
    assert programmes.validate(tpl) == []
    assert programmes.save(con, tpl, "t")["status"] == "created"
    counts = [
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("programme_phase", "device_type", "cost_share", "audit_log")
    ]
    assert programmes.save(con, tpl, "t")["status"] == "unchanged"
    again = [
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("programme_phase", "device_type", "cost_share", "audit_log")
    ]
    assert again == counts


def test_cost_shares_of_each_item_sum_to_one(loaded):
    rows = loaded.execute("SELECT programme_id, item, share FROM cost_share").fetchall()
    sums: dict = {}
    for pid, item, share in rows:
        sums[(pid, item)] = sums.get((pid, item), 0) + Fraction(share).limit_denominator(1000)
    assert sums and all(v == 1 for v in sums.values()), sums


def test_validation_answers_in_chinese():
    tpl = programmes.read_template("wushen_2024")
    bad = {
        **tpl,
        "programme": {**tpl["programme"], "target_households": 40001},
        "phase": [{**tpl["phase"][0], "starts": date(2024, 4, 1), "ends": date(2024, 3, 1)}],
        "device": [{**tpl["device"][0], "unit_price_cny": -1}],
        "cost_share": tpl["cost_share"][:2],
    }
    errors = programmes.validate(bad)
    assert any("按燃气类型的目标户数合计 40000 不等于目标户数 40001" in e for e in errors)
    assert any("晚于结束日期" in e for e in errors)
    assert any("单价 -1 不能小于 0" in e for e in errors)
    assert any("合计 0.7，应为 1" in e for e in errors)


def test_a_changed_file_updates_and_audits_old_to_new(tmp_path):
    con = connection.connect(":memory:")
    tpl = programmes.read_template("changning_2023")
    programmes.save(con, tpl, "admin")
    changed = {**tpl, "programme": {**tpl["programme"], "name": "新名称"}}
    result = programmes.save(con, changed, "admin")
    assert result["status"] == "updated"
    assert result["changes"] == {
        "programme.name": ["长宁区高龄独居老人加装燃气报警器（2023）", "新名称"]
    }
    action, detail = con.execute(
        "SELECT action, detail FROM audit_log ORDER BY audit_id DESC LIMIT 1"
    ).fetchone()
    assert action == "programme_update"
    assert json.loads(detail)["changes"]["programme.name"][1] == "新名称"
    assert con.execute("SELECT name FROM programme").fetchone()[0] == "新名称"


def test_cli_creates_the_database_and_lists_programmes(tmp_path, capsys):
    db = tmp_path / "new" / "district.duckdb"
    assert not db.exists()
    assert cli.main(["programme", "new", "wushen_2024", "--db", str(db)]) == 0
    assert db.exists()
    assert cli.main(["programme", "new", "zhongyuan_2022", "--db", str(db), "--id", "zy"]) == 0
    capsys.readouterr()
    assert cli.main(["programme", "list", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["programme_id"], r["district_id"], r["target_households"]) for r in rows] == [
        ("wushen_2024", "150626", 40000),
        ("zy", "410102", None),
    ]
    assert all(r["name"] for r in rows)


def test_cli_load_is_idempotent_and_reports_changes(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    src = (programmes.TEMPLATE_DIR / "changning_2023.toml").read_text(encoding="utf-8")
    toml = tmp_path / "mine.toml"
    toml.write_text(src, encoding="utf-8")
    assert cli.main(["programme", "load", str(toml), "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "created"
    assert cli.main(["programme", "load", str(toml), "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "unchanged"
    toml.write_text(src.replace("unit_price_cny = 890", "unit_price_cny = 900"), encoding="utf-8")
    assert cli.main(["programme", "load", str(toml), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "已更新" in out and "890 → 900" in out


def test_cli_rejects_a_bad_file_in_chinese(tmp_path, capsys):
    toml = tmp_path / "bad.toml"
    toml.write_text("[programme]\nname = 'x'\n", encoding="utf-8")
    assert cli.main(["programme", "load", str(toml), "--db", str(tmp_path / "d.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "缺少 programme_id" in err and "缺少 district_id" in err
    assert cli.main(["programme", "new", "nope", "--db", str(tmp_path / "d.duckdb")]) == 2
    assert "没有名为 'nope' 的项目模板" in capsys.readouterr().err


def test_cli_templates_lists_every_shipped_template(capsys):
    assert cli.main(["programme", "templates", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["template"] for r in rows] == programmes.shipped()
