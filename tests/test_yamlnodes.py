"""The YAML layer: only the small part of YAML the format uses, every scalar kept as text."""

from __future__ import annotations

import pytest
import yaml

from generator.format import yamlnodes
from generator.format.yamlnodes import Broken, Mapping, Scalar, Sequence, YAMLSyntaxError, decode, parse


def _parse(text: str) -> tuple[object, list[tuple[int, int, str, str]]]:
    reports: list[tuple[int, int, str, str]] = []
    root = parse(text, lambda line, col, field, msg: reports.append((line, col, field, msg)))
    return root, reports


@pytest.mark.parametrize("word", ["No", "yes", "on", "off", "null", "~", "2024", "0x1F", "1e3", "2024-08-25", "true"])
def test_every_scalar_is_the_text_written(word: str) -> None:
    """No YAML 1.1 implicit typing: `No` stays the text "No"."""
    root, reports = _parse(f"title: {word}\n")
    assert isinstance(root, Mapping) and not reports
    value = root.items["title"][1]
    assert isinstance(value, Scalar) and value.value == word


def test_positions_are_one_based_for_keys_and_values() -> None:
    """A key and its value each remember their own line and column."""
    root, _ = _parse("a: 1\nlist:\n  - x\n")
    assert isinstance(root, Mapping)
    key, value = root.items["list"]
    assert (key.line, key.column) == (2, 1)
    assert isinstance(value, Sequence)
    item = value.items[0]
    assert isinstance(item, Scalar) and (item.line, item.column) == (3, 5)


@pytest.mark.parametrize(
    ("text", "where", "field", "message"),
    [
        ("a: 1\na: 2\n", (2, 1), "a", "duplicate key (first written at line 1)"),
        ("a: &x 1\n", (1, 4), "a", "anchors are not allowed (got '&x')"),
        ("a: 1\nb: *x\n", (2, 4), "b", "aliases are not allowed (got '*x')"),
        ("<<: {a: 1}\n", (1, 1), "<<", "merge keys ('<<') are not allowed"),
        ("a: !!python/object:os.system x\n", (1, 4), "a", "tags are not allowed (got '!!python/object:os.system')"),
        ("a: !foo x\n", (1, 4), "a", "tags are not allowed (got '!foo')"),
        ("a: !!str x\n", (1, 4), "a", "tags are not allowed (got '!!str')"),
        ("? [a]\n: 1\n", (1, 3), "", "a key must be plain text, not a list or mapping"),
        ("a: [[[[x]]]]\n", (1, 7), "a[0][0][0]", "nested too deeply"),
        ('a: "x\\u202ey"\n', (1, 4), "a", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("a: x\u200by\n", (1, 4), "a", "U+200B ZERO WIDTH SPACE"),
        ('a: "bell\\x07"\n', (1, 4), "a", "U+0007"),
    ],
)
def test_refused_constructs_are_reported_where_written(
    text: str, where: tuple[int, int], field: str, message: str
) -> None:
    """Each construct outside the format is one report, at its node, naming its field."""
    _, reports = _parse(text)
    assert [(r[0], r[1], r[2]) for r in reports] == [(*where, field)]
    assert message in reports[0][3]


def test_a_tag_constructs_nothing() -> None:
    """A python tag is only reported: the node becomes Broken, nothing is built from it."""
    root, _ = _parse("a: !!python/object/apply:os.system ['true']\n")
    assert isinstance(root, Mapping)
    assert isinstance(root.items["a"][1], Broken)


def test_second_document_is_a_syntax_error() -> None:
    """Two documents in one file stop the file at the second `---`."""
    with pytest.raises(YAMLSyntaxError) as info:
        _parse("a: 1\n---\nb: 2\n")
    assert (info.value.line, info.value.column) == (2, 1)


def test_syntax_error_carries_the_parser_position() -> None:
    """libyaml's problem position becomes the finding's position."""
    with pytest.raises(YAMLSyntaxError) as info:
        _parse("a: [1, 2\nb: 3\n")
    assert info.value.line == 2 and "YAML syntax" in info.value.message


def test_empty_document_is_none() -> None:
    """A file with only comments holds no document."""
    root, reports = _parse("# nothing here\n")
    assert root is None and not reports


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (b"\xff\xfea\x00:\x00", (1, 1), "UTF-16"),
        (b"a\x00:\x00 \x00", (1, 1), "UTF-16"),
        (b"title: ok\nsummary: caf\xe9 au lait\n", (2, 13), "not valid UTF-8"),
        (b"a: b\x01c\n", (1, 5), "U+0001"),
        (b"x" * (1024 * 1024 + 1), (1, 1), "larger than 1 MiB"),
    ],
)
def test_decode_refuses_what_is_not_utf8_text(data: bytes, where: tuple[int, int], message: str) -> None:
    """Encoding problems are one error at the first bad byte."""
    with pytest.raises(YAMLSyntaxError) as info:
        decode(data)
    assert (info.value.line, info.value.column) == where
    assert message in info.value.message


