"""`anju briefing`: the 周通报 as a Word (.docx) or Excel (.xlsx) file from a database file.

The documents themselves are `documents.bulletin` (the 周报 page's download buttons call the
same functions), so the files carry exactly the page's numbers.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from data.reporting import briefing, briefing_text
from data.reporting.briefing import Briefing
from documents.bulletin import docx_bytes, xlsx_bytes


def write(b: Briefing, out: str | Path) -> Path:
    """Write the bulletin to `out`: .docx (Word 周通报) or .xlsx (tables on sheets)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".docx":
        data = docx_bytes(b)
    elif suffix == ".xlsx":
        data = xlsx_bytes(b)
    else:
        raise ValueError(f"不支持的输出格式 {out.suffix!r}：请使用 .docx 或 .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def run(
    db: str | Path,
    programme_id: str,
    as_of: date | None,
    out: str | Path,
    *,
    as_published: bool = False,
    publish_as: str | None = None,
    issue: int | None = None,
) -> dict:
    """Compute the briefing from a database file and write it; return what was written.

    By business date as known now; `as_published`: as known at the end of `as_of`;
    `publish_as`: issue it as the next 第N期 (by that user); `issue`: re-show a published one.
    """
    from data.reporting import bulletins
    from data.store.connection import connect

    con = connect(db)
    try:
        fetch = briefing.fetcher(con, None)
        known = set(fetch("programmes")["programme_id"])
        if programme_id not in known:
            raise ValueError(
                f"数据库中没有工作项目 {programme_id!r}；可选：{', '.join(sorted(known))}"
            )
        if issue is not None:
            stored = bulletins.issue(con, programme_id, issue)
            if stored is None:
                raise ValueError(f"项目 {programme_id} 没有第{issue}期周通报")
            b = bulletins.reshow(fetch, stored)
        elif publish_as:
            done = bulletins.publish(con, programme_id, as_of, publish_as)
            b = bulletins.reshow(fetch, bulletins.issue(con, programme_id, done["issue_no"]))
        else:
            b = briefing.build(fetch, programme_id, as_of, known_at=as_of if as_published else None)
    finally:
        con.close()
    path = write(b, out)
    return {
        "out": str(path),
        "as_of": b.as_of.isoformat(),
        "issue_no": b.issue_no,
        "known_at": b.known_at.isoformat() if b.known_at else None,
        "summary": briefing_text.summary(b),
    }


def _command(args) -> int:
    import json

    if args.as_of is None and args.issue is None:
        print("错误：请给出 --as-of 统计日期，或用 --issue 重现已发布的一期", file=sys.stderr)
        return 2
    try:
        result = run(
            args.db,
            args.programme,
            date.fromisoformat(args.as_of) if args.as_of else None,
            args.out,
            as_published=args.as_published,
            publish_as=args.publish_as,
            issue=args.issue,
        )
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def register(sub) -> None:
    """Add `anju briefing` to the CLI's sub-commands."""
    b = sub.add_parser("briefing", help="生成周通报：Word（.docx）或 Excel（.xlsx）")
    b.add_argument("--db", required=True, help="数据库文件")
    b.add_argument("--programme", required=True, help="工作项目编号，如 changning_2023")
    b.add_argument("--as-of", help="统计日期 YYYY-MM-DD（默认按业务日期统计，含此后补录的记录）")
    b.add_argument("--out", required=True, help="输出文件：.docx 或 .xlsx")
    b.add_argument(
        "--as-published", action="store_true", help="按当日结束前已录入的记录统计（当时口径）"
    )
    b.add_argument("--publish-as", metavar="USER", help="以此账号发布为下一期（第N期）并保存")
    b.add_argument("--issue", type=int, help="重现已发布的第N期（按其发布时已录入的记录）")
    b.set_defaults(func=_command)
