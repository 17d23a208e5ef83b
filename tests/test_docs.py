"""The README and docs/ stay short, linked and free of internal bookkeeping.

README.md is the front page (≤ 200 lines, the two commands of a fresh machine); the manuals,
deployment, design and benchmark notes live in docs/. Every relative link must resolve, and
neither may cite tracker numbers: readers cannot look them up.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
# Markdown links [text](target) and HTML src/href attributes.
LINK = re.compile(r"\]\(([^)\s]+)\)|(?:src|href)=\"([^\"]+)\"")


def _targets(path: Path) -> list[tuple[str, str]]:
    """Relative link targets in a Markdown file as (file, #anchor or "")."""
    found = []
    for md, html in LINK.findall(path.read_text(encoding="utf-8")):
        target = md or html
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # http:, mailto: …
        file, _, anchor = unquote(target).partition("#")
        found.append((file, anchor))
    return found


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    heads = re.findall(r"^#{1,6}\s+(.+?)\s*$", path.read_text(encoding="utf-8"), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in heads}


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail into docs/"


def test_readme_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text


def test_docs_exist() -> None:
    names = {p.name for p in DOCS}
    assert {"deploy.md", "design.md", "benchmark.md"} <= names
    assert len([n for n in names if n.startswith("manual-")]) == 5  # one per role


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_relative_links_resolve(path: Path) -> None:
    missing = []
    for file, anchor in _targets(path):
        target = path.parent / file if file else path
        if not target.exists():
            missing.append(file)
        elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
            missing.append(f"{file}#{anchor}")
    assert not missing, f"{path.name}: broken links {missing}"


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_no_issue_numbers(path: Path) -> None:
    # `anju briefing --issue 3` is a command-line flag (a bulletin's number), not a citation.
    text = path.read_text(encoding="utf-8")
    hits = re.findall(r"(?<!--)issue\s*#?\d+", text, flags=re.IGNORECASE)
    assert not hits, f"{path.name} cites {hits}"
