"""The parts of the generator and the flow between them (ARCHITECTURE.md): each part is a package with a
docstring saying what it is and what it may import; the one-way flow itself is import-linter's contract
in pyproject.toml (run by `make lint`); this file checks what import-linter cannot: that no part reaches
into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "generator"
PARTS = ["store", "format", "rules", "site", "newsroom", "edge"]


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def part_of(module: str) -> str | None:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 and pieces[0] == "generator" and pieces[1] in PARTS else None


def test_every_module_is_in_a_part() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert loose == [], "modules outside the parts"
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(PARTS)


@pytest.mark.parametrize("part", PARTS)
def test_each_part_says_what_it_is_and_what_it_may_import(part: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / part / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "May import:" in doc


def private_reaches(source: str, own: str | None, where: str) -> list[str]:
    """Each `from generator.<other part>... import ...` in `source` that names a private module or name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            other = part_of(node.module)
            if other is None or other == own:
                continue
            names = [a.name for a in node.names]
            if any(piece.startswith("_") for piece in node.module.split(".")) or any(n.startswith("_") for n in names):
                found.append(f"{where}:{node.lineno}: from {node.module} import {', '.join(names)}")
    return found


def test_no_part_reaches_into_another_parts_private_names() -> None:
    found = []
    for path in modules():
        dotted = "generator." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        found += private_reaches(path.read_text(encoding="utf-8"), part_of(dotted), str(path.relative_to(PACKAGE)))
    assert found == []


def test_the_check_sees_a_private_reach_and_lets_a_part_use_its_own() -> None:
    source = (
        "from generator.rules.verify import _word_numbers\n"
        "from generator.site.render import _page\n"
        "from generator.format._hidden import thing\n"
        "from generator.format.model import Briefing\n"
    )
    found = private_reaches(source, "site", "site/example.py")
    assert found == [
        "site/example.py:1: from generator.rules.verify import _word_numbers",
        "site/example.py:3: from generator.format._hidden import thing",
    ]


def test_the_floors_install_every_dependency_at_its_declared_floor() -> None:
    """`make test-floors` installs each dependency pyproject.toml declares, at the lowest version it allows: the
    Makefile's FLOORS names every one, pinned to its `>=` bound (a dependency left out is not installed, and the
    floor build fails on its import)."""
    import re
    import tomllib

    declared = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    floors_text = re.search(
        r"^FLOORS := (.*?)\n(?!\t)", (PROJECT / "Makefile").read_text(encoding="utf-8"), re.M | re.S
    )
    assert floors_text is not None
    pinned = dict(pin.split("==") for pin in floors_text.group(1).replace("\\\n", " ").split())
    wanted = {}
    for requirement in declared:
        name, bound = re.match(r"([A-Za-z0-9_.\[\]-]+)>=([0-9.]+)", requirement).groups()  # type: ignore[union-attr]
        wanted[name.lower()] = bound
    assert {name.lower(): version for name, version in pinned.items()} == {
        name: ".".join([*bound.split("."), "0", "0"][:3]) for name, bound in wanted.items()
    }
