"""One page picker for every list that is cut into pages in SQL: the same words and
the same behaviour on 逾期, 设备状态 and 资金结算."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.i18n import t

# Rows a page: what a person reads or scrolls through; the Excel export holds the whole list. At
# 5,000 a page the leader's first page of 设备状态 read 5,000 households (0.75 s at a million)
# and sent them all to the browser.
ROWS = 500


def count(total: int, size: int) -> int:
    """How many pages `total` rows make, `size` to a page (at least one)."""
    return max(1, -(-total // size))


def current(key: str) -> int:
    """The page the user picked last (1 before any picker was drawn)."""
    return max(1, int(st.session_state.get(key) or 1))


def fetch(key: str, cut: Callable[[int], pd.DataFrame]) -> tuple[int, pd.DataFrame]:
    """(page, rows): the rows `cut(page)` of the page the user picked last; when that page is
    past the end (the list got shorter: another date, a narrower search), the first page."""
    page = current(key)
    rows = cut(page)
    if rows.empty and page > 1:
        st.session_state.pop(key, None)
        page = 1
        rows = cut(page)
    return page, rows


def picker(key: str, total: int, size: int, lang: str, where: DeltaGenerator | None = None) -> int:
    """Draw 第几页 for a list longer than one page and return the page (from 1); a page past the
    end (the list got shorter: another date, a narrower search) becomes the last page."""
    pages = count(total, size)
    if pages < 2:
        st.session_state.pop(key, None)
        return 1
    st.session_state[key] = min(current(key), pages)
    label = t("pager.page_no", lang).format(pages=pages)
    return int((where or st).number_input(label, 1, pages, key=key))


def caption(total: int, page: int, size: int, shown: int, lang: str) -> None:
    """ "共 N 条，本页第 a–b 条。" under a list longer than one page."""
    if total > size:
        first = (page - 1) * size + 1
        st.caption(
            t("pager.rows", lang).format(
                total=f"{total:,}", first=f"{first:,}", last=f"{first + shown - 1:,}"
            )
        )
