"""The leadership pages' queries (覆盖地图, 周报) read the per-street sums of area_change
 and give, row for row, what they gave when they counted per household
(tests/reference_sql/): on the tiny fixture (a household outside every street, registry
leavers), on the demo, on dates before, during and after the programme and in every scope.
street_rankings and programme_kpis_dates equal street_ranking and programme_kpis on each of
their dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

import queries
from data.demos import demo
from data.reporting import briefing
from data.store import connection
from tests.conftest import TINY

REFERENCE = Path(__file__).parent / "reference_sql"
# Each page query whose business-date counts come from area_change, with its reference.
CHANGED = (
    "programme_kpis",
    "coverage_by_street",
    "coverage_by_community",
    "street_ranking",
    "weekly_progress",
)


def reference(con, name: str, **params) -> pd.DataFrame:
    """The query as it counted per household (same parameters as the named query)."""
    return con.execute((REFERENCE / f"{name}.sql").read_text(encoding="utf-8"), params).df()


def _params(name: str, programme_id: str, day: date, scope, known_at) -> dict:
    params = {"programme_id": programme_id, "as_of": day, "street_ids": scope}
    if "known_at" in queries.parameters(name):
        params["known_at"] = known_at
    return params


def assert_same(con, programme_id: str, days: list[date], scopes, known_at=None) -> None:
    for name in CHANGED:
        rows = 0
        for day in days:
            for scope in scopes:
                params = _params(name, programme_id, day, scope, known_at)
                got = queries.run(con, name, **params)
                rows += len(got)
                pd.testing.assert_frame_equal(
                    got, reference(con, name, **params), obj=f"{name} {day} {scope}"
                )
        assert rows > 0, name


def assert_rankings_same(con, programme_id: str, days: list[date], scopes) -> None:
    for scope in scopes:
        every = queries.run(
            con, "street_rankings", programme_id=programme_id, dates=days, street_ids=scope
        )
        on = pd.to_datetime(every["as_of"]).dt.date
        assert sorted(set(on)) == sorted(set(days))
        assert every.equals(every.sort_values(["as_of", "rank"]))
        for day in days:
            one = every[on == day].drop(columns="as_of").reset_index(drop=True)
            want = reference(
                con,
                "street_ranking",
                **_params("street_ranking", programme_id, day, scope, None),
            )
            pd.testing.assert_frame_equal(one, want, obj=f"street_rankings {day} {scope}")


def assert_kpis_dates_same(con, programme_id: str, days: list[date], scopes) -> None:
    for scope in scopes:
        every = queries.run(
            con, "programme_kpis_dates", programme_id=programme_id, dates=days, street_ids=scope
        )
        on = pd.to_datetime(every["as_of"]).dt.date
        assert on.tolist() == sorted(set(days))
        for day in days:
            one = every[on == day].drop(columns="as_of").reset_index(drop=True)
            want = reference(
                con, "programme_kpis", **_params("programme_kpis", programme_id, day, scope, None)
            )
            pd.testing.assert_frame_equal(one, want, obj=f"programme_kpis_dates {day} {scope}")


TINY_SCOPES = (None, ["S1"], ["S2"], ["S1", "S2"])
TINY_DAYS = [
    date(2023, 3, 1),  # before the programme
    date(2023, 4, 1),
    *(date(2023, 4, 20) + timedelta(days=i) for i in range(0, 50, 3)),
    date(2023, 5, 19),
    date(2023, 5, 20),
    date(2023, 5, 31),
    date(2023, 7, 31),  # after it
]


def test_tiny_queries_equal_the_per_household_counts(tiny_con):
    assert_same(tiny_con, TINY, TINY_DAYS, TINY_SCOPES)
    assert_rankings_same(tiny_con, TINY, TINY_DAYS, TINY_SCOPES)
    assert_kpis_dates_same(tiny_con, TINY, TINY_DAYS, TINY_SCOPES)


def test_tiny_with_registry_leavers(tiny_con):
    # H4 (S1, installed 05-10) leaves on 05-15; H8 (outside every street) on 05-25.
    tiny_con.execute(
        "UPDATE household SET left_on = CASE household_id WHEN 'H4' THEN DATE '2023-05-15'"
        " ELSE DATE '2023-05-25' END, left_reason = '迁出'"
        " WHERE programme_id = ? AND household_id IN ('H4', 'H8')",
        [TINY],
    )
    days = [date(2023, 5, 10), date(2023, 5, 14), date(2023, 5, 15), date(2023, 5, 20)]
    days += [date(2023, 5, 25), date(2023, 5, 31), date(2023, 7, 31)]
    assert_same(tiny_con, TINY, days, TINY_SCOPES)
    assert_rankings_same(tiny_con, TINY, days, TINY_SCOPES)
    assert_kpis_dates_same(tiny_con, TINY, days, TINY_SCOPES)
    kpis = queries.run(
        tiny_con, "programme_kpis", programme_id=TINY, as_of=date(2023, 5, 31), street_ids=None
    ).iloc[0]
    total = tiny_con.execute("SELECT count(*) FROM household WHERE programme_id = ?", [TINY])
    assert kpis.registered == total.fetchone()[0] - 2  # two left


def test_tiny_as_published_unchanged(tiny_con):
    for known_at in (datetime(2023, 5, 21), datetime(2023, 6, 1)):
        assert_same(
            tiny_con, TINY, [date(2023, 5, 13), date(2023, 5, 20)], (None, ["S2"]), known_at
        )


def test_a_wrong_area_row_shows(tiny_con):
    """The comparison can fail: the new path reads area_change, the reference does not."""
    tiny_con.execute(
        "UPDATE area_change SET installed = installed + 1, installed_m = installed_m + 1"
        " WHERE programme_id = ? AND street_id = 'S1' AND on_day = (SELECT max(on_day)"
        " FROM area_change WHERE programme_id = ? AND street_id = 'S1')",
        [TINY, TINY],
    )
    for name in CHANGED:
        params = _params(name, TINY, date(2023, 7, 31), None, None)
        got, want = queries.run(tiny_con, name, **params), reference(tiny_con, name, **params)
        assert got.shape == want.shape and not got.equals(want), name
    with pytest.raises(AssertionError):
        assert_rankings_same(tiny_con, TINY, [date(2023, 7, 31)], [None])
    with pytest.raises(AssertionError):
        assert_kpis_dates_same(tiny_con, TINY, [date(2023, 7, 31)], [None])


def test_demo_queries_equal_the_per_household_counts(demo_db):
    con = connection.connect(demo_db)
    try:
        days = [
            date(2022, 12, 31),
            *(date(2023, 1, 6) + timedelta(days=i) for i in range(0, 300, 23)),
        ]
        days.append(demo.AS_OF)
        scopes = (None, ["310105004"], ["310105001", "310105002"])
        assert_same(con, demo.PROGRAMME, days, scopes)
        assert_rankings_same(con, demo.PROGRAMME, days, scopes)
        assert_kpis_dates_same(con, demo.PROGRAMME, days, scopes)
    finally:
        con.close()


def test_briefing_reads_all_rankings_in_one_call(demo_db):
    """The 周报 ranking and 月排名 from one street_rankings call, and its three KPI dates from
    one programme_kpis_dates call, equal those from one call per date; the as-published view
    still asks one date at a time."""
    con = connection.connect(demo_db)
    try:
        for scope in (None, ["310105004"]):
            calls: list[str] = []
            plain = briefing.fetcher(con, scope)

            def fetch(name: str, calls=calls, plain=plain, **params: object) -> pd.DataFrame:
                calls.append(name)
                return plain(name, **params)

            b = briefing.build(fetch, demo.PROGRAMME, demo.AS_OF)
            assert calls.count("street_rankings") == 1 and "street_ranking" not in calls
            assert calls.count("programme_kpis_dates") == 1 and "programme_kpis" not in calls

            # The cards' plan is the streets' plans summed (one figure with the ranking's 合计),
            # and they carry what lies outside every street (outside_*: the plan's note).
            def own(k: dict) -> dict:
                skip = ("plan_installed", "gap_to_plan")
                return {
                    key: v
                    for key, v in k.items()
                    if not key.startswith("outside_") and key not in skip
                }

            assert own(b.kpis) == own(briefing.kpis(plain, demo.PROGRAMME, demo.AS_OF))
            week_ago = demo.AS_OF - timedelta(days=7)
            assert own(b.kpis_week_ago) == own(briefing.kpis(plain, demo.PROGRAMME, week_ago))
            assert b.projection == briefing.projection(
                plain, demo.PROGRAMME, demo.AS_OF, b.kpis, b.projection.deadline
            )
            starts = briefing._as_date(
                queries.run(con, "programme_settings", programme_id=demo.PROGRAMME).starts.iloc[0]
            )
            dates = briefing.ranking_dates(starts, demo.AS_OF)
            assert len(dates) == 8
            one_by_one = briefing.rankings(plain, demo.PROGRAMME, dates, business=False)
            pd.testing.assert_frame_equal(b.ranking, briefing.ranking(one_by_one, demo.AS_OF))
            pd.testing.assert_frame_equal(
                b.monthly, briefing.monthly_ranking(one_by_one, starts, demo.AS_OF)
            )
            calls.clear()
            briefing.build(fetch, demo.PROGRAMME, demo.AS_OF, known_at=demo.AS_OF)
            assert "street_rankings" not in calls and calls.count("street_ranking") == len(dates)
            assert "programme_kpis_dates" not in calls and calls.count("programme_kpis") == 3
    finally:
        con.close()


def test_class_progress_reads_households_only_for_programmes_with_classes(tiny_con, demo_db):
    con = connection.connect(demo_db)
    try:
        for c, programme_id, n in ((tiny_con, TINY, 1), (con, demo.PROGRAMME, 0)):
            for day in (date(2023, 5, 20), date(2023, 7, 14)):
                for scope in (None, ["S2"], ["310105004"]):
                    params = _params("class_progress", programme_id, day, scope, None)
                    got = queries.run(c, "class_progress", **params)
                    assert len(got) == n
                    pd.testing.assert_frame_equal(got, reference(c, "class_progress", **params))
    finally:
        con.close()


def test_acceptance_status_equals_reading_every_household(tiny_con, demo_db):
    con = connection.connect(demo_db)
    try:
        for c, programme_id in ((tiny_con, TINY), (con, demo.PROGRAMME)):
            for period in ("2023-04", "2023-05", "2023-07"):
                for scope in (None, ["S2"], ["310105004", "310105001"]):
                    params = {"programme_id": programme_id, "period": period, "street_ids": scope}
                    got = queries.run(c, "acceptance_status", **params)
                    pd.testing.assert_frame_equal(got, reference(c, "acceptance_status", **params))
        assert (
            len(
                queries.run(
                    con,
                    "acceptance_status",
                    programme_id=demo.PROGRAMME,
                    period="2023-07",
                    street_ids=None,
                )
            )
            == 10
        )
    finally:
        con.close()
