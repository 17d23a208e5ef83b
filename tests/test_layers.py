"""The house's layers, checked where import-linter cannot see: page files by convention."""

from __future__ import annotations

from pathlib import Path

from dashboard.navigation import PAGES
from data.users import access

ROOT = Path(__file__).resolve().parents[1]


def test_bench_finds_every_page_by_its_key():
    # The bench (bench.pages, bench.browser) walks access.PAGE_TITLES and opens each page by its
    # key, the browser at /<key>, which Streamlit derives from the script's file name: the
    # navigation must follow the same convention.
    assert [p.key for p in PAGES] == list(access.PAGE_TITLES)
    for page in PAGES:
        assert page.path == f"dashboard/pages/{page.key}.py"
        assert (ROOT / page.path).is_file()
