"""The reader: articles side by side, a sentence cursor, search as you type.

Threading: the UI thread never touches the disk. A sync worker indexes the
paths with its own Library; the reader's Library (articles and searches) is
used only from worker threads, one at a time under `_library_lock`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import get_current_worker
from rich.text import Text

from accord.index import claim_query
from accord.index.catalog import ArticleSummary
from accord.index.config import Config, load_config, save_state, load_state
from accord.index.errors import AccordError, QueryError
from accord.index.ingest import discover
from accord.index.library import Library, SyncReport
from accord.index.model import Article, SearchHit, SearchResult
from accord.index.workspace import Workspace

from .article_list import ArticleList
from .article_pane import ArticlePane
from .annotation_screens import AnnotationsScreen, NoteScreen, OrphansScreen, TagScreen
from .annotations_flow import ANNOTATION_BINDINGS, AnnotationsMixin
from .article_view import CONFLICT_GLYPH, SUPPORT_GLYPHS, ArticleView
from .claim_screens import ClaimGridScreen, OthersScreen
from .claims_flow import CLAIM_BINDINGS, ClaimsMixin
from .claims_panel import ClaimsPanel
from .export_screen import ConfirmScreen, ExportScreen
from .screens import HelpScreen, KeyHelp, OpenScreen
from .search_panel import SearchPanel
from .themes import DEFAULT_THEME, load_themes, with_derived_variables

MIN_PANE_WIDTH = 45  # narrower than this, a news paragraph wraps every few words
MAX_PANES = 4
SEARCH_DEBOUNCE = 0.08  # seconds of quiet typing before a search runs
SEARCH_LIMIT = 50
FIRST_SUMMARIES = 50  # article summaries sent before the first paint
FIRST_PAINT_GRACE = 1.0  # seconds a sync waits for the first article to be painted
PROGRESS_INTERVAL = 0.1  # seconds between progress updates from the sync worker


class _Superseded(Exception):
    """Raised inside a sync whose open was replaced by a newer one."""


class SyncMessage(Message):
    """From a sync worker; `opening` says which open it belongs to, so a superseded
    sync (the analyst opened other paths meanwhile) is ignored."""

    opening = 0


class LibraryReady(SyncMessage):
    def __init__(self, library: Library, ids: list[str], summaries: list[ArticleSummary]) -> None:
        super().__init__()
        self.library, self.ids, self.summaries = library, ids, summaries


class ArticlesCommitted(SyncMessage):
    def __init__(self, ids: list[str], summaries: list[ArticleSummary]) -> None:
        super().__init__()
        self.ids, self.summaries = ids, summaries


class SyncProgress(SyncMessage):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class SyncFinished(SyncMessage):
    def __init__(self, report: SyncReport | None, error: str = "") -> None:
        super().__init__()
        self.report, self.error = report, error


class AccordApp(AnnotationsMixin, ClaimsMixin, App[None]):
    CSS_PATH = ["app.tcss", "annotations.tcss"]
    TITLE = "Accord"

    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "next_hit", "Next hit", id="next_hit"),
        Binding("N", "previous_hit", "Previous hit", id="previous_hit", show=False),
        Binding("escape", "clear_search", "Clear search", id="clear_search", show=False),
        Binding("h,left,shift+tab", "pane_left", "Pane left", id="pane_left", show=False),
        Binding("l,right,tab", "pane_right", "Pane right", id="pane_right", show=False),
        Binding("right_square_bracket", "next_page", "More articles", id="next_page"),
        Binding("left_square_bracket", "previous_page", "Previous articles", id="previous_page", show=False),
        Binding("b", "toggle_list", "Article list", id="toggle_list"),
        Binding("o", "open", "Open", id="open", show=False),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        *CLAIM_BINDINGS,
        *ANNOTATION_BINDINGS,
    ]

    def __init__(self, workspace: Workspace, paths: list[str], config: Config | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.paths = paths
        self.config = config or load_config()
        self.library: Library | None = None
        self._library_lock = threading.Lock()
        # Set once the first article is on screen: the sync waits for it (briefly), so
        # importing and opening Whoosh does not compete with the first paint.
        self._first_article_shown = threading.Event()
        self.ids: list[str] = []  # every article in view, in reading order
        self.summaries: dict[str, ArticleSummary] = {}
        self.slots: list[str | None] = []  # the article each pane shows
        self.search_result: SearchResult | None = None
        self.hit_index = -1
        self.query_text = ""
        self._search_timer: Timer | None = None
        self._opening = 0  # counts opens; see SyncMessage
        self._pending_jump: int | None = None  # Enter pressed before its search finished
        self.open_error = ""  # why the paths could not be opened, shown in empty panes
        self.claims_status = ""
        self._status_message = ""
        self._init_claims()
        self._init_annotations()
        self._startup_problems: list[str] = list(self.config.problems)
        themes, theme_problems = load_themes()
        self._startup_problems += theme_problems
        for theme in themes:
            self.register_theme(theme)
        saved = load_state().get("theme")
        self.theme = saved if isinstance(saved, str) and saved in self.available_themes else DEFAULT_THEME
        self._apply_keymap(self.config.keys)

    # Setup ------------------------------------------------------------------------------

    def get_css_variables(self) -> dict[str, str]:
        self.theme_variables = with_derived_variables(super().get_css_variables())
        return self.theme_variables

    def _apply_keymap(self, keys: dict[str, str]) -> None:
        known = {row.id for row in self.key_help()}
        unknown = sorted(set(keys) - known)
        if unknown:
            self._startup_problems.append(
                f"config [keys]: unknown binding id {', '.join(unknown)}; press ? to see the ids"
            )
        self.set_keymap({k: v for k, v in keys.items() if k in known})

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield ArticleList(id="article-list")
            yield Horizontal(id="panes")
            yield ClaimsPanel(id="claims")
        yield SearchPanel(id="search")
        with Horizontal(id="legend"):
            yield Static(Text(f"{SUPPORT_GLYPHS['all']} every outlet "), classes="legend-all")
            yield Static(Text(f" {SUPPORT_GLYPHS['several']} several "), classes="legend-several")
            yield Static(Text(f" {SUPPORT_GLYPHS['single']} one source only "), classes="legend-single")
            yield Static(Text(f" {CONFLICT_GLYPH} sources disagree "), classes="legend-conflict")
            yield Static(Text("  c claims · m grid · w others say · s/i/d next shared/single/conflict"),
                         classes="legend-keys")
        with Horizontal(id="status"):
            yield Static(id="status-text")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._layout_panes()
        for problem in self._startup_problems:
            self.notify(problem, title="Config", severity="warning", markup=False, timeout=10)
        self.query_one("#progress").display = False
        self._set_status("opening…")
        self._open(self.paths)

    def _theme_changed(self, theme: object) -> None:
        save_state(theme=self.theme)
        if self.search_result is not None:
            self.query_one(SearchPanel).show_result(self.search_result)  # re-colour the hit list

    # Loading and syncing (worker threads) ---------------------------------------------------

    def _open(self, paths: list[str]) -> None:
        self._opening += 1
        self._sync(paths, self._opening)

    @work(thread=True, group="sync")
    def _sync(self, paths: list[str], opening: int) -> None:
        """Show what the workspace already knows, then index what changed, batch by batch."""

        def send(message: SyncMessage) -> None:
            message.opening = opening
            self.post_message(message)

        try:
            sync_library = Library(self.workspace, self.config.rules)
        except AccordError as error:
            send(SyncFinished(None, str(error)))
            return
        try:
            files = [str(f) for f in discover(paths)]
            known = sync_library.article_ids(files)
            first = known[:FIRST_SUMMARIES]  # enough to fill the panes; the rest follow the first paint
            if self.library is None:
                reader = Library(self.workspace, self.config.rules)
                send(LibraryReady(reader, known, sync_library.summaries(first)))
            else:
                send(ArticlesCommitted(known, sync_library.summaries(first)))
            if known:
                self._first_article_shown.wait(FIRST_PAINT_GRACE)
            if len(known) > len(first):
                send(ArticlesCommitted(known, sync_library.summaries(known[len(first):])))
            last_post = 0.0

            def progress(done: int, total: int, _file: str) -> None:
                nonlocal last_post
                if opening != self._opening:
                    raise _Superseded  # stop between files; the batch in hand is simply not committed
                now = time.monotonic()
                if now - last_post >= PROGRESS_INTERVAL or done == total:
                    last_post = now
                    send(SyncProgress(done, total))

            def committed(batch: list[str]) -> None:
                ids = sync_library.article_ids(batch)
                if self.library is not None:
                    with self._library_lock:
                        self.library.forget(ids)
                send(ArticlesCommitted(ids, sync_library.summaries(ids)))

            report = sync_library.sync(paths, progress, committed)
            send(SyncFinished(report))
        except AccordError as error:
            send(SyncFinished(None, str(error)))
        except _Superseded:
            pass
        finally:
            sync_library.close()

    def on_library_ready(self, message: LibraryReady) -> None:
        if message.opening != self._opening or self.library is not None:
            message.library.close()
            return
        self.library = message.library
        self._add_articles(message.ids, message.summaries)
        self._start_annotations()
        if self.query_text:
            self._start_search(self.query_text)

    def on_articles_committed(self, message: ArticlesCommitted) -> None:
        if message.opening != self._opening:
            return
        self._add_articles(message.ids, message.summaries)
        for pane in self.panes:  # a re-indexed article on screen: show its new text
            if pane.article_id in set(message.ids):
                self._load(pane, pane.article_id, pane.view.cursor)

    def on_sync_progress(self, message: SyncProgress) -> None:
        if message.opening != self._opening:
            return
        bar = self.query_one("#progress", ProgressBar)
        bar.display = message.done < message.total
        bar.update(total=message.total, progress=message.done)
        self._set_status(f"indexing {message.done}/{message.total} files")

    def on_sync_finished(self, message: SyncFinished) -> None:
        if message.opening != self._opening:
            return
        self.query_one("#progress").display = False
        if message.error:
            self.notify(message.error, title="Cannot open", severity="error", markup=False, timeout=15)
            self.open_error = message.error
            if not self.ids:
                for pane in self.panes:
                    pane.show_message(message.error)
            self._set_status("")
            return
        report = message.report
        assert report is not None
        for warning in report.warnings[:5]:
            self.notify(str(warning), title="Skipped", severity="warning", markup=False)
        if len(report.warnings) > 5:
            self.notify(f"{len(report.warnings) - 5} more files skipped; `accord index` lists them all",
                        severity="warning", markup=False)
        self._set_status(report.summary())
        self._compute_claims()
        self._load_annotations()  # the articles' text may have changed: place the passages again

    def _add_articles(self, ids: Iterable[str], summaries: list[ArticleSummary]) -> None:
        self.summaries.update((s.id, s) for s in summaries)
        known = set(self.ids)
        self.ids.extend(i for i in ids if i not in known)
        self._layout_panes()
        self._fill_empty_slots()
        self._refresh_list()

    # Panes ------------------------------------------------------------------------------

    @property
    def panes(self) -> list[ArticlePane]:
        return list(self.query(ArticlePane))

    def pane_count(self) -> int:
        article_list = self.query_one(ArticleList)
        claims_panel = self.query_one(ClaimsPanel)
        width = self.size.width - (article_list.outer_size.width or 38 if article_list.display else 0)
        width -= claims_panel.outer_size.width or 56 if claims_panel.display else 0
        return max(1, min(MAX_PANES, width // MIN_PANE_WIDTH, len(self.ids) or MAX_PANES))

    def on_resize(self) -> None:
        self.call_after_refresh(self._layout_panes)

    def _layout_panes(self, refocus: bool = True) -> None:
        """As many panes as the width allows; keep what they show (and, with
        `refocus`, keep the focus in the panes)."""
        wanted = self.pane_count()
        container = self.query_one("#panes")
        panes = self.panes
        if len(panes) == wanted:
            return
        focused_slot = self.focused_slot()
        for pane in panes[wanted:]:
            pane.remove()
        self.slots = self.slots[:wanted] + [None] * max(0, wanted - len(self.slots))
        new = [ArticlePane(slot) for slot in range(len(panes), wanted)]
        if new:
            container.mount_all(new)
            for pane in new:
                self.call_after_refresh(self._show_new_pane, pane)
        self.call_after_refresh(self._fill_empty_slots)
        if refocus:
            self.call_after_refresh(self._focus_slot, min(focused_slot, wanted - 1))

    def _show_new_pane(self, pane: ArticlePane) -> None:
        if pane.is_attached and pane.children and pane.slot < len(self.slots) and not pane.request:
            # else a later layout removed it, or its slot was filled (and the article
            # requested) while it mounted
            self._show_slot(pane)

    def _show_slot(self, pane: ArticlePane) -> None:
        article_id = self.slots[pane.slot] if pane.slot < len(self.slots) else None
        if article_id:
            self._load(pane, article_id)
        else:
            pane.show_message(self._empty_message())

    def _fill_empty_slots(self) -> None:
        """Give every empty pane the next article not already on screen."""
        on_screen = set(filter(None, self.slots))
        spare = (i for i in self.ids if i not in on_screen)
        for pane in self.panes:
            if pane.slot < len(self.slots) and self.slots[pane.slot] is None:
                article_id = next(spare, None)
                if article_id is None:
                    pane.show_message(self._empty_message())
                    continue
                self.slots[pane.slot] = article_id
                self._load(pane, article_id)

    def _empty_message(self) -> str:
        if self.open_error:
            return self.open_error
        return "No more articles" if self.ids else "Loading…"

    def focused_slot(self) -> int:
        focused = self.focused
        for pane in self.panes:
            if focused is not None and (focused is pane or pane in focused.ancestors):
                return pane.slot
        return getattr(self, "_last_slot", 0)

    def _focus_slot(self, slot: int) -> None:
        panes = self.panes
        if panes:
            pane = panes[max(0, min(slot, len(panes) - 1))]
            self._last_slot = pane.slot
            pane.view.focus()

    def on_descendant_focus(self) -> None:
        slot = self.focused_slot()
        self._last_slot = slot

    def _load(self, pane: ArticlePane, article_id: str, sentence: int = 0, center: bool = False) -> None:
        pane.request += 1
        self._fetch(pane, pane.request, article_id, sentence, center, self.query_text)

    @work(thread=True, group="load")
    def _fetch(self, pane: ArticlePane, request: int, article_id: str, sentence: int, center: bool, query: str) -> None:
        library = self.library
        if library is None:
            return
        with self._library_lock:
            article = library.find(article_id)
            if article is None:
                return
            spans = self._spans_for(library, query, [article_id]).get(article_id, ())
        self.call_from_thread(self._place, pane, request, article, sentence, center, spans)

    def _place(self, pane: ArticlePane, request: int, article: Article, sentence: int, center: bool,
               spans: tuple[tuple[int, int], ...]) -> None:
        if request != pane.request or not pane.is_attached:
            return  # a newer request for this pane won
        position = f"{self.ids.index(article.id) + 1}/{len(self.ids)}" if article.id in self.ids else ""
        pane.show(article, sentence, position=position)
        if center:
            pane.view.move_to(sentence, center=True)
        pane.view.set_hits(spans)
        self._mark_pane(pane)
        self._highlight_pane(pane)
        self._align_when_loaded()
        self._refresh_list()
        if not self._first_article_shown.is_set():
            self.call_after_refresh(self._first_article_shown.set)

    @staticmethod
    def _spans_for(library: Library, query: str, ids: list[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        if not query.strip():
            return {}
        try:
            return library.match_spans(query, ids)
        except QueryError:
            return {}

    def action_pane_left(self) -> None:
        self._focus_slot(self.focused_slot() - 1)

    def action_pane_right(self) -> None:
        self._focus_slot(self.focused_slot() + 1)

    def action_next_page(self) -> None:
        self._page(+1)

    def action_previous_page(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """Show the next (or previous) articles, as many as there are panes."""
        if not self.ids:
            return
        count = len(self.slots)
        shown = [self.ids.index(i) for i in self.slots if i in self.ids]
        last_start = max(0, len(self.ids) - count)
        if direction > 0:
            start = max(shown) + 1 if shown else 0
            start = 0 if start >= len(self.ids) else min(start, last_start)  # wrap round at the end
        else:
            start = min(shown) - count if shown else 0
            start = last_start if shown and min(shown) == 0 else max(0, start)
        window = self.ids[start : start + count]
        for pane, article_id in zip(self.panes, window + [None] * (count - len(window))):
            self.slots[pane.slot] = article_id
            self._show_slot(pane)

    def show_article(self, article_id: str, sentence: int = 0, *, center: bool = False) -> ArticlePane:
        """Show an article (in its pane if on screen, else in the focused pane) and focus it."""
        pane = next((p for p in self.panes if self.slots[p.slot] == article_id), None)
        if pane is None:
            pane = self.panes[min(self.focused_slot(), len(self.panes) - 1)]
            self.slots[pane.slot] = article_id
            self._load(pane, article_id, sentence, center)
        else:
            pane.view.move_to(sentence, center=center)
        self._focus_slot(pane.slot)
        return pane

    # Article list -------------------------------------------------------------------------

    def action_toggle_list(self) -> None:
        article_list = self.query_one(ArticleList)
        article_list.display = not article_list.display
        if article_list.display:
            self._refresh_list()
            article_list.focus()
        else:
            self._focus_slot(self.focused_slot())
        self.call_after_refresh(self._layout_panes)

    def _refresh_list(self) -> None:
        article_list = self.query_one(ArticleList)
        if article_list.display:
            summaries = [self.summaries[i] for i in self.ids if i in self.summaries]
            article_list.set_articles(summaries, set(filter(None, self.slots)))

    def on_article_list_chosen(self, message: ArticleList.Chosen) -> None:
        self.show_article(message.article_id)

    # Search ------------------------------------------------------------------------------

    def action_search(self) -> None:
        panel = self.query_one(SearchPanel)
        panel.display = True
        panel.input.focus()

    def on_search_panel_query_changed(self, message: SearchPanel.QueryChanged) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, partial(self._start_search, message.query))

    def _start_search(self, query: str) -> None:
        self.query_text = query
        if not query.strip():
            self._show_search(None, {})
            return
        if self.library is None:
            if panel := self._search_panel():
                panel.set_status("opening the index…")
            return  # runs when the library is ready
        self._search(query, [i for i in self.slots if i])

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, shown: list[str]) -> None:
        worker = get_current_worker()
        library = self.library
        if library is None:
            return
        with self._library_lock:
            if worker.is_cancelled:
                return  # a newer query superseded this one while it waited
            try:
                result = claim_query.search(library, self.support, query, limit=SEARCH_LIMIT, notes=self.annotation_map)
                words = claim_query.parse(query).text
                spans = library.match_spans(words, shown) if words else {}
            except QueryError as error:
                if not worker.is_cancelled:
                    self.call_from_thread(self._show_search_error, query, str(error))
                return
        if not worker.is_cancelled:
            self.call_from_thread(self._show_search, result, spans)

    def _show_search(self, result: SearchResult | None, spans: dict[str, tuple[tuple[int, int], ...]]) -> None:
        if result is not None and result.query != self.query_text:
            return  # typing moved on
        panel = self._search_panel()
        if panel is None:
            return
        self.search_result = result
        self.hit_index = -1
        if result is None:
            panel.clear()
        else:
            panel.show_result(result)
        for pane in self.panes:
            pane.view.set_hits(spans.get(pane.article_id or "", ()))
        self._set_status()
        if self._pending_jump is not None and result is not None:
            index, self._pending_jump = self._pending_jump, None
            self._jump_to_hit(index)

    def _show_search_error(self, query: str, message: str) -> None:
        panel = self._search_panel()
        if query == self.query_text and panel is not None:
            if self._pending_jump is not None:
                self._pending_jump = None
                self.action_search()  # reopen the bar so the error is seen
            panel.show_error(message)

    def _search_panel(self) -> SearchPanel | None:
        """The search panel; None once the app is closing, when a debounce timer
        or a search worker's result can still arrive."""
        try:
            return self.query_one(SearchPanel)
        except NoMatches:
            return None

    def on_search_panel_hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        panel = self.query_one(SearchPanel)
        query = panel.input.value
        if not query.strip():
            return
        if self.search_result is None or self.search_result.query != query:
            # Enter came before the debounced search: run it now and jump when it lands.
            self._pending_jump = message.index
            if self._search_timer is not None:
                self._search_timer.stop()
            self._start_search(query)
            return
        self._jump_to_hit(message.index)

    def on_search_panel_closed(self) -> None:
        self.action_clear_search()

    def _jump_to_hit(self, index: int) -> None:
        if not self.search_result or not self.search_result.hits:
            self.bell()
            return
        self.query_one(SearchPanel).display = False
        self.hit_index = index % len(self.search_result.hits)
        hit: SearchHit = self.search_result.hits[self.hit_index]
        self.show_article(hit.article, hit.sentence or 0, center=True)
        self._set_status()

    def action_next_hit(self) -> None:
        self._jump_to_hit(self.hit_index + 1)

    def action_previous_hit(self) -> None:
        self._jump_to_hit(self.hit_index - 1 if self.hit_index >= 0 else -1)

    def action_clear_search(self) -> None:
        panel = self.query_one(SearchPanel)
        panel.display = False
        panel.input.value = ""
        self.query_text = ""
        self._show_search(None, {})
        self._focus_slot(self.focused_slot())

    # Other actions -----------------------------------------------------------------------

    def action_help(self) -> None:
        from accord.index.workspace import config_path

        self.push_screen(HelpScreen(self.key_help(), str(config_path())))

    def action_open(self) -> None:
        def opened(text: str | None) -> None:
            if text:
                paths = [str(Path(p).expanduser()) for p in text.split()]
                self.paths = paths
                self.ids, self.slots, self.open_error = [], [None] * len(self.slots), ""
                self._reset_claims()
                for pane in self.panes:
                    pane.show_message("Loading…")
                self._open(paths)

        self.push_screen(OpenScreen(), opened)

    def copy_to_clipboard(self, text: str) -> None:
        super().copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Open", "Open files or folders of articles", self.action_open)
        yield SystemCommand("Search", "Search every article (Whoosh query language)", self.action_search)
        yield SystemCommand("Article list", "Show or hide the list of articles", self.action_toggle_list)
        yield SystemCommand("Next articles", "Show the next articles in the panes", self.action_next_page)
        yield SystemCommand("Previous articles", "Show the previous articles", self.action_previous_page)
        yield SystemCommand("Clear search", "Stop highlighting the current search", self.action_clear_search)
        yield SystemCommand("Tag", "Tag the selected passage", self.action_tag)
        yield SystemCommand("Note", "Write a note on the selected passage", self.action_note)
        yield SystemCommand("Annotations", "List, filter, edit and delete annotations", self.action_annotations)
        yield SystemCommand("Export briefing", "Preview and save the annotations as a Markdown briefing",
                            self.action_export)
        yield SystemCommand("Help", "List every key and its binding id", self.action_help)

    def key_help(self) -> list[KeyHelp]:
        """Every binding with its current keys (after the user's keymap)."""
        keymap = getattr(self, "_keymap", {})
        groups = [
            ("Reader", ArticleView.BINDINGS), ("App", AccordApp.BINDINGS),
            ("Article list", ArticleList.BINDINGS), ("Search bar", SearchPanel.BINDINGS),
            ("Claims panel", ClaimsPanel.BINDINGS), ("Claim grid", ClaimGridScreen.BINDINGS),
            ("What others say", OthersScreen.BINDINGS), ("Annotations panel", AnnotationsScreen.BINDINGS),
            ("Tag editor", TagScreen.BINDINGS), ("Note editor", NoteScreen.BINDINGS),
            ("Unanchored annotations", OrphansScreen.BINDINGS), ("Briefing preview", ExportScreen.BINDINGS),
            ("Confirm", ConfirmScreen.BINDINGS),
        ]
        rows = []
        for group, bindings in groups:
            for binding in bindings:
                assert isinstance(binding, Binding) and binding.id
                keys = keymap.get(binding.id, binding.key)
                rows.append(KeyHelp(group, binding.id, _display_keys(keys), binding.description))
        return rows

    def _set_status(self, message: str | None = None) -> None:
        """The status line, most urgent first (a narrow terminal cuts the end): article
        count, the active search, the claims summary, the latest sync message."""
        if message is not None:
            self._status_message = message
        parts = [f"{len(self.ids)} articles"]
        if self.search_result is not None:
            count = len(self.search_result.hits)
            position = f"{self.hit_index + 1}/{count}" if self.hit_index >= 0 else f"{count} hits"
            parts.append(f"search {self.search_result.query!r}: {position} (n/N, Esc clears)")
        if self.claims_status:
            parts.append(self.claims_status)
        if annotations := self.annotations_status():
            parts.append(annotations)
        if self._status_message:
            parts.append(self._status_message)
        self.query_one("#status-text", Static).update(Text(" · ".join(parts)))


_KEY_NAMES = {
    "slash": "/", "question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]",
    "pagedown": "PgDn", "pageup": "PgUp", "escape": "Esc", "space": "Space",
    "down": "↓", "up": "↑", "left": "←", "right": "→", "plus": "+", "minus": "-",
    "shift+down": "Shift+↓", "shift+up": "Shift+↑", "delete": "Del",
}


def _display_keys(keys: str) -> str:
    return ", ".join(_KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))
