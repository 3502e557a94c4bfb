"""At a glance, as data: the lead sentence, the key figures, the next step and the people a briefing's page
opens with (`generator.site.reading.glance`), and the format's `lead` and `why` as `briefing check` reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.format.model import Actor, Figure, NextStep
from generator.site.reading import LONG_LEAD, glance, lead_sentence
from tests.conftest import MINIMAL, CheckText, fields
from tests.test_export import briefing


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("Talks ended. Aid resumed.", "Talks ended."),
        ("Rear Adm. Daniel Hagari said so. Then more.", "Rear Adm. Daniel Hagari said so."),
        ("The U.S. official spoke. Then more.", "The U.S. official spoke."),
        ("J. Smith and Sept. 2024 numbers fell. Next.", "J. Smith and Sept. 2024 numbers fell."),
        ("Prices rose 3.5 percent. Next.", "Prices rose 3.5 percent."),
        ("“We are done,” he said. Then.", "“We are done,” he said."),
        ("Will it hold? Nobody knows.", "Will it hold?"),
        ("He said “Stop.” Then left.", "He said “Stop.”"),
        ("one sentence without a full stop", "one sentence without a full stop"),
        ("a line.\nThen the next", "a line."),
        ("ends with a lower case. then more", "ends with a lower case. then more"),
        (". A mark before any word", ". A mark before any word"),
        ("! Then", "! Then"),
        ("“. Quoted", "“. Quoted"),
    ],
)
def test_the_lead_is_the_first_sentence(text: str, lead: str) -> None:
    first, rest = lead_sentence(text)
    assert first == lead
    assert " ".join(f"{first} {rest}".split()) == " ".join(text.split())  # nothing lost, nothing added


def test_lead_figures_come_first_else_the_first_three() -> None:
    figures = tuple(Figure(Decimal(n), f"label {n}") for n in range(1, 6))
    assert briefing(numbers=figures).key_figures() == figures[:3]
    marked = (figures[0], Figure(Decimal(2), "two", lead=True), figures[2], Figure(Decimal(4), "four", lead=True))
    assert [f.label for f in briefing(numbers=marked).key_figures()] == ["two", "four"]
    assert briefing().key_figures() == ()


def test_the_next_step_is_the_earliest_dated_one_else_the_first() -> None:
    steps = (NextStep("Talks go on", when="coming days"), NextStep("A vote", when=dt.date(2024, 9, 3)))
    steps += (NextStep("A summit", when=dt.date(2024, 9, 1)), NextStep("Nothing dated"))
    assert glance(briefing(next=steps)).next_step == steps[2]
    assert glance(briefing(next=steps[:1] + steps[3:])).next_step == steps[0]
    assert glance(briefing()).next_step is None


def test_the_people_are_the_first_three_persons() -> None:
    who = (
        Actor("Hamas", "hamas", kind="organization"),
        *(Actor(f"Person {n}", f"person-{n}", role=f"role {n}") for n in range(4)),
        Actor("Egypt", "egypt", kind="country"),
    )
    assert [a.name for a in glance(briefing(who=who)).people] == ["Person 0", "Person 1", "Person 2"]


def test_a_long_lead_is_told_whole_in_what_happened() -> None:
    """A lead sentence of more than LONG_LEAD characters is cut short on a phone: the whole summary then opens
    "What happened"; a short one leaves only the rest there."""
    short = glance(briefing(summary="Talks ended. Aid resumed."))
    assert (short.lead, short.rest, short.long) == ("Talks ended.", "Aid resumed.", False)
    summary = "Talks in Cairo ended without a deal, " * 10 + "as the mediators said. Aid resumed."
    long = glance(briefing(summary=summary))
    assert len(long.lead) > LONG_LEAD and long.long and long.rest == summary


def test_why_and_lead_are_read_and_checked(check_text: CheckText) -> None:
    """`why` is text of at most 300 characters; `lead` a boolean; a fourth lead figure a warning at it."""
    figure = "  - value: {n}\n    label: figure {n}\n    lead: true\n"
    body = MINIMAL.replace("numbers:\n", "numbers:\n" + "".join(figure.format(n=n) for n in (1, 2, 3, 4)))
    findings = check_text(body.replace("\nwho:", "\nwhy: The talks are the last channel left.\nwho:", 1))
    leads = [f for f in findings if f.field.endswith(".lead")]
    assert fields(findings) == [] and [f.field for f in leads] == ["numbers[3].lead"]
    assert leads[0].severity == "warning" and "at most 3 figures are shown at a glance" in leads[0].message
    too_long = check_text(MINIMAL.replace("\nwho:", "\nwhy: " + "x" * 301 + "\nwho:", 1))
    assert fields(too_long) == ["why"]
    not_a_flag = check_text(MINIMAL.replace("numbers:\n", "numbers:\n  - value: 1\n    label: one\n    lead: yes\n"))
    assert fields(not_a_flag) == ["numbers[0].lead"]
