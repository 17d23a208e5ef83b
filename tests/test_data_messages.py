"""The data layer's message catalogue: both languages, no Chinese in English, the same fields."""

from __future__ import annotations

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

from data.fieldwork import field
from data.message_catalogue import MESSAGES, load_catalogue
from data.messages import UserError, UserPermissionError, Words, render

ROOT = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_and_the_same_fields(key: str) -> None:
    entry = MESSAGES[key]
    assert entry.get("zh", "").strip() and entry.get("en", "").strip(), key
    assert _CJK.search(entry["zh"]), f"{key}: the Chinese text holds no Chinese"
    # A street's name given as an example is data, not interface (accounts.no_street).
    english = entry["en"].replace("华阳路街道", "")
    assert not _CJK.search(english), f"{key}: English text holds Chinese: {entry['en']}"
    assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_exceptions_keep_their_class_and_chinese_text() -> None:
    err = field.FieldError("field.required", label=Words("备注", "the note"))
    assert isinstance(err, ValueError) and isinstance(err, UserError)
    assert str(err) == "请填写备注。"
    assert err.text("en") == "Please fill in the note."
    denied = UserPermissionError("field.no_right")
    assert isinstance(denied, PermissionError)
    assert str(denied) == "您没有入户登记的权限。"
    assert render("field.withdraw_later_first", "en", later=7) == (
        "Later entry #7 depends on this one; withdraw #7 first."
    )
    with pytest.raises(KeyError):
        UserError("no.such.message")


def test_every_key_raised_in_data_is_in_the_catalogue() -> None:
    # A raise naming a key missing from the catalogue would fail only when that rule trips; a
    # catalogue entry that no module names is a message nobody can see.
    raised: set[str] = set()
    named: set[str] = set()
    for path in (ROOT / "data").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named.add(node.value)
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and node.exc.args
                and isinstance(node.exc.args[0], ast.Constant)
                and isinstance(node.exc.args[0].value, str)
                and re.fullmatch(r"[a-z]+\.[a-z_]+", node.exc.args[0].value)
            ):
                raised.add(node.exc.args[0].value)
    assert len(raised) > 100, "raise sites with catalogue keys not found"
    assert raised <= set(MESSAGES), sorted(raised - set(MESSAGES))
    assert set(MESSAGES) <= named, sorted(set(MESSAGES) - named)


def test_a_file_refusal_survives_pickling_and_reads_in_english() -> None:
    # The Excel reader runs in a child process that sends its refusal back pickled.
    from data.importing import read

    with pytest.raises(read.ReadError) as caught:
        read.sniff("名单.xlsx", b"%PDF-1.4 not a table")
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is read.FileRefused and str(back) == str(caught.value)
    assert back.text("en") == (
        "名单.xlsx: this is a PDF file, not a table. Upload an Excel (.xlsx/.xls) or CSV file."
    )


def test_the_catalogue_refuses_what_would_hide_a_text(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('["x.one"]\nzh = "一"\nen = "one"\n', encoding="utf-8")
    b.write_text('["x.one"]\nzh = "又一"\nen = "again"\n', encoding="utf-8")
    assert load_catalogue(a) == {"x.one": {"zh": "一", "en": "one"}}
    with pytest.raises(ValueError, match="defined twice"):
        load_catalogue(a, b)
    # An unquoted dotted key nests tables instead of naming one label.
    b.write_text('[x.two]\nzh = "二"\nen = "two"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="not a table of zh/en strings"):
        load_catalogue(b)
    with pytest.raises(FileNotFoundError):
        load_catalogue()
