"""Exports say truly what their rows cover (a street user's file never says 全区)."""

from __future__ import annotations

from documents.tables import scope_label

NAMES = {"S1": "华阳路街道", "S2": "新泾镇"}


def test_chosen_street_is_named():
    assert scope_label(NAMES, "S2", None, "全区（按街道）") == "新泾镇"


def test_street_user_gets_its_own_streets_not_the_district():
    assert scope_label(NAMES, "", ["S1"], "全区（按街道）") == "华阳路街道"
    assert scope_label(NAMES, None, ["S1", "S2"], "全区（按街道）") == "华阳路街道、新泾镇"


def test_district_user_without_a_choice_sees_the_whole_district():
    assert scope_label(NAMES, "", None, "全区（按街道）") == "全区（按街道）"
