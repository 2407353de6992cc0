"""Synthetic photographs for the demo archive: a site drawn in a few shapes, in the state of
its restoration (ruined before, scaffolded during, whole after), as a camera's JPEG with EXIF.

Pictures are drawn at half size and doubled, so they are camera-sized (12.6 megapixels)
yet quick to make, and a half-scale JPEG decode gives back exactly the drawing.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageDraw

SIZE = (4096, 3072)
# The shape a site type is drawn with.
SHAPES = {
    "mosque": "dome",
    "mausoleum": "tower",
    "bathhouse": "dome",
    "caravanserai": "dome",
    "church": "gable",
    "monastery": "gable",
    "house": "gable",
    "house_museum": "gable",
    "museum": "gable",
    "palace": "gable",
    "bridge": "bridge",
    "fortress": "walls",
    "cave": "cave",
    "archaeological_site": "stones",
    "spring": "cave",
    "memorial": "tower",
    "cemetery": "stones",
    "necropolis": "stones",
}
STATES = ("ruined", "scaffolded", "whole")


@dataclass(frozen=True)
class Shot:
    """The camera facts a sample carries in its EXIF."""

    taken: datetime
    camera: tuple[str, str]
    position: tuple[float, float] | None = None


def photograph(seed: str, site_type: str, state: str, shot: Shot) -> bytes:
    """A JPEG of a site in `state`, the same bytes for the same arguments."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    width, height = SIZE[0] // 2, SIZE[1] // 2
    image = _sky(width, height, rng)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.62, 0.72))
    ground = (rng.randrange(85, 120), rng.randrange(105, 135), rng.randrange(50, 75))
    hills = [(0, horizon)] + [
        (x, horizon - rng.randrange(0, height // 10)) for x in range(0, width + 1, width // 6)
    ]
    draw.polygon([*hills, (width, height), (0, height)], fill=ground)
    stone = (rng.randrange(175, 215), rng.randrange(150, 185), rng.randrange(110, 145))
    if state == "ruined":
        stone = tuple(int(c * 0.72) for c in stone)
    box = (int(width * 0.28), int(height * 0.3), int(width * 0.72), horizon + height // 20)
    _SHAPE_DRAWERS[SHAPES.get(site_type, "gable")](draw, box, stone, rng)
    if state == "ruined":
        _ruin(draw, box, image.getpixel((5, 5)), rng)
    elif state == "scaffolded":
        _scaffold(draw, box)
    image = image.resize(SIZE, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88, exif=_exif(shot))
    return buffer.getvalue()


def _sky(width: int, height: int, rng: random.Random) -> Image.Image:
    """A vertical gradient from a deep blue to a pale horizon."""
    top = (rng.randrange(50, 110), rng.randrange(110, 160), rng.randrange(185, 235))
    strip = Image.new("RGB", (1, 256))
    strip.putdata([tuple(c + (255 - c) * row // 360 for c in top) for row in range(256)])
    return strip.resize((width, height), Image.Resampling.NEAREST)


def _dome(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    middle, span = (left + right) // 2, right - left
    draw.rectangle([left, top + span // 6, right, bottom], fill=stone)
    draw.pieslice(
        [middle - span // 4, top - span // 8, middle + span // 4, top + span // 3],
        180,
        360,
        fill=stone,
    )
    draw.rectangle([right - span // 14, top - span // 3, right, bottom], fill=stone)
    _openings(draw, box, rng)


def _tower(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    middle, span = (left + right) // 2, (right - left) // 3
    draw.rectangle([middle - span, top, middle + span, bottom], fill=stone)
    draw.polygon([(middle - span, top), (middle, top - span), (middle + span, top)], fill=stone)
    _openings(draw, (middle - span, top, middle + span, bottom), rng)


def _gable(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    middle, span = (left + right) // 2, right - left
    draw.rectangle([left, top + span // 5, right, bottom], fill=stone)
    draw.polygon(
        [(left, top + span // 5), (middle, top - span // 10), (right, top + span // 5)], fill=stone
    )
    _openings(draw, box, rng)


def _bridge(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    deck = top + (bottom - top) // 2
    draw.rectangle([left - 200, deck, right + 200, bottom], fill=stone)
    arches = rng.randrange(2, 5)
    step = (right - left + 400) // arches
    for n in range(arches):
        x = left - 200 + n * step
        draw.pieslice(
            [x + 20, deck + 40, x + step - 20, bottom + (bottom - deck)],
            180,
            360,
            fill=(60, 90, 120),
        )


def _walls(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    draw.rectangle([left - 150, top + 120, right + 150, bottom], fill=stone)
    for x in (left - 150, (left + right) // 2 - 60, right + 30):
        draw.rectangle([x, top, x + 120, bottom], fill=stone)
        for merlon in range(x, x + 120, 40):
            draw.rectangle([merlon, top - 30, merlon + 20, top], fill=stone)


def _cave(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    draw.polygon(
        [(left - 300, bottom), (left, top), (right, top - 80), (right + 300, bottom)], fill=stone
    )
    middle = (left + right) // 2
    draw.pieslice(
        [middle - 180, top + 150, middle + 180, bottom + 200], 180, 360, fill=(35, 30, 28)
    )


def _stones(draw: ImageDraw.ImageDraw, box, stone, rng: random.Random) -> None:
    left, top, right, bottom = box
    for _ in range(14):
        x = rng.randrange(left - 300, right + 200)
        y = rng.randrange((top + bottom) // 2, bottom)
        draw.rectangle([x, y - rng.randrange(80, 220), x + rng.randrange(40, 90), y], fill=stone)


_SHAPE_DRAWERS = {
    "dome": _dome,
    "tower": _tower,
    "gable": _gable,
    "bridge": _bridge,
    "walls": _walls,
    "cave": _cave,
    "stones": _stones,
}


def _openings(draw: ImageDraw.ImageDraw, box, rng: random.Random) -> None:
    left, top, right, bottom = box
    count = rng.randrange(2, 5)
    step = (right - left) // (count + 1)
    for n in range(1, count + 1):
        x = left + n * step
        draw.rectangle(
            [x - step // 6, bottom - (bottom - top) // 3, x + step // 6, bottom], fill=(55, 45, 40)
        )


def _ruin(draw: ImageDraw.ImageDraw, box, sky, rng: random.Random) -> None:
    """Missing masonry and cracks."""
    left, top, right, bottom = box
    corner = rng.choice((left, right))
    bite = (right - left) // 3
    draw.polygon(
        [
            (corner, top - bite),
            (corner + (bite if corner == left else -bite), top - bite),
            (corner, top + bite),
        ],
        fill=sky,
    )
    for _ in range(18):
        x, y = rng.randrange(left, right), rng.randrange(top, bottom)
        draw.line(
            [(x, y), (x + rng.randrange(-90, 90), y + rng.randrange(40, 180))],
            fill=(40, 34, 30),
            width=rng.randrange(3, 8),
        )


def _scaffold(draw: ImageDraw.ImageDraw, box) -> None:
    left, top, right, bottom = box
    for x in range(left - 40, right + 60, 90):
        draw.line([(x, top - 60), (x, bottom)], fill=(120, 90, 50), width=6)
    for y in range(top - 40, bottom, 110):
        draw.line([(left - 40, y), (right + 40, y)], fill=(120, 90, 50), width=6)


def _exif(shot: Shot) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = shot.camera
    # Sub-IFDs are assigned as dicts: before Pillow 11, what get_ifd() returns is not written.
    offset = shot.taken.strftime("%z")
    exif[0x8769] = {
        0x9003: shot.taken.strftime("%Y:%m:%d %H:%M:%S"),
        0x9011: f"{offset[:3]}:{offset[3:]}",
    }
    if shot.position:
        gps = {}
        for ref_tag, value_tag, value, refs in (
            (1, 2, shot.position[0], "NS"),
            (3, 4, shot.position[1], "EW"),
        ):
            gps[ref_tag] = refs[0] if value >= 0 else refs[1]
            gps[value_tag] = _dms(abs(value))
        exif[0x8825] = gps
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 3)
