"""Untrusted text made inert inside a Markdown document.

Article text and analysts' notes go into briefings that people open on GitHub,
in Obsidian or any CommonMark viewer; nothing in them may start a heading, a
quote, a list, a footnote, a table, a code block, a link or raw HTML. Every
character that could is backslash-escaped (CommonMark lets any ASCII
punctuation be escaped), and only those, so the Markdown stays readable.
"""

from __future__ import annotations

import re

from .safe_text import printable_same_length

_INLINE = re.compile(r"([\\`*_\[\]<>#|!~&$])")
_OBSIDIAN_COMMENT = re.compile(r"%(?=%)|(?<=%)%")  # %% hides text in Obsidian: escape both, so no %% is left
_BULLET = re.compile(r"^([-+=])")  # a list item or a setext heading underline
_ORDERED = re.compile(r"^(\d+)([.)])")  # an ordered list item
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def inline(text: str) -> str:
    """One line of literal text (line breaks become spaces). Controls and bidi characters
    become U+FFFD: a briefing shown with `cat` must not drive the terminal either."""
    escaped = _OBSIDIAN_COMMENT.sub(r"\\%", _INLINE.sub(r"\\\1", printable_same_length(" ".join(text.split()))))
    return _ORDERED.sub(r"\1\\\2", _BULLET.sub(r"\\\1", escaped))


def lines(text: str) -> list[str]:
    """Multi-line literal text as Markdown lines: single line breaks kept as hard
    breaks, blank lines as paragraph breaks, leading indentation dropped (it
    would start a code block)."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        rows = [inline(row) for row in paragraph.splitlines() if row.strip()]
        if not rows:
            continue
        if out:
            out.append("")
        out.extend(row + "\\" for row in rows[:-1])  # a trailing backslash is a hard line break
        out.append(rows[-1])
    return out


def url(value: str) -> str:
    """An http(s) URL as an autolink; anything else as inert text."""
    return f"<{value}>" if _SAFE_URL.match(value) else inline(value)
