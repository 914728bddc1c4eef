"""How the panes mark sentences and passages: claim support, discrepancies,
annotated passages and their tag colours."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

# A sentence's standing in the shared claims, as the gutter shows it: the glyphs
# differ as well as the colours, so the marks survive a monochrome terminal.
SUPPORT_GLYPHS = {"all": "┃", "several": "│", "single": "╎"}
CONFLICT_GLYPH = "!"
NOTE_GLYPH = "✎"  # second gutter column: an annotation with a note starts on this line
TAG_TONES = 4  # tag colours in a theme (accord-tag-1 ... accord-tag-4)


def tag_tone(tags: tuple[str, ...]) -> int:
    """The colour of an annotated passage: one of TAG_TONES by its first tag, the same
    in every session (a checksum, not Python's salted hash); 0 when it has no tag."""
    return zlib.crc32(tags[0].encode("utf-8")) % TAG_TONES + 1 if tags else 0


@dataclass(frozen=True, slots=True)
class Highlight:
    """An annotated passage as the pane shows it (character offsets in the article)."""

    start: int
    end: int
    noted: bool = False
    tone: int = 0  # see tag_tone


@dataclass(frozen=True, slots=True)
class Mark:
    """How a sentence is marked: its support kind ("all", "several", "single") and
    whether a discrepancy touches it."""

    kind: str
    conflict: bool = False

    def is_a(self, target: str) -> bool:
        """Is this a jump target: "shared", "single" or "conflict"?"""
        if target == "shared":
            return self.kind in ("all", "several")
        if target == "single":
            return self.kind == "single"
        return self.conflict
