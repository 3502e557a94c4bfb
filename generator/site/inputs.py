"""A digest of what a page is rendered from: its template and every value of its context.

A warm `mkdocs build` takes a page's finished HTML from the cache, without rendering
it, when the digest of its inputs is one it kept (`render.Kept`). The digest is
made from the values themselves, never from how they look in memory, and it
names each value's type, so that two inputs that would render differently never
share one: text and `Markup` differ, `1` and `"1"` and `True` differ, a tuple's
order counts and so does a dict's. A value of a type it does not know (a
function, an object) is `Unkeyed`: that page is rendered, as it always was.

Nothing is read back from a digest; it is only compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from generator.rules.verify import SourceText
from generator.site.escape import Safe


class Unkeyed(Exception):
    """A value the digest cannot name by what it is."""


#: Field names of each dataclass met, in their order.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


class Digests:
    """Digests of values; the values of `remembered` types are each digested once and named by it after.

    A remembered value is held (by identity) as long as this object, so that its digest is never
    taken for another value that happens to get the same place in memory.
    """

    def __init__(self, remembered: tuple[type, ...] = ()) -> None:
        self.remembered = remembered
        self._known: dict[int, tuple[object, bytes]] = {}
        #: The remembered values met by the last `of`, in the order met.
        self.seen: list[object] = []

    def remember(self, value: object, digest: bytes) -> None:
        """Name `value`, of a remembered type, by `digest`: something that names everything it holds."""
        self._known[id(value)] = (value, digest)

    def of(self, *values: Any) -> str:
        """The SHA-256 (hexadecimal) of `values`, or Unkeyed."""
        self.seen = []
        parts: list[bytes] = []
        for value in values:
            self._add(value, parts)
        return hashlib.sha256(b"".join(parts)).hexdigest()

    def _once(self, value: object) -> bytes:
        self.seen.append(value)
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        parts: list[bytes] = []
        self._add_fields(value, parts)
        digest = hashlib.sha256(b"".join(parts)).digest()
        self._known[id(value)] = (value, digest)
        return digest

    def _add(self, value: Any, parts: list[bytes]) -> None:
        kind = type(value)
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            scalar(value, parts)
        elif kind is tuple or kind is list:
            parts.append(b"(" if kind is tuple else b"[")
            parts.append(len(value).to_bytes(8, "big"))
            for item in value:
                self._add(item, parts)
        elif kind is dict:
            parts.append(b"{")
            parts.append(len(value).to_bytes(8, "big"))
            for key, item in value.items():  # in order: a dict's order may be what a page shows
                self._add(key, parts)
                self._add(item, parts)
        elif kind is frozenset or kind is set:
            items = sorted(self._digest(item) for item in value)
            parts.append(b"<")
            parts.append(len(items).to_bytes(8, "big"))
            parts.extend(item.encode("ascii") for item in items)
        elif kind is SourceText:  # a source text is what it says
            parts.append(b"X")
            parts.append(hashlib.sha256(value.original.encode("utf-8", "surrogatepass")).digest())
        elif kind is Deferred:
            parts.append(b"?")
            self._add(value.key, parts)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            self._add_dataclass(value, parts)
        else:
            raise Unkeyed(f"a value of type {kind.__qualname__}")

    def _digest(self, value: object) -> str:
        """The SHA-256 of one value, as `of` gives it, the values seen so far kept."""
        parts: list[bytes] = []
        self._add(value, parts)
        return hashlib.sha256(b"".join(parts)).hexdigest()

    def _add_dataclass(self, value: Any, parts: list[bytes]) -> None:
        kind = type(value)
        name = f"{kind.__module__}.{kind.__qualname__}".encode()
        parts.append(b"@")
        parts.append(len(name).to_bytes(2, "big"))
        parts.append(name)
        if kind in self.remembered:
            parts.append(self._once(value))
        else:
            self._add_fields(value, parts)

    def _add_fields(self, value: object, parts: list[bytes]) -> None:
        names = _fields(type(value))
        parts.append(len(names).to_bytes(2, "big"))
        for name in names:
            self._add(getattr(value, name), parts)


def _text(value: str, parts: list[bytes]) -> None:
    kind = type(value)
    data = value.encode("utf-8", "surrogatepass")
    parts.append(b"s" if kind is str else b"m" if kind is Markup else b"S")
    parts.append(len(data).to_bytes(8, "big"))
    parts.append(data)


def _none(value: None, parts: list[bytes]) -> None:
    parts.append(b"N")


def _bool(value: bool, parts: list[bytes]) -> None:
    parts.append(b"T" if value else b"F")


def _number(value: int | float | Decimal, parts: list[bytes]) -> None:
    kind = type(value)
    data = repr(value).encode("ascii")
    parts.append(b"i" if kind is int else b"f" if kind is float else b"d")
    parts.append(len(data).to_bytes(2, "big"))
    parts.append(data)


def _date(value: dt.date, parts: list[bytes]) -> None:
    data = value.isoformat().encode("ascii")
    parts.append(b"D" if type(value) is dt.date else b"t")
    parts.append(len(data).to_bytes(2, "big"))
    parts.append(data)


#: How each value that holds no other is written into a digest, by its exact type (a subclass is not taken).
_SCALARS: dict[type, Callable[[Any, list[bytes]], None]] = {
    str: _text,
    Markup: _text,
    Safe: _text,
    type(None): _none,
    bool: _bool,
    int: _number,
    float: _number,
    Decimal: _number,
    dt.date: _date,
    dt.datetime: _date,
}


@dataclasses.dataclass(frozen=True)
class Deferred:
    """A value of a page's context that is made only when the page is rendered: `make()`; named in the
    page's digest by `key`, which must name everything `make` reads. Two are equal when their keys are
    (`mkdocs serve` compares a page's inputs with the last build's)."""

    make: Callable[[], Any] = dataclasses.field(compare=False)
    key: Any = None
