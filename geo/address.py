"""One normaliser for Chinese (Shanghai-style) addresses: 路 N弄 M号 R室, 小区/新村 M号楼.

Rosters and the district's standard address base (标准地址库, one point per building) write the
same building many ways: 上海市徐汇区虹桥路一百四十四弄三号601室, 虹桥路144弄3-601,
虹桥路１４４弄３号楼６０１. `normalise` turns them into one text and `parse` into components whose
`key`s compare equal. Pure: no I/O, never raises on a str, inputs bounded to `MAX_CHARS`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import cn2an

MAX_CHARS = 200  # a roster cell longer than this is not an address; the tail is cut, never parsed

# Shanghai's sixteen districts. A bare name (徐汇) is dropped only where it is not the start of a
# road or place called after it (长宁路, 宝山路, 嘉定新城 keep theirs).
SHANGHAI_DISTRICTS = (
    "黄浦",
    "徐汇",
    "长宁",
    "静安",
    "普陀",
    "虹口",
    "杨浦",
    "闵行",
    "宝山",
    "嘉定",
    "浦东新",
    "浦东",
    "金山",
    "松江",
    "青浦",
    "奉贤",
    "崇明",
)
ROAD_SUFFIXES = ("大道", "公路", "路", "街", "巷")
ESTATE_SUFFIXES = ("小区", "新村", "公寓", "花园", "大厦", "家园", "苑", "村")

_CN_DIGITS = "〇零一二两三四五六七八九十百千"
# A Chinese numeral is converted only where a unit of an address follows it, so names keep
# theirs: 五角场, 一品新村, 曹杨一村, 四平路 stay as written. 三-601 is building 3, room 601.
_CN_NUMBER = re.compile(rf"第?([{_CN_DIGITS}]+)(?=支弄|弄|号|栋|幢|座|室|单元|层|楼|-\d)")
_DASHES = re.compile(r"[‐‑‒–—―−~～/]")
_DROP = re.compile(r"[\s,，、;；:：'\"“”‘’·•。.　]+")
_BRACKETS = re.compile(
    r"[(\[{【〔〈《「『]([^()\[\]{}【】〔〕〈〉《》「」『』]*)[)\]}】〕〉》」』]"
)
_STRAY_BRACKETS = re.compile(r"[()\[\]{}【】〔〕〈〉《》「」『』]")
_ORDINAL = re.compile(r"第(?=\d)")

# Prefixes that say where the district is, not where in it: always dropped from the start.
# Towns (X镇) are not: 镇 sits inside too many names (镇宁路, 番镇公寓); callers name theirs.
_ADMIN_PREFIX = re.compile(
    r"^(?:中国|中华人民共和国|上海市|上海(?![路街巷])|"
    r"[\u4e00-\u9fff]{1,6}?(?:街道办事处|街道)|"
    r"[\u4e00-\u9fff]{1,8}?(?:居民委员会|居委会|居委|村民委员会|村委会|社区))"
)
# What may follow a bare district name when it is really the start of a name (长宁路, 长宁北路,
# 嘉定新城).
_NAME_CONTINUES = re.compile(r"[东南西北中]?[路街巷道弄号村城镇寺卫苑园港站桥湾区大公新]")

_TOKEN = re.compile(
    r"(?P<lane>\d+)弄(?:(?P<sublane>\d+)支弄)?"
    r"|(?P<bldg>\d+[A-Z]?|[A-Z])(?:号楼|栋|幢|座)"
    r"|(?P<hao>\d+[A-Z甲乙丙丁]?)号(?P<haosuffix>[甲乙丙丁](?![\u4e00-\u9fff]))?"
    r"|(?P<dash>\d+[A-Z]?)-(?P<dashroom>\d+)(?![\d号弄])室?"
    r"|(?P<room>\d+[A-Z]?)室"
    r"|(?P<unit>\d+)单元"
    r"|(?P<floor>\d+)(?:层|楼)"
    r"|(?P<digits>\d+)"
    # Words may carry digits that belong to a name: 曹杨1村, 阳光花园2期.
    r"|(?P<words>(?:[^\dA-Z\-]+|\d+(?=村|小区|街坊|期))+)"
    r"|(?P<other>.)"
)
# Fast paths for the two shapes most base rows and many roster rows already have
# (虹桥路144弄3号601室, 仙霞新村12号楼). A name without any suffix character inside it gives
# the same components on the slow path, so these change speed, never results.
_PLAIN_NAME = r"(?:(?![区村寓园厦苑路街巷道])[\u4e00-\u9fff])+"
_NUMBER = r"[1-9]\d*"
_FAST_ROAD = re.compile(
    rf"(?P<road>{_PLAIN_NAME}(?:大道|公路|路|街|巷))(?:(?P<lane>{_NUMBER})弄)?"
    rf"(?P<building>{_NUMBER})(?:号楼|号|栋|幢|座)(?:(?P<room>{_NUMBER})室)?"
)
_FAST_ESTATE = re.compile(
    rf"(?P<estate>{_PLAIN_NAME}(?:小区|新村|公寓|花园|大厦|家园|苑|村))"
    rf"(?P<building>{_NUMBER})(?:号楼|号|栋|幢|座)(?:(?P<room>{_NUMBER})室)?"
)
_ROAD = re.compile(r".+?(?:大道|公路|路|街(?!道|坊)|巷)")
_ESTATE = re.compile(r".+?(?:小区|新村|公寓|花园|大厦|家园|苑|村)")


@dataclass(frozen=True)
class Address:
    """A parsed address. Numbers are digit strings without units: lane '144', building '3'.

    `lane` keeps its unit because two kinds share the slot: a lane (144弄, 144弄3支弄) or a
    compound's gate number (虹桥路1号 in 虹桥路1号3号楼). `rest` is what no rule claimed.
    """

    road: str = ""
    lane: str = ""
    building: str = ""
    room: str = ""
    estate: str = ""
    rest: str = ""

    @property
    def road_key(self) -> str:
        """road|lane|building — names one building when road and building are both known."""
        if not (self.road and self.building):
            return ""
        return f"{self.road}|{self.lane}|{self.building}"

    @property
    def estate_key(self) -> str:
        """estate|building — names one building inside a named estate."""
        if not (self.estate and self.building):
            return ""
        return f"{self.estate}|{self.building}"

    @property
    def lane_key(self) -> str:
        """road|lane — a lane or compound: the place to fall back to when its building is unknown."""
        if not (self.road and self.lane):
            return ""
        return f"{self.road}|{self.lane}"

    @property
    def number_key(self) -> str:
        """lane|building, the numbers alone: the block that fuzzy name matching stays inside."""
        if not self.building:
            return ""
        return f"{self.lane}|{self.building}"

    @property
    def text(self) -> str:
        """The canonical text: 虹桥路144弄3号601室 (estate after road and lane; rest dropped)."""
        parts = [self.road, self.lane, self.estate]
        if self.building:
            parts.append(f"{self.building}号")
        if self.room:
            parts.append(f"{self.room}室")
        return "".join(parts)


EMPTY = Address()


@lru_cache(maxsize=4096)
def _cn_to_int(numeral: str) -> str | None:
    try:
        value = cn2an.cn2an(numeral, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return str(int(value))


def _digits(match: re.Match[str]) -> str:
    converted = _cn_to_int(match.group(1))
    return match.group(0) if converted is None else converted


_ADMIN_SUFFIXES = ("区", "市", "县", "街道", "镇", "乡", "社区", "居委")


def _strip_prefixes(text: str, names: re.Pattern[str]) -> str:
    """Drop province/city/district/street/community prefixes from the start, repeatedly."""
    while text:
        before = text
        m = names.match(text)
        if m:
            name, rest = m.group(0), text[m.end() :]
            # A bare name (徐汇) only where it does not start a name of its own (长宁路), and
            # never one that is itself a road or estate (华阳路 given for 华阳路街道).
            bare = not name.endswith(_ADMIN_SUFFIXES)
            if not bare or not (
                not rest
                or _NAME_CONTINUES.match(rest)
                or name.endswith(ROAD_SUFFIXES + ESTATE_SUFFIXES)
            ):
                text = rest
                continue
        text = _ADMIN_PREFIX.sub("", text, count=1)
        if text == before:
            return text
    return text


@lru_cache(maxsize=64)
def _prefix_names(extra: tuple[str, ...]) -> re.Pattern[str]:
    names: set[str] = set()
    for d in SHANGHAI_DISTRICTS:
        names.update((d + "区", d + "县", d))
    for raw in extra:
        name = _base_clean(raw)
        if not name:
            continue
        names.add(name)
        # A district's bare name (徐汇) as well; a street's (华阳路 of 华阳路街道) is often a road.
        if name.endswith("区") and len(name) > 2:
            names.add(name[:-1])
    # Longest first, so 浦东新区 goes before 浦东.
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in ordered))


def _base_clean(text: str) -> str:
    """NFKC, one dash, no spaces or punctuation, upper-case Latin letters, # as 号."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    text = _DASHES.sub("-", text)
    text = _DROP.sub("", text)
    return text.replace("#", "号").upper()


