"""The reader's main screen: the panes side by side, the article list, the claims
and search panels, the legend and the status line.

The screen opens paths (a sync worker through the desk), keeps the list of
articles in view, and wires the widgets' messages together; searching lives in
the search panel, claims and annotations in their flows, panes in the deck.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen

from accord.index.model import ArticleSummary
from accord.index.config import default_export_dir
from accord.index.desk import DecisionChange, Desk, KnownArticles
from accord.index.errors import AccordError

from . import runtime_tuning, side_panels
from .annotation_flow import ANNOTATION_BINDINGS, AnnotationFlow
from .article_list import ArticleList
from .claim_flow import CLAIM_BINDINGS, ClaimFlow
from .claims_panel import ClaimsPanel
from .early_read import EarlyRead
from .footer import FittedFooter
from .keys import key, keys
from .legend import Legend
from .pane_deck import PaneDeck
from .search_panel import SearchPanel
from .side_panels import SIDE_PANELS
from .status_line import Part, StatusLine
from .sync_messages import ArticlesCommitted, SyncFinished, SyncMessage, SyncProgress, sync_paths

if TYPE_CHECKING:
    from textual.widgets import ProgressBar

LEGEND_KEYS_FROM = 120
KNOWN_WAIT = 0.5  # seconds compose waits for the early read of the known articles


class MainScreen(Screen):
    AUTO_FOCUS = ""  # the deck focuses its first pane once it has one

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
        Binding("u", "undo", "Undo the last decision or annotation change", id="undo", show=False),
        *CLAIM_BINDINGS,
        *ANNOTATION_BINDINGS,
    ]

    def __init__(self, desk: Desk, paths: list[str], known: EarlyRead[KnownArticles] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.paths = paths
        self._early_known = known
        self._known: KnownArticles | None = None  # what the first frame shows, if read in time
        self.summaries: dict[str, ArticleSummary] = {}
        self.deck = PaneDeck(desk, id="panes")
        self.claims = ClaimFlow(self, desk, self.outlets)
        self.annotations = AnnotationFlow(self, desk, self.summaries)
        # Set once the first article is on screen: the sync waits for it (briefly), so
        # importing and opening Whoosh does not compete with the first paint.
        self.first_article_shown = threading.Event()
        self._opening = 0  # counts opens; see SyncMessage
        self._annotations_started = False

    def compose(self) -> ComposeResult:
        if self._early_known is not None:
            self._known = self._early_known.result(KNOWN_WAIT)
            if self._known is not None:
                self.summaries.update((s.id, s) for s in self._known.summaries)
                self.deck.preload(self._known.ids, self._known.articles, self.app.size.width)
        with Horizontal(id="main"):
            yield ArticleList(id="article-list")
            yield self.deck
            yield ClaimsPanel(id="claims")
        yield SearchPanel(self.desk, self.deck.shown_ids, id="search")
        yield Legend(self._legend_keys(), id="legend")
        with Horizontal(id="status"):
            yield StatusLine(id="status-text")
        yield FittedFooter()

    def _legend_keys(self) -> str:
        """The claim keys, as the user's keymap has them."""
        app = self.app
        return (f"  {key(app, 'toggle_claims')} claims · {key(app, 'claim_grid')} grid · "
                f"{key(app, 'others_say')} others say · {keys(app, 'next_shared', 'next_single', 'next_conflict')} jump")

    def on_mount(self) -> None:
        self.call_after_refresh(runtime_tuning.resume_collector)  # once the first frame is painted
        self.status.message = "opening…"
        self._opening += 1
        self._sync(self.paths, self._opening, self._known)

    def on_resize(self) -> None:
        self.fit_side_panels()
        # The legend's key hints only where they fit beside the four marks.
        self.query_one(Legend).keys_shown = self.size.width >= LEGEND_KEYS_FROM

    def fit_side_panels(self, opened: str | None = None) -> None:
        """Size the open side panels so the panes keep their minimum width (side_panels.fit);
        where only one can stay it is the one just `opened`, else the one with the focus,
        else the claims panel."""
        panels = {panel_id: self.query_one(f"#{panel_id}") for panel_id in SIDE_PANELS}
        shown = [panel_id for panel_id, panel in panels.items() if panel.display]
        keep = opened or next((p for p in shown if panels[p].has_focus_within), "claims")
        layout = side_panels.fit(self.size.width, shown, keep)
        for panel_id, panel in panels.items():
            if panel_id not in layout.widths:
                panel.display = False  # the focus is in the one kept, or goes to it
                continue
            panel.styles.width = layout.widths[panel_id]
            panel.set_class(panel_id in layout.floating, "-floating")
        if self.deck.size.width:  # the panes the deck will have room for, before it is laid out again
            self.deck.layout_panes(layout.deck_width)
            self._refresh_list()  # it marks the articles on screen: a pane may have gone

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def ids(self) -> list[str]:
        return self.deck.ids

    def outlets(self) -> list[str]:
        """Every outlet in view, in reading order (the grid's columns)."""
        return list(dict.fromkeys(self.summaries[i].source for i in self.deck.ids if i in self.summaries))

    # Opening and syncing (a worker) ---------------------------------------------------------

    def open(self, paths: list[str]) -> None:
        self._opening += 1
        self._sync(paths, self._opening)

    @work(thread=True, group="sync")
    def _sync(self, paths: list[str], opening: int, early: KnownArticles | None = None) -> None:
        def send(message: SyncMessage) -> None:
            message.opening = opening
            self.post_message(message)

        sync_paths(self.desk, paths, send, lambda: opening != self._opening, self.first_article_shown, early)

    def on_articles_committed(self, message: ArticlesCommitted) -> None:
        if message.opening != self._opening:
            return
        self.summaries.update((s.id, s) for s in message.summaries)
        self.deck.add_articles(message.ids)
        if message.reindexed:
            self.deck.reload(message.ids)
            self.search_panel.articles_changed()
        self.status.articles = len(self.deck.ids)
        self._refresh_list()
        if not self._annotations_started:
            self._annotations_started = True
            self.annotations.start()

    def on_sync_progress(self, message: SyncProgress) -> None:
        if message.opening != self._opening:
            return
        reading = message.done < message.total
        if reading or self.query("#progress"):
            bar = self._progress_bar()
            bar.display = reading
            bar.update(total=message.total, progress=message.done)
        # The files read lead the status line, counting up; the articles follow as batches commit.
        self.status.indexing = (message.done, message.total) if reading else None
        if self.status.message == "opening…":
            self.status.message = ""

    def _progress_bar(self) -> ProgressBar:
        """The sync's progress bar, mounted the first time a sync has files to read (most
        opens of a known folder have none, and the first frame is spared three widgets)."""
        from textual.widgets import ProgressBar

        if bars := self.query("#progress"):
            return bars.first(ProgressBar)
        bar = ProgressBar(id="progress", show_eta=False)
        self.query_one("#status").mount(bar)
        return bar

    def on_sync_finished(self, message: SyncFinished) -> None:
        if message.opening != self._opening:
            return
        for bar in self.query("#progress"):
            bar.display = False
        self.status.indexing = None
        if message.error:
            self.notify(message.error, title="Cannot open", severity="error", markup=False, timeout=15)
            self.deck.empty_message = message.error
            if not self.deck.ids:
                self.deck.reset(message.error)
            self.status.message = ""
            return
        report = message.report
        assert report is not None
        if report.removed:
            self.search_panel.articles_changed()
        for warning in report.warnings[:5]:
            self.notify(str(warning), title="Skipped", severity="warning", markup=False)
        if len(report.warnings) > 5:
            self.notify(f"{len(report.warnings) - 5} more files skipped; `accord index` lists them all",
                        severity="warning", markup=False)
        self.deck.empty_message = "No more articles"
        summary = report.summary()
        self.status.message = Part(summary, ", ".join(p for p in summary.split(", ") if not p.startswith("0 ")))
        runtime_tuning.settle_heap()  # the articles' summaries are in
        self.claims.find()
        self.annotations.load()  # the articles' text may have changed: place the passages again

    def on_pane_deck_article_shown(self, message: PaneDeck.ArticleShown) -> None:
        self._refresh_list()
        if not self.first_article_shown.is_set():
            self.call_after_refresh(self.first_article_shown.set)

    def action_open(self) -> None:
        def opened(paths: list[str] | None) -> None:
            if paths:
                self.paths = paths
                self.summaries.clear()
                self.deck.reset("Loading…")
                self.claims.reset()
                self.status.articles = 0
                self.open(self.paths)

        from .open_screen import OpenScreen  # imported when first opened

        self.app.push_screen(OpenScreen(), opened)

    # Panes ------------------------------------------------------------------------------

    def action_pane_left(self) -> None:
        self.deck.focus_slot(self.deck.focused_slot() - 1)

    def action_pane_right(self) -> None:
        self.deck.focus_slot(self.deck.focused_slot() + 1)

    def action_next_page(self) -> None:
        self.deck.page(+1)

    def action_previous_page(self) -> None:
        self.deck.page(-1)

    # The article list ---------------------------------------------------------------------

    def action_toggle_list(self) -> None:
        article_list = self.query_one(ArticleList)
        article_list.display = not article_list.display
        self.fit_side_panels(opened="article-list" if article_list.display else None)
        if article_list.display:
            self._refresh_list()
            article_list.focus()
        else:
            self.deck.focus_slot(self.deck.focused_slot())

    def _refresh_list(self) -> None:
        article_list = self.query_one(ArticleList)
        if article_list.display:
            summaries = [self.summaries[i] for i in self.deck.ids if i in self.summaries]
            article_list.set_articles(summaries, set(self.deck.shown_ids()))

    def on_article_list_chosen(self, message: ArticleList.Chosen) -> None:
        self.deck.show_article(message.article_id)

    # Search ----------------------------------------------------------------------------

    @property
    def search_panel(self) -> SearchPanel:
        return self.query_one(SearchPanel)

    def action_search(self) -> None:
        panel = self.search_panel
        panel.display = True
        self.set_focus(panel.input)

    def on_key(self, event: events.Key) -> None:
        """Open the search bar here, not through the binding: a key reaches the bindings
        only after the keys typed after it have passed this screen, so `/Michishita` typed
        in one burst would send `Michishita` to the reader's keys. Keys that were already
        on their way to a pane when the bar opened are typed into it."""
        field = self.search_panel.input
        if self.focused is field:
            if event.control is not field and self.search_panel.type_key(event):
                event.stop()
                event.prevent_default()
            return
        active = self.active_bindings.get(event.key)
        if active is not None and active.binding.id == "search" and active.node is self:
            event.stop()
            event.prevent_default()
            self.action_search()

    def on_search_panel_shown(self, message: SearchPanel.Shown) -> None:
        self.deck.query_text = message.result.query if message.result else ""
        self.deck.set_hits(message.spans)
        self.status.search = self.search_panel.describe()
        self.refresh_bindings()  # n and N: in the footer only while there are hits

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit"):
            # no search, no hit to step to: off the footer (at 200 columns "n Next hit" stood there idle)
            panel = next(iter(self.query(SearchPanel)), None)  # None before the screen is composed
            return bool(panel and panel.result and panel.result.hits)
        return True

    def on_search_panel_jump(self, message: SearchPanel.Jump) -> None:
        self.deck.show_article(message.hit.article, message.hit.sentence or 0, center=True)
        self.status.search = self.search_panel.describe()

    def on_search_panel_closed(self) -> None:
        self.action_clear_search()

    def action_next_hit(self) -> None:
        self.search_panel.step(+1)

    def action_previous_hit(self) -> None:
        self.search_panel.step(-1)

    def action_clear_search(self) -> None:
        self.search_panel.reset()
        self.deck.focus_slot(self.deck.focused_slot())

    # Claims -------------------------------------------------------------------------------

    def action_toggle_claims(self) -> None:
        panel = self.query_one(ClaimsPanel)
        panel.display = not panel.display
        self.fit_side_panels(opened="claims" if panel.display else None)
        self.claims.panel_shown(panel.display)

    def on_claims_panel_closed(self) -> None:
        self.action_toggle_claims()

    def on_claims_panel_chosen(self, message: ClaimsPanel.Chosen) -> None:
        self.claims.align_on(message.members)

    def action_claim_grid(self) -> None:
        self.claims.grid()

    def action_others_say(self) -> None:
        self.claims.others_say()

    def action_jump(self, target: str, direction: int) -> None:
        self.claims.jump(target, direction)

    def action_decide(self, verdict: str) -> None:
        self.claims.decide(verdict)  # type: ignore[arg-type]  # the bindings pass only real verdicts

    def action_link(self) -> None:
        self.claims.link()

    def action_threshold(self, direction: int) -> None:
        self.claims.threshold(direction)

    # Annotations ------------------------------------------------------------------------------

    def action_tag(self) -> None:
        self.annotations.tag()

    def action_recent_tag(self, number: int) -> None:
        self.annotations.recent_tag(number)

    def action_note(self) -> None:
        self.annotations.note()

    def action_annotations(self) -> None:
        self.annotations.show_panel(self.action_undo)

    def action_reattach(self) -> None:
        self.annotations.reattach()

    def action_export(self) -> None:
        self.annotations.export(self.desk.config.export_dir or default_export_dir())

    # Undo, shared by claim decisions and annotation changes ----------------------------------

    def action_undo(self) -> None:
        if not self.desk.can_undo:
            self.app.bell()
            self.notify("Nothing to undo", markup=False, timeout=3)
            return
        self._undo()

    @work(thread=True, group="undo")
    def _undo(self) -> None:
        try:
            change = self.desk.undo()
        except IndexError:
            return  # another u took the last change
        except AccordError as error:
            self.app.call_from_thread(self.notify, str(error), title="Not undone", severity="error", markup=False)
            return
        self.app.call_from_thread(self._undone, isinstance(change, DecisionChange))

    def _undone(self, decision: bool) -> None:
        if decision:
            self.notify("Decision undone", markup=False, timeout=3)
            self.claims.find()
        else:
            self.notify("Annotation change undone", markup=False, timeout=3)
            self.annotations.load()

    def refresh_themed(self) -> None:
        """The theme changed: re-colour what paints its own styles (the hit list)."""
        panel = self.search_panel
        if panel.result is not None:
            panel.show_result(panel.result)

    def reader_actions(self) -> Iterable[tuple[str, str, object]]:
        """(name, help, callback) for the command palette."""
        yield "Open", "Open files or folders of articles", self.action_open
        yield "Search", "Search every article (Whoosh query language)", self.action_search
        yield "Article list", "Show or hide the list of articles", self.action_toggle_list
        yield "Next articles", "Show the next articles in the panes", self.action_next_page
        yield "Previous articles", "Show the previous articles", self.action_previous_page
        yield "Clear search", "Stop highlighting the current search", self.action_clear_search
        yield "Claims", "Show or hide the claims panel", self.action_toggle_claims
        yield "Claim grid", "Which outlet states which claim", self.action_claim_grid
        yield "Tag", "Tag the selected passage", self.action_tag
        yield "Note", "Write a note on the selected passage", self.action_note
        yield "Annotations", "List, filter, edit and delete annotations", self.action_annotations
        yield "Export briefing", "Preview and save the annotations as a Markdown briefing", self.action_export
