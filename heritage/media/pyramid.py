"""The tile pyramid of a photo: its full-size clean pixels cut once into 256-pixel JPEG tiles
at every power-of-two scale, so that IIIF requests never decode the original again.

Level `s` (a scale factor: 1, 2, 4, ...) is the picture at ceil(width / s) × ceil(height / s),
cut into tiles from the top left; the last level fits in one tile. Each level is made from
the one before, so the cost is one full decode plus resizes that halve each time. It lives
among the derivatives (derived data, rebuilt by `heritage derivatives`):

    derivatives/ab/cd/<sha256>/tiles/pyramid.json       its size: written last, once complete
    derivatives/ab/cd/<sha256>/tiles/<s>/<col>_<row>.jpg
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from heritage.media.bands import workers
from heritage.media.derivatives import encode
from heritage.media.images import pixels_of
from heritage.media.storage import MediaStore

TILE = 256
_FOLDER = "tiles"
_DONE = "pyramid.json"
_RESAMPLE = Image.Resampling.BICUBIC


def scale_factors(width: int, height: int) -> list[int]:
    """1, 2, 4, ... up to the first scale at which the whole picture fits in one tile."""
    factors = [1]
    while math.ceil(width / factors[-1]) > TILE or math.ceil(height / factors[-1]) > TILE:
        factors.append(factors[-1] * 2)
    return factors


def level_size(width: int, height: int, scale: int) -> tuple[int, int]:
    """The size of the picture at a scale factor, as IIIF clients compute it."""
    return math.ceil(width / scale), math.ceil(height / scale)


@dataclass(frozen=True)
class Pyramid:
    """The tiles of one original, on disk (complete, or not there at all)."""

    folder: Path

    @classmethod
    def of(cls, store: MediaStore, sha256: str) -> Pyramid:
        return cls(store.derivative_path(sha256, _FOLDER))

    @property
    def complete(self) -> bool:
        return (self.folder / _DONE).is_file()

    def size(self) -> tuple[int, int]:
        """The full-size picture's width and height."""
        facts = json.loads((self.folder / _DONE).read_text())
        return facts["width"], facts["height"]

    def tile_path(self, scale: int, column: int, row: int) -> Path:
        return self.folder / str(scale) / f"{column}_{row}.jpg"

    def tile(self, scale: int, column: int, row: int) -> Image.Image:
        """One tile, decoded."""
        with Image.open(self.tile_path(scale, column, row), formats=["JPEG"]) as image:
            image.load()
            return image.copy() if image.mode == "RGB" else image.convert("RGB")


def build(store: MediaStore, sha256: str, *, max_pixels: int) -> Pyramid:
    """(Re)make the pyramid of an original: built beside the old one, then swapped in, so
    readers see a complete pyramid or none. ImageRefused / FileNotFoundError as pixels_of."""
    pyramid = Pyramid.of(store, sha256)
    pixels = pixels_of(store.original_path(sha256), max_pixels=max_pixels, edge=None)
    pyramid.folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=pyramid.folder.parent, prefix=".tiles-"))
    try:
        _write_levels(pixels, building)
        os.chmod(building, 0o755)  # noqa: S103 (public tiles, like every derivative)
        retired = None
        if pyramid.folder.exists():
            retired = Path(tempfile.mkdtemp(dir=pyramid.folder.parent, prefix=".old-tiles-"))
            os.replace(pyramid.folder, retired / _FOLDER)
        try:
            os.replace(building, pyramid.folder)
        except OSError:  # another process swapped its own complete pyramid in meanwhile
            shutil.rmtree(building, ignore_errors=True)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return pyramid


def _write_levels(pixels: Image.Image, folder: Path) -> None:
    """Every level's tiles into `folder`, encoded on the worker threads, and the size last."""
    width, height = pixels.size
    level = pixels
    jobs = []
    with workers() as pool:
        for scale in scale_factors(width, height):
            size = level_size(width, height, scale)
            if level.size != size:
                level = level.resize(size, _RESAMPLE, reducing_gap=2.0)
            (folder / str(scale)).mkdir()
            for row in range(math.ceil(size[1] / TILE)):
                for column in range(math.ceil(size[0] / TILE)):
                    box = (column * TILE, row * TILE, min(size[0], (column + 1) * TILE))
                    box += (min(size[1], (row + 1) * TILE),)
                    path = folder / str(scale) / f"{column}_{row}.jpg"
                    jobs.append(pool.submit(_write_tile, level.crop(box), path))
            # Bound the tiles waiting to be encoded (each holds its pixels).
            for job in jobs:
                job.result()
            jobs.clear()
    (folder / _DONE).write_text(json.dumps({"width": width, "height": height, "tile": TILE}))


def _write_tile(tile: Image.Image, path: Path) -> None:
    path.write_bytes(encode(tile, "jpg"))
    os.chmod(path, 0o644)
