"""A decode at the pixel limit stays within four bytes a pixel of it, whatever the format."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from PIL import Image, ImageDraw

from heritage.media import images

CAP = 24_000_000
# Four bytes a pixel of the limit (README, Photos), and what a process's peak may add besides
# (the decoder's buffers, the small derivative-sized picture, allocator slack).
BUDGET = 4 * CAP
SLACK = 40 << 20

MEASURE = """
import resource, sys
from pathlib import Path
from heritage.media import examine
warm = Path(sys.argv[1]).with_name("warm.png")
from PIL import Image
Image.new("RGB", (64, 64)).save(warm)
examine(warm, max_pixels=10**9, default_offset="+04:00")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
examine(Path(sys.argv[1]), max_pixels=int(sys.argv[2]), default_offset="+04:00")
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""


def drawing(pixels: int, mode: str = "RGB") -> Image.Image:
    width = math.isqrt(pixels * 3 // 2)
    image = Image.new("RGB", (width, pixels // width), (120, 130, 140))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 397):
        draw.line([(x, 0), (width - x, image.height)], fill=(x % 256, 40, 200), width=7)
    return image.convert(mode) if mode != "RGB" else image


FILES = {
    "jpeg": lambda path, pixels: drawing(pixels).save(path, "JPEG", quality=85),
    "progressive jpeg": lambda path, pixels: drawing(pixels).save(
        path, "JPEG", quality=85, progressive=True
    ),
    "png": lambda path, pixels: drawing(pixels).save(path, "PNG", compress_level=1),
    "palette png": lambda path, pixels: drawing(pixels, "P").save(path, "PNG", compress_level=1),
    "16-bit png": lambda path, pixels: (
        drawing(pixels, "L").convert("I;16").save(path, "PNG", compress_level=1)
    ),
    "uncompressed tiff": lambda path, pixels: drawing(pixels).save(path, "TIFF"),
    "lzw tiff": lambda path, pixels: drawing(pixels).save(path, "TIFF", compression="tiff_lzw"),
    "lossless webp": lambda path, pixels: drawing(pixels).save(
        path, "WEBP", lossless=True, quality=0, method=0
    ),
    "webp": lambda path, pixels: drawing(pixels).save(path, "WEBP", quality=80),
    "heic": lambda path, pixels: drawing(pixels).save(path, "HEIF", quality=50),
}
FORMATS = {"lossless webp": "WEBP", "webp": "WEBP", "heic": "HEIF"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", FILES)
def test_a_picture_as_large_as_its_format_may_be_decodes_within_the_budget(tmp_path, kind):
    pixels = int(CAP * images.PIXEL_SHARE.get(FORMATS.get(kind, ""), 1)) - 10_000
    path = tmp_path / "upload"
    FILES[kind](path, pixels)

    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(CAP)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert int(measured.stdout) <= BUDGET + SLACK
