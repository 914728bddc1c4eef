"""The article catalog: cleaned articles and source-file states in SQLite.

A cache beside the Whoosh index, rebuildable from the sources. It lets the
reader list thousands of articles without re-cleaning them, and lets a sync
skip files whose content has not changed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from .model import Article, Paragraph, Removed, Repair, Sentence
from .sqlite_tx import immediate

CATALOG_VERSION = 1  # bump when cleaning changes what an article's text is

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT NOT NULL,
    date TEXT,
    path TEXT NOT NULL,
    sentences INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_file ON articles (file, position);
"""


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list of articles shows, without loading their text."""

    id: str
    title: str
    outlet: str
    date: dt.date | None
    path: str
    file: str
    sentences: int

    @property
    def source(self) -> str:
        return self.outlet or Path(self.path.split("#", 1)[0]).name


@dataclass(frozen=True, slots=True)
class FileState:
    mtime_ns: int
    size: int
    digest: str


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.rebuilt = False
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            version = -1
            db = None
        if version != CATALOG_VERSION:
            if db is not None:
                db.close()
            self._wipe()
            db = self._connect()
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
            db.commit()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _wipe(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.rebuilt = True

    def reset(self) -> None:
        self._db.close()
        self._wipe()
        self._db = self._open()

    def close(self) -> None:
        self._db.close()

    # Files -----------------------------------------------------------------------

    def file_states(self) -> dict[str, tuple[FileState, int]]:
        """Every known file's state and article count, in one query (a re-sync of
        10k unchanged files asked twice per file before)."""
        rows = self._db.execute(
            "SELECT f.path, f.mtime_ns, f.size, f.digest, count(a.id) FROM files f "
            "LEFT JOIN articles a ON a.file = f.path GROUP BY f.path"
        )
        return {path: (FileState(mtime_ns, size, digest), count) for path, mtime_ns, size, digest, count in rows}

    def files_under(self, root: str) -> list[str]:
        prefix = root.rstrip("/") + "/"
        rows = self._db.execute(
            "SELECT path FROM files WHERE substr(path, 1, ?) = ?", (len(prefix), prefix)
        ).fetchall()
        return [row[0] for row in rows]

    def touch_file(self, path: str, mtime_ns: int, size: int) -> None:
        self._db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?", (mtime_ns, size, path))

    def replace_file(self, path: str, state: FileState, articles: list[Article]) -> None:
        with immediate(self._db):
            self._db.execute("DELETE FROM articles WHERE file = ?", (path,))
            self._db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        a.id, path, position, a.title, a.outlet,
                        a.date.isoformat() if a.date else None, a.path, len(a.sentences), encode(a),
                    )
                    for position, a in enumerate(articles)
                ],
            )
            self._db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (path, state.mtime_ns, state.size, state.digest)
            )

    def remove_file(self, path: str) -> None:
        with immediate(self._db):
            self._db.execute("DELETE FROM articles WHERE file = ?", (path,))
            self._db.execute("DELETE FROM files WHERE path = ?", (path,))

    # Articles ----------------------------------------------------------------------

    def article_ids(self, files: Iterable[str]) -> list[str]:
        """The articles of `files`, in file order, then in their order within a file."""
        files = list(files)
        by_file: dict[str, list[str]] = {}
        for chunk in _chunks(files, 500):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT file, id FROM articles WHERE file IN ({marks}) ORDER BY file, position", chunk
            )
            for file, article in rows:
                by_file.setdefault(file, []).append(article)
        return [article for file in dict.fromkeys(files) for article in by_file.get(file, ())]

    def summaries(self, ids: Iterable[str]) -> list[ArticleSummary]:
        found: list[ArticleSummary] = []
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id, title, outlet, date, path, file, sentences FROM articles WHERE id IN ({marks})", chunk
            ).fetchall()
            by_id = {row[0]: row for row in rows}
            for article_id in chunk:
                if row := by_id.get(article_id):
                    date = dt.date.fromisoformat(row[3]) if row[3] else None
                    found.append(ArticleSummary(row[0], row[1], row[2], date, row[4], row[5], row[6]))
        return found

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return decode(row[0]) if row else None

    def all_ids(self) -> list[str]:
        """Every article, in file order."""
        return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY file, position")]

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]


def _chunks(items: list[str], size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


_STRUCTURED_FIELDS = {"date", "paragraphs", "sentences", "removed", "repairs"}
_PLAIN_FIELDS = [f.name for f in fields(Article) if f.name not in _STRUCTURED_FIELDS]


def encode(article: Article) -> str:
    # Built by hand: dataclasses.asdict deep-copies every field and was 5% of indexing.
    data = {name: getattr(article, name) for name in _PLAIN_FIELDS}
    data["removed"] = [{name: getattr(r, name) for name in Removed.__slots__} for r in article.removed]
    data["repairs"] = [{name: getattr(r, name) for name in Repair.__slots__} for r in article.repairs]
    data["date"] = article.date.isoformat() if article.date else None
    data["paragraphs"] = [[p.start, p.end] for p in article.paragraphs]
    data["sentences"] = [[s.start, s.end, s.paragraph] for s in article.sentences]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Article:
    data = json.loads(text)
    data["date"] = dt.date.fromisoformat(data["date"]) if data["date"] else None
    data["paragraphs"] = [Paragraph(i, s, e) for i, (s, e) in enumerate(data["paragraphs"])]
    data["sentences"] = [Sentence(i, s, e, p) for i, (s, e, p) in enumerate(data["sentences"])]
    data["removed"] = [Removed(**r) for r in data["removed"]]
    data["repairs"] = [Repair(**r) for r in data["repairs"]]
    return Article(**data)
