"""The IIIF tile pyramid: cut from the full-size clean pixels a band at a time, each level
halved from the one above, in the tile grid IIIF clients compute, within bounded memory."""

from __future__ import annotations

import io
import itertools
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageFile

from heritage.media import MediaStore, derivatives, images, pyramid
from heritage.media.storage import file_sha256
from tests.media import files

CAP = 120_000_000
# Upright 613 × 1031: several bands of 256 rows, none of the edges a multiple of a tile.
WIDTH, HEIGHT = 613, 1031


def stored_for(orientation: int) -> Image.Image:
    """The picture as a camera stores it with EXIF `orientation`, so that it is upright
    (WIDTH × HEIGHT) once the orientation is applied."""
    upright = files.noisy(WIDTH, HEIGHT)
    undo = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    return upright.transpose(undo[orientation]) if orientation in undo else upright


def jpeg_at(orientation: int) -> bytes:
    exif = files.exif(orientation=orientation, gps=(files.LATITUDE, files.LONGITUDE))
    return files.encode(stored_for(orientation), "JPEG", quality=90, exif=exif)


FILES = {
    **{f"jpeg, orientation {n}": (lambda n=n: jpeg_at(n)) for n in range(1, 9)},
    "jpeg with an icc profile": lambda: files.encode(
        stored_for(1), "JPEG", quality=90, icc_profile=files.swapped_primaries_profile()
    ),
    "png": lambda: files.png_every_filter(stored_for(1)),
    "rgba png": lambda: files.png_every_filter(files.noisy(WIDTH, HEIGHT, "RGBA")),
    "png, orientation 6 after the picture": lambda: files.png_every_filter(
        stored_for(6), after=files.png_chunk(b"eXIf", files.exif(orientation=6).tobytes())
    ),
    "palette png": lambda: files.encode(stored_for(1).convert("P"), "PNG"),
    "16-bit png": lambda: files.encode(stored_for(1).convert("I;16"), "PNG"),
    "uncompressed tiff": lambda: files.tiff_in_strips(stored_for(1), rows_per_strip=7),
    "uncompressed tiff, orientation 6": lambda: files.tiff_in_strips(
        stored_for(6), rows_per_strip=7, orientation=6
    ),
    "lzw tiff": lambda: files.encode(stored_for(1), "TIFF", compression="tiff_lzw"),
    "webp": lambda: files.encode(stored_for(1), "WEBP", lossless=True),
}
# Read from the file a band at a time: never decoded whole.
STREAMED = {"png", "rgba png", "uncompressed tiff"}


def whole_clean_pixels(path, monkeypatch) -> Image.Image:
    """The reference: the derivatives' decode of the whole file (turned upright whole, then
    converted), with no size limit."""
    with monkeypatch.context() as patched:
        patched.setattr(images, "LARGEST_EDGE", 10**6)
        return images.pixels_of(path, max_pixels=CAP)


def refuse_to_load(self):
    raise AssertionError(f"a {self.format} was decoded whole")


@pytest.mark.parametrize("kind", FILES)
def test_full_size_bands_join_into_the_upright_clean_picture(tmp_path, monkeypatch, kind):
    path = tmp_path / "original"
    path.write_bytes(FILES[kind]())
    reference = whole_clean_pixels(path, monkeypatch)
    if kind in STREAMED:
        monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_load)

    with images.full_size(path, max_pixels=CAP) as picture:
        assert picture.size == (WIDTH, HEIGHT)
        cuts = [*range(0, HEIGHT, 256), HEIGHT]
        joined = Image.new(reference.mode, picture.size)
        for top, bottom in itertools.pairwise(cuts):
            band = picture.rows(top, bottom)
            assert band.size == (WIDTH, bottom - top)
            assert band.info == {}
            joined.paste(band, (0, top))

    assert joined.mode == reference.mode
    assert joined.tobytes() == reference.tobytes()


def build(tmp_path, data: bytes) -> pyramid.Pyramid:
    store = MediaStore(tmp_path / "media")
    source = tmp_path / "upload"
    source.write_bytes(data)
    sha256 = file_sha256(source)
    store.original_path(sha256).parent.mkdir(parents=True, exist_ok=True)
    source.replace(store.original_path(sha256))
    return pyramid.build(store, sha256, max_pixels=CAP)


