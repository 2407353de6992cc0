"""Data in and out, timed: the spreadsheet import (dry run and real) of N generated sites
against a bare SQLAlchemy Core insert of the same rows, a whole OAI-PMH harvest, and a
backup and restore. Each measurement runs in a process of its own, so its peak memory
(ru_maxrss) is its own.

    python benchmarks/exchange.py --rows 1000 10000 --harvest 10000

Prints a Markdown table: rows (or records), seconds, rows per second, the rate as a share
of the bare insert's, peak memory and its growth over the process's start.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = "inventory_number,category,site_type,name_az,name_en,name_ru,district,clearance_status"
DISTRICTS = ("shusha", "aghdam", "fuzuli", "lachin", "kalbajar", "zangilan", "jabrayil")


def table(rows: int) -> bytes:
    """A CSV of `rows` new sites, the same for every run."""
    lines = [HEADER]
    for n in range(rows):
        district = DISTRICTS[n % len(DISTRICTS)]
        lines.append(
            f"BENCH-{n:06d},monument,mosque,Məscid {n},Mosque {n},Мечеть {n},{district},cleared"
        )
    return ("\n".join(lines) + "\n").encode()


def _app(instance: Path, *, migrate: bool = True):
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate
    from heritage import create_app

    url = f"sqlite:///{instance / 'heritage.db'}"
    if migrate and not (instance / "heritage.db").exists():
        generate(url, 0, instance_path=str(instance))
    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance)})


def _editor():
    from heritage.services import users

    return users.find_user("bench@example.org") or users.create_user(
        {"email": "bench@example.org", "role": "editor", "password": "benchmark-password-1"},
        actor=None,
    )


def measure(what: str, size: int, instance: Path) -> dict:
    """One measurement, in this process."""
    app = _app(instance, migrate=what != "restore")  # a restore wants an empty database
    with app.app_context():
        from heritage.extensions import db

        editor = _editor() if what in ("dry", "import") else None
        data = table(size) if what in ("dry", "import", "bare") else b""
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        largest = 0.0
        if what in ("dry", "import"):
            from heritage.services import importing

            report = importing.import_file(
                io.BytesIO(data), "bench.csv", actor=editor, dry_run=what == "dry"
            )
            assert not report.problems, report.problems[:3]
            count = report.count("create")
        elif what == "bare":
            from sqlalchemy import insert

            from heritage.models import Site

            rows = [
                dict(zip(HEADER.split(","), line.split(","), strict=True))
                for line in data.decode().splitlines()[1:]
            ]
            for n, row in enumerate(rows):
                row["slug"] = f"bench-{n}"
            with db.engine.begin() as connection:
                connection.execute(insert(Site), rows)
            count = len(rows)
        elif what == "harvest":
            client = app.test_client()
            url, count = "/oai?verb=ListRecords&metadataPrefix=oai_dc", 0
            while url:
                asked = time.perf_counter()
                body = client.get(url).get_data(as_text=True)
                largest = max(largest, time.perf_counter() - asked)
                count += body.count("<record>")
                token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
                url = f"/oai?verb=ListRecords&resumptionToken={token.group(1)}" if token else ""
        elif what == "backup":
            from heritage.services import backup

            backup.backup(instance.parent / "backup")
            count = 1
        elif what == "restore":
            from heritage.services import backup

            backup.restore(instance.parent / "backup")
            count = 1
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "what": what, "size": size, "count": count, "seconds": seconds,
        "peak_mib": peak / 1024, "growth_mib": (peak - start_rss) / 1024, "largest": largest,
    }  # fmt: skip


def _child(what: str, size: int, instance: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", what, str(size), str(instance)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _publish_all(instance: Path, sites: int) -> None:
    """A generated archive, its public sites entered in the harvest table as each public
    change would have."""
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate

    url = f"sqlite:///{instance / 'heritage.db'}"
    # No photo rows: the generator makes no files, and a backup refuses missing originals.
    generate(url, sites, photos_per_site=0.0, instance_path=str(instance))
    app = _app(instance)
    with app.app_context():
        from sqlalchemy import select

        from heritage.extensions import db
        from heritage.models import Site
        from heritage.services import harvest
        from heritage.services.transaction import write_transaction

        ids = db.session.scalars(select(Site.id).where(Site.status == "published")).all()
        for start in range(0, len(ids), 1000):
            with write_transaction():
                for site_id in ids[start : start + 1000]:
                    harvest.note("site", site_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--harvest", type=int, default=10000, help="sites of the harvested archive")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        what, size, instance = args.measure
        print(json.dumps(measure(what, int(size), Path(instance))))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="heritage-exchange-") as tmp:
        for rows in args.rows:
            for what in ("bare", "dry", "import"):
                instance = Path(tmp) / f"{what}-{rows}" / "instance"
                instance.mkdir(parents=True)
                results.append(_child(what, rows, instance))
        harvested = Path(tmp) / "harvest" / "instance"
        harvested.mkdir(parents=True)
        _publish_all(harvested, args.harvest)
        results.append(_child("harvest", args.harvest, harvested))
        results.append(_child("backup", args.harvest, harvested))
        restored = Path(tmp) / "harvest" / "restored"
        restored.mkdir()
        results.append(_child("restore", args.harvest, restored))
    bare = {r["size"]: r["count"] / r["seconds"] for r in results if r["what"] == "bare"}
    print("| what | rows | s | rows/s | of bare insert | peak MiB | growth MiB | slowest page s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        rate = r["count"] / r["seconds"]
        share = f"{100 * rate / bare[r['size']]:.1f}%" if r["what"] in ("dry", "import") else ""
        slowest = f"{r['largest']:.3f}" if r["what"] == "harvest" else ""
        rows_per_s = f"{rate:.0f}" if r["what"] not in ("backup", "restore") else ""
        print(
            f"| {r['what']} | {r['count']} | {r['seconds']:.2f} | {rows_per_s} | {share} | "
            f"{r['peak_mib']:.0f} | {r['growth_mib']:.0f} | {slowest} |"
        )


if __name__ == "__main__":
    main()
