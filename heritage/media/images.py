"""Reading uploaded images: which formats are accepted, a full decode that refuses anything
damaged or too large, the EXIF facts worth keeping, and the clean pixels derivatives start from.

Every image is identified by its content through Pillow with an allowlist of formats; the
file's name and the Content-Type its sender claimed are never consulted.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageCms, UnidentifiedImageError

from heritage.media import jpeg
from heritage.media.bands import PngRows, TiffRows, fit, reduce_streamed, shrink
from heritage.text import N_, Message

try:
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - pillow-heif is an install requirement; HEIC is a bonus
    register_heif_opener = None

# Pillow format -> the media type the archive records and serves it as.
MEDIA_TYPES = {
    "JPEG": "image/jpeg",
    # A JPEG with extra pictures appended (many cameras and phones write them); Pillow's
    # JPEG opener reports it as MPO. The first picture is the photo.
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}
if register_heif_opener is not None:
    register_heif_opener()
    MEDIA_TYPES["HEIF"] = "image/heic"
# Formats whose decoder needs more memory than four bytes a pixel (what the pixel limit is
# set for, see README) may have only this share of the limit: libwebp keeps two canvases
# and Pillow copies them (16 bytes a pixel), libheif and Pillow each hold the picture
# (about 7). Measured at 120 megapixels with benchmarks in the README's Photos section.
PIXEL_SHARE = {"WEBP": 0.25, "HEIF": 0.5}
# The openers Pillow may try: nothing else is ever parsed.
OPENERS = tuple(name for name in MEDIA_TYPES if name != "MPO")
ACCEPTED = "JPEG, PNG, TIFF, WebP" + (" or HEIC" if "HEIF" in MEDIA_TYPES else "")
# The usual file extension of each media type, for download names the archive makes itself.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/webp": "webp",
    "image/heic": "heic",
}

# What decoding a damaged or hostile file raises, in Pillow, pillow-heif, zlib (bands.py) and
# the struct unpacking of headers. Anything else is a fault of this code, never a verdict on
# the file; so is an OSError with an errno (see _io_fault).
DAMAGE = (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error)

# The long edge of the largest derivative: decoding stops at the smallest size above it.
LARGEST_EDGE = 2048

# The longest camera name kept (the photo's column holds 200 characters).
CAMERA_LENGTH = 200

# EXIF tags (TIFF/EXIF 2.32 numbers).
_ORIENTATION, _MAKE, _MODEL, _DATETIME = 0x0112, 0x010F, 0x0110, 0x0132
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET_TIME_ORIGINAL, _OFFSET_TIME_DIGITIZED, _OFFSET_TIME = 0x9011, 0x9012, 0x9010
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")

# How to turn a picture stored with EXIF orientation N upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRefused(Exception):
    """The upload is not an image the archive can keep; `said` tells the uploader why
    (`message` in English)."""

    def __init__(self, status: int, said: Message) -> None:
        super().__init__(str(said))
        self.status = status
        self.said = said
        self.message = str(said)


@dataclass(frozen=True)
class ExifFacts:
    """What the archive keeps from a photo's EXIF. GPS is staff-only."""

    captured_at: datetime | None = None
    camera: str | None = None
    orientation: int | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Examined:
    """An upload that decoded completely: what it is, and its pixels ready for derivatives."""

    media_type: str
    # As seen, EXIF orientation applied.
    width: int
    height: int
    exif: ExifFacts
    # Upright, sRGB, no metadata, at most LARGEST_EDGE on the long side.
    pixels: Image.Image


def examine(path: Path, *, max_pixels: int, default_offset: str) -> Examined:
    """Identify, fully decode and describe an upload; ImageRefused if it is not a keepable image.

    Every byte of picture data is decoded, since a truncated file passes Pillow's verify()
    and fails only when loaded. A JPEG is decoded with DCT scaling: all of its data is still
    entropy-decoded (a cut-off or damaged stream fails the same way), only the final inverse
    transform runs at the reduced size the derivatives need. PNGs and uncompressed TIFFs are
    decoded a band of rows at a time, every row of them.
    """
    if path.stat().st_size == 0:
        raise ImageRefused(422, Message(N_("The file is empty.")))
    # closing(): leaving `with image` closes only the file; close() also frees the decoded
    # picture, which must not outlive this block.
    with closing(_open(path, max_pixels)) as image:
        (width, height), tiff_orientation = _stored_size(image)
        try:
            reduced, exif = _decode_reduced(image, LARGEST_EDGE, verify=True)
        except DAMAGE as error:
            if _io_fault(error):
                raise
            if isinstance(error, OSError) and "truncated" in str(error):
                raise ImageRefused(
                    422,
                    Message(
                        N_(
                            "The file is incomplete: it ends before the picture does. "
                            "The upload may have been cut off; try again."
                        )
                    ),
                ) from None
            raise _damaged() from None
        facts = _exif_facts(exif, default_offset)
        icc = image.info.get("icc_profile")
    # The full-size picture is closed (its memory freed) before anything more is made.
    if (tiff_orientation or facts.orientation) in (5, 6, 7, 8):
        width, height = height, width
    pixels = clean_pixels(reduced, icc, facts.orientation)
    return Examined(
        media_type=MEDIA_TYPES[image.format],
        width=width,
        height=height,
        exif=facts,
        pixels=pixels,
    )


