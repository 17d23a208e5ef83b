"""Pieces of the 资金结算 page: tables with Chinese headers, money shown to the fen."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboard import context

SAMPLE_HEADERS = {
    "household_id": "户号",
    "street_name": "街镇",
    "installer": "安装班组",
    "result": "最近结果",
    "checked_on": "抽查日期",
    "failed_items": "不合格项",
    "inspector": "抽查人",
    "note": "备注",
    "checks": "抽查次数",
}
DRAW_HEADERS = {
    "month": "月份",
    "seed": "随机种子",
    "rate": "比例",
    "scope": "口径",
    "population": "总体",
    "sample_size": "样本",
    "drawn_by": "抽取人",
    "drawn_at": "抽取时间",
    "reason": "重抽原因",
}
RECON_HEADERS = {
    "household_id": "户号",
    "street_name": "街镇",
    "name": "姓名",
    "address": "地址",
    "difference": "差异",
    "confirmed_on": "确认日期",
    "installed_on": "系统安装日期",
}
STREET_RECON_HEADERS = {
    "street_name": "街镇",
    "confirmed": "燃气公司确认户数",
    "recorded": "系统安装户数",
    "difference": "差额（系统 − 确认）",
}
EXCLUDED_HEADERS = {
    "household_id": "户号",
    "street_name": "街镇",
    "device_name": "设备",
    "verified_on": "验收日期",
    "原因": "未结算原因",
}


def money(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimal amounts as text with two decimals (exact; st.dataframe would show floats)."""
    out = frame.copy()
    for col in out.columns:
        if "元" in str(col):
            out[col] = out[col].map(lambda v: "" if v is None else f"{Decimal(v):,.2f}")
    return out


def table(frame: pd.DataFrame, headers: dict[str, str], key: str, people: bool = False) -> None:
    """A read-only table with the given columns and Chinese headers (personal data masked)."""
    shown = context.present_people(frame, "settlement") if people else frame
    keep = [c for c in headers if c in shown.columns]
    out = shown[keep].astype(object)
    out = out.where(out.notna(), "")  # blank, not "None", for what is not there yet
    st.dataframe(out.rename(columns=headers), hide_index=True, width="stretch", key=key)
