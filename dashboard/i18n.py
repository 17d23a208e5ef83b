"""Interface labels: Chinese by default, English available.

The texts are in dashboard/locale/*.toml, one file per family of pages, read once on import.
The page families' files come in through dashboard.labels; every other file there is the
shell's own (login, navigation, shared components, 覆盖地图, 火灾风险, administration).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path

from dashboard.labels import PARTS
from data.message_catalogue import load_catalogue
from data.setup import levels

_LOCALE = Path(__file__).resolve().parent / "locale"
_PAGE_FAMILIES = {"briefing", "planning", "aftercare"}  # loaded by dashboard.labels

LABELS: dict[str, dict[str, str]] = load_catalogue(
    *(path for path in sorted(_LOCALE.glob("*.toml")) if path.stem not in _PAGE_FAMILIES)
)


def _merge(parts: tuple[dict[str, dict[str, str]], ...]) -> None:
    # One catalogue kept in several files: a key defined twice would silently shadow a label.
    for part in parts:
        twice = sorted(set(part) & set(LABELS))
        if twice:
            raise ValueError(f"labels defined twice: {twice}")
        LABELS.update(part)


_merge(PARTS)


# The level words (全区/街镇/社区, 全旗/苏木镇/嘎查, …) of the programme this script run shows: set
# by the page (context.open_page) for its own thread, so sessions on other programmes never mix.
_LEVELS: ContextVar[Mapping[str, str]] = ContextVar("anju_levels", default=levels.DEFAULT)


def use_levels(words: Mapping[str, str]) -> None:
    """Name the levels in `words` in every label this script run shows from now on."""
    _LEVELS.set(dict(words))


def current_levels() -> dict[str, str]:
    """The level words labels are filled with in this script run."""
    return dict(_LEVELS.get())


def t(key: str, lang: str = "zh") -> str:
    """The label for `key` in `lang`, falling back to Chinese, then to the key itself; a level
    placeholder ({street_level}, …) carries the current programme's word for that level."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return levels.fill(entry.get(lang) or entry["zh"], _LEVELS.get())
