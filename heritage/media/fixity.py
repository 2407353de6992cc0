"""Fixity: re-hash every original and compare it with what the archive expects. Never repairs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from heritage.media.storage import MediaStore, file_sha256


@dataclass
class FixityFindings:
    """What a check found; paths are relative to the media root."""

    files: int = 0
    bytes_read: int = 0
    # (expected sha256, path, sha256 found or None if unreadable)
    changed: list[tuple[str, str, str | None]] = field(default_factory=list)
    # expected sha256s with no file
    missing: list[str] = field(default_factory=list)
    # (path, sha256 found or None if unreadable)
    untracked: list[tuple[str, str | None]] = field(default_factory=list)


def total_bytes(store: MediaStore) -> int:
    """How many bytes a check will read, for a progress bar."""
    return sum(path.stat().st_size for path in store.iter_originals())


def check(
    store: MediaStore, expected: set[str], progress: Callable[[int], None] | None = None
) -> FixityFindings:
    """Hash every file under originals/ against `expected` (the hashes the database holds).

    `progress` is called with the bytes of each file once it is read.
    """
    findings = FixityFindings()
    seen: set[str] = set()
    for path in store.iter_originals():
        relative = str(path.relative_to(store.root))
        claimed = store.sha256_of_path(path)
        found = _hash_or_none(path)
        size = path.stat().st_size if path.exists() else 0
        findings.files += 1
        findings.bytes_read += size
        if claimed is None or claimed not in expected:
            findings.untracked.append((relative, found))
        else:
            seen.add(claimed)
            if found != claimed:
                findings.changed.append((claimed, relative, found))
        if progress:
            progress(size)
    findings.missing = sorted(expected - seen)
    return findings


def _hash_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:  # unreadable: reported as changed or untracked, never skipped
        return None
