"""IIIF Image API 3.0: what a request's {region}/{size}/{rotation}/{quality}.{format} asks
for, checked against the picture, and its pixels composed from the tile pyramid.

Offered: compliance level 2 (regions full, square, x,y,w,h and pct:; sizes max, w,, ,h,
w,h, !w,h and pct:; rotation by 90s and mirroring; qualities default, color, gray and
bitonal; formats jpg, png and webp). Not offered: upscaling (^), rotation by other angles
and other formats, each a 501. A request that does not follow the grammar, or asks for a
region outside the picture or a size larger than its region, is a 400.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from PIL import Image

from heritage.media.derivatives import ENCODINGS
from heritage.media.pyramid import TILE, Pyramid, level_size, scale_factors

PROFILE = "level2"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
CONTEXT = "http://iiif.io/api/image/3/context.json"
FORMATS = tuple(ENCODINGS)  # jpg is level 0's, png level 2's; webp is extra
EXTRA_FORMATS = ["webp"]
QUALITIES = ("default", "color", "gray", "bitonal")
EXTRA_QUALITIES = ["color", "gray", "bitonal"]
# Beyond what level 2 requires (listed so clients know; level 2 needs nothing else).
EXTRA_FEATURES = ["mirroring", "regionSquare", "rotationBy90s", "sizeByWh"]
# Formats the IIIF specification names that this server does not make.
_KNOWN_FORMATS = ("tif", "gif", "pdf", "jp2")
_NUMBER = r"\d+(?:\.\d+)?"
_INTEGER = re.compile(r"^\d+$")
_REGION = re.compile(rf"^(pct:)?({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})$")
_SIZE = re.compile(r"^(\^)?(!)?(\d+)?,(\d+)?$")
_PCT = re.compile(rf"^(\^)?pct:({_NUMBER})$")
_ROTATION = re.compile(rf"^(!)?({_NUMBER})$")


class Refused(Exception):
    """A request the server will not answer: 400 (malformed, out of bounds) or 501 (a
    feature not offered); `message` says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Request:
    """A checked image request: the region in full-size pixels, the size it is scaled to."""

    x: int
    y: int
    w: int
    h: int
    width: int  # of the result, before rotation
    height: int
    mirror: bool
    rotation: int  # 0, 90, 180 or 270
    quality: str
    format: str

    @property
    def media_type(self) -> str:
        return ENCODINGS[self.format][2]

    def canonical(self, full: tuple[int, int]) -> str:
        """The request's canonical form (Image API 3.0 section 4.7)."""
        region = (
            "full"
            if (self.x, self.y, self.w, self.h) == (0, 0, *full)
            else (f"{self.x},{self.y},{self.w},{self.h}")
        )
        size = (
            "max"
            if (self.width, self.height) == (self.w, self.h)
            else (f"{self.width},{self.height}")
        )
        rotation = f"{'!' if self.mirror else ''}{self.rotation}"
        quality = "default" if self.quality == "color" else self.quality
        return f"{region}/{size}/{rotation}/{quality}.{self.format}"


def parse(
    region: str, size: str, rotation: str, quality_format: str, full: tuple[int, int],
    max_area: int,
) -> Request:  # fmt: skip
    """Check every parameter against the picture of size `full`; Refused if it cannot be."""
    quality, dot, fmt = quality_format.rpartition(".")
    if not dot or quality not in QUALITIES:
        raise Refused(400, f"Unknown quality {quality or quality_format!r}.")
    if fmt not in FORMATS:
        if fmt in _KNOWN_FORMATS:
            raise Refused(501, f"The format {fmt} is not offered: ask for jpg, png or webp.")
        raise Refused(400, f"Unknown format {fmt!r}.")
    mirror, degrees = _rotation(rotation)
    x, y, w, h = _region(region, full)
    width, height = _size(size, w, h, max_area)
    return Request(x, y, w, h, width, height, mirror, degrees, quality, fmt)


def _region(text: str, full: tuple[int, int]) -> tuple[int, int, int, int]:
    width, height = full
    if text == "full":
        return 0, 0, width, height
    if text == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    match = _REGION.match(text)
    if not match:
        raise Refused(400, f"Malformed region {text!r}.")
    pct, *numbers = match.groups()
    values = [float(number) for number in numbers]
    if pct:
        x = round(values[0] * width / 100)
        y = round(values[1] * height / 100)
        w = round(values[2] * width / 100)
        h = round(values[3] * height / 100)
    else:
        if not all(_INTEGER.match(number) for number in numbers):
            raise Refused(400, f"A region in pixels is whole numbers: {text!r}.")
        x, y, w, h = (int(number) for number in numbers)
    if w <= 0 or h <= 0:
        raise Refused(400, "The region's width and height must be greater than zero.")
    if x >= width or y >= height:
        raise Refused(400, f"The region {text!r} lies outside the image.")
    return x, y, min(w, width - x), min(h, height - y)


