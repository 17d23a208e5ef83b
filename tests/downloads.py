"""What a click on a download button built: the file of a deferred (callable) download."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest


def record_deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable]:
    """Keep every download callable a page registers (AppTest drops its media manager after
    each run), by file id."""
    kept: dict[str, Callable] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data, *args, **kwargs):
        file_id = original(self, data, *args, **kwargs)
        kept[file_id] = data
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return kept


def deferred_download(at: AppTest, key: str, kept: dict[str, Callable]) -> bytes:
    """Run the callable behind the download button `key`, as Streamlit does on a click."""
    file_id = at.download_button(key=key).proto.deferred_file_id
    assert file_id, f"{key}: the file is built with the page, not on click"
    data = kept[file_id]()
    return data.encode() if isinstance(data, str) else bytes(data)
