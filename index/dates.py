"""Lenient date parsing for the dates news pages carry."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_MONTH_FIRST = re.compile(r"(?:\w+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(?:\w+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """Parse `2023-12-23`, `23.12.2023`, `December 23, 2023`, `Sat, 23 Dec 2023`; else None."""
    text = text.strip()
    try:
        if match := _ISO.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY_NUMERIC.fullmatch(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if (match := _MONTH_FIRST.fullmatch(text)) and match[1].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
        if (match := _DAY_FIRST.fullmatch(text)) and match[2].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    except ValueError:
        return None  # 2023-02-31 and friends
    return None
