"""The audit log as a person reads it: actions in words, details as text, never "None"."""

from __future__ import annotations

import pandas as pd

from dashboard.components import audit_view


def test_actions_and_details_in_words() -> None:
    found = pd.DataFrame(
        {
            "audit_id": [2, 1],
            "logged_at": pd.to_datetime(["2023-07-14 09:30:05", "2023-07-14 09:00:00"]),
            "actor": ["demo_admin", "demo_leader"],
            "action": ["user_add", "some_new_action"],
            "object": ["demo_street", None],
            "detail": ['{"role": "street", "street_id": "310105001"}', None],
        }
    )
    zh = audit_view.shown(found)
    assert list(zh.columns) == ["记录编号", "时间", "操作人", "操作", "对象", "详情"]
    assert list(zh["操作"]) == ["新增用户", "some_new_action"]  # unknown codes shown as stored
    assert zh["详情"].iloc[0] == "角色：街镇；街镇编号：310105001"
    assert zh["详情"].iloc[1] == "" and zh["对象"].iloc[1] == ""
    assert zh["时间"].iloc[0] == "2023-07-14 09:30:05"
    en = audit_view.shown(found, "en")
    assert en["Action"].iloc[0] == "Add user" and en["Details"].iloc[0].startswith("role: ")


def test_detail_text_tolerates_plain_text_and_null() -> None:
    assert audit_view.detail_text("null") == ""
    assert audit_view.detail_text("not json") == "not json"
    assert audit_view.detail_text('{"rows": 5, "reason": null}') == "行数：5"
