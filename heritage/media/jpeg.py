"""JPEG integrity: the damage Pillow's JPEG decoder (libjpeg) passes over in silence.

libjpeg only warns, and Pillow ignores its warnings, when a scan's compressed data runs out
before its last block: the blocks left are made uniform grey. A file cut short and given an
end-of-image marker, a tiny file whose header declares a huge picture, and damage that
throws the decoder out of step all decode "successfully" that way. Three checks find them:

- `check_scan_data`, before any decoding: every 8×8 block of the first component costs at
  least one bit of Huffman-coded data, so a scan shorter than that cannot hold the picture
  its header declares. And a long run of zero bytes (damage that zeroes part of a file) is
  refused in a scan whose Huffman tables cannot read zeros as flat blocks: zero bits decode
  as the symbol each table codes with all zeros, and only where that is "no change of the
  DC value" and "end of block" do zeros stand for picture content (a flat area, which an
  encoder with optimised tables may well code so). Elsewhere they are the same non-flat
  block over and over (every AC coefficient -1 with the standard tables), which no encoder
  writes for hundreds of blocks; the decoder, reading them, falls back into step after the
  run and says nothing.
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
_PROGRESSIVE, _DHT = 0xC2, 0xC4
# The longest run of zero bytes allowed where zeros cannot be picture content: 2048 zero
# bits, a few blocks' worth even at the densest (the damage seen was 4 KB).
ZERO_RUN = 256
# A run of ZERO_RUN zero bytes not starting with the stuffed 0x00 after a 0xFF.
_ZEROS = re.compile(rb"(?<!\xff)\x00{%d}" % ZERO_RUN)
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
    # (start, end) of the compressed data of scans whose tables cannot read zeros as flat
    not_flat: list[tuple[int, int]]


def check_scan_data(path: Path) -> None:
    """DamagedJpeg if the compressed data is too short for the picture it declares, has a
    run of zeros it cannot hold, or the file has no picture at all; before any decoding, so
    the check costs no pixels."""
    with _mapped(path) as data:
        layout = _layout(data)
        zeroed = any(_ZEROS.search(data, start, end) for start, end in layout.not_flat)
    if layout.huffman and layout.scan_bytes * 8 < layout.blocks:
        raise DamagedJpeg("the compressed data is shorter than the picture it declares")
    if zeroed:
        raise DamagedJpeg("a run of zeros in compressed data that cannot hold them")


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
    huffman = progressive = False
    # {(class, id): the symbol its all-zeros code stands for} of the tables defined so far
    zero_symbols: dict[tuple[int, int], int] = {}
    not_flat: list[tuple[int, int]] = []
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
            return _Layout(kept, stretch_ends, scan_bytes, blocks, huffman, not_flat)
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
            progressive = marker == _PROGRESSIVE
        if marker == _DHT:
            zero_symbols.update(_zero_symbols(data[position + 4 : end]))
        if marker in _FRAMES or marker == _SOS or marker in _DECODER_SEGMENTS:
            kept.append((position, end))
        if marker != _SOS:
            position = end
            continue
        # The scan's compressed data, in stretches between restart markers.
        start = scan_start = end
        flat = not huffman or _zeros_flat(data[position + 4 : end], zero_symbols, progressive)
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
                if not flat:
                    not_flat.append((scan_start, position))
                break
            kept.append((found.start(), found.end()))
            start = found.end()


def _zero_symbols(segment: bytes) -> dict[tuple[int, int], int]:
    """{(class, id): symbol of its all-zeros code} of the tables a DHT segment defines.

    Codes are assigned in order of length, so the first symbol listed has the all-zeros
    code of the shortest length.
    """
    tables = {}
    offset = 0
    while offset + 17 <= len(segment):
        kind = segment[offset]
        count = sum(segment[offset + 1 : offset + 17])
        symbols = segment[offset + 17 : offset + 17 + count]
        if symbols:
            tables[(kind >> 4, kind & 15)] = symbols[0]
        offset += 17 + count
    return tables


def _zeros_flat(header: bytes, zero_symbols: dict[tuple[int, int], int], progressive: bool) -> bool:
    """Whether zero bits in this scan's data decode as flat blocks: an unchanged DC value
    and an end of block (or a run of them, in progressive AC scans). A progressive scan
    refining earlier ones (its bits correct coefficients) is taken as able to."""
    if len(header) < 1 or len(header) < 1 + 2 * header[0] + 3:
        raise DamagedJpeg("a scan header that makes no sense")
    count = header[0]
    selectors = header[2 : 2 + 2 * count : 2]  # each component's table ids (DC << 4 | AC)
    start, _end, approximation = header[1 + 2 * count : 4 + 2 * count]
    if progressive and approximation >> 4:
        return True
    dc = not progressive or start == 0
    ac = not progressive or start > 0
    for selector in selectors:
        if dc and zero_symbols.get((0, selector >> 4), 0) != 0:
            return False
        if ac:
            symbol = zero_symbols.get((1, selector & 15), 0)
            if symbol & 15 or (progressive and symbol >> 4 == 15) or (not progressive and symbol):
                return False
    return True


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
