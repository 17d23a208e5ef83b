"""Photos taken at the door (signed slip, hazard): checked, cleaned and stored beside the database.

A photo is jpg, png or heic (iPhones), at most 10 MB and 40 megapixels; its header is read
before any pixel is decoded, so an image bomb is refused at once. Its EXIF is removed — phones write the
device, owner and time into it — except the GPS location when the user agreed to keep it. The
cleaned image is stored once under its SHA-256 in `<database>.photos/`; HEIC becomes JPEG there,
since browsers cannot show HEIC. A thumbnail (`<sha>.thumb.jpg`, at most 1600 px) is written
beside it at save, so opening a household's card never decodes the full image. Who may see a photo follows the household's scope
(data.fieldwork.field checks it before `read`).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pillow_heif
from PIL import Image, UnidentifiedImageError

import queries
from data.messages import UserError
from data.store import audit
from data.users import access

MAX_MB = 10  # the uploader's limit, its label and this check are this one number
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-MP phone photo is binned to 12 MP; 40 MP leaves room
MAX_DECODED_BYTES = 200 * 1024 * 1024  # width × height × channels × bytes per sample
THUMB_SIDE = 1600  # px: a signed slip stays readable
# Pillow refuses at twice this on open (DecompressionBombError), before any decoding.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
_PNG = b"\x89PNG\r\n\x1a\n"
EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".heic": "HEIF", ".heif": "HEIF"}
GPS_IFD = 0x8825
pillow_heif.register_heif_opener()


@dataclass
class Upload:
    """A photo as uploaded: its file name, bytes and whether to keep the EXIF location."""

    name: str
    data: bytes
    keep_location: bool = False


@dataclass
class Cleaned:
    """A photo ready to store: cleaned bytes, their SHA-256, media type."""

    name: str
    data: bytes
    sha256: str
    media_type: str
    keep_location: bool
    thumb: bytes = b""


def clean(up: Upload) -> Cleaned:
    """Check one photo and strip its EXIF (the location kept only if agreed). FieldError-free:
    raises ValueError with a Chinese message naming the file."""
    name = Path(str(up.name or "照片")).name[:100]
    fmt = EXTENSIONS.get(Path(name).suffix.lower())
    if fmt is None:
        raise UserError("photos.bad_type", name=name)
    if len(up.data) > MAX_BYTES:
        raise UserError(
            "photos.too_big", name=name, size=f"{len(up.data) / 1048576:.1f}", limit=MAX_MB
        )
    if not up.data:
        raise UserError("photos.empty", name=name)
    try:
        img = Image.open(io.BytesIO(up.data))  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UserError("photos.too_many_pixels", name=name, limit=MAX_PIXELS // 1_000_000) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UserError("photos.unreadable", name=name) from exc
    _check_header(name, img, up.data)
    try:
        img.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UserError("photos.unreadable", name=name) from exc
    if img.format not in {"JPEG", "PNG", "HEIF"} or (fmt == "PNG") != (img.format == "PNG"):
        raise UserError("photos.wrong_extension", name=name, actual=img.format)
    exif = Image.Exif()
    if up.keep_location:
        gps = img.getexif().get_ifd(GPS_IFD)
        if gps:
            exif[GPS_IFD] = gps
    out = io.BytesIO()
    if img.format == "PNG":
        # Re-encoding drops PNG text chunks and eXIf; pixels are unchanged (lossless).
        img.save(out, "PNG", exif=exif.tobytes() if len(exif) else None)
        media = "image/png"
    else:
        rgb = img.convert("RGB") if img.mode not in ("RGB", "L") else img
        rgb.save(out, "JPEG", quality=90, exif=exif.tobytes() if len(exif) else b"")
        media = "image/jpeg"
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    return Cleaned(name, data, sha, media, bool(up.keep_location), thumbnail(img))


def _check_header(name: str, img: Image.Image, data: bytes) -> None:
    """Pixel count, bit depth and decoded size from the header, before any decoding."""
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise UserError(
            "photos.too_many_pixels",
            name=name,
            limit=MAX_PIXELS // 1_000_000,
        )
    bits = 8
    if data.startswith(_PNG) and data[12:16] == b"IHDR":
        bits = max(bits, data[24])  # IHDR: width, height (4 bytes each), then bit depth
    elif img.mode.startswith("I;16") or img.mode in ("I", "F"):
        bits = 16 if img.mode.startswith("I;16") else 32
    decoded = width * height * len(img.getbands()) * bits // 8
    if decoded > MAX_DECODED_BYTES:
        raise UserError(
            "photos.too_large_decoded",
            name=name,
            width=width,
            height=height,
            bits=bits,
            size=decoded // 1048576,
            limit=MAX_DECODED_BYTES // 1048576,
        )


def thumbnail(img: Image.Image) -> bytes:
    """A JPEG of at most THUMB_SIDE px a side, for the household's card."""
    small = img.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    if small.mode not in ("RGB", "L"):
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def check_all(uploads: list[Upload]) -> list[Cleaned]:
    """Clean every photo of an entry before anything is written (one bad photo: nothing saved)."""
    return [clean(u) for u in uploads or []]


def store_for(con: duckdb.DuckDBPyConnection) -> Path:
    """The photo store beside the database file: `<file>.photos/`."""
    db = audit.database_file(con)
    if not db:
        raise UserError("photos.memory_db")
    return Path(db).with_name(Path(db).name + ".photos")


def _path(store: Path, sha: str, media_type: str) -> Path:
    return store / sha[:2] / f"{sha}{'.png' if media_type == 'image/png' else '.jpg'}"


def _thumb_path(store: Path, sha: str) -> Path:
    return store / sha[:2] / f"{sha}.thumb.jpg"


def _write_once(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)


def save(
    con: duckdb.DuckDBPyConnection,
    store: Path | None,
    photo: Cleaned,
    entry_id: int,
    programme_id: str,
    household_id: str,
    user: access.User,
    now: datetime,
) -> None:
    """Write the file (once per SHA-256) and its row; inside the caller's transaction."""
    if store is None:
        raise UserError("photos.no_folder")
    _write_once(_path(Path(store), photo.sha256, photo.media_type), photo.data)
    if photo.thumb:
        _write_once(_thumb_path(Path(store), photo.sha256), photo.thumb)
    queries.call(
        con,
        "photos.save",
        entry_id=entry_id,
        sha256=photo.sha256,
        programme_id=programme_id,
        household_id=household_id,
        file_name=photo.name,
        media_type=photo.media_type,
        data=len(photo.data),
        keep_location=photo.keep_location,
        now=now,
        username=user.username,
    )


def listing(con: duckdb.DuckDBPyConnection, programme_id: str, household_id: str) -> list[dict]:
    """Photo rows of one household (the caller has checked its scope)."""
    cur = queries.call(con, "photos.listing", programme_id=programme_id, household_id=household_id)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def read(store: Path, sha256: str, media_type: str) -> bytes | None:
    """The stored bytes, verified against their SHA-256 (None if missing or altered)."""
    path = _path(Path(store), sha256, media_type)
    if not path.is_file():
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def read_thumb(store: Path, sha256: str, media_type: str) -> bytes | None:
    """The photo's thumbnail; made once from the verified photo when an older one has none."""
    path = _thumb_path(Path(store), sha256)
    if path.is_file():
        return path.read_bytes()
    data = read(store, sha256, media_type)
    if data is None:
        return None
    try:
        thumb = thumbnail(Image.open(io.BytesIO(data)))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    _write_once(path, thumb)
    return thumb
