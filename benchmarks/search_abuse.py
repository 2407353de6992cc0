"""Hostile anonymous search against page serving, on an archive served by gunicorn.

    python benchmarks/search_abuse.py --sites 15000 --workdir /tmp/heritage-abuse

Builds (or reuses) a synthetic archive with benchmarks/generate.py, serves it with gunicorn
(2 sync workers, as benchmarks/gallery.py does) on 127.0.0.1, and measures:

1. the hostile query — 32 unknown 12-letter words — asked alone, a few times: its time,
   status and whether the answer says it timed out;
2. the cached home page's latency alone, then while 4 anonymous clients loop on the
   hostile query, two on /search and two on /api/v1/search (each asks again as soon as it
   has an answer), with the statuses the looping clients got.

Bounded in time (every phase has a fixed length) and in requests; loopback only.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import string
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gallery import build_archive, free_port, serve

WORDS, LETTERS = 32, 12


def hostile_query(seed: int = 11) -> str:
    """32 words of 12 random letters: none of them is in the index."""
    generator = random.Random(seed)
    return " ".join(
        "".join(generator.choice(string.ascii_lowercase) for _ in range(LETTERS))
        for _ in range(WORDS)
    )


def ask(url: str, timeout: float = 60) -> tuple[int, float, bytes]:
    """(status, seconds, body) of one anonymous GET."""
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, time.perf_counter() - started, body


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def home_latencies(base: str, seconds: float, stop: threading.Event | None = None) -> list[float]:
    """The home page asked again and again for `seconds`, one request at a time."""
    latencies, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline and not (stop and stop.is_set()):
        status, took, _ = ask(base + "/")
        if status != 200:
            raise SystemExit(f"the home page answered {status}")
        latencies.append(took)
        time.sleep(0.05)  # a visitor, not a load generator
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=15000, help="synthetic sites")
    parser.add_argument("--workdir", help="keep the archive here (default: a temporary folder)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the load phase")
    parser.add_argument("--clients", type=int, default=4, help="looping hostile clients")
    parser.add_argument("--repeat", type=int, default=5, help="times the query is asked alone")
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="heritage-abuse-"))
    instance = workdir / "instance"
    env = {**__import__("os").environ, "HERITAGE_INSTANCE_PATH": str(instance)}
    env.pop("HERITAGE_DATABASE_URL", None)
    build_archive(args.sites, instance, env)
    query = hostile_query()
    port = free_port()
    with serve(["heritage:create_app()"], port, env):
        base = f"http://127.0.0.1:{port}"
        search_url = f"{base}/api/v1/search?{urlencode({'q': query})}"
        page_url = f"{base}/search?{urlencode({'q': query})}"
        ask(base + "/search?q=warm")  # the index opened, the postings cache started
        alone = []
        for _ in range(args.repeat):
            status, took, body = ask(search_url)
            answer = json.loads(body) if status == 200 else {}
            marks = "timed out" if answer.get("timed_out") else "in time"
            marks += ", truncated" if answer.get("truncated") else ""
            alone.append((status, took, marks if status == 200 else None))
            time.sleep(1)
        page_status, page_took, _ = ask(page_url)
        quiet = home_latencies(base, 5)

        stop = threading.Event()
        statuses: Counter[int] = Counter()
        search_times: list[float] = []
        lock = threading.Lock()

        def loop(url: str) -> None:
            while not stop.is_set():
                status, took, _ = ask(url)
                with lock:
                    statuses[status] += 1
                    search_times.append(took)

        # Half of them on the search page, half on the API.
        clients = [
            threading.Thread(target=loop, args=(page_url if n % 2 else search_url,))
            for n in range(args.clients)
        ]
        for client in clients:
            client.start()
        time.sleep(1)  # the clients are looping
        loaded = home_latencies(base, args.seconds)
        stop.set()
        for client in clients:
            client.join(timeout=120)

    print(f"\n{args.sites:,} synthetic sites, gunicorn 2 sync workers; query: {WORDS} unknown "
          f"{LETTERS}-letter words")  # fmt: skip
    print("| what | value |")
    print("| --- | --- |")
    times = [took for _, took, _ in alone]
    print(f"| hostile query alone, API: statuses | {', '.join(str(s) for s, _, _ in alone)} |")
    print(f"| hostile query alone, API: median / max s | {statistics.median(times):.2f} / "
          f"{max(times):.2f} |")  # fmt: skip
    print(f"| hostile query alone, API: marked | {'; '.join(str(t) for _, _, t in alone)} |")
    print(f"| hostile query alone, /search page | {page_status} in {page_took:.2f} s |")
    print(f"| home page alone: p50 / p99 ms | {percentile(quiet, 0.5) * 1000:.0f} / "
          f"{percentile(quiet, 0.99) * 1000:.0f} |")  # fmt: skip
    print(f"| home page with {args.clients} looping clients: p50 / p99 / max ms | "
          f"{percentile(loaded, 0.5) * 1000:.0f} / {percentile(loaded, 0.99) * 1000:.0f} / "
          f"{max(loaded) * 1000:.0f} ({len(loaded)} requests) |")  # fmt: skip
    answered = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    print(f"| looping clients' answers in {args.seconds:.0f} s | {answered} |")
    if search_times:
        print(f"| looping clients' answer time p50 / max s | {percentile(search_times, 0.5):.2f}"
              f" / {max(search_times):.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
