"""The reader's status line: what is open, the active search, claims, annotations, news.

Each part is a reactive, so whoever knows a fact sets it and the line repaints
itself. A part may carry shorter forms of itself (`Part`). When the line is too
narrow, parts are shortened first, least important first (the latest message,
then annotations, then claims, then the search), and only then dropped, least
important first; what room is left then goes back to the most important parts.
It never wraps or cuts a word in half, except for a part cut to the room left
(with an ellipsis) rather than dropped.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .layout import printable

SEPARATOR = " · "
MIN_CUT = 16  # cells: a part cut shorter than this is dropped instead


class Part(str):
    """A status part (the full text) with shorter forms of it, longest first."""

    shorter: tuple[str, ...]

    def __new__(cls, text: str, *shorter: str) -> "Part":
        part = super().__new__(cls, text)
        part.shorter = tuple(s for s in shorter if s and s != text)
        return part


def forms(part: str) -> list[str]:
    """A part's forms, fullest first, safe to show."""
    return [printable(form) for form in (part, *getattr(part, "shorter", ()))]


def cut(text: str, cells: int) -> str:
    """`text` in at most `cells` cells, ending with an ellipsis if it was cut."""
    if cell_len(text) <= cells:
        return text
    while text and cell_len(text) > cells - 1:
        text = text[:-1]
    return text.rstrip(" ,·:") + "…"


def quoted(text: str, chars: int) -> str:
    """`text` quoted as repr quotes it, cut to `chars` characters with an ellipsis."""
    return repr(text if len(text) <= chars else text[: chars - 1].rstrip() + "…")


def fit(parts: list[list[str]], width: int) -> str:
    """The parts (each its forms, fullest first; the most important part first) in
    `width` cells."""
    level = [0] * len(parts)
    shown = [True] * len(parts)

    def line(levels: list[int] | None = None) -> str:
        levels = levels or level
        return SEPARATOR.join(forms[n] for forms, n, on in zip(parts, levels, shown) if on)

    def fits(levels: list[int] | None = None) -> bool:
        return cell_len(line(levels)) <= width

    # Shorten, a step at a time, least important first.
    while not fits():
        stepped = False
        for n in reversed(range(len(parts))):
            if level[n] < len(parts[n]) - 1:
                level[n] += 1
                stepped = True
                if fits():
                    break
        if not stepped:
            break
    # Drop, least important first (the first part stays).
    dropped = []
    for n in reversed(range(1, len(parts))):
        if fits():
            break
        shown[n] = False
        dropped.append(n)
    # Give the room left back to the most important parts.
    for n in range(len(parts)):
        while shown[n] and level[n] > 0 and fits([*level[:n], level[n] - 1, *level[n + 1:]]):
            level[n] -= 1
    text = line()
    if cell_len(text) > width:  # even the first part alone is too long: cut it
        return cut(text, width)
    if dropped:  # the most important part dropped goes back in the room left, if it fits there
        n = dropped[-1]
        room = width - cell_len(text) - cell_len(SEPARATOR)
        whole = next((form for form in parts[n] if cell_len(form) <= room), None)
        if whole is not None or room >= MIN_CUT:
            shown[n] = True
            pieces = [(whole or cut(parts[m][-1], room)) if m == n else parts[m][level[m]]
                      for m in range(len(parts)) if shown[m]]
            text = SEPARATOR.join(pieces)
    return text


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine {
        width: 1fr;
        height: 1;
        color: $text-muted;
    }
    """

    articles: reactive[int] = reactive(0)
    # While indexing: (files done, files to read). The count leads the line and counts up.
    indexing: reactive[tuple[int, int] | None] = reactive(None)
    search: reactive[str] = reactive("")
    claims: reactive[str] = reactive("")
    annotations: reactive[str] = reactive("")
    message: reactive[str] = reactive("")

    def _count(self) -> Part:
        articles = f"{self.articles} article{'' if self.articles == 1 else 's'}"
        if self.indexing is None:
            return Part(articles)
        done, total = self.indexing
        files = f"{done:,}/{total:,} files"
        if not self.articles:
            return Part(f"indexing {files}", files)
        return Part(f"{articles} · indexing {files}", f"{articles} · {files}", files)

    def parts(self) -> list[list[str]]:
        """The parts to show, most important first, each as its forms (fullest first)."""
        parts = [self._count(), self.search, self.claims, self.annotations, self.message]
        return [forms(part) for part in parts if part]

    @property
    def text(self) -> str:
        """What fits the line now."""
        return fit(self.parts(), self.content_region.width or 200)

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")
