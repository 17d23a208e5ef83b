"""`anju forecast`: when the programme (or one street) will finish, from a database file.

The same function as the 周报 page and the 周通报 (data.reporting.forecast.programme_forecast),
so the three agree. Read-only: the database is opened read-only and nothing is written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from anju.common import open_read_only, print_json, refuse
from data.reporting import briefing, briefing_text
from data.reporting.forecast import Forecast, programme_forecast


def run(
    db: str | Path, programme_id: str, as_of: date, weeks: int = 4, street: str | None = None
) -> Forecast:
    """The forecast of a programme (or of one of its streets, by name or id) as of a date."""
    if weeks < 1 or weeks > 52:
        raise ValueError(f"预测周数应在 1 到 52 之间：{weeks}")
    con = open_read_only(db)  # refuses a missing, foreign or outdated file (ValueError)
    try:
        fetch = briefing.fetcher(con, None)
        known = set(fetch("programmes")["programme_id"])
        if programme_id not in known:
            raise ValueError(
                f"数据库中没有工作项目 {programme_id!r}；可选：{', '.join(sorted(known))}"
            )
        found = programme_forecast(fetch, programme_id, as_of, weeks, streets=street is not None)
    finally:
        con.close()
    return found.whole if street is None else found.street(street)


def _command(args) -> int:
    try:
        as_of = date.fromisoformat(args.as_of)
    except ValueError:
        return refuse(f"统计日期应为 YYYY-MM-DD：{args.as_of!r}")
    try:
        f = run(args.db, args.programme, as_of, args.weeks, args.street)
    except ValueError as exc:
        return refuse(exc)
    if args.json:
        print_json(f.as_json())
    else:
        print(briefing_text.forecast_line(f))
        print(briefing_text.forecast_check(f))
    return 0


def register(sub) -> None:
    """Add `anju forecast` to the CLI's sub-commands."""
    p = sub.add_parser("forecast", help="预测完成日期（S形曲线或直线，含80%区间和预测检验；只读）")
    p.add_argument("--db", required=True, help="数据库文件（只读打开）")
    p.add_argument("--programme", required=True, help="工作项目编号，如 changning_2023")
    p.add_argument("--street", help="只预测这个街镇（名称或编号）")
    p.add_argument("--as-of", required=True, help="统计日期 YYYY-MM-DD")
    p.add_argument("--weeks", type=int, default=4, help="向后预测的周数（默认 4）")
    p.add_argument("--json", action="store_true", help="打印 JSON")
    p.set_defaults(func=_command)
