"""Figures over time: a figure `key` shared by a story's briefings, drawn on the story's page as inline SVG
(no script), each point linked to its briefing, with a table of the same figures; bounded to the newest 50
points; the same bytes for the same briefings."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import threading
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from generator.format.model import Actor, Briefing, Figure, Source
from generator.rules.addresses import address as spec_address
from generator.site.charts import MAX_POINTS, story_charts
from tests.conftest import MINIMAL, SEED, CheckText, fields
from tests.sitebuild import build, make_project, page, text, write_briefing
from tests.test_attack import HOSTILE, flat
from tests.test_browser import ARTIFACTS, SCREENSHOTS, _Quiet, _serious_violations, browser  # noqa: F401 (fixtures)

#: The figure the seed's source states, under a key the story keeps.
ROCKETS = {"label": "rockets fired", "unit": "rockets", "key": "rockets-fired"}


@pytest.fixture(scope="module")
def charted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("charts"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    for day, value, qualifier in (("2024-08-20", 100, None), ("2024-08-22", 320, "over"), ("2024-08-25", 270, None)):
        figure = {"value": value, **ROCKETS, **({"qualifier": qualifier} if qualifier else {})}
        write_briefing(root, day, f"day {day[-2:]}", story="Border clashes", numbers=[figure])
    # One briefing gives the key in another unit: left out of the chart, which counts rockets.
    write_briefing(
        root, "2024-08-21", "other unit", story="Border clashes", numbers=[{**ROCKETS, "value": 5, "unit": "waves"}]
    )
    # A key in one briefing only draws nothing.
    write_briefing(root, "2024-08-23", "lonely", story="Cairo talks", numbers=[{**ROCKETS, "value": 9}])
    build(root)
    return root


def test_a_story_draws_each_shared_key_over_time(charted: Path) -> None:
    soup = page(charted, "stories/border-clashes/")
    (chart,) = soup.select("figure.bf-chart")
    assert text(chart.select_one(".bf-chart-label")) == "rockets fired"
    svg = chart.find("svg")
    assert svg["aria-hidden"] == "true" and not soup.find("script", string=lambda s: bool(s) and "chart" in s)
    points = svg.select("a circle")
    assert [p.find("title").get_text() for p in points] == [
        "20 August 2024: 100",
        "22 August 2024: over 320",
        "25 August 2024: 270",
    ]
    assert [a["href"] for a in svg.find_all("a")] == [
        "../../briefings/2024-08-20-day-20/",
        "../../briefings/2024-08-22-day-22/",
        "../../briefings/2024-08-25-day-25/",
    ]
    assert all(a["tabindex"] == "-1" for a in svg.find_all("a"))
    xs = [float(p["cx"]) for p in points]
    ys = [float(p["cy"]) for p in points]
    assert xs == sorted(xs) and xs[1] - xs[0] < xs[2] - xs[1]  # placed by day: two days, then three
    assert ys[1] < ys[2] < ys[0]  # 320 highest, 100 lowest
    assert svg.find("polyline")["points"] == " ".join(f"{p['cx']},{p['cy']}" for p in points)
    rows = [[text(td) for td in tr.find_all("td")] for tr in chart.select("tbody tr")]
    assert [row[:2] for row in rows] == [
        ["25 August 2024", "270 rockets"],
        ["22 August 2024", "over 320 rockets"],
        ["20 August 2024", "100 rockets"],
    ]
    assert not page(charted, "stories/cairo-talks/").select("figure.bf-chart")


def test_the_same_briefings_draw_the_same_bytes(charted: Path, tmp_path: Path) -> None:
    first = (charted / "site" / "stories" / "border-clashes" / "index.html").read_bytes()
    again = make_project(tmp_path / "again", briefings=False)
    (again / "seeds").rmdir()

    shutil.copytree(charted / "seeds", again / "seeds")
    shutil.rmtree(again / "briefings")
    shutil.copytree(charted / "briefings", again / "briefings")
    build(again)
    chart = BeautifulSoup(first, "html.parser").select_one("figure.bf-chart")
    assert str(chart) == str(page(again, "stories/border-clashes/").select_one("figure.bf-chart"))


def test_a_chart_holds_the_newest_fifty_points() -> None:
    source = (Source("s1", "Wire", url="https://example.org/"),)
    who, start = (Actor("A", "a"),), dt.date(2020, 1, 1)

    def day(i: int) -> Briefing:
        figure = Figure(Decimal(i), "n", key="count")
        return Briefing(f"b{i:03d}", f"Day {i}", start + dt.timedelta(days=i), "S.", who, ("W.",), source, (figure,))

    members = [day(i) for i in range(120)]
    (chart,) = story_charts(members)
    assert len(chart.points) == MAX_POINTS and chart.points[0].briefing.slug == "b070"
    assert chart.last == dt.date(2020, 1, 1) + dt.timedelta(days=119)


def test_a_key_is_an_address_once_per_briefing(check_text: CheckText) -> None:
    def keyed(*keys: str) -> str:
        figures = "".join(f"  - value: 270\n    label: figure {i}\n    key: {key}\n" for i, key in enumerate(keys))
        return MINIMAL.replace("numbers:\n", "numbers:\n" + figures)

    assert fields(check_text(keyed("sites", "sites"))) == ["numbers[1].key"]  # twice in one briefing
    assert fields(check_text(keyed("Sites Hit"))) == ["numbers[0].key"]  # not an address
    assert fields(check_text(keyed("k" * 81))) == ["numbers[0].key"]  # too long
    assert fields(check_text(keyed("sites-hit", "rockets"))) == []


@pytest.mark.browser
@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_chart_reads_in_a_browser(
    charted: Path,
    browser: Browser,  # noqa: F811
    scheme: str,
    size: str,
    request: pytest.FixtureRequest,
) -> None:
    """In Chromium: no serious accessibility problem (axe), the drawing within the width, nothing wider than the
    screen. The picture of the chart (story-chart-<size>-<scheme>.png) is saved to test-artifacts/, and with
    `--update-golden` to docs/assets/screenshots/, which the README shows."""
    width, height = (390, 844) if size == "phone" else (1280, 900)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(charted / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tab = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/stories/border-clashes/")
        # The story's head, where things stand and the chart: from the top on a desktop, from the chart on a phone.
        if size == "phone":
            tab.evaluate("scrollTo(0, document.getElementById('figures').getBoundingClientRect().top + scrollY - 64)")
        shot = ARTIFACTS / f"story-chart-{size}-{scheme}.png"
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(shot))
        if request.config.getoption("--update-golden"):
            shutil.copy(shot, SCREENSHOTS / shot.name)
        tab.locator("details.bf-chart-data summary").click()
        assert _serious_violations(tab) == [], scheme
        box = tab.locator("svg.bf-chart-svg").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        tab.close()
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def hostile_charts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A story per hostile string (tests/test_attack.py), two briefings each, a keyed figure whose label and
    unit are the string: every text a chart prints comes from briefing data."""
    root = make_project(tmp_path_factory.mktemp("hostile-charts"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    for index, (key, hostile) in enumerate(HOSTILE.items()):
        figure = {"label": hostile, "unit": hostile, "key": f"k{index}"}
        for day, value in ((1, 100), (2, 270)):
            write_briefing(
                root, f"2024-0{day}-{index + 1:02d}", f"h {key} {day}", story=f"Story {key}",
                numbers=[{**figure, "value": value}],
            )  # fmt: skip
    build(root)
    return root


def test_a_chart_prints_hostile_text_as_text(hostile_charts: Path) -> None:
    """The label and unit in a chart's caption, point titles and table are the strings as written;
    its drawing holds only the template's elements; the page stays inert (tests/test_attack.py's rules, the
    chart's own SVG allowed)."""
    problems = []
    allowed = {"svg", "line", "text", "polyline", "a", "circle", "title"}
    for key, hostile in HOSTILE.items():
        soup = page(hostile_charts, f"stories/{spec_address(f'Story {key}')}/")
        chart = soup.select_one("figure.bf-chart")
        if chart is None:
            problems.append(f"{key}: no chart")
            continue
        one = flat(hostile)
        if text(chart.select_one(".bf-chart-label")) != one:
            problems.append(f"{key}: label {text(chart.select_one('.bf-chart-label'))!r}")
        if text(chart.select_one("thead th:nth-of-type(2)")) != one:
            problems.append(f"{key}: table heading")
        cells = [text(tr.find_all("td")[1]) for tr in chart.select("tbody tr")]
        if cells != [f"270 {one}", f"100 {one}"]:
            problems.append(f"{key}: cells {cells!r}")
        drawn = {element.name for element in chart.find("svg").find_all(True)} | {"svg"}
        if not drawn <= allowed:
            problems.append(f"{key}: {sorted(drawn - allowed)} in the drawing")
        for element in chart.find_all(True):
            if any(name.lower().startswith("on") for name in element.attrs):
                problems.append(f"{key}: handler on <{element.name}>")
    assert not problems, "\n".join(problems)


def test_where_things_stand_shows_each_kept_figure_at_its_latest_value() -> None:
    """The newest briefing's key figures, then the latest value of each key an earlier briefing gave and the
    newest does not: never an older value of a key a newer briefing gave."""
    from generator.site.terms import standing

    source = (Source("s1", "Wire", url="https://example.org/"),)
    who, start = (Actor("A", "a"),), dt.date(2020, 1, 1)

    def day(i: int, *figures: Figure) -> Briefing:
        return Briefing(f"b{i}", f"Day {i}", start + dt.timedelta(days=i), "S.", who, ("W.",), source, figures)

    members = [
        day(0, Figure(Decimal(1), "dead", key="dead"), Figure(Decimal(5), "hurt", key="hurt")),
        day(1, Figure(Decimal(2), "dead", key="dead"), Figure(Decimal(7), "homes", key="homes")),
        day(2, Figure(Decimal(9), "trucks")),
    ]
    shown = [(figure.label, figure.value, briefing.slug) for figure, briefing in standing(members, {}).figures]
    assert shown == [("trucks", 9, "b2"), ("dead", 2, "b1"), ("homes", 7, "b1")]
    members.append(day(3, Figure(Decimal(3), "dead", key="dead")))
    shown = [(figure.label, figure.value, briefing.slug) for figure, briefing in standing(members, {}).figures]
    assert shown == [("dead", 3, "b3"), ("homes", 7, "b1"), ("hurt", 5, "b0")]  # trucks has no key to keep


def test_a_persons_page_charts_each_storys_keys_apart(charted: Path) -> None:
    """William Burns is in every briefing: his page draws the border story's rockets (three points), not the
    one figure of the same key in another story, which is a name that story gave its own figure."""
    soup = page(charted, "who/william-burns/")
    (chart,) = soup.select("figure.bf-chart")
    hrefs = [a["href"] for a in chart.find("svg").find_all("a")]
    assert hrefs == [f"../../briefings/2024-08-{day}-day-{day}/" for day in ("20", "22", "25")]
    assert soup.select_one("h2#figures") is not None
    assert not page(charted, "who/william-burns/").select("figure.bf-chart a[href*='lonely']")
