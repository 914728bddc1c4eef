"""A small rule-based sentence segmenter for news prose.

It knows the traps of news text: titles (`Mr.`), dotted acronyms (`U.S.`),
initials (`J. Smith`), decimals (`3.5`), and sentence ends inside closing
quotes. Segmentation runs per paragraph, so a paragraph end is always a
boundary. Quality is measured on the seeds in tests/test_sentences.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Abbreviations after which a period does not end a sentence when a name or
# noun follows. Compared case-insensitively, without the final period.
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr",
    "adm", "sgt", "cpl", "sen", "rep", "gov", "pres", "supt", "rev", "fr", "st",
    "hon", "amb", "messrs", "mmes", "pvt", "insp",
}
_ABBREVIATIONS = _TITLES | {
    "jr", "sr", "inc", "ltd", "co", "corp", "bros", "vs", "etc", "no", "nos",
    "vol", "fig", "al", "approx", "dept", "est", "govt", "mt", "ft", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    "p", "pp", "cf", "ca", "op", "ed", "eds",
}
# Words that start a new sentence after a dotted acronym such as "U.S.".
_SENTENCE_STARTERS = {
    "the", "a", "an", "it", "its", "this", "that", "these", "those", "he",
    "she", "they", "we", "i", "you", "but", "and", "or", "so", "yet", "in",
    "on", "at", "for", "as", "if", "when", "while", "after", "before",
    "however", "meanwhile", "there", "his", "her", "their", "our", "some",
    "many", "most", "all", "no", "not", "one", "two", "three", "officials",
    "according", "earlier", "later", "last", "next", "since", "with", "without",
}

# A candidate boundary: terminal punctuation, optional closing quotes or
# brackets, then whitespace, then what may start a sentence.
# The look-behind starts a candidate only at the first mark of a run: tried at every mark of
# "!!!!…", the greedy run backtracked to its end each time (300 KB of "!" took minutes).
_CANDIDATE = re.compile(
    r"""(?<![.!?…])[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])"""
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’-]*)$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘«(\[]?([\w’'-]+)")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) spans of sentences in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    cursor = start
    for match in _CANDIDATE.finditer(text, start, end):
        if not _is_boundary(text, match, end):
            continue
        span = _trim(text, cursor, match.end())
        if span:
            yield span
        cursor = match.end()
    span = _trim(text, cursor, end)
    if span:
        yield span


def _is_boundary(text: str, match: re.Match[str], end: int) -> bool:
    punct = match.group()
    if not punct.startswith("."):
        return True  # ! ? … always end a sentence before a capital
    if punct.startswith(".."):
        return True
    before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if not before:
        return True  # "42." or ")." : numbers and brackets end sentences
    word = before.group(1)
    bare = word.rstrip(".").lower()
    next_word = _NEXT_WORD.match(text, match.end(), end)
    following = next_word.group(1) if next_word else ""
    if bare in _TITLES:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. Smith"
    if "." in word.strip("."):
        # Dotted acronym like "U.S." ends a sentence only before a typical starter.
        return following.lower() in _SENTENCE_STARTERS
    if bare in _ABBREVIATIONS:
        return following.lower() in _SENTENCE_STARTERS and bare not in {"no", "p", "pp", "op"}
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
