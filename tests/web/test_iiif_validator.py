"""The IIIF Image API validator (the `iiif-validator` package from PyPI, written by IIIF, not
by this project) against a live server on 127.0.0.1, at the level info.json claims."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from heritage.services import photos
from tests.media.files import encode

validator = pytest.importorskip("iiif_validator.validator")


def validator_image() -> Image.Image:
    """The validator's test image: 10 × 10 squares of 100 pixels, in the colours it checks
    (square x, y in colorInfo[x][y])."""
    colours = validator.ValidationInfo().colorInfo
    image = Image.new("RGB", (1000, 1000))
    for x in range(10):
        for y in range(10):
            image.paste(colours[x][y], (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    return image


# The validator's level-3 tests of what info.json's extras offer besides level 2. (Its
# format_webp test calls Python 2's urllib.urlopen and cannot run; test_iiif_image checks
# WebP.)
OFFERED_BEYOND_THE_LEVEL = [
    "linkheader_canonical",
    "linkheader_profile",
    "rot_mirror",
    "rot_mirror_180",
]


@pytest.fixture
def validator_photo(make_site, editor):
    data = {"caption_en": "IIIF test image", "alt_en": "Coloured squares"}
    content = io.BytesIO(encode(validator_image(), "PNG"))
    photo = photos.upload_photo(
        make_site("published").id, content, "squares.png", data, actor=editor
    ).photo
    photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
    return photos.publish_photo(photo.id, actor=editor, version=photo.version)


def test_the_iiif_validator_passes_every_test_of_the_level_claimed(
    live_server,
    validator_photo,
):
    server = live_server.removeprefix("http://")
    level = 2  # what info.json's profile says (tests/web/test_iiif_image.py checks it)
    tests = validator.TestSuite(validator.ValidationInfo()).list_tests("3.0")
    chosen = sorted(name for name, test in tests.items() if test["level"] <= level)
    chosen += OFFERED_BEYOND_THE_LEVEL
    failures = {}
    for name in chosen:
        result = validator.ImageAPI(
            validator_photo.iiif_identifier, server, prefix="iiif/3", version="3.0", debug=False
        )
        validator.TestSuite(validator.ValidationInfo()).run_test(name, result)
        if result.exception is not None:
            error = result.exception
            failures[name] = (error.type, error.got, error.expected, error.message, result.urls)
    assert not failures
    # The run covered what level 2 asks, not a handful of tests.
    assert len(chosen) == 37
    assert {"info_json", "region_percent", "size_bwh", "rot_full_basic", "quality_grey"} <= set(
        chosen
    )
