"""Band-by-band decoding of PNGs and uncompressed TIFFs: the same pixels as Pillow's whole
decode, every byte still read and checked, and the full-size picture never made."""

from __future__ import annotations

import zlib
from contextlib import closing

import numpy as np
import pytest
from PIL import Image, ImageFile

from heritage.media import ImageRefused, bands, examine, images
from tests.media import files

CAP = 120_000_000


def write(tmp_path, data: bytes, name: str = "upload"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def tiff(image: Image.Image, rows_per_strip: int, orientation: int = 1) -> bytes:
    """An uncompressed TIFF in strips of `rows_per_strip` rows, laid out as scanners write
    them: the header and tags first, then the strips one after another."""
    return files.tiff_in_strips(image, rows_per_strip, orientation)


def whole(path) -> Image.Image:
    """Pillow's own decode of the whole file: the reference."""
    with closing(Image.open(path)) as image:
        image.load()
        return image.copy()


def largest_difference(one: Image.Image, other: Image.Image) -> int:
    assert (one.mode, one.size) == (other.mode, other.size)
    return int(np.abs(np.asarray(one, np.int16) - np.asarray(other, np.int16)).max())


@pytest.fixture
def small_bands(monkeypatch):
    """Bands of a few rows, so that even a small picture crosses many band boundaries."""
    monkeypatch.setattr(bands, "_BAND_BYTES", 40_000)


def refuse_to_load(self):
    raise AssertionError(f"a {self.format} was decoded whole")


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA"])
def test_png_rows_unfilter_every_filter_across_bands_exactly(tmp_path, small_bands, mode):
    image = files.noisy(700, 500, mode)
    path = write(tmp_path, files.png_every_filter(image, idat_chunks=7))

    with closing(Image.open(path)) as opened:
        rows = bands.PngRows.of(opened)
        same_size = rows.reduced(2048)
        halved = bands.PngRows.of(opened).reduced(350)

    assert same_size.tobytes() == image.tobytes()
    reference = bands.shrink(whole(path), 350)
    assert largest_difference(halved, reference) == 0


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "CMYK"])
def test_uncompressed_tiff_rows_are_read_band_by_band_exactly(tmp_path, small_bands, mode):
    image = files.noisy(700, 500, "RGBA" if mode == "CMYK" else mode)
    image = image.convert(mode)
    path = write(tmp_path, tiff(image, rows_per_strip=7))

    with closing(Image.open(path)) as opened:
        rows = bands.TiffRows.of(opened)
        same_size = rows.reduced(2048)
        halved = rows.reduced(350)

    assert same_size.tobytes() == image.tobytes()
    assert largest_difference(halved, bands.shrink(whole(path), 350)) == 0


@pytest.mark.parametrize(
    ("data", "reader"),
    [
        (lambda: files.encode(files.noisy(300, 200), "PNG"), bands.PngRows),
        (lambda: tiff(files.noisy(300, 200), 5), bands.TiffRows),
        (lambda: files.encode(files.noisy(300, 200), "TIFF", compression="tiff_lzw"), None),
        (lambda: files.encode(files.noisy(300, 200).convert("I;16"), "PNG"), None),
        (lambda: files.encode(files.noisy(300, 200).convert("P"), "PNG"), None),
        (lambda: files.encode(files.noisy(300, 200), "WEBP"), None),
    ],
    ids=["png", "uncompressed tiff", "lzw tiff", "16-bit png", "palette png", "webp"],
)
def test_which_files_are_read_by_bands(tmp_path, data, reader):
    with closing(Image.open(write(tmp_path, data()))) as opened:
        found = [kind for kind in (bands.PngRows, bands.TiffRows) if kind.of(opened)]

    assert found == ([reader] if reader else [])


@pytest.mark.parametrize(
    "data",
    [
        lambda: files.png_every_filter(files.noisy(5000, 2500)),
        lambda: tiff(files.noisy(5000, 2500), rows_per_strip=16),
    ],
    ids=["png", "uncompressed tiff"],
)
def test_big_uploads_are_reduced_without_decoding_them_whole(tmp_path, monkeypatch, data):
    path = write(tmp_path, data())
    reference = bands.shrink(whole(path), 2048)

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_load)
    examined = examine(path, max_pixels=CAP, default_offset="+04:00")

    assert (examined.width, examined.height) == (5000, 2500)
    assert largest_difference(examined.pixels, reference) <= 1


