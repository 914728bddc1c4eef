"""One SQLite write transaction, shared by the catalog and the analyst's store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock up front, so a writer waits for another
    process at the start (busy timeout) rather than failing at commit."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite may already have rolled back (a failed COMMIT, a full disk)
            db.execute("ROLLBACK")
        raise
