"""Messages the data layer raises for people to read, in Chinese and English.

An exception raised with a catalogue key keeps `str(err)` the Chinese text (logs, the CLI, tests
matching it) and gives the page `err.text(lang)`. A parameter that is itself interface words is
passed as `Words(zh, en)`; data (names, ids, dates) is passed as it is.
"""

from __future__ import annotations

from typing import NamedTuple

from data.message_catalogue import MESSAGES


class Words(NamedTuple):
    """Interface words inside a message parameter, in both languages."""

    zh: str
    en: str


def render(key: str, lang: str = "zh", **params: object) -> str:
    """The message `key` in `lang` (Chinese when English is missing), its fields filled in."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["zh"]
    filled = {k: getattr(v, lang, v.zh) if isinstance(v, Words) else v for k, v in params.items()}
    return template.format(**filled)


class UserMessage(Exception):
    """Mixin for exceptions whose message comes from the catalogue; str() is the Chinese text."""

    def __init__(self, key: str, /, **params: object) -> None:
        if key not in MESSAGES:
            raise KeyError(f"no data message {key!r}")
        self.key, self.params = key, params
        super().__init__(render(key, "zh", **params))

    def __reduce__(self):
        # Exceptions pickle as cls(*args); these are rebuilt from their key and fields.
        return _rebuild, (type(self), self.key, self.params)

    def text(self, lang: str = "zh") -> str:
        """The message in `lang`."""
        return render(self.key, lang, **self.params)


def _rebuild(cls: type[UserMessage], key: str, params: dict) -> UserMessage:
    return cls(key, **params)


class UserError(UserMessage, ValueError):
    """Bad input or a broken rule, with a message saying what to fix."""


class UserPermissionError(UserMessage, PermissionError):
    """An action the signed-in user's role or street may not perform."""
