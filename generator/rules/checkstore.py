"""Checks kept between builds: a file whose bytes, name and source texts are unchanged is not checked again.

A file's check depends on nothing else: its bytes, its name (as findings show it),
the source texts it read (whether each can be used, and its text) and the
generator's own code. `KeptChecks` keeps each check in a `cache.Store` as JSON,
under the SHA-256 of the first three and the code (`store.code.code_digest`), with the
source files it read and what they were. A kept check is used only if every one of
those files is still what it was; anything that does not read back as exactly the
data a check makes (a field missing or of another type) is checked again.

JSON, read into the model's own types field by field: nothing kept is unpickled or run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.rules.validate import CheckedFile
from generator.rules.verify import Seeds
from generator.store.cache import CacheError, Store
from generator.store.code import code_digest

#: The version of the entries' form: a new form reads no entry of an old one.
FORM = "briefings-check-1"


class _Bad(Exception):
    """An entry that does not read back as a check."""


def briefing_key(key: str, read: list[tuple[str, str | None, str | None]]) -> str:
    """What names the briefing a check made, for the digests of the pages that show it (`inputs.Digests`):
    the check's key and the source files it read, as they were."""
    return hashlib.sha256(json.dumps([key, read]).encode()).hexdigest()


class KeptChecks:
    """Each file's check, kept in `store` by what it was made from."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.used: set[str] = set()
        self.reused = 0
        self.checked = 0

    @staticmethod
    def key(shown: str, name: str, data: bytes) -> str:
        digest = hashlib.sha256()
        for part in (
            FORM.encode(),
            code_digest().encode(),
            shown.encode("utf-8", "surrogatepass"),
            name.encode("utf-8", "surrogatepass"),
            data,
        ):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()

    def get(self, key: str, shown: str, seeds: Seeds) -> CheckedFile | None:
        """The kept check of the file of `key`, if every source text it read is as it was; else None."""
        self.used.add(key)
        data = self.store.read(f"{key}.json")
        if data is None:
            return None
        try:
            entry = json.loads(data)
            _expect(entry, dict)
            if entry.get("form") != FORM or entry.get("path") != shown:
                return None
            for path, problem, digest in _expect(entry["read"], list):
                if seeds.problem(_expect(path, str)) != problem or (problem is None and seeds.digest(path) != digest):
                    return None
            checked = _checked(entry["checked"])
        except (_Bad, KeyError, TypeError, ValueError, RecursionError):
            return None
        checked.key = briefing_key(key, checked.read)
        self.reused += 1
        return checked

    def put(self, key: str, checked: CheckedFile) -> None:
        """Keep a check just made; `checked.read` gives the source files it read, as they were."""
        self.used.add(key)
        checked.key = briefing_key(key, checked.read)
        entry = {"form": FORM, "path": checked.path, "read": checked.read, "checked": _plain(checked)}
        try:
            self.store.write(f"{key}.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        except (CacheError, OSError):
            return  # not kept: checked again next time
        self.checked += 1

    def keep_only_used(self) -> None:
        """Delete the checks of files this run did not see; write the manifest; begin counting again."""
        for relative in sorted(self.store.entries):
            if relative.removesuffix(".json") not in self.used:
                self.store.delete(relative)
        self.store.save()
        self.used = set()
        self.reused = self.checked = 0


# --- a check as JSON, and back -------------------------------------------------------


def _plain(value: Any) -> Any:
    """A check's data as JSON: dates and decimals tagged, dataclasses as objects of their fields."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"moment": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {"map": [[key, _plain(item)] for key, item in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot keep a value of type {type(value).__name__}")


def _checked(data: Any) -> CheckedFile:
    return typing.cast(CheckedFile, _reader(CheckedFile)(data))


