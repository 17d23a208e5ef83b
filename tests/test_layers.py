"""The house's layers, checked where import-linter cannot see: page files by convention."""

from __future__ import annotations

from pathlib import Path

from dashboard.navigation import PAGES
from data import access

ROOT = Path(__file__).resolve().parents[1]


def test_bench_finds_every_page_by_its_key():
    # anju.bench_pages opens dashboard/pages/<key>.py for each access.PAGE_TITLES key (the CLI
    # never imports the UI): the navigation must follow the same convention.
    assert [p.key for p in PAGES] == list(access.PAGE_TITLES)
    for page in PAGES:
        assert page.path == f"dashboard/pages/{page.key}.py"
        assert (ROOT / page.path).is_file()
