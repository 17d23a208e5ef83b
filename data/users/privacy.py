"""Masking of personal data (PIPL): names 张*, phones 138****1234, addresses cut to the building."""

from __future__ import annotations

import re

import pandas as pd

NAME_COLUMNS = ("name", "helper_name", "姓名", "帮扶人姓名")
PHONE_COLUMNS = ("phone", "helper_phone", "联系电话", "帮扶人电话")
ADDRESS_COLUMNS = ("address", "家庭住址", "地址")

# Everything after the building number (号/幢/栋/楼) is the flat: dropped when masked.
_BUILDING = re.compile(r"^(.*?(?:\d+\s*(?:号楼|号|幢|栋|楼)))")


def mask_name(name: object) -> object:
    """张三丰 → 张**, 王五 → 王*; missing stays missing.

    At most two stars: a long entry (欧阳娜娜, 住户12（演示）) shows neither its length nor more
    than its first character."""
    if name is None or (isinstance(name, float) and pd.isna(name)) or name == "":
        return name
    text = str(name).strip()
    if not text:
        return name
    return text[0] + "*" * min(2, max(1, len(text) - 1))


def mask_phone(phone: object) -> object:
    """13812341234 → 138****1234; short numbers keep only their last two digits."""
    if phone is None or (isinstance(phone, float) and pd.isna(phone)) or phone == "":
        return phone
    # Excel often stores phones as floats: 13812341234.0 must not gain a trailing digit.
    text = str(int(phone)) if isinstance(phone, float) and phone.is_integer() else str(phone)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_address(address: object) -> object:
    """上海市长宁区…路12弄3号402室 → 上海市长宁区…路12弄3号 (room number removed)."""
    if address is None or (isinstance(address, float) and pd.isna(address)) or address == "":
        return address
    text = str(address)
    match = _BUILDING.match(text)
    return match.group(1) + "**" if match else text[: max(4, len(text) // 2)] + "**"


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every known name, phone and address column masked."""
    out = frame.copy()
    for cols, fn in (
        (NAME_COLUMNS, mask_name),
        (PHONE_COLUMNS, mask_phone),
        (ADDRESS_COLUMNS, mask_address),
    ):
        for col in cols:
            if col in out.columns:
                out[col] = out[col].map(fn)
    return out


def drop_phones(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without phone columns (finance sees money, not phones)."""
    return frame.drop(columns=[c for c in PHONE_COLUMNS if c in frame.columns])
