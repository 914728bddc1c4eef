"""The engine's front door: sync sources into the workspace, list, load and search articles.

Front ends (CLI, TUI, tests) use `Library` and the typed records it returns;
none of them touches Whoosh or SQLite directly.
"""

from __future__ import annotations

import bisect
import errno
import json
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .atomic_write import write_atomically
from .catalog import ArticleSummary, Catalog, FileState, sqlite_failure
from .errors import AccordError, IndexDamaged, NoArticles
from .discovery import IngestWarning, discover_files, utf8_name
from .model import Article, SearchHit, SearchResult, Sentence, SyncReport
from .regular_file import NotReadable, read_regular
from .rules import DEFAULT_RULES, Rule
from .schema import index_looks_current
from .workspace import Workspace

if TYPE_CHECKING:
    from .fulltext import FullTextIndex, RawHit
    from .ingest import FileLoad

Progress = Callable[[int, int, str], None]  # (files done, files total, current file)
R = TypeVar("R")
Notice = Callable[[str], None]  # one line for the analyst ("the index was damaged; rebuilt ...")

# A long import commits its first batch after a few seconds, so the analyst can
# start reading, then at doubling intervals: each Whoosh commit writes a new
# segment, and segments cost both at commit time and at every search.
COMMIT_FIRST_SECONDS = 3.0
COMMIT_MAX_SECONDS = 48.0
COMMIT_EVERY_FILES = 2000  # bounds the articles held in memory between commits
MERGE_AFTER_SEGMENTS = 12
SNIPPET_CHARS = 240
_REBUILT = "the index was missing, out of date or damaged, so it was rebuilt"
SOURCES_LIMIT = 64 * 2**20  # sources.json lists files and folders: a few MB at most


