"""Normalisation, quotes found in source texts, numbers in text: what provenance is built on."""

from __future__ import annotations

import os
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator.format.prose import numbers_in, states
from generator.rules import verify
from generator.rules.collection import check_collection
from generator.rules.verify import Seeds, SourceText, contains, normalize
from tests.conftest import MINIMAL, SEED


def test_normalize_straightens_quotes_dashes_and_spaces() -> None:
    """Curly quotes, every dash and runs of whitespace compare equal to their plain forms."""
    assert normalize("“Israel’s  —\n\tfinal”") == '"Israel\'s - final"'
    assert normalize("ﬁnal") == "final"  # NFKC folds the ligature


def test_normalize_keeps_case() -> None:
    """Case matters."""
    assert normalize("Constructive") != normalize("constructive")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("around 100 Israeli planes", 100),
        ("targeted 1,200,000 people", 1200000),
        ("targeted 1200000 people", 1200000),
        ("90% of the strikes", 90),
        ("the 10-month conflict", 10),
        ("a 76-year-old teacher", 76),
        ("grew 0.5 percent", Decimal("0.5")),
        ("1.2 million people", 1200000),
        ("five minutes before", 5),
        ("twenty-one rockets", 21),
        ("three hundred sites", 300),
        ("one thousand two hundred and five", 1205),
        ("a million people", 1000000),
        ("Ninety planes", 90),
    ],
)
def test_numbers_are_read_in_digits_and_words(text: str, value: int | Decimal) -> None:
    """Digits with or without separators, decimals, scale words and English number words."""
    assert states(text, Decimal(value))


@pytest.mark.parametrize(("text", "value"), [("targeted 1270 sites", 270), ("version 2.70", 270), ("fifty", 15)])
def test_a_number_inside_another_is_not_stated(text: str, value: int) -> None:
    """270 is not stated by 1270 or 2.70."""
    assert not states(text, Decimal(value))


def test_numbers_in_finds_all_of_them() -> None:
    """Every number in a passage."""
    assert numbers_in("over 320 Katyusha rockets, 76-year-old, five minutes") == {
        Decimal(320),
        Decimal(76),
        Decimal(5),
    }


def test_a_number_word_run_past_any_english_number_is_none() -> None:
    """`a hundred hundred …` would grow without end (and take quadratic time): it states nothing."""
    assert numbers_in("a " + "hundred " * 100_000) == set()
    assert numbers_in("nine hundred trillion, then a hundred hundred") == {Decimal(900 * 10**12), Decimal(10_000)}


_MARKS = ["\u0301", "\u0316", "\u0323", "\u0302", "\u0344", "\u0f71", "\u0f72", "\u0f73", "\u0f75", "\uff9e", "\u3099"]


@given(st.lists(st.sampled_from([*_MARKS, "a", "e", "\u1100", "\u1161", "\u11a8", "\u01d8", "\uff76", " ", "\u034f"])))
@example(["a"] + ["\u0301", "\u0316"] * 40)
@example(["\u0f73"] * 40 + ["\uff76", "\uff9e"] + ["\u0f72", "\u0f71"] * 20)
def test_normalize_is_nfkc_whatever_the_marks(chars: list[str]) -> None:
    """Long runs of combining marks are put in order first (for speed): the result is NFKC's own."""
    text = "".join(chars)
    assert normalize(text) == normalize(unicodedata.normalize("NFKC", text)) == _reference_normalize(text)


def _reference_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.translate({ord(k): v for k, v in verify._PUNCTUATION.items()}).split())


