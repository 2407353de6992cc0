"""How fast heritage cuts a photo's IIIF tile pyramid and serves its tiles.

For a 24-megapixel JPEG and a 50-megapixel TIFF (benchmarks/derivatives.py's inputs), it
times heritage cutting the whole pyramid (256-pixel tiles at every scale factor) in a fresh
process, with its peak memory and the pyramid's size on disk, against libvips (`pyvips`
dzsave in the IIIF 3 layout, if installed: `pip install pyvips pyvips-binary`, only for this
benchmark), taking turns, the best of `--repeat` runs each: the elapsed time, and the CPU
time the process used (on a shared machine, the elapsed time also counts the waits for a
core, which favour whoever runs more threads). Then it serves an archive holding the JPEG
under gunicorn (2 sync workers) and times, one request at a time after a warm-up: stored
tiles asked at random (every level), the same number of requests for a static derivative
(the bytes-on-disk baseline), and composed pictures (random regions at random sizes, which
no stored tile answers).

    .venv/bin/python benchmarks/iiif.py [--requests 500] [--repeat 3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.derivatives import make_inputs  # noqa: E402
from benchmarks.gallery import free_port, serve  # noqa: E402

MEASURED = ("24 MP JPEG", "50 MP TIFF")

_HERITAGE_PYRAMID = """
import json, resource, shutil, sys, time
from pathlib import Path
from heritage.media import MediaStore, pyramid
from heritage.media.storage import file_sha256
source, root = Path(sys.argv[1]), Path(sys.argv[2])
store = MediaStore(root)
sha = file_sha256(source)
store.original_path(sha).parent.mkdir(parents=True, exist_ok=True)
shutil.copyfile(source, store.original_path(sha))
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
built = pyramid.build(store, sha, max_pixels=120_000_000)
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
peak = after.ru_maxrss - before.ru_maxrss
size = sum(p.stat().st_size for p in built.folder.rglob("*") if p.is_file())
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024, "bytes": size}))
"""

_LIBVIPS_PYRAMID = """
import json, resource, sys, time
from pathlib import Path
import pyvips
source, out = sys.argv[1], Path(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
image = pyvips.Image.new_from_file(source, access="sequential").autorot()
image.dzsave(str(out / "tiles"), layout="iiif3", tile_size=256, overlap=0, suffix=".jpg[Q=82]")
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
peak = after.ru_maxrss - before.ru_maxrss
size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024, "bytes": size}))
"""

_ARCHIVE = """
import io, sys
from pathlib import Path
from heritage import create_app
from heritage.cli import upgrade_database
from heritage.services import photos, sites, users
app = create_app()
with app.app_context():
    upgrade_database()
    editor = users.create_user({"email": "bench@example.org", "role": "editor",
                                "name": "Bench", "password": "correct horse battery"}, actor=None)
    site = sites.create_site({"category": "monument", "site_type": "mosque",
                              "name_en": "Benchmark mosque", "district": "shusha",
                              "clearance_status": "cleared", "clearance_date": "2021-03-01"},
                             actor=editor)
    site = sites.submit_site(site.id, actor=editor, version=site.version)
    site = sites.publish_site(site.id, actor=editor, version=site.version)
    data = {"caption_en": "Benchmark", "alt_en": "A photo", "licence": "CC-BY-4.0"}
    with open(sys.argv[1], "rb") as handle:
        photo = photos.upload_photo(site.id, handle, "photo.jpg", data, actor=editor).photo
    photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)
    derivatives = f"{photo.sha256}/{photo.derivative_key}"
    print(photo.iiif_identifier, derivatives, photo.width, photo.height)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per row")
    parser.add_argument("--repeat", type=int, default=3, help="pyramid runs each (best of)")
    parser.add_argument("--workdir", help="keep inputs here (default: a temporary folder)")
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="heritage-iiif-"))
    workdir.mkdir(parents=True, exist_ok=True)
    inputs = make_inputs(workdir)

    print(
        "Tile pyramid (256-px tiles, every scale factor), fresh process each, "
        f"best of {args.repeat}:"
    )
    print(
        f"{'input':12} {'who':9} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'disk MB':>8} "
        f"{'vs original':>12}"
    )
    contenders = {"heritage": _HERITAGE_PYRAMID}
    if subprocess.run([sys.executable, "-c", "import pyvips"], capture_output=True).returncode:
        print("(pyvips not installed: heritage alone)")
    else:
        contenders["libvips"] = _LIBVIPS_PYRAMID
    for label in MEASURED:
        source = inputs[label]
        original = source.stat().st_size
        runs: dict[str, list[dict]] = {who: [] for who in contenders}
        for _ in range(args.repeat):
            for who, code in contenders.items():  # in turns, so both see the same load
                out = Path(tempfile.mkdtemp(dir=workdir, prefix=f"{who}-"))
                command = [sys.executable, "-c", code, str(source), str(out)]
                ran = subprocess.run(command, check=True, capture_output=True, text=True)
                runs[who].append(json.loads(ran.stdout))
                shutil.rmtree(out)
        for who, found in runs.items():
            size = found[0]["bytes"]
            print(
                f"{label:12} {who:9} {min(r['seconds'] for r in found):8.2f} "
                f"{min(r['cpu'] for r in found):8.2f} {min(r['peak_mb'] for r in found):8.0f} "
                f"{size / 2**20:8.1f} {size / original:12.2f}"
            )

    instance = workdir / "instance"
    shutil.rmtree(instance, ignore_errors=True)
    env = {**os.environ, "HERITAGE_INSTANCE_PATH": str(instance)}
    env.pop("HERITAGE_DATABASE_URL", None)
    env["HERITAGE_MEDIA_ROOT"] = str(instance / "media")
    made = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_ARCHIVE), str(inputs["24 MP JPEG"])],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    identifier, derivatives, width, height = made.stdout.split()[-4:]
    width, height = int(width), int(height)
    port = free_port()
    rng = random.Random(16)
    with serve(["heritage:create_app()"], port, env):
        base = f"http://127.0.0.1:{port}"
        tiles = [f"{base}/iiif/3/{identifier}/{path}" for path in tile_paths(width, height)]
        static = [f"{base}/media/{derivatives}/display.jpg"]
        composed = [
            f"{base}/iiif/3/{identifier}/{path}" for path in composed_paths(width, height, rng)
        ]
        for url in tiles[:50] + static:
            fetch(url)  # warm-up
        rows = [
            ("stored tile, at random", timed(rng.choices(tiles, k=args.requests))),
            ("static derivative (display.jpg)", timed(static * args.requests)),
            ("composed region and size", timed(composed[: args.requests])),
        ]
    print(f"\nServing the 24 MP JPEG: gunicorn, 2 sync workers, {args.requests} requests a row")
    print(f"{'what':34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (p50, p95) in rows:
        print(f"{name:34} {p50:8.1f} {p95:8.1f}")


def tile_paths(width: int, height: int) -> list[str]:
    """Every tile of the pyramid, as OpenSeadragon asks for them."""
    paths = []
    scale = 1
    while True:
        span = 256 * scale
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                size = f"{math.ceil(w / scale)},{math.ceil(h / scale)}"
                paths.append(f"{x},{y},{w},{h}/{size}/0/default.jpg")
        if math.ceil(width / scale) <= 256 and math.ceil(height / scale) <= 256:
            return paths
        scale *= 2


def composed_paths(width: int, height: int, rng: random.Random, count: int = 2000) -> list[str]:
    """Regions no tile answers: random places, 200 to 2000 pixels, shown at 100 to 600."""
    paths = []
    for _ in range(count):
        w, h = rng.randrange(200, 2000), rng.randrange(200, 2000)
        x, y = rng.randrange(0, width - w), rng.randrange(0, height - h)
        edge = rng.randrange(100, min(600, w, h) + 1)
        paths.append(f"{x},{y},{w},{h}/!{edge},{edge}/0/default.jpg")
    return paths


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def timed(urls: list[str]) -> tuple[float, float]:
    """(p50, p95) in milliseconds of fetching each URL in turn."""
    times = []
    for url in urls:
        started = time.perf_counter()
        fetch(url)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times), cuts[18]


if __name__ == "__main__":
    main()
