"""Untrusted text made safe to print on a terminal or in JSON.

Article text, titles, outlets, notes, tags and file names all come from outside:
any of them may hold an escape sequence (an OSC that retitles the terminal),
a C1 control, a bidi override that reorders what is shown, or a lone surrogate
(a file name that is not valid UTF-8, which cannot even be encoded to print).
"""

from __future__ import annotations

import json
import re

# C0/C1 controls (tab and newline kept), DEL, bidi overrides, isolates and marks,
# line/paragraph separators, and lone surrogates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029\ud800-\udfff]")
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    return f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """`text` with every control, bidi or surrogate character shown as a visible escape
    (`\\x1b` as `\\u001b`, a non-UTF-8 file-name byte as `\\xff`); the rest unchanged."""
    return _UNSAFE.sub(_shown, str(text))


def printable_line(text: str) -> str:
    """`printable`, on one line: line breaks and tabs become spaces."""
    return printable(" ".join(str(text).split()))


def json_text(value: object, indent: int | None = 2) -> str:
    """JSON whose strings can hold nothing a terminal acts on: `json.dumps` already
    escapes C0 controls; C1 controls, bidi characters and lone surrogates are
    escaped here too (`\\u009b`, `\\u202e`). Only inside strings can they occur."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_same_length(text: str) -> str:
    """`text` with each unsafe character replaced by U+FFFD one-for-one, so offsets into
    it (highlights) stay valid."""
    return _UNSAFE.sub("\ufffd", str(text))
