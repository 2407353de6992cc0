"""Reducing pictures a band of rows at a time, so that a big one never costs its full size.

`shrink` reduces a decoded picture in parallel bands. `TiffRows` and `PngRows` read the rows
of an uncompressed TIFF or a PNG straight from the file a band at a time, so a 50-megapixel
scan or a 12-megapixel PNG is reduced in a few tens of megabytes instead of the 200 or 48 MB
that Pillow needs to decode it whole (four bytes a pixel). Both decode every byte of picture
data, as the whole decode would: a file cut short raises OSError 'image file is truncated'.
"""

from __future__ import annotations

import collections
import contextlib
import io
import itertools
import math
import os
import struct
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image

# Threads that resample bands and encode derivatives: Pillow releases the GIL in both, so one
# picture's work spreads over the cores (at most four).
WORKERS = max(1, min(4, os.cpu_count() or 1))
# Reductions of decoded pictures this large run in parallel bands.
_PARALLEL_FROM = 4_000_000
# How much of the source picture one band covers at most (Pillow keeps four bytes a pixel):
# a reduction's working memory is a few of these.
_BAND_BYTES = 4 << 20
# Pillow first box-reduces by an integer factor while the rest of the reduction stays above
# this, then resamples (as libvips does); with bicubic, these are Pillow's thumbnail()
# defaults: on reductions, indistinguishable from Lanczos here, and a third cheaper.
_REDUCING_GAP = 2.0
_RESAMPLE = Image.Resampling.BICUBIC

# TIFF tags describing how the pixels are laid out in the file.
_BITS_PER_SAMPLE, _SAMPLES_PER_PIXEL, _PLANAR_CONFIGURATION = 258, 277, 284
_STRIP_OFFSETS, _STRIP_BYTE_COUNTS = 273, 279
# Modes whose rows are read band by band: nothing to convert before they are reduced.
_BANDED_MODES = ("RGB", "RGBA", "L", "LA", "CMYK")
# The most of a PNG's trailing eXIf chunk that is read; a bigger one is no photo's EXIF.
_PNG_EXIF_LIMIT = 1 << 20

# rows(first, last): a picture holding source rows first..last, and the row it starts at.
Rows = Callable[[int, int], tuple[Image.Image, int]]


def workers(threads: int = WORKERS) -> ThreadPoolExecutor:
    """Threads for one piece of work, used as a context manager: they end when it is left,
    so nothing lingers in the process or is shared between requests."""
    return ThreadPoolExecutor(threads, thread_name_prefix="heritage-media")


def fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """`size` scaled down so its long side is at most `edge`; never scaled up."""
    width, height = size
    longest = max(width, height)
    if longest <= edge:
        return size
    return max(1, round(width * edge / longest)), max(1, round(height * edge / longest))


def shrink(image: Image.Image, edge: int) -> Image.Image:
    """`image` reduced so its long side is at most `edge`, or itself if it fits."""
    size = fit(image.size, edge)
    if size == image.size:
        return image
    if image.width * image.height < _PARALLEL_FROM:
        return image.resize(size, _RESAMPLE, reducing_gap=_REDUCING_GAP)
    # Pillow resamples LA and RGBA premultiplied, converting all of the source it is given
    # first: their bands get only their own rows.
    premultiplied = image.mode in ("LA", "RGBA")

    def rows(first: int, last: int) -> tuple[Image.Image, int]:
        if premultiplied:
            return image.crop((0, first, image.width, last)), first
        return image, 0

    return reduce_rows(image.mode, image.size, size, rows)


def reduce_rows(mode: str, source_size: tuple[int, int], size, rows: Rows) -> Image.Image:
    """A picture of `source_size` resized to `size`, band by band on the worker threads.

    `rows` is called in this thread, for ranges that only move down the picture, so it may
    decode them as it goes. Each band resamples from the source rows its filter reaches, so
    the bands join without seams and the result matches a single resize to within rounding.
    Only a few bands are in flight at once, which bounds the memory.
    """
    source_width, source_height = source_size
    width, height = size
    scale = source_height / height
    # Rows of context on each side: bicubic reaches two output rows (2 * scale source
    # rows) and the integer box reduction before it may shift that by up to its factor.
    margin = math.ceil(3 * scale) + 2
    band = max(1, int(_BAND_BYTES / (source_width * 4 * scale)))
    cuts = [*range(0, height, band), height]
    result = Image.new(mode, size)
    pending: collections.deque = collections.deque()
    with workers() as pool:
        try:
            for top, bottom in itertools.pairwise(cuts):
                first = max(0, math.floor(top * scale) - margin)
                last = min(source_height, math.ceil(bottom * scale) + margin)
                source, offset = rows(first, last)
                box = (0, top * scale - offset, source_width, bottom * scale - offset)
                job = pool.submit(
                    source.resize, (width, bottom - top), _RESAMPLE, box, _REDUCING_GAP
                )
                pending.append((top, job))
                if len(pending) > WORKERS:
                    top, job = pending.popleft()
                    result.paste(job.result(), (0, top))
            for top, job in pending:
                result.paste(job.result(), (0, top))
        finally:
            for _top, job in pending:
                job.cancel()  # after a failure, bands not yet started are not worth making
    return result