def test_normalize_orders_a_mebibyte_of_marks() -> None:
    """1 MiB of U+0F73 (two marks each, out of order): CPython alone takes minutes, here it is linear."""
    count = (1 << 20) // 3
    assert normalize("\u0f73" * count) == "\u0f71" * count + "\u0f72" * count
    marks = "a" + "\u0301\u0316" * (count // 2)
    assert normalize(marks) == "\u00e1" + "\u0316" * (count // 2) + "\u0301" * (count // 2 - 1)


# --- quotes in a source text -------------------------------------------------


def _reference_contains(text: str, needle: str) -> bool:
    """The rule as first written: every occurrence of the normalised needle, checked at its edges."""
    text, needle = normalize(text), normalize(needle)
    start = text.find(needle)
    while start != -1:
        end = start + len(needle)
        before_ok = start == 0 or not (text[start - 1].isalnum() and needle[0].isalnum())
        after_ok = end == len(text) or not (text[end].isalnum() and needle[-1].isalnum())
        if before_ok and after_ok:
            return True
        start = text.find(needle, start + 1)
    return False


def _found(original: str, needle: str) -> str | None:
    """The original characters where the needle was found."""
    span = SourceText(original).find(needle)
    return None if span is None else original[span[0] : span[1]]


def test_source_text_is_the_normalised_original() -> None:
    """`text` is exactly `normalize(original)`; `original` is kept as it was."""
    original = "  \u201cIsrael\u2019s  \u2014\n\tfinal\u201d \ufb01nal\u2026 e\u0301  "
    source = SourceText(original)
    assert source.original == original
    assert source.text == normalize(original) == '"Israel\'s - final" final... \u00e9'


@pytest.mark.parametrize(
    ("original", "needle", "shown"),
    [
        ("He said \u201cit was constructive\u201d today", '"it was constructive"', "\u201cit was constructive\u201d"),
        ("Israel\u2019s position", "Israel's position", "Israel\u2019s position"),
        ("talks \u2014 final", "talks - final", "talks \u2014 final"),
        ("a 10\u2013month war", "10-month", "10\u2013month"),
        ("the talks\nconcluded   on\r\n\tSunday.", "talks concluded on Sunday.", "talks\nconcluded   on\r\n\tSunday."),
        ("the \ufb01nal offer", "final offer", "\ufb01nal offer"),
        ("caf\u00e9 caf\u0065\u0301 talks", "caf\u00e9 talks", "caf\u0065\u0301 talks"),
        ("\uff34\uff41\uff4c\uff4b\uff53 ended", "Talks ended", "\uff34\uff41\uff4c\uff4b\uff53 ended"),
        ("a \u2163-point plan", "IV-point plan", "\u2163-point plan"),
        ("\u00a0\u00a0lead \u00a0space", "lead space", "lead \u00a0space"),
        ("ends\u2026 then more", "ends...", "ends\u2026"),
        (
            "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645",
            "\u0639\u0644\u064a\u0643\u0645",
            "\u0639\u0644\u064a\u0643\u0645",
        ),
        ("x \u1100\u1161 \u1100\u1161\u11a8 y", "\uac01 y", "\u1100\u1161\u11a8 y"),
    ],
)
def test_find_gives_the_original_characters(original: str, needle: str, shown: str) -> None:
    """Offsets point at the source's own characters: curly quotes, dashes, line breaks, NFKC's inputs."""
    assert _found(original, needle) == shown


def test_a_match_inside_what_one_character_became_takes_the_whole_character() -> None:
    """`...` came from one `\u2026`; a quote ending at its first dot shows the whole ellipsis."""
    assert _found("wait\u2026 go", "wait.") == "wait\u2026"


def test_find_gives_the_first_match_on_whole_words() -> None:
    """A partial occurrence first, the whole-word one after: the offsets are the second's."""
    original = "teamsters team\u2019s team"
    assert SourceText(original).find("team's") == (10, 16)
    assert SourceText(original).find("team") == (10, 14)
    assert SourceText("steam team").find("team") == (6, 10)


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("working teams", "rking teams", False),
        ("working teams", "working team", False),
        ("working teams", "working teams", True),
        ("working teams, today", "teams,", True),
        ("working teams,today", "teams,", True),  # ends on a non-letter: the next may be anything
        ('said"constructive"', '"constructive', True),  # starts on a non-letter: the last may be anything
        ("said constructive", "d constructive", False),
        ("targeted 270 sites", "27", False),
        ("targeted 270 sites", "270", True),
        ("snake_case", "snake", True),  # `_` is no letter
        ("caf\u00e9", "caf", False),  # `\u00e9` is one
        ("Constructive", "constructive", False),  # case matters
        ("a-b", "a - b", False),  # spaces are compared too
        ("a - b", "a-b", False),
        ("a  b", "a b", True),
        ("", "a", False),
        ("anything", "", False),  # an empty needle stands nowhere
        ("anything", "   ", False),
    ],
)
def test_whole_word_edges(text: str, needle: str, expected: bool) -> None:
    """A match stands on whole words; an edge that is not a letter or digit needs nothing beside it."""
    assert SourceText(text).contains(needle) is expected
    assert contains(text, needle) is expected
    if needle.strip():
        assert _reference_contains(text, needle) is expected


_PIECES = [*"ab -.'\"\n\t_1", "\u2019", "\u201c", "\u2014", "\u00a0", "\ufb01", "e\u0301", "\u00e9", "\u2026", "\u2474"]
_PIECES += ["\u1100", "\u1161", "\u11a8", "\u00b4", "\u2163", "\u0663", "\U0001d400", "\u3000", "  "]


