"""The search bar: a query input, an inline error line, and the list of hits."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from accord.index.claim_query import has_filters
from accord.index.model import SearchHit, SearchResult

from .layout import printable

PLACEHOLDER = 'words, "a phrase", outlet:UNN, mis*, hayashi~, date:2023-12, sources:>=3, single:yes, conflict:yes, tag:policy, note:word'


class SearchPanel(Vertical):
    COMPONENT_CLASSES = {"search-panel--hit", "search-panel--source"}

    BINDINGS = [
        Binding("escape", "close", "Close search", id="close_search"),
    ]

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class HitChosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: SearchResult | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input")
        yield Static(id="search-status")
        yield OptionList(id="search-results")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        current = self.result is not None and self.result.query == event.value
        highlighted = self.results.highlighted if current else None
        self.post_message(self.HitChosen(highlighted if highlighted is not None else 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.HitChosen(event.option_index))

    def on_key(self, event) -> None:
        # Down from the input walks into the hits; the input keeps typing focus otherwise.
        if event.key == "down" and self.input.has_focus and self.results.option_count:
            event.stop()
            self.results.focus()
            if self.results.highlighted is None:
                self.results.highlighted = 0

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def set_status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.set_class(error, "-error")
        status.update(Text(printable(message)))

    def show_result(self, result: SearchResult) -> None:
        self.result = result
        results = self.results
        results.clear_options()
        results.add_options(Option(self._render_hit(hit)) for hit in result.hits)
        if result.hits:
            results.highlighted = 0
        shown = len(result.hits)
        unit = "sentences" if has_filters(result.query) else "articles"  # claim filters pick sentences
        if not result.total:
            self.set_status(f"no {unit} match {result.query}")
        else:
            self.set_status(f"{result.total} {unit} match; best {shown}. Enter jumps, ↓ picks, Esc closes")

    def show_error(self, message: str) -> None:
        self.result = None
        self.results.clear_options()
        self.set_status(message, error=True)

    def clear(self) -> None:
        self.result = None
        self.results.clear_options()
        self.set_status("")

    def _render_hit(self, hit: SearchHit) -> Text:
        source_style = self.get_component_rich_style("search-panel--source")
        hit_style = self.get_component_rich_style("search-panel--hit")
        date = hit.date.isoformat() if hit.date else "undated"
        line = Text.assemble((printable(hit.source), source_style), f" · {printable(hit.title)} · {date}")
        line.truncate(200)
        snippet = Text(printable(" ".join(hit.snippet.split())))
        # Collapsing whitespace shifts offsets: map the highlights through the original.
        for start, end in _collapsed_spans(hit.snippet, hit.highlights):
            snippet.stylize(hit_style, start, end)
        return Text.assemble(line, "\n  ", snippet)


def _collapsed_spans(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Spans of `text` re-expressed in `" ".join(text.split())`."""
    mapping: list[int] = []  # original offset -> collapsed offset
    collapsed = 0
    previous_space = True
    for char in text:
        mapping.append(collapsed)
        if char.isspace():
            if not previous_space:
                collapsed += 1
            previous_space = True
        else:
            collapsed += 1
            previous_space = False
    mapping.append(collapsed)
    return [(mapping[start], mapping[end]) for start, end in spans if 0 <= start < end <= len(text)]
