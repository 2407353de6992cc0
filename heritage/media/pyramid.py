"""The tile pyramid of a photo: its full-size clean pixels cut once into 256-pixel JPEG tiles
at every power-of-two scale, so that IIIF requests never decode the original again.

Level `s` (a scale factor: 1, 2, 4, ...) is the picture at ceil(width / s) × ceil(height / s),
cut into tiles from the top left; the last level fits in one tile. The picture is read a
band of 256 rows at a time (see images.full_size) and each band goes down the levels as it
comes: cut into its row of tiles, then halved (each pixel the mean of a 2×2 box, as libvips
makes its pyramids) into half a band of the next level, which is cut once it holds two. So
at most about two bands of the full-size picture are held besides what its decoder keeps.
It lives among the derivatives (derived data, rebuilt by `heritage derivatives`):

    derivatives/ab/cd/<sha256>/tiles/pyramid.json       its size: written last, once complete
    derivatives/ab/cd/<sha256>/tiles/<s>/<col>_<row>.jpg
"""

from __future__ import annotations

import collections
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from heritage.media.bands import WORKERS, workers
from heritage.media.derivatives import encode
from heritage.media.images import FullSize, full_size
from heritage.media.storage import MediaStore

TILE = 256
_FOLDER = "tiles"
_DONE = "pyramid.json"
# Threads that encode and write the tiles: more than the cores, since creating hundreds of
# small files waits on the filesystem (more so on a shared one, or a busy host), not on them.
_WRITERS = 4 * WORKERS
# Tiles handed to those threads and not yet written: 64 hold at most 16 MB.
_IN_FLIGHT = 64


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
    pyramid.folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=pyramid.folder.parent, prefix=".tiles-"))
    try:
        with full_size(store.original_path(sha256), max_pixels=max_pixels) as picture:
            _write_levels(picture, building)
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


class _Level:
    """One level being cut: the rows it has been given that are not yet tiles."""

    def __init__(self, folder: Path, size: tuple[int, int]) -> None:
        self.folder = folder
        self.size = size
        self.row = 0  # of tiles, the next to cut
        self.received = 0  # rows so far
        self.waiting: Image.Image | None = None

    def add(self, rows: Image.Image) -> Image.Image | None:
        """Take the next rows; the band of TILE rows (or the last, shorter) now complete."""
        self.received += rows.height
        if self.waiting is not None:
            joined = Image.new(rows.mode, (rows.width, self.waiting.height + rows.height))
            joined.paste(self.waiting, (0, 0))
            joined.paste(rows, (0, self.waiting.height))
            rows, self.waiting = joined, None
        if rows.height < TILE and self.received < self.size[1]:
            self.waiting = rows
            return None
        return rows


def _write_levels(picture: FullSize, folder: Path) -> None:
    """Every level's tiles into `folder`, encoded on the worker threads, and the size last."""
    width, height = picture.size
    levels = []
    for scale in scale_factors(width, height):
        (folder / str(scale)).mkdir()
        levels.append(_Level(folder / str(scale), level_size(width, height, scale)))
    pending: collections.deque = collections.deque()
    with workers(_WRITERS) as pool:
        try:
            for top in range(0, height, TILE):
                rows: Image.Image | None = picture.rows(top, min(height, top + TILE))
                for index, level in enumerate(levels):
                    band = level.add(rows) if rows is not None else None
                    if band is None:
                        break
                    for column in range(math.ceil(band.width / TILE)):
                        box = (column * TILE, 0, min(band.width, (column + 1) * TILE), band.height)
                        path = level.folder / f"{column}_{level.row}.jpg"
                        pending.append(pool.submit(_write_tile, band.crop(box), path))
                        # Bound the tiles waiting to be written (each holds its pixels).
                        while len(pending) > _IN_FLIGHT:
                            pending.popleft().result()
                    level.row += 1
                    # Bands are TILE rows, an even number but for a level's last band, so
                    # each halves as the whole level would: reduce() rounds the size up,
                    # the last row or column the mean of what is left, as level_size says.
                    rows = band.reduce(2) if index + 1 < len(levels) else None
            while pending:
                pending.popleft().result()
        finally:
            for job in pending:
                job.cancel()  # after a failure, tiles not yet started are not worth making
    (folder / _DONE).write_text(json.dumps({"width": width, "height": height, "tile": TILE}))


def _write_tile(tile: Image.Image, path: Path) -> None:
    path.write_bytes(encode(tile, "jpg"))
    os.chmod(path, 0o644)