def _size(text: str, w: int, h: int, max_area: int) -> tuple[int, int]:
    """The result's size for a region of w × h; never larger than the region, nor max_area."""
    if text.startswith("^"):
        # Well-formed upscaling is a feature not offered; anything else is malformed.
        rest = _SIZE.match(text[1:])
        if text[1:] == "max" or _PCT.match(text[1:]) or (rest and any(rest.groups()[2:])):
            raise Refused(501, "Upscaling (^) is not offered.")
        raise Refused(400, f"Malformed size {text!r}.")
    if text == "max":
        if w * h <= max_area:
            return w, h
        scale = math.sqrt(max_area / (w * h))
        return max(1, math.floor(w * scale)), max(1, math.floor(h * scale))
    if match := _PCT.match(text):
        percent = float(match.group(2))
        if percent <= 0 or percent > 100:
            raise Refused(400, "A size in percent is more than 0 and at most 100.")
        result = max(1, round(w * percent / 100)), max(1, round(h * percent / 100))
    elif match := _SIZE.match(text):
        _up, best_fit, asked_w, asked_h = match.groups()
        if (asked_w is None and asked_h is None) or (best_fit and None in (asked_w, asked_h)):
            raise Refused(400, f"Malformed size {text!r}.")
        if any(value is not None and int(value) == 0 for value in (asked_w, asked_h)):
            raise Refused(400, "A size's width and height must be greater than zero.")
        if best_fit:
            scale = min(int(asked_w) / w, int(asked_h) / h)
            result = max(1, round(w * scale)), max(1, round(h * scale))
        elif asked_h is None:
            result = int(asked_w), max(1, round(h * int(asked_w) / w))
        elif asked_w is None:
            result = max(1, round(w * int(asked_h) / h)), int(asked_h)
        else:
            result = int(asked_w), int(asked_h)
    else:
        raise Refused(400, f"Malformed size {text!r} (IIIF 3.0 says max, not full).")
    if result[0] > w or result[1] > h:
        raise Refused(400, "The size is larger than the region; upscaling (^) is not offered.")
    if result[0] * result[1] > max_area:
        raise Refused(400, f"The size is over the {max_area} pixels this image is offered at.")
    return result


def _rotation(text: str) -> tuple[bool, int]:
    match = _ROTATION.match(text)
    if not match:
        raise Refused(400, f"Malformed rotation {text!r}.")
    degrees = float(match.group(2))
    if degrees > 360:
        raise Refused(400, "A rotation is from 0 to 360 degrees.")
    if degrees % 90:
        raise Refused(501, "Only rotation by multiples of 90 degrees is offered.")
    return bool(match.group(1)), int(degrees) % 360


# --- pixels -------------------------------------------------------------------------------


def tile_of(request: Request, full: tuple[int, int]) -> tuple[int, int, int] | None:
    """(scale, column, row) when the request is exactly one tile of the pyramid as it is
    stored (a JPEG, unrotated, in colour), so its file can be sent as it is."""
    if request.format != "jpg" or request.rotation or request.mirror:
        return None
    if request.quality not in ("default", "color"):
        return None
    width, height = full
    for scale in scale_factors(width, height):
        span = TILE * scale
        if request.x % span or request.y % span:
            continue
        if (request.w, request.h) != (min(span, width - request.x), min(span, height - request.y)):
            continue
        if (request.width, request.height) == level_size(request.w, request.h, scale):
            return scale, request.x // span, request.y // span
    return None


def render(pyramid: Pyramid, request: Request, full: tuple[int, int]) -> Image.Image:
    """The pixels the request asks for, from the smallest level that still has at least the
    resolution asked (so the work is proportional to the result, not to the original)."""
    width, height = full
    ratio = min(request.w / request.width, request.h / request.height)
    factors = scale_factors(width, height)
    scale = max(s for s in factors if s <= max(1.0, ratio))
    level_width, level_height = level_size(width, height, scale)
    left, top = request.x / scale, request.y / scale
    right = min(level_width, (request.x + request.w) / scale)
    bottom = min(level_height, (request.y + request.h) / scale)
    box = (math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom))
    canvas = Image.new("RGB", (box[2] - box[0], box[3] - box[1]))
    for row in range(box[1] // TILE, (box[3] - 1) // TILE + 1):
        for column in range(box[0] // TILE, (box[2] - 1) // TILE + 1):
            canvas.paste(
                pyramid.tile(scale, column, row), (column * TILE - box[0], row * TILE - box[1])
            )
    within = (left - box[0], top - box[1], right - box[0], bottom - box[1])
    size = (request.width, request.height)
    if canvas.size != size or within != (0, 0, *canvas.size):
        canvas = canvas.resize(size, Image.Resampling.BICUBIC, box=within, reducing_gap=2.0)
    if request.mirror:
        canvas = canvas.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if request.rotation:
        # Clockwise, as IIIF means it; Pillow's ROTATE_n turn counter-clockwise.
        turn = {
            90: Image.Transpose.ROTATE_270,
            180: Image.Transpose.ROTATE_180,
            270: Image.Transpose.ROTATE_90,
        }
        canvas = canvas.transpose(turn[request.rotation])
    if request.quality == "gray":
        canvas = canvas.convert("L")
    elif request.quality == "bitonal":
        canvas = canvas.convert("L").point(lambda value: 255 if value >= 128 else 0).convert("1")
    return canvas


def info(service_id: str, full: tuple[int, int], max_area: int) -> dict:
    """The image's info.json (Image API 3.0 section 5)."""
    width, height = full
    factors = scale_factors(width, height)
    sizes = [
        {"width": w, "height": h}
        for w, h in (level_size(width, height, scale) for scale in reversed(factors))
        if w * h <= max_area
    ]
    return {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": PROFILE,
        "width": width,
        "height": height,
        "maxWidth": width,
        "maxHeight": height,
        "maxArea": min(max_area, width * height),
        "sizes": sizes,
        "tiles": [{"width": TILE, "height": TILE, "scaleFactors": factors}],
        "extraFormats": EXTRA_FORMATS,
        "extraQualities": EXTRA_QUALITIES,
        "extraFeatures": EXTRA_FEATURES,
    }