@given(
    st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join),
    st.integers(0, 40),
    st.integers(0, 12),
    st.booleans(),
)
@example("working teams", "x", 2, 11, True)
def test_find_agrees_with_the_rule(original: str, other: str, at: int, length: int, from_text: bool) -> None:
    """Found exactly when the rule as first written finds it; and there, the original says the needle."""
    source = SourceText(original)
    assert source.text == normalize(original)
    needle = source.text[at : at + length] if from_text else other
    if not normalize(needle):
        return
    span = source.find(needle)
    assert (span is not None) is _reference_contains(original, needle)
    if span is not None:
        start, end = span
        assert 0 <= start < end <= len(original)
        assert normalize(needle) in normalize(original[start:end])


def test_more_distinct_words_than_one_character_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past one character per distinct token (over a million), tokens take two, and matches stay in step."""
    monkeypatch.setattr(verify, "_MAX_ONE_CHAR_CODES", 3)
    original = " ".join(f"w{i}" for i in range(2000)) + " w5 w6"
    source = SourceText(original)
    assert source.find("w5 w6") == (original.index("w5 w6"), original.index("w5 w6") + 5)
    assert source.find("w1999 w5 w6") is not None
    assert not source.contains("w6 w5")
    assert not source.contains("w5 w7")


@given(st.text("ab", max_size=60), st.text("ab", min_size=1, max_size=20))
@example("a" * 10, "a" * 5 + "b")
@example("ba" * 10, "a" * 5)
def test_the_padded_search_is_str_find(haystack: str, needle: str) -> None:
    """Padding the haystack for a long needle moves nothing: the same first place, or none."""
    assert verify._find(haystack, needle) == haystack.find(needle)


def test_a_needle_longer_than_a_quarter_of_the_text() -> None:
    """Found in the right place when the needle is most of the text (the search is padded then)."""
    original = "a " * 1000 + "b"
    assert SourceText(original).find("a " * 400 + "b") == (1200, 2001)
    assert not SourceText(original).contains("b " + "a " * 400)


_MIB = 1 << 20


@pytest.mark.parametrize(
    ("original", "needle", "expected"),
    [
        # 1 MiB of `a `: a 1,000-character quote that fails on its last word, and one that is there.
        ("a " * (_MIB // 2), "a " * 499 + "b", None),
        ("a " * (_MIB // 2), "a " * 499 + "a", (0, 999)),
        # 1 MiB of one letter: one huge word, so no shorter run of it is a whole word.
        ("a" * _MIB, "a" * 1000, None),
        ("a" * _MIB, "a" * _MIB, (0, _MIB)),
        # Every word frequent, and a near-match every 1,000 characters that fails at the last word.
        (("a " * 499 + "b ") * (_MIB // 1000), "a " * 500, None),
        (("a " * 499 + "b ") * (_MIB // 1000), "b " + "a " * 499 + "b", (998, 1999)),
        # Partial words everywhere: `rking teams` is in every `working teams`, never whole.
        ("working teams " * (_MIB // 14), "rking teams", None),
        ("working teams " * (_MIB // 14) + "rking teams", "rking teams", ((_MIB // 14) * 14, (_MIB // 14) * 14 + 11)),
        # Curly quotes and long runs of spaces and line breaks, collapsed, in 1 MiB.
        ("\u201ca\u201d \n\n  " * (_MIB // 8), '"a" "a" "b"', None),
        ("\u201ca\u201d \n\n  " * (_MIB // 8), '"a" "a"', (0, 11)),
    ],
    ids=[
        "a-space-miss",
        "a-space-hit",
        "one-letter-miss",
        "one-letter-whole",
        "near-misses",
        "near-hit",
        "partial-words",
        "partial-then-whole",
        "collapsed-miss",
        "collapsed-hit",
    ],
)
def test_hostile_sources_of_1_mib(original: str, needle: str, expected: tuple[int, int] | None) -> None:
    """The worst sources for a search that tries every occurrence: right answers (timing: benchmarks/)."""
    assert SourceText(original).find(needle) == expected


# --- the seeds folder --------------------------------------------------------


def test_a_file_is_read_and_normalised_once_for_all_paths_to_it(repo: Path) -> None:
    """`seeds/x`, `seeds/./x` and a link to it inside seeds/ share one SourceText."""
    (repo / "seeds" / "link.txt").symlink_to(SEED.name)
    seeds = Seeds(repo)
    paths = [f"seeds/{SEED.name}", f"seeds/./{SEED.name}", "seeds/link.txt"]
    assert [seeds.problem(p) for p in paths] == [None, None, None]
    first, *others = (seeds.text(p) for p in paths)
    assert all(other is first for other in others)
    assert first.contains("constructive")
    assert Decimal(270) in seeds.numbers(paths[2])


def test_a_seeds_folder_that_is_a_symbolic_link_is_not_trusted(tmp_path: Path) -> None:
    """seeds/ linked to a folder elsewhere: every file through it is refused, even one that is there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / SEED.name).write_bytes(SEED.read_bytes())
    repo = tmp_path / "repo"
    (repo / "briefings").mkdir(parents=True)
    (repo / "seeds").symlink_to(elsewhere, target_is_directory=True)
    path = repo / "briefings" / "2024-08-25-cairo-talks.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    findings = check_collection([path], repo).findings
    assert [(f.severity, f.field) for f in findings] == [("warning", "sources"), ("error", "sources[0].file")]
    assert "seeds/ is a symbolic link" in findings[1].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_seeds_is_refused_not_waited_for(repo: Path) -> None:
    """A FIFO named as a source is not opened: nothing writes to it, reading would block forever."""
    os.mkfifo(repo / "seeds" / "pipe.txt")
    assert Seeds(repo).problem("seeds/pipe.txt") == "is not a regular file"
    assert Seeds(repo).problem("seeds") == "is not a file"


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("four of their last five games", {4, 5}),
        ("two boats and three cars", {2, 3}),
        ("four five", {4, 5}),
        ("twenty thirty", {20, 30}),
        ("twenty-one", {21}),
        ("three hundred and two", {302}),
        ("one hundred and twenty-five thousand", {125000}),
    ],
)
def test_a_run_of_number_words_ends_at_any_other_word(text: str, numbers: set[int]) -> None:
    """Number words separated by ordinary words are separate numbers, never their sum."""
    assert numbers_in(text) == {Decimal(n) for n in numbers}


