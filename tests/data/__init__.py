"""Data files the tests read, all inside the checkout."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent
PLACE_NAMES = DATA / "place-names.tsv"
OAI_PMH_SCHEMA = DATA / "OAI-PMH.xsd"


def place_name_rows(kind: str | None = None) -> list[tuple[str, ...]]:
    """(kind, az, en, ru) for every row of the place-names list, or (az, en, ru) of `kind`."""
    with PLACE_NAMES.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        rows = [tuple(row) for row in csv.reader(lines, delimiter="\t")]
    if kind is None:
        return rows
    return [row[1:] for row in rows if row[0] == kind]
