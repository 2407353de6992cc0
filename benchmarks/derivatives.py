"""How fast heritage makes a photo's derivatives, against libvips making the same set.

For a 24-megapixel JPEG, a 12-megapixel PNG and a 50-megapixel TIFF (generated here, photo
like, reproducible), it times heritage's code producing the whole set (every size in WebP and
JPEG, from the file on disk) and libvips (pyvips) producing the same sizes and formats with
the same encoder settings, each in a fresh process, and prints the time ratio and the peak
memory each needed.

libvips is measured two ways and the faster counts: one `thumbnail` per size from the file
(shrink-on-load each time), and one `thumbnail` to the largest size followed by each smaller
size from the one before (heritage's own strategy). Peak memory is the growth of the resident
set over the process's baseline once its libraries are imported.

    pip install pyvips pyvips-binary   # only for this benchmark; not a heritage requirement
    .venv/bin/python benchmarks/derivatives.py [--repeat 5] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INPUTS = {
    "24 MP JPEG": ("photo-24mp.jpg", (6000, 4000)),
    "12 MP PNG": ("photo-12mp.png", (4243, 2828)),
    "50 MP TIFF": ("photo-50mp.tif", (8660, 5773)),
}
CONTENDERS = ("heritage", "libvips: thumbnail per size", "libvips: one thumbnail, then chain")


def make_inputs(folder: Path) -> dict[str, Path]:
    """Photo-like test images (gradients, noise, hard edges), made once per folder."""
    from PIL import Image, ImageDraw

    paths = {}
    for label, (name, size) in INPUTS.items():
        path = folder / name
        paths[label] = path
        if path.exists():
            continue
        width, height = size
        rng = random.Random(name)
        # Low-frequency structure at a quarter of the size, then full-size grain on top.
        small = (width // 4, height // 4)
        sky = Image.linear_gradient("L").resize(small)
        texture = Image.effect_noise(small, 60)
        base = Image.merge("RGB", (sky, texture, sky.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
        draw = ImageDraw.Draw(base)
        for _ in range(400):
            x, y = rng.randrange(small[0]), rng.randrange(small[1])
            w, h = rng.randrange(5, 120), rng.randrange(5, 120)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.rectangle([x, y, x + w, y + h], fill=colour)
        picture = base.resize(size, Image.Resampling.BICUBIC)
        grain = Image.effect_noise(size, 14)
        picture = Image.composite(
            picture, Image.merge("RGB", (grain, grain, grain)), Image.new("L", size, 225)
        )
        if path.suffix == ".jpg":
            picture.save(path, quality=90)
        elif path.suffix == ".png":
            picture.save(path, compress_level=6)
        else:
            picture.save(path)  # uncompressed, as scanners and archives often keep masters
    return paths


def heritage_set(path: Path) -> int:
    """heritage: the derivatives of an original, as `heritage derivatives --rebuild` makes them."""
    from heritage.media import derivatives, pixels_of

    pixels = pixels_of(path, max_pixels=120_000_000)
    return sum(len(data) for _name, data in derivatives.render(pixels))


def _vips_save(image, total: int) -> int:
    from heritage.media.derivatives import FORMATS

    webp = FORMATS["webp"][1]
    jpeg = FORMATS["jpg"][1]
    total += len(image.webpsave_buffer(Q=webp["quality"], effort=webp["method"]))
    total += len(image.jpegsave_buffer(Q=jpeg["quality"]))
    return total


def vips_per_size(path: Path) -> int:
    """libvips: one thumbnail per size, straight from the file."""
    import pyvips

    from heritage.media.derivatives import SIZES

    total = 0
    for edge in SIZES.values():
        image = pyvips.Image.thumbnail(str(path), edge, size="down").copy_memory()
        total = _vips_save(image, total)
    return total


def vips_chain(path: Path) -> int:
    """libvips: a thumbnail to the largest size, then each size from the one before."""
    import pyvips

    from heritage.media.derivatives import SIZES

    total = 0
    image = None
    for edge in SIZES.values():
        if image is None:
            image = pyvips.Image.thumbnail(str(path), edge, size="down").copy_memory()
        elif max(image.width, image.height) > edge:
            image = image.thumbnail_image(edge, size="down").copy_memory()
        total = _vips_save(image, total)
    return total


WORKERS = {
    "heritage": heritage_set,
    "libvips: thumbnail per size": vips_per_size,
    "libvips: one thumbnail, then chain": vips_chain,
}


def _memory_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def worker(contender: str, path: Path, repeat: int) -> dict:
    """Run in a fresh process: peak memory over every run, time over all but the first."""
    run = WORKERS[contender]
    # Both read their settings from heritage, so both processes import it (and Pillow).
    from heritage.media import derivatives  # noqa: F401

    if contender.startswith("libvips"):
        import pyvips

        pyvips.cache_set_max(0)  # every run decodes from the file, as heritage's does
    baseline = _memory_kib("VmRSS")  # libraries imported, nothing decoded yet
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset the peak resident set size (VmHWM) to the current size
    run(path)  # the first run also loads codecs and warms the page cache: not timed
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(path)
        times.append(time.perf_counter() - start)
    peak = _memory_kib("VmHWM")
    return {
        "best_ms": min(times) * 1000,
        "median_ms": statistics.median(times) * 1000,
        "peak_mib": max(0, peak - baseline) / 1024,
    }


def measure(contender: str, path: Path, repeat: int) -> dict:
    command = [sys.executable, __file__, "--worker", contender, str(path), str(repeat)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (default 5)")
    parser.add_argument("--workdir", type=Path, help="keep the generated inputs here")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        contender, path, repeat = args.worker
        print(json.dumps(worker(contender, Path(path), int(repeat))))
        return

    folder = args.workdir or Path(tempfile.mkdtemp(prefix="heritage-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Inputs in {folder}; {args.repeat} timed runs each; {os.cpu_count()} CPUs.")
    inputs = make_inputs(folder)
    header = (
        f"{'input':<12} {'heritage ms':>11} {'libvips ms':>10} {'ratio':>6} "
        f"{'heritage MiB':>12} {'libvips MiB':>11} {'ratio':>6}  libvips way"
    )
    print(header)
    print("-" * len(header))
    for label, path in inputs.items():
        results = {contender: measure(contender, path, args.repeat) for contender in CONTENDERS}
        ours = results["heritage"]
        way, theirs = min(
            ((name, r) for name, r in results.items() if name != "heritage"),
            key=lambda item: item[1]["best_ms"],
        )
        print(
            f"{label:<12} {ours['best_ms']:>11.0f} {theirs['best_ms']:>10.0f} "
            f"{ours['best_ms'] / theirs['best_ms']:>6.2f} {ours['peak_mib']:>12.0f} "
            f"{theirs['peak_mib']:>11.0f} {ours['peak_mib'] / max(theirs['peak_mib'], 1):>6.2f}"
            f"  {way.removeprefix('libvips: ')}"
        )
        for name, r in results.items():
            print(
                f"    {name:<36} best {r['best_ms']:6.0f} ms  median {r['median_ms']:6.0f} ms  "
                f"peak +{r['peak_mib']:.0f} MiB"
            )


if __name__ == "__main__":
    main()
