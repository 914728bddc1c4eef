"""Wrapping an article into display lines, and making untrusted text safe to show.

Pure functions with no Textual import: each display line is a slice of the
article's canonical text, so screen positions map straight back to offsets.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len, get_character_cell_size

from accord.index.model import Paragraph
from accord.index.safe_text import printable_same_length

# Anything a terminal could act on (controls, ESC) or that reorders text (bidi) is shown as
# U+FFFD one-for-one, so offsets stay valid: the engine's rule, shared with the command line.
printable = printable_same_length


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as the reader shows it: under the home folder, from ~ (shorter in a narrow
    dialog; `expanduser` reads it back)."""
    text, home = str(path), str(Path.home())
    if home.rstrip(os.sep) and (text == home or text.startswith(home.rstrip(os.sep) + os.sep)):
        return "~" + text[len(home.rstrip(os.sep)):]
    return text


@dataclass(frozen=True, slots=True)
class Line:
    """One display line: `text[start:end]`, or a blank line between paragraphs."""

    start: int
    end: int
    blank: bool = False


_WORD = re.compile(r"\S+\s*")


def wrap(text: str, paragraphs: list[Paragraph], width: int) -> list[Line]:
    """Greedy word wrap of each paragraph to `width` cells, a blank line between them.

    Words longer than the width are cut; trailing spaces stay on the line they
    follow (off-screen), so no character is lost from the offsets. Linear in the
    text: a long word is measured once and cut in one walk over its characters
    (re-measuring the rest of a 10 MB word at each cut took minutes).
    """
    width = max(width, 8)
    lines: list[Line] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append(Line(paragraph.start, paragraph.start, blank=True))
        line_start = paragraph.start
        for match in _WORD.finditer(text, paragraph.start, paragraph.end):
            word_end = match.end()
            while word_end > match.start() and text[word_end - 1].isspace():
                word_end -= 1
            if line_start < match.start() and _wider_than(text, line_start, word_end, width):
                lines.append(Line(line_start, match.start()))
                line_start = match.start()
            if _wider_than(text, line_start, word_end, width):  # a very long token: cut it
                for cut in _cuts(text, line_start, word_end, width):
                    lines.append(Line(line_start, cut))
                    line_start = cut
        lines.append(Line(line_start, paragraph.end))
    return lines


def _wider_than(text: str, start: int, end: int, width: int) -> bool:
    if end - start <= width // 2:  # no character is wider than two cells
        return False
    return cell_len(text[start:end]) > width


# Characters one cell wide each (a subset of Rich's own table): a run of them is cut by counting.
_SINGLE_CELL_RUN = re.compile("[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482]+")


def _cuts(text: str, start: int, end: int, width: int) -> list[int]:
    """Where to cut `text[start:end]` so each piece but the last fills `width` cells
    without passing it (every piece holds at least one character); one walk."""
    cuts: list[int] = []
    used = 0
    position = start
    line_start = start
    while position < end:
        run = _SINGLE_CELL_RUN.match(text, position, end)
        if run:  # the line fills at `full`, then every `width` characters, while one follows
            run_end = run.end()
            full = position + width - used
            if full < run_end:
                cuts.extend(range(full, run_end, width))
                line_start = cuts[-1]
                used = run_end - line_start
            else:
                used += run_end - position
            position = run_end
            continue
        cells = get_character_cell_size(text[position])
        if used + cells > width and position > line_start:
            cuts.append(position)
            line_start, used = position, 0
        used += cells
        position += 1
    return cuts


class LineIndex:
    """Find the display line holding a text offset (binary search over line starts)."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self._starts = [line.start for line in lines]

    def line_of(self, offset: int) -> int:
        position = bisect.bisect_right(self._starts, offset) - 1
        position = max(position, 0)
        while position > 0 and self.lines[position].blank:
            position -= 1
        return position

    def offset_at(self, y: int, x: int) -> int:
        """The text offset shown at column `x` of line `y` (clamped to the line)."""
        if not self.lines:
            return 0
        line = self.lines[min(max(y, 0), len(self.lines) - 1)]
        return line.start + max(0, min(x, line.end - line.start))
