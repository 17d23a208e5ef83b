"""The data layer's messages to people, {key: {"zh": …, "en": …}}, `str.format` fields.

The texts live in data/locale/*.toml, one file per module family, keys prefixed by module. The
Chinese text is what `str(err)` has always said; both languages carry the same fields
(tests/test_data_messages.py). `load_catalogue` also reads the dashboard's label files.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

LOCALE = Path(__file__).parent / "locale"


def load_catalogue(*paths: Path) -> dict[str, dict[str, str]]:
    """Merge catalogue files of `["key"]` tables holding `zh` and `en` strings into one dict.

    A key defined in two files, or a table that is not strings (an unquoted dotted key nests),
    is refused: either would silently lose or hide a text."""
    if not paths:
        raise FileNotFoundError("no catalogue files given (is the package data installed?)")
    merged: dict[str, dict[str, str]] = {}
    for path in paths:
        with path.open("rb") as fh:
            part = tomllib.load(fh)
        twice = sorted(set(part) & set(merged))
        if twice:
            raise ValueError(f"{path.name}: defined twice: {twice}")
        for key, entry in part.items():
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("zh"), str)
                and all(isinstance(text, str) for text in entry.values())
            ):
                raise ValueError(f"{path.name}: {key!r} is not a table of zh/en strings")
        merged.update(part)
    return merged


MESSAGES: dict[str, dict[str, str]] = load_catalogue(*sorted(LOCALE.glob("*.toml")))
