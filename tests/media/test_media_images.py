"""Reading uploads: formats by content, EXIF facts, and derivatives that are upright, sRGB
and free of every kind of metadata."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from PIL import Image

from heritage.media import ImageRefused, derivatives, examine, images
from tests.media import files

CAP = 120_000_000


def look(tmp_path, data: bytes, name: str = "upload", cap: int = CAP):
    path = tmp_path / name
    path.write_bytes(data)
    return examine(path, max_pixels=cap, default_offset="+04:00")


def rendered(examined) -> dict[str, Image.Image]:
    return {
        name: Image.open(io.BytesIO(data)) for name, data in derivatives.render(examined.pixels)
    }


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (files.jpeg(), "image/jpeg"),
        (files.encode(files.picture(), "PNG"), "image/png"),
        (files.encode(files.picture(), "TIFF", compression="tiff_lzw"), "image/tiff"),
        (files.encode(files.picture(), "WEBP"), "image/webp"),
        (files.encode(files.picture(), "HEIF"), "image/heic"),
    ],
    ids=["jpeg", "png", "tiff", "webp", "heic"],
)
def test_accepted_formats_are_recognised_by_content(tmp_path, data, media_type):
    examined = look(tmp_path, data, name="no-extension")

    assert examined.media_type == media_type
    assert (examined.width, examined.height) == (1600, 1200)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "PPM", "ICO"])
def test_other_image_formats_are_refused(tmp_path, fmt):
    data = files.encode(files.picture(64, 64), fmt)

    with pytest.raises(ImageRefused) as refused:
        look(tmp_path, data, name="photo.jpg")

    assert refused.value.status == 415


def test_exif_facts_are_extracted(tmp_path):
    data = files.jpeg(
        exif=files.exif(
            gps=(-33.5, -70.25),
            taken="2022:08:01 23:15:00",
            offset="-03:00",
            orientation=6,
            camera=("Canon", "Canon EOS R6"),
        )
    )

    facts = look(tmp_path, data).exif

    assert facts.captured_at == datetime(2022, 8, 2, 2, 15, tzinfo=UTC)
    assert facts.camera == "Canon EOS R6"
    assert facts.orientation == 6
    assert (facts.latitude, facts.longitude) == (-33.5, -70.25)


def test_a_capture_time_without_offset_is_taken_as_azerbaijan_time(tmp_path):
    facts = look(tmp_path, files.jpeg(exif=files.exif(taken="2021:03:01 12:00:00"))).exif

    assert facts.captured_at == datetime(2021, 3, 1, 8, 0, tzinfo=UTC)


def test_a_camera_name_longer_than_the_archive_keeps_is_cut_to_fit(tmp_path):
    facts = look(tmp_path, files.jpeg(exif=files.exif(camera=("M" * 500, "N" * 500)))).exif

    assert facts.camera == "M" * 200


@pytest.mark.parametrize(
    "bad",
    [
        files.exif(taken="0000:00:00 00:00:00", gps=(0.0, 0.0)),
        files.exif(taken="not a date", orientation=9),
    ],
)
def test_nonsense_exif_is_ignored_not_fatal(tmp_path, bad):
    facts = look(tmp_path, files.jpeg(exif=bad)).exif

    assert (facts.captured_at, facts.orientation, facts.latitude) == (None, None, None)


def test_orientation_is_applied_to_size_and_derivatives(tmp_path):
    examined = look(tmp_path, files.jpeg(exif=files.exif(orientation=6)))

    assert (examined.width, examined.height) == (1200, 1600)
    assert rendered(examined)["display.jpg"].size == (960, 1280)


def test_derivatives_are_the_whole_set_each_smaller_never_enlarged(tmp_path):
    big = look(tmp_path, files.jpeg(width=5000, height=2500), name="big")
    small = look(tmp_path, files.jpeg(width=300, height=200), name="small")

    sizes = {name: image.size for name, image in rendered(big).items()}
    assert sizes == {
        "large.webp": (2048, 1024),
        "large.jpg": (2048, 1024),
        "display.webp": (1280, 640),
        "display.jpg": (1280, 640),
        "thumb.webp": (320, 160),
        "thumb.jpg": (320, 160),
    }
    assert {image.size for image in rendered(small).values()} == {(300, 200)}
    assert {image.format for image in rendered(small).values()} == {"WEBP", "JPEG"}


def test_derivatives_carry_no_exif_gps_icc_xmp_or_comment(tmp_path):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret place</x:xmpmeta>'
    data = files.jpeg(
        exif=files.exif(gps=(files.LATITUDE, files.LONGITUDE), camera=("Apple", "iPhone")),
        comment=b"found at the secret place",
        icc_profile=files.swapped_primaries_profile(),
        xmp=xmp,
    )
    examined = look(tmp_path, data)

    for name, data in derivatives.render(examined.pixels):
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), name
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info), name
        assert b"secret" not in data
        assert b"iPhone" not in data
        assert b"swapped" not in data


def test_colour_is_converted_to_srgb_through_the_embedded_profile(tmp_path):
    # Pure red in a space whose red primary is sRGB's green: in truth it is green.
    red = files.encode(
        Image.new("RGB", (400, 300), (255, 0, 0)),
        "JPEG",
        quality=95,
        icc_profile=files.swapped_primaries_profile(),
    )

    pixel = rendered(look(tmp_path, red))["display.jpg"].convert("RGB").getpixel((10, 10))

    assert pixel[1] > 200, pixel
    assert pixel[0] < 60, pixel


@pytest.mark.parametrize(
    ("image", "fmt"),
    [
        (files.picture(mode="CMYK"), "JPEG"),
        (files.picture().convert("I;16"), "PNG"),
        (files.picture().convert("P"), "PNG"),
        (files.picture().convert("1"), "TIFF"),
        (files.picture().convert("LA"), "PNG"),
    ],
    ids=["cmyk jpeg", "16-bit grey png", "palette png", "bilevel tiff", "grey+alpha png"],
)
def test_unusual_modes_become_ordinary_derivatives(tmp_path, image, fmt):
    set_ = rendered(look(tmp_path, files.encode(image, fmt)))

    assert set_["thumb.jpg"].mode == "RGB"
    assert set_["thumb.webp"].mode in ("RGB", "RGBA")


def test_transparency_is_kept_in_webp_and_white_in_jpeg(tmp_path):
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (100, 100, 300, 300))

    set_ = rendered(look(tmp_path, files.encode(image, "PNG")))

    assert set_["display.webp"].mode == "RGBA"
    assert set_["display.webp"].getpixel((5, 5))[3] == 0
    assert set_["display.jpg"].getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"", 422, "The file is empty."),
        (files.png_declaring(20000, 10000), 422, "more than 120 megapixels"),
        (files.jpeg()[:4000], 422, "The file is incomplete"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 415, "not a JPEG, PNG, TIFF, WebP or HEIC image"),
        (files.HTML, 415, "whatever its name says"),
    ],
    ids=["empty", "bomb", "truncated", "broken png header", "html"],
)
def test_refusals_say_why(tmp_path, data, status, message):
    with pytest.raises(ImageRefused) as refused:
        look(tmp_path, data)

    assert refused.value.status == status
    assert message in refused.value.message


def test_damaged_picture_data_is_refused(tmp_path):
    data = bytearray(files.encode(files.picture(), "PNG"))
    data[200:260] = b"\xff" * 60  # inside the compressed pixel data

    with pytest.raises(ImageRefused) as refused:
        look(tmp_path, bytes(data))

    assert refused.value.status == 422
    assert "damaged" in refused.value.message or "incomplete" in refused.value.message


def test_a_compressed_tiff_stored_turned_is_described_upright(tmp_path):
    # Orientation 6: stored 3000×1000, seen 1000×3000. Before Pillow 11 the TIFF loader
    # reported the stored size, since then the upright one.
    stored = files.picture(3000, 1000)
    data = files.encode(stored, "TIFF", compression="tiff_lzw", tiffinfo={files.ORIENTATION: 6})

    examined = look(tmp_path, data)

    assert (examined.width, examined.height) == (1000, 3000)
    assert examined.pixels.size == (683, 2048)


def test_a_fault_in_the_decoding_code_is_not_blamed_on_the_file(tmp_path, monkeypatch):
    # Such as the AttributeError that refused every PNG as "damaged" under Pillow 10.4.
    def broken(image):
        raise AttributeError("'tuple' object has no attribute 'codec_name'")

    monkeypatch.setattr(images.PngRows, "of", broken)

    with pytest.raises(AttributeError):
        look(tmp_path, files.encode(files.picture(), "PNG"))


def test_a_file_that_cannot_be_read_is_not_called_damaged(tmp_path):
    with pytest.raises(FileNotFoundError):
        examine(tmp_path / "gone", max_pixels=CAP, default_offset="+04:00")


def test_importing_the_media_code_changes_no_warnings_filter():
    # The libraries first: some versions of them (numpy through pillow-heif) add their own.
    script = (
        "import warnings, numpy, pillow_heif, PIL.Image, PIL.ImageCms; "
        "before = list(warnings.filters); import heritage.media; "
        "print(warnings.filters == before)"
    )
    shown = subprocess.run(
        [sys.executable, "-W", "default", "-c", script], capture_output=True, text=True, check=True
    )

    assert shown.stdout.strip() == "True"


def test_a_pixel_limit_is_checked_per_call_not_set_for_the_process(tmp_path):
    before = Image.MAX_IMAGE_PIXELS
    data = files.encode(files.picture(800, 600), "PNG")

    with pytest.raises(ImageRefused, match=r"more than 0\.1 megapixels"):
        look(tmp_path, data, cap=100_000)
    look(tmp_path, data, cap=500_000)

    assert before == Image.MAX_IMAGE_PIXELS


def test_no_thread_outlives_the_picture_it_worked_on(tmp_path):
    before = {thread.ident for thread in threading.enumerate()}
    data = files.encode(files.noisy(3000, 2000), "PNG")  # reduced in parallel bands

    derivatives.render(look(tmp_path, data).pixels)

    assert {thread.ident for thread in threading.enumerate()} <= before
