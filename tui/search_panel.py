"""The search bar: a query input, an inline error line, and the list of hits.

It runs the search itself, on every keystroke: a worker asks the desk, and a newer
keystroke makes the older search stale (skipped if it has not started, its answer
never shown). The first page is painted before the matches are counted.
The screen hears `Shown` (highlight the words in the panes) and `Jump` (go to a hit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from accord.index.desk import Desk
from accord.index.errors import QueryError
from accord.index.model import SearchHit, SearchResult

from .in_order_input import InOrderInput
from .keys import key, keys
from .late_children import LateChildren
from .layout import printable
from .status_line import Part, quoted

Spans = tuple[tuple[int, int], ...]
SEARCH_LIMIT = 50
FIRST_OPTIONS = 12  # hits painted at once; the rest follow on the next frame
PLACEHOLDER = 'words, "a phrase", outlet:UNN, mis*, hayashi~, date:2023-12, sources:>=3, single:yes, conflict:yes, tag:policy, note:word'


class SearchInput(InOrderInput):
    """The query field (its own class, so tests and styles can find it)."""


class SearchPanel(LateChildren, Vertical):
    COMPONENT_CLASSES = {"search-panel--hit", "search-panel--source"}

    BINDINGS = [
        Binding("escape", "close", "Close search", id="close_search"),
    ]

    class Shown(Message):
        """A new answer (or none: the search was cleared) is on show."""

        def __init__(self, result: SearchResult | None, spans: dict[str, Spans]) -> None:
            super().__init__()
            self.result = result
            self.spans = spans  # the matched words in the articles on screen

    class Jump(Message):
        def __init__(self, hit: SearchHit) -> None:
            super().__init__()
            self.hit = hit

    class Closed(Message):
        pass

    def __init__(self, desk: Desk, shown_ids: Callable[[], list[str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.shown_ids = shown_ids  # the articles on screen, whose matched words are highlighted
        self.result: SearchResult | None = None
        self.query_text = ""  # the query the answer on show (or on its way) is for
        self.hit_index = -1
        self._pending_jump: int | None = None  # Enter pressed before its search finished

    def late_children(self) -> Iterable[Widget]:
        yield SearchInput(placeholder=PLACEHOLDER, id="search-input")
        yield Static(id="search-status")
        yield OptionList(id="search-results")

    @property
    def input(self) -> Input:
        self.mount_late_children()
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> OptionList:
        self.mount_late_children()
        return self.query_one("#search-results", OptionList)

    @property
    def status(self) -> Static:
        self.mount_late_children()
        return self.query_one("#search-status", Static)

    # Searching ---------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.run_query(event.value)

    def run_query(self, query: str) -> None:
        """Search now (an empty query clears the answer)."""
        self.query_text = query
        if not query.strip():
            self._show(None, {})
        else:
            self._search(query, self.shown_ids())

    def articles_changed(self) -> None:
        """Articles were indexed, changed or removed since the answer on show: ask again (a
        search typed while a folder is first indexed kept its "no articles match")."""
        if self.query_text.strip():
            self.run_query(self.query_text)

    def refresh_answer(self) -> None:
        """The claims or annotations changed: a query with filters has a new answer."""
        from accord.index.claim_query import has_filters  # the filters' module loads with the first search

        if has_filters(self.query_text):
            self.run_query(self.query_text)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, shown: list[str]) -> None:
        worker = get_current_worker()

        def stale() -> bool:
            return worker.is_cancelled

        try:
            result = self.desk.search(query, limit=SEARCH_LIMIT, compute_missing=False, count=False, cancelled=stale)
            if result is None or stale():
                return
            spans = self.desk.match_spans(query, shown)
            if stale():
                return
            self.app.call_from_thread(self._show, result, spans)
            if not result.counted:
                total = self.desk.count_matches(query, cancelled=stale)
                if total is not None and not stale():
                    self.app.call_from_thread(self._counted, query, total)
        except QueryError as error:
            if not stale():
                self.app.call_from_thread(self._show_error, query, str(error))

    def _counted(self, query: str, total: int) -> None:
        if self.result is not None and self.result.query == query == self.query_text and self.is_attached:
            self.result = replace(self.result, total=total, counted=True)
            self._say_found(self.result)

    def _show(self, result: SearchResult | None, spans: dict[str, Spans]) -> None:
        if result is not None and result.query != self.query_text:
            return  # typing moved on
        if not self.is_attached:
            return  # the app is closing
        self.result, self.hit_index = result, -1
        if result is None:
            self.clear()
        else:
            self.show_result(result)
        self.post_message(self.Shown(result, spans))
        if self._pending_jump is not None and result is not None:
            index, self._pending_jump = self._pending_jump, None
            self.jump(index)

    def _show_error(self, query: str, message: str) -> None:
        if query == self.query_text and self.is_attached:
            if self._pending_jump is not None:
                self._pending_jump = None
                self.display = True  # reopen the bar so the error is seen
                self.input.focus()
            self.show_error(message)

    # Going to hits -----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        current = self.result is not None and self.result.query == event.value
        highlighted = self.results.highlighted if current else None
        self._choose(highlighted if highlighted is not None else 0)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        query = self.input.value
        if not query.strip():
            return
        if self.result is None or self.result.query != query:
            # Enter came before this query's answer: jump when it lands.
            self._pending_jump = index
            if self.query_text != query:
                self.run_query(query)
            return
        self.jump(index)

    def jump(self, index: int) -> bool:
        """Go to hit `index` (wrapping round); False when there is none."""
        if not self.result or not self.result.hits:
            self.app.bell()
            return False
        self.display = False
        self.hit_index = index % len(self.result.hits)
        self.post_message(self.Jump(self.result.hits[self.hit_index]))
        return True

    def step(self, direction: int) -> bool:
        """The next (+1) or previous (-1) hit."""
        if direction < 0 and self.hit_index < 0:
            return self.jump(-1)
        return self.jump(self.hit_index + direction)

    def reset(self) -> None:
        """Close the bar and drop the query and its answer."""
        self.display = False
        self.input.value = ""
        self.query_text = ""
        self._show(None, {})

    def type_key(self, event: events.Key) -> bool:
        """Type a key meant for the bar that reached another widget first; False if it is
        not a typing key."""
        field = self.input
        if event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            field.action_delete_left()
        elif event.key == "enter":
            self.call_later(field.action_submit)
        else:
            return False
        return True

    def describe(self) -> str:
        """The search's part of the status line, with shorter forms for a narrow line (the
        query cut short, then the keys left out)."""
        if self.result is None:
            return ""
        count = len(self.result.hits)
        position = f"{self.hit_index + 1}/{count}" if self.hit_index >= 0 else f"{count} hit{'' if count == 1 else 's'}"
        query = self.result.query
        moves = keys(self.app, "next_hit", "previous_hit")
        return Part(f"search {query!r}: {position} ({moves}, {key(self.app, 'clear_search')} clears)",
                    f"search {query!r}: {position}", f"search {quoted(query, 24)}: {position}",
                    f"{quoted(query, 12)}: {position}", position)

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
        status = self.status
        status.set_class(error, "-error")
        status.update(Text(printable(message)))

    def show_result(self, result: SearchResult) -> None:
        """The hits, the first screenful now and the rest on the next frame."""
        self.result = result
        results = self.results
        results.clear_options()
        results.add_options(Option(self._render_hit(hit)) for hit in result.hits[:FIRST_OPTIONS])
        if len(result.hits) > FIRST_OPTIONS:
            self.call_after_refresh(self._add_rest, result)
        if result.hits:
            results.highlighted = 0
        self._say_found(result)

    def _add_rest(self, result: SearchResult) -> None:
        if self.result is result and self.is_attached:
            self.results.add_options(Option(self._render_hit(hit)) for hit in result.hits[FIRST_OPTIONS:])

    def _say_found(self, result: SearchResult) -> None:
        from accord.index.claim_query import has_filters

        unit = "sentence" if has_filters(result.query) else "article"  # claim filters pick sentences
        total = f"{result.total}{'' if result.counted else '+'}"
        if not result.total:
            self.set_status(f"no {unit}s match {result.query}")
        elif result.total == 1 and result.counted:
            self.set_status(f"1 {unit} matches. Enter jumps, ↓ picks, {key(self.app, 'close_search')} closes")
        elif result.counted and result.total == len(result.hits):
            self.set_status(f"{total} {unit}s match. Enter jumps, ↓ picks, {key(self.app, 'close_search')} closes")
        else:
            self.set_status(f"{total} {unit}s match; best {len(result.hits)}. Enter jumps, ↓ picks, "
                            f"{key(self.app, 'close_search')} closes")

    def show_error(self, message: str) -> None:
        self.result = None
        self.results.clear_options()
        self.set_status(message, error=True)
        self.screen.refresh_bindings()  # no hits to step through: n and N leave the footer

    def clear(self) -> None:
        self.results.clear_options()
        self.set_status("")

    def _render_hit(self, hit: SearchHit) -> Text:
        source_style = self.get_component_rich_style("search-panel--source")
        hit_style = self.get_component_rich_style("search-panel--hit")
        date = hit.date.isoformat() if hit.date else "undated"
        line = Text.assemble((printable(hit.source), source_style), f" · {printable(hit.title)} · {date}")
        line.truncate(200)
        shown, highlights = hit.shown_snippet()
        snippet = Text(printable(" ".join(shown.split())))
        # Collapsing whitespace shifts offsets: map the highlights through the original.
        for start, end in _collapsed_spans(shown, highlights):
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
