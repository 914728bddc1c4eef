"""The analyst's store: everything Accord must never lose, in `annotations.sqlite`.

Unlike the catalog and the Whoosh index (caches, rebuilt at will), this file is
never wiped: its schema only moves forward through migrations, and a damaged
file is an error the analyst sees, not something Accord deletes. SQLite in WAL
mode with synchronous=FULL makes each committed change durable once a call
returns, and lets two Accord processes write it without losing each other's
changes (writers queue on the database lock).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .decisions import VERDICTS, LinkDecision, SentenceRef, Verdict
from .errors import StoreError
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
]
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another process's transaction


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # one connection, shared by the UI's worker threads
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except (sqlite3.DatabaseError, OSError) as error:
            raise StoreError(f"cannot open the annotation store {path}: {error}") from None

    def _migrate(self) -> None:
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(_MIGRATIONS):
                raise StoreError(f"{self.path} was written by a newer Accord (store version {version}); upgrade Accord")
            for step in _MIGRATIONS[version:]:
                for statement in filter(str.strip, step.split(";")):
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {len(_MIGRATIONS)}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock, immediate(self._db):
            yield

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
        try:
            with self._transaction():
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
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot save the decision in {self.path}: {error}") from None
        return LinkDecision(a, b, verdict, cursor.lastrowid or 0)

    def decisions(self) -> list[LinkDecision]:
        """Every decision, oldest first (a later one wins where two conflict)."""
        with self._lock:
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
        with self._transaction():
            cursor = self._db.execute("DELETE FROM claim_decisions WHERE id = ?", (decision_id,))
        return cursor.rowcount > 0