def _expect(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise _Bad(f"{kind.__name__} expected")
    return value


#: A reader for each type met: a function from JSON data to a value of that type, exactly, or _Bad.
_READERS: dict[Any, typing.Callable[[Any], Any]] = {}


def _reader(hint: Any) -> typing.Callable[[Any], Any]:
    found = _READERS.get(hint)
    if found is None:
        found = _READERS[hint] = _make_reader(hint)
    return found


def _make_reader(hint: Any) -> typing.Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _union_reader(hint)
    if origin is typing.Literal:
        return _literal_reader(hint)
    if hint is str or hint is int or hint is bool:
        return lambda data: _expect(data, hint)
    if hint is Decimal:
        return _decimal
    if hint is dt.datetime:
        return _moment
    if hint is dt.date:
        return _date
    if origin is tuple:
        return _tuple_reader(hint)
    if origin is list:
        item = _reader(typing.get_args(hint)[0])
        return lambda data: [item(value) for value in _expect(data, list)]
    if origin is dict:
        return _dict_reader(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record_reader(hint)
    raise _Bad(f"a type that is not kept: {hint!r}")


def _union_reader(hint: Any) -> typing.Callable[[Any], Any]:
    optional = type(None) in typing.get_args(hint)
    arms = [_reader(arm) for arm in typing.get_args(hint) if arm is not type(None)]

    def union(data: Any) -> Any:
        if data is None and optional:
            return None
        for arm in arms:
            try:
                return arm(data)
            except _Bad:
                continue
        raise _Bad("no arm of a union")

    return union


def _literal_reader(hint: Any) -> typing.Callable[[Any], Any]:
    allowed = typing.get_args(hint)

    def literal(data: Any) -> Any:
        if type(data) is not str or data not in allowed:
            raise _Bad("not one of the values allowed")
        return data

    return literal


def _decimal(data: Any) -> Decimal:
    try:
        return Decimal(_expect(_expect(data, dict)["decimal"], str))
    except (InvalidOperation, KeyError):
        raise _Bad("not a decimal") from None


def _date(data: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_expect(_expect(data, dict)["date"], str))
    except (ValueError, KeyError):
        raise _Bad("not a date") from None


def _moment(data: Any) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(_expect(_expect(data, dict)["moment"], str))
    except (ValueError, KeyError):
        raise _Bad("not a date and time") from None
    if moment.tzinfo is None:
        raise _Bad("a date and time without its zone")
    return moment


def _tuple_reader(hint: Any) -> typing.Callable[[Any], Any]:
    args = typing.get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        item = _reader(args[0])
        return lambda data: tuple(item(value) for value in _expect(data, list))
    arms = [_reader(arg) for arg in args]

    def fixed(data: Any) -> tuple[Any, ...]:
        if len(_expect(data, list)) != len(arms):
            raise _Bad("a tuple of another length")
        return tuple(arm(value) for arm, value in zip(arms, data, strict=True))

    return fixed


def _dict_reader(hint: Any) -> typing.Callable[[Any], Any]:
    key_reader, value_reader = (_reader(arg) for arg in typing.get_args(hint))

    def mapping(data: Any) -> dict[Any, Any]:
        try:
            pairs = _expect(_expect(data, dict)["map"], list)
        except KeyError:
            raise _Bad("not a map") from None
        found = {}
        for pair in pairs:
            if len(_expect(pair, list)) != 2:
                raise _Bad("not a pair")
            found[key_reader(pair[0])] = value_reader(pair[1])
        return found

    return mapping


def _record_reader(kind: Any) -> typing.Callable[[Any], Any]:
    names = [f.name for f in dataclasses.fields(kind)]
    hints = typing.get_type_hints(kind)
    readers: list[tuple[str, typing.Callable[[Any], Any]]] = []
    _READERS[kind] = lambda data: record(data)  # a type that holds itself
    try:
        readers.extend((name, _reader(hints[name])) for name in names)
    except _Bad:
        del _READERS[kind]  # never left half made
        raise
    expected = sorted(names)

    def record(data: Any) -> Any:
        fields = _expect(data, dict)
        if len(fields) != len(readers) or sorted(fields) != expected:
            raise _Bad(f"not the fields of {kind.__name__}")
        return kind(**{name: read(fields[name]) for name, read in readers})

    return record
