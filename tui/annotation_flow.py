"""The reader's annotations: select a passage, tag it (or apply a recent tag with
1-9), write its note, list, edit and delete them, re-attach orphans, and preview
the briefing.

Every change goes through the desk in a worker and is confirmed only once the
store committed it; the panes then show what the store holds. Another Accord on
the same workspace is noticed (the store's data_version) and its changes shown.
Like ClaimFlow, it finds the screen's widgets by type and never imports the screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

from accord.index.desk import AnnotationChange, Desk, Placement
from accord.index.errors import AccordError
from accord.index.model import ArticleSummary
from accord.index.short_text import counted

from .article_pane import ArticlePane
from .keys import RECENT_TAG_KEYS, key
from .pane_deck import PaneDeck
from .search_panel import SearchPanel
from .status_line import StatusLine

# The dialogs and the annotation records are imported where used: the reader's first
# frame opens none of them.
if TYPE_CHECKING:
    from accord.index.anchoring import Anchor
    from accord.index.annotations import Annotation, Placed

    from .annotation_screens import Listed

STORE_POLL_SECONDS = 2.0  # how often another Accord's changes are looked for

ANNOTATION_BINDINGS = [
    Binding("t", "tag", "Tag", id="tag_passage"),
    Binding("a", "note", "Note", id="note_passage"),
    Binding("A", "annotations", "Annotations", id="annotations"),
    Binding("e", "export", "Export", id="export"),
    Binding("r", "reattach", "Re-attach an orphan here", id="reattach", show=False),
    *[Binding(str(n), f"recent_tag({n})", f"Apply recent tag {n}", id=f"recent_tag_{n}", show=False)
      for n in range(1, RECENT_TAG_KEYS + 1)],
]


@dataclass(frozen=True, slots=True)
class Target:
    """The passage the analyst means, and the annotation the panes show on exactly it
    (what the dialogs start from; whether it is edited or a new one added is the desk's
    rule, `Desk.annotate`)."""

    pane: ArticlePane
    anchor: Anchor
    existing: Placed | None


class AnnotationFlow:
    def __init__(self, screen: Screen, desk: Desk, summaries: Mapping[str, ArticleSummary]) -> None:
        self.screen = screen
        self.desk = desk
        self.summaries = summaries  # the articles in view, for the panel's rows
        self._reattach: Annotation | None = None
        self.shown = Placement()  # what the panes show (the desk may hold a newer one)

    @property
    def deck(self) -> PaneDeck:
        return self.screen.query_one(PaneDeck)

    def _notify(self, message: str, **options) -> None:
        self.screen.app.notify(message, markup=False, **options)

    def _in_worker(self, work: Callable[[], None], group: str, exclusive: bool = False) -> None:
        self.screen.run_worker(work, thread=True, group=group, exclusive=exclusive)

    # Loading -------------------------------------------------------------------------------

    def start(self) -> None:
        self.load()
        self.screen.set_interval(STORE_POLL_SECONDS, self._poll)

    def load(self) -> None:
        """Place the workspace's annotations in the articles' current text, in a worker."""
        ids = list(self.deck.ids)

        def load() -> None:
            try:
                self.desk.place_annotations(ids)
            except AccordError as error:
                self.screen.app.call_from_thread(self._notify, str(error), title="Annotations", severity="error")
                return
            self.screen.app.call_from_thread(self._loaded)

        self._in_worker(load, "annotations", exclusive=True)

    def _poll(self) -> None:
        def poll() -> None:
            try:
                changed = self.desk.store_changed()
            except AccordError:
                return
            if changed:
                self.screen.app.call_from_thread(self.load)

        self._in_worker(poll, "store-poll", exclusive=True)

    def _loaded(self) -> None:
        from .annotation_screens import AnnotationsScreen

        if not self.screen.is_attached:
            return
        self.shown = self.desk.placement
        self.deck.highlight_all()
        top = self.screen.app.screen
        if isinstance(top, AnnotationsScreen):
            top.show_rows(self._listed(), len(self.desk.placement.orphans))
        self.screen.query_one(StatusLine).annotations = self.describe()
        self.screen.query_one(SearchPanel).refresh_answer()  # tag: and note: answers changed

    def describe(self) -> str:
        placement = self.desk.placement
        if not placement.count:
            return ""
        unanchored = f" ({len(placement.orphans)} unanchored)" if placement.orphans else ""
        return counted(placement.count, "annotation") + unanchored

    # Annotating the selection ---------------------------------------------------------------

    def _target(self) -> Target | None:
        from accord.index.anchoring import Anchor

        pane = self.deck.focused_pane()
        if pane is None or pane.view.article is None:
            return None
        span = pane.view.selected_span()
        if span is None:
            return None
        article = pane.view.article
        existing = next((p for p in self.desk.placement.placed
                         if p.annotation.article == article.id and (p.start, p.end) == span), None)
        return Target(pane, Anchor.at(article.id, article.text, *span), existing)

    def tag(self) -> None:
        from .annotation_screens import TagScreen

        target = self._target()
        if target is None:
            return
        current = target.existing.annotation.tags if target.existing else ()

        def tagged(tags: tuple[str, ...] | None) -> None:
            if tags is not None:
                self._save_on(target, tags=tags)

        self.screen.app.push_screen(TagScreen(target.anchor.quote, current, self.desk.placement.tags), tagged)

    def recent_tag(self, number: int) -> None:
        known = self.desk.placement.tags
        if number > len(known):
            self.screen.app.bell()
            self._notify(f"No recent tag {number} yet: {key(self.screen.app, 'tag_passage')} tags a passage", timeout=3)
            return
        target = self._target()
        if target is not None:
            self._save_on(target, tags=(known[number - 1],), merge=True)

    def note(self) -> None:
        from .annotation_screens import NoteScreen

        target = self._target()
        if target is None:
            return

        def written(note: str | None) -> None:
            if note is not None:
                self._save_on(target, note=note)

        existing = target.existing.annotation.note if target.existing else ""
        self.screen.app.push_screen(NoteScreen(target.anchor.quote, existing), written)

    def _save_on(self, target: Target, *, tags: tuple[str, ...] | None = None, note: str | None = None,
                 merge: bool = False) -> None:
        # The selection stays: tagging a range and then writing its note is one passage, one
        # annotation (Esc clears the selection); the desk edits the annotation already on it.
        def said(change: object) -> str | None:
            assert isinstance(change, AnnotationChange)
            if change.before is None:
                return "Annotation saved"
            return "Saved" if change.before != change.after else None

        self._change(partial(self.desk.annotate, target.anchor, tags, note, merge=merge), said)

    def _change(self, change: Callable[[], object], said: str | Callable[[object], str | None]) -> None:
        """One change through the desk, confirmed once committed (`said` None: nothing changed)."""
        def run() -> None:
            try:
                done = change()
            except AccordError as error:
                self.screen.app.call_from_thread(self._notify, str(error), title="Not saved", severity="error",
                                                 timeout=15)
                return
            self.screen.app.call_from_thread(self._changed, said if isinstance(said, str) else said(done))

        self._in_worker(run, "annotation-changes")

    def _changed(self, said: str | None) -> None:
        if said is None:
            self._notify("Already saved: nothing changed", timeout=3)
        else:
            self._notify(f"{said} ({key(self.screen.app, 'undo')} undoes)", timeout=3)
        self.load()

    # The annotations panel and orphans --------------------------------------------------------

    def _listed(self) -> list[Listed]:
        from .annotation_screens import Listed

        position = {article_id: n for n, article_id in enumerate(self.deck.ids)}
        rows = []
        for placed in self.desk.placement.placed:
            summary = self.summaries.get(placed.annotation.article)
            rows.append(Listed(placed, summary.source if summary else placed.annotation.article,
                               summary.title if summary else "", position.get(placed.annotation.article, len(position))))
        return rows

    def show_panel(self, undo: Callable[[], None]) -> None:
        from .annotation_screens import AnnotationsScreen

        def chosen(placed: Placed | None) -> None:
            if placed is not None:
                sentence = self.desk.placement.sentence_of.get(placed.id, 0)
                self.deck.show_article(placed.annotation.article, sentence, center=True)

        def edit(what: str, placed: Placed | None) -> None:
            if what == "undo":
                undo()
            elif what == "orphans":
                self._show_orphans()
            elif placed is not None:
                self._edit(what, placed.annotation)

        panel = AnnotationsScreen(self._listed(), len(self.desk.placement.orphans), edit)
        self.screen.app.push_screen(panel, chosen)

    def _edit(self, what: str, annotation: Annotation) -> None:
        from .annotation_screens import NoteScreen, TagScreen

        if what == "delete":
            self._change(partial(self.desk.delete, annotation.id), "Annotation deleted")
        elif what == "tags":
            def tagged(tags: tuple[str, ...] | None) -> None:
                if tags is not None:
                    self._change(partial(self.desk.edit, annotation, tags=tags), "Saved")

            known = self.desk.placement.tags
            self.screen.app.push_screen(TagScreen(annotation.anchor.quote, annotation.tags, known), tagged)
        elif what == "note":
            def written(note: str | None) -> None:
                if note is not None:
                    self._change(partial(self.desk.edit, annotation, note=note), "Saved")

            self.screen.app.push_screen(NoteScreen(annotation.anchor.quote, annotation.note), written)

    def _show_orphans(self) -> None:
        from .annotation_screens import AnnotationsScreen, OrphansScreen

        orphans = self.desk.placement.orphans
        if not orphans:
            self._notify("No unanchored annotations: every passage was found", timeout=3)
            return
        sources = {i: s.source for i, s in self.summaries.items()}

        def chosen(annotation: Annotation | None) -> None:
            if annotation is not None:
                self._reattach = annotation
                top = self.screen.app.screen
                if isinstance(top, AnnotationsScreen):
                    top.dismiss(None)
                self._notify(f"Select the passage in the reader (cursor, {key(self.screen.app, 'select_range')} "
                             f"range or mouse), then press {key(self.screen.app, 'reattach')}", timeout=10)

        self.screen.app.push_screen(OrphansScreen(orphans, sources), chosen)

    def reattach(self) -> None:
        orphan = self._reattach
        if orphan is None:
            app = self.screen.app
            self._notify(f"Nothing to re-attach: pick an unanchored annotation first "
                         f"({key(app, 'annotations')}, then {key(app, 'show_orphans')})")
            return
        target = self._target()
        if target is None:
            return
        self._reattach = None
        target.pane.view.clear_selection()
        self._change(partial(self.desk.edit, orphan, anchor=target.anchor), "Re-attached and saved")

    # The briefing ------------------------------------------------------------------------

    def export(self, export_dir: Path) -> None:
        from .export_screen import ExportScreen

        ids = list(self.deck.ids)
        if not ids:
            self._notify("The articles are still opening…")
            return

        def build() -> None:
            try:
                briefing = self.desk.briefing(ids)
            except AccordError as error:
                self.screen.app.call_from_thread(self._notify, str(error), title="Briefing", severity="error")
                return
            default = str(export_dir / f"briefing-{dt.date.today().isoformat()}.md")
            self.screen.app.call_from_thread(self.screen.app.push_screen, ExportScreen(briefing, default))

        self._in_worker(build, "briefing", exclusive=True)
