"""`anju audit verify --db PATH [--json]`: check the audit log's chain, key and anchor."""

from __future__ import annotations

import argparse

from anju.common import on_db, print_json
from data.store import audit
from data.store.connection import DEFAULT_DB


def _verify(args: argparse.Namespace) -> int:
    # Read-only: verifying must not create a mistyped file, migrate it, or seal pending entries.
    code, report = on_db(args.db, audit.check, (), read_only=True)
    if report is None:
        return code
    if args.json:
        print_json(report)
    else:
        head = report["head"] or {}
        print(
            f"审计日志 {report['entries']} 条（早期无密钥 {report['pre_hmac']} 条，"
            f"待入链 {report['pending']} 条），链头 #{head.get('chain_seq', '—')} "
            f"{(head.get('entry_hash') or '')[:16]}："
            + ("完整，校验通过。" if report["ok"] else f"发现 {len(report['breaks'])} 处断开：")
        )
        for b in report["breaks"]:
            where = f"第 {b['chain_seq']} 条" if b["chain_seq"] else "链头"
            print(f"  {where}（audit_id {b['audit_id'] or '—'}）：{b['reason']}")
    return 0 if report["ok"] else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `audit` sub-command."""
    a = sub.add_parser("audit", help="审计日志：校验哈希链、密钥与链头锚点")
    verbs = a.add_subparsers(dest="audit_command", required=True)
    v = verbs.add_parser("verify", help="校验审计日志；不完整时退出码为 1")
    v.add_argument("--db", default=str(DEFAULT_DB))
    v.add_argument("--json", action="store_true", help='打印 {"ok", "entries", "breaks", ...}')
    v.set_defaults(func=_verify)
