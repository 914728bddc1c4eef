"""Modal screens for annotating: tag a passage, write its note, list and manage
annotations, list orphans. They only ask and show; the reader saves (annotation_flow)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from accord.index.annotations import Annotation, Orphan, Placed, parse_tags
from accord.index.errors import AccordError

from .in_order_input import InOrderInput
from .keys import RECENT_TAG_KEYS, key
from .layout import printable



def shorten(text: str, width: int) -> str:
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= width else flat[: width - 1] + "…"


DIALOG_CSS = "annotations.tcss"  # read when one of these dialogs first opens, not for the first frame


class TagSuggester(Suggester):
    """Completes the tag being typed (the last one after a comma or space) from the
    tags already in use, most recently used first."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        typed = re.split(r"[,\s]+", value)
        stem = typed[-1].lstrip("#").casefold()
        if not stem:
            return None
        taken = set(typed[:-1])
        for tag in self.known:
            if tag.startswith(stem) and tag != stem and tag not in taken:
                return value + tag[len(stem):]
        return None


class TagScreen(ModalScreen[tuple[str, ...] | None]):
    """Tags for a passage: several at once, separated by commas or spaces."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_tags")]

    def __init__(self, quote: str, current: tuple[str, ...], known: list[str]) -> None:
        super().__init__()
        self.quote, self.current, self.known = quote, current, known

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog", classes="annotation-dialog"):
            yield Static(Text(f"Tags for “{shorten(self.quote, 120)}”"), classes="dialog-heading")
            yield InOrderInput(", ".join(self.current) + (", " if self.current else ""), placeholder="policy, deterrence",
                        id="tag-input", select_on_focus=False,
                        suggester=TagSuggester(self.known))
            recent = "  ".join(f"{n} {tag}" for n, tag in enumerate(self.known[:RECENT_TAG_KEYS], 1))
            yield Static(Text(f"recent: {recent}" if recent else "no tags yet", no_wrap=True, overflow="ellipsis"),
                         classes="dialog-hint")
            yield Static(Text(f"Enter saves · → accepts the suggestion · {key(self.app, 'cancel_tags')} cancels"),
                         classes="dialog-hint")
            yield Static(id="tag-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_tags(event.value))
        except AccordError as error:
            self.query_one("#tag-error", Static).update(Text(str(error)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """A multi-line note for a passage (plain text: the briefing shows it as typed)."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="save_note"),
        Binding("escape", "cancel", "Cancel", id="cancel_note"),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self.quote, self.note = quote, note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="annotation-dialog"):
            yield Static(Text(f"Note on “{shorten(self.quote, 160)}”"), classes="dialog-heading")
            yield TextArea(self.note, id="note-editor", soft_wrap=True, tab_behavior="focus")
            yield Static(Text(f"Plain text, shown as typed · {key(self.app, 'save_note')} saves · {key(self.app, 'cancel_note')} cancels"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class Listed:
    """One row of the annotations panel."""

    placed: Placed
    source: str
    title: str
    position: int  # the article's place in the reader's order


class AnnotationsScreen(ModalScreen[Placed | None]):
    """Every annotation in view, filterable (`tag:x`, `outlet:x`, words) and sortable;
    Enter answers with the passage to jump to; edits go to `on_edit`."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("escape", "close", "Close annotations", id="close_annotations"),
        Binding("slash", "filter", "Filter annotations", id="filter_annotations"),
        Binding("o", "sort", "Sort by position / time", id="sort_annotations"),
        Binding("t", "edit('tags')", "Edit tags", id="edit_annotation_tags"),
        Binding("a", "edit('note')", "Edit note", id="edit_annotation_note"),
        Binding("x,delete", "edit('delete')", "Delete annotation", id="delete_annotation"),
        Binding("u", "edit('undo')", "Undo the last change", id="undo_annotation"),
        Binding("U", "orphans", "Unanchored annotations", id="show_orphans"),
    ]

    def __init__(self, rows: list[Listed], orphans: int, on_edit: Callable[[str, Placed | None], None]) -> None:
        super().__init__()
        self.on_edit = on_edit  # (what, the highlighted annotation): "tags", "note", "delete", "undo", "orphans"
        self.rows = rows
        self.orphan_count = orphans
        self.by_time = False

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations-dialog", classes="annotation-dialog"):
            yield Static(id="annotations-heading", classes="dialog-heading")
            yield InOrderInput(placeholder=f"filter: words, tag:policy, outlet:UNN ({key(self.app, 'filter_annotations')} "
                                           "to edit, Enter back to the list)",
                        id="annotations-filter")
            yield OptionList(id="annotation-list")
            app = self.app
            yield Static(Text(f"Enter jumps · {key(app, 'edit_annotation_tags')} tags · "
                              f"{key(app, 'edit_annotation_note')} note · {key(app, 'delete_annotation')} deletes · "
                              f"{key(app, 'undo_annotation')} undoes · {key(app, 'sort_annotations')} sorts · "
                              f"{key(app, 'show_orphans')} unanchored · {key(app, 'close_annotations')} closes"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_rows(self.rows, self.orphan_count)
        self.query_one(OptionList).focus()

    def show_rows(self, rows: list[Listed], orphans: int) -> None:
        """New data (after an edit, or another Accord's change), keeping the highlight."""
        self.rows, self.orphan_count = rows, orphans
        options = self.query_one(OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        shown = self._filtered()
        options.clear_options()
        options.add_options([Option(self._row_text(row), id=str(row.placed.id)) for row in shown])
        ids = [str(row.placed.id) for row in shown]
        if shown:
            options.highlighted = ids.index(keep) if keep in ids else 0
        order = "by time" if self.by_time else "by position"
        orphan_text = f" · {orphans} unanchored ({key(self.app, 'show_orphans')})" if orphans else ""
        self.query_one("#annotations-heading", Static).update(
            Text(f"Annotations: {len(shown)} of {len(rows)}, {order}{orphan_text}"))

    def _filtered(self) -> list[Listed]:
        words, tags, outlets = [], [], []
        for token in self.query_one("#annotations-filter", Input).value.split():
            field_name, _, value = token.partition(":")
            if value and field_name.casefold() == "tag":
                tags.append(value.lstrip("#").casefold())
            elif value and field_name.casefold() in ("outlet", "article"):
                outlets.append(value.casefold())
            else:
                words.append(token.casefold())
        kept = []
        for row in self.rows:
            annotation = row.placed.annotation
            haystack = f"{annotation.anchor.quote} {annotation.note} {' '.join(annotation.tags)} {row.source} {row.title}".casefold()
            if all(t in annotation.tags for t in tags) and all(
                o in row.source.casefold() or o in row.title.casefold() or annotation.article.startswith(o)
                for o in outlets
            ) and all(w in haystack for w in words):
                kept.append(row)
        if self.by_time:
            return sorted(kept, key=lambda r: (r.placed.annotation.updated, r.placed.id), reverse=True)
        return sorted(kept, key=lambda r: (r.position, r.placed.start, r.placed.id))

    @staticmethod
    def _row_text(row: Listed) -> Text:
        annotation = row.placed.annotation
        text = Text(no_wrap=False)
        text.append(printable(row.source), style="bold")
        if annotation.tags:
            text.append(" · " + " ".join(f"#{t}" for t in annotation.tags), style="italic")
        text.append(f" · {annotation.updated[:16].replace('T', ' ')}", style="dim")
        text.append("\n  “" + shorten(annotation.anchor.quote, 200) + "”")
        if annotation.note.strip():
            text.append("\n  ✎ " + shorten(annotation.note, 200), style="dim")
        return text

    def _highlighted(self) -> Placed | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None:
            return None
        return next((row.placed for row in self.rows if str(row.placed.id) == option.id), None)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_rows(self.rows, self.orphan_count)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._highlighted())

    def action_filter(self) -> None:
        self.query_one("#annotations-filter", Input).focus()

    def action_sort(self) -> None:
        self.by_time = not self.by_time
        self.show_rows(self.rows, self.orphan_count)

    def action_edit(self, what: str) -> None:
        placed = self._highlighted()
        if placed is None and what != "undo":
            self.app.bell()
            return
        self.on_edit(what, placed)

    def action_orphans(self) -> None:
        self.on_edit("orphans", None)

    def action_close(self) -> None:
        self.dismiss(None)


class OrphansScreen(ModalScreen[Annotation | None]):
    """Annotations whose passage is gone from their article's current text. Enter
    picks one to re-attach to a passage chosen in the reader."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape", "close", "Close", id="close_orphans")]

    def __init__(self, orphans: list[Orphan], sources: dict[str, str]) -> None:
        super().__init__()
        self.orphans, self.sources = orphans, sources

    def compose(self) -> ComposeResult:
        with Vertical(id="orphans-dialog", classes="annotation-dialog"):
            yield Static(Text(f"{len(self.orphans)} unanchored annotations: their passage is no longer in the "
                              "article's text. They stay in the store and in the briefing's "
                              "“Unanchored notes”."), classes="dialog-heading")
            options = []
            for orphan in self.orphans:
                annotation = orphan.annotation
                text = Text()
                text.append(printable(self.sources.get(annotation.article, annotation.article)), style="bold")
                text.append(f"  ({orphan.reason})", style="dim")
                if annotation.tags:
                    text.append("  " + " ".join(f"#{t}" for t in annotation.tags), style="italic")
                text.append("\n  “" + shorten(annotation.anchor.quote, 200) + "”")
                if annotation.note.strip():
                    text.append("\n  ✎ " + shorten(annotation.note, 200), style="dim")
                options.append(Option(text, id=str(annotation.id)))
            yield OptionList(*options, id="orphan-list")
            yield Static(Text(f"Enter re-attaches: select the passage in the reader, then press "
                              f"{key(self.app, 'reattach')} · {key(self.app, 'close_orphans')} closes"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.orphans[event.option_index].annotation)

    def action_close(self) -> None:
        self.dismiss(None)
