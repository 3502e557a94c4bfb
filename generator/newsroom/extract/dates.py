"""Dates in an article's first lines: the place, agency and day of its dateline (`CAIRO, Aug. 25 (AP) —`),
and the full dates (`Published March 12, 2025`) of its byline, date and heading lines and its dateline.
"""

from __future__ import annotations

import re

from generator.format.prose import MONTHS
from generator.newsroom.extract.text import DATELINE, FULL_DATE, Paragraph

#: What a dateline says: its place, its agency, and its (month, day).
Dateline = tuple[str | None, str | None, tuple[int, int] | None]


def dateline(text: str, prose: list[Paragraph]) -> Dateline:
    """The place, agency and (month, day) of the dateline cut from the first prose paragraph."""
    location: str | None = None
    agency: str | None = None
    day: tuple[int, int] | None = None
    if prose and prose[0].lead > prose[0].start:
        match = DATELINE.match(text, prose[0].start, prose[0].end)
        if match:
            location = _place_name(match.group("place"))
            agency = match.group("agency")
            if match.group("month"):
                day = (MONTHS[match.group("month").lower()], int(match.group("day")))
    return location, agency, day


def header_dates(text: str, paras: list[Paragraph], prose: list[Paragraph]) -> list[tuple[int, int, int]]:
    """The full dates (year, month, day; month 0 when not read) of the first eight paragraphs' byline,
    date and heading lines, and of the first prose paragraph's dateline."""
    dates: list[tuple[int, int, int]] = []
    first_prose = prose[0] if prose else None
    for para in paras[:8]:
        if para.kind in ("byline", "date", "heading") or (para is first_prose):
            end = para.lead if para.kind == "prose" and para.lead > para.start else para.end
            for match in FULL_DATE.finditer(text, para.start, end):
                dates.append(_date_of(match))
    return dates


def _place_name(caps: str) -> str:
    """`SAN JOSE` -> `San Jose`, `THE HAGUE` -> `The Hague`."""
    return " ".join(word.capitalize() if word.isupper() else word for word in caps.split())


def _date_of(match: re.Match[str]) -> tuple[int, int, int]:
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group("iso").split("-"))
        return year, month, day
    month_name: str = match.group("month") or match.group("month2")
    day_text: str = match.group("day") or match.group("day2")
    year_text: str = match.group("year") or match.group("year2")
    return int(year_text), MONTHS.get(month_name.lower(), 0), int(day_text)