def reduce_streamed(
    mode: str, size: tuple[int, int], edge: int, rows: Callable[[int, int], Image.Image]
) -> Image.Image:
    """A picture of `size` whose `rows(first, last)` are read from its file in order,
    reduced to at most `edge` on the long side (read whole if it already fits)."""
    target = fit(size, edge)
    if target == size:
        return rows(0, size[1])

    def band(first: int, last: int) -> tuple[Image.Image, int]:
        return rows(first, last), first

    return reduce_rows(mode, size, target, band)


@dataclass
class TiffRows:
    """The rows of an uncompressed TIFF whose strips lie one after another in the file,
    as scanners and archives keep masters."""

    path: str
    mode: str
    rawmode: str  # how Pillow unpacks a row
    size: tuple[int, int]
    offset: int  # where the first row starts
    row_bytes: int

    @classmethod
    def of(cls, image: Image.Image) -> TiffRows | None:
        """How to read `image`'s rows, or None unless it is such a TIFF, read from a file.

        Compressed, tiled, planar, padded or scattered strips are left to Pillow, which
        decodes them whole.
        """
        if image.format != "TIFF" or image.mode not in _BANDED_MODES:
            return None
        tags = image.tag_v2
        tiles = image.tile
        counts = tags.get(_STRIP_BYTE_COUNTS)
        if (
            not isinstance(image.filename, str)
            or not tiles
            or _STRIP_OFFSETS not in tags
            or tags.get(_PLANAR_CONFIGURATION, 1) != 1
            or not isinstance(counts, tuple)
            or len(counts) != len(tiles)
        ):
            return None
        # Tiles are (codec, extents, offset, args): plain tuples before Pillow 11, named
        # ones since, so they are unpacked by position.
        _codec, (_x0, _y0, width, _y1), start, first_args = tiles[0]
        rawmode = first_args[0] if first_args else None
        bits = tags.get(_BITS_PER_SAMPLE, (1,))
        if len(bits) == 1:
            bits *= tags.get(_SAMPLES_PER_PIXEL, 1)
        row_bytes = (width * sum(bits) + 7) // 8
        height = 0
        for (codec, (x0, y0, x1, y1), offset, args), count in zip(tiles, counts, strict=True):
            if (
                codec != "raw"
                or args != (rawmode, 0, 1)
                or (x0, x1, y0) != (0, width, height)
                or count != (y1 - y0) * row_bytes
                or offset != start + height * row_bytes
            ):
                return None
            height = y1
        if not isinstance(rawmode, str) or (width, height) not in (image.size, image.size[::-1]):
            return None
        return cls(image.filename, image.mode, rawmode, (width, height), start, row_bytes)

    def reduced(self, edge: int) -> Image.Image:
        return reduce_streamed(self.mode, self.size, edge, self.rows)

    def rows(self, first: int, last: int) -> Image.Image:
        """Rows first..last, read from the file."""
        length = (last - first) * self.row_bytes
        with open(self.path, "rb") as file:
            file.seek(self.offset + first * self.row_bytes)
            data = file.read(length)
        if len(data) < length:
            raise OSError("image file is truncated")
        size = (self.size[0], last - first)
        return Image.frombytes(self.mode, size, data, "raw", self.rawmode, self.row_bytes, 1)