def test_decode_drops_a_utf8_bom() -> None:
    """A leading UTF-8 BOM is tolerated."""
    assert decode(b"\xef\xbb\xbftitle: x\n") == "title: x\n"


# --- code points that are not text (docs/format.md, "Limits") -----------------------------

#: Every noncharacter: U+FDD0 to U+FDEF, and U+xxFFFE and U+xxFFFF in each of the 17 planes.
NONCHARACTERS = [
    *range(0xFDD0, 0xFDF0),
    *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
]


def _escape(code: int) -> str:
    return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


def test_there_are_66_noncharacters() -> None:
    """32 in U+FDD0..U+FDEF and two at the end of each of the 17 planes."""
    assert len(set(NONCHARACTERS)) == 66


@pytest.mark.parametrize("code", NONCHARACTERS, ids=lambda c: f"U+{c:04X}")
def test_every_noncharacter_is_refused_as_escape_and_raw(code: int) -> None:
    """Escaped (`"\\uFFFE"`) or raw, even U+FFFE and U+FFFF that YAML parsers refuse: one finding in its field."""
    described = f"U+{code:04X} (a noncharacter)"
    for text, at in ((f'title: "ab{_escape(code)}"\n', 3), (f"title: ab{chr(code)}\n", 3)):
        root, reports = _parse(text)
        assert [(r[0], r[1], r[2]) for r in reports] == [(1, 8, "title")], (text, reports)
        assert f"contains {described} at character {at}: noncharacters are not text" == reports[0][3]
        assert isinstance(root, Mapping) and isinstance(root.items["title"][1], Broken)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a: "x\\u0000"\n', "U+0000 NULL at character 2"),
        ('a: "x\\e"\n', "U+001B ESCAPE"),
        ('a: "x\\r"\n', "U+000D CARRIAGE RETURN"),
        ('a: "x\\N"\n', "U+0085 NEXT LINE"),
        ('a: "x\\L"\n', "U+2028 LINE SEPARATOR"),
        ('a: "x\\P"\n', "U+2029 PARAGRAPH SEPARATOR"),
        ('a: "\\x9b"\n', "U+009B control character"),
        ('a: "\\u202D"\n', "U+202D LEFT-TO-RIGHT OVERRIDE"),
        ('a: "\\u2067"\n', "U+2067 RIGHT-TO-LEFT ISOLATE"),
        ('a: "\\u200D"\n', "U+200D ZERO WIDTH JOINER"),
        ('a: "\\u2060"\n', "U+2060 WORD JOINER"),
        ('a: "\\uFEFF"\n', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("a: x\u2066y\n", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("a: x\ufeffy\n", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("a: |\n  one\n  two\ufdd0\n", "U+FDD0 (a noncharacter) at character 8"),
    ],
)
def test_every_kind_of_refused_character_is_one_finding(text: str, message: str) -> None:
    """Control characters, bidi overrides and isolates, zero-width characters: raw or escaped."""
    _, reports = _parse(text)
    assert [(r[0], r[1], r[2]) for r in reports] == [(1, 4, "a")], reports
    assert message in reports[0][3]


@pytest.mark.parametrize(
    "text",
    [
        'a: "tab\\there"\n',
        "a: |\n  two\n  lines\n",
        'a: "\\U0001F600 \\u00E9 \\uFFFD \\uE000 \\U0010FFFD \\uFDCF \\uFDF0"\n',
        "a: 😀 é \ufffd \ue000 \U0010fffd \ufdcf \ufdf0 \U0001fffd\n",
        "a: \u200eLRM \u061cALM\n",
    ],
)
def test_characters_next_to_the_refused_ones_are_text(text: str) -> None:
    """Tab, line breaks where a value spans lines, emoji, U+FFFD, private use, U+FDCF and U+FDF0 are text."""
    root, reports = _parse(text)
    assert reports == [] and isinstance(root, Mapping)
    assert isinstance(root.items["a"][1], Scalar)


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\uD83D\\uDE00", "\\U00110000"])
def test_a_surrogate_escape_is_a_finding_at_its_place_never_a_crash(escape: str) -> None:
    """libyaml refuses `"\\ud800"` itself: one syntax error at the escape, saying why."""
    with pytest.raises(YAMLSyntaxError) as info:
        _parse(f'title: ok\nsummary: "ab{escape}"\n')
    assert (info.value.line, info.value.column) == (2, 15)
    assert "a surrogate (\\ud800 to \\udfff) or a code point past \\U0010FFFF is not a character" in info.value.message


@pytest.fixture
def pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse with PyYAML's pure-Python parser, which lets a surrogate escape through."""
    monkeypatch.setattr(yamlnodes, "_Parser", yaml.SafeLoader)


@pytest.mark.usefixtures("pure_python")
@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ('a: "x\\ud800"\n', "a", "contains U+D800 (a surrogate) at character 2"),
        ('a: "\\uD83D\\uDE00"\n', "a", "contains U+D83D (a surrogate) at character 1"),
        ('"k\\udc00": x\n', "k\\udc00", "contains U+DC00 (a surrogate) at character 2"),
        ("a: x\ufffe\n", "a", "contains U+FFFE (a noncharacter) at character 2"),
        ('a: "\\U0010FFFF"\n', "a", "contains U+10FFFF (a noncharacter) at character 1"),
    ],
)
def test_the_pure_python_parser_refuses_the_same(text: str, field: str, message: str) -> None:
    """Without libyaml a surrogate escape is read as a lone surrogate: refused in its field, never passed on."""
    root, reports = _parse(text)
    assert [(r[0], r[1], r[2]) for r in reports] == [(1, 1 if field != "a" else 4, field)], reports
    assert message in reports[0][3]
    assert isinstance(root, Mapping)
    for key, (_, value) in root.items.items():
        key.encode("utf-8")  # no surrogate anywhere
        assert isinstance(value, Broken)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('"ti\\uFFFEtle": x\n', "ti\\ufffetle"),
        ("ti\ufffftle: x\n", "ti\\ufffftle"),
        ('"\\U0010FFFF": x\n', "\\U0010ffff"),
        ("k\u200by: x\n", "k\\u200by"),
    ],
)
def test_a_key_with_a_refused_character_is_reported_with_an_escaped_field(text: str, field: str) -> None:
    """The field path shows the key with escapes; the key is kept out of the mapping (no "unknown key" follows)."""
    root, reports = _parse(text)
    assert [(r[0], r[1], r[2]) for r in reports] == [(1, 1, field)], reports
    assert isinstance(root, Mapping) and root.items == {}