def _numerals(text: str) -> str:
    text = _CN_NUMBER.sub(_digits, text)
    return _ORDINAL.sub("", text)


def normalise(text: object, district_names: Iterable[str] = ()) -> str:
    """One text per address: prefixes dropped, half-width, digits, no spaces, brackets or punctuation.

    `district_names` adds names to drop from the start (a district, its streets, communities) to
    the built-in Shanghai districts. Bracket content is kept (it often names the estate or the
    building); `parse` is what decides which part wins. Anything that is not a str gives ''.
    """
    if not isinstance(text, str):
        return ""
    names = _prefix_names(tuple(district_names))
    cleaned = _numerals(_base_clean(text))
    cleaned = _STRAY_BRACKETS.sub("", cleaned)
    return _strip_prefixes(cleaned, names)


def _split_words(run: str, found: dict[str, str], rest: list[str]) -> None:
    """Split a run of non-numbers into road / estate / rest, leftmost-shortest first."""
    pos = 0
    while pos < len(run):
        road = _ROAD.match(run, pos)
        estate = _ESTATE.match(run, pos)
        pick = None
        if road and estate:
            # 天山新村天山路: the estate ends first. 张村路: the estate's end runs on into a road.
            if estate.end() < road.end() and not run.startswith(ROAD_SUFFIXES, estate.end()):
                pick = ("estate", estate)
            else:
                pick = ("road", road)
        elif road:
            pick = ("road", road)
        elif estate:
            pick = ("estate", estate)
        if pick is None:
            rest.append(run[pos:])
            return
        kind, m = pick
        gap_text = m.group(0)
        if kind in found:
            rest.append(gap_text)
        else:
            found[kind] = gap_text
        pos = m.end()