class PngRows:
    """The rows of a non-interlaced 8-bit PNG, inflated in order, a band at a time.

    Each band is unfiltered by Pillow's own PNG row decoder: it is handed over as a stored
    (uncompressed) zlib stream that starts with the row before the band, already decoded,
    since every PNG filter may refer to the row above. The compressed stream is read to its
    end, where zlib checks its checksum, and then the chunks after it, for an eXIf chunk
    that Pillow would only have found by decoding the picture whole.
    """

    def __init__(
        self, path: str, mode: str, size: tuple[int, int], offset: int, exif: bytes | None
    ) -> None:
        self.path = path
        self.mode = mode
        self.size = size
        self.offset = offset  # of the first IDAT chunk's data
        self.stride = 1 + size[0] * len(mode)  # a filter-type byte, then the row
        self.exif = exif  # from an eXIf chunk before the picture, or after it
        # While reading (see reduced):
        self._pieces: Iterator[bytes] = iter(())  # the compressed data
        self._inflater = zlib.decompressobj()
        self._window: tuple[int, Image.Image] | None = None  # the last rows handed out

    @classmethod
    def of(cls, image: Image.Image) -> PngRows | None:
        """How to read `image`'s rows, or None unless it is such a PNG, read from a file."""
        if (
            image.format != "PNG"
            or image.mode not in ("L", "LA", "RGB", "RGBA")
            or image.info.get("interlace")
            or not isinstance(image.filename, str)
            or len(image.tile) != 1
        ):
            return None
        # By position: Pillow's tiles are named tuples only since Pillow 11.
        ((codec, (x0, y0, x1, y1), offset, rawmode),) = image.tile
        # The raw mode equals the mode only at 8 bits a sample.
        if codec != "zip" or rawmode != image.mode or (x0, y0) != (0, 0):
            return None
        if (x1, y1) != image.size:
            return None  # an animation's default picture that is not its first frame
        return cls(image.filename, image.mode, image.size, offset, image.info.get("exif"))

    def reduced(self, edge: int) -> Image.Image:
        with self.reading() as rows:
            return reduce_streamed(self.mode, self.size, edge, rows)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Callable[[int, int], Image.Image]]:
        """`rows` while the file is open for them; once they are done with, the rest of the
        file is read and checked (see _finish)."""
        with open(self.path, "rb") as file:
            self._pieces = self._compressed(file)
            self._inflater = zlib.decompressobj()
            self._window = None
            yield self.rows
            self._finish()

    def find_exif(self) -> None:
        """Read an eXIf chunk after the picture into `exif`, skipping over the picture's
        data without inflating it: it says which way up the rows are before any is used."""
        with open(self.path, "rb") as file:
            for _ in self._compressed(file, skip_picture=True):
                pass

    def rows(self, first: int, last: int) -> Image.Image:
        """Rows first..last; each call's rows start and end no earlier than the last call's."""
        width = self.size[0]
        window_first, window = self._window or (0, None)
        done = window_first + (window.height if window else 0)  # rows decoded so far
        pieces = [] if window is None else [(window_first, window)]
        if last > done:
            # The row above the new ones, decoded, with filter type 0 (none): it is the
            # 'prior row' every filter of the first new row refers to.
            if window is None:
                above = b""
            else:
                row = window.crop((0, window.height - 1, width, window.height))
                above = b"\x00" + row.tobytes("raw", self.mode)
            data = above + self._inflate((last - done) * self.stride)
            count = last - done + (window is not None)
            piece = Image.frombytes(
                self.mode, (width, count), zlib.compress(data, 0), "zip", self.mode
            )
            pieces.append((last - count, piece))
        if len(pieces) == 1 and pieces[0][0] == first and pieces[0][1].height == last - first:
            result = pieces[0][1]
        else:
            result = Image.new(self.mode, (width, last - first))
            for top, piece in pieces:
                result.paste(piece, (0, top - first))
        self._window = (first, result)
        return result

    def _inflate(self, size: int) -> bytes:
        """The next `size` bytes of filtered rows."""
        parts = []
        while size > 0:
            if self._inflater.eof:  # the picture data ends before its last row
                raise OSError("image file is truncated")
            data = self._inflater.unconsumed_tail or next(self._pieces, b"")
            part = self._inflater.decompress(data, size)
            if not data and not part:
                raise OSError("image file is truncated")
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    def _finish(self) -> None:
        """Inflate what is left (zlib checks the stream's checksum at its end), then read
        the chunks after the picture.

        Data beyond the last row is ignored, as Pillow ignores it, and not inflated: a
        hostile file could hide gigabytes there.
        """
        extra = 0
        while not self._inflater.eof:
            data = self._inflater.unconsumed_tail or next(self._pieces, b"")
            extra += len(part := self._inflater.decompress(data, self.stride))
            if not part and not data:
                raise OSError("image file is truncated")
            if extra >= self.stride:
                return
        for _ in self._pieces:
            pass

    def _compressed(
        self, file: io.BufferedReader, *, skip_picture: bool = False
    ) -> Iterator[bytes]:
        """The picture's compressed data, from its IDAT chunks, in pieces of at most 1 MB
        (none with `skip_picture`); then the chunks after it are read, up to IEND."""
        file.seek(self.offset - 8)
        in_picture = True
        while True:
            header = file.read(8)
            if len(header) < 8:
                return  # no IEND, as Pillow allows; zlib tells whether the picture is whole
            length, kind = struct.unpack(">I4s", header)
            if kind == b"IDAT" and in_picture and skip_picture:
                file.seek(length, io.SEEK_CUR)
            elif kind == b"IDAT" and in_picture:
                while length > 0:
                    piece = file.read(min(length, 1 << 20))
                    if not piece:
                        raise OSError("image file is truncated")
                    length -= len(piece)
                    yield piece
            else:
                in_picture = False
                if kind == b"IEND":
                    return
                if kind == b"eXIf" and length <= _PNG_EXIF_LIMIT:
                    self.exif = file.read(length)
                else:
                    file.seek(length, io.SEEK_CUR)
            file.seek(4, io.SEEK_CUR)  # the chunk's CRC
