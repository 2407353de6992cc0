"""JPEG integrity: the damage Pillow's JPEG decoder (libjpeg) passes over in silence.

libjpeg only warns, and Pillow ignores its warnings, when a scan's compressed data runs out
before its last block: the blocks left are made uniform grey. A file cut short and given an
end-of-image marker, a tiny file whose header declares a huge picture, and damage that
throws the decoder out of step all decode "successfully" that way. Two checks find them:

- `check_length`, before any decoding: every 8×8 block of the first component costs at least
  one bit of Huffman-coded data, so a scan shorter than that cannot hold the picture its
  header declares.
- `check_complete`, after the decode: the file is decoded again with filler bytes at the end
  of every stretch of compressed data (before each restart marker and each marker after a
  scan). A whole stretch ends where its last block does, so the decoder never reads the
  filler and the pixels are the same; a stretch that ran out reads it, and they differ.
"""

from __future__ import annotations

import io
import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image


class DamagedJpeg(ValueError):
    """The JPEG's compressed data does not hold the picture its header declares."""


def _cut_short() -> OSError:
    # As Pillow (and bands.py) says it, so that the uploader hears the file is incomplete.
    return OSError("image file is truncated")


# The filler: no 0xFF (which would start a marker), bits no encoder would write in a row.
_FILLER = b"\x5a\xa5" * 16
# A marker inside compressed data: 0xFF followed by anything but a stuffed 0x00 or more 0xFF.
_MARKER = re.compile(rb"\xff[^\x00\xff]")
_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
_RST = range(0xD0, 0xD8)
# Huffman-coded frames (baseline, extended, progressive): at least one bit per block.
_HUFFMAN_FRAMES = (0xC0, 0xC1, 0xC2)
_FRAMES = (*_HUFFMAN_FRAMES, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF)
# Segments the decoder needs besides frames and scans: quantisation and Huffman tables,
# restart interval, arithmetic conditioning, and JFIF (APP0) and Adobe (APP14), which say
# how the colours are coded. Other application segments (EXIF, ICC, MPF) are left out of the
# copy decoded again; MPF would make Pillow look for the next pictures of an MPO.
_DECODER_SEGMENTS = (0xDB, 0xC4, 0xDD, 0xCC, 0xE0, 0xEE)


@dataclass(frozen=True)
class _Layout:
    """Where the first picture's parts are: segments kept for decoding, the ends of its
    stretches of compressed data, and the byte after its end-of-image marker."""

    kept: list[tuple[int, int]]  # (start, end) of each segment and stretch, in order
    stretch_ends: set[int]  # ends (in `kept`) after which the filler goes
    scan_bytes: int  # compressed data in all scans
    blocks: int  # 8×8 blocks of the first component
    huffman: bool


def check_length(path: Path) -> None:
    """DamagedJpeg if the compressed data is too short for the picture it declares, or the
    file has no picture at all; before any decoding, so the check costs no pixels."""
    with _mapped(path) as data:
        layout = _layout(data)
    if layout.huffman and layout.scan_bytes * 8 < layout.blocks:
        raise DamagedJpeg("the compressed data is shorter than the picture it declares")


def check_complete(path: Path, decoded: Image.Image, scale: tuple[int, int]) -> None:
    """DamagedJpeg unless `decoded` (the file decoded with `draft(None, scale)`) is what the
    file gives with filler after every stretch of compressed data."""
    with _mapped(path) as data:
        layout = _layout(data)
        copy = io.BytesIO()
        for start, end in layout.kept:
            copy.write(data[start:end])
            if end in layout.stretch_ends:
                copy.write(_FILLER)
    copy.write(struct.pack(">BB", 0xFF, _EOI))
    with Image.open(copy, formats=["JPEG"]) as again:
        again.draft(None, scale)
        again.load()
        same = again.size == decoded.size and again.tobytes() == decoded.tobytes()
    if not same:
        raise DamagedJpeg("the compressed data runs out before the picture does")


class _mapped:
    """The file's bytes, mapped rather than read (a JPEG may be tens of megabytes)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> mmap.mmap:
        with open(self.path, "rb") as file:
            self.map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        return self.map

    def __exit__(self, *_exc: object) -> None:
        self.map.close()


def _layout(data: mmap.mmap) -> _Layout:
    if data[:2] != b"\xff\xd8":
        raise DamagedJpeg("no start-of-image marker")
    kept: list[tuple[int, int]] = [(0, 2)]
    stretch_ends: set[int] = set()
    scan_bytes = blocks = 0
    huffman = False
    position = 2
    while True:
        if position + 2 > len(data):
            raise _cut_short()
        if data[position] != 0xFF:
            raise DamagedJpeg("a segment does not start with a marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == _EOI:
            return _Layout(kept, stretch_ends, scan_bytes, blocks, huffman)
        if marker in _RST or marker == _SOI:
            raise DamagedJpeg("a marker out of place")
        if position + 4 > len(data):
            raise _cut_short()
        (length,) = struct.unpack_from(">H", data, position + 2)
        end = position + 2 + length
        if length < 2:
            raise DamagedJpeg("a segment of no length")
        if end > len(data):
            raise _cut_short()
        if marker in _FRAMES:
            if blocks:
                raise DamagedJpeg("a second frame header")
            blocks = _first_component_blocks(data[position + 4 : end])
            huffman = marker in _HUFFMAN_FRAMES
        if marker in _FRAMES or marker == _SOS or marker in _DECODER_SEGMENTS:
            kept.append((position, end))
        if marker != _SOS:
            position = end
            continue
        # The scan's compressed data, in stretches between restart markers.
        start = end
        while True:
            found = _MARKER.search(data, start)
            if found is None:
                raise _cut_short()
            stop = found.start()
            while stop > start and data[stop - 1] == 0xFF:  # fill bytes belong to the marker
                stop -= 1
            kept.append((start, stop))
            stretch_ends.add(stop)
            scan_bytes += stop - start
            if data[found.start() + 1] not in _RST:
                position = found.start()
                break
            kept.append((found.start(), found.end()))
            start = found.end()


def _first_component_blocks(frame: bytes) -> int:
    """8×8 blocks of the frame's first component (the luminance of a colour photo)."""
    if len(frame) < 9:
        raise DamagedJpeg("a frame header too short")
    _precision, height, width, count = struct.unpack_from(">BHHB", frame)
    if count < 1 or len(frame) < 6 + 3 * count or not (width and height):
        raise DamagedJpeg("a frame header that makes no sense")
    sampling = [frame[6 + 3 * index + 1] for index in range(count)]
    most_h = max(value >> 4 for value in sampling) or 1
    most_v = max(value & 15 for value in sampling) or 1
    first_h, first_v = sampling[0] >> 4, sampling[0] & 15
    columns = -(-width * first_h // most_h)
    rows = -(-height * first_v // most_v)
    return -(-columns // 8) * -(-rows // 8)
