"""Periods of origin as people browse them: centuries back to 1000 BCE, millennia before
that, and one bucket for the Palaeolithic, before 10,000 BCE (Azykh Cave's 1.5 million
years would otherwise be the "15000th century BCE").

A period is an integer code, used by the browse filters, the search facet and the API's
`century`: 14 is the 14th century (1301–1400), -1 the 1st century BCE (there is no year 0);
-20 … -100 the 2nd … 10th millennium BCE; PALAEOLITHIC everything older.
"""

from __future__ import annotations

from sqlalchemy import Integer, case, func

# The oldest century shown as a century: the 10th BCE (1000–901 BCE).
OLDEST_CENTURY = -10
PALAEOLITHIC = -101
_FIRST_YEAR = -(2**31) + 1


def period_of(year: int | None) -> int | None:
    """The period code of a year of origin."""
    if year is None:
        return None
    if year > 0:
        return (year - 1) // 100 + 1
    if year >= -1000:
        return -((max(1, -year) - 1) // 100 + 1)
    if year >= -10_000:
        return -10 * ((-year - 1) // 1000 + 1)
    return PALAEOLITHIC


def is_millennium(code: int) -> bool:
    return code != PALAEOLITHIC and code < OLDEST_CENTURY


def years_of(code: int) -> tuple[int, int]:
    """The first and last year of a period: 14 → (1301, 1400); -1 → (-100, -1);
    -20 → (-2000, -1001)."""
    if code == PALAEOLITHIC:
        return _FIRST_YEAR, -10_001
    if is_millennium(code):
        millennium = -((-code) // 10)
        return millennium * 1000, (millennium + 1) * 1000 - 1
    if code > 0:
        return (code - 1) * 100 + 1, code * 100
    return code * 100, (code + 1) * 100 - 1


def period_sql(year):
    """period_of() as SQL over the column `year`."""
    # Integer division rounds differently across databases; floor explicitly.
    # NULL first: SQLite's floor() may be a Python function that cannot take None.
    return case(
        (year.is_(None), None),
        (year > 0, func.floor((year - 1) / 100.0) + 1),
        (year >= -1000, func.floor(year / 100.0)),
        (year >= -10_000, -10 * (func.floor((-year - 1) / 1000.0) + 1)),
        else_=PALAEOLITHIC,
    ).cast(Integer)
