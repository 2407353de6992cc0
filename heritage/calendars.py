"""Hijri years as Gregorian ones, for what gravestones say.

The arithmetical (tabular) Islamic calendar: 30-year cycles of 354- and 355-day years from
1 Muharram 1 AH, Friday 16 July 622 (Julian). A stone gives a year, not the observed new
moon, so the day-exact Umm al-Qura or sighted calendars add nothing here; a Hijri year
begins in one Gregorian year and usually ends in the next, so both are given. Gregorian
dates are proleptic (before 1582 too), as the archive keeps every date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The Julian day number of 1 Muharram 1 AH, and that of 1 January 1 (ordinal 1).
_HIJRI_EPOCH = 1948440
_ORDINAL_EPOCH = 1721425
# The years the calendar (and Python's dates) can say.
FIRST_YEAR, LAST_YEAR = 1, 9000


@dataclass(frozen=True)
class HijriYear:
    """A Hijri year, when it began and ended in the Gregorian calendar."""

    year: int
    first_day: date
    last_day: date

    @property
    def gregorian(self) -> tuple[int, int]:
        """The Gregorian years it falls in: (1848, 1849) for 1265 AH."""
        return self.first_day.year, self.last_day.year

    def __str__(self) -> str:
        first, last = self.gregorian
        return f"{self.year} AH = {first}" + (f"/{last}" if last != first else "")


def _new_year(year: int) -> date:
    """1 Muharram of `year` AH."""
    day = _HIJRI_EPOCH + 354 * (year - 1) + (3 + 11 * year) // 30
    return date.fromordinal(day - _ORDINAL_EPOCH)


def hijri_year(year: int) -> HijriYear:
    """The Gregorian span of a Hijri year; ValueError outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"No Hijri year {year} here (1 to {LAST_YEAR}).")
    return HijriYear(year, _new_year(year), _new_year(year + 1) - timedelta(days=1))