def test_seeds_holding_a_few_texts_read_again_what_they_let_go(tmp_path: Path) -> None:
    """`Seeds(keep=N)` holds at most N texts, the least recently used let go first; a text let go is read
    again, the same, when asked for; one whose file became unusable meanwhile is refused, never made up."""
    (tmp_path / "seeds").mkdir()
    for number in range(6):
        (tmp_path / "seeds" / f"{number}.txt").write_text(f"Text number {number} said 1{number}0.\n", encoding="utf-8")
    seeds = Seeds(tmp_path, keep=2)
    for number in range(6):
        assert seeds.problem(f"seeds/{number}.txt") is None
    assert len(seeds._files) == 2  # the two used last
    assert seeds.text("seeds/0.txt").original == "Text number 0 said 100.\n"
    assert seeds.numbers("seeds/1.txt") == {Decimal(1), Decimal(110)}
    assert len(seeds._files) == 2
    held = seeds.text("seeds/1.txt")
    seeds.text("seeds/0.txt")
    assert seeds.text("seeds/1.txt") is held  # used last, so still held
    (tmp_path / "seeds" / "5.txt").unlink()
    seeds.text("seeds/2.txt")
    seeds.text("seeds/3.txt")
    with pytest.raises(ValueError, match="no such file"):
        seeds.text("seeds/5.txt")


def test_the_closest_passage_is_found_with_its_place_and_differences() -> None:
    from generator.rules.verify import closest_passage

    text = "Line one.\nThe minister said the talks were “constructive and frank” on Sunday.\n"
    found = closest_passage(text, "the talks were constructive and honest")
    assert found is not None
    assert (found.line, found.column) == (2, 19)
    assert found.text == "the talks were “constructive and frank”"
    assert found.differences == (("honest", "frank"),)
    assert closest_passage(text, "nothing here matches") is None
    # A needle of one word many times over, against a long text of it: each word of the text votes once.
    many = closest_passage("the " * 50_000, "the " * 600)
    assert many is not None and many.same == 600 and (many.line, many.column) == (1, 1)


def test_the_checker_reads_lakhs_and_crores_as_the_draft_does() -> None:
    """One table of scale words for `briefing check` and `briefing draft`: a crore is ten million."""

    assert states("approved a Rs 3,200-crore extension", Decimal(32_000_000_000))
    assert states("around 2.5 lakh passengers daily", Decimal(250_000))
    assert states("two lakh people", Decimal(200_000))
