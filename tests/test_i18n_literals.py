"""Chinese string literals outside the catalogue, per dashboard module, kept by a ratchet.

Interface text belongs in the catalogue, dashboard/locale/*.toml (`t(key, lang)`), so English
mode can show it; its loaders (dashboard/i18n.py, dashboard/labels/) are counted like any module. What may stay as a literal in a module is what is Chinese by decision:
export content (Excel headers, sheet names, file names, the 说明 text — the paperwork stays in
the seeds' Chinese forms), the Chinese column names of a table kept for its export, patterns
matched against Chinese data (name suffixes like 街道/社区), and the languages' own names
(中文). ALLOWED holds today's count per module: a count may go down, never up; a module whose
count fell below its allowance fails too, so the number is lowered with the change.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"[\u4e00-\u9fff]")

ALLOWED = {
    "dashboard/auth.py": 1,
    "dashboard/components/acceptance_panel.py": 2,
    "dashboard/components/aftercare.py": 7,
    "dashboard/components/batch_view.py": 7,
    "dashboard/components/coverage_map.py": 5,
    "dashboard/components/field_forms.py": 4,
    "dashboard/components/overdue.py": 9,
    "dashboard/components/risk_tables.py": 15,
    "dashboard/components/settlement_view.py": 28,
    "dashboard/components/weekly.py": 1,
    "dashboard/pages/audit.py": 3,
    "dashboard/pages/batch.py": 1,
    "dashboard/pages/coverage.py": 12,
    "dashboard/pages/devices.py": 13,
    "dashboard/pages/fire_risk.py": 13,
    "dashboard/pages/import.py": 2,
    "dashboard/pages/overdue.py": 8,
    "dashboard/pages/service.py": 8,
    "dashboard/pages/settlement.py": 3,
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def chinese_literals() -> dict[str, int]:
    """String constants holding Chinese per module under dashboard/ (docstrings excluded).

    An f-string counts once per Chinese piece of its text."""
    counts: dict[str, int] = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        n = sum(
            1
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and _CJK.search(node.value)
        )
        if n:
            counts[name] = n
    return counts


def test_chinese_literals_only_go_down() -> None:
    found = chinese_literals()
    grown = {m: (n, ALLOWED.get(m, 0)) for m, n in found.items() if n > ALLOWED.get(m, 0)}
    assert not grown, f"Chinese literals above the allowance (found, allowed): {grown}"
    shrunk = {m: (found.get(m, 0), n) for m, n in ALLOWED.items() if found.get(m, 0) < n}
    assert not shrunk, f"lower ALLOWED to the new counts (found, allowed): {shrunk}"