@pytest.mark.parametrize(
    ("mode", "rows_per_strip", "edge"),
    [("RGB", 9, 2048), ("L", 3000, 2048), ("L", 3000, 4000)],
    ids=["rgb in strips", "grey in one strip", "grey, not reduced"],
)
def test_a_tiff_is_turned_upright_once(tmp_path, monkeypatch, mode, rows_per_strip, edge):
    monkeypatch.setattr(images, "LARGEST_EDGE", edge)
    upright = files.noisy(1000, 3000, mode)
    # Orientation 6: the camera was turned, so the picture is stored turned the other way.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    path = write(tmp_path, tiff(stored, rows_per_strip=rows_per_strip, orientation=6))

    examined = examine(path, max_pixels=CAP, default_offset="+04:00")

    assert (examined.width, examined.height) == (1000, 3000)
    reference = bands.shrink(upright, edge).convert("RGB")  # clean pixels are colour
    assert largest_difference(examined.pixels, reference) <= 2


@pytest.mark.parametrize("where", ["before", "after"])
def test_exif_before_or_after_the_png_picture_data_is_read(tmp_path, where):
    exif = files.exif(gps=(files.LATITUDE, files.LONGITUDE), taken="2024:06:01 09:15:00")
    picture = files.noisy(400, 300)
    if where == "before":  # where Pillow writes it
        data = files.encode(picture, "PNG", exif=exif.tobytes())
    else:
        data = files.png_every_filter(picture, after=files.png_chunk(b"eXIf", exif.tobytes()))

    facts = examine(write(tmp_path, data), max_pixels=CAP, default_offset="+04:00").exif

    assert facts.latitude == pytest.approx(files.LATITUDE, abs=1e-4)
    assert facts.captured_at.isoformat() == "2024-06-01T05:15:00+00:00"


@pytest.mark.parametrize(
    "cut",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[: data.rindex(b"IEND") - 10],  # every row, but not zlib's end
    ],
    ids=["cut in half", "no end of stream"],
)
def test_a_png_cut_short_is_refused_as_incomplete(tmp_path, cut):
    data = files.png_every_filter(files.noisy(600, 400), idat_chunks=2)

    with pytest.raises(ImageRefused) as refused:
        examine(write(tmp_path, cut(data)), max_pixels=CAP, default_offset="+04:00")

    assert refused.value.status == 422
    assert "incomplete" in refused.value.message


def test_a_png_without_iend_is_accepted_as_pillow_accepts_it(tmp_path):
    data = files.png_every_filter(files.noisy(600, 400))
    data = data[: data.rindex(b"IEND") - 4]

    examined = examine(write(tmp_path, data), max_pixels=CAP, default_offset="+04:00")

    assert examined.pixels.size == (600, 400)


def test_data_beyond_a_pngs_last_row_is_ignored_not_inflated(tmp_path, monkeypatch):
    picture = files.noisy(600, 400)
    data = files.png_every_filter(picture, surplus=100_000_000)  # 100 MB in about 100 KB
    inflated = []
    decompressobj = zlib.decompressobj

    class Counting:
        def __init__(self):
            self.inflater = decompressobj()

        def __getattr__(self, name):
            return getattr(self.inflater, name)

        def decompress(self, data, limit):
            inflated.append(len(part := self.inflater.decompress(data, limit)))
            return part

    monkeypatch.setattr(bands.zlib, "decompressobj", Counting)
    examined = examine(write(tmp_path, data), max_pixels=CAP, default_offset="+04:00")

    assert examined.pixels.tobytes() == picture.tobytes()
    assert sum(inflated) <= 2 * 400 * (1 + 600 * 3)


def test_a_png_whose_data_fails_its_checksum_is_refused_as_damaged(tmp_path):
    data = bytearray(files.png_every_filter(files.noisy(600, 400), idat_chunks=1))
    end = data.rindex(b"IEND") - 8  # the IDAT chunk's CRC, then zlib's Adler-32 before it
    data[end - 2] ^= 0xFF

    with pytest.raises(ImageRefused) as refused:
        examine(write(tmp_path, bytes(data)), max_pixels=CAP, default_offset="+04:00")

    assert refused.value.status == 422
    assert "damaged" in refused.value.message


def test_a_tiff_cut_short_is_refused_as_incomplete(tmp_path):
    data = tiff(files.noisy(3000, 2000), rows_per_strip=10)
    path = write(tmp_path, data[: len(data) * 2 // 3])

    with pytest.raises(ImageRefused) as refused:
        examine(path, max_pixels=CAP, default_offset="+04:00")

    assert refused.value.status == 422
    assert "incomplete" in refused.value.message
