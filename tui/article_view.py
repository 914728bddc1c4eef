"""One article's cleaned text with a sentence cursor, rendered line by line.

A Line API widget: only the visible lines are rendered, so a long article costs
no more to show than a short one. Display lines are slices of `Article.text`
(see `layout.wrap`), which maps cursor, clicks, hits and mouse selections
straight onto the engine's offsets.
"""

from __future__ import annotations


from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from accord.index.model import Article, Sentence

from .layout import Line, LineIndex, printable, wrap
from .line_painter import Decorations, LineStyles, paint_line
from .marks import SUPPORT_GLYPHS, TAG_TONES, Highlight, Mark

Spans = tuple[tuple[int, int], ...]
_CACHE_LINES = 512
GUTTER = 2  # columns left of the text for the claim-support mark


class ArticleView(ScrollView, can_focus=True):
    """The text of one article; `j`/`k` move a sentence cursor through it."""

    COMPONENT_CLASSES = {
        "article-view--cursor",
        "article-view--cursor-inactive",
        "article-view--hit",
        "article-view--placeholder",
        "article-view--claim-all",
        "article-view--claim-several",
        "article-view--claim-single",
        "article-view--conflict",
        "article-view--annotation",
        *(f"article-view--tag-{n}" for n in range(1, TAG_TONES + 1)),
        "article-view--note",
    }

    BINDINGS = [
        Binding("j,down", "next_sentence", "Next sentence", id="next_sentence", show=False),
        Binding("k,up", "previous_sentence", "Previous sentence", id="previous_sentence", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="page_up", show=False),
        Binding("g,home", "first_sentence", "First sentence", id="first_sentence", show=False),
        Binding("G,end", "last_sentence", "Last sentence", id="last_sentence", show=False),
        Binding("v", "toggle_range", "Select sentences (then j/k)", id="select_range", show=False),
        Binding("shift+down", "extend_range(1)", "Extend the selection down", id="extend_down", show=False),
        Binding("shift+up", "extend_range(-1)", "Extend the selection up", id="extend_up", show=False),
        Binding("escape", "clear_range", "Clear the selection", id="clear_selection", show=False),
    ]

    class CursorMoved(Message):
        """The cursor moved to another sentence."""

        def __init__(self, view: "ArticleView", sentence: Sentence | None) -> None:
            super().__init__()
            self.view = view
            self.sentence = sentence

        @property
        def control(self) -> "ArticleView":
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.cursor = 0
        self.placeholder = "Loading…"
        self._hits: Spans = ()
        self._hit_starts: list[int] = []
        self._marks: dict[int, Mark] = {}
        self._conflicts: Spans = ()
        self._overscroll = 0  # blank lines allowed past the end, so a late sentence can be aligned
        self.range_anchor: int | None = None  # where a `v` selection started (sentence index)
        self._highlights: tuple[Highlight, ...] = ()
        self._highlight_starts: list[int] = []
        self._lines: list[Line] = []
        self._index = LineIndex([])
        self._wrapped_width = 0
        self._generation = 0  # bumps whenever the content or the marks change
        self._cache: LRUCache[tuple, Strip] = LRUCache(_CACHE_LINES)
        self._frame_styles: tuple[Style, LineStyles] | None = None  # while a frame is rendered

    # Content ----------------------------------------------------------------------------

    def show(self, article: Article | None, sentence: int = 0, placeholder: str = "") -> None:
        """Display `article` (or a placeholder message) with the cursor on `sentence`."""
        self.article = article
        self.placeholder = placeholder or self.placeholder
        self._hits, self._hit_starts = (), []
        self._marks, self._conflicts = {}, ()
        self._highlights, self._highlight_starts = (), []
        self.range_anchor = None
        self._overscroll = 0
        self._wrapped_width = 0
        self._rewrap()
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.move_to(sentence, center=sentence > 0)

    def set_hits(self, spans: Spans) -> None:
        """Highlight matched words (character spans in the article text)."""
        if spans == self._hits:
            return
        self._hits = tuple(sorted(spans))
        self._hit_starts = [start for start, _ in self._hits]
        self._touch()

    @property
    def hits(self) -> Spans:
        return self._hits

    def set_marks(self, marks: dict[int, Mark], conflicts: Spans = ()) -> None:
        """Colour sentences by claim support (sentence index -> Mark) and underline
        the disputed values (character spans)."""
        conflicts = tuple(sorted(conflicts))
        if marks == self._marks and conflicts == self._conflicts:
            return
        self._marks, self._conflicts = dict(marks), conflicts
        self._touch()

    @property
    def marks(self) -> dict[int, Mark]:
        return self._marks

    def set_highlights(self, highlights: tuple[Highlight, ...]) -> None:
        """Mark annotated passages (and, in the gutter, those with a note)."""
        highlights = tuple(sorted(highlights, key=lambda h: (h.start, h.end)))
        if highlights == self._highlights:
            return
        self._highlights = highlights
        self._highlight_starts = [h.start for h in highlights]
        self._touch()

    @property
    def highlights(self) -> tuple[Highlight, ...]:
        return self._highlights

    # What the analyst selected -------------------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The passage to annotate, as offsets into the article text: the mouse
        selection if there is one, else the `v` range, else the cursor sentence."""
        if self.article is None or not self.article.sentences:
            return None
        selection = self.text_selection
        if selection is not None and self._lines:
            start, end = self._selection_offsets(selection)
            text = self.article.text
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                return start, end
        first, last = self.selected_sentences()
        return self.article.sentences[first].start, self.article.sentences[last].end

    def selected_sentences(self) -> tuple[int, int]:
        """First and last sentence of the `v` range (the cursor sentence alone without one)."""
        anchor = self.cursor if self.range_anchor is None else self.range_anchor
        return min(anchor, self.cursor), max(anchor, self.cursor)

    def action_toggle_range(self) -> None:
        self.range_anchor = None if self.range_anchor is not None else self.cursor
        self._touch()

    def action_extend_range(self, direction: int) -> None:
        if self.range_anchor is None:
            self.range_anchor = self.cursor
        self.move_to(self.cursor + direction)

    def action_clear_range(self) -> None:
        if self.range_anchor is None and self.text_selection is None:
            raise SkipAction()  # let Esc reach the app (it clears the search)
        self.clear_selection()

    def clear_selection(self) -> None:
        self.range_anchor = None
        self.screen.clear_selection()
        self._touch()

    def jump(self, target: str, direction: int, *, wrap: bool = True) -> bool:
        """Move to the next (+1) or previous (-1) sentence that is a `target` ("shared",
        "single", "conflict"), wrapping round the article unless `wrap` is False;
        False if there is none."""
        if self.article is None or not self.article.sentences:
            return False
        count = len(self.article.sentences)
        steps = range(1, count + 1) if wrap else range(1, (count - self.cursor if direction > 0 else self.cursor + 1))
        for step in steps:
            index = (self.cursor + direction * step) % count
            mark = self._marks.get(index)
            if mark is not None and mark.is_a(target):
                self.move_to(index, center=not self._sentence_visible(index))
                return True
        return False

    def _sentence_visible(self, index: int) -> bool:
        assert self.article is not None
        first, last = self.sentence_lines(self.article.sentences[index])
        top = round(self.scroll_y)
        return top <= first and last < top + self.scrollable_content_region.height
    @property
    def current_sentence(self) -> Sentence | None:
        if self.article is None or not self.article.sentences:
            return None
        return self.article.sentences[self.cursor]

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def _touch(self) -> None:
        self._generation += 1
        self._cache.clear()
        self.refresh()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width - GUTTER
        if width == self._wrapped_width and self._lines:
            return
        self._wrapped_width = width
        if self.article is None or width <= 0:
            self._lines = []
        else:
            self._lines = wrap(self.article.text, self.article.paragraphs, width)
        self._index = LineIndex(self._lines)
        self._size_virtually()
        self._touch()

    def _size_virtually(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, (len(self._lines) + self._overscroll) or 1)

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        self._ensure_cursor_visible(center=False)

    # Cursor ----------------------------------------------------------------------------

    def move_to(self, sentence: int, *, center: bool = False) -> None:
        """Put the cursor on `sentence` (clamped) and scroll it into view."""
        count = len(self.article.sentences) if self.article else 0
        target = max(0, min(sentence, count - 1)) if count else 0
        changed = target != self.cursor
        self.cursor = target
        self._touch()
        self._ensure_cursor_visible(center=center)
        if changed or center:
            self.post_message(self.CursorMoved(self, self.current_sentence))

    def align_to(self, sentence: int, row: int) -> None:
        """Cursor on `sentence`, scrolled so its first line sits `row` lines from the
        top: the claims panel aligns every pane on one claim this way."""
        self.move_to(sentence)
        current = self.current_sentence
        if current is None or not self._lines:
            return
        first, _ = self.sentence_lines(current)
        target = max(0, first - row)
        height = self.scrollable_content_region.height
        needed = target + height - len(self._lines)
        if needed > self._overscroll:
            self._overscroll = needed
            self._size_virtually()
        self.scroll_to(y=target, animate=False, immediate=True)

    def sentence_lines(self, sentence: Sentence) -> tuple[int, int]:
        """First and last display line of a sentence."""
        return self._index.line_of(sentence.start), self._index.line_of(max(sentence.end - 1, sentence.start))

    def _ensure_cursor_visible(self, *, center: bool) -> None:
        sentence = self.current_sentence
        height = self.scrollable_content_region.height
        if sentence is None or height <= 0 or not self._lines:
            return
        first, last = self.sentence_lines(sentence)
        top = round(self.scroll_y)
        if center:
            target = first - height // 3  # a third down the pane: context above, room below
        elif first < top:
            target = first
        elif last >= top + height:
            target = min(first, last - height + 1)
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def action_next_sentence(self) -> None:
        self.move_to(self.cursor + 1)

    def action_previous_sentence(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first_sentence(self) -> None:
        self.move_to(0)

    def action_last_sentence(self) -> None:
        self.move_to(len(self.article.sentences) - 1 if self.article else 0)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """Scroll a screenful and put the cursor on the sentence at the same height."""
        sentence = self.current_sentence
        if sentence is None:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        first, _ = self.sentence_lines(sentence)
        line = max(0, min(first + direction * height, len(self._lines) - 1))
        self.scroll_to(y=max(0, self.scroll_y + direction * height), animate=False, immediate=True)
        target = self._sentence_on_line(line)
        if target is not None and target.index == self.cursor:
            target = self.article.sentences[max(0, min(self.cursor + direction, len(self.article.sentences) - 1))]
        if target is not None:
            self.move_to(target.index)

    def _sentence_on_line(self, y: int) -> Sentence | None:
        if self.article is None or not self._lines:
            return None
        return self.article.sentence_at(self._lines[y].start)

    def on_click(self, event: events.Click) -> None:
        if self.article is None or not self._lines:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        y, x = offset.y + round(self.scroll_y), offset.x + round(self.scroll_x) - GUTTER
        if y >= len(self._lines):
            return
        sentence = self.article.sentence_at(self._index.offset_at(y, x))
        if sentence is not None:
            self.move_to(sentence.index)

    def on_focus(self) -> None:
        self._touch()

    def on_blur(self) -> None:
        self._touch()

    # Selection (mouse) -------------------------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, taken from the article itself (no wrap breaks)."""
        if self.article is None or not self._lines:
            return None
        start, end = self._selection_offsets(selection)
        return self.article.text[start:end], "\n"

    def _selection_offsets(self, selection: Selection) -> tuple[int, int]:
        assert self.article is not None
        start = self._index.offset_at(selection.start.y, selection.start.x - GUTTER) if selection.start else 0
        end = (
            self._index.offset_at(selection.end.y, selection.end.x - GUTTER) if selection.end else len(self.article.text)
        )
        return start, end

    def selection_updated(self, selection: Selection | None) -> None:
        self._touch()

    # Rendering --------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are looked up once a frame: per line they were a fifth of painting a pane.
        self._frame_styles = self._line_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._frame_styles = None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if self.article is not None and width - GUTTER != self._wrapped_width:
            self._rewrap()  # a pane's first frame comes before the Resize that wraps its text
        base, styles = self._frame_styles or self._line_styles()
        if not self._lines:
            if y != 0:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("article-view--placeholder")
            return Strip([Segment(printable(self.placeholder)[:width], style)]).extend_cell_length(width, base)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._line_strip(index, base, styles)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, index)

    def _line_styles(self) -> tuple[Style, LineStyles]:
        """The view's own style and the styles of everything painted on a line."""
        return self.rich_style, LineStyles(
            cursor=self.get_component_rich_style(
                "article-view--cursor" if self.has_focus else "article-view--cursor-inactive"
            ),
            hit=self.get_component_rich_style("article-view--hit"),
            kinds=tuple((kind, self.get_component_rich_style(f"article-view--claim-{kind}")) for kind in SUPPORT_GLYPHS),
            conflict=self.get_component_rich_style("article-view--conflict"),
            tones=tuple(self.get_component_rich_style(name) for name in
                        ["article-view--annotation", *(f"article-view--tag-{n}" for n in range(1, TAG_TONES + 1))]),
            note=self.get_component_rich_style("article-view--note"),
        )

    def _line_strip(self, index: int, base: Style, styles: LineStyles) -> Strip:
        selection = self.text_selection
        key = (index, self._generation, styles, base)
        if selection is None and (cached := self._cache.get(key)) is not None:
            return cached
        strip = self._build_strip(self._lines[index], index, base, styles, selection)
        if selection is None:
            self._cache.set(key, strip)
        return strip

    def _build_strip(self, line: Line, index: int, base: Style, styles: LineStyles, selection: Selection | None) -> Strip:
        assert self.article is not None
        cursor = None
        if self.article.sentences:
            first, last = self.selected_sentences()
            cursor = (self.article.sentences[first].start, self.article.sentences[last].end)
        decorations = Decorations(self._marks, self._conflicts, self._highlights, self._highlight_starts,
                                  self._hits, self._hit_starts, cursor)
        text = paint_line(self.article, line, decorations, styles, base)
        if selection is not None and (span := selection.get_span(index)) is not None:
            start, end = span
            text.stylize(self.screen.get_component_rich_style("screen--selection"), start, len(text) if end == -1 else end)
        return Strip(list(text.render(self.app.console)), text.cell_len)
