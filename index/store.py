"""The analyst's store: everything Accord must never lose, in `annotations.sqlite`.

Unlike the catalog and the Whoosh index (caches, rebuilt at will), this file is
never wiped: its schema only moves forward through migrations, and a damaged
file is an error the analyst sees, not something Accord deletes. SQLite in WAL
mode with synchronous=FULL makes each committed change durable once a call
returns, and lets two Accord processes write it without losing each other's
changes (writers queue on the database lock).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from .anchoring import Anchor
from .annotations import Annotation
from .decisions import VERDICTS, LinkDecision, SentenceRef, Verdict
from .errors import AnnotationNotFound, StoreError
from .catalog import disk_is_full
from .sqlite_tx import immediate

# Each step brings the schema from version N to N+1; never edit a shipped step.
_MIGRATIONS = [
    """
    CREATE TABLE claim_decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        a_article TEXT NOT NULL, a_start INTEGER NOT NULL, a_text TEXT NOT NULL,
        b_article TEXT NOT NULL, b_start INTEGER NOT NULL, b_text TEXT NOT NULL,
        verdict TEXT NOT NULL,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX claim_decisions_by_pair ON claim_decisions (a_article, a_start, b_article, b_start);
    """,
    """
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article TEXT NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
        quote TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX annotations_by_article ON annotations (article, start_offset);
    CREATE TABLE annotation_tags (
        annotation INTEGER NOT NULL, tag TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (annotation, tag)
    );
    CREATE INDEX annotation_tags_by_tag ON annotation_tags (tag);
    """,
]
_ANNOTATION_COLUMNS = "id, article, start_offset, end_offset, quote, prefix, suffix, note, created, updated"
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another process's transaction


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # one connection, shared by the UI's worker threads
        self.damage: str | None = None  # why the file is damaged; writes are then refused
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                _create(path)
            elif path.stat().st_size == 0:
                raise StoreError(
                    f"the annotation store {path} is empty (0 bytes), so it is damaged or not Accord's; "
                    "Accord will not start a new store over it: move it away to start afresh"
                )
            # mode=rw: never create the file here (a store that vanished is not silently replaced)
            self._db = sqlite3.connect(
                f"file:{quote(str(path))}?mode=rw", uri=True, timeout=BUSY_TIMEOUT, check_same_thread=False,
                isolation_level=None,
            )
        except (sqlite3.DatabaseError, OSError) as error:
            raise StoreError(f"cannot open the annotation store {path}: {_reason(error, path)}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")  # a no-op, writing nothing, once the file is in WAL mode
            self._db.execute("PRAGMA synchronous=FULL")
            self.damage = self._check()
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"cannot open the annotation store {path}: {_reason(error, path)}") from None
        except StoreError:
            self._db.close()
            raise

    def _check(self) -> str | None:
        """What SQLite's quick check finds wrong with the file (None if nothing): a damaged
        page must not be written into, or the damage spreads. Reading only; milliseconds
        for a store of thousands of annotations."""
        try:
            rows = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as error:
            return _reason(error)
        return None if rows == ["ok"] else "; ".join(" ".join(str(r).split()) for r in rows)[:200]

    def _migrate(self) -> None:
        """Bring an older store's schema forward. A current store is only read: opening it
        (even `note list`) must not change the analyst's file."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(_MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer Accord (store version {version}); upgrade Accord")
        if version == len(_MIGRATIONS):
            return
        self._refuse_if_damaged("the schema upgrade")
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            for step in _MIGRATIONS[version:]:
                for statement in filter(str.strip, step.split(";")):
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {len(_MIGRATIONS)}")

    def refuse_if_damaged(self, what: str) -> None:
        """StoreError naming `what` as not saved when the file is damaged: a change that
        reads before it writes (is this passage annotated?) is refused as its write would be."""
        self._refuse_if_damaged(what)

    def _refuse_if_damaged(self, what: str) -> None:
        if self.damage:
            raise StoreError(
                f"the annotation store {self.path} is damaged ({self.damage}); {what} was not saved, and nothing "
                "is written into it: keep a copy of the file, then `sqlite3 FILE .recover` may save what it holds"
            )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock, immediate(self._db):
            yield

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """A write transaction whose failure is a StoreError naming what was not saved."""
        self._refuse_if_damaged(what)
        try:
            with self._transaction():
                yield
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot save {what} in {self.path}: {_reason(error, self.path)}") from None

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A read whose failure (a damaged file) is a StoreError naming the store, not a traceback."""
        try:
            with self._lock:
                yield
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot read the annotation store {self.path}: {_reason(error, self.path)}") from None

    def data_version(self) -> int:
        """Changes when another connection (another Accord process) commits to the store."""
        with self._reading():
            return self._db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Claim decisions -------------------------------------------------------------------

    def decide(self, a: SentenceRef, b: SentenceRef, verdict: Verdict) -> LinkDecision:
        """Record the analyst's verdict on a pair, replacing any earlier one on it."""
        if verdict not in VERDICTS:
            raise StoreError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
        a, b = sorted((a, b), key=lambda r: (r.article, r.start))
        with self._writing("the decision"):
            self._db.execute(
                "DELETE FROM claim_decisions WHERE a_article = ? AND a_start = ? AND a_text = ? "
                "AND b_article = ? AND b_start = ? AND b_text = ?",
                (a.article, a.start, a.text, b.article, b.start, b.text),
            )
            cursor = self._db.execute(
                "INSERT INTO claim_decisions (a_article, a_start, a_text, b_article, b_start, b_text, verdict) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (a.article, a.start, a.text, b.article, b.start, b.text, verdict),
            )
        return LinkDecision(a, b, verdict, cursor.lastrowid or 0)

    def decisions(self) -> list[LinkDecision]:
        """Every decision, oldest first (a later one wins where two conflict)."""
        with self._reading():
            rows = self._db.execute(
                "SELECT id, a_article, a_start, a_text, b_article, b_start, b_text, verdict "
                "FROM claim_decisions ORDER BY id"
            ).fetchall()
        return [
            LinkDecision(SentenceRef(aa, ast, atx), SentenceRef(ba, bst, btx), verdict, row_id)
            for row_id, aa, ast, atx, ba, bst, btx, verdict in rows
        ]

    def undo_decision(self, decision_id: int) -> bool:
        """Forget one decision; True if it existed."""
        with self._writing("the undo"):
            cursor = self._db.execute("DELETE FROM claim_decisions WHERE id = ?", (decision_id,))
        return cursor.rowcount > 0

    # Annotations -----------------------------------------------------------------------
    # Every change is one transaction, durable (synchronous=FULL) when the call returns.

    def add_annotation(self, anchor: Anchor, tags: tuple[str, ...] = (), note: str = "") -> Annotation:
        with self._writing("the annotation"):
            cursor = self._db.execute(
                "INSERT INTO annotations (article, start_offset, end_offset, quote, prefix, suffix, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (anchor.article, anchor.start, anchor.end, anchor.quote, anchor.prefix, anchor.suffix, note),
            )
            self._write_tags(cursor.lastrowid, tags)
            return self._annotation(cursor.lastrowid)

    def update_annotation(
        self, annotation_id: int, *, tags: tuple[str, ...] | None = None, note: str | None = None,
        anchor: Anchor | None = None,
    ) -> Annotation:
        """Change what is given; StoreError if the annotation no longer exists
        (another process may have deleted it)."""
        with self._writing("the annotation"):
            current = self._annotation(annotation_id)
            anchor = anchor or current.anchor
            self._db.execute(
                "UPDATE annotations SET article = ?, start_offset = ?, end_offset = ?, quote = ?, prefix = ?, "
                "suffix = ?, note = ?, updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                (anchor.article, anchor.start, anchor.end, anchor.quote, anchor.prefix, anchor.suffix,
                 current.note if note is None else note, annotation_id),
            )
            if tags is not None:
                self._write_tags(annotation_id, tags)
            return self._annotation(annotation_id)

    def delete_annotation(self, annotation_id: int) -> Annotation:
        """Remove one annotation and return it as it was (so it can be restored)."""
        with self._writing("the deletion"):
            gone = self._annotation(annotation_id)
            self._db.execute("DELETE FROM annotation_tags WHERE annotation = ?", (annotation_id,))
            self._db.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            return gone

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        """Put back an annotation exactly as it was, under its id (undo of an edit or a deletion)."""
        a = annotation.anchor
        with self._writing("the annotation"):
            self._db.execute(
                "INSERT OR REPLACE INTO annotations "
                "(id, article, start_offset, end_offset, quote, prefix, suffix, note, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
                "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (annotation.id, a.article, a.start, a.end, a.quote, a.prefix, a.suffix, annotation.note,
                 annotation.created or None),
            )
            self._write_tags(annotation.id, annotation.tags)
            return self._annotation(annotation.id)

    def annotations(self, tags: tuple[str, ...] = ()) -> list[Annotation]:
        """Every annotation (or those carrying any of `tags`), oldest first."""
        with self._reading():
            rows = self._db.execute(f"SELECT {_ANNOTATION_COLUMNS} FROM annotations ORDER BY id").fetchall()
            tagged: dict[int, list[str]] = {}
            for annotation_id, tag in self._db.execute(
                "SELECT annotation, tag FROM annotation_tags ORDER BY annotation, position"
            ):
                tagged.setdefault(annotation_id, []).append(tag)
        found = [_annotation_of(row, tuple(tagged.get(row[0], ()))) for row in rows]
        return [a for a in found if not tags or set(tags) & set(a.tags)]

    def annotation(self, annotation_id: int) -> Annotation:
        with self._reading():
            return self._annotation(annotation_id)

    def tags(self) -> list[str]:
        """Tags in use, the most recently used first (for autocomplete and the recent-tag keys)."""
        with self._reading():
            rows = self._db.execute(
                "SELECT t.tag FROM annotation_tags t JOIN annotations a ON a.id = t.annotation "
                "GROUP BY t.tag ORDER BY max(a.updated) DESC, t.tag"
            ).fetchall()
        return [tag for (tag,) in rows]

    def _annotation(self, annotation_id: int) -> Annotation:
        row = self._db.execute(f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
        if row is None:
            raise AnnotationNotFound(f"annotation {annotation_id} does not exist (deleted, perhaps by another Accord)")
        tags = tuple(t for (t,) in self._db.execute(
            "SELECT tag FROM annotation_tags WHERE annotation = ? ORDER BY position", (annotation_id,)))
        return _annotation_of(row, tags)

    def _write_tags(self, annotation_id: int, tags: tuple[str, ...]) -> None:
        self._db.execute("DELETE FROM annotation_tags WHERE annotation = ?", (annotation_id,))
        self._db.executemany(
            "INSERT INTO annotation_tags (annotation, tag, position) VALUES (?, ?, ?)",
            [(annotation_id, tag, position) for position, tag in enumerate(dict.fromkeys(tags))],
        )


def _annotation_of(row: tuple, tags: tuple[str, ...]) -> Annotation:
    annotation_id, article, start, end, quote, prefix, suffix, note, created, updated = row
    return Annotation(annotation_id, Anchor(article, start, end, quote, prefix, suffix), tags, note, created, updated)


def _reason(error: BaseException, path: Path | None = None) -> str:
    """SQLite's message, with what it means for a full disk."""
    text = " ".join(str(getattr(error, "strerror", None) or error).split())
    if disk_is_full(error, path):
        return f"{text} (no space left on the disk; free some and try again, nothing was lost)"
    return text


def _create(path: Path) -> None:
    """Make a new, migrated store beside `path` and link it into place, so `path`
    never exists half-made: a 0-byte or schema-less store is never Accord's own
    (a kill during creation leaves only a stray temporary file)."""
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        with immediate(db):
            for step in _MIGRATIONS:
                for statement in filter(str.strip, step.split(";")):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {len(_MIGRATIONS)}")
    finally:
        db.close()  # the last connection checkpoints the WAL into the file and removes it
    try:
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)  # fails if another process created the store meanwhile: use theirs
        except FileExistsError:
            pass
        _fsync_folder(path.parent)
    finally:
        temporary.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
