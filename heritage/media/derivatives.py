"""Derivatives: the resized copies the public sees, in WebP with a JPEG fallback.

The whole set comes from one reduced decode (see images.clean_pixels), each size from the
next larger one, so the cost is one decode at about the largest size plus small resizes.
"""

from __future__ import annotations

import io

from PIL import Image

from heritage.media.bands import shrink, workers
from heritage.media.images import LARGEST_EDGE

# Name -> long edge in pixels, largest first (each is made from the one before).
SIZES = {"large": LARGEST_EDGE, "display": 1280, "thumb": 320}
# Extension -> (Pillow format, encoder options, media type). WebP method 2: methods 3-6 cost
# about twice the time for files some 3% smaller. PNG only for IIIF requests that ask for it.
ENCODINGS = {
    "webp": ("WEBP", {"quality": 80, "method": 2}, "image/webp"),
    "jpg": ("JPEG", {"quality": 82}, "image/jpeg"),
    "png": ("PNG", {"compress_level": 3}, "image/png"),
}
# The formats of the derivative set.
FORMATS = {ext: ENCODINGS[ext] for ext in ("webp", "jpg")}
# Modes each encoder writes as they are; others are converted to the first listed.
_MODES = {"JPEG": ("RGB", "L"), "WEBP": ("RGB", "RGBA"), "PNG": ("RGB", "RGBA", "L", "1")}
# Derivatives are white-backed where the original is transparent and JPEG cannot be.
_BACKGROUND = (255, 255, 255)


def names() -> list[str]:
    """Every derivative's file name, e.g. 'thumb.webp'."""
    return [f"{size}.{ext}" for size in SIZES for ext in FORMATS]


def media_type(name: str) -> str:
    """The media type a derivative is served as."""
    return FORMATS[name.rsplit(".", 1)[1]][2]


def render(pixels: Image.Image) -> list[tuple[str, bytes]]:
    """(file name, encoded bytes) for the whole set, from clean pixels (images.clean_pixels).

    Encoders run in worker threads (Pillow releases the GIL while encoding) while this
    thread makes the next smaller size, so the slow encode of the largest WebP overlaps
    with all the rest.
    """
    jobs = []
    current = pixels
    with workers() as pool:
        for size, edge in SIZES.items():
            current = shrink(current, edge)
            for ext in FORMATS:
                jobs.append((f"{size}.{ext}", pool.submit(encode, current, ext)))
        return [(name, job.result()) for name, job in jobs]


def encode(picture: Image.Image, ext: str) -> bytes:
    """`picture` (clean pixels) encoded as `ext` (see ENCODINGS), with nothing but pixels."""
    pillow_format, options, _media_type = ENCODINGS[ext]
    if pillow_format == "JPEG" and picture.mode == "RGBA":
        flat = Image.new("RGB", picture.size, _BACKGROUND)
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    if picture.mode not in _MODES[pillow_format]:
        picture = picture.convert("L" if picture.mode == "1" else _MODES[pillow_format][0])
    buffer = io.BytesIO()
    # Nothing but pixels is written: no exif=, icc_profile= or comment= is passed, and
    # clean pixels carry no info for Pillow to copy from.
    picture.save(buffer, pillow_format, **options)
    return buffer.getvalue()
