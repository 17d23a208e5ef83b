"""Paged lists return, page after page, exactly the rows of the unpaged query (逾期's lists,
设备状态 → 需上门的设备)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

import queries
from data.demos import demo
from data.events import devices
from data.households import household_state
from data.reporting import briefing
from data.store import connection
from tests.conftest import TINY


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
            paged = _paged(con, "overdue_installs", 97, **params, search=None)
            pd.testing.assert_frame_equal(paged, whole)
            first = queries.run(
                con, "overdue_installs_page", **params, search=None, limit=10, offset=0
            )
            assert first.total_rows.iloc[0] == len(whole)
            # A search keeps the order and finds what a filter of the whole list finds.
            needle = whole.community_name.dropna().iloc[len(whole) // 2]
            found = _paged(con, "overdue_installs", 50, **params, search=needle)
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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    # Pages joined together infer some dtypes differently (an all-empty column of one page):
    # compare the values themselves, a missing one as None.
    return pd.DataFrame(
        {c: [None if pd.isna(v) else v for v in frame[c]] for c in frame.columns}, dtype=object
    )


def test_device_revisit_paged_equals_the_whole_list(demo_db) -> None:
    """设备状态's visit list read page by page from SQL is, in SQL's own order, the list that
    data.events.devices.revisit builds from device_revisit (the export's whole list): on the
    demo date and on a past date (devices with later events recomputed), for the district and
    for a street; a search finds what a filter of the whole list finds, in the same order."""
    con = connection.connect(demo_db)
    try:
        for as_of in (demo.AS_OF, demo.AS_OF - timedelta(days=20)):
            for scope in (None, ["310105004"]):
                params = {"programme_id": demo.PROGRAMME, "as_of": as_of, "street_ids": scope}
                whole = devices.revisit(queries.run(con, "device_revisit", **params))
                assert len(whole) > (20 if as_of == demo.AS_OF else 0)  # pages of 7
                paged = _paged(con, "device_revisit", 7, **params, search=None)
                # SQL's order is the list's order: no re-sorting here
                pd.testing.assert_frame_equal(_plain(paged), _plain(whole.drop(columns="reason")))
                pd.testing.assert_frame_equal(_plain(devices.revisit(paged)), _plain(whole))
                first = queries.run(
                    con, "device_revisit_page", **params, search=None, limit=10, offset=0
                )
                assert first.total_rows.iloc[0] == len(whole)
                if len(whole) < 20:
                    continue
                needle = whole.community_name.dropna().iloc[len(whole) // 2]
                found = _paged(con, "device_revisit", 5, **params, search=needle)
                expected = whole[
                    whole.serial.str.contains(needle, regex=False)
                    | whole.household_id.str.contains(needle, regex=False)
                    | whole.street_name.fillna("").str.contains(needle, regex=False)
                    | whole.community_name.fillna("").str.contains(needle, regex=False)
                    | whole.installer.fillna("").str.contains(needle, regex=False)
                ].reset_index(drop=True)
                assert 0 < len(expected) < len(whole)
                pd.testing.assert_frame_equal(_plain(devices.revisit(found)), _plain(expected))
    finally:
        con.close()


def test_device_revisit_page_lists_the_devices_device_revisit_lists(tiny_con) -> None:
    """Devices of a household outside every street are listed; devices whose household is gone
    from the roster are not (device_rows joins household): the page's filter on the stored
    street agrees with the whole list in both cases."""
    params = {"programme_id": TINY, "as_of": date(2023, 7, 1), "street_ids": None}

    def serials(frame: pd.DataFrame) -> list[str]:
        return sorted(frame.serial)

    before = queries.run(tiny_con, "device_revisit", **params)
    assert "SN008" in serials(before)  # H8 lies outside the district
    assert serials(_paged(tiny_con, "device_revisit", 2, **params, search=None)) == serials(before)
    gone = before[before.household_id != "H8"].household_id.iloc[0]
    tiny_con.execute("DELETE FROM household WHERE household_id = ?", [gone])
    household_state.refresh(tiny_con, TINY)
    after = queries.run(tiny_con, "device_revisit", **params)
    assert gone not in set(after.household_id)
    paged = _paged(tiny_con, "device_revisit", 2, **params, search=None)
    assert serials(paged) == serials(after)
    first = queries.run(tiny_con, "device_revisit_page", **params, search=None, limit=2, offset=0)
    assert first.total_rows.iloc[0] == len(after)
