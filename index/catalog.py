"""The article catalog: cleaned articles and source-file states in SQLite.

A cache beside the Whoosh index, rebuildable from the sources. It lets the
reader list thousands of articles without re-cleaning them, and lets a sync
skip files whose content has not changed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import errno
import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import ParamSpec, TypeVar

from .errors import AccordError, DiskFull, IndexDamaged
from .model import Article, ArticleSummary, Paragraph, Removed, Repair, Sentence
from .sqlite_tx import immediate

CATALOG_VERSION = 1  # bump when cleaning changes what an article's text is
BUSY_TIMEOUT = 10.0  # seconds a write waits for another process's
WHOLE_SCAN_FROM = 1000  # files asked for, from which `article_ids` reads the whole catalog

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
-- With the id in the index, a folder's article ids are read from the index alone
-- (4 ms for 10k articles, 13 ms through the table).
CREATE INDEX IF NOT EXISTS article_ids_by_file ON articles (file, position, id);
"""


@dataclass(frozen=True, slots=True)
class FileState:
    mtime_ns: int
    size: int
    digest: str


# SQLite's result codes for a file that is damaged (as opposed to full, locked or unreadable):
# only these make the catalog a lost cache to rebuild. A full disk wipes nothing.
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

P = ParamSpec("P")
R = TypeVar("R")


