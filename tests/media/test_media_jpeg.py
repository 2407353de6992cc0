"""Damaged JPEGs that Pillow's decoder fills in silently are refused; real ones are not."""

from __future__ import annotations

import io
import random
import struct
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from heritage.media import ImageRefused, examine, samples
from tests.media import files

CAP = 120_000_000


def look(tmp_path, data: bytes):
    path = tmp_path / "upload.jpg"
    path.write_bytes(data)
    return examine(path, max_pixels=CAP, default_offset="+04:00")


def photo(**options) -> bytes:
    """A photo-like JPEG: grain makes its compressed data long, as a camera's is."""
    return files.encode(files.noisy(1600, 1200), "JPEG", **{"quality": 90, **options})


def scan_start(data: bytes) -> int:
    """Where the compressed data of the first scan begins."""
    sos = data.index(b"\xff\xda")
    return sos + 2 + struct.unpack_from(">H", data, sos + 2)[0]


def truncated_with_eoi() -> bytes:
    data = photo()
    return data[: len(data) * 2 // 3] + b"\xff\xd9"


def zeroed(**options) -> bytes:
    data = bytearray(photo(**options))
    start = scan_start(data) + 20_000
    data[start : start + 4096] = bytes(4096)
    return bytes(data)


def overwritten() -> bytes:
    data = bytearray(photo())
    start = scan_start(data) + 30_000
    data[start : start + 4096] = random.Random(4).randbytes(4096)
    return bytes(data)


def declaring_a_huge_picture() -> bytes:
    """A few hundred bytes whose frame header claims 11000×10000 (110 megapixels)."""
    data = bytearray(files.encode(Image.new("RGB", (16, 16), (9, 9, 9)), "JPEG", quality=50))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", 10000, 11000)
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(truncated_with_eoi, id="truncated, end marker appended"),
        pytest.param(overwritten, id="4 KB overwritten"),
        pytest.param(declaring_a_huge_picture, id="a few hundred bytes declaring 11000x10000"),
        pytest.param(zeroed, id="4 KB zeroed"),
    ],
)
def test_a_damaged_jpeg_is_refused(tmp_path, data):
    with pytest.raises(ImageRefused) as refused:
        look(tmp_path, data())

    assert refused.value.status == 422
    assert "damaged" in refused.value.message


def zeroed_at(position: float, **options) -> bytes:
    """A photo with 4 KB of its compressed data zeroed, `position` (0-1) of the way in."""
    data = bytearray(photo(**options))
    first = scan_start(data)
    start = first + int((len(data) - first - 4200) * position)
    data[start : start + 4096] = bytes(4096)
    return bytes(data)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"optimize": True},
        {"quality": 50},
        {"quality": 100, "subsampling": 0},
        {"restart_marker_rows": 1},
        pytest.param(
            {"progressive": True},
            marks=pytest.mark.xfail(
                strict=True,
                reason="past the first scans, zeros in a progressive file's AC scans read as "
                "runs of empty blocks or as refinement bits, which is what such scans "
                "hold for flat areas; only a decoder's warnings would tell",
            ),
        ),
    ],
    ids=lambda options: ",".join(f"{key}={value}" for key, value in options.items()) or "default",
)
def test_4_kb_zeroed_anywhere_in_the_scan_is_refused(tmp_path, options):
    verdicts = {}
    for twentieth in range(20):
        try:
            look(tmp_path, zeroed_at(twentieth / 20, **options))
        except ImageRefused as refused:
            verdicts[twentieth] = str(refused.message)
        else:
            verdicts[twentieth] = "accepted"

    assert all("damaged" in verdict for verdict in verdicts.values()), verdicts


def flat(width: int = 2400, height: int = 1600) -> Image.Image:
    """A scan's white page or a blown-out sky: mostly one colour, which an encoder with
    optimised tables codes as zeros, with a little picture in the middle."""
    page = Image.new("RGB", (width, height), (255, 255, 255))
    page.paste(files.noisy(width // 4, height // 4), (width // 3, height // 3))
    return page


@pytest.mark.parametrize(
    "options",
    [{"quality": 90}, {"quality": 90, "optimize": True}, {"quality": 95, "progressive": True}],
    ids=["standard tables", "optimised", "progressive"],
)
@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_flat_areas_coded_as_zeros_are_accepted(tmp_path, options, mode):
    data = files.encode(flat().convert(mode), "JPEG", **options)

    examined = look(tmp_path, data)

    assert (examined.width, examined.height) == (2400, 1600)


@pytest.mark.parametrize(
    "options",
    [
        {"quality": 50},
        {"quality": 75, "subsampling": 2},
        {"quality": 95, "subsampling": 0},
        {"quality": 85, "subsampling": 1},
        {"quality": 100},
        {"quality": 85, "optimize": True},
        {"quality": 85, "progressive": True},
        {"quality": 85, "restart_marker_blocks": 37},
        {"quality": 85, "restart_marker_rows": 1},
        {"quality": 85, "progressive": True, "restart_marker_rows": 3},
        {"quality": 85, "exif": files.exif(camera=("Canon", "Canon EOS R6")).tobytes()},
        {"quality": 85, "comment": b"scanned at the archive", "dpi": (300, 300)},
    ],
    ids=lambda options: ",".join(f"{key}={value}" for key, value in options.items())[:50],
)
@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_jpegs_saved_by_pillow_are_accepted(tmp_path, options, mode):
    picture = files.noisy(2500, 1700).convert(mode)

    examined = look(tmp_path, files.encode(picture, "JPEG", **options))

    assert (examined.width, examined.height) == (2500, 1700)


def test_an_mpo_with_a_second_picture_is_accepted(tmp_path):
    first, second = files.noisy(1600, 1200), files.picture(800, 600, seed=3)
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second], quality=85)

    examined = look(tmp_path, buffer.getvalue())

    assert (examined.media_type, examined.width) == ("image/jpeg", 1600)


@pytest.mark.parametrize(
    ("site_type", "state"),
    [("mosque", "whole"), ("church", "ruined"), ("bridge", "scaffolded"), ("cemetery", "whole")],
)
def test_the_demo_photos_are_accepted(tmp_path, site_type, state):
    shot = samples.Shot(
        taken=datetime(2023, 5, 14, 10, 30, tzinfo=timezone(timedelta(hours=4))),
        camera=("Apple", "iPhone 13 Pro"),
        position=(files.LATITUDE, files.LONGITUDE),
    )

    examined = look(tmp_path, samples.photograph(site_type, site_type, state, shot))

    assert (examined.width, examined.height) == samples.SIZE
