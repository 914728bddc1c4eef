"""The article list sidebar: every article in view, to pick what a pane shows.

`/` filters it by what is typed (title or outlet, any case), `o` sorts it by
reading order, date, outlet or title; the panes' reading order is left as it is.

A Line API widget with two lines per article (title; source and date), so it
renders only the visible rows and never measures text: an OptionList rebuilt
its 10k options, re-measuring each, every time a pane changed article.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from accord.index.model import ArticleSummary

from .layout import printable

ROW_LINES = 2
SORTS = ("reading order", "date", "outlet", "title")


class ArticleList(ScrollView, can_focus=True):
    """Title, source and date of each article; Enter shows it in the focused pane."""

    COMPONENT_CLASSES = {"article-list--cursor", "article-list--detail"}

    BINDINGS = [
        Binding("down,j", "cursor(1)", "Next article", id="list_next", show=False),
        Binding("up,k", "cursor(-1)", "Previous article", id="list_previous", show=False),
        Binding("pagedown", "page(1)", "Page down", id="list_page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="list_page_up", show=False),
        Binding("home,g", "jump(0)", "First article", id="list_first", show=False),
        Binding("end,G", "jump(-1)", "Last article", id="list_last", show=False),
        Binding("enter", "choose", "Show article", id="list_choose", show=False),
        # Shown in the footer while the list has the focus (as "Filter" and "Sort").
        Binding("slash", "filter", "Filter the list (title, outlet)", id="list_filter"),
        Binding("o", "sort", "Sort by reading order, date, outlet, title", id="list_sort"),
    ]

    class Chosen(Message):
        """The analyst picked an article to show."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.every: list[ArticleSummary] = []  # in reading order
        self.summaries: list[ArticleSummary] = []  # as listed: filtered and sorted
        self.shown: set[str] = set()
        self.cursor = 0
        self.filter_text = ""
        self.filtering = False  # typing goes into the filter
        self.sort = SORTS[0]

    def set_articles(self, summaries: list[ArticleSummary], shown: set[str]) -> None:
        self.every = summaries
        self.shown = shown
        self._relist()

    def _relist(self) -> None:
        """Filter and sort `every` into the rows, keeping the cursor on its article."""
        current = self.summaries[self.cursor].id if self.summaries else None
        words = self.filter_text.casefold().split()
        rows = [s for s in self.every if all(w in f"{s.title} {s.source}".casefold() for w in words)]
        if self.sort == "date":
            rows.sort(key=lambda s: (s.date is None, s.date or 0))
        elif self.sort == "outlet":
            rows.sort(key=lambda s: s.source.casefold())
        elif self.sort == "title":
            rows.sort(key=lambda s: s.title.casefold())
        self.summaries = rows
        ids = [s.id for s in rows]
        self.cursor = ids.index(current) if current in ids else min(self.cursor, max(0, len(rows) - 1))
        self.border_title = self._heading()
        self._size_to_rows()
        self.refresh()

    def _heading(self) -> str:
        parts = [f"{len(self.summaries)} of {len(self.every)}" if self.filter_text else f"{len(self.every)} articles"]
        if self.sort != SORTS[0]:
            parts.append(f"by {self.sort}")
        if self.filtering or self.filter_text:
            parts.append(f"/{printable(self.filter_text)}" + ("▏" if self.filtering else ""))
        return " · ".join(parts)

    def action_filter(self) -> None:
        self.filtering = True
        self._relist()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._relist()

    def on_key(self, event: events.Key) -> None:
        """While filtering, printable keys type into the filter; Enter or ↓ ends typing,
        Esc clears the filter."""
        if not self.filtering:
            if event.key == "escape" and self.filter_text:
                event.stop()
                self.filter_text = ""
                self._relist()
            return
        if event.key in ("enter", "down", "escape"):
            self.filtering = False
            if event.key == "escape":
                self.filter_text = ""
        elif event.key == "backspace":
            self.filter_text = self.filter_text[:-1]
        elif event.is_printable and event.character:
            self.filter_text += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self._relist()

    def _size_to_rows(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.summaries) * ROW_LINES)

    @property
    def option_count(self) -> int:
        return len(self.summaries)

    def row_text(self, index: int) -> str:
        """The plain text of an article's two lines."""
        return "\n".join(line.plain for line in self._row(index))

    def _row(self, index: int) -> tuple[Text, Text]:
        summary = self.summaries[index]
        shown = summary.id in self.shown
        date = summary.date.isoformat() if summary.date else "undated"
        title = Text(("▌" if shown else " ") + printable(summary.title), style="bold" if shown else "")
        detail = Text("  " + printable(f"{date} · {summary.source}"))  # the date first: a narrow list keeps it
        return title, detail

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        index, line = divmod(scroll_y + y, ROW_LINES)
        base = self.rich_style
        if index >= len(self.summaries):
            return Strip([Segment(" " * width, base)], width)
        text = self._row(index)[line]
        text.truncate(width, overflow="ellipsis", pad=True)
        style = base
        if line == 1:
            style += self.get_component_rich_style("article-list--detail")
        if index == self.cursor:
            style += self.get_component_rich_style("article-list--cursor")
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments).crop(0, width).simplify()

    # Cursor ------------------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self.summaries:
            return
        self.cursor = max(0, min(index, len(self.summaries) - 1))
        top = self.cursor * ROW_LINES
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + ROW_LINES > self.scroll_y + height:
            self.scroll_to(y=top + ROW_LINES - height, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.scrollable_content_region.height // ROW_LINES))

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self.summaries) - 1)

    def action_choose(self) -> None:
        if self.summaries:
            self.post_message(self.Chosen(self.summaries[self.cursor].id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + self.scroll_y) // ROW_LINES
        if 0 <= index < len(self.summaries):
            self._move_to(index)
            self.post_message(self.Chosen(self.summaries[index].id))

    def on_resize(self) -> None:
        self._size_to_rows()

