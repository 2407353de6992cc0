"""Real and hostile files, made in the tests: images with EXIF and GPS, bombs, fakes."""

from __future__ import annotations

import io
import itertools
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageDraw

# EXIF tags used below (TIFF/EXIF numbers).
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011

# Near the Upper Govhar Agha Mosque, Shusha.
LATITUDE, LONGITUDE = 39.7581, 46.7512


def picture(width: int = 1600, height: int = 1200, mode: str = "RGB", seed: int = 0) -> Image.Image:
    """A picture with structure (so encoders and resizers do real work), distinct per seed."""
    image = Image.new("RGB", (width, height), (90 + seed % 100, 140, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle([width // 4, height // 3, 3 * width // 4, height - 10], fill=(190, 160, 120))
    draw.ellipse([width // 3, height // 8, 2 * width // 3, height // 2], fill=(120, 90, 60))
    draw.line([(0, height - 1), (width - 1, 0)], fill=(seed % 256, 0, 0), width=5)
    return image.convert(mode)


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return float(degrees), float(minutes), seconds


def exif(
    *,
    gps: tuple[float, float] | None = None,
    taken: str | None = None,
    offset: str | None = None,
    orientation: int | None = None,
    camera: tuple[str, str] | None = None,
) -> Image.Exif:
    """EXIF as cameras write it."""
    data = Image.Exif()
    if camera:
        data[MAKE], data[MODEL] = camera
    if orientation:
        data[ORIENTATION] = orientation
    # Sub-IFDs are assigned as dicts: before Pillow 11, what get_ifd() returns is not written.
    if taken:
        details = {DATETIME_ORIGINAL: taken}
        if offset:
            details[OFFSET_TIME_ORIGINAL] = offset
        data[EXIF_IFD] = details
    if gps:
        latitude, longitude = gps
        data[GPS_IFD] = {
            1: "N" if latitude >= 0 else "S",
            2: dms(abs(latitude)),
            3: "E" if longitude >= 0 else "W",
            4: dms(abs(longitude)),
        }
    return data


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(seed: int = 0, width: int = 1600, height: int = 1200, **options) -> bytes:
    """A JPEG; keyword arguments go to Pillow (exif=, comment=, icc_profile=, ...)."""
    options.setdefault("quality", 85)
    return encode(picture(width, height, seed=seed), "JPEG", **options)


def noise_jpeg(width: int, height: int) -> bytes:
    """A JPEG that compresses badly: large for its pixels."""
    return encode(Image.effect_noise((width, height), 64).convert("RGB"), "JPEG", quality=95)


def jpeg_with_gps(seed: int = 0) -> bytes:
    """A phone photo of Shusha: camera, capture time with its offset, and GPS."""
    data = exif(
        gps=(LATITUDE, LONGITUDE),
        taken="2023:05:14 10:30:00",
        offset="+04:00",
        camera=("Apple", "iPhone 13 Pro"),
    )
    return jpeg(seed, exif=data)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_declaring(width: int, height: int, payload: int = 24_000) -> bytes:
    """A PNG whose header declares width×height pixels, in about `payload` bytes of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # Zeros compress about a thousandfold: enough rows to fill `payload` bytes.
    data = zlib.compress(b"\x00" * (payload * 1000), 9)[:payload]
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def noisy(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A photo-like picture: structure plus grain, so no two neighbouring pixels agree."""
    grain = Image.effect_noise((width, height), 40).convert("RGB")
    picture_ = Image.blend(picture(width, height), grain, 0.3)
    if mode in ("RGBA", "LA"):
        picture_ = picture_.convert(mode)
        picture_.putalpha(Image.linear_gradient("L").resize((width, height)))
    return picture_.convert(mode)


def png_every_filter(
    image: Image.Image, *, idat_chunks: int = 3, after: bytes = b"", surplus: int = 0
) -> bytes:
    """An 8-bit PNG of `image` (L, LA, RGB or RGBA) whose rows take the five PNG filters in
    turn (encoders choose one per row), its data split over several IDAT chunks; `after`
    is put between the picture data and IEND, and `surplus` zero bytes after the last row
    inside the compressed data."""
    channels = len(image.mode)
    raw = np.asarray(image, dtype=np.uint8).reshape(image.height, -1).astype(np.int16)
    zeros = np.zeros(channels, np.int16)
    prior = np.zeros(raw.shape[1], np.int16)
    rows = []
    for y, row in enumerate(raw):
        left = np.concatenate([zeros, row[:-channels]])
        upper_left = np.concatenate([zeros, prior[:-channels]])
        kind = y % 5
        if kind == 0:
            predicted = np.zeros_like(row)
        elif kind == 1:
            predicted = left
        elif kind == 2:
            predicted = prior
        elif kind == 3:
            predicted = (left + prior) // 2
        else:  # Paeth: whichever of left, above, upper left is nearest left + above - upper left
            to_left, to_above = abs(prior - upper_left), abs(left - upper_left)
            to_upper_left = abs(left + prior - 2 * upper_left)
            predicted = np.where(
                (to_left <= to_above) & (to_left <= to_upper_left),
                left,
                np.where(to_above <= to_upper_left, prior, upper_left),
            )
        rows.append(bytes([kind]) + ((row - predicted) % 256).astype(np.uint8).tobytes())
        prior = row
    colour = {"L": 0, "RGB": 2, "LA": 4, "RGBA": 6}[image.mode]
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, colour, 0, 0, 0)
    compressor = zlib.compressobj(6)
    data = compressor.compress(b"".join(rows))
    for start in range(0, surplus, 1 << 20):
        data += compressor.compress(bytes(min(1 << 20, surplus - start)))
    data += compressor.flush()
    cuts = [len(data) * part // idat_chunks for part in range(idat_chunks + 1)]
    idat = b"".join(png_chunk(b"IDAT", data[start:end]) for start, end in itertools.pairwise(cuts))
    return PNG_SIGNATURE + png_chunk(b"IHDR", header) + idat + after + png_chunk(b"IEND", b"")


def tiff_in_strips(image: Image.Image, rows_per_strip: int, orientation: int = 1) -> bytes:
    """An uncompressed little-endian TIFF of `image` (L, LA, RGB, RGBA or CMYK): header, tags,
    then the strips in order. Written here because Pillow's own writer makes a single strip
    before Pillow 11, and libtiff puts the tags after the pixels."""
    photometric = {"L": 1, "LA": 1, "RGB": 2, "RGBA": 2, "CMYK": 5}[image.mode]
    samples = len(image.mode)
    row = image.width * samples
    strips = [
        image.crop((0, top, image.width, min(image.height, top + rows_per_strip))).tobytes()
        for top in range(0, image.height, rows_per_strip)
    ]
    short, long = 3, 4
    entries = [
        (256, long, [image.width]),
        (257, long, [image.height]),
        (258, short, [8] * samples),
        (259, short, [1]),
        (262, short, [photometric]),
        (273, long, []),  # strip offsets, filled in below
        (274, short, [orientation]),
        (277, short, [samples]),
        (278, long, [rows_per_strip]),
        (279, long, [len(strip) for strip in strips]),
        (284, short, [1]),
    ]
    if image.mode in ("LA", "RGBA"):
        entries.append((338, short, [2]))  # unassociated alpha
    entries.sort()
    table_end = 8 + 2 + 12 * len(entries) + 4
    # Values longer than four bytes go after the table; then the strips.
    extra_size = sum(
        len(values or strips) * (2 if kind == short else 4)
        for _tag, kind, values in entries
        if len(values or strips) * (2 if kind == short else 4) > 4
    )
    first_strip = table_end + extra_size
    offsets = [first_strip + sum(len(strip) for strip in strips[:i]) for i in range(len(strips))]
    table, extra = b"", b""
    for tag, kind, values in entries:
        values = values or offsets
        packed = struct.pack(f"<{len(values)}{'H' if kind == short else 'I'}", *values)
        if len(packed) > 4:
            table += struct.pack("<HHII", tag, kind, len(values), table_end + len(extra))
            extra += packed
        else:
            table += struct.pack("<HHI", tag, kind, len(values)) + packed.ljust(4, b"\0")
    assert row * image.height == sum(len(strip) for strip in strips)
    header = b"II*\0" + struct.pack("<IH", 8, len(entries))
    return header + table + b"\0\0\0\0" + extra + b"".join(strips)


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB profile whose red and green primaries are sRGB's green and red.

    A pure red pixel tagged with it is, in truth, green: a derivative converted to sRGB
    shows green, one that ignored the profile would show red.
    """
    srgb_red, srgb_green, srgb_blue = (
        (0.4361, 0.2225, 0.0139),
        (0.3851, 0.7169, 0.0971),
        (
            0.1431,
            0.0606,
            0.7141,
        ),
    )

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values: tuple[float, float, float]) -> bytes:
        return b"XYZ " + b"\0" * 4 + b"".join(s15(v) for v in values)

    description = b"swapped primaries\0"
    desc = (
        b"desc"
        + b"\0" * 4
        + struct.pack(">I", len(description))
        + description
        + b"\0" * 4
        + b"\0" * 4
        + b"\0" * 2
        + b"\0"
        + b"\0" * 67
    )
    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 0)  # identity
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(srgb_green)),
        (b"gXYZ", xyz(srgb_red)),
        (b"bXYZ", xyz(srgb_blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        while (offset + len(body)) % 4:
            body += b"\0"
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntr"
        + b"RGB "
        + b"XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 4
        + b"\0" * 4
        + b"\0" * 8
        + b"\0" * 8
        + b"\0" * 4
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\0" * 4
        + b"\0" * 16
        + b"\0" * 28
    )
    assert len(header) == 128
    profile = header + struct.pack(">I", len(tags)) + table + body
    ImageCms.ImageCmsProfile(io.BytesIO(profile))  # littlecms accepts it
    return profile


def tree(root: Path) -> set[str]:
    """Every file under `root`, as paths relative to it."""
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
