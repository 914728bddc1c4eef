"""The architecture's rules, checked on the source so they cannot rot:

- the engine (index/) never imports Textual or Rich, so any front end can use it;
- every Whoosh import lives in index/fulltext.py, so Whoosh's quirks stay in one place;
- front ends reach the engine's state through the Desk: tui/ opens no Library or Store itself;
- tui/ has no import cycle, and no module there grows past MAX_TUI_LINES.

Imports are read with `ast` from every file, including imports inside functions and
under TYPE_CHECKING: a lazy or type-only import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INDEX, TUI = ROOT / "index", ROOT / "tui"
MAX_TUI_LINES = 450
PACKAGES = {"index": "accord.index", "tui": "accord.tui"}


def imports(path: Path, top: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, absolute module, imported names) of every import in the file, which lies
    under `top` (index/ or tui/, or a copy of one)."""
    package = ".".join([PACKAGES[top.name], *path.relative_to(top).parent.parts])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.append((node.lineno, f"{base}.{node.module}" if node.module else base, names))
            else:
                found.append((node.lineno, node.module or "", names))
    return found


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def broken_rules(index: Path = INDEX, tui: Path = TUI) -> list[str]:
    problems = []
    for path in modules(index):
        for line, module, _ in imports(path, index):
            top = module.split(".")[0]
            if top in ("textual", "rich"):
                problems.append(f"{path.name}:{line} imports {module}: the engine must work without a terminal")
            if top == "whoosh" and path.name != "fulltext.py":
                problems.append(f"{path.name}:{line} imports {module}: Whoosh belongs in index/fulltext.py")
    for path in modules(tui):
        for line, module, names in imports(path, tui):
            opened = {"accord.index.library": "Library", "accord.index.store": "Store"}.get(module)
            if opened and opened in names:
                problems.append(f"{path.name}:{line} imports {opened}: front ends go through the Desk")
    return problems


def tui_cycles(tui: Path = TUI) -> list[list[str]]:
    graph = {
        path.stem: {module.removeprefix("accord.tui.") for _, module, _ in imports(path, tui) if module.startswith("accord.tui.")}
        for path in modules(tui)
    }
    cycles, done = [], set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycles.append(trail[trail.index(node):] + [node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, trail + [node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return cycles


def test_the_engine_imports_no_front_end_and_whoosh_stays_in_fulltext() -> None:
    assert broken_rules() == []


def test_the_reader_has_no_import_cycle() -> None:
    assert tui_cycles() == []


def test_no_reader_module_outgrows_one_job() -> None:
    long = {p.name: n for p in modules(TUI) if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_TUI_LINES}
    assert long == {}


@pytest.mark.parametrize("module, source, expected", [
    ("index", "from textual.widget import Widget\n", "imports textual.widget"),
    ("index", "def f():\n    import rich.text\n", "imports rich.text"),
    ("index", "from whoosh.analysis import StemmingAnalyzer\n", "Whoosh belongs in index/fulltext.py"),
    ("tui", "from accord.index.library import Library\n", "front ends go through the Desk"),
    ("tui", "from ..index.store import Store\n", "front ends go through the Desk"),
])
def test_a_forbidden_import_is_caught(tmp_path: Path, module: str, source: str, expected: str) -> None:
    """The checks fail when the rules are broken (here, in a copy of a folder)."""
    index, tui = tmp_path / "index", tmp_path / "tui"
    for folder in (index, tui):
        folder.mkdir()
        (folder / "clean.py").write_text("import json\n", encoding="utf-8")
    (tmp_path / module / "offender.py").write_text(source, encoding="utf-8")
    assert any(expected in problem for problem in broken_rules(index, tui))


def test_an_import_cycle_is_caught(tmp_path: Path) -> None:
    tmp_path = tmp_path / "tui"
    tmp_path.mkdir()
    (tmp_path / "a.py").write_text("from .b import thing\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from accord.tui.a import other\n", encoding="utf-8")
    assert tui_cycles(tmp_path) == [["a", "b", "a"]]
