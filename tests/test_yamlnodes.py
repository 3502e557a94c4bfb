"""The YAML layer: only the small part of YAML the format uses, every scalar kept as text."""

from __future__ import annotations

import pytest

from generator.yamlnodes import Broken, Mapping, Scalar, Sequence, YAMLSyntaxError, decode, parse


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
