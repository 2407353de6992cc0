"""A bounded number of slots for costly work, shared by every process of one host.

A slot is a file lock (flock) on one of `count` files in the instance folder: the kernel
releases it when its holder ends, even by SIGKILL, so no slot is ever lost; and it bounds
threads and processes alike (gunicorn's sync workers are processes, each running one request,
so a per-process semaphore would bound nothing there).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How often a caller waiting for a slot looks again.
POLL = 0.02


@contextmanager
def slot(folder: str | Path, name: str, count: int, *, wait: float) -> Iterator[bool]:
    """Hold one of `count` slots called `name` for the with-block, waiting up to `wait`
    seconds for one to free up; yields whether a slot was had (False: all stayed taken)."""
    root = Path(folder) / "slots"
    root.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for number in range(count):
            descriptor = os.open(root / f"{name}-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            try:
                yield True
            finally:
                # Closing the file releases its lock.
                os.close(descriptor)
            return
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(POLL)
