"""Search at scale: heritage's search service against SQLite FTS5 on the same archive.

    python benchmarks/search.py --sites 100000 --workdir /tmp/heritage-search-bench

Generates the archive with benchmarks/generate.py (or reuses the one in the work folder),
rebuilds heritage's index and an FTS5 table (unicode61 remove_diacritics 2, facets by
GROUP BY) from the same records, then runs a fixed mix of queries (common and rare words,
phrases, prefixes, typos, transliterated names, facet filters) through both, in a fresh
process that serves nothing else, and prints p50/p95 per kind of query, their ratios, the
build rates, index sizes and peak memory. Results are also written as JSON.

Two measures per engine: "top 20": the 20 best published hits with their exact count;
"page": what the public search page needs on top (facet counts, and for heritage the
database re-check and highlighted snippets).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

KINDS = ("common", "rare", "phrase", "prefix", "typo", "transliterated", "facet")
QUERIES_PER_KIND = 30
FACETS = (
    "kind",
    "category",
    "site_type",
    "district",
    "condition",
    "clearance_status",
    "work_type",
    "century",
)
COMMON = (
    "mosque", "bridge", "restoration", "conservation", "məscid", "körpü", "мечеть",
    "реставрация", "stone", "limestone", "portal", "dome", "spring", "bulaq", "kilsə",
    "church", "cemetery", "qəbiristanlıq", "кладбище", "fortress", "qala", "крепость",
    "mausoleum", "türbə", "мавзолей", "survey", "roof", "wall", "tower", "lime mortar",
)  # fmt: skip
TARGETS = {"top20": 3.0, "page": 5.0}


def _load_generator():
    path = Path(__file__).with_name("generate.py")
    spec = importlib.util.spec_from_file_location("benchmarks_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _app(database_url: str, workdir: Path, processes: int):
    from heritage import create_app

    return create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(workdir / "instance"),
            "INDEX_DIR": str(workdir / "index"),
            "SECRET_KEY": "search-benchmark",
            "SEARCH_BUILD_PROCESSES": processes,
            # Measure the engine, not the time limit.
            "SEARCH_TIME_LIMIT": 30.0,
        }
    )


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the archive and the two indexes --------------------------------------------------------


def ensure_archive(database_url: str, sites: int) -> None:
    """Generate the archive unless the database already holds it."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            existing = connection.scalar(text("SELECT count(*) FROM sites"))
    except Exception:
        existing = 0
    finally:
        engine.dispose()
    if existing >= sites:
        _log(f"reusing the archive of {existing:,} sites at {database_url}")
        return
    _log(f"generating {sites:,} sites …")
    started = time.perf_counter()
    counts = _load_generator().generate(database_url, sites, seed=1)
    _log(f"generated {counts} in {time.perf_counter() - started:.0f} s")


