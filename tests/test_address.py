"""geo.address: one table of real-looking Shanghai roster variants and what each must parse to."""

from __future__ import annotations

import random

import pytest

from geo.address import MAX_CHARS, Address, normalise, parse

# (as written in a roster or an address base, road, lane, building, room, estate)
CASES = [
    # the same building, written thirteen ways
    ("虹桥路144弄3号601室", "虹桥路", "144弄", "3", "601", ""),
    ("上海市徐汇区虹桥路144弄3号601室", "虹桥路", "144弄", "3", "601", ""),
    ("上海徐汇虹桥路144弄3号601室", "虹桥路", "144弄", "3", "601", ""),
    ("徐汇区虹桥路一百四十四弄三号六零一室", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路１４４弄３号６０１室", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路 144 弄 3 号 601 室", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路144弄3-601", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路144弄3－601室", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路144弄3号601", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路144弄3号楼601", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路144弄3#601", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路一百四十四弄三-601", "虹桥路", "144弄", "3", "601", ""),
    ("虹桥路144弄03号0601室", "虹桥路", "144弄", "3", "601", ""),
    # roads with compass words and numbers
    ("中山西路1000弄5号", "中山西路", "1000弄", "5", "", ""),
    ("北京东路二十号", "北京东路", "", "20", "", ""),
    ("长宁路1018号", "长宁路", "", "1018", "", ""),
    ("长宁区长宁路1018号", "长宁路", "", "1018", "", ""),
    ("长宁长宁路1018号", "长宁路", "", "1018", "", ""),
    ("长宁北路39弄2号", "长宁北路", "39弄", "2", "", ""),
    ("徐汇东路8号", "徐汇东路", "", "8", "", ""),
    ("宝山路300号", "宝山路", "", "300", "", ""),
    ("一二八纪念路100号", "一二八纪念路", "", "100", "", ""),
    ("四平路1239号", "四平路", "", "1239", "", ""),
    ("浦东新区世纪大道100号", "世纪大道", "", "100", "", ""),
    ("沪闵公路7388弄12号302室", "沪闵公路", "7388弄", "12", "302", ""),
    ("福佑街8号", "福佑街", "", "8", "", ""),
    ("同福巷2号", "同福巷", "", "2", "", ""),
    # lanes and sub-lanes
    ("延安西路1448弄2支弄5号", "延安西路", "1448弄2支弄", "5", "", ""),
    ("愚园路一千零一十八弄十二号", "愚园路", "1018弄", "12", "", ""),
    ("武夷路二〇三弄六号", "武夷路", "203弄", "6", "", ""),
    ("法华镇路535弄5号", "法华镇路", "535弄", "5", "", ""),
    # estates: 新村, 小区, 苑, 花园, 公寓, 大厦, 村, with 号楼/栋/幢/座
    ("仙霞新村十二号楼", "", "", "12", "", "仙霞新村"),
    ("仙霞新村12号楼301室", "", "", "12", "301", "仙霞新村"),
    ("曹杨一村12号", "", "", "12", "", "曹杨一村"),
    ("曹杨1村12号", "", "", "12", "", "曹杨1村"),
    ("天山五村8栋", "", "", "8", "", "天山五村"),
    ("虹储小区5幢202室", "", "", "5", "202", "虹储小区"),
    ("古北瑞仕花园三号楼", "", "", "3", "", "古北瑞仕花园"),
    ("虹桥大厦A座1201室", "", "", "A", "1201", "虹桥大厦"),
    ("锦苑第6栋", "", "", "6", "", "锦苑"),
    ("金玉兰公寓2号楼1702", "", "", "2", "1702", "金玉兰公寓"),
    ("一品新村5号", "", "", "5", "", "一品新村"),
    # estate and road together; compound gate numbers
    ("天山新村天山路100弄2号", "天山路", "100弄", "2", "", "天山新村"),
    ("虹桥路1号虹桥花园3号楼1201室", "虹桥路", "1号", "3", "1201", "虹桥花园"),
    ("金钟路968号12号楼", "金钟路", "968号", "12", "", ""),
    ("延安西路2299弄（锦苑）12号2单元301室", "延安西路", "2299弄", "12", "2-301", "锦苑"),
    # streets, towns, communities before the address
    ("华阳路街道华阳路112弄5号", "华阳路", "112弄", "5", "", ""),
    ("新泾镇天山西路799弄3号", "新泾镇天山西路", "799弄", "3", "", ""),  # town not named by caller
    ("番镇公寓2栋601", "", "", "2", "601", "番镇公寓"),
    ("镇宁路405弄6号", "镇宁路", "405弄", "6", "", ""),
    ("中国上海市长宁区仙霞路社区仙霞路350弄7号", "仙霞路", "350弄", "7", "", ""),
    # brackets: building inside them counts; a note about an old number does not
    ("阳光花园（3号楼）602", "", "", "3", "602", "阳光花园"),
    ("虹桥路144弄3号(原100号)", "虹桥路", "144弄", "3", "", ""),
    ("【长宁】定西路1300弄8号", "定西路", "1300弄", "8", "", ""),
    # building letters and 甲/乙
    ("中山西路1000弄5号甲", "中山西路", "1000弄", "5甲", "", ""),
    ("水城路20b号", "水城路", "", "20B", "", ""),
    # names nobody may turn into digits
    ("五角场", "", "", "", "", ""),
    # no building named
    ("虹桥路144弄", "虹桥路", "144弄", "", "", ""),
    ("虹桥路", "虹桥路", "", "", "", ""),
]


@pytest.mark.parametrize(("text", "road", "lane", "building", "room", "estate"), CASES)
def test_parse_table(text, road, lane, building, room, estate):
    got = parse(text)
    assert (got.road, got.lane, got.building, got.room, got.estate) == (
        road,
        lane,
        building,
        room,
        estate,
    )


def test_table_is_large():
    assert len(CASES) >= 40


def test_thirteen_ways_of_one_building_share_one_key():
    keys = {parse(row[0]).road_key for row in CASES[:13]}
    assert keys == {"虹桥路|144弄|3"}


def test_building_words_are_one_building():
    """号楼/栋/幢/座 and plain 号 name the same building, so their keys are equal."""
    keys = {parse(f"仙霞新村12{unit}").estate_key for unit in ("号", "号楼", "栋", "幢", "座")}
    assert keys == {"仙霞新村|12"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上海市徐汇区虹桥路一百四十四弄三号601室", "虹桥路144弄3号601室"),
        ("虹桥路（虹桥新村）十二号楼", "虹桥路虹桥新村12号楼"),
        ("上海 长宁 仙霞新村 ５号", "仙霞新村5号"),
        ("第三栋", "3栋"),
        ("五角场一品新村", "五角场一品新村"),
        ("四平路", "四平路"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_caller_names_are_dropped():
    names = ["长宁区", "天山路街道", "天山社区", "虹桥街道"]
    assert normalise("长宁区天山路街道天山社区天山西路799弄3号", names) == "天山西路799弄3号"
    # a bare street name that is a road stays: it is the address
    assert parse("华阳路112弄5号", ["华阳路"]).road == "华阳路"
    # a bare district name derived from a given 区 is dropped, but not from its own road
    assert normalise("某某虹桥路1号", ["某某区"]) == "虹桥路1号"
    assert normalise("某某路1号", ["某某区"]) == "某某路1号"


def test_towns_are_dropped_when_the_caller_names_them():
    names = ["新泾镇", "七宝镇"]
    assert parse("新泾镇天山西路799弄3号", names).road_key == "天山西路|799弄|3"
    assert parse("七宝镇七莘路1839弄12号", names).road_key == "七莘路|1839弄|12"
    assert parse("镇宁路405弄6号", names).road == "镇宁路"


def test_keys():
    a = parse("天山新村天山路100弄2号301室")
    assert a.road_key == "天山路|100弄|2"
    assert a.estate_key == "天山新村|2"
    assert a.lane_key == "天山路|100弄"
    assert a.number_key == "100弄|2"
    assert a.text == "天山路100弄天山新村2号301室"
    b = parse("虹桥路144弄")
    assert (b.road_key, b.estate_key, b.number_key, b.lane_key) == ("", "", "", "虹桥路|144弄")


@pytest.mark.parametrize("value", [None, float("nan"), 3, b"\xe8\x99\xb9", "", "   ", "号号号弄室"])
def test_not_an_address_gives_empty_keys(value):
    got = parse(value)
    assert isinstance(got, Address)
    assert got.road_key == got.estate_key == ""
    assert isinstance(normalise(value), str)


def test_long_input_is_truncated():
    text = "虹桥路144弄3号" + "很" * 10_000
    assert len(normalise(text)) <= MAX_CHARS
    assert parse(text).road_key == "虹桥路|144弄|3"


def test_any_string_parses():
    """Random strings from address characters, CJK, punctuation and astral planes never raise.

    A seeded loop rather than hypothesis: hypothesis is not a dependency of the project.
    """
    alphabet = list(
        "虹桥路弄号室栋幢座楼层单元支小区新村苑花园公寓大厦一二三四五六七八九十百千零〇两第"
    )
    alphabet += list("0123456789-#()（）【】 ,，、.\t\n－—ＡａZ甲乙")
    alphabet += ["\x00", "\ud800", "😀", "\u200b"]
    rng = random.Random(20240601)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        got = parse(text)
        assert isinstance(got, Address)
        assert isinstance(normalise(text), str)
        assert len(got.text) <= 4 * MAX_CHARS
