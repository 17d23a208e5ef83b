"""Hostile photos are refused from their header, in Chinese, before any pixel is decoded;
thumbnails are made once at save; the card shows photos without publishing a URL.

The bombs are crafted small: a PNG signature, an IHDR claiming the size, an empty IDAT.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime, timedelta

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from data.fieldwork import field, photos
from data.store import clock
from data.users import access
from tests.conftest import TINY

WEST = access.User("west", "street", "S1")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header(width: int, height: int, bit_depth: int, colour_type: int) -> bytes:
    """A few dozen bytes that claim a width × height PNG (colour type 0 grey, 2 RGB, 6 RGBA)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b""))
        + _chunk(b"IEND", b"")
    )


def _now() -> datetime:
    return clock.now() - timedelta(minutes=1)


def _record(con, tmp_path, *uploads: photos.Upload) -> int:
    return field.record(
        con,
        WEST,
        TINY,
        "H1",
        field.Entry("visit", _now(), {"outcome": "正常"}, list(uploads)),
        photo_store=tmp_path,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bomb.png", _png_header(30000, 30000, 1, 0), "像素过多"),
        ("deep16.png", _png_header(13000, 13000, 16, 2), "像素过多"),
        ("tall.png", _png_header(7000, 7000, 8, 2), "像素过多"),  # over the bound, under 2×
        ("rgba16.png", _png_header(6000, 6000, 16, 6), "16 位"),  # 36 MP, 288 MB decoded
    ],
    ids=["30000x30000", "13000x13000_16bit", "49_megapixels", "decoded_288MB"],
)
def test_an_image_bomb_is_refused_from_its_header_and_nothing_is_saved(
    tiny_con, tmp_path, name, data, message
):
    assert len(data) < 100  # the whole "image" is a header
    with pytest.raises(ValueError) as err:
        _record(tiny_con, tmp_path, photos.Upload(name, data))
    assert message in str(err.value) and name in str(err.value)
    assert tiny_con.execute("SELECT count(*) FROM field_entry").fetchone() == (0,)
    assert not any(tmp_path.iterdir())


def test_an_oversize_photo_names_the_limit_the_uploader_shows(tiny_con, tmp_path):
    with pytest.raises(ValueError, match=f"超过 {photos.MAX_MB} MB"):
        _record(tiny_con, tmp_path, photos.Upload("big.jpg", b"x" * (photos.MAX_BYTES + 1)))
    assert tiny_con.execute("SELECT count(*) FROM field_entry").fetchone() == (0,)


def test_the_thumbnail_is_stored_at_save_and_the_card_reads_only_it(
    tiny_con, tmp_path, monkeypatch
):
    out = io.BytesIO()
    Image.new("RGB", (3200, 2000), (200, 30, 30)).save(out, "JPEG")
    _record(tiny_con, tmp_path, photos.Upload("slip.jpg", out.getvalue()))
    (sha,) = tiny_con.execute("SELECT sha256 FROM field_photo").fetchone()
    thumb = tmp_path / sha[:2] / f"{sha}.thumb.jpg"
    assert thumb.is_file()
    assert max(Image.open(thumb).size) == photos.THUMB_SIDE

    def no_full_image(*_args):
        raise AssertionError("the card decoded the full photo")

    monkeypatch.setattr(photos, "read", no_full_image)
    monkeypatch.setattr(photos, "thumbnail", no_full_image)
    (shot,) = field.household_photos(tiny_con, WEST, TINY, "H1", store=tmp_path, thumbs=True)
    assert shot["data"] == thumb.read_bytes()


def _card_script() -> None:
    import io

    from PIL import Image

    from dashboard.components import field_forms

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    field_forms._inline_image(out.getvalue(), "#1 <slip>.jpg")


def test_the_card_shows_a_photo_inside_the_page_not_at_a_media_url():
    at = AppTest.from_function(_card_script).run(timeout=60)
    assert not at.exception
    assert not at.get("imgs")  # st.image: a /media/… URL served without the session
    (shown,) = at.get("html")
    body = shown.proto.body
    assert "data:image/jpeg;base64," in body and "&lt;slip&gt;" in body