def build_heritage(app) -> dict[str, Any]:
    """Rebuild heritage's index; its time, rate, size and the build's peak memory."""
    from heritage.search import get_backend
    from heritage.services import indexing

    with app.app_context():
        started = time.perf_counter()
        cpu_before = _cpu_seconds()
        last = [started]

        def progress(done: int) -> None:
            if time.perf_counter() - last[0] > 15:
                last[0] = time.perf_counter()
                _log(f"  {done:,} entries, {done / (last[0] - started):,.0f}/s")

        entries = indexing.rebuild(progress=progress)
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        stats = get_backend().stats()
    return {
        "entries": entries,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rate": entries / seconds,
        "bytes": stats["bytes"],
        "peak_rss_builder_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the build processes): what the
    build costs whatever else the machine is running."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build_fts5(app, path: Path) -> dict[str, Any]:
    """The same entries in an FTS5 table, with their facets in a plain table."""
    from heritage.services import indexing

    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(
        f"""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE fts USING fts5(
            names, body, tokenize='unicode61 remove_diacritics 2');
        CREATE TABLE docs (rowid INTEGER PRIMARY KEY, entity_id INTEGER, public INTEGER,
                           {", ".join(FACETS)});
        """
    )
    started = time.perf_counter()
    entries = 0
    with app.app_context():
        batch_fts, batch_docs = [], []
        for document in indexing.shard_documents(0, 1):
            entries += 1
            names = "\n".join(filter(None, document.names))
            body = "\n".join(filter(None, [*document.short, *document.text]))
            batch_fts.append((entries, names, body))
            facets = [document.facets.get(name) for name in FACETS]
            batch_docs.append((entries, document.entity_id, int(document.public), *facets))
            if len(batch_fts) >= 5000:
                _insert(connection, batch_fts, batch_docs)
                batch_fts, batch_docs = [], []
        _insert(connection, batch_fts, batch_docs)
    for name in ("public", "district", "site_type", "century", "kind"):
        connection.execute(f"CREATE INDEX docs_{name} ON docs ({name})")
    connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    connection.commit()
    connection.close()
    seconds = time.perf_counter() - started
    return {"entries": entries, "seconds": seconds, "bytes": path.stat().st_size}


def _insert(connection, fts_rows, doc_rows) -> None:
    connection.executemany("INSERT INTO fts(rowid, names, body) VALUES (?, ?, ?)", fts_rows)
    marks = ", ".join("?" * (3 + len(FACETS)))
    connection.executemany(f"INSERT INTO docs VALUES ({marks})", doc_rows)


# --- the query mix --------------------------------------------------------------------------


def query_mix(app, seed: int = 42) -> list[dict[str, Any]]:
    """The fixed mix: QUERIES_PER_KIND of each kind, drawn from the archive with a seed."""
    from heritage.extensions import db
    from heritage.models import Site

    generator = _load_generator()
    rng = random.Random(seed)
    with app.app_context():
        top = db.session.scalar(select(func.max(Site.id)))
        chosen = rng.sample(range(1, top + 1), 400)
        sites = {
            site.id: site for site in db.session.scalars(select(Site).where(Site.id.in_(chosen)))
        }
        sample = [sites[i] for i in chosen if i in sites]
        db.session.expunge_all()
    word = re.compile(r"[^\W\d_]{4,}")

    def name_words(site) -> list[str]:
        return word.findall(site.name_az or "")

    mix: list[dict[str, Any]] = []

    def add(kind: str, q: str, **filters: list[str]) -> None:
        mix.append({"kind": kind, "q": q, "filters": filters})

    for q in COMMON[:QUERIES_PER_KIND]:
        add("common", f'"{q}"' if " " in q else q)
    pool = iter(sample)
    while sum(item["kind"] == "rare" for item in mix) < QUERIES_PER_KIND:
        found = name_words(next(pool))
        if found:
            add("rare", found[0])
    while sum(item["kind"] == "phrase" for item in mix) < QUERIES_PER_KIND:
        site = next(pool)
        words = word.findall(
            rng.choice([site.description_en, site.description_ru, site.description_az]) or ""
        )
        if len(words) > 4:
            start = rng.randrange(len(words) - 2)
            add("phrase", '"' + " ".join(words[start : start + rng.choice((2, 3))]) + '"')
    while sum(item["kind"] == "prefix" for item in mix) < QUERIES_PER_KIND:
        found = name_words(next(pool))
        if found:
            add("prefix", found[0][: rng.choice((3, 4))] + "*")
    while sum(item["kind"] == "typo" for item in mix) < QUERIES_PER_KIND:
        found = [w for w in name_words(next(pool)) if len(w) >= 6]
        if found:
            w = found[0]
            i = rng.randrange(1, len(w) - 1)
            typo = (
                w[:i] + w[i + 1] + w[i] + w[i + 2 :]
                if rng.random() < 0.5
                else w[:i] + "e" + w[i + 1 :]
            )
            add("typo", typo)
    while sum(item["kind"] == "transliterated" for item in mix) < QUERIES_PER_KIND:
        site = next(pool)
        found = name_words(site)
        if found:
            spelling = rng.choice((generator.to_english, generator.to_russian, generator.az_ascii))
            add("transliterated", spelling(found[0]))
    districts = ("shusha", "aghdam", "lachin", "kalbajar", "fuzuli", "jabrayil")
    types = ("mosque", "church", "bridge", "cemetery", "mausoleum", "spring")
    for n in range(QUERIES_PER_KIND):
        filters = (
            {"district": [districts[n % len(districts)]]}
            if n % 2
            else {"site_type": [types[n % len(types)]], "century": [str(14 + n % 6)]}
        )
        add("facet", COMMON[n % 8], **filters)
    return mix


# --- running the queries --------------------------------------------------------------------


def _fts_query(q: str) -> str:
    """The same query for FTS5: quoted tokens, quoted phrases, token prefixes."""
    parts = []
    for phrase, token in re.findall(r'"([^"]*)"|(\S+)', q):
        if phrase:
            inner = " ".join(re.findall(r"\w+", phrase))
            parts.append(f'"{inner}"')
        elif token.endswith("*"):
            parts.append(f'"{token[:-1]}"*')
        else:
            parts += [f'"{w}"' for w in re.findall(r"\w+", token)]
    return " ".join(parts) or '""'


def _fts_where(filters: dict[str, list[str]]) -> tuple[str, list[str]]:
    clauses, values = ["d.public = 1"], []
    for name, chosen in sorted(filters.items()):
        clauses.append(f"d.{name} IN ({', '.join('?' * len(chosen))})")
        values += chosen
    return " AND ".join(clauses), values


def run_fts5(connection, item: dict, page: bool) -> float:
    match = _fts_query(item["q"])
    where, values = _fts_where(item["filters"])
    # CROSS JOIN keeps SQLite from driving the join from the facet table's indexes.
    joined = (
        "FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ?) m "
        f"CROSS JOIN docs d ON d.rowid = m.rowid WHERE {where}"
    )
    started = time.perf_counter()
    connection.execute(
        f"SELECT d.entity_id {joined} ORDER BY m.rank LIMIT 20", [match, *values]
    ).fetchall()
    connection.execute(f"SELECT count(*) {joined}", [match, *values]).fetchone()
    if page:
        for facet in FACETS:
            connection.execute(
                f"SELECT d.{facet}, count(*) {joined} GROUP BY d.{facet}", [match, *values]
            ).fetchall()
    return time.perf_counter() - started


def run_heritage(item: dict, page: bool) -> tuple[float, int]:
    from heritage.services import search

    params = search.SearchParams(
        q=item["q"],
        filters={name: frozenset(values) for name, values in item["filters"].items()},
        language="en",
    )
    started = time.perf_counter()
    if page:
        total = search.search(params, actor=None).total
    else:
        total = search.top_hits(params, published_only=True, limit=20).total
    return time.perf_counter() - started, total


class _AnonymousMemory(threading.Thread):
    """Samples the process's private (anonymous) resident memory: the index files it maps
    count as file cache, which the kernel shares and reclaims."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.02):
            self.peak_kb = max(self.peak_kb, _status_kb("RssAnon"))


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def serve(config: dict) -> dict:
    """The query phase, in a process of its own: every query through both engines."""
    memory = _AnonymousMemory()
    memory.start()
    app = _app(config["database_url"], Path(config["workdir"]), 1)
    mix = config["mix"]
    connection = sqlite3.connect(config["fts_path"])
    timings: dict[str, dict[str, list[float]]] = {
        engine: {kind: [] for kind in KINDS}
        for engine in ("heritage top20", "heritage page", "fts5 top20", "fts5 page")
    }
    totals = {}
    with app.app_context():
        from heritage.extensions import db

        for item in mix[:10]:  # warm up: open the searcher, load the facet columns
            run_heritage(item, page=True)
            run_fts5(connection, item, page=True)
        for item in mix:
            seconds, total = run_heritage(item, page=False)
            timings["heritage top20"][item["kind"]].append(seconds)
            totals[f"{item['kind']}:{item['q']}"] = total
            seconds, _ = run_heritage(item, page=True)
            timings["heritage page"][item["kind"]].append(seconds)
            db.session.remove()
            timings["fts5 top20"][item["kind"]].append(run_fts5(connection, item, page=False))
            timings["fts5 page"][item["kind"]].append(run_fts5(connection, item, page=True))
    memory.stopped.set()
    memory.join()
    return {
        "timings": timings,
        "totals": totals,
        "peak_anonymous_mb": memory.peak_kb / 1024,
        "peak_rss_mb": _status_kb("VmHWM") / 1024,
    }


# --- report ---------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(build: dict, fts: dict, served: dict, count: int) -> str:
    timings = served["timings"]
    lines = [
        f"Search benchmark: {build['entries']:,} entries; {count} queries "
        f"({QUERIES_PER_KIND} per kind); load average {os.getloadavg()[0]:.1f}",
        "",
        "| kind | heritage top-20 p50/p95 ms | FTS5 top-20 p50/p95 ms | ratio p95 "
        "| heritage page p50/p95 ms | FTS5 page p50/p95 ms | ratio p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in (*KINDS, "all"):

        def values(engine: str, kind: str = kind) -> list[float]:
            if kind == "all":
                return [v for per_kind in timings[engine].values() for v in per_kind]
            return timings[engine][kind]

        cells = [kind]
        for mode in ("top20", "page"):
            ours, theirs = values(f"heritage {mode}"), values(f"fts5 {mode}")
            cells += [
                f"{_ms(ours, 0.5):.1f} / {_ms(ours, 0.95):.1f}",
                f"{_ms(theirs, 0.5):.1f} / {_ms(theirs, 0.95):.1f}",
                f"{_ms(ours, 0.95) / max(_ms(theirs, 0.95), 0.001):.1f}×",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    all_values = {
        engine: [v for per_kind in timings[engine].values() for v in per_kind] for engine in timings
    }
    lines += ["", "Targets:"]
    for mode, target in TARGETS.items():
        ratio = _ms(all_values[f"heritage {mode}"], 0.95) / max(
            _ms(all_values[f"fts5 {mode}"], 0.95), 0.001
        )
        verdict = "met" if ratio <= target else "missed"
        lines.append(f"- {mode} p95 ratio {ratio:.1f}× (target ≤ {target:.0f}×): {verdict}")
    minutes = build["seconds"] / 60
    lines += [
        f"- full rebuild {build['seconds']:.0f} s = {minutes:.1f} min "
        f"({build['rate']:,.0f} entries/s; target ≤ 5 min): "
        + ("met" if minutes <= 5 else "missed"),
        f"- the rebuild's CPU time: {build.get('cpu_seconds', 0):.0f} s in all, "
        f"{build.get('cpu_seconds', 0) / 2:.0f} s per core of two (its time on an idle "
        "2-core machine, at best)",
        f"- serving process peak memory: {served['peak_anonymous_mb']:.0f} MB private "
        f"({served['peak_rss_mb']:.0f} MB resident with the mapped index files; "
        "target < 400 MB)",
        "",
        f"heritage index: {build['bytes'] / 2**20:,.0f} MB, built in {build['seconds']:.0f} s; "
        f"build peak memory {build['peak_rss_builder_mb']:,.0f} MB per build process, "
        f"{build['peak_rss_parent_mb']:,.0f} MB in the parent",
        f"FTS5 index: {fts['bytes'] / 2**20:,.0f} MB, built in {fts['seconds']:.0f} s "
        f"({fts['entries'] / fts['seconds']:,.0f} entries/s)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: build, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--workdir", default="/tmp/heritage-search-bench")
    parser.add_argument("--database-url", help="default: SQLite in the work folder")
    parser.add_argument("--processes", type=int, default=2, help="index build processes")
    parser.add_argument("--skip-build", action="store_true", help="reuse both indexes")
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgresql"),
        help="heritage's search backend (default: postgresql on PostgreSQL, else whoosh)",
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.backend:
        # Read by create_app here and in the serving process, which inherits it.
        os.environ["HERITAGE_SEARCH_BACKEND"] = args.backend
    if args.serve:
        config = json.loads(Path(args.serve).read_text())
        Path(config["out"]).write_text(json.dumps(serve(config)))
        return
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{workdir / 'archive.db'}"
    fts_path = workdir / "fts5.db"
    ensure_archive(database_url, args.sites)
    app = _app(database_url, workdir, args.processes)
    results_path = workdir / "build.json"
    if args.skip_build and results_path.exists():
        build, fts = json.loads(results_path.read_text())
    else:
        _log("building heritage's index …")
        build = build_heritage(app)
        _log(f"built in {build['seconds']:.0f} s; building the FTS5 table …")
        fts = build_fts5(app, fts_path)
        results_path.write_text(json.dumps([build, fts]))
    mix = query_mix(app)
    config = {
        "database_url": database_url,
        "workdir": str(workdir),
        "fts_path": str(fts_path),
        "mix": mix,
        "out": str(workdir / "served.json"),
    }
    config_path = workdir / "serve.json"
    config_path.write_text(json.dumps(config))
    _log(f"running {len(mix)} queries through both engines in a fresh process …")
    subprocess.run(
        [sys.executable, __file__, "--serve", str(config_path)], check=True, env=os.environ
    )
    served = json.loads((workdir / "served.json").read_text())
    table = report(build, fts, served, len(mix))
    (workdir / "report.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
