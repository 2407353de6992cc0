"""Hijri years to Gregorian: a table of known conversions, and every year against
convertdate's arithmetical Islamic calendar (written independently of this one)."""

from __future__ import annotations

from datetime import date

import pytest
from convertdate import islamic

from heritage.calendars import FIRST_YEAR, hijri_year

# 1 Muharram of years as reference tables give them (tabular calendar, proleptic Gregorian).
KNOWN = [
    (1, date(622, 7, 19)),  # 16 July 622 in the Julian calendar
    (900, date(1494, 10, 11)),  # 2 October 1494 in the Julian calendar
    (1000, date(1591, 10, 19)),
    (1200, date(1785, 11, 4)),
    (1265, date(1848, 11, 27)),
    (1300, date(1882, 11, 12)),
    (1342, date(1923, 8, 14)),
    (1400, date(1979, 11, 21)),
    (1445, date(2023, 7, 19)),
]


@pytest.mark.parametrize(("year", "first_day"), KNOWN)
def test_known_new_years(year, first_day):
    assert hijri_year(year).first_day == first_day


@pytest.mark.parametrize(
    ("year", "shown"),
    [(1265, "1265 AH = 1848/1849"), (1342, "1342 AH = 1923/1924"), (1400, "1400 AH = 1979/1980")],
)
def test_the_computation_is_shown_as_two_gregorian_years(year, shown):
    assert str(hijri_year(year)) == shown


def test_a_year_that_falls_in_one_gregorian_year():
    # A Hijri year is 11 days shorter: about every 33 years one lies within January to
    # December of one Gregorian year, and the page then names that year alone.
    singles = [y for y in range(1300, 1500) if len(set(hijri_year(y).gregorian)) == 1]
    assert singles
    assert all(hijri_year(y).first_day.month == 1 for y in singles)


def test_every_year_agrees_with_convertdate():
    for year in range(FIRST_YEAR, 2001):
        span = hijri_year(year)
        assert span.first_day == date(*islamic.to_gregorian(year, 1, 1)), year
        assert span.last_day == date(
            *islamic.to_gregorian(year, 12, islamic.month_length(year, 12))
        ), year


@pytest.mark.parametrize("year", [0, -5, 9001])
def test_years_outside_the_calendar_are_refused(year):
    with pytest.raises(ValueError, match="No Hijri year"):
        hijri_year(year)