def _stored_size(image: Image.Image) -> tuple[tuple[int, int], int | None]:
    """The picture's size as stored, and a TIFF's orientation, read before decoding: a JPEG
    decodes at a reduced scale, and Pillow's TIFF loader turns the picture upright and
    drops its orientation (since Pillow 11 its size is upright from the start)."""
    if image.format != "TIFF":
        return image.size, None
    tags = image.tag_v2
    return (tags.get(256), tags.get(257)), _orientation(tags)


def pixels_of(path: Path, *, max_pixels: int) -> Image.Image:
    """The clean pixels of an original already in the archive, for (re)building derivatives:
    at most LARGEST_EDGE on the long side.

    ImageRefused if it has more pixels than `max_pixels` (the limit was lowered since).
    """
    with closing(_open(path, max_pixels)) as image:
        reduced, exif = _decode_reduced(image, LARGEST_EDGE, verify=False)
        orientation = _orientation(exif)
        icc = image.info.get("icc_profile")
    return clean_pixels(reduced, icc, orientation)


@dataclass(frozen=True)
class FullSize:
    """An original's clean pixels at full size, handed out a band of rows at a time."""

    size: tuple[int, int]  # upright
    # rows(first, last): upright rows first..last, clean as pixels_of's; asked for in order,
    # each band below the one before.
    rows: Callable[[int, int], Image.Image]


@contextmanager
def full_size(path: Path, *, max_pixels: int) -> Iterator[FullSize]:
    """The full-size clean pixels of an original in the archive (what the IIIF tile pyramid
    is cut from), a band at a time, so that the full-size picture is never held upright,
    converted or copied whole: an uncompressed TIFF or a PNG that is upright as stored is
    read from its file a band at a time; anything else is decoded whole once (a JPEG at
    full scale) and each band is cut from it, then turned upright and converted.

    ImageRefused as pixels_of.
    """
    with closing(_open(path, max_pixels)) as image:
        icc = image.info.get("icc_profile")
        tiff, png = TiffRows.of(image), PngRows.of(image)
        if tiff and _orientation(_exif(image)) in (None, 1):
            yield FullSize(
                tiff.size, lambda first, last: clean_pixels(tiff.rows(first, last), icc, None)
            )
            return
        if png:
            png.find_exif()
            exif = Image.Exif()
            if png.exif:
                exif.load(png.exif)
            if _orientation(exif) in (None, 1):
                with png.reading() as rows:
                    yield FullSize(
                        png.size, lambda first, last: clean_pixels(rows(first, last), icc, None)
                    )
                return
        image.load()  # a TIFF comes out upright, its orientation dropped (see _decode_reduced)
        orientation = _orientation(_exif(image))
        stored = image.size
        turned = orientation in (5, 6, 7, 8)
        upright = stored[::-1] if turned else stored

        def rows(first: int, last: int) -> Image.Image:
            band = _normal_mode(image.crop(_stored_box(orientation, stored, first, last)))
            if orientation in _UPRIGHT:
                band = band.transpose(_UPRIGHT[orientation])
            return clean_pixels(band, icc, None)

        yield FullSize(upright, rows)


def _stored_box(
    orientation: int | None, size: tuple[int, int], first: int, last: int
) -> tuple[int, int, int, int]:
    """The part of a picture stored with EXIF `orientation` that becomes its upright rows
    first..last: rows counted from the top or bottom, or columns from the left or right."""
    width, height = size
    if orientation in (3, 4):  # upside down
        return 0, height - last, width, height - first
    if orientation in (5, 6):  # on its side, its top row on the left
        return first, 0, last, height
    if orientation in (7, 8):  # on its side, its top row on the right
        return width - last, 0, width - first, height
    return 0, first, width, last


def clean_pixels(reduced: Image.Image, icc: bytes | None, orientation: int | None) -> Image.Image:
    """Pixels fit for the public: upright, sRGB, no metadata.

    `reduced` is a decoded picture already at the largest derivative's size (see
    _decode_reduced), so each step is cheap. The result is built from pixels alone, so no
    EXIF, GPS, ICC profile text, XMP or comment can travel with it.
    """
    working = reduced
    if orientation in _UPRIGHT:
        working = working.transpose(_UPRIGHT[orientation])
    working = _to_srgb(working, icc)
    working.info = {}
    return working