def is_damage(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    return isinstance(error, sqlite3.DatabaseError) and any(
        phrase in str(error) for phrase in ("malformed", "not a database")
    )


def disk_is_full(error: BaseException, near: Path | None = None) -> bool:
    """Whether `error` means no space is left. SQLite often says only "disk I/O error"
    when it cannot grow its -wal or -shm file, so the free space near the file decides."""
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or getattr(error, "errno", None) == errno.ENOSPC:
        return True
    if "disk is full" in str(error):
        return True
    if near is not None and (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_IOERR:
        folder = near if near.is_dir() else near.parent
        try:
            space = os.statvfs(folder)
        except OSError:
            return False
        return space.f_bavail * space.f_frsize < 256 * 1024
    return False


def sqlite_failure(error: sqlite3.Error | OSError, what: str, near: Path | None = None) -> AccordError:
    """A one-line error for a SQLite or file failure that is not damage."""
    text = " ".join(str(getattr(error, "strerror", None) or error).split())
    if disk_is_full(error, near):
        return DiskFull(f"no space left on the disk for {what} ({text}); nothing was lost: free some space and try again")
    return AccordError(f"cannot use {what}: {text}")


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLite failures into IndexDamaged (and a marker, so the next open rebuilds)
    or a one-line AccordError (full disk, unreadable file) instead of a traceback."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except UnicodeEncodeError:  # a path with bytes that are not UTF-8 (surrogate escapes) cannot be stored
            raise AccordError("a file or folder name that is not valid UTF-8 cannot be indexed; rename it") from None
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError) as error:
            catalog = args[0]
            assert isinstance(catalog, Catalog)
            if isinstance(error, sqlite3.DatabaseError) and not is_damage(error):
                raise sqlite_failure(error, f"the index catalog {catalog.path}", catalog.path) from None
            catalog.mark_damaged()  # a damaged page, or a row whose data no longer decodes
            raise IndexDamaged(f"the index catalog {catalog.path} is damaged ({error}); it is rebuilt from the "
                               "sources on the next command") from None
        except OSError as error:
            raise sqlite_failure(error, f"the index catalog {args[0].path}", args[0].path) from None  # type: ignore[attr-defined]

    return guarded


def _index_ids_by_file(db: sqlite3.Connection) -> None:
    """Give a catalog made before `article_ids_by_file` that index in place of the old
    one (file, position), once. Another process writing leaves it for a later open: the
    open does not wait for the lock, as a reader's first frame waits for this open."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'article_ids_by_file'").fetchone():
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        with immediate(db):
            db.execute("CREATE INDEX IF NOT EXISTS article_ids_by_file ON articles (file, position, id)")
            db.execute("DROP INDEX IF EXISTS articles_by_file")
    except sqlite3.OperationalError:
        pass  # locked by a writer, or a read-only file: the reads work without it, slower
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")


def _intact(db: sqlite3.Connection) -> bool:
    return db.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"


class Catalog:
    def __init__(self, path: Path, check: bool = True) -> None:
        """`check=False` leaves the integrity check for `check()`: a reader's first frame
        reads a few rows, and the check reads every page (30 ms at 10k articles)."""
        self.path = path
        self.rebuilt = False
        self.checked = False
        self._check_at_open = check
        # The files an outdated or damaged catalog recorded, read before it was wiped (its
        # `files` table often survives a damaged page): what a rebuild re-indexes when the
        # workspace's sources.json is missing. None when there was no catalog file or its
        # list could not be read.
        self.salvaged: list[str] | None = None
        self._db = self._open()

    @property
    def _damage_marker(self) -> Path:
        return self.path.with_name(self.path.name + ".damaged")

    def mark_damaged(self) -> None:
        """Remember that the file is damaged, so whichever Accord opens it next rebuilds it."""
        try:
            self._damage_marker.touch()
        except OSError:
            pass

    def _open(self) -> sqlite3.Connection:
        db = None
        existed = self.path.exists()
        try:
            if self._damage_marker.exists():
                version = -1
            else:
                db = self._connect()
                version = db.execute("PRAGMA user_version").fetchone()[0]
                # A damaged page otherwise shows up later, in the middle of a command. The check
                # reads every page: 30 ms for the 78 MB catalog of 10k articles.
                if self._check_at_open and version == CATALOG_VERSION:
                    if not _intact(db):
                        version = -1
                    self.checked = True
                if version == CATALOG_VERSION:
                    _index_ids_by_file(db)
        except sqlite3.DatabaseError as error:
            if db is not None:
                db.close()
            if not is_damage(error):  # full, locked or unreadable: keep the file for when it works again
                raise sqlite_failure(error, f"the index catalog {self.path}", self.path) from None
            version, db = -1, None
        if version != CATALOG_VERSION:
            if db is not None:
                db.close()
            self.salvaged = self.salvage() if existed else None
            try:
                self._wipe()
                db = self._connect()
                db.executescript(_SCHEMA)
                db.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
                db.commit()
            except (sqlite3.DatabaseError, OSError) as error:
                raise sqlite_failure(error, f"the index catalog {self.path}", self.path) from None
            self._damage_marker.unlink(missing_ok=True)
            self.checked = True  # made just now
        return db

    @_guarded
    def check(self) -> None:
        """The integrity check an open with `check=False` left out (once): damage found
        marks the file for rebuilding and raises IndexDamaged, as any damaged read does."""
        if self.checked:
            return
        if not _intact(self._db):
            self.mark_damaged()
            # not "on the next command", as for a damaged read: the library's check rebuilds it at once
            raise IndexDamaged(f"the index catalog {self.path} failed its integrity check and is rebuilt")
        self.checked = True

    def salvage(self) -> list[str] | None:
        """The file paths the catalog about to be wiped recorded, read-only; None if unreadable."""
        try:
            db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=10.0)
        except (sqlite3.Error, OSError, ValueError):
            return None
        found: list[str] = []
        try:
            for (path,) in db.execute("SELECT path FROM files"):
                if isinstance(path, str):
                    found.append(path)
        except sqlite3.Error:
            return found or None  # the rows before a damaged page
        finally:
            db.close()
        return found

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
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

    @_guarded
    def file_states(self) -> dict[str, tuple[FileState, int]]:
        """Every known file's state and article count, in one query (a re-sync of
        10k unchanged files asked twice per file before)."""
        rows = self._db.execute(
            "SELECT f.path, f.mtime_ns, f.size, f.digest, count(a.id) FROM files f "
            "LEFT JOIN articles a ON a.file = f.path GROUP BY f.path"
        )
        return {path: (FileState(mtime_ns, size, digest), count) for path, mtime_ns, size, digest, count in rows}

    @_guarded
    def files_under(self, root: str) -> list[str]:
        prefix = root.rstrip("/") + "/"
        rows = self._db.execute(
            "SELECT path FROM files WHERE substr(path, 1, ?) = ?", (len(prefix), prefix)
        ).fetchall()
        return [row[0] for row in rows]

    @_guarded
    def touch_file(self, path: str, mtime_ns: int, size: int) -> None:
        self._db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?", (mtime_ns, size, path))

    @_guarded
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

    @_guarded
    def remove_file(self, path: str) -> None:
        with immediate(self._db):
            self._db.execute("DELETE FROM articles WHERE file = ?", (path,))
            self._db.execute("DELETE FROM files WHERE path = ?", (path,))

    # Articles ----------------------------------------------------------------------

    @_guarded
    def article_ids(self, files: Iterable[str]) -> list[str]:
        """The articles of `files`, in file order, then in their order within a file."""
        files = list(files)
        wanted = set(files)
        # Most of the catalog asked for (a reader opening its folder of 10k files): one scan
        # beats twenty IN queries (the scan takes a third of their time).
        count = self._db.execute("SELECT count(*) FROM articles").fetchone()[0] if len(files) > WHOLE_SCAN_FROM else None
        rows = self._every_id_and_file(count) if count is not None and count <= 4 * len(files) else None
        if rows is None:
            rows = [row for chunk in _chunks(files, 500) for row in self._db.execute(
                f"SELECT id, file FROM articles WHERE file IN ({','.join('?' * len(chunk))}) ORDER BY file, position",
                chunk)]
        by_file: dict[str, list[str]] = {}
        for article, file in rows:
            if file in wanted:
                if (ids := by_file.get(file)) is None:
                    by_file[file] = [article]  # most files hold one article
                else:
                    ids.append(article)
        return [article for file in dict.fromkeys(files) for article in by_file.get(file, ())]

    def _every_id_and_file(self, count: int) -> list[list[str]] | None:
        """(id, file) of every article, by file and position, read as one row: a reader reads
        this in a thread while Textual is imported, and read row by row each of 10k rows
        waited its turn for the interpreter lock. None when a file name holds the separator
        (the pairs do not come out `count`): read row by row then. SQLite concatenates in
        the sub-query's order (3.44's `ORDER BY` inside the aggregate is newer than Debian's
        SQLite); the tests check a file's articles come by position."""
        text = self._db.execute(
            "SELECT group_concat(id || char(31) || file, char(30)) "
            "FROM (SELECT id, file FROM articles ORDER BY file, position)"
        ).fetchone()[0]
        pairs = [pair.split("\x1f", 1) for pair in text.split("\x1e")] if text else []
        if len(pairs) != count:
            return None
        return pairs

    @_guarded
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

    @_guarded
    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return decode(row[0]) if row else None

    @_guarded
    def all_ids(self) -> list[str]:
        """Every article, in file order."""
        return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY file, position")]

    @_guarded
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
