"""Paged lists return, page after page, exactly the rows of the unpaged query."""

from __future__ import annotations

from datetime import date

import pandas as pd

import queries
from data import briefing, connection, demo


def _pages(con, size: int, **params) -> pd.DataFrame:
    pages, offset = [], 0
    while True:
        page = queries.run(con, "overdue_installs_page", **params, limit=size, offset=offset)
        if page.empty:
            break
        assert (page.total_rows == page.total_rows.iloc[0]).all()
        pages.append(page.drop(columns="total_rows"))
        offset += size
    return pd.concat(pages, ignore_index=True) if pages else pd.DataFrame()


def test_overdue_installs_paged_equals_unpaged(demo_db) -> None:
    con = connection.connect(demo_db)
    try:
        settings = queries.run(con, "programme_settings", programme_id=demo.PROGRAMME)
        days = briefing.rules(settings.settings.iloc[0]).install_after_survey_days
        for scope in (None, ["310105004"]):
            params = {
                "programme_id": demo.PROGRAMME,
                # after the install phase's end (2023-09-30): every household surveyed and
                # not installed is late for itself (mid-programme the list is empty)
                "as_of": date(2023, 10, 8),
                "street_ids": scope,
                "days_after_survey": days,
            }
            whole = queries.run(con, "overdue_installs", **params)
            assert len(whole) > 100
            paged = _pages(con, 97, **params, search=None)
            pd.testing.assert_frame_equal(paged, whole)
            first = queries.run(
                con, "overdue_installs_page", **params, search=None, limit=10, offset=0
            )
            assert first.total_rows.iloc[0] == len(whole)
            # A search keeps the order and finds what a filter of the whole list finds.
            needle = whole.community_name.dropna().iloc[len(whole) // 2]
            found = _pages(con, 50, **params, search=needle)
            expected = whole[
                whole.household_id.str.contains(needle, regex=False)
                | whole.street_name.fillna("").str.contains(needle, regex=False)
                | whole.community_name.fillna("").str.contains(needle, regex=False)
                | whole.address.fillna("").str.contains(needle, regex=False)
                | whole.name.fillna("").str.contains(needle, regex=False)
            ].reset_index(drop=True)
            assert len(expected) > 0
            pd.testing.assert_frame_equal(found, expected)
    finally:
        con.close()


def _paged(con, name: str, size: int, **params) -> pd.DataFrame:
    pages, offset = [], 0
    while True:
        page = queries.run(con, f"{name}_page", **params, limit=size, offset=offset)
        if page.empty:
            break
        assert (page.total_rows == page.total_rows.iloc[0]).all()
        pages.append(page.drop(columns="total_rows"))
        offset += size
    return pd.concat(pages, ignore_index=True) if pages else pd.DataFrame()


def test_overdue_hazards_and_gas_cuts_paged_equal_unpaged(demo_db) -> None:
    con = connection.connect(demo_db)
    try:
        settings = queries.run(con, "programme_settings", programme_id=demo.PROGRAMME)
        rules = briefing.rules(settings.settings.iloc[0])
        cuts = {"cut_days": rules.gas_cut_overdue_days, "restore_hours": rules.restore_within_hours}
        for as_of in (demo.AS_OF, date(2023, 6, 20)):
            for scope in (None, ["310105004"]):
                base = {"programme_id": demo.PROGRAMME, "as_of": as_of, "street_ids": scope}
                for name, extra in (("overdue_hazards", {}), ("overdue_gas_cuts", cuts)):
                    whole = queries.run(con, name, **base, **extra)
                    if scope is None and as_of == demo.AS_OF:
                        assert len(whole) > 20, name  # more than one page of 7
                    for size in (7, 5000):
                        paged = _paged(con, name, size, **base, **extra)
                        if whole.empty:
                            assert paged.empty
                            continue
                        pd.testing.assert_frame_equal(paged, whole)
                    first = queries.run(con, f"{name}_page", **base, **extra, limit=1, offset=0)
                    assert (first.total_rows.iloc[0] if len(first) else 0) == len(whole)
    finally:
        con.close()
