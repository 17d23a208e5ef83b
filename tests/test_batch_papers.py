"""Which papers a programme's batch prints, by the programme's own rules: seed 002's four-party
确认单 only where the rules name its signers (乌审旗), the 花名册 everywhere (长宁 prints only it)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from documents import batch_docs

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "setup" / "templates"


def _settings(name: str) -> str:
    template = tomllib.loads((TEMPLATES / f"{name}.toml").read_text(encoding="utf-8"))
    return json.dumps({"rules": template.get("rules", {})}, default=str)


def test_changning_batch_prints_no_four_signature_slip():
    assert batch_docs.slip_signers(_settings("changning_2023")) == ()
    assert batch_docs.batch_papers(_settings("changning_2023")) == ("花名册",)


def test_wushen_batch_prints_the_signed_slip():
    assert batch_docs.slip_signers(_settings("wushen_2024")) == (
        "社区书记",
        "网格员",
        "安装人员",
        "居民",
    )
    assert batch_docs.batch_papers(_settings("wushen_2024")) == ("花名册", "确认单")


@pytest.mark.parametrize("settings", [None, "", "{}", {"rules": {}}])
def test_no_rules_no_slip(settings):
    assert batch_docs.slip_signers(settings) == ()
