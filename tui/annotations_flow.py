"""The reader's annotations, as a mixin of the app: select a passage, tag it (or
apply a recent tag with 1-9), write its note, list, edit, delete, undo, re-attach
orphans, and preview and save the briefing.

Every change goes through the workspace store in a worker and is confirmed only
once committed; the panes then show what the store holds. Another Accord on the
same workspace is noticed (the store's data_version) and its changes shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message

from accord.index import briefing as briefings
from accord.index.anchoring import Anchor
from accord.index.atomic_write import write_atomically
from accord.index.annotations import Annotation, AnnotationMap, Orphan, Placed, locate
from accord.index.claim_query import has_filters
from accord.index.errors import AccordError
from accord.index.model import Article

from .annotation_screens import RECENT_TAG_KEYS, AnnotationsScreen, Listed, NoteScreen, OrphansScreen, TagScreen
from .article_view import Highlight, tag_tone
from .export_screen import ExportScreen

if TYPE_CHECKING:
    from .app import AccordApp
    from .article_pane import ArticlePane

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
class AnnotationUndo:
    """How to take back one annotation change: `before` None means it was added,
    `after` None that it was deleted."""

    before: Annotation | None
    after: Annotation | None


@dataclass(frozen=True, slots=True)
class Target:
    """The passage the analyst means, and the annotation already on exactly it."""

    pane: "ArticlePane"
    anchor: Anchor
    existing: Placed | None


class AnnotationsLoaded(Message):
    def __init__(self, placed: list[Placed], orphans: list[Orphan], tags: list[str], version: int,
                 sentences: dict[int, int], by_sentence: AnnotationMap) -> None:
        super().__init__()
        self.placed, self.orphans, self.tags, self.version = placed, orphans, tags, version
        self.sentences = sentences  # annotation id -> the sentence its passage starts in
        self.by_sentence = by_sentence


class AnnotationSaved(Message):
    def __init__(self, undo: AnnotationUndo | None, said: str) -> None:
        super().__init__()
        self.undo, self.said = undo, said


class AnnotationsMixin:
    """Mixed into AccordApp; see the module docstring."""

    placed: list[Placed]
    orphans: list[Orphan]
    known_tags: list[str]
    _passage_sentence: dict[int, int]
    annotation_map: AnnotationMap | None = None  # for search's tag: and note: filters
    _store_version = -1
    _reattach: Annotation | None = None

    def _init_annotations(self: "AccordApp") -> None:
        self.placed, self.orphans, self.known_tags = [], [], []
        self._passage_sentence = {}

    def _start_annotations(self: "AccordApp") -> None:
        self._load_annotations()
        self.set_interval(STORE_POLL_SECONDS, self._poll_store)

    # Loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="annotations")
    def _load_annotations(self: "AccordApp") -> None:
        library = self.library
        if library is None:
            return
        try:
            store = self._open_store()
            version = store.data_version()
            annotations = store.annotations()
            tags = store.tags()
        except AccordError as error:
            self.call_from_thread(self.notify, str(error), title="Annotations", severity="error", markup=False)
            return
        in_view = set(self.ids)
        loaded: dict[str, Article | None] = {}

        def article(article_id: str) -> Article | None:
            if article_id not in loaded:
                loaded[article_id] = library.find(article_id)
            return loaded[article_id]

        with self._library_lock:
            # Annotations on articles of another corpus in this workspace are not shown;
            # those whose article is gone from the workspace are orphans like any other.
            others = {a.article for a in annotations if a.article not in in_view}
            elsewhere = {summary.id for summary in library.summaries(others)} if others else set()
            mine = [a for a in annotations if a.article not in elsewhere]
            placed, orphans = locate(mine, article)
            sentences = {}
            for p in placed:
                found = article(p.annotation.article)
                at = found.sentence_at(p.start) if found else None
                sentences[p.id] = at.index if at else 0
            by_sentence = AnnotationMap(placed, article)
        self.post_message(AnnotationsLoaded(placed, orphans, tags, version, sentences, by_sentence))

    @work(thread=True, exclusive=True, group="store-poll")
    def _poll_store(self: "AccordApp") -> None:
        if self._store is None or self.library is None:
            return
        try:
            changed = self._store.data_version() != self._store_version
        except AccordError:
            return
        if changed:
            self.call_from_thread(self._load_annotations)

    def on_annotations_loaded(self: "AccordApp", message: AnnotationsLoaded) -> None:
        self.placed, self.orphans, self.known_tags = message.placed, message.orphans, message.tags
        self._passage_sentence = message.sentences
        self.annotation_map = message.by_sentence
        self._store_version = message.version
        for pane in self.panes:
            self._highlight_pane(pane)
        if isinstance(self.screen, AnnotationsScreen):
            self.screen.show_rows(self._listed(), len(self.orphans))
        self._set_status()
        if has_filters(self.query_text):
            self._start_search(self.query_text)  # tag: and note: answers changed

    def annotations_status(self) -> str:
        if not self.placed and not self.orphans:
            return ""
        unanchored = f" ({len(self.orphans)} unanchored)" if self.orphans else ""
        return f"{len(self.placed) + len(self.orphans)} annotations{unanchored}"

    def _highlight_pane(self: "AccordApp", pane: "ArticlePane") -> None:
        article = pane.view.article
        if article is None:
            return
        pane.view.set_highlights(tuple(
            Highlight(p.start, p.end, bool(p.annotation.note.strip()), tag_tone(p.annotation.tags))
            for p in self.placed if p.annotation.article == article.id
        ))

    # Annotating the selection ---------------------------------------------------------------

    def _target(self: "AccordApp") -> Target | None:
        pane = self._focused_pane()
        if pane is None or pane.view.article is None:
            return None
        span = pane.view.selected_span()
        if span is None:
            return None
        article = pane.view.article
        existing = next((p for p in self.placed if p.annotation.article == article.id and (p.start, p.end) == span), None)
        return Target(pane, Anchor.at(article.id, article.text, *span), existing)

    def action_tag(self: "AccordApp") -> None:
        target = self._target()
        if target is None:
            return
        current = target.existing.annotation.tags if target.existing else ()

        def tagged(tags: tuple[str, ...] | None) -> None:
            if tags is not None:
                self._save_on(target, tags=tags)

        self.push_screen(TagScreen(target.anchor.quote, current, self.known_tags), tagged)

    def action_recent_tag(self: "AccordApp", number: int) -> None:
        if number > len(self.known_tags):
            self.bell()
            self.notify(f"No recent tag {number} yet: t tags a passage", markup=False, timeout=3)
            return
        target = self._target()
        if target is not None:
            tag = self.known_tags[number - 1]
            current = target.existing.annotation.tags if target.existing else ()
            self._save_on(target, tags=current if tag in current else (*current, tag))

    def action_note(self: "AccordApp") -> None:
        target = self._target()
        if target is None:
            return

        def written(note: str | None) -> None:
            if note is not None:
                self._save_on(target, note=note)

        self.push_screen(NoteScreen(target.anchor.quote, target.existing.annotation.note if target.existing else ""),
                         written)

    def _save_on(self: "AccordApp", target: Target, *, tags: tuple[str, ...] | None = None, note: str | None = None) -> None:
        target.pane.view.clear_selection()
        if target.existing is None:
            self._change(add=(target.anchor, tags or (), note or ""))
        else:
            self._change(edit=(target.existing.annotation, tags, note, None))

    # Store changes (worker) ---------------------------------------------------------------

    @work(thread=True, group="annotation-changes")
    def _change(
        self: "AccordApp", *,
        add: tuple[Anchor, tuple[str, ...], str] | None = None,
        edit: tuple[Annotation, tuple[str, ...] | None, str | None, Anchor | None] | None = None,
        delete: Annotation | None = None,
        undo: AnnotationUndo | None = None,
    ) -> None:
        """One change, committed before it is confirmed."""
        try:
            store = self._open_store()
            if add is not None:
                after = store.add_annotation(*add)
                message = AnnotationSaved(AnnotationUndo(None, after), "Annotation saved")
            elif edit is not None:
                before, tags, note, anchor = edit
                after = store.update_annotation(before.id, tags=tags, note=note, anchor=anchor)
                message = AnnotationSaved(AnnotationUndo(before, after), "Re-attached and saved" if anchor else "Saved")
            elif delete is not None:
                message = AnnotationSaved(AnnotationUndo(store.delete_annotation(delete.id), None), "Annotation deleted")
            else:
                assert undo is not None
                if undo.before is None:
                    assert undo.after is not None
                    store.delete_annotation(undo.after.id)
                else:
                    store.restore_annotation(undo.before)
                message = AnnotationSaved(None, "Annotation change undone")
        except AccordError as error:
            self.call_from_thread(self.notify, str(error), title="Not saved", severity="error", markup=False, timeout=15)
            return
        self.post_message(message)

    def on_annotation_saved(self: "AccordApp", message: AnnotationSaved) -> None:
        if message.undo is not None:
            self._undo_stack.append(message.undo)
            self.notify(f"{message.said} (u undoes)", markup=False, timeout=3)
        else:
            self.notify(message.said, markup=False, timeout=3)
        self._load_annotations()

    def _undo_annotation(self: "AccordApp", step: AnnotationUndo) -> None:
        self._change(undo=step)

    # The annotations panel and orphans --------------------------------------------------------

    def _listed(self: "AccordApp") -> list[Listed]:
        position = {article_id: n for n, article_id in enumerate(self.ids)}
        rows = []
        for placed in self.placed:
            summary = self.summaries.get(placed.annotation.article)
            rows.append(Listed(placed, summary.source if summary else placed.annotation.article,
                               summary.title if summary else "", position.get(placed.annotation.article, len(position))))
        return rows

    def action_annotations(self: "AccordApp") -> None:
        def chosen(placed: Placed | None) -> None:
            if placed is not None:
                self._jump_to_passage(placed)

        self.push_screen(AnnotationsScreen(self._listed(), len(self.orphans)), chosen)

    def _jump_to_passage(self: "AccordApp", placed: Placed) -> None:
        self.show_article(placed.annotation.article, self._passage_sentence.get(placed.id, 0), center=True)

    def on_annotations_screen_edit(self: "AccordApp", message: AnnotationsScreen.Edit) -> None:
        placed = message.placed
        if message.what == "undo":
            self.action_undo()
        elif message.what == "orphans":
            self._show_orphans()
        elif placed is None:
            return
        elif message.what == "delete":
            self._change(delete=placed.annotation)
        elif message.what == "tags":
            def tagged(tags: tuple[str, ...] | None) -> None:
                if tags is not None:
                    self._change(edit=(placed.annotation, tags, None, None))

            self.push_screen(TagScreen(placed.annotation.anchor.quote, placed.annotation.tags, self.known_tags), tagged)
        elif message.what == "note":
            def written(note: str | None) -> None:
                if note is not None:
                    self._change(edit=(placed.annotation, None, note, None))

            self.push_screen(NoteScreen(placed.annotation.anchor.quote, placed.annotation.note), written)

    def _show_orphans(self: "AccordApp") -> None:
        if not self.orphans:
            self.notify("No unanchored annotations: every passage was found", markup=False, timeout=3)
            return
        sources = {i: s.source for i, s in self.summaries.items()}

        def chosen(annotation: Annotation | None) -> None:
            if annotation is not None:
                self._reattach = annotation
                if isinstance(self.screen, AnnotationsScreen):
                    self.screen.dismiss(None)
                self.notify("Select the passage in the reader (cursor, v range or mouse), then press r",
                            markup=False, timeout=10)

        self.push_screen(OrphansScreen(self.orphans, sources), chosen)

    def action_reattach(self: "AccordApp") -> None:
        orphan = self._reattach
        target = self._target()
        if orphan is None:
            self.notify("Nothing to re-attach: pick an unanchored annotation first (A, then U)", markup=False)
            return
        if target is None:
            return
        self._reattach = None
        target.pane.view.clear_selection()
        self._change(edit=(orphan, None, None, target.anchor))

    # The briefing ------------------------------------------------------------------------

    def action_export(self: "AccordApp") -> None:
        if self.library is None:
            self.notify("The articles are still opening…", markup=False)
            return
        self._build_briefing(list(self.ids), list(self.placed), list(self.orphans))

    @work(thread=True, exclusive=True, group="briefing")
    def _build_briefing(self: "AccordApp", ids: list[str], placed: list[Placed], orphans: list[Orphan]) -> None:
        library = self.library
        assert library is not None
        with self._library_lock:
            found = ((article_id, library.find(article_id)) for article_id in ids)
            articles = {article_id: article for article_id, article in found if article is not None}
        result = briefings.build_briefing(placed, orphans, articles, self.claim_report)
        default = str(Path.cwd() / f"briefing-{dt.date.today().isoformat()}.md")
        self.call_from_thread(self.push_screen, ExportScreen(result, default))

    def on_export_screen_save_requested(self: "AccordApp", message: ExportScreen.SaveRequested) -> None:
        self._save_briefing(message.briefing, message.path, message.overwrite)

    @work(thread=True, group="briefing-save")
    def _save_briefing(self: "AccordApp", result: briefings.Briefing, path: str, overwrite: bool) -> None:
        """Markdown, or the HTML page when the name ends in .html; never over a file unasked."""
        target = Path(path).expanduser()
        format = "html" if target.suffix.lower() in (".html", ".htm") else "md"
        try:
            write_atomically(target, briefings.document(result, format), overwrite=overwrite)
        except FileExistsError:
            self.call_from_thread(self._ask_overwrite, path)
            return
        except AccordError as error:
            self.call_from_thread(self.notify, str(error), title="Not saved", severity="error", markup=False, timeout=15)
            return
        self.call_from_thread(self.notify, f"Briefing saved to {target}", markup=False, timeout=6)

    def _ask_overwrite(self: "AccordApp", path: str) -> None:
        if isinstance(self.screen, ExportScreen):
            self.screen.ask_overwrite(path)
