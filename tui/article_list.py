"""The article list sidebar: every article in view, to pick what a pane shows.

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

from accord.index.catalog import ArticleSummary

from .layout import printable

ROW_LINES = 2


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
    ]

    class Chosen(Message):
        """The analyst picked an article to show."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summaries: list[ArticleSummary] = []
        self.shown: set[str] = set()
        self.cursor = 0

    def set_articles(self, summaries: list[ArticleSummary], shown: set[str]) -> None:
        self.summaries = summaries
        self.shown = shown
        self.cursor = min(self.cursor, max(0, len(summaries) - 1))
        self._size_to_rows()
        self.refresh()

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
        detail = Text("  " + printable(f"{summary.source} · {date}"))
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

