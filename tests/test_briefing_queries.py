"""周报 and 逾期 queries on the tiny programme of conftest.py, with hand-computed answers.

By default a record counts on its business date, as known now. The as-published view
($known_at) counts only records that had reached Anju before the knowledge time (the end of the
bulletin's day, or the moment an issue was published). Each "late" test inserts a record whose
recorded_at is after its event date and checks both views.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

import queries
from data.households import household_state
from tests.conftest import TINY

MAY19, MAY20, MAY31 = date(2023, 5, 19), date(2023, 5, 20), date(2023, 5, 31)
RULES = {"cut_days": 7, "restore_hours": 24}


def run(con, name, as_of, **params) -> pd.DataFrame:
    scope = {"street_ids": None} if "street_ids" in queries.parameters(name) else {}
    return queries.run(con, name, programme_id=TINY, as_of=as_of, **(scope | params))


def end_of(day: date) -> datetime:
    """Knowledge at the end of `day` (the as-published view of that day's bulletin)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time())


def installed(con, as_of, published: bool = True) -> int:
    known_at = end_of(as_of) if published else None
    return int(run(con, "programme_kpis", as_of, known_at=known_at)["installed"].iloc[0])


def late_install(con) -> None:
    """H5 (S2, C21) installed on 05-15, but the record only reached Anju on 05-26 at 10:00."""
    con.execute(
        "INSERT INTO installation (household_id, programme_id, device_type, installed_on,"
        " recorded_at) VALUES ('H5', 'tiny', 'ng_alarm_valve', DATE '2023-05-15',"
        " TIMESTAMP '2023-05-26 10:00:00')"
    )
    household_state.refresh(con, "tiny")  # what every writer does after an event row


# ---------------------------------------------------------------- knowledge time in household_status


def test_a_late_record_does_not_change_the_past(tiny_con):
    before = [installed(tiny_con, d) for d in (MAY20, date(2023, 5, 25), date(2023, 5, 26), MAY31)]
    late_install(tiny_con)
    after = [installed(tiny_con, d) for d in (MAY20, date(2023, 5, 25), date(2023, 5, 26), MAY31)]
    assert before == [3, 3, 3, 4]  # H1 H4 H8; + H3 on 05-28
    # 05-20 and 05-25 are re-shown exactly as they were; from 05-26 (end of day) H5 counts.
    assert after == [3, 3, 4, 5]
    # By business date (the default) H5 counts from its install date 05-15 on.
    now = [installed(tiny_con, d, published=False) for d in (MAY20, MAY31)]
    assert now == [4, 5]


def test_records_without_recorded_at_count_on_their_event_date(tiny_con):
    assert installed(tiny_con, MAY19) == 2 and installed(tiny_con, MAY20) == 3  # H1 on 05-20


# ---------------------------------------------------------------- weekly_progress


def test_weekly_progress_weeks_end_on_friday_plus_the_as_of_day(tiny_con):
    df = run(tiny_con, "weekly_progress", MAY20)
    weeks = sorted(pd.to_datetime(df.week_end).dt.date.unique())
    # 2023-04-01 is a Saturday: the first Friday is 04-07; 05-20 (Saturday) is the last point.
    assert weeks == [
        date(2023, 4, 7),
        date(2023, 4, 14),
        date(2023, 4, 21),
        date(2023, 4, 28),
        date(2023, 5, 5),
        date(2023, 5, 12),
        date(2023, 5, 19),
        MAY20,
    ]


def test_weekly_progress_values(tiny_con):
    df = run(tiny_con, "weekly_progress", MAY20)
    df["week_end"] = pd.to_datetime(df.week_end).dt.date
    s1 = df[df.street_id == "S1"].set_index("week_end")
    assert s1.loc[date(2023, 4, 14), "surveyed"] == 2  # H1 04-10, H2 04-12
    assert s1.loc[date(2023, 4, 21), "surveyed"] == 4  # + H3 04-15, H4 04-20
    assert s1.installed.tolist() == [0, 0, 0, 0, 0, 1, 1, 2]  # H4 05-10, H1 05-20
    assert s1.loc[date(2023, 5, 19), "verified"] == 1  # H4 05-15
    assert s1.target.unique().tolist() == [4]
    outside = df[df.street_id.isna()].set_index("week_end")
    assert outside.loc[date(2023, 5, 5), "installed"] == 1  # H8 05-05


def test_weekly_progress_equals_programme_kpis_on_every_point(tiny_con):
    late_install(tiny_con)
    df = run(tiny_con, "weekly_progress", MAY31)
    totals = df.groupby("week_end")[["surveyed", "installed", "verified"]].sum()
    for week_end, row in totals.iterrows():
        truth = run(tiny_con, "programme_kpis", pd.Timestamp(week_end).date()).iloc[0]
        assert (row.surveyed, row.installed, row.verified) == (
            truth.surveyed,
            truth.installed,
            truth.verified,
        ), week_end


def test_weekly_progress_counts_a_late_record_in_the_week_of_its_business_date(tiny_con):
    late_install(tiny_con)  # installed 05-15, reached Anju 05-26
    for known_at in (None, end_of(MAY31)):
        df = run(tiny_con, "weekly_progress", MAY31, known_at=known_at)
        df["week_end"] = pd.to_datetime(df.week_end).dt.date
        s2 = df[df.street_id == "S2"].set_index("week_end")["installed"]
        assert s2[date(2023, 5, 19)] == 1 and s2[date(2023, 5, 26)] == 1
    # The bulletin of 05-20 as published then did not know it, in any week.
    then = run(tiny_con, "weekly_progress", MAY20, known_at=end_of(MAY20))
    assert then[then.street_id == "S2"]["installed"].max() == 0


def test_weekly_progress_as_published_is_capped_at_the_knowledge_time(tiny_con):
    late_install(tiny_con)  # reached Anju 05-26 10:00
    before = run(tiny_con, "weekly_progress", MAY31, known_at=datetime(2023, 5, 26, 9))
    after = run(tiny_con, "weekly_progress", MAY31, known_at=datetime(2023, 5, 26, 11))
    assert before[before.street_id == "S2"]["installed"].max() == 0
    assert after[after.street_id == "S2"]["installed"].max() == 1


def test_weekly_progress_scope(tiny_con):
    df = run(tiny_con, "weekly_progress", MAY20, street_ids=["S2"])
    assert df.street_id.unique().tolist() == ["S2"]


# ---------------------------------------------------------------- street_ranking


def test_street_ranking_on_may_20(tiny_con):
    df = run(tiny_con, "street_ranking", MAY20)
    assert df.street_id.tolist() == ["S1", "S2"]
    assert df["rank"].tolist() == [1, 2]
    assert df.completion.tolist() == pytest.approx([2 / 4, 0])
    assert df.gap_to_plan.tolist() == [-1, -2]  # as coverage_by_street
    assert df.hazards_found.tolist() == [2, 0]  # H2 H3 in S1
    assert df.hazards_rectified.tolist() == [0, 0]
    assert df.rectification_rate.iloc[0] == 0.0
    assert pd.isna(df.rectification_rate.iloc[1])  # no hazards: no rate


def test_street_ranking_end_of_phase_and_rank_kept_within_a_scope(tiny_con):
    df = run(tiny_con, "street_ranking", MAY31)
    assert df.hazards_rectified.tolist() == [2, 0]  # H3 05-22, H2 05-25
    assert df.rectification_rate.iloc[0] == 1.0
    only_s2 = run(tiny_con, "street_ranking", MAY31, street_ids=["S2"])
    assert only_s2.street_id.tolist() == ["S2"]
    assert only_s2["rank"].tolist() == [2]  # its place in the district, not 1 of 1


def test_street_ranking_late_record(tiny_con):
    late_install(tiny_con)
    for day, s2 in ((date(2023, 5, 25), 0), (date(2023, 5, 26), 1)):
        got = run(tiny_con, "street_ranking", day, known_at=end_of(day))
        assert got.installed.tolist() == [2, s2]
        assert run(tiny_con, "street_ranking", day).installed.tolist() == [2, 1]


# ---------------------------------------------------------------- overdue_hazards


def test_overdue_hazards(tiny_con):
    df = run(tiny_con, "overdue_hazards", MAY20)
    # H2 due 05-12 (8 days over), H3 due 05-15 (5 days over, gas cut since 04-22).
    assert df.hazard_id.tolist() == ["HZ1", "HZ2"]
    assert df.days_overdue.tolist() == [8, 5]
    assert df.gas_cut.tolist() == [False, True]
    assert run(tiny_con, "overdue_hazards", MAY19).days_overdue.tolist() == [7, 4]
    assert run(tiny_con, "overdue_hazards", MAY31).empty  # both rectified by then
    assert run(tiny_con, "overdue_hazards", MAY20, street_ids=["S2"]).empty


def test_overdue_hazards_late_record(tiny_con):
    tiny_con.execute(
        "INSERT INTO hazard (hazard_id, household_id, programme_id, kind, found_on, due_on,"
        " recorded_at) VALUES ('HZ9', 'H6', 'tiny', '私接燃气管道', DATE '2023-05-01',"
        " DATE '2023-05-08', TIMESTAMP '2023-05-22 09:00:00')"
    )
    household_state.refresh(tiny_con, "tiny")
    # Overdue lists count by business date: HZ9 was overdue on 05-20 even if recorded later.
    got = run(tiny_con, "overdue_hazards", MAY20)
    assert got.set_index("hazard_id").loc["HZ9", "days_overdue"] == 12
    got = run(tiny_con, "overdue_hazards", date(2023, 5, 22))
    assert got.set_index("hazard_id").loc["HZ9", "days_overdue"] == 14


# ---------------------------------------------------------------- overdue_gas_cuts


def test_overdue_gas_cut_in_force(tiny_con):
    df = run(tiny_con, "overdue_gas_cuts", MAY20, **RULES)
    assert df.hazard_id.tolist() == ["HZ2"]  # H3 cut 04-22
    assert (df.days_cut.iloc[0], df.cut_too_long.iloc[0], df.restore_late.iloc[0]) == (
        28,
        True,
        False,
    )
    assert run(tiny_con, "overdue_gas_cuts", MAY20, cut_days=28, restore_hours=24).empty
    # Restored 05-23, the day after rectification on 05-22: within 24 h, nothing to chase.
    assert run(tiny_con, "overdue_gas_cuts", MAY31, **RULES).empty


def test_restoration_later_than_24_hours_after_rectification(tiny_con):
    tiny_con.execute(
        "UPDATE hazard SET gas_restored_on = DATE '2023-05-25' WHERE hazard_id = 'HZ2'"
    )
    household_state.refresh(tiny_con, "tiny")
    # Rectified 05-22. On 05-23 only 24 h have passed; from 05-24 the restoration is late.
    on_23 = run(tiny_con, "overdue_gas_cuts", date(2023, 5, 23), cut_days=60, restore_hours=24)
    assert on_23.empty
    on_24 = run(tiny_con, "overdue_gas_cuts", date(2023, 5, 24), cut_days=60, restore_hours=24)
    assert on_24[["hazard_id", "in_force", "hours_to_restore", "restore_late"]].values.tolist() == [
        ["HZ2", True, 48, True]
    ]
    # After the (late) restoration the case stays on the list for follow-up.
    done = run(tiny_con, "overdue_gas_cuts", MAY31, cut_days=60, restore_hours=24)
    assert done[["in_force", "hours_to_restore", "restore_late"]].values.tolist() == [
        [False, 72, True]
    ]


# ---------------------------------------------------------------- overdue_installs


def test_overdue_installs(tiny_con):
    # overdue for the household itself. H2 is in batch B1 (sent 05-05), planned for
    # 05-19: one day late on 05-20. H3 (surveyed 04-15, refused, gas cut) is in no batch: due by
    # the install phase's end (05-31), so not listed on 05-20 however long ago the survey was.
    df = run(tiny_con, "overdue_installs", MAY20, days_after_survey=30)
    assert df.household_id.tolist() == ["H2"]
    assert df[["install_due_on", "due_basis", "days_late"]].values.tolist() == [
        [pd.Timestamp("2023-05-19"), "batch", 1]
    ]
    assert df[["hazard_open", "gas_cut", "refused"]].values.tolist() == [[True, False, False]]
    # The rest is summarised: H3 waits for the deadline (H6/H7 are surveyed after 05-20).
    summary = run(tiny_con, "overdue_installs_summary", MAY20, days_after_survey=30)
    assert summary[["due_basis", "overdue", "households"]].values.tolist() == [
        ["batch", True, 1],
        ["deadline", False, 1],
    ]
    assert run(tiny_con, "overdue_installs", MAY31, days_after_survey=30).household_id.tolist() == [
        "H2"  # H3 installed 05-28; H6 and H7 are due 05-31, not late on it
    ]
    # After the install phase everyone surveyed and not installed is late, latest first.
    june = run(tiny_con, "overdue_installs", date(2023, 6, 5), days_after_survey=30)
    assert june[["household_id", "due_basis", "days_late"]].values.tolist() == [
        ["H2", "batch", 17],
        ["H6", "deadline", 5],
        ["H7", "deadline", 5],
    ]
    # A removed visit does not promise a day: H2 falls back to the deadline.
    tiny_con.execute("UPDATE batch_item SET removed_at = TIMESTAMP '2023-05-06 09:00'")
    assert run(tiny_con, "overdue_installs", MAY20, days_after_survey=30).empty


def test_overdue_installs_late_install_record(tiny_con):
    tiny_con.execute(
        "INSERT INTO installation (household_id, programme_id, device_type, installed_on,"
        " recorded_at) VALUES ('H2', 'tiny', 'ng_alarm_valve', DATE '2023-05-18',"
        " TIMESTAMP '2023-05-21 08:00:00')"
    )
    household_state.refresh(tiny_con, "tiny")
    # By business date H2 was installed on 05-18: not overdue on 05-20 any more.
    assert (
        "H2"
        not in run(tiny_con, "overdue_installs", MAY20, days_after_survey=30).household_id.tolist()
    )
    later = run(tiny_con, "overdue_installs", date(2023, 5, 21), days_after_survey=30)
    assert "H2" not in later.household_id.tolist()


# ---------------------------------------------------------------- overdue_batches


def test_overdue_batches_and_a_late_sent_event(tiny_con):
    assert run(tiny_con, "overdue_batches", MAY20)[
        ["batch_id", "days_waiting"]
    ].values.tolist() == [
        ["B2", 5],  # B1 confirmed 05-12
        ["B3", 2],  # sent 05-18, recorded 05-24: by business date waiting since 05-18
    ]
    assert run(tiny_con, "overdue_batches", date(2023, 5, 23)).batch_id.tolist() == ["B2", "B3"]
    assert run(tiny_con, "overdue_batches", date(2023, 5, 24)).batch_id.tolist() == ["B2", "B3"]
    assert run(tiny_con, "overdue_batches", MAY31, street_ids=["S1"]).batch_id.tolist() == ["B3"]


# ---------------------------------------------------------------- overdue_reports


def reports(con, as_of) -> list:
    df = run(con, "overdue_reports", as_of, report="加装报警器确认表")
    return df[["period", "status", "days_late"]].values.tolist()


def test_overdue_reports_missing(tiny_con):
    # report_day 25; programme 04-01..06-30. April's was due 04-25, May's 05-25.
    assert reports(tiny_con, MAY20) == [["2023-04", "missing", 25]]
    assert reports(tiny_con, MAY31) == [["2023-04", "missing", 36], ["2023-05", "missing", 6]]


def test_overdue_reports_on_time_late_and_not_yet_arrived(tiny_con):
    tiny_con.execute(
        "INSERT INTO report_receipt (programme_id, report, period, received_on) VALUES"
        " ('tiny', '加装报警器确认表', '2023-04', DATE '2023-04-24'),"
        " ('tiny', '加装报警器确认表', '2023-05', DATE '2023-05-27')"
    )
    assert reports(tiny_con, MAY20) == []  # April on time
    assert reports(tiny_con, date(2023, 5, 26)) == [["2023-05", "missing", 1]]
    assert reports(tiny_con, MAY31) == [["2023-05", "late", 2]]


def test_overdue_reports_none_without_a_report_day(tiny_con):
    tiny_con.execute("UPDATE programme SET report_day = NULL")
    assert reports(tiny_con, MAY31) == []


# ---------------------------------------------------------------- expiring_warranties


def test_expiring_warranties(tiny_con):
    df = run(tiny_con, "expiring_warranties", MAY20, warning_days=90)
    assert df[["household_id", "days_left"]].values.tolist() == [["H8", 72]]  # ends 07-31
    assert run(tiny_con, "expiring_warranties", MAY20, warning_days=71).empty
    # H8 is outside every street, so no street scope contains it.
    assert run(tiny_con, "expiring_warranties", MAY20, warning_days=90, street_ids=["S1"]).empty


# ---------------------------------------------------------------- household_detail


def test_household_detail_events_as_known(tiny_con):
    def events(as_of, street_ids=None):
        df = run(tiny_con, "household_detail", as_of, household_id="H3", street_ids=street_ids)
        return [(pd.Timestamp(d).date(), e) for d, e in zip(df.on_date, df.event, strict=True)]

    assert events(MAY20) == [
        (date(2023, 4, 15), "入户安检"),
        (date(2023, 4, 15), "发现隐患"),
        (date(2023, 4, 22), "停气"),
    ]
    assert events(MAY31)[3:] == [
        (date(2023, 5, 22), "隐患整改"),
        (date(2023, 5, 23), "恢复供气"),
        (date(2023, 5, 28), "安装"),
    ]
    assert events(MAY31, ["S2"]) == []  # H3 lives in S1


def test_known_by_macro(tiny_con):
    k = "p_known_at := TIMESTAMP '2023-05-21 00:00:00'"
    got = tiny_con.execute(
        f"SELECT known_by(TIMESTAMP '2023-05-20 23:59:59', DATE '2023-05-01', DATE '2023-05-20', {k}),"
        f" known_by(TIMESTAMP '2023-05-21 00:00:00', DATE '2023-05-01', DATE '2023-05-20', {k}),"
        f" known_by(NULL, DATE '2023-05-20', DATE '2023-05-20', {k}),"
        f" known_by(NULL, DATE '2023-05-21', DATE '2023-05-20', {k}),"
        # capped by the knowledge time even when the evaluated day is later
        " known_by(TIMESTAMP '2023-05-20 12:00', DATE '2023-05-01', DATE '2023-05-31',"
        " p_known_at := TIMESTAMP '2023-05-20 09:00'),"
        # no knowledge time: everything in the database counts (business date as known now)
        " known_by(TIMESTAMP '2023-06-30 00:00:00', DATE '2023-05-01', DATE '2023-05-20')"
    ).fetchone()
    assert got == (True, False, True, False, False, True)
