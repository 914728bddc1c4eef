"""The desk: the one object every front end talks to.

A `Desk` owns the analyst's working state for one workspace: the library of
articles, the annotation store, the current claims report with the analyst's
decisions applied, the annotations placed in today's text, and the undo history
of this session's changes. Its verbs are the use cases the command line and the
reader share (open/sync, search, claims, decide, annotate, briefing), so neither
writes them again and a later front end needs nothing else.

Thread safety is the desk's job: the reader calls it from worker threads, one
verb at a time per worker but several workers at once. Library access is
serialised by one lock, the store by its own; long computations (claims) run
outside both. The undo history has a lock of its own, and the current claims report
and the current placement are each replaced only by the latest call that computes
one (a run counter each), so a slow older call finishing last cannot bring back
an older answer.
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .claims.model import DEFAULT_THRESHOLD, ClaimReport
from .claims_parallel import PARALLEL_MIN_ARTICLES
from .config import Config, load_config
from .errors import AccordError, InputNotFound, QueryError
from .discovery import bundled_seeds, discover_files
from .library import Library, Progress
from .model import Article, ArticleSummary, SearchResult, SyncReport
from .short_text import shorten
from .workspace import Workspace

# A reader's first frame needs the library alone: the modules of later work (claims,
# annotations and their store, briefings, search filters) are imported where used.
if TYPE_CHECKING:
    from .anchoring import Anchor
    from .annotations import Annotation, AnnotationMap, Orphan, Placed
    from .briefing import Briefing
    from .decisions import SentenceRef, Verdict
    from .store import Store
    from .support import SupportMap

Spans = dict[str, tuple[tuple[int, int], ...]]
LOAD_BATCH = 32  # articles loaded per hold of the library lock
APART_MIN_ARTICLES = PARALLEL_MIN_ARTICLES  # from here on claims are found in a process of their own
PARTIAL_EVERY = 2.0  # seconds between the partial claim reports made current during a long run
BRIEFING_FORMATS = ("md", "html")


@dataclass(frozen=True, slots=True)
class Placement:
    """The workspace's annotations as they sit in today's text."""

    placed: list[Placed] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # in use, most recent first
    version: int = -1  # the store's data_version when read
    sentence_of: dict[int, int] = field(default_factory=dict)  # annotation id -> sentence its passage starts in
    by_sentence: AnnotationMap | None = None  # for the tag: and note: filters

    @property
    def count(self) -> int:
        return len(self.placed) + len(self.orphans)


@dataclass(frozen=True, slots=True)
class AnnotationChange:
    """How to take back one annotation change: `before` None means it was added,
    `after` None that it was deleted. (`annotate` also answers one whose `before` is
    its `after`: nothing needed changing, nothing was saved.)"""

    before: Annotation | None
    after: Annotation | None


@dataclass(frozen=True, slots=True)
class DecisionChange:
    ids: tuple[int, ...]


Change = AnnotationChange | DecisionChange


@dataclass(frozen=True, slots=True)
class KnownArticles:
    """What the workspace already holds for some paths, read before any sync: enough
    for a front end to show its first screen at once."""

    ids: list[str]  # every known article of the paths, in reading order
    summaries: list[ArticleSummary]  # of the first ids
    articles: dict[str, Article]  # the first few, loaded


class Desk:
    def __init__(
        self, workspace: Workspace, config: Config | None = None, on_notice: Callable[[str], None] | None = None
    ) -> None:
        """`on_notice` hears what the library tells the analyst outside any error: the index
        was found damaged and rebuilt from the workspace's sources."""
        # Nothing touches the disk here: a reader builds its desk on the UI thread.
        self.workspace = workspace
        self._on_notice = on_notice
        self._unheard: list[str] = []  # notices that came before anyone listened
        self._notice_lock = threading.Lock()
        self.config = config if config is not None else load_config()
        self.threshold = self.config.claim_threshold or DEFAULT_THRESHOLD
        self.min_sources = self.config.min_sources
        self._library: Library | None = None
        self._store: Store | None = None
        self._lock = threading.RLock()  # the library (catalog connection, Whoosh searcher, article cache)
        self._store_lock = threading.Lock()  # opening it; the store serialises its own connection
        self._claims_run = 0  # only the latest claims() call's report becomes current
        self._report: ClaimReport | None = None
        self._report_ids: frozenset[str] = frozenset()
        self._report_complete = False
        # What claims are found from: bumped by a decision saved or undone and by a sync that
        # changed an article of the report. A report found from an older basis (or with other
        # settings) is stale: shown still, never reused by the desk's verbs.
        self._claims_basis = 0
        self._report_basis = -1
        self._report_settings: tuple[float, int] | None = None
        self._support: SupportMap | None = None
        self._placement: Placement | None = None
        self._placement_run = 0  # only the latest place_annotations() call's placement becomes current
        self._history: list[tuple[int, Change]] = []  # (sequence number, change), oldest first
        self._history_lock = threading.Lock()
        self._annotating = threading.Lock()  # looking for the passage's annotation and saving, as one step
        self._changes = 0  # sequence numbers of the history's changes

    @property
    def on_notice(self) -> Callable[[str], None] | None:
        return self._on_notice

    @on_notice.setter
    def on_notice(self, listener: Callable[[str], None] | None) -> None:
        """A reader starts reading before its app can listen: what was said meanwhile is
        passed on to the listener when it comes."""
        with self._notice_lock:
            self._on_notice = listener
            unheard, self._unheard = (self._unheard, []) if listener is not None else ([], self._unheard)
        for message in unheard:
            listener(message)  # type: ignore[misc]

    def _notice(self, message: str) -> None:
        with self._notice_lock:
            listener = self._on_notice
            if listener is None:
                self._unheard.append(message)
                return
        listener(message)

    def close(self) -> None:
        with self._lock:
            if self._library is not None:
                self._library.close()
                self._library = None
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def library(self) -> Library:
        """The reading library, opened on first use (from a worker: it touches the disk),
        its catalog checked whole before it serves anything but the first frame's reads."""
        with self._lock:
            library = self._opened_library()
            library.check_catalog()
            return library

    def _opened_library(self) -> Library:
        """The reading library as opened: `known` reads a few rows through it before its
        catalog is checked, the check (every page) left out of the reader's first frame."""
        with self._lock:
            if self._library is None:
                self._library = Library(self.workspace, self.config.rules, on_notice=self._notice,
                                        check_catalog=False)
            return self._library

    @property
    def store(self) -> Store:
        from .store import Store

        with self._store_lock:
            if self._store is None:
                self._store = Store(self.workspace.annotations_path)
            return self._store

    # Articles ------------------------------------------------------------------------------

    def known_ids(self, paths: Iterable[str], files: list[str] | None = None) -> list[str]:
        """Articles of `paths` the workspace already holds, before any sync: enough to
        show something at once; `files` when the caller has found the paths' files already
        (`discover_files`)."""
        files = discover_files(paths) if files is None else files
        with self._lock:
            return self._opened_library().article_ids(files)

    def known(
        self, paths: Iterable[str], summaries: int, articles: int, *, files: list[str] | None = None,
    ) -> KnownArticles:
        """The known articles of `paths` (`known_ids`, with its `files`), the summaries of
        the first `summaries` and the first `articles` loaded. A damaged page these reads
        meet is rebuilt here; one they miss, when the catalog is checked at the desk's next use."""
        ids = self.known_ids(paths, files)
        with self._lock:
            library = self._opened_library()
            loaded = {i: a for i in ids[:articles] if (a := library.find(i)) is not None}
            return KnownArticles(ids, library.summaries(ids[:summaries]), loaded)

    def sync(
        self, paths: Iterable[str], progress: Progress | None = None,
        on_commit: Callable[[list[str]], None] | None = None,
    ) -> SyncReport:
        """Index what changed under `paths`. The sync writes through a library of its
        own, so reads and searches go on meanwhile; `on_commit` receives the ids of
        each committed batch, readable from then on. Exceptions from `progress`
        (a front end cancelling) propagate."""
        self.library  # noqa: B018  checked first: a damaged catalog is rebuilt by one library, not two
        # The reading library has just checked the catalog whole (30-45 ms at 10k): the writer
        # does not check it again, while a reader's first seconds of keys compete with the sync.
        writer = Library(self.workspace, self.config.rules, on_notice=self._notice, check_catalog=False)
        try:
            def committed(files: list[str]) -> None:
                ids = writer.article_ids(files)
                with self._lock:
                    if self._library is not None:
                        self._library.forget(ids)
                    if self._report_ids.intersection(ids):
                        self._claims_basis += 1  # an article of the current claims changed
                if on_commit is not None:
                    on_commit(ids)

            report = writer.sync(list(paths), progress, committed)
            if report.removed:
                with self._lock:
                    self._claims_basis += 1  # the claims may name an article that left
            return report
        finally:
            writer.close()
            with self._lock:
                if self._library is not None:
                    self._library.forget()  # files the sync removed are gone from the catalog too

    @staticmethod
    def default_paths(paths: Iterable[str]) -> list[str]:
        """The paths a front end opens: those given, else the bundled seeds."""
        return list(paths) or [str(bundled_seeds())]

    def sync_default(self, paths: Iterable[str], progress: Progress | None = None) -> SyncReport:
        """`sync` of `paths`, or of the bundled seeds when none are given (`default_paths`)."""
        return self.sync(self.default_paths(paths), progress)

    def ensure_articles(self, progress: Progress | None = None) -> SyncReport | None:
        """A workspace with no articles at all gets the bundled seeds, so commands work out
        of the box: the seeds' sync report, or None when the workspace had articles."""
        with self._lock:
            empty = self.library.article_count() == 0
        return self.sync(self.default_paths([]), progress) if empty else None

    def all_ids(self) -> list[str]:
        with self._lock:
            return self.library.all_ids()

    def article_ids(self, files: Iterable[str]) -> list[str]:
        with self._lock:
            return self.library.article_ids(files)

    def count(self) -> int:
        with self._lock:
            return self.library.article_count()

    def summaries(self, ids: Iterable[str]) -> list[ArticleSummary]:
        with self._lock:
            return self.library.summaries(ids)

    def find(self, article_id: str) -> Article | None:
        with self._lock:
            return self.library.find(article_id)

    def articles(self, ids: Iterable[str]) -> dict[str, Article]:
        """The articles of `ids` still in the workspace, in order (one removed meanwhile is left out).

        Loaded a few at a time, letting go of the library in between: loading 10k articles
        for the claims must not hold up a search the analyst is typing."""
        found: dict[str, Article] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), LOAD_BATCH):
            with self._lock:
                for article_id in wanted[start : start + LOAD_BATCH]:
                    article = self.library.find(article_id)
                    if article is not None:
                        found[article_id] = article
        return found

    # Search ----------------------------------------------------------------------------------

    def search(
        self, query: str, limit: int = 20, files: list[str] | None = None, *, compute_missing: bool = True,
        count: bool = True, cancelled: Callable[[], bool] | None = None,
    ) -> SearchResult | None:
        """Ranked search; a query with claim or annotation filters lists sentences.

        Filters use the current claims and annotations; with `compute_missing`, those
        not computed yet are computed over what is searched (the command line), else
        the query is an error that says so (the reader, whose workers compute them).
        With `count=False` the hits come as soon as they are known and `total` may be
        partial (`counted` False: `count` finishes it). None when `cancelled()` turned
        true while the search waited for the library (a newer query came).
        """
        from . import claim_query

        parsed = claim_query.parse(query)
        if not parsed.filtered:
            with self._lock:
                if cancelled is not None and cancelled():
                    return None
                return self.library.search(query, limit=limit, files=files, count=count)
        scope = self.article_ids(files) if files is not None else self.all_ids()
        support = self._support
        if parsed.tests and compute_missing and not self._report_serves(scope):
            self.claims(scope)
            support = self._support
        notes = self._placement.by_sentence if self._placement is not None else None
        if parsed.note_tests and compute_missing and notes is None:
            notes = self.place_annotations(scope).by_sentence
        with self._lock:
            return claim_query.search(self.library, support, query, limit=limit, notes=notes)

    def count_matches(self, query: str, cancelled: Callable[[], bool] | None = None) -> int | None:
        """How many articles match a query whose search was not counted; None if cancelled."""
        with self._lock:
            return self.library.count(query, cancelled=cancelled)

    def match_spans(self, query: str, ids: Iterable[str]) -> Spans:
        """Where the query's words match in each article, for highlighting; filters are
        ignored and a query that cannot be read highlights nothing."""
        from . import claim_query

        words = claim_query.parse(query).text if claim_query.has_filters(query) else query
        if not words.strip():
            return {}
        try:
            with self._lock:
                return self.library.match_spans(words, list(ids))
        except QueryError:
            return {}

    # Claims -----------------------------------------------------------------------------------

    @property
    def report(self) -> ClaimReport | None:
        """The latest claims found (see `report_current` for whether they are still true)."""
        return self._report

    @property
    def support(self) -> SupportMap | None:
        return self._support

    def claims(
        self, ids: Iterable[str], threshold: float | None = None, min_sources: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ClaimReport:
        """Claims among `ids`, the analyst's decisions applied; becomes the current report
        unless a later call (or `forget_claims`) came meanwhile.

        On a corpus of several stories the claims of the stories done so far become
        current as they come (`report_complete` is False until the end), and
        `progress(stories done, stories)` is called after each story."""
        from .claims import find_claims
        from .claims_apart import find_claims_apart
        from .support import SupportMap

        with self._lock:
            self._claims_run += 1
            run, basis = self._claims_run, self._claims_basis
        wanted = list(ids)
        decisions = self.store.decisions()  # read after the basis: a decision saved meanwhile makes this run stale
        threshold, min_sources = threshold or self.threshold, min_sources or self.min_sources
        apart = len(wanted) >= APART_MIN_ARTICLES
        articles = [] if apart else list(self.articles(wanted).values())
        covered = frozenset(wanted) if apart else frozenset(a.id for a in articles)  # read by publish

        def publish(report: ClaimReport, complete: bool) -> None:
            support = SupportMap(report)
            with self._lock:
                if run == self._claims_run:
                    self._report, self._support, self._report_ids = report, support, covered
                    self._report_complete = complete
                    self._report_basis, self._report_settings = basis, (threshold, min_sources)

        last_published = time.monotonic()

        def story_done(done: int, total: int, partial: ClaimReport | None) -> None:
            nonlocal last_published
            first = self._report is None or not self._report_ids  # show the first stories at once
            if partial is not None and done < total and (first or time.monotonic() - last_published >= PARTIAL_EVERY):
                publish(partial, complete=False)
                last_published = time.monotonic()
            if progress is not None:
                progress(done, total)

        # Outside the locks: searches go on while claims are found. A big corpus is
        # loaded and cut into stories by a process of its own (see claims_apart).
        if apart:
            report, covered = find_claims_apart(self.workspace.root, wanted, threshold, min_sources,
                                                decisions, progress=story_done)
        else:
            report = find_claims(articles, threshold=threshold, min_sources=min_sources,
                                 decisions=decisions, progress=story_done)
        publish(report, complete=True)
        return report

    @property
    def report_complete(self) -> bool:
        """Whether the current report covers every story (not the first stories of a run)."""
        return self._report is not None and self._report_complete

    @property
    def report_current(self) -> bool:
        """Whether the current report is complete and still true: found with every decision
        saved so far (none made or undone since), from today's text of its articles, with
        today's threshold and minimum of sources."""
        with self._lock:
            return (self.report_complete and self._report_basis == self._claims_basis
                    and self._report_settings == (self.threshold, self.min_sources))

    def _report_serves(self, ids: Iterable[str]) -> bool:
        return self.report_current and self._report_ids >= set(ids)

    def current_claims(self, ids: Iterable[str], progress: Callable[[int, int], None] | None = None) -> ClaimReport:
        """The current claims report when it covers `ids` and is current (`report_current`),
        else the claims of `ids` found now (see `claims`). Every verb that needs the claims
        asks here, so a decision, its undo or a changed article is never answered with the
        report found before it."""
        wanted = list(ids)
        report = self._report
        if report is not None and self._report_serves(wanted):
            return report
        return self.claims(wanted, progress=progress)

    def forget_claims(self) -> None:
        """Other articles were opened: the current report no longer applies."""
        with self._lock:
            self._claims_run += 1
            self._report, self._support, self._report_ids = None, None, frozenset()

    def decide(self, pairs: list[tuple[SentenceRef, SentenceRef]], verdict: Verdict) -> list[int]:
        """Confirm, reject or link sentence pairs; each saved before this returns. The current
        claims report is stale from then on (`report_current`): the next verb that uses the
        claims finds them again with the decision applied."""
        saved: list[int] = []
        try:
            for a, b in pairs:
                saved.append(self.store.decide(a, b, verdict).id)
        finally:
            if saved:  # those saved before a failure are applied and undoable too
                self._decisions_changed()
                self._record(DecisionChange(tuple(saved)))
        return saved

    def _decisions_changed(self) -> None:
        with self._lock:
            self._claims_basis += 1

    # Annotations ------------------------------------------------------------------------------

    @property
    def placement(self) -> Placement:
        return self._placement or Placement()

    def place_annotations(self, in_view: Iterable[str] | None = None, tags: tuple[str, ...] = ()) -> Placement:
        """Where the workspace's annotations sit in today's text; becomes the current placement.

        With `in_view` (the articles a reader shows), annotations on articles of another
        corpus in this workspace are left out; those whose article left the workspace
        are orphans, like any passage that can no longer be found. A placement that a later
        call started after it is not made current (it may have read an older store).
        """
        from .annotations import AnnotationMap, locate

        with self._lock:
            self._placement_run += 1
            run = self._placement_run
        store = self.store
        version, annotations, in_use = store.data_version(), store.annotations(tags), store.tags()
        loaded: dict[str, Article | None] = {}

        def article(article_id: str) -> Article | None:
            if article_id not in loaded:
                loaded[article_id] = self.library.find(article_id)
            return loaded[article_id]

        with self._lock:
            if in_view is not None:
                view = set(in_view)
                others = {a.article for a in annotations if a.article not in view}
                elsewhere = {s.id for s in self.library.summaries(others)} if others else set()
                annotations = [a for a in annotations if a.article not in elsewhere]
            placed, orphans = locate(annotations, article)
            sentence_of = {}
            for p in placed:
                found = article(p.annotation.article)
                at = found.sentence_at(p.start) if found else None
                sentence_of[p.id] = at.index if at else 0
            by_sentence = AnnotationMap(placed, article)
            placement = Placement(placed, orphans, in_use, version, sentence_of, by_sentence)
            if run == self._placement_run:
                self._placement = placement
        return placement

    def store_changed(self) -> bool:
        """Whether the store changed (another Accord wrote to it) since the last placement."""
        return self.store.data_version() != self.placement.version

    def anchor_quote(self, article: Article, quote: str) -> Anchor:
        """The anchor of `quote` (whitespace may differ) in the article, its first occurrence;
        InputNotFound if absent, AccordError if the quote is empty."""
        from .anchoring import Anchor, find_quote

        if not quote.strip():
            raise AccordError("the quote is empty: give the passage to annotate")
        span = find_quote(article.text, quote)
        if span is None:
            raise InputNotFound(f"quote not found in {article.source}, “{shorten(article.title, 60)}”: "
                                f"“{shorten(quote, 60)}”")
        return Anchor.at(article.id, article.text, *span)

    def quote_occurrences(self, article: Article, quote: str, most: int = 99) -> int:
        """How many times `quote` occurs in the article (whitespace may differ), up to `most`:
        `anchor_quote` takes the first."""
        from .anchoring import count_quote

        return count_quote(article.text, quote, most)

    def annotation_on(self, anchor: Anchor) -> Annotation | None:
        """The annotation already on exactly the anchor's span of today's text, if any."""
        article = self.find(anchor.article)
        if article is None:
            return None
        from .annotations import locate

        mine = [a for a in self.store.annotations() if a.article == anchor.article]
        placed, _ = locate(mine, lambda article_id: article if article_id == article.id else None)
        return next((p.annotation for p in placed if (p.start, p.end) == (anchor.start, anchor.end)), None)

    def where(self, annotation: Annotation) -> Placed | Orphan:
        """Where one annotation sits in today's text of its article (or why it cannot be found)."""
        from .annotations import locate

        placed, orphans = locate([annotation], self.find)
        return placed[0] if placed else orphans[0]

    def annotate(
        self, anchor: Anchor, tags: tuple[str, ...] | None = None, note: str | None = None, *, merge: bool = False,
    ) -> AnnotationChange:
        """Annotate the anchor's passage; one annotation per passage, for every front end.

        A new passage gets a new annotation. An annotation already on exactly this span of
        today's text is edited, not doubled: `tags` and `note` replace its own (None keeps
        them), or with `merge` the tags join its own and the note is added below its note
        (unless it already says so). Returns the change; when nothing needed changing,
        nothing is saved and `before` is `after` (nothing to undo)."""
        with self._annotating:
            self.store.refuse_if_damaged("the annotation")  # as the write would, before reading the store
            existing = self.annotation_on(anchor)
            if existing is None:
                added = self.store.add_annotation(anchor, tags or (), note or "")
                change = AnnotationChange(None, added)
                self._record(change)
                return change
            if merge:
                tags = tuple(dict.fromkeys((*existing.tags, *(tags or ()))))
                note = _with_note(existing.note, note or "")
            tags = None if tags is None or tags == existing.tags else tags
            note = None if note is None or note == existing.note else note
            if tags is None and note is None:
                return AnnotationChange(existing, existing)
            edited = self.edit(existing, tags=tags, note=note)
            return AnnotationChange(existing, edited)

    def edit(self, before: Annotation, *, tags: tuple[str, ...] | None = None, note: str | None = None,
             anchor: Anchor | None = None) -> Annotation:
        """New tags, note or anchor (a re-attached orphan) for an annotation."""
        after = self.store.update_annotation(before.id, tags=tags, note=note, anchor=anchor)
        self._record(AnnotationChange(before, after))
        return after

    def delete(self, annotation_id: int) -> Annotation:
        gone = self.store.delete_annotation(annotation_id)
        self._record(AnnotationChange(gone, None))
        return gone

    def annotations(self, tags: tuple[str, ...] = ()) -> list[Annotation]:
        return self.store.annotations(tags)

    def tags(self) -> list[str]:
        return self.store.tags()

    # Undo ------------------------------------------------------------------------------------

    def _record(self, change: Change) -> None:
        """A change committed to the store joins the history (in the order of commits)."""
        with self._history_lock:
            self._changes += 1
            self._history.append((self._changes, change))

    @property
    def can_undo(self) -> bool:
        with self._history_lock:
            return bool(self._history)

    def undo(self) -> Change:
        """Take back this session's latest decision or annotation change; IndexError if none.

        One that cannot be taken back (the store failed) stays undoable where it was in the
        history: below any change made meanwhile, which the next undo takes back first."""
        with self._history_lock:
            entry = self._history.pop()
        change = entry[1]
        try:
            if isinstance(change, DecisionChange):
                try:
                    for decision_id in change.ids:
                        self.store.undo_decision(decision_id)
                finally:
                    self._decisions_changed()  # the claims no longer apply it
            elif change.before is None:
                assert change.after is not None
                self.store.delete_annotation(change.after.id)
            else:
                self.store.restore_annotation(change.before)
        except AccordError:
            with self._history_lock:
                bisect.insort(self._history, entry, key=lambda e: e[0])  # not undone: back in its place
            raise
        return change

    # The briefing -----------------------------------------------------------------------------

    def briefing(
        self, ids: Iterable[str] | None = None, *, title: str | None = None, tags: tuple[str, ...] = (),
        with_claims: bool = True,
    ) -> Briefing:
        """The briefing of the annotations on `ids` (default: the whole workspace), citing
        those articles; with claims, who else reports each passage (`current_claims`).
        `title` defaults to the briefing module's DEFAULT_TITLE."""
        from .briefing import DEFAULT_TITLE, build_briefing

        title = DEFAULT_TITLE if title is None else title
        articles = self.articles(self.all_ids() if ids is None else ids)
        placement = self.placement if ids is not None and self._placement is not None else None
        if placement is None:
            placement = self.place_annotations(None if ids is None else list(articles))
        report = self.current_claims(articles) if with_claims and articles else None
        return build_briefing(placement.placed, placement.orphans, articles, report, title=title, tags=tags)

    @staticmethod
    def briefing_format(path: Path | None, format: str | None = None) -> str:
        """The format a briefing is written in: `format` when one is asked for, else an HTML
        page for a name ending in .html or .htm, else Markdown (standard output included)."""
        if format is not None:
            if format not in BRIEFING_FORMATS:
                raise AccordError(f"unknown briefing format {format!r}: md or html")
            return format
        return "html" if path is not None and path.suffix.lower() in (".html", ".htm") else "md"

    @staticmethod
    def briefing_document(briefing: Briefing, format: str = "md") -> str:
        """The briefing's text: Markdown ("md") or a standalone HTML page ("html")."""
        from .briefing import document

        return document(briefing, Desk.briefing_format(None, format))

    @staticmethod
    def check_briefing_target(path: Path, overwrite: bool = False) -> None:
        """AccordError when `path` is a folder (no overwrite makes it a file: asking to
        replace it only led to "Is a directory"); FileExistsError when it exists and
        `overwrite` is not set: a front end may ask before building a long briefing.
        `write_briefing` checks again as it writes."""
        if os.path.isdir(path):
            raise AccordError(f"{path} is a folder: give the briefing a file name in it")
        if not overwrite and os.path.lexists(path):
            raise FileExistsError(str(path))

    @staticmethod
    def write_briefing(briefing: Briefing, path: Path, overwrite: bool = False, format: str | None = None) -> str:
        """Save the briefing in one step, in `briefing_format(path, format)`; never over a file
        unless `overwrite` (FileExistsError, even for one created meanwhile). Returns the
        format written."""
        from .atomic_write import write_atomically
        from .briefing import document

        Desk.check_briefing_target(path, overwrite=True)  # a folder is refused before anything is written
        written = Desk.briefing_format(path, format)
        write_atomically(path, document(briefing, written), overwrite=overwrite)
        return written


def _with_note(note: str, more: str) -> str:
    """`more` below `note`, in a paragraph of its own, unless the note already says it."""
    more = more.strip()
    if not more or more in note:
        return note
    return f"{note.rstrip()}\n\n{more}" if note.strip() else more
