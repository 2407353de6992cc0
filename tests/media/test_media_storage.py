"""Content-addressed storage: originals written once (temp file, fsync, link into place),
read-only, never overwritten; staging files that vanish; derivatives replaced atomically."""

from __future__ import annotations

import gc
import hashlib
import io
import os
import stat
import time

import pytest

from heritage.media import MediaStore
from tests.media import files


@pytest.fixture
def store(tmp_path) -> MediaStore:
    return MediaStore(tmp_path / "media")


def test_an_original_is_fsynced_before_it_appears_under_its_hash(store, monkeypatch):
    data = files.jpeg()
    digest = hashlib.sha256(data).hexdigest()
    events: list[str] = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd):
        events.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def link(source, target):
        events.append("link")
        real_link(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)

    with store.receive(io.BytesIO(data)) as staged:
        assert staged.sha256 == digest
        assert staged.size == len(data)
        assert not store.original_path(digest).exists()
        assert store.keep_original(staged) is True

    path = store.original_path(digest)
    assert path == store.root / "originals" / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    # The bytes reach the disk first, then the name, then the name is made durable.
    file_sync = events.index("fsync file")
    assert file_sync < events.index("link") < len(events) - 1
    assert events[-1] == "fsync dir"
    assert list((store.root / "tmp").iterdir()) == [], "the staging name is gone"


def test_an_existing_original_is_never_overwritten(store):
    data = files.jpeg(seed=1)
    with store.receive(io.BytesIO(data)) as staged:
        store.keep_original(staged)
    path = store.original_path(hashlib.sha256(data).hexdigest())
    before = path.stat()

    with store.receive(io.BytesIO(data)) as again:
        assert store.keep_original(again) is False

    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_staging_file_that_is_not_kept_leaves_nothing(store):
    with store.receive(io.BytesIO(b"not kept")) as staged:
        assert staged.path.exists()

    assert not staged.path.exists()
    assert files.tree(store.root) == set()


def test_a_staging_file_dropped_mid_upload_removes_itself(store):
    staged = store.staging_file()
    staged.write(b"the first half of a photo")
    path = staged.path

    del staged
    gc.collect()

    assert not path.exists()


@pytest.mark.parametrize("stream", ["staging file", "other stream"])
def test_a_received_upload_is_on_disk_whole_before_anyone_reads_its_path(store, stream):
    # Smaller than the write buffer: without a flush none of it would be in the file yet.
    data = b"tiny upload"
    if stream == "staging file":  # as Werkzeug leaves it after streaming a request body
        source = store.staging_file()
        source.write(data)
    else:
        source = io.BytesIO(data)

    with store.receive(source) as staged:
        assert staged.path.read_bytes() == data
        assert staged.sha256 == hashlib.sha256(data).hexdigest()


def test_derivatives_are_replaced_whole(store):
    digest = "ab" * 32
    store.write_derivative(digest, "thumb.webp", b"old")

    path = store.write_derivative(digest, "thumb.webp", b"new")

    assert path.read_bytes() == b"new"
    assert [p.name for p in path.parent.iterdir()] == ["thumb.webp"], "no temporary left"


def test_paths_come_only_from_hashes(store):
    with pytest.raises(ValueError, match="not a SHA-256"):
        store.original_path("../../etc/passwd")
    with pytest.raises(ValueError, match="not a SHA-256"):
        store.derivative_path("AB" * 32, "thumb.webp")


def test_staging_files_left_by_a_crash_are_swept_when_the_next_upload_arrives(store):
    # Two uploads cut off by a killed process long ago, one still arriving, and a file that
    # is none of the archive's business.
    store.tmp.mkdir(parents=True)
    left = [store.tmp / "upload-k1ll3d.part", store.tmp / "upload-p0w3r.part"]
    for path in left:
        path.write_bytes(b"half a photo")
    arriving = store.staging_file()
    arriving.write(b"the first chunk")
    arriving.flush()
    other = store.tmp / "notes.txt"
    other.write_text("someone's notes")
    long_ago = time.time() - 2 * 24 * 3600
    for path in [*left, other]:
        os.utime(path, (long_ago, long_ago))

    with store.staging_file() as new:
        remaining = {path.name for path in store.tmp.iterdir()}

    assert remaining == {arriving.path.name, new.path.name, "notes.txt"}
    assert store.sweep_staging() == 0
    arriving.close()
