"""Anchors that survive text changes, in the manner of W3C Web Annotation selectors.

An anchor keeps the article id, the character offsets (TextPositionSelector)
and the exact quote with some text before and after it (TextQuoteSelector).
When an article's text changes (re-scraped, re-cleaned by a newer Accord), a
passage is found again by offsets, then by the exact quote with its context,
then by a fuzzy match of the quote; what none of these finds is an orphan.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

CONTEXT = 32  # characters of prefix and suffix kept beside the quote
FUZZY_MIN_RATIO = 0.8  # how alike the found text must be to the quote (difflib ratio)
FUZZY_MIN_QUOTE = 12  # shorter quotes are only found exactly: too little to judge a near match
# Among near matches, how much the surroundings count: enough to keep a changed first or
# last word inside the span (dropping it would raise the bare ratio), never enough to
# accept a span whose text alone is not FUZZY_MIN_RATIO alike.
CONTEXT_WEIGHT = 0.1
_SHINGLE = 3  # words per probe when looking for where a changed quote now sits

How = Literal["offsets", "quote", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Anchor:
    article: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str

    @classmethod
    def at(cls, article: str, text: str, start: int, end: int) -> "Anchor":
        return cls(article, start, end, text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


@dataclass(frozen=True, slots=True)
class Placement:
    start: int
    end: int
    how: How


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote someone typed sits in `text`: exact, else with any run of
    whitespace matching any other (line breaks in the article, spaces in the quote)."""
    quote = quote.strip()
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def count_quote(text: str, quote: str, most: int = 99) -> int:
    """How many times `find_quote` finds the quote in `text` (overlaps counted), up to `most`."""
    count, at = 0, 0
    while count < most and (span := find_quote(text[at:], quote)) is not None:
        count, at = count + 1, at + span[0] + 1
    return count


def place(anchor: Anchor, text: str) -> Placement | None:
    """Where the anchored passage is in `text` today, or None for an orphan."""
    if text[anchor.start : anchor.end] == anchor.quote:
        return Placement(anchor.start, anchor.end, "offsets")
    found = _by_quote(anchor, text)
    if found is not None:
        return Placement(found, found + len(anchor.quote), "quote")
    span = _fuzzy(anchor, text)
    return Placement(*span, "fuzzy") if span else None


def _by_quote(anchor: Anchor, text: str) -> int | None:
    """The occurrence of the exact quote whose surroundings best match the stored
    context; among equals, the one nearest the old offset."""
    starts = [m.start() for m in re.finditer(re.escape(anchor.quote), text)] if anchor.quote else []
    if not starts:
        return None

    def rank(start: int) -> tuple[int, int]:
        before = _common_suffix(text[max(0, start - CONTEXT) : start], anchor.prefix)
        after = _common_prefix(text[start + len(anchor.quote) : start + len(anchor.quote) + CONTEXT], anchor.suffix)
        return -(before + after), abs(start - anchor.start)

    return min(starts, key=rank)


def _fuzzy(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """A changed quote: its unchanged word runs vote for where it starts now; the
    best-voted start is taken if the text there is close enough to the quote."""
    quote = anchor.quote
    if len(quote) < FUZZY_MIN_QUOTE:
        return None
    votes: Counter[int] = Counter()
    for offset, probe in _shingles(quote):
        for match in re.finditer(re.escape(probe), text):
            votes[match.start() - offset] += 1
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)  # difflib indexes its second sequence: once, not once per span
    tried: set[tuple[int, int]] = set()  # the top-voted starts are often a few characters apart
    best: tuple[float, int, int] | None = None
    for start, _ in votes.most_common(5):
        span = _best_span(text, max(0, start), anchor, matcher, tried, best[0] if best else 0.0)
        if span and (best is None or span[0] > best[0]):
            best = span
    return (best[1], best[2]) if best else None


def _shingles(quote: str) -> list[tuple[int, str]]:
    words = list(re.finditer(r"\S+", quote))
    if len(words) < _SHINGLE:
        return [(words[0].start(), quote[words[0].start() : words[-1].end()])] if words else []
    return [(words[i].start(), quote[words[i].start() : words[i + _SHINGLE - 1].end()]) for i in range(len(words) - _SHINGLE + 1)]


def _best_span(
    text: str, near: int, anchor: Anchor, matcher: SequenceMatcher, tried: set[tuple[int, int]], beat: float
) -> tuple[float, int, int] | None:
    """The word-bounded span starting near `near` that best matches the quote
    (`matcher.b`) and its stored context, scored ratio + CONTEXT_WEIGHT × context, if
    its ratio reaches FUZZY_MIN_RATIO and its score beats `beat`. A window that,
    aligned whole, shares too little with the quote is given up at once (a deleted
    passage costs one comparison, not hundreds), and a span whose cheap upper bounds
    (length, letters) cannot win is not compared in full."""
    quote = matcher.b
    slack = max(8, len(quote) // 4)
    matcher.set_seq1(text[max(0, near - slack) : near + len(quote) + 2 * slack])
    shared = sum(block.size for block in matcher.get_matching_blocks())
    if 2 * shared / (2 * len(quote) - slack) < FUZZY_MIN_RATIO:  # the shortest span has len(quote) - slack characters
        return None
    starts = _word_starts(text, near - slack, near + slack) or [near]
    best = None
    for start in starts:
        for end in _word_ends(text, start + len(quote) - slack, start + len(quote) + slack):
            if (start, end) in tried:
                continue
            tried.add((start, end))
            bar = max(FUZZY_MIN_RATIO, (best[0] if best else beat) - CONTEXT_WEIGHT)
            matcher.set_seq1(text[start:end])
            if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
                continue
            ratio = matcher.ratio()
            if ratio < FUZZY_MIN_RATIO:
                continue
            score = ratio + CONTEXT_WEIGHT * _context(text, start, end, anchor)
            if score > (best[0] if best else beat):
                best = (score, start, end)
    return best


def _context(text: str, start: int, end: int, anchor: Anchor) -> float:
    """How much of the stored prefix and suffix still surround [start, end), 0 to 1."""
    before = _common_suffix(text[max(0, start - CONTEXT) : start], anchor.prefix)
    after = _common_prefix(text[end : end + CONTEXT], anchor.suffix)
    return (before + after) / (2 * CONTEXT)


def _word_starts(text: str, lo: int, hi: int) -> list[int]:
    lo, hi = max(0, lo), min(len(text), hi)
    return [i for i in range(lo, hi) if not text[i].isspace() and (i == 0 or text[i - 1].isspace())]


def _word_ends(text: str, lo: int, hi: int) -> list[int]:
    lo, hi = max(1, lo), min(len(text), hi)
    return [i for i in range(lo, hi + 1) if not text[i - 1].isspace() and (i == len(text) or text[i].isspace())]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