def _open(path: Path, max_pixels: int) -> Image.Image:
    """The file opened (its header read, no pixel decoded), if it is an accepted format of
    at most `max_pixels`.

    The limit is checked here, per call, not through Pillow's process-wide MAX_IMAGE_PIXELS
    (which threads serving apps with different limits would race on); see _identify.
    """
    try:
        image = _identify(path)
    except Image.DecompressionBombError:  # declared beyond anything Pillow would decode
        raise _too_many(max_pixels) from None
    except UnidentifiedImageError:
        raise ImageRefused(
            415,
            Message(
                N_(
                    "This is not a photo the archive accepts: its content is not a "
                    "%(formats)s image, whatever its name says."
                ),
                {"formats": ACCEPTED},
            ),
        ) from None
    except DAMAGE as error:  # a header Pillow recognised but could not make sense of
        if _io_fault(error):
            raise
        raise _damaged() from None
    most = int(max_pixels * PIXEL_SHARE.get(image.format, 1))
    if image.width * image.height > most:
        image.close()
        raise _too_many(most)
    return image


def _identify(path: Path) -> Image.Image:
    """Image.open(path, formats=OPENERS), without the check Image.open makes of the declared
    size against Pillow's process-wide limit: it warns from 89 megapixels, under the
    archive's own limit, where the archive checks per call. Plugins keep their own checks
    (WebP and MPO refuse more than about 179 megapixels)."""
    Image.init()  # Pillow registers its openers once, on first use
    with open(path, "rb") as file:
        prefix = file.read(16)
    for name in OPENERS:
        factory, accept = Image.OPEN[name]
        accepted = accept is None or accept(prefix)
        if not accepted or isinstance(accepted, str):  # a str: a warning, as Image.open takes it
            continue
        try:
            return factory(str(path), str(path))
        except (SyntaxError, IndexError, TypeError, struct.error):
            continue  # as Image.open: not this format after all; try the next
    raise UnidentifiedImageError(f"cannot identify image file {str(path)!r}")


def _too_many(max_pixels: int) -> ImageRefused:
    return ImageRefused(
        422,
        Message(
            N_(
                "The picture has more than %(most)s megapixels, the most this archive "
                "accepts. Reduce its size and upload it again."
            ),
            {"most": f"{max_pixels / 1e6:g}"},
        ),
    )


def _io_fault(error: Exception) -> bool:
    """Whether `error` is the system failing to read the file (missing, unreadable, a disk
    error), not the file's content: only those carry an errno."""
    return isinstance(error, OSError) and error.errno is not None


def _damaged() -> ImageRefused:
    return ImageRefused(422, Message(N_("The file is damaged: its picture data cannot be read.")))


def _decode_reduced(
    image: Image.Image, edge: int = LARGEST_EDGE, *, verify: bool
) -> tuple[Image.Image, Image.Exif]:
    """Decode every byte of picture data: the picture in a normal mode, at most `edge` on the
    long side, and its EXIF.

    The full-size picture is never held where the format allows: a JPEG decodes at the
    reduced scale (DCT scaling), an uncompressed TIFF and a PNG band by band (see bands.py).
    Other pictures are decoded whole, then reduced. The result is never `image` itself.
    With `verify` (uploads), a JPEG is also checked for the damage its decoder passes over
    (see jpeg.py); originals already in the archive were checked when they were accepted.
    """
    if image.format in ("JPEG", "MPO"):
        scale = fit(image.size, edge)
        if verify:
            jpeg.check_scan_data(Path(image.filename))
        image.draft(None, scale)
        if verify:
            image.load()
            jpeg.check_complete(Path(image.filename), image, scale)
    if tiff := TiffRows.of(image):
        exif = _exif(image)
        orientation = _orientation(exif)
        reduced = tiff.reduced(edge)
        # Pillow's TIFF loader turns the picture upright and forgets its orientation (its
        # size is upright from the start); the same here, so both ways look alike.
        if orientation in _UPRIGHT:
            reduced = reduced.transpose(_UPRIGHT[orientation])
            exif.pop(_ORIENTATION, None)
        return reduced, exif
    if png := PngRows.of(image):
        reduced = png.reduced(edge)
        exif = Image.Exif()
        if png.exif:
            exif.load(png.exif)
        return reduced, exif
    image.load()
    if image.mode in _NORMAL_MODES:
        reduced = shrink(image, edge)
        return (reduced.copy() if reduced is image else reduced), _exif(image)
    # Converted a band at a time as it is reduced: converting a palette or 16-bit picture
    # whole would hold a second, four-bytes-a-pixel copy of it.
    width = image.width
    mode = _normal_mode(image.crop((0, 0, width, 1))).mode

    def rows(first: int, last: int) -> Image.Image:
        return _normal_mode(image.crop((0, first, width, last)))

    return reduce_streamed(mode, image.size, edge, rows), _exif(image)


