"""What a programme calls its levels: 全区/街镇/社区 in a 区, 全旗/苏木镇/嘎查 in a 旗, and so on.

Every label, banner and export names the levels in the programme's own words; a 旗 has no 街镇.
The words follow from the district's name (its last character is its kind) and can be set in the
programme's template ([programme] level_names = {street = "…", …}).
"""

from __future__ import annotations

from collections.abc import Mapping

LEVELS = ("district", "street", "community")

# By the kind of the programme's area (the last character of its name). A programme that covers
# one town (a template's `town`) names its levels after the town: 全镇, its 村 and 社区.
_BY_KIND: dict[str, dict[str, str]] = {
    "区": {"district": "全区", "street": "街镇", "community": "社区"},
    "旗": {"district": "全旗", "street": "苏木镇", "community": "嘎查"},
    "县": {"district": "全县", "street": "乡镇", "community": "村"},
    "市": {"district": "全市", "street": "街镇", "community": "社区"},
    "镇": {"district": "全镇", "street": "村", "community": "社区"},
}
DEFAULT = _BY_KIND["区"]

# Placeholders a label may carry: filled with the current programme's words.
PLACEHOLDERS = {
    "district": "{district_level}",
    "street": "{street_level}",
    "community": "{community_level}",
}


def level_names(
    district_name: str | None,
    *,
    town: str | None = None,
    override: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """{district, street, community} words for an area called `district_name` (or the `town`
    a programme covers), with any of them set by `override` (the template's level_names)."""
    area = (town or district_name or "").strip()
    words = dict(_BY_KIND.get(area[-1:], DEFAULT))
    for level, word in (override or {}).items():
        if level in LEVELS and isinstance(word, str) and word.strip():
            words[level] = word.strip()
    return words


def for_settings(
    settings: Mapping[str, object], district_name: str | None = None
) -> dict[str, str]:
    """The level words of a programme from its stored settings (its [programme] extras)."""
    override = settings.get("level_names")
    town = settings.get("town")
    return level_names(
        district_name or str(settings.get("district_name") or ""),
        town=town if isinstance(town, str) else None,
        override=override if isinstance(override, Mapping) else None,
    )


def fill(text: str, words: Mapping[str, str]) -> str:
    """`text` with its {district_level}/{street_level}/{community_level} placeholders filled;
    other placeholders ({source}, …) are left for the caller's own format()."""
    for level, mark in PLACEHOLDERS.items():
        if mark in text:
            text = text.replace(mark, words.get(level, DEFAULT[level]))
    return text