def test_values_under_a_refused_key_are_still_checked() -> None:
    """The key's value is read, and its own problems reported under the escaped path."""
    _, reports = _parse('"k\\uFFFE": {b: "\\x07"}\n')
    assert [(r[0], r[1], r[2]) for r in reports] == [(1, 1, "k\\ufffe"), (1, 16, "k\\ufffe.b")]


def test_raw_fffe_keeps_every_later_position_and_name_right() -> None:
    """A raw U+FFFE is swapped for a stand-in while parsing; positions and names after it are unchanged."""
    text = 'a: x\ufffe y\ufffe\nb: "\\ufdd0"\nc: "\\uFDD1"\nd: \uffff\ne: "\\u200b"\n'
    _, reports = _parse(text)
    assert [(r[0], r[1], r[2], r[3].split(" at ")[0]) for r in reports] == [
        (1, 4, "a", "contains U+FFFE (a noncharacter)"),
        (2, 4, "b", "contains U+FDD0 (a noncharacter)"),
        (3, 4, "c", "contains U+FDD1 (a noncharacter)"),
        (4, 4, "d", "contains U+FFFF (a noncharacter)"),
        (5, 4, "e", "contains U+200B ZERO WIDTH SPACE"),
    ]


def test_raw_fffe_in_a_text_that_leaves_no_stand_in_is_one_error() -> None:
    """A text holding every possible stand-in and a raw U+FFFE: a whole-file error at the U+FFFE, no crash."""
    stand_ins = "".join(chr(code) for code in range(0xFDD0, 0xFDF0))
    with pytest.raises(YAMLSyntaxError) as info:
        _parse(f"a: {stand_ins}\nb: x\ufffe\n")
    assert (info.value.line, info.value.column) == (2, 5)
    assert info.value.message == "U+FFFE (a noncharacter) is not allowed in a briefing"


def test_a_raw_noncharacter_in_a_comment_is_not_text() -> None:
    """Only text is checked: a comment is not a value."""
    assert _parse("# note \ufffe \U0001fffe\na: x\n")[1] == []
