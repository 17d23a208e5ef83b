"""Photos taken at the door (signed slip, hazard): checked, cleaned and stored beside the database.

A photo is jpg, png or heic (iPhones), at most 10 MB. Its EXIF is removed — phones write the
device, owner and time into it — except the GPS location when the user agreed to keep it. The
cleaned image is stored once under its SHA-256 in `<database>.photos/`; HEIC becomes JPEG there,
since browsers cannot show HEIC. Who may see a photo follows the household's scope
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

MAX_BYTES = 10 * 1024 * 1024
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


def clean(up: Upload) -> Cleaned:
    """Check one photo and strip its EXIF (the location kept only if agreed). FieldError-free:
    raises ValueError with a Chinese message naming the file."""
    name = Path(str(up.name or "照片")).name[:100]
    fmt = EXTENSIONS.get(Path(name).suffix.lower())
    if fmt is None:
        raise UserError("photos.bad_type", name=name)
    if len(up.data) > MAX_BYTES:
        raise ValueError(
            f"照片 {name} 超过 10 MB（{len(up.data) / 1048576:.1f} MB），请压缩后再传。"
        )
    if not up.data:
        raise UserError("photos.empty", name=name)
    try:
        img = Image.open(io.BytesIO(up.data))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
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
    return Cleaned(name, data, hashlib.sha256(data).hexdigest(), media, bool(up.keep_location))


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
    path = _path(Path(store), photo.sha256, photo.media_type)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(photo.data)
        tmp.replace(path)
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
