"""The reader's status line: what is open, the active search, claims, annotations, news.

Each part is a reactive, so whoever knows a fact sets it and the line repaints
itself. When the line is too narrow, the least important parts go first (the
latest message, then annotations, then claims), so it never wraps or cuts a
word in half.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .layout import printable

SEPARATOR = " · "


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine {
        width: 1fr;
        height: 1;
        color: $text-muted;
    }
    """

    articles: reactive[int] = reactive(0)
    search: reactive[str] = reactive("")
    claims: reactive[str] = reactive("")
    annotations: reactive[str] = reactive("")
    message: reactive[str] = reactive("")

    def parts(self) -> list[str]:
        """The parts to show, most important first."""
        parts = [f"{self.articles} article{'' if self.articles == 1 else 's'}", self.search, self.claims,
                 self.annotations, self.message]
        return [printable(part) for part in parts if part]

    @property
    def text(self) -> str:
        """What fits the line now."""
        width = self.content_region.width or 200
        shown: list[str] = []
        for part in self.parts():
            candidate = SEPARATOR.join([*shown, part])
            if cell_len(candidate) > width:
                if not shown:  # even the first part is too long: cut it
                    shown.append(part[: max(0, width - 1)] + "…")
                break
            shown.append(part)
        return SEPARATOR.join(shown)

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")
