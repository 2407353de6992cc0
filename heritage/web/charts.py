"""A site's condition over time as a small chart, drawn by the server as SVG: no script, and
the survey list beside it says the same in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from heritage.vocab import CONDITIONS

# The chart's drawing area, in SVG user units; the SVG scales to the page's width.
WIDTH, HEIGHT = 600, 200
LEFT, RIGHT, TOP, BOTTOM = 130, 20, 15, 30
# The levels drawn, best at the top; "unknown" is no level and is left out.
LEVELS = [code for code in CONDITIONS.codes if code != "unknown"]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    survey: object


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    # (y, condition code) of each level's gridline.
    levels: list[tuple[float, str]]
    # (x, year) of each year's tick.
    years: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def path(self) -> str:
        """The polyline through the points, oldest first."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def condition_chart(surveys: list) -> Chart | None:
    """The chart of `surveys` (oldest first), or None when fewer than two have a level."""
    placed = [s for s in surveys if s.overall_condition in LEVELS]
    if len(placed) < 2:
        return None
    first, last = placed[0].survey_date, placed[-1].survey_date
    # At least a year wide, so surveys of one season do not sit on each other's ticks.
    start = date(first.year, 1, 1)
    end = max(date(last.year + 1, 1, 1), date(start.year + 1, 1, 1))
    span = (end - start).days
    inner = WIDTH - RIGHT - LEFT
    step = (HEIGHT - BOTTOM - TOP) / (len(LEVELS) - 1)

    def x(day: date) -> float:
        return LEFT + inner * (day - start).days / span

    def y(code: str) -> float:
        return TOP + step * LEVELS.index(code)

    years = list(range(start.year, end.year + 1))
    stride = max(1, len(years) // 8)
    return Chart(
        points=[Point(x(s.survey_date), y(s.overall_condition), s) for s in placed],
        levels=[(y(code), code) for code in LEVELS],
        years=[(x(date(year, 1, 1)), year) for year in years[::stride]],
    )
