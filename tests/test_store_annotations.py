"""Annotations in the analyst's store: add, list, update, delete and restore; tags in
order and by recency; the migration from a store that only had claim decisions;
data_version telling one process that another has written."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from accord.index.anchoring import Anchor
from accord.index.decisions import SentenceRef
from accord.index.errors import StoreError
from accord.index.store import Store

HELLO = Anchor("art-a", 10, 42, "Japan will ship Patriot missiles", "Tokyo, Friday. ", " to the United States.")
OTHER = Anchor("art-b", 0, 21, "The cabinet approved.", "", " Markets rose.")


def store_at(tmp_path: Path) -> Store:
    return Store(tmp_path / "ws" / "annotations.sqlite")


def tick() -> None:
    """Timestamps have millisecond resolution: keep 'most recent' unambiguous."""
    time.sleep(0.005)


def test_add_and_list_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    with Store(path) as store:
        saved = store.add_annotation(HELLO, ("zeta", "alpha", "mid"), "Check **this** against the UNN report.")
        assert saved.id > 0 and saved.anchor == HELLO and saved.article == "art-a"
        assert saved.tags == ("zeta", "alpha", "mid")  # as given, not sorted
        assert saved.note == "Check **this** against the UNN report."
        assert saved.created and saved.created == saved.updated and saved.created.endswith("Z")
        second = store.add_annotation(OTHER)
        assert second.id > saved.id and second.tags == () and second.note == ""
    with Store(path) as store:  # durable across opens
        assert store.annotations() == [saved, second]
        assert store.annotation(saved.id) == saved


def test_duplicate_tags_are_stored_once_in_first_order(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        saved = store.add_annotation(HELLO, ("b", "a", "b", "c", "a"))
        assert saved.tags == ("b", "a", "c") == store.annotation(saved.id).tags


def test_update_changes_only_what_is_given(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        saved = store.add_annotation(HELLO, ("one", "two"), "first note")
        tick()
        noted = store.update_annotation(saved.id, note="second note")
        assert (noted.note, noted.tags, noted.anchor) == ("second note", ("one", "two"), HELLO)
        assert noted.created == saved.created and noted.updated > saved.updated
        retagged = store.update_annotation(saved.id, tags=("three", "one"))
        assert (retagged.note, retagged.tags) == ("second note", ("three", "one"))
        moved = Anchor("art-a", 57, 89, HELLO.quote, "A new paragraph. Tokyo, Friday. ", HELLO.suffix)
        reanchored = store.update_annotation(saved.id, anchor=moved)
        assert (reanchored.anchor, reanchored.tags, reanchored.note) == (moved, ("three", "one"), "second note")
        cleared = store.update_annotation(saved.id, tags=(), note="")
        assert (cleared.tags, cleared.note) == ((), "")
        assert store.annotations() == [cleared]


def test_delete_then_restore_keeps_id_created_tags_and_note(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        keep = store.add_annotation(OTHER, ("other",))
        saved = store.add_annotation(HELLO, ("zeta", "alpha"), "a note")
        tick()
        gone = store.delete_annotation(saved.id)
        assert gone == saved  # returned as it was
        assert store.annotations() == [keep]
        assert store.tags() == ["other"]  # its tags went with it
        with pytest.raises(StoreError, match="does not exist"):
            store.annotation(saved.id)

        restored = store.restore_annotation(gone)
        assert restored.id == saved.id and restored.created == saved.created
        assert (restored.anchor, restored.tags, restored.note) == (HELLO, ("zeta", "alpha"), "a note")
        assert store.annotations() == [keep, restored]
        later = store.add_annotation(OTHER)
        assert later.id > restored.id  # a restored id is never handed out again


def test_restore_undoes_an_edit(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        saved = store.add_annotation(HELLO, ("a",), "before")
        store.update_annotation(saved.id, tags=("b", "c"), note="after")
        back = store.restore_annotation(saved)
        assert (back.id, back.tags, back.note, back.created) == (saved.id, ("a",), "before", saved.created)
        assert len(store.annotations()) == 1


def test_updating_or_deleting_a_deleted_annotation_is_an_error(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        saved = store.add_annotation(HELLO, ("a",), "note")
        store.delete_annotation(saved.id)
        with pytest.raises(StoreError, match=f"annotation {saved.id} does not exist"):
            store.update_annotation(saved.id, note="too late")
        with pytest.raises(StoreError, match="does not exist"):
            store.update_annotation(saved.id, tags=("b",))
        with pytest.raises(StoreError, match="does not exist"):
            store.delete_annotation(saved.id)
        assert store.annotations() == [] and store.tags() == []  # nothing half-written


def test_tags_most_recently_used_first(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        first = store.add_annotation(HELLO, ("policy", "japan"))
        tick()
        store.add_annotation(OTHER, ("usa",))
        tick()
        assert store.tags() == ["usa", "japan", "policy"]  # ties (one annotation) alphabetical
        store.update_annotation(first.id, note="touched")  # using an annotation again uses its tags
        assert store.tags() == ["japan", "policy", "usa"]
        tick()
        store.add_annotation(OTHER, ("policy",))
        assert store.tags() == ["policy", "japan", "usa"]


def test_annotations_filtered_by_tags(tmp_path: Path) -> None:
    with store_at(tmp_path) as store:
        a = store.add_annotation(HELLO, ("policy", "japan"))
        b = store.add_annotation(OTHER, ("usa",))
        c = store.add_annotation(OTHER)
        assert store.annotations() == [a, b, c]
        assert store.annotations(("japan",)) == [a]
        assert store.annotations(("usa", "policy")) == [a, b]  # any of them, oldest first
        assert store.annotations(("nothing",)) == []


V1_SCHEMA = """
CREATE TABLE claim_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    a_article TEXT NOT NULL, a_start INTEGER NOT NULL, a_text TEXT NOT NULL,
    b_article TEXT NOT NULL, b_start INTEGER NOT NULL, b_text TEXT NOT NULL,
    verdict TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX claim_decisions_by_pair ON claim_decisions (a_article, a_start, b_article, b_start);
