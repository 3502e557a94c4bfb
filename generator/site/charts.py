"""Figures over time: each figure `key` a story's briefings share, drawn as a chart on the story's page.

A chart is data for its template (`templates/_chart.html.j2`), which draws it as inline SVG made at build time:
no script, dated points placed by their day, each point linked to its briefing, and a table of the same
figures for screen readers. Only numbers are computed here (coordinates written with two decimals, so the
same briefings give the same bytes); every text is printed, and escaped, by the template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from generator.format.model import Briefing, Figure
from generator.format.wording import plain_number

#: At most this many points, the newest: a page's size stays bounded whatever the story's length.
MAX_POINTS = 50
#: The drawing's box, in SVG units: the plot inside the margins, the labels around it.
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 80, 16, 16, 44


@dataclass(frozen=True)
class Point:
    """One figure of one briefing, where it is drawn."""

    briefing: Briefing
    figure: Figure
    x: str
    y: str


@dataclass(frozen=True)
class Chart:
    """One key's figures over a story's briefings, oldest first, as the template draws them."""

    key: str
    #: The newest figure's label and unit: what the chart counts.
    label: str
    unit: str | None
    points: tuple[Point, ...]
    #: The polyline through the points, `x,y x,y ...`.
    line: str
    #: The value axis: its lowest and highest values as the site writes numbers, and where each is drawn.
    low: str
    high: str
    low_y: str
    high_y: str
    #: The drawing's size and the plot's edges.
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def first(self) -> dt.date:
        return self.points[0].briefing.date

    @property
    def last(self) -> dt.date:
        return self.points[-1].briefing.date


def story_charts(members: list[Briefing], *, by_story: bool = False) -> list[Chart]:
    """A chart for each figure `key` that two or more of a story's briefings (oldest first) give in the unit of
    its newest figure, in the order the keys first appear; the newest MAX_POINTS points of each.

    `by_story`: the briefings are not one story's (a person's): a key is a story's own name for a figure, so
    each story's key is charted apart (a briefing with no story keeps its keys to itself and the others
    with none)."""
    series: dict[tuple[str, str], list[tuple[Briefing, Figure]]] = {}
    for briefing in members:
        for figure in briefing.numbers:
            if figure.key is not None:
                story = (briefing.story or "") if by_story else ""
                series.setdefault((story, figure.key), []).append((briefing, figure))
    charts = []
    for (_, key), points in series.items():
        unit = points[-1][1].unit
        same = [(b, f) for b, f in points if f.unit == unit][-MAX_POINTS:]
        if len({b.slug for b, _ in same}) >= 2:
            charts.append(_chart(key, same))
    return charts


def _chart(key: str, points: list[tuple[Briefing, Figure]]) -> Chart:
    values = [f.value for _, f in points]
    low, high = min(min(values), Decimal(0)), max(values)
    if high == low:
        high = low + 1
    first, last = points[0][0].date.toordinal(), points[-1][0].date.toordinal()
    span = last - first
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + (plot_w * (day.toordinal() - first) / span if span else plot_w / 2)

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / (high - low))

    drawn = tuple(Point(b, f, f"{x(b.date):.2f}", f"{y(f.value):.2f}") for b, f in points)
    newest = points[-1][1]
    return Chart(
        key=key,
        label=newest.label,
        unit=newest.unit,
        points=drawn,
        line=" ".join(f"{p.x},{p.y}" for p in drawn),
        low=plain_number(low),
        high=plain_number(high),
        low_y=f"{y(low):.2f}",
        high_y=f"{y(high):.2f}",
    )
