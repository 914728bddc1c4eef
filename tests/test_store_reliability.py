"""The analyst's store under stress: processes killed mid-write, two processes writing
at once, and annotations re-found after their article's text changes. Real SQLite
files, real processes (tests/store_writer.py), real indexed articles."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from store_writer import expected

from accord.index.anchoring import Anchor, find_quote
from accord.index.annotations import Orphan, Placed, locate
from accord.index.library import Library
from accord.index.store import Store
from accord.index.workspace import Workspace

WRITER = Path(__file__).with_name("store_writer.py")


def start_writer(store: Path, label: str, count: int, wait: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(store), label, str(count), *(["--wait"] if wait else [])],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def acks(line: str) -> tuple[int, int]:
    annotation_id, n = line.split()
    return int(annotation_id), int(n)


def assert_exact(store: Store, annotation_id: int, label: str, n: int) -> None:
    anchor, tags, note = expected(label, n)
    saved = store.annotation(annotation_id)
    assert (saved.anchor, saved.tags, saved.note) == (anchor, tags, note), (label, n)


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_acknowledged_annotations_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    rng = random.Random(20231223)
    acknowledged: dict[int, tuple[str, int]] = {}
    rounds, deadline = 25, time.monotonic() + 18
    for round_number in range(rounds):
        label = f"r{round_number}"
        writer = start_writer(path, label, 0)
        assert writer.stdout is not None
        wanted = rng.randrange(0, 12)  # acknowledgements to wait for before the kill
        for _ in range(wanted):
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "writer ended"
            annotation_id, n = acks(line)
            acknowledged[annotation_id] = (label, n)
        time.sleep(rng.uniform(0, 0.02))  # land anywhere in the next write
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=10)  # acks printed before the kill count too
        assert writer.returncode == -signal.SIGKILL
        for line in rest.splitlines():
            annotation_id, n = acks(line)
            acknowledged[annotation_id] = (label, n)

        assert integrity(path) == "ok"
        with Store(path) as store:  # opens (and migrates nothing) after every crash
            saved = {a.id: a for a in store.annotations()}
            for annotation_id, (ack_label, n) in acknowledged.items():
                assert annotation_id in saved, f"acknowledged annotation {annotation_id} lost"
                assert_exact(store, annotation_id, ack_label, n)
            # A write the kill interrupted is all there or not there: never a row without its tags.
            for annotation in saved.values():
                assert len(annotation.tags) == 3 and annotation.note.startswith("note ")
        if time.monotonic() > deadline and round_number >= 10:
            break
    assert len(acknowledged) >= 10  # the kills did land among real writes


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    Store(path).close()  # both writers find the schema in place
    count = 200
    writers = {label: start_writer(path, label, count, wait=True) for label in ("a", "b")}
    for writer in writers.values():
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    for writer in writers.values():
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    printed: dict[str, list[tuple[int, int]]] = {}
    for label, writer in writers.items():
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        printed[label] = [acks(line) for line in out.splitlines()]

    ids = [annotation_id for lines in printed.values() for annotation_id, _ in lines]
    assert len(ids) == 2 * count and len(set(ids)) == 2 * count
    with Store(path) as store:
        saved = store.annotations()
        assert sorted(a.id for a in saved) == sorted(ids)
        for label, lines in printed.items():
            assert [n for _, n in lines] == list(range(count))
            for annotation_id, n in lines:
                assert_exact(store, annotation_id, label, n)
        assert {a.note for a in saved} == {expected(label, n)[2] for label in writers for n in range(count)}
    assert integrity(path) == "ok"


INSERTED = "Officials in Tokyo briefed reporters on the details late on Friday evening.\n"
MOVED = "The war in Ukraine and Tokyo's concerns about China and North Korea have forced Japan to rethink its contribution"
CHANGED = "Japan still prohibits to supply weapons to countries involved in the war, meaning that it cannot directly send"
DELETED_LINE = ("However, according to security analysts, this move shows that Japan is ready to look for new ways to play "
                "a more more significant role in international security.\n")
DELETED = "this move shows that Japan is ready to look for new ways to play a more significant role"


def test_annotations_are_found_again_after_the_article_changes(tmp_path: Path, seeds_dir: Path) -> None:
    source = tmp_path / "story" / "unn.txt"
    source.parent.mkdir()
    shutil.copy(seeds_dir / "002_a1e0a7027e69f4ca.txt", source)
    workspace = Workspace(tmp_path / "ws")
    with Library(workspace) as library:
        library.sync([source])
        [article_id] = library.catalog.all_ids()
        before = library.article(article_id)
    assert before.source == "UNN"

    saved = {}
    with Store(workspace.annotations_path) as store:
        for name, quote in (("moved", MOVED), ("changed", CHANGED), ("deleted", DELETED)):
            span = find_quote(before.text, quote)
            assert span is not None, name
            saved[name] = store.add_annotation(Anchor.at(article_id, before.text, *span), (name,), f"about {name}")

    raw = source.read_text(encoding="utf-8")
    assert raw.count("The war in Ukraine") == 1 and raw.count(DELETED_LINE) == 1 and raw.count("countries involved in") == 1
    edited = (raw.replace("The war in Ukraine", INSERTED + "The war in Ukraine")
                 .replace("countries involved in", "countries engaged in")
                 .replace(DELETED_LINE, ""))
    source.write_text(edited, encoding="utf-8")

    with Library(workspace) as library:  # a later session: re-index, then place what the store holds
        report = library.sync([source])
        assert report.updated == 1
        assert library.catalog.all_ids() == [article_id]  # identity is the file, not its content
        after = library.article(article_id)
        with Store(workspace.annotations_path) as store:
            placed, orphans = locate(store.annotations(), lambda i: library.article(i) if i == article_id else None)

    assert "Officials in Tokyo briefed reporters" in after.text and "ready to look for new ways" not in after.text
    by_name: dict[str, Placed | Orphan] = {item.annotation.tags[0]: item for item in [*placed, *orphans]}
    moved, changed, deleted = by_name["moved"], by_name["changed"], by_name["deleted"]

    assert isinstance(moved, Placed) and moved.how == "quote"
    assert moved.start > saved["moved"].anchor.start  # the new paragraph pushed it down
    assert after.text[moved.start : moved.end] == MOVED

    assert isinstance(changed, Placed) and changed.how == "fuzzy"
    assert after.text[changed.start : changed.end] == CHANGED.replace("involved", "engaged")

    assert isinstance(deleted, Orphan) and "not found" in deleted.reason
    assert deleted.annotation == saved["deleted"]  # kept whole: quote, tags and note as annotated
