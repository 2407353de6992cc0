"""How fast the public gallery serves, against a bare Flask app serving the same page.

    python benchmarks/gallery.py                    # the demo archive
    python benchmarks/gallery.py --sites 100000     # a synthetic archive (benchmarks/generate.py)

Both apps run under gunicorn (2 sync workers) on 127.0.0.1 and are loaded with wrk
(`apt-get install wrk`), one URL at a time, for a fixed number of seconds. The bare app returns
the site page's HTML from memory: the ceiling for any Flask app on this machine. Rows:

- cached: the pages as a returning visitor or a second visitor gets them, from the page cache;
- under writes: the cached site page while a writer saves one unrelated site (the one
  farthest from it) through the service layer every 0.5 s, as staff at work would;
- uncached: the page cache off, so every request renders (what the first visit after a
  change costs), with and without the writer.

Prints requests per second, p50 and p99 latency, the ratio against the bare app, and the
workers' resident memory after each row.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
WORKERS = 2
# How often the writer saves.
WRITE_EVERY = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=0, help="synthetic sites (0: the demo)")
    parser.add_argument("--seconds", type=int, default=10, help="load per URL (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--workdir", help="keep the archive here (default: a temporary folder)")
    parser.add_argument("--query", default="Şuşa", help="the search to measure")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="heritage-gallery-"))
    instance = workdir / "instance"
    env = {**os.environ, "HERITAGE_INSTANCE_PATH": str(instance)}
    env.pop("HERITAGE_DATABASE_URL", None)
    build_archive(args.sites, instance, env)
    slug, photos = busiest_site(env)
    search = f"/search?q={quote(args.query)}"

    app_port, bare_port = free_port(), free_port()
    rows = []
    with serve(["heritage:create_app()"], app_port, env) as app_pids:
        base = f"http://127.0.0.1:{app_port}"
        page_url = f"/sites/{slug}"
        html, etag = fetch(base + page_url)
        bare_module = write_bare_app(workdir, html)
        with serve(["bare_app:app"], bare_port, {**env, "PYTHONPATH": str(workdir)}) as pids:
            bare = measure(f"http://127.0.0.1:{bare_port}/", args, pids)
        rows.append(("bare Flask app, same HTML", bare))
        for name, url, headers in (
            ("/", "/", {}),
            ("/sites", "/sites", {}),
            (f"site page ({photos} photos)", page_url, {}),
            ("site page, If-None-Match", page_url, {"If-None-Match": etag}),
            (f"/search?q={args.query}", search, {}),
        ):
            rows.append((name, measure(base + url, args, app_pids, headers)))
        with writing(slug, env) as saves:
            rows.append(("site page, under writes", measure(base + page_url, args, app_pids)))
        rows[-1] += (saves,)
    bare_module.unlink()
    # The same pages rendered for every request: what a first visit to each page costs.
    uncached = {**env, "HERITAGE_PUBLIC_PAGE_CACHE_BYTES": "0"}
    with serve(["heritage:create_app()"], app_port, uncached) as app_pids:
        for name, url in (
            ("/, uncached", "/"),
            ("/sites, uncached", "/sites"),
            ("site page, uncached", page_url),
            (f"/search?q={args.query}, uncached", search),
        ):
            rows.append((name, measure(base + url, args, app_pids)))
        with writing(slug, env) as saves:
            rows.append(
                ("site page, uncached, under writes", measure(base + page_url, args, app_pids))
            )
        rows[-1] += (saves,)

    archive = f"{args.sites:,} synthetic sites" if args.sites else "the demo archive"
    print(f"\nGallery on {archive}: gunicorn, {WORKERS} sync workers, wrk "
          f"{args.connections} connections × {args.seconds} s per row")  # fmt: skip
    print("| what | req/s | p50 ms | p99 ms | vs bare | workers' memory MB |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, result, *saves in rows:
        rate, p50, p99, memory = result
        said = f" ({saves[0][0]} saves)" if saves else ""
        print(
            f"| {name}{said} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {rate / bare[0]:.1%} "
            f"| {', '.join(f'{m:.0f}' for m in memory)} |"
        )


def measure(url: str, args, pids: list[int], headers: dict | None = None) -> tuple:
    """(requests per second, p50 ms, p99 ms, each worker's resident memory in MB after)."""
    rate, p50, p99 = load(url, args, headers)
    return rate, p50, p99, [rss_mb(pid) for pid in pids]


# Saves one published site, the farthest from the measured one (nothing of it is on that
# page), through the service layer every WRITE_EVERY seconds, until stopped; prints how
# many saves it made.
WRITER = """
import signal, sys, time
from sqlalchemy import func, select
from heritage import create_app
from heritage.extensions import db
from heritage.models import Site, User
from heritage.services import sites, users

stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
with create_app().app_context():
    measured = db.session.scalar(select(Site).where(Site.slug == sys.argv[1]))
    distance = func.abs(Site.latitude - measured.latitude) + func.abs(
        Site.longitude - measured.longitude
    )
    target = db.session.scalar(
        select(Site.id).where(Site.status == "published", Site.latitude.is_not(None))
        .order_by(distance.desc()).limit(1)
    )
    email = "bench-writer@heritage.invalid"
    writer = db.session.scalar(select(User).where(User.email == email)) or users.create_user(
        {"email": email, "role": "editor", "name": "Benchmark writer",
         "password": "benchmark writer"}, actor=None,
    )
    saves = 0
    while not stop:
        site = sites.get_site(target, actor=writer)
        condition = "fair" if site.condition != "fair" else "poor"
        sites.update_site(target, {"condition": condition}, actor=writer, version=site.version)
        db.session.remove()
        saves += 1
        time.sleep(float(sys.argv[2]))
    print(saves)
"""


@contextmanager
def writing(slug: str, env: dict):
    """Run the writer for the length of a with-block; yields a list that then holds the
    number of saves it made."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, slug, str(WRITE_EVERY)], env=env, stdout=subprocess.PIPE
    )
    saves: list[int] = []
    time.sleep(2 * WRITE_EVERY)  # let it start saving
    try:
        yield saves
    finally:
        writer.send_signal(signal.SIGTERM)
        out, _err = writer.communicate(timeout=60)
        if writer.returncode:
            raise SystemExit("the writer failed")
        saves.append(int(out.decode().split()[-1]))


def build_archive(sites: int, instance: Path, env: dict) -> None:
    """The demo archive, or `sites` synthetic ones, with their search index."""
    if (instance / "heritage.db").exists():
        return
    heritage = str(Path(sys.executable).with_name("heritage"))
    if sites:
        sys.path.insert(0, str(REPO))
        from benchmarks.generate import generate

        generate(f"sqlite:///{instance / 'heritage.db'}", sites, instance_path=str(instance))
        subprocess.run([heritage, "reindex"], env=env, check=True)
    else:
        subprocess.run([heritage, "demo"], env=env, check=True)


def busiest_site(env: dict) -> tuple[str, int]:
    """The published site with the most published photos (12 if there is one), and that count."""
    code = textwrap.dedent(
        """
        from sqlalchemy import func, select
        from heritage import create_app
        from heritage.extensions import db
        from heritage.models import Photo, Site
        with create_app().app_context():
            photos = func.count(Photo.id)
            row = db.session.execute(
                select(Site.slug, photos).join(Photo, Photo.site_id == Site.id)
                .where(Site.status == "published", Photo.status == "published")
                .group_by(Site.id, Site.slug).order_by(func.abs(photos - 12), Site.id).limit(1)
            ).first() or db.session.execute(
                select(Site.slug, 0).where(Site.status == "published").limit(1)
            ).first()
            print(row[0], row[1])
        """
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    slug, count = out.stdout.decode().split()
    return slug, int(count)


class serve:
    """gunicorn with `workers` sync workers on a port, for the length of a with-block;
    `target` is the app (and any further options), `stderr` where its log goes."""

    def __init__(
        self, target: list[str], port: int, env: dict, *, workers: int = WORKERS, stderr=None
    ) -> None:
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            *target,
        ]
        self.port, self.env, self.stderr = port, env, stderr

    def __enter__(self) -> list[int]:
        self.process = subprocess.Popen(self.command, env=self.env, stderr=self.stderr)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        time.sleep(1)  # let every worker boot
        return worker_pids(self.process.pid)

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def load(url: str, args, headers: dict | None = None) -> tuple[float, float, float]:
    """(requests per second, p50 and p99 latency in ms) under wrk, after a short warm-up."""
    # A returning English-speaking visitor: the browser says which language.
    headers = {"Accept-Language": "en", **(headers or {})}
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    base = ["wrk", "-t2", f"-c{args.connections}", "--latency", *header_args]
    subprocess.run([*base, "-d2s", url], check=True, capture_output=True)
    out = subprocess.run([*base, f"-d{args.seconds}s", url], check=True, capture_output=True)
    text = out.stdout.decode()
    if "Non-2xx or 3xx responses" in text:
        raise SystemExit(f"errors while loading {url}:\n{text}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    return rate, _latency(text, "50%"), _latency(text, "99%")


def _latency(text: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def fetch(url: str) -> tuple[bytes, str]:
    english = urllib.request.Request(url, headers={"Accept-Language": "en"})
    with urllib.request.urlopen(english, timeout=30) as response:
        return response.read(), response.headers["ETag"]


def write_bare_app(workdir: Path, html: bytes) -> Path:
    (workdir / "page.html").write_bytes(html)
    module = workdir / "bare_app.py"
    module.write_text(
        textwrap.dedent(
            f"""
            from flask import Flask
            app = Flask(__name__)
            PAGE = open({str(workdir / "page.html")!r}, "rb").read()

            @app.get("/")
            def page():
                return PAGE, 200, {{"Content-Type": "text/html; charset=utf-8"}}
            """
        )
    )
    return module


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