"""


def test_a_version_1_store_migrates_and_keeps_its_decisions(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.execute(
        "INSERT INTO claim_decisions (a_article, a_start, a_text, b_article, b_start, b_text, verdict) "
        "VALUES ('art-a', 10, 'Japan will ship Patriot missiles.', 'art-b', 0, 'Tokyo is to send interceptors.', 'confirm')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    with Store(path) as store:
        [decision] = store.decisions()
        assert decision.verdict == "confirm"
        assert {decision.a, decision.b} == {
            SentenceRef("art-a", 10, "Japan will ship Patriot missiles."),
            SentenceRef("art-b", 0, "Tokyo is to send interceptors."),
        }
        assert store.annotations() == []
        saved = store.add_annotation(HELLO, ("migrated",))
        assert store.tags() == ["migrated"]

    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"claim_decisions", "annotations", "annotation_tags"} <= tables
    finally:
        db.close()
    with Store(path) as store:  # opening again migrates nothing twice
        assert len(store.decisions()) == 1 and store.annotations() == [saved]


def test_data_version_changes_when_another_connection_writes(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite"
    with Store(path) as mine, Store(path) as theirs:
        before = mine.data_version()
        mine.add_annotation(HELLO, ("mine",))
        assert mine.data_version() == before  # its own writes do not count: nothing to reload
        theirs.add_annotation(OTHER, ("theirs",))
        after = mine.data_version()
        assert after != before
        assert [a.tags for a in mine.annotations()] == [("mine",), ("theirs",)]
        assert mine.data_version() == after  # reading changes nothing

        raw = sqlite3.connect(path)  # any other writer, not only an Accord
        raw.execute("DELETE FROM annotation_tags WHERE tag = 'theirs'")
        raw.commit()
        raw.close()
        assert mine.data_version() != after
        assert mine.tags() == ["mine"]