class Library:
    def __init__(
        self, workspace: Workspace, rules: tuple[Rule, ...] | list[Rule] = DEFAULT_RULES,
        on_notice: Notice | None = None, check_catalog: bool = True,
    ) -> None:
        """`on_notice` hears what the analyst should know and no error says: the index was
        found damaged and rebuilt from the workspace's sources. `check_catalog=False` leaves
        the catalog's integrity check to `check_catalog()` (a first frame's few reads)."""
        # A workspace never indexed before has nothing to rebuild; one whose index is there but
        # unreadable had articles, even when nothing says which.
        self._new_workspace = not any(os.path.lexists(p) for p in (workspace.index_dir, workspace.sources_path))
        self.workspace = workspace.ensure()
        self.rules = rules
        self.on_notice = on_notice
        self.catalog = Catalog(workspace.catalog_path, check=check_catalog)
        self._fulltext: FullTextIndex | None = None
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._rebuilding = self._refilled = False
        if self.catalog.rebuilt or not index_looks_current(workspace.whoosh_dir):
            fulltext = self.fulltext  # open now: the rebuild empties the catalog before anything reads it
            if self.catalog.rebuilt and fulltext.rebuilt and not self._refilled:
                self._refill(_REBUILT, self._recorded_files())
        self._keep_sources_listed()

    @property
    def fulltext(self) -> FullTextIndex:
        """The Whoosh index, opened (and Whoosh imported) on first use: reading
        articles needs only the catalog, so the reader shows one sooner."""
        if self._fulltext is None:
            from .fulltext import FullTextIndex

            self._fulltext = FullTextIndex(self.workspace.whoosh_dir)
            if self.catalog.rebuilt != self._fulltext.rebuilt:
                # One cache was rebuilt without the other: start both afresh so they agree,
                # then index again what the workspace had.
                files = self._recorded_files()
                self.catalog.reset()
                self._fulltext.reset()
                self._articles.clear()
                self._refill(_REBUILT, files)
        return self._fulltext

    def close(self) -> None:
        if self._fulltext is not None:
            self._fulltext.close()
        self.catalog.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Rebuilding a damaged index --------------------------------------------------------------

    def sources(self) -> list[str]:
        """The files and folders synced into this workspace (that still exist)."""
        listed, _ = self._read_sources()
        return [p for p in listed or () if os.path.exists(p)]

    def _read_sources(self) -> tuple[list[str] | None, str | None]:
        """sources.json's paths, or (None, None) when it is missing, or (None, why) when it
        cannot be read: only a regular file of bounded size is opened (a FIFO would block)."""
        path = self.workspace.sources_path
        try:
            data = read_regular(path, SOURCES_LIMIT).data
        except FileNotFoundError:
            return None, None
        except NotReadable as error:
            return None, str(error)
        except OSError as error:
            return None, f"not readable ({error.strerror or error})"
        try:
            listed = json.loads(data.decode("utf-8"))
        except RecursionError:
            return None, "not readable JSON (nested too deeply)"
        except ValueError:  # malformed JSON, bytes that are not UTF-8, a number too long
            return None, "not readable JSON"
        if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
            return None, "not a list of paths"
        return listed, None

    def _write_sources(self, paths: list[str]) -> str | None:
        """Write sources.json; why it failed (a full disk), or None."""
        try:
            write_atomically(self.workspace.sources_path, json.dumps(paths, indent=1), overwrite=True)
        except (AccordError, OSError, UnicodeEncodeError) as error:
            return str(error)
        return None

    def _keep_sources_listed(self) -> None:
        """A workspace from before sources.json existed (or whose file was lost, or garbled)
        gets one again, from the catalog's files: a later rebuild re-indexes those."""
        listed, problem = self._read_sources()
        if listed is not None:
            return
        try:
            files = sorted(self.catalog.file_states())
        except AccordError:
            return
        if not files and problem is None:
            return  # nothing indexed yet
        failed = self._write_sources(files)
        if problem is not None:
            outcome = f"not replaced ({failed})" if failed else f"written again from the index's {len(files)} files"
            self._notice(f"{self.workspace.sources_path} is {problem}; {outcome}")

    def _remember_sources(self, paths: list[Path]) -> None:
        """Add `paths` to the workspace's sources; a failure (a full disk) costs only the
        ability to rebuild from them (the catalog's files still say what was indexed)."""
        listed, _ = self._read_sources()
        known = listed or []
        folders = tuple(p.rstrip(os.sep) + os.sep for p in known if os.path.isdir(p))
        fresh = [p for p in dict.fromkeys(os.path.realpath(path) for path in paths)
                 if p not in known and not p.startswith(folders)]  # a file inside a known folder adds nothing
        if fresh:
            inside = tuple(p.rstrip(os.sep) + os.sep for p in fresh if os.path.isdir(p))
            self._write_sources([p for p in known if not p.startswith(inside)] + fresh)  # the folder covers them

    def _rebuild(self, reason: str) -> None:
        """Throw both caches away and index the workspace's own sources again, so no article
        the analyst had is lost to a damaged page (never the bundled seeds in their place)."""
        if self._rebuilding:
            raise IndexDamaged(f"the index in {self.workspace.index_dir} is damaged ({reason}) and rebuilding it failed")
        if self._fulltext is None:
            # Opened before the catalog is reset: opened after, it found a fresh catalog beside
            # an index that was not and rebuilt both, before this rebuilt them again.
            refilled = self._refilled
            self.fulltext  # noqa: B018
            if self._refilled and not refilled:
                return  # the Whoosh index was damaged too: opening it rebuilt both
        files = self._recorded_files()
        self.catalog.reset()
        self.fulltext.reset()
        self._articles.clear()
        self._refill(f"the index was damaged ({reason})", files)

    def _recorded_files(self) -> list[str] | None:
        """The files the workspace's caches say it held, read before they are reset: the
        catalog's, what an outdated or damaged catalog or Whoosh index still lists, or what the
        Whoosh index holds (it may be fine when the catalog is not). Only those still on disk;
        None when no list could be read at all (a new workspace has none: [])."""
        if self._new_workspace:
            return []
        listings: list[list[str] | None] = [self.catalog.salvaged]
        if not self.catalog.rebuilt:
            try:
                listings.append(list(self.catalog.file_states()))
            except AccordError:  # a damaged page its check did not meet at open (or was left for later)
                listings.append(self.catalog.salvage())
        if self._fulltext is not None:
            listings.append(self._fulltext.salvaged)
            if not self._fulltext.rebuilt:
                listings.append(self._fulltext.stored_files())
        readable = [listing for listing in listings if listing is not None]
        if not readable:
            return None
        return [f for f in dict.fromkeys(f for listing in readable for f in listing) if os.path.isfile(f)]

    def _refill(self, why: str, extra: list[str] | None) -> None:
        self._refilled = True
        roots = self.sources()
        covered = tuple(root.rstrip(os.sep) + os.sep for root in roots)
        paths = roots + [f for f in extra or () if f not in roots and not f.startswith(covered)]
        if not paths:
            if extra is None:  # the workspace had articles, and nothing says which
                listed, problem = self._read_sources()
                missing = f"{self.workspace.sources_path} is {problem or 'missing'}" if listed is None else (
                    f"none of the sources in {self.workspace.sources_path} exists any more")
                self._notice(f"{why}, but its articles could not be found again ({missing}, and the old index "
                             "could not be read): open them again (accord index PATH...); annotations are kept")
            return
        self._rebuilding = True
        try:
            report = self.sync(paths)
        except AccordError as error:
            self._notice(f"{why}; re-indexing its sources failed: {error}")
            return
        finally:
            self._rebuilding = False
        self._notice(f"{why}; re-indexed {report.added} articles from {len(paths)} sources")

    def _notice(self, message: str) -> None:
        if self.on_notice:
            self.on_notice(message)

    def _recovering(self, action: Callable[[], R]) -> R:
        """Run `action`; if it finds the index damaged, rebuild it and run it once more."""
        try:
            return action()
        except IndexDamaged as error:
            if self._rebuilding:
                raise
            self._rebuild(str(error))
            return action()

    def check_catalog(self) -> None:
        """The catalog's integrity check, if its open left it out: damage found is rebuilt
        (and told) as a damaged read is."""
        self._recovering(self.catalog.check)

    def article_count(self) -> int:
        """How many articles the workspace holds."""
        return self._recovering(self.catalog.count)

    def all_ids(self) -> list[str]:
        """Every article, in file order."""
        return self._recovering(self.catalog.all_ids)

    # Syncing ---------------------------------------------------------------------------

    def sync(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: Progress | None = None,
        on_commit: Callable[[list[str]], None] | None = None,
    ) -> SyncReport:
        """Bring the workspace up to date with `paths`: re-index changed files only and
        drop files deleted under the given folders. Commits in batches, so a long
        import is searchable as it goes.

        `on_commit` receives the files of each committed batch: their articles are
        readable and searchable from then on.

        Raises InputNotFound for a missing path, NoArticles when nothing loads and
        IndexBusy when another process holds the index for too long.
        """
        paths = [Path(p) for p in paths]
        found = discover_files(paths)
        files = [f for f in found if utf8_name(f)]  # a name with non-UTF-8 bytes cannot be stored: warned of, skipped
        unnamed = [IngestWarning(f, "skipped: the file name is not valid UTF-8; rename it") for f in found if not utf8_name(f)]
        if not self._rebuilding:
            self._remember_sources([p for p in paths if utf8_name(str(p))])
        report = self._recovering(lambda: self._sync(paths, files, progress, on_commit, unnamed))
        return report

    def _sync(
        self, paths: list[Path], files: list[str], progress: Progress | None,
        on_commit: Callable[[list[str]], None] | None, unnamed: list[IngestWarning],
    ) -> SyncReport:
        report = SyncReport(files=files, skipped=len(unnamed), warnings=list(unnamed))
        gone = self._deleted_files(paths, set(files))
        todo = self._files_to_read(files, report)
        jobs = ((position, (file, known.digest if known else None)) for position, file, known in todo)
        from .loading import load_in_order, worker_count  # reading files: only when there are some to read

        loads = load_in_order(jobs, self.rules, worker_count(len(todo)))
        batch: list[tuple[str, FileState, list[Article]]] = []
        interval, last_commit = COMMIT_FIRST_SECONDS, time.monotonic()
        try:
            for position, load in loads:
                _, file, known = todo[position]
                if progress:
                    progress(position, len(todo), file)
                change = self._record_load(file, known, load, report)
                if change is not None:
                    batch.append((file, *change))
                if len(batch) >= COMMIT_EVERY_FILES or (batch and time.monotonic() - last_commit > interval):
                    self._apply(batch, [], report, on_commit)
                    batch, last_commit = [], time.monotonic()
                    interval = min(interval * 2, COMMIT_MAX_SECONDS)
        finally:
            loads.close()  # stops worker processes if a progress callback cancelled the sync
        self._apply(batch, gone, report, on_commit)
        if progress:
            progress(len(todo), len(todo), "")
        if self.fulltext.segment_count() > MERGE_AFTER_SEGMENTS:
            self.fulltext.optimize()
        if not (report.added or report.updated or report.unchanged) and not self.catalog.article_ids(files):
            # the error is all the command prints, so it says why when files were skipped
            why = f"; {report.warnings[0]}" if report.warnings else ""
            more = f" (and {len(report.warnings) - 1} more skipped)" if len(report.warnings) > 1 else ""
            raise NoArticles(f"no articles found in {', '.join(str(p) for p in paths)}{why}{more}")
        return report

    def _deleted_files(self, paths: list[Path], present: set[str]) -> list[str]:
        gone: list[str] = []
        for path in paths:
            if path.is_dir() and utf8_name(str(path)):
                gone.extend(f for f in self.catalog.files_under(str(path.resolve())) if f not in present)
        return gone

    def _files_to_read(self, files: list[str], report: SyncReport) -> list[tuple[int, str, FileState | None]]:
        """(position, file, known state) of files that are new or whose size or mtime changed."""
        states = self.catalog.file_states()
        todo: list[tuple[int, str, FileState | None]] = []
        for file in files:
            known, articles = states.get(file, (None, 0))
            try:
                stat = os.stat(file)
            except OSError:
                stat = None  # reading it will report why
            if known and stat and (known.mtime_ns, known.size) == (stat.st_mtime_ns, stat.st_size):
                report.unchanged += articles
            else:
                todo.append((len(todo), file, known))
        return todo

    def _record_load(
        self, file: str, known: FileState | None, load: FileLoad, report: SyncReport
    ) -> tuple[FileState, list[Article]] | None:
        """Count what a load gave; return what to write, if anything."""
        report.warnings.extend(load.warnings)
        if load.state is None:
            report.skipped += 1
            return None
        if load.articles is None:  # touched, same content
            self.catalog.touch_file(file, load.state.mtime_ns, load.state.size)
            report.unchanged += len(self.catalog.article_ids([file]))
            return None
        if not load.articles:
            report.skipped += 1
            return (load.state, []) if known else None  # a file that went bad loses its old articles
        if known:
            report.updated += len(load.articles)
        else:
            report.added += len(load.articles)
        return load.state, load.articles

    def _apply(
        self,
        batch: list[tuple[str, FileState, list[Article]]],
        gone: list[str],
        report: SyncReport,
        on_commit: Callable[[list[str]], None] | None = None,
    ) -> None:
        """Write a batch to the index, then record it in the catalog.

        The order matters: if Accord dies between the two, the catalog still has
        the old file state, and the next sync simply indexes the file again.
        """
        if not batch and not gone:
            return
        with self._whoosh_failures():
            with self.fulltext.writer() as writer:
                for file in gone:
                    writer.remove_file(file)
                for file, _, articles in batch:
                    writer.remove_file(file)
                    for article in articles:
                        writer.add(article, file)
        for file in gone:
            report.removed += len(self.catalog.article_ids([file]))
            self.catalog.remove_file(file)
        for file, state, articles in batch:
            self.catalog.replace_file(file, state, articles)
            for article in articles:
                self._articles.pop(article.id, None)
        if on_commit:
            on_commit([file for file, _, _ in batch])

    # Reading -----------------------------------------------------------------------------

    def article_ids(self, files: Iterable[str]) -> list[str]:
        files = list(files)
        return self._recovering(lambda: self.catalog.article_ids(files))

    def summaries(self, ids: Iterable[str]) -> list[ArticleSummary]:
        ids = list(ids)
        return self._recovering(lambda: self.catalog.summaries(ids))

    def article(self, article_id: str) -> Article:
        """Load one article (a small LRU keeps the ones being read)."""
        if article_id in self._articles:
            self._articles.move_to_end(article_id)
            return self._articles[article_id]
        article = self._recovering(lambda: self.catalog.article(article_id))
        if article is None:
            raise KeyError(article_id)
        self._articles[article_id] = article
        if len(self._articles) > 256:
            self._articles.popitem(last=False)
        return article

    def find(self, article_id: str) -> Article | None:
        """`article`, or None for an id no longer in the workspace."""
        try:
            return self.article(article_id)
        except KeyError:
            return None

    def forget(self, ids: Iterable[str] | None = None) -> None:
        """Drop cached copies of articles another Library instance has just re-indexed
        (of every article, without `ids`: a sync may also have removed some)."""
        if ids is None:
            self._articles.clear()
        for article_id in ids or ():
            self._articles.pop(article_id, None)

    # Searching -----------------------------------------------------------------------------

    def search(
        self, text: str, limit: int = 20, files: Iterable[str] | None = None, *, count: bool = True
    ) -> SearchResult:
        """Ranked hits, each pointing at its best-matching sentence.

        `count=False` returns the hits as soon as they are known; `total` may
        then be only the matches found so far (`counted` is False), and
        `count()` of the same text gives the rest without repeating the search.

        Raises QueryError with a one-line explanation for a malformed query.
        """
        scope = list(files) if files is not None else None

        def run() -> SearchResult:
            with self._whoosh_failures():
                raw = self.fulltext.search(text, limit=limit, files=scope, count=count)
            hits = [self._passage_hit(hit) for hit in raw.hits]
            return SearchResult(text, raw.total, [h for h in hits if h is not None], counted=raw.counted)

        return self._recovering(run)

    def count(
        self, text: str, files: Iterable[str] | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int | None:
        """How many articles match `text` (as `search(...).total` when counted);
        None if `cancelled()` turned true first. Raises QueryError like `search`."""
        scope = list(files) if files is not None else None

        def run() -> int | None:
            with self._whoosh_failures():
                return self.fulltext.count(text, files=scope, cancelled=cancelled)

        return self._recovering(run)

    def match_spans(self, text: str, article_ids: Iterable[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        """Character spans of the query's matched words in each given article's text,
        so a reader can keep them highlighted. Raises QueryError like `search`."""
        ids = list(article_ids)

        def run() -> dict[str, tuple[tuple[int, int], ...]]:
            with self._whoosh_failures():
                return self.fulltext.spans(text, ids)

        return self._recovering(run)

    @contextmanager
    def _whoosh_failures(self) -> Iterator[None]:
        """Whoosh's own failures as one-line errors: a full disk as DiskFull, anything else
        (a damaged segment raises assorted errors) as IndexDamaged, which is rebuilt."""
        try:
            yield
        except AccordError:
            raise
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise sqlite_failure(error, f"the index in {self.workspace.index_dir}") from None
            raise IndexDamaged(f"the full-text index cannot be read ({error.strerror or error})") from None
        except Exception as error:  # noqa: BLE001  Whoosh has no one exception type for a damaged file
            raise IndexDamaged(f"the full-text index is damaged ({type(error).__name__}: {error})"[:300]) from None

    def _passage_hit(self, raw: RawHit) -> SearchHit | None:
        try:
            article = self.article(raw.article)
        except KeyError:
            return None  # index and catalog briefly disagree while another process syncs
        sentence, spans = best_sentence(article, raw.spans)
        kind = "sentence"
        if sentence is None:  # matched on title, outlet or date: point at the opening sentence
            sentence, kind = (article.sentences[0] if article.sentences else None), "article"
        start, end = (sentence.start, sentence.end) if sentence else (0, min(len(article.text), SNIPPET_CHARS))
        window_start, window_end = snippet_window(article.text, start, end, spans)
        snippet = article.text[window_start:window_end]
        highlights = tuple(
            (max(s, window_start) - window_start, min(e, window_end) - window_start)
            for s, e in spans
            if s < window_end and e > window_start
        )
        return SearchHit(
            article=article.id, title=article.title, outlet=article.outlet, source=article.source,
            date=article.date, path=article.path, start=start, end=end, snippet=snippet,
            highlights=highlights, score=raw.score, kind=kind, sentence=sentence.index if sentence else None,
            snippet_start=window_start,
        )


def best_sentence(
    article: Article, spans: tuple[tuple[int, int], ...]
) -> tuple[Sentence | None, tuple[tuple[int, int], ...]]:
    """The sentence holding the most distinct matched words (then the most matches, then the earliest),
    with the spans that fall inside it."""
    if not spans or not article.sentences:
        return None, ()
    starts = [s.start for s in article.sentences]
    grouped: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        position = bisect.bisect_right(starts, span[0]) - 1
        if position >= 0 and span[0] < article.sentences[position].end:
            grouped.setdefault(position, []).append(span)
    if not grouped:
        return None, ()

    def rank(position: int) -> tuple[int, int, int]:
        inside = grouped[position]
        distinct = {article.text[s:e].casefold() for s, e in inside}
        return (len(distinct), len(inside), -position)

    best = max(grouped, key=rank)
    return article.sentences[best], tuple(grouped[best])


def snippet_window(text: str, start: int, end: int, spans: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """Clip a long passage to about SNIPPET_CHARS around its first match, at word edges."""
    if end - start <= SNIPPET_CHARS:
        return start, end
    anchor = spans[0][0] if spans else start
    window_start = max(start, anchor - SNIPPET_CHARS // 3)
    window_end = min(end, window_start + SNIPPET_CHARS)
    if window_start > start:
        space = text.find(" ", window_start, anchor)
        window_start = space + 1 if space != -1 else window_start
    if window_end < end:
        space = text.rfind(" ", max(window_start, spans[-1][1] if spans else window_start), window_end)
        window_end = space if space != -1 else window_end
    return window_start, window_end