def _num(text: str) -> str:
    """Leading zeros off a number with an optional letter: '03' → '3', '12A' stays."""
    stripped = text.lstrip("0")
    return stripped if stripped and not stripped[0].isalpha() else (stripped or "0")


def _parse_clean(text: str) -> Address:
    fast = _FAST_ROAD.fullmatch(text)
    if fast:
        lane = fast.group("lane")
        return Address(
            road=fast.group("road"),
            lane=f"{lane}弄" if lane else "",
            building=fast.group("building"),
            room=fast.group("room") or "",
        )
    fast = _FAST_ESTATE.fullmatch(text)
    if fast:
        return Address(
            building=fast.group("building"),
            room=fast.group("room") or "",
            estate=fast.group("estate"),
        )
    return _parse_slow(text)


def _parse_slow(text: str) -> Address:
    found: dict[str, str] = {}
    rest: list[str] = []
    lane = room = unit = ""
    haos: list[str] = []  # N号 in order: gate numbers and buildings
    bldgs: list[str] = []  # N号楼 / N栋 / N幢 / N座 / the N of N-601
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("lane", "sublane"):
            if not lane and m.group("lane") is not None:
                lane = f"{_num(m.group('lane'))}弄"
                if m.group("sublane"):
                    lane += f"{_num(m.group('sublane'))}支弄"
            else:
                rest.append(m.group(0))
        elif kind == "bldg":
            bldgs.append(_num(m.group("bldg")))
        elif kind in ("hao", "haosuffix"):
            haos.append(_num(m.group("hao")) + (m.group("haosuffix") or ""))
        elif kind in ("dash", "dashroom"):
            bldgs.append(_num(m.group("dash")))
            room = room or _num(m.group("dashroom"))
        elif kind == "room":
            room = room or _num(m.group("room"))
        elif kind == "unit":
            unit = _num(m.group("unit"))
        elif kind == "digits":
            # A bare number after the building is its room: 3号601, 3号楼601.
            if (haos or bldgs) and not room:
                room = _num(m.group("digits"))
            else:
                rest.append(m.group(0))
        elif kind == "words":
            _split_words(m.group("words"), found, rest)
        else:
            rest.append(m.group(0))
    building = ""
    if bldgs:
        building = bldgs[-1]
        if haos and not lane:
            lane = f"{haos[0]}号"  # 虹桥路1号3号楼: 1号 is the compound's gate
    elif haos:
        building = haos[-1]
        if len(haos) > 1 and not lane:
            lane = f"{haos[0]}号"
    if unit and room:
        room = f"{unit}-{room}"
    elif unit:
        rest.append(f"{unit}单元")
    return Address(
        road=found.get("road", ""),
        lane=lane,
        building=building,
        room=room,
        estate=found.get("estate", ""),
        rest="".join(rest),
    )


@lru_cache(maxsize=1024)
def _parse_cached(text: str, names: tuple[str, ...]) -> Address:
    cleaned = _numerals(_base_clean(text))
    inner = [m.group(1) for m in _BRACKETS.finditer(cleaned)]
    outer = _STRAY_BRACKETS.sub("", _BRACKETS.sub("", cleaned))
    prefixes = _prefix_names(names)
    main = _parse_clean(_strip_prefixes(outer, prefixes))
    if inner and not main.building:
        # 阳光花园(3号楼)602: the brackets hold the building, so they are part of the address.
        return _parse_clean(_strip_prefixes(_STRAY_BRACKETS.sub("", cleaned), prefixes))
    # Otherwise bracket content only fills what the address left empty, so a note such as
    # (原100号) cannot replace the building the address names.
    for part in inner:
        extra = _parse_clean(_strip_prefixes(part, prefixes))
        main = Address(
            road=main.road or extra.road,
            lane=main.lane or extra.lane,
            building=main.building or extra.building,
            room=main.room or extra.room,
            estate=main.estate or extra.estate,
            rest=main.rest + extra.rest,
        )
    return main


def parse(text: object, district_names: Iterable[str] = ()) -> Address:
    """Components of an address: road, lane, building, room, estate and what is left over.

    Never raises: anything that is not a str, or a str with nothing recognisable, gives an
    Address whose keys are all ''.
    """
    if not isinstance(text, str) or not text.strip():
        return EMPTY
    return _parse_cached(text[:MAX_CHARS], tuple(district_names))