def _exif(image: Image.Image) -> Image.Exif:
    """The picture's EXIF; empty if it cannot be read, which is no reason to refuse it."""
    try:
        return image.getexif()
    except Exception:
        return Image.Exif()


_NORMAL_MODES = ("RGB", "RGBA", "L", "LA", "CMYK")


def _normal_mode(image: Image.Image) -> Image.Image:
    """The picture in a mode every later step handles: RGB, RGBA, L, LA or CMYK."""
    mode = image.mode
    if mode in _NORMAL_MODES:
        return image
    if mode in ("P", "PA"):
        alpha = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if alpha else "RGB")
    if mode == "1":
        return image.convert("L")
    if mode.startswith("I"):  # 16- or 32-bit grey: keep the top 8 bits of 16
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert to sRGB through the embedded profile, if any; RGB or RGBA out."""
    if not icc and image.mode in ("RGB", "RGBA"):
        return image  # untagged RGB is taken to be sRGB, as browsers take it
    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    colour = image.convert(image.mode[:-1]) if alpha is not None else image
    converted = None
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(colour, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken or mismatched profile: fall back to the plain numbers
    if converted is None:
        converted = colour.convert("RGB")
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _exif_facts(exif: Image.Exif, default_offset: str) -> ExifFacts:
    """Capture time, camera, orientation and GPS position, each only if present and sane."""
    return ExifFacts(
        captured_at=_captured_at(exif, default_offset),
        camera=_camera(exif),
        orientation=_orientation(exif),
        **dict(zip(("latitude", "longitude"), _gps(exif), strict=True)),
    )


def _orientation(exif: Image.Exif) -> int | None:
    value = exif.get(_ORIENTATION)
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _text(value: object, limit: int = 200) -> str | None:
    """An EXIF string cleaned of NULs, control characters and surrounding space."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    cleaned = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C").strip()
    return cleaned[:limit] or None


def _camera(exif: Image.Exif) -> str | None:
    """'Make Model', or the model alone when it names the make; at most CAMERA_LENGTH."""
    make, model = _text(exif.get(_MAKE)), _text(exif.get(_MODEL))
    if make and model and model.lower().startswith(make.lower().split()[0]):
        return model[:CAMERA_LENGTH]
    return " ".join(part for part in (make, model) if part)[:CAMERA_LENGTH].rstrip() or None


def _captured_at(exif: Image.Exif, default_offset: str) -> datetime | None:
    """When the photo was taken: the original time first, then digitised, then file time."""
    try:
        details = exif.get_ifd(_EXIF_IFD)
    except Exception:
        details = {}
    for time_tag, offset_tag, source in (
        (_DATETIME_ORIGINAL, _OFFSET_TIME_ORIGINAL, details),
        (_DATETIME_DIGITIZED, _OFFSET_TIME_DIGITIZED, details),
        (_DATETIME, _OFFSET_TIME, exif),
    ):
        text = _text(source.get(time_tag))
        if not text:
            continue
        try:
            local = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        if not 1826 <= local.year <= 2100:  # before the first photograph: a wrong clock
            continue
        offset = _utc_offset(_text(details.get(offset_tag)) or default_offset)
        return local.replace(tzinfo=offset).astimezone(UTC)
    return None


def _utc_offset(text: str) -> timezone:
    match = _OFFSET.match(text)
    if not match:
        return UTC
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _gps(exif: Image.Exif) -> tuple[float | None, float | None]:
    """Decimal degrees from the GPS IFD; (None, None) when absent, invalid or (0, 0)."""
    try:
        gps = exif.get_ifd(_GPS_IFD)
        latitude = _degrees(gps[_GPS_LAT], gps.get(_GPS_LAT_REF), "S")
        longitude = _degrees(gps[_GPS_LON], gps.get(_GPS_LON_REF), "W")
    except Exception:  # missing tags, zero denominators, wrong types
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    if latitude == 0 and longitude == 0:  # what receivers without a fix often write
        return None, None
    return round(latitude, 7), round(longitude, 7)


def _degrees(value: tuple, ref: object, negative: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    if result != result:  # NaN from a zero denominator
        raise ValueError("not a number")
    ref_text = _text(ref) or ""
    return -result if ref_text.upper().startswith(negative) else result
