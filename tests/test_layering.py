"""The architecture's rules, checked on the source so they cannot rot:

- the engine (index/) never imports Textual or Rich, so any front end can use it;
- every Whoosh import of the application (index/, tui/ and the package's own root
  modules) lives in index/fulltext.py, so Whoosh's quirks stay in one place (tests may
  import Whoosh to pin its behaviour down);
- front ends reach the engine's state through the Desk: tui/ imports none of the storage
  modules (the Whoosh index, the catalog, the store, the library and what they are built
  on), only the plain records and helpers of the others;
- a use case the Desk has a verb for is not written again in tui/: it does not import
  the helpers that verb is made of (the briefing's document and file writing, finding a
  quote, the bundled seeds as a default);
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
# The engine's storage: no front end imports these, whatever the name (the Desk owns them).
STORAGE = {f"accord.index.{name}" for name in
           ("fulltext", "schema", "catalog", "store", "library", "loading", "sqlite_tx", "worker_pipes")}
# Helpers a Desk verb is made of: a front end calls the verb instead.
DESK_VERBS = {
    ("accord.index.briefing", "document"): "Desk.briefing_document / Desk.write_briefing",
    ("accord.index.atomic_write", "write_atomically"): "Desk.write_briefing",
    ("accord.index.anchoring", "find_quote"): "Desk.anchor_quote / Desk.quote_occurrences",
    ("accord.index.anchoring", "count_quote"): "Desk.quote_occurrences",
    ("accord.index.ingest", "bundled_seeds"): "Desk.default_paths / sync_default / ensure_articles",
}


def imports(path: Path, top: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, absolute module, imported names) of every import in the file, which lies
    under `top` (index/ or tui/, or a copy of one)."""
    package = ".".join([PACKAGES.get(top.name, "accord"), *path.relative_to(top).parent.parts])
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


def root_modules(root: Path = ROOT) -> list[Path]:
    """The package's own modules at the root (accord/__init__.py, __main__.py)."""
    return sorted(root.glob("*.py"))


def imported_modules(module: str, names: tuple[str, ...]) -> list[str]:
    """`module`, and for `from package import name` each name that may be a module of it."""
    return [module, *(f"{module}.{name}" for name in names)]


def broken_rules(index: Path = INDEX, tui: Path = TUI, root: list[Path] | None = None) -> list[str]:
    problems = []
    for path in modules(index):
        for line, module, _ in imports(path, index):
            top = module.split(".")[0]
            if top in ("textual", "rich"):
                problems.append(f"{path.name}:{line} imports {module}: the engine must work without a terminal")
    application = [(path, index, f"index/{path.relative_to(index).as_posix()}") for path in modules(index)]
    application += [(path, tui, f"tui/{path.relative_to(tui).as_posix()}") for path in modules(tui)]
    application += [(path, path.parent, path.name) for path in (root_modules() if root is None else root)]
    for path, top, shown in application:
        if shown == "index/fulltext.py":
            continue
        for line, module, _ in imports(path, top):
            if module.split(".")[0] == "whoosh":
                problems.append(f"{shown}:{line} imports {module}: Whoosh belongs in index/fulltext.py")
    for path in modules(tui):
        for line, module, names in imports(path, tui):
            storage = [m for m in imported_modules(module, names) if m in STORAGE]
            if storage:
                problems.append(f"tui/{path.name}:{line} imports {storage[0]}: the engine's storage is the Desk's; "
                                "front ends go through the Desk")
            for name in names:
                if (verb := DESK_VERBS.get((module, name))) is not None:
                    problems.append(f"tui/{path.name}:{line} imports {name}: that use case is the Desk's ({verb})")
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


def test_the_engine_stands_alone_whoosh_stays_in_fulltext_and_the_reader_goes_through_the_desk() -> None:
    assert broken_rules() == []


def test_the_rules_read_every_part_of_the_application() -> None:
    assert {p.name for p in root_modules()} >= {"__init__.py", "__main__.py"}
    assert (INDEX / "fulltext.py").exists() and all(m in STORAGE for m in ("accord.index.store", "accord.index.catalog"))


def test_the_reader_has_no_import_cycle() -> None:
    assert tui_cycles() == []


def test_no_reader_module_outgrows_one_job() -> None:
    long = {p.name: n for p in modules(TUI) if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_TUI_LINES}
    assert long == {}


@pytest.mark.parametrize("module, source, expected", [
    ("index", "from textual.widget import Widget\n", "imports textual.widget"),
    ("index", "def f():\n    import rich.text\n", "imports rich.text"),
    ("index", "from whoosh.analysis import StemmingAnalyzer\n", "Whoosh belongs in index/fulltext.py"),
    ("tui", "import whoosh\n", "tui/offender.py:1 imports whoosh: Whoosh belongs in index/fulltext.py"),
    ("tui", "def f():\n    from whoosh import qparser\n", "Whoosh belongs in index/fulltext.py"),
    ("root", "from whoosh import index\n", "offender.py:1 imports whoosh"),
    ("tui", "from accord.index.library import Library\n", "front ends go through the Desk"),
    ("tui", "from ..index.store import Store\n", "front ends go through the Desk"),
    ("tui", "from accord.index import fulltext\n", "imports accord.index.fulltext"),
    ("tui", "import accord.index.catalog\n", "imports accord.index.catalog"),
    ("tui", "from accord.index.catalog import ArticleSummary\n", "imports accord.index.catalog"),
    ("tui", "def f():\n    from accord.index.schema import SCHEMA\n", "imports accord.index.schema"),
    ("tui", "from accord.index.briefing import document\n", "that use case is the Desk's"),
    ("tui", "from accord.index.anchoring import Anchor, find_quote\n", "imports find_quote"),
    ("tui", "from ..index.ingest import bundled_seeds\n", "Desk.default_paths"),
])
def test_a_forbidden_import_is_caught(tmp_path: Path, module: str, source: str, expected: str) -> None:
    """The checks fail when the rules are broken (here, in a copy of a folder)."""
    index, tui, root = tmp_path / "index", tmp_path / "tui", tmp_path / "root"
    for folder in (index, tui, root):
        folder.mkdir()
        (folder / "clean.py").write_text("import json\n", encoding="utf-8")
    (tmp_path / module / "offender.py").write_text(source, encoding="utf-8")
    problems = broken_rules(index, tui, sorted(root.glob("*.py")))
    assert any(expected in problem for problem in problems), problems


def test_the_reader_may_take_plain_records_and_helpers_from_the_engine(tmp_path: Path) -> None:
    index, tui = tmp_path / "index", tmp_path / "tui"
    index.mkdir(), tui.mkdir()
    (tui / "fine.py").write_text("from accord.index.model import Article, ArticleSummary, SyncReport\n"
                                 "from accord.index.anchoring import Anchor\nfrom accord.index.desk import Desk\n"
                                 "from accord.index import claim_query\n", encoding="utf-8")
    assert broken_rules(index, tui, []) == []


def test_an_import_cycle_is_caught(tmp_path: Path) -> None:
    tmp_path = tmp_path / "tui"
    tmp_path.mkdir()
    (tmp_path / "a.py").write_text("from .b import thing\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from accord.tui.a import other\n", encoding="utf-8")
    assert tui_cycles(tmp_path) == [["a", "b", "a"]]
