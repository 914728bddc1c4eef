"""Painting one display line of an article: support colours, annotated passages,
the cursor, disputed values, search hits and the two-column gutter.

Pure functions of what the view holds, so the view keeps only state and scrolling.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from accord.index.model import Article

from .layout import Line, printable
from .marks import CONFLICT_GLYPH, NOTE_GLYPH, SUPPORT_GLYPHS, Highlight, Mark

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class LineStyles:
    cursor: Style
    hit: Style
    kinds: tuple[tuple[str, Style], ...]  # hashable: the styles are part of the line cache key
    conflict: Style
    tones: tuple[Style, ...]  # untagged, then one per tag tone
    note: Style

    def kind(self, name: str) -> Style:
        return next(style for kind, style in self.kinds if kind == name)


@dataclass(frozen=True, slots=True)
class Decorations:
    """Everything drawn over an article's text, sorted by start offset."""

    marks: dict[int, Mark]  # sentence index -> its mark
    conflicts: Spans
    highlights: tuple[Highlight, ...]
    highlight_starts: list[int]
    hits: Spans
    hit_starts: list[int]
    cursor: tuple[int, int] | None  # the cursor sentence (or `v` range) as offsets


def paint_line(article: Article, line: Line, decorations: Decorations, styles: LineStyles, base: Style) -> Text:
    """The line as styled text, gutter first."""
    # Text(...) never parses markup, and printable() neutralises escapes: article
    # text is untrusted and must show literally.
    text = Text(printable(article.text[line.start : line.end]), style=base, no_wrap=True, end="")
    d = decorations
    if d.marks and not line.blank:
        _stylize_support(text, article, line, d.marks, styles)
    for highlight in d.highlights:  # few per article; one may start lines above and cover this one
        if highlight.start >= line.end:
            break
        _stylize_span(text, line, highlight.start, highlight.end, styles.tones[highlight.tone])
    if d.cursor is not None and not line.blank:
        _stylize_span(text, line, *d.cursor, styles.cursor)
    first_conflict = max(0, bisect.bisect_right(d.conflicts, (line.start, line.start)) - 1)
    for start, end in d.conflicts[first_conflict:]:
        if start >= line.end:
            break
        _stylize_span(text, line, start, end, styles.conflict)
    first_hit = max(0, bisect.bisect_right(d.hit_starts, line.start) - 1)
    for start, end in d.hits[first_hit:]:
        if start >= line.end:
            break
        _stylize_span(text, line, start, end, styles.hit)
    return Text.assemble(_gutter(article, line, d.marks, styles, base), _note_mark(line, d, styles, base), text,
                         no_wrap=True, end="")


def _stylize_support(text: Text, article: Article, line: Line, marks: dict[int, Mark], styles: LineStyles) -> None:
    """Colour each marked sentence on the line by its support."""
    sentence = article.sentence_at(line.start)
    while sentence is not None and sentence.start < line.end:
        mark = marks.get(sentence.index)
        if mark is not None:
            _stylize_span(text, line, sentence.start, sentence.end, styles.kind(mark.kind))
        following = sentence.index + 1
        sentence = article.sentences[following] if following < len(article.sentences) else None


def _note_mark(line: Line, d: Decorations, styles: LineStyles, base: Style) -> Text:
    """The gutter's second column: a note glyph where a noted passage starts."""
    first = bisect.bisect_left(d.highlight_starts, line.start)
    for highlight in d.highlights[first:]:
        if highlight.start >= line.end:
            break
        if highlight.noted:
            return Text(NOTE_GLYPH, style=base + styles.note, end="")
    return Text(" ", style=base, end="")


def _gutter(article: Article, line: Line, marks: dict[int, Mark], styles: LineStyles, base: Style) -> Text:
    """The support mark of the sentence the line begins in (or the first one that starts on it)."""
    blank = Text(" ", style=base, end="")
    if not marks or line.blank:
        return blank
    sentence = article.sentence_at(line.start)
    if sentence is None or sentence.start >= line.end:
        return blank
    mark = marks.get(sentence.index)
    if mark is None and sentence.end < line.end:
        later = article.sentence_at(sentence.end)
        if later is not None and later.start < line.end:
            mark = marks.get(later.index)
    if mark is None:
        return blank
    if mark.conflict:
        return Text(CONFLICT_GLYPH, style=styles.conflict, end="")
    return Text(SUPPORT_GLYPHS[mark.kind], style=base + styles.kind(mark.kind), end="")


def _stylize_span(text: Text, line: Line, start: int, end: int, style: Style) -> None:
    if end > line.start and start < line.end:
        text.stylize(style, max(start, line.start) - line.start, min(end, line.end) - line.start)