def level(built: pyramid.Pyramid, scale: int, size: tuple[int, int]) -> Image.Image:
    """A level's tiles put together, each checked to be in its place in the grid."""
    width, height = pyramid.level_size(*size, scale)
    joined = Image.new("RGB", (width, height))
    columns, rows = math.ceil(width / pyramid.TILE), math.ceil(height / pyramid.TILE)
    found = {path.name for path in (built.folder / str(scale)).iterdir()}
    assert found == {f"{c}_{r}.jpg" for c in range(columns) for r in range(rows)}
    for column in range(columns):
        for row in range(rows):
            tile = built.tile(scale, column, row)
            expected_w = min(pyramid.TILE, width - column * pyramid.TILE)
            expected_h = min(pyramid.TILE, height - row * pyramid.TILE)
            assert tile.size == (expected_w, expected_h)
            joined.paste(tile, (column * pyramid.TILE, row * pyramid.TILE))
    return joined


@pytest.mark.parametrize("size", [(1025, 769), (3073, 3073), (256, 256), (513, 300)])
def test_every_level_is_the_picture_halved_in_the_grid_clients_compute(tmp_path, size):
    picture = files.picture(*size)  # no grain: JPEG keeps it close
    built = build(tmp_path, files.encode(picture, "PNG"))

    assert json.loads((built.folder / "pyramid.json").read_text()) == {
        "width": size[0],
        "height": size[1],
        "tile": pyramid.TILE,
    }
    scales = pyramid.scale_factors(*size)
    assert sorted(int(path.name) for path in built.folder.iterdir() if path.is_dir()) == scales
    for scale in scales:
        joined = level(built, scale, size)
        # Pillow's box reduction of the whole picture at once (the bands halve alike),
        # through the tiles' JPEG: the tiles' 8×8 blocks line up with the whole picture's.
        expected = picture.reduce(scale) if scale > 1 else picture
        expected = Image.open(io.BytesIO(derivatives.encode(expected, "jpg")))
        assert joined.size == expected.size
        difference = np.abs(np.asarray(joined, np.int16) - np.asarray(expected, np.int16))
        assert difference.mean() < 1, f"level {scale} is not the picture halved"


def test_tiles_carry_nothing_but_pixels(tmp_path):
    exif = files.exif(gps=(files.LATITUDE, files.LONGITUDE), orientation=6)
    data = files.encode(
        stored_for(6), "JPEG", exif=exif, icc_profile=files.swapped_primaries_profile(),
        comment=b"Shusha, 39.7581 N",
    )  # fmt: skip
    built = build(tmp_path, data)

    assert built.size() == (WIDTH, HEIGHT)  # upright
    for path in built.folder.rglob("*.jpg"):
        raw = path.read_bytes()
        with Image.open(io.BytesIO(raw)) as tile:
            assert not tile.getexif()
            assert not ({"icc_profile", "comment", "exif"} & set(tile.info))
        for trace in (b"Exif", b"ICC_PROFILE", b"Shusha"):
            assert trace not in raw


MEASURE = """
import resource, sys
from pathlib import Path
from heritage.media import MediaStore, pyramid
from heritage.media.storage import file_sha256
source, root = Path(sys.argv[1]), Path(sys.argv[2])
store = MediaStore(root)
sha = file_sha256(source)
store.original_path(sha).parent.mkdir(parents=True, exist_ok=True)
source.replace(store.original_path(sha))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pyramid.build(store, sha, max_pixels=10**9)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""
PIXELS = 24_000_000
# What a process's peak may add besides the bands: the encoders' buffers, the tiles in
# flight, allocator slack.
SLACK = 40 << 20


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "budget"),
    [
        # Read from the file a band at a time: a few bands of 256 full-size rows.
        ("uncompressed tiff", 0),
        ("png", 0),
        # Decoded whole once, at four bytes a pixel; nothing else as large is made.
        ("jpeg", 4 * PIXELS),
    ],
)
def test_a_pyramid_is_cut_within_bounded_memory(tmp_path, kind, budget):
    width = math.isqrt(PIXELS * 3 // 2)
    picture = files.picture(width, PIXELS // width)
    path = tmp_path / "original"
    if kind == "jpeg":
        path.write_bytes(files.encode(picture, "JPEG", quality=85))
    elif kind == "png":
        picture.save(path, "PNG", compress_level=1)
    else:
        path.write_bytes(files.tiff_in_strips(picture, rows_per_strip=64))
    del picture

    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(tmp_path / "media")],
        capture_output=True,
        text=True,
        check=True,
    )

    assert int(measured.stdout) <= budget + SLACK
