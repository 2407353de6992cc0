"""BagIt 1.0 (RFC 8493) packages: writing them with the `bagit` library, and checking every
file of one, since `bagit` stops at the first it finds wrong.

A bag is made in a folder beside its destination and renamed into place when complete, so
an interrupted export leaves no half bag under the name asked for.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bagit
from flask import current_app

from heritage.media.storage import CHUNK

ALGORITHMS = ("sha256", "sha512")


class BagProblem(Exception):
    """A bag that cannot be used; `problems` names every wrong file."""

    def __init__(self, summary: str, problems: list[str] | None = None) -> None:
        super().__init__(summary)
        self.problems = problems or []


@dataclass(frozen=True)
class Written:
    path: Path
    files: int
    bytes: int


def write_bag(
    destination: Path, fill: Callable[[Path], None], info: dict[str, str], *, processes: int = 1
) -> Written:
    """Make a bag at `destination` (which must not exist): `fill(folder)` writes the payload
    into an empty folder, then `bagit` adds the manifests, tag manifests and bag-info.txt
    (with the payload's Oxum and the bagging date)."""
    destination = Path(destination)
    if destination.exists():
        raise BagProblem(f"{destination} exists already; name a new folder.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    building = destination.with_name(f".{destination.name}.incomplete")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        fill(building)
        bag = bagit.make_bag(
            str(building), bag_info=info, processes=processes, checksums=list(ALGORITHMS)
        )
        octets, files = (int(part) for part in bag.info["Payload-Oxum"].split("."))
        os.replace(building, destination)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Written(destination, files, octets)


def bag_info(description: str) -> dict[str, str]:
    """bag-info.txt's fields besides those `bagit` adds (Payload-Oxum, Bagging-Date)."""
    return {
        "Source-Organization": current_app.config["SOURCE_ORGANIZATION"],
        "External-Description": description,
        "Bag-Group-Identifier": "heritage",
    }


def verify(folder: Path) -> bagit.Bag:
    """The bag in `folder` if every payload and tag file is there with the checksums its
    manifests give, and nothing else is in its payload; else BagProblem naming them all."""
    folder = Path(folder)
    try:
        bag = bagit.Bag(str(folder))
    except bagit.BagError as error:
        raise BagProblem(f"{folder} is not a BagIt bag: {error}") from None
    problems: list[str] = []
    expected: dict[str, dict[str, str]] = {}
    payload: set[str] = set()
    for manifest in ("manifest", "tagmanifest"):
        for algorithm in ALGORITHMS:
            path = folder / f"{manifest}-{algorithm}.txt"
            if not path.exists():
                problems.append(f"{path.name}: missing")
                continue
            for name, digest in _entries(path):
                expected.setdefault(name, {})[algorithm] = digest
                if manifest == "manifest":
                    payload.add(name)
    for name, digests in sorted(expected.items()):
        problems += _check(folder, name, digests)
    for path in sorted((folder / "data").rglob("*")):
        name = unicodedata.normalize("NFC", path.relative_to(folder).as_posix())
        if path.is_file() and name not in payload:
            problems.append(f"{name}: in the payload but in no manifest")
    if problems:
        raise BagProblem(f"{folder} fails validation: {len(problems)} problems", problems)
    return bag


def _entries(manifest: Path) -> list[tuple[str, str]]:
    found = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            expected, _, name = line.partition(" ")
            # RFC 8493 §2.1.3: CR, LF and % in a file name are percent-encoded.
            name = name.strip().replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
            found.append((unicodedata.normalize("NFC", name), expected.lower()))
    return found


def _check(folder: Path, name: str, digests: dict[str, str]) -> list[str]:
    """Read one file once, with every algorithm its manifests name."""
    path = folder / name
    if not path.is_file():
        return [f"{name}: missing"]
    hashers = {algorithm: hashlib.new(algorithm) for algorithm in digests}
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            for hasher in hashers.values():
                hasher.update(chunk)
    wrong = [a for a, hasher in hashers.items() if hasher.hexdigest() != digests[a]]
    if wrong:
        return [f"{name}: {' and '.join(wrong)} differ from the manifests (changed or damaged)"]
    return []
