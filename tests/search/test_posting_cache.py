"""The posting cache a search backend keeps: shared by its concurrent searches, so every
change to it is made under its lock (one backend's searches never break another's)."""

from __future__ import annotations

import sys
import threading

import numpy as np

from heritage.search.vector import PostingCache


def test_field_lengths_and_forgetting_segments_can_run_at_once():
    cache = PostingCache()
    errors: list[BaseException] = []
    start = threading.Barrier(5)

    def fill(worker: int) -> None:
        start.wait()
        try:
            for n in range(3_000):
                key = (f"segment-{n % 50}", f"field-{worker}-{n}")
                found = cache.field_lengths(key, lambda: np.ones(4, dtype=np.float32))
                assert found.shape == (4,)
        except BaseException as error:
            errors.append(error)

    def forget() -> None:
        start.wait()
        try:
            for n in range(3_000):
                # Forget one segment of 50: the others' many entries are walked through.
                cache.forget_segments({f"segment-{m}" for m in range(50) if m != n % 50})
        except BaseException as error:
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=fill, args=(w,)) for w in range(4)]
        threads.append(threading.Thread(target=forget))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []


def test_lengths_are_computed_once_per_field_and_segment():
    cache = PostingCache()
    calls = []

    def compute():
        calls.append(1)
        return np.zeros(3, dtype=np.float32)

    first = cache.field_lengths(("s1", "name"), compute)
    again = cache.field_lengths(("s1", "name"), compute)

    assert first is again
    assert len(calls) == 1
    cache.forget_segments({"s2"})
    cache.field_lengths(("s1", "name"), compute)
    assert len(calls) == 2
