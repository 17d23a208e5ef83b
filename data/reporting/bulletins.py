"""Published 周通报 (第N期): stored with the knowledge time they were issued at, re-shown exactly.

Publishing computes the bulletin as known at that moment (every record recorded before it,
updates included: data.store.knowledge) and keeps the summary and KPI cards as issued. Re-showing an
issue recomputes it with the same knowledge time, so late records and late rectifications or
verifications never change it; `reshow` checks that against the stored figures.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pandas as pd

import queries
from data.reporting import briefing, briefing_text
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work


def issues(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """The programme's published issues, newest first."""
    return queries.run(con, "bulletin_issues", programme_id=programme_id)


def from_row(programme_id: str, row: pd.Series | dict) -> dict:
    """A stored issue (a row of `issues`) in the form `reshow` takes."""
    row = dict(row)
    kpis = row.get("kpis")
    return row | {
        "programme_id": programme_id,
        "issue_no": int(row["issue_no"]),
        "as_of": pd.Timestamp(row["as_of"]).date(),
        "known_at": pd.Timestamp(row["known_at"]).to_pydatetime(),
        "kpis": json.loads(kpis) if isinstance(kpis, str) else kpis,
    }


def publish(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    as_of: date,
    actor: str,
    known_at: datetime | None = None,
) -> dict:
    """Issue the bulletin of `as_of` as 第N期 (N = last + 1), known as of now; audit-logged.

    Writers stamp recorded-at to the second, so the knowledge time is the start of the current
    second: a record of that same second is left out of the issue and of every re-showing.
    """
    known_at = (known_at or clock.now()).replace(microsecond=0)
    b = briefing.build(briefing.fetcher(con, None), programme_id, as_of, known_at=known_at)
    with unit_of_work(con, actor):
        issue_no = queries.call(
            con, "bulletins.next_issue_no", programme_id=programme_id
        ).fetchone()[0]
        text = briefing_text.summary(b)
        queries.call(
            con,
            "bulletins.insert_issue",
            programme_id=programme_id,
            issue_no=issue_no,
            as_of=as_of,
            known_at=known_at,
            published_at=clock.now(),
            published_by=actor,
            summary=text,
            kpis=json.dumps(_jsonable(b.kpis), ensure_ascii=False),
        )
        audit.log(
            con,
            actor,
            "bulletin_publish",
            f"{programme_id}#{issue_no}",
            {
                "as_of": as_of.isoformat(),
                "known_at": known_at.isoformat(),
                "installed": b.kpis["installed"],
            },
        )
    return {
        "programme_id": programme_id,
        "issue_no": int(issue_no),
        "as_of": as_of.isoformat(),
        "known_at": known_at.isoformat(),
        "summary": text,
    }


def _jsonable(kpis: dict) -> dict:
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in kpis.items()}


def issue(con: duckdb.DuckDBPyConnection, programme_id: str, issue_no: int) -> dict | None:
    """One stored issue as a dict (kpis parsed), or None."""
    df = issues(con, programme_id)
    df = df[df["issue_no"] == issue_no]
    return None if df.empty else from_row(programme_id, df.iloc[0])


def reshow(fetch: briefing.Fetch, stored: dict, scope_label: str = "") -> briefing.Briefing:
    """The issue's bulletin recomputed at its own knowledge time (for any scope)."""
    b = briefing.build(
        fetch, stored["programme_id"], stored["as_of"], scope_label, known_at=stored["known_at"]
    )
    b.issue_no = int(stored["issue_no"])
    return b
