"""Media: the only code that touches the media folder or Pillow.

storage.py keeps originals (content-addressed, written once) and derivatives on disk;
images.py identifies, decodes and describes uploads; jpeg.py finds the JPEG damage Pillow's
decoder passes over; bands.py reduces big pictures a band of rows at a time; derivatives.py
renders the resized copies; pyramid.py cuts the IIIF tile pyramid and iiif.py answers IIIF
Image API requests from it; fixity.py verifies the originals. Services use the functions
below.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from heritage.media import derivatives, pyramid
from heritage.media.images import (
    ACCEPTED,
    EXTENSIONS,
    Examined,
    ExifFacts,
    ImageRefused,
    examine,
    pixels_of,
)
from heritage.media.storage import SHA256, MediaStore, StagingFile

__all__ = [
    "ACCEPTED",
    "EXTENSIONS",
    "Examined",
    "ExifFacts",
    "ImageRefused",
    "MediaStore",
    "StagingFile",
    "derivative_file",
    "examine",
    "is_sha256",
    "rebuild_derivatives",
    "tile_pyramid",
    "write_derivatives",
]


def is_sha256(text: str) -> bool:
    """Whether `text` is a SHA-256 in lowercase hex, as originals are named."""
    return bool(SHA256.match(text))


def write_derivatives(
    store: MediaStore, sha256: str, examined: Examined, *, max_pixels: int
) -> None:
    """Write the whole set of derivatives of a just-examined upload, and its IIIF tile
    pyramid (so that a viewer's first tiles are there to send, not to be cut)."""
    for name, data in derivatives.render(examined.pixels):
        store.write_derivative(sha256, name, data)
    pyramid.build(store, sha256, max_pixels=max_pixels)


def rebuild_derivatives(store: MediaStore, sha256: str, *, max_pixels: int) -> None:
    """(Re)write the whole set of derivatives of an original in the archive."""
    pixels = pixels_of(store.original_path(sha256), max_pixels=max_pixels)
    for name, data in derivatives.render(pixels):
        store.write_derivative(sha256, name, data)


def derivative_file(
    store: MediaStore,
    sha256: str,
    name: str,
    *,
    max_pixels: int,
    decoding: Callable[[], AbstractContextManager] = nullcontext,
) -> Path:
    """The file of one derivative, made (with its set) on first request if missing, inside
    `decoding()` (the caller's bound on decodes at once)."""
    if name not in derivatives.names():
        raise ValueError(f"no derivative named {name!r}")
    path = store.derivative_path(sha256, name)
    if not path.exists():
        with decoding():
            if not path.exists():  # made meanwhile by whoever held the slot before
                rebuild_derivatives(store, sha256, max_pixels=max_pixels)
    return path


def tile_pyramid(store: MediaStore, sha256: str, *, max_pixels: int) -> pyramid.Pyramid:
    """The tile pyramid of an original, made on first request if missing."""
    found = pyramid.Pyramid.of(store, sha256)
    if found.complete:
        return found
    return pyramid.build(store, sha256, max_pixels=max_pixels)
