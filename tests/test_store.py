"""The analyst's store (annotations.sqlite): claim decisions that persist, survive
other processes and re-cleaned articles, and a damaged file that is reported, not wiped."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from accord.index.decisions import LinkDecision, SentenceRef, resolve
from accord.index.errors import StoreError
from accord.index.store import Store

A = SentenceRef("art-a", 10, "Japan will ship Patriot missiles.")
B = SentenceRef("art-b", 0, "Tokyo is to send Patriot interceptors.")
C = SentenceRef("art-c", 42, "The cabinet approved the change on Friday.")


def test_decisions_persist_across_opens(tmp_path: Path) -> None:
    path = tmp_path / "ws" / "annotations.sqlite"
    with Store(path) as store:
        first = store.decide(A, B, "confirm")
        store.decide(B, C, "reject")
    with Store(path) as store:
        saved = store.decisions()
    assert [(d.verdict, d.id) for d in saved] == [("confirm", first.id), ("reject", first.id + 1)]
    assert {saved[0].a, saved[0].b} == {A, B}


def test_a_new_verdict_on_a_pair_replaces_the_old_one(tmp_path: Path) -> None:
    with Store(tmp_path / "a.sqlite") as store:
        store.decide(A, B, "confirm")
        store.decide(B, A, "reject")  # the same pair, named the other way round
        assert [d.verdict for d in store.decisions()] == ["reject"]


def test_undo_forgets_one_decision(tmp_path: Path) -> None:
    with Store(tmp_path / "a.sqlite") as store:
        keep = store.decide(A, C, "link")
        gone = store.decide(A, B, "reject")
        assert store.undo_decision(gone.id) and not store.undo_decision(gone.id)
        assert [d.id for d in store.decisions()] == [keep.id]


def test_an_unknown_verdict_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "a.sqlite") as store, pytest.raises(StoreError, match="unknown verdict"):
        store.decide(A, B, "maybe")  # type: ignore[arg-type]


def test_a_damaged_store_is_an_error_and_is_left_in_place(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    path.write_bytes(b"this is not a database, but it may be the analyst's only copy" * 50)
    with pytest.raises(StoreError, match="cannot open the annotation store"):
        Store(path)
    assert path.read_bytes().startswith(b"this is not a database")


def test_a_store_from_a_newer_accord_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer Accord"):
        Store(path)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from accord.index.decisions import SentenceRef
    from accord.index.store import Store
    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with Store(path) as store:
        for n in range(count):
            store.decide(SentenceRef(name, n, f"{name} {n}"), SentenceRef("shared", n, f"s {n}"), "link")
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    Store(path).close()  # created (and migrated) once, as the reader would
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "150"]) for name in ("left", "right")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with Store(path) as store:
        saved = store.decisions()
    assert len(saved) == 300
    assert {d.a.article for d in saved} | {d.b.article for d in saved} == {"left", "right", "shared"}


def test_a_decision_finds_its_sentence_after_the_text_moves(seed_articles) -> None:
    article = seed_articles["001"]
    ref = SentenceRef.of(article, 3)
    assert resolve(article, ref) == 3
    moved = SentenceRef(article.id, ref.start + 57, ref.text)  # a paragraph was inserted before it
    assert resolve(article, moved) == 3
    assert resolve(article, SentenceRef(article.id, ref.start, "A sentence the article no longer has.")) is None
    assert resolve(article, SentenceRef("another-article", ref.start, ref.text)) is None


def test_decision_joins() -> None:
    assert LinkDecision(A, B, "confirm").joins and LinkDecision(A, B, "link").joins
    assert not LinkDecision(A, B, "reject").joins
