"""Content-addressed storage on disk: originals written once under their SHA-256, derivatives
beside them.

Layout under the media root:

    originals/ab/cd/<sha256>              the uploaded bytes, read-only, never rewritten
    derivatives/ab/cd/<sha256>/<name>     resized copies, rebuilt at will
    tmp/                                  uploads being received; same filesystem, so a
                                          finished upload is linked into place atomically
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

CHUNK = 1 << 20
_STAGING_PREFIX = "upload-"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A staging file untouched this long (seconds) belongs to no upload still arriving: the
# process receiving it died (a crash, a power cut) before it could remove it.
STALE_STAGING = 24 * 3600


def _fsync_directory(path: Path) -> None:
    """Make a new or renamed entry in `path` survive a power cut."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_directories(path: Path) -> None:
    """Create `path` and its missing parents, each durably recorded in its parent."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        try:
            directory.mkdir()
        except FileExistsError:  # another upload made it at the same moment
            continue
        _fsync_directory(directory.parent)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class StagingFile:
    """A temporary file in the media folder that hashes what is written to it.

    Closing it removes its temporary name; an original linked into place from it stays.
    Werkzeug streams an upload's body into one (see `MediaStore.staging_file`), so the bytes
    are hashed as they arrive and are never held in memory.
    """

    def __init__(self, directory: Path) -> None:
        _make_directories(directory)
        fd, name = tempfile.mkstemp(dir=directory, prefix=_STAGING_PREFIX, suffix=".part")
        self.path = Path(name)
        self.directory = directory
        self._file = os.fdopen(fd, "w+b")
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._file.write(data)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self._file.readline(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        self._file.flush()

    @property
    def closed(self) -> bool:
        return self._file.closed

    @property
    def sha256(self) -> str:
        """The hash of everything written so far."""
        return self._digest.hexdigest()

    def finish(self) -> None:
        """Flush the bytes to the disk itself, so a power cut cannot lose them."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            # A folder that refuses writes (read-only, immutable) refuses deletions too:
            # the upload's answer says so already; sweep_staging removes the file later.
            log.warning("staging file %s left for the sweep: %s", self.path.name, error)

    def __del__(self) -> None:
        # An upload cut off mid-stream is dropped by Werkzeug without being closed. (No
        # file at all if mkstemp failed, with the disk full, say.)
        if getattr(self, "_file", None) is not None:
            self.close()

    def __enter__(self) -> StagingFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class MediaStore:
    """The media folder: where originals and derivatives live, and how they get there."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.originals = self.root / "originals"
        self.derivatives = self.root / "derivatives"
        self.tmp = self.root / "tmp"

    # --- originals ------------------------------------------------------------------------

    def original_path(self, sha256: str) -> Path:
        """Where the original with this hash lives (whether or not it is there)."""
        if not SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.originals / sha256[:2] / sha256[2:4] / sha256

    def staging_file(self) -> StagingFile:
        """A new, empty staging file for an upload; stale ones are swept away first."""
        self.sweep_staging()
        return StagingFile(self.tmp)

    def sweep_staging(self, *, older_than: float = STALE_STAGING) -> int:
        """Remove staging files left behind by uploads that never finished; how many.

        A staging file removes itself when its upload is done or dropped, but not when its
        process is killed. Uploads still arriving touch theirs as each chunk lands.
        """
        removed = 0
        cutoff = time.time() - older_than
        try:
            entries = list(os.scandir(self.tmp))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if not entry.name.startswith(_STAGING_PREFIX) or not entry.is_file():
                continue
            try:
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:  # finished or swept by another process meanwhile
                continue
        return removed

    def receive(self, stream: BinaryIO) -> StagingFile:
        """The upload as a staging file in this store, hashed; copied only if it is not one."""
        if isinstance(stream, StagingFile) and stream.directory == self.tmp:
            staged = stream
        else:
            staged = self.staging_file()
            try:
                shutil.copyfileobj(stream, staged, CHUNK)
            except BaseException:
                staged.close()
                raise
        # What is still in the write buffer must reach the file before anything reads it by
        # its path (a small upload may not have left the buffer at all).
        staged.flush()
        return staged

    def keep_original(self, staged: StagingFile) -> bool:
        """Put a staged upload in place as an original; False if that original was there.

        The bytes are fsynced, the file made read-only, then hard-linked to its final name:
        a link never replaces an existing file, so an original is never rewritten, and the
        name appears only once the content is complete.
        """
        staged.finish()
        final = self.original_path(staged.sha256)
        _make_directories(final.parent)
        os.chmod(staged.path, 0o444)
        try:
            os.link(staged.path, final)
        except FileExistsError:
            return False
        _fsync_directory(final.parent)
        return True

    def remove_new_original(self, sha256: str) -> None:
        """Take back an original placed by an upload whose database row was never committed."""
        path = self.original_path(sha256)
        path.unlink(missing_ok=True)
        _fsync_directory(path.parent)

    def iter_originals(self) -> Iterator[Path]:
        """Every file under originals/, whatever its name, in a stable order."""
        if not self.originals.is_dir():
            return
        for directory, subdirectories, files in os.walk(self.originals):
            subdirectories.sort()
            for name in sorted(files):
                yield Path(directory) / name

    def sha256_of_path(self, path: Path) -> str | None:
        """The hash a file's place under originals/ claims, or None if it is out of place."""
        if SHA256.match(path.name) and path == self.original_path(path.name):
            return path.name
        return None

    # --- derivatives ----------------------------------------------------------------------

    def derivative_path(self, sha256: str, name: str) -> Path:
        """Where one derivative of an original lives, e.g. name='thumb.webp'."""
        if not SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.derivatives / sha256[:2] / sha256[2:4] / sha256 / name

    def write_derivative(self, sha256: str, name: str, data: bytes) -> Path:
        """Write a derivative atomically: readers see the old file or the new, never half.

        No fsync: derivatives are derived data, rebuilt by `heritage derivatives`.
        """
        path = self.derivative_path(sha256, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def remove_derivatives_except(self, keep: set[str]) -> int:
        """Delete the derivatives of every original not in `keep`; how many sets went."""
        removed = 0
        if not self.derivatives.is_dir():
            return removed
        for folder in sorted(self.derivatives.glob("*/*/*")):
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder)
                removed += 1
        return removed
