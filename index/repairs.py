"""Repairs for damage that scraping does inside paragraphs.

Every repair is reported with the original text, so nothing is lost:
- control characters and terminal escape sequences are stripped (article text
  is untrusted and must never drive the terminal);
- words glued together by lost markup (`USAafter`, `missilesspecific`) are
  split, but only when exactly one split into two known words exists;
- fragments repeated back to back (`security. security.`) are dropped.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from functools import lru_cache
from bisect import bisect_left
from itertools import accumulate, compress, count
from importlib import resources

# ANSI CSI/OSC/other escape sequences, then any remaining C0/C1 controls
# (tab and newline are kept), then bidi overrides and isolates that could
# reorder what the terminal shows.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # two-byte escapes and a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
    r"|[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


def strip_controls(text: str) -> tuple[str, int]:
    """Remove escape sequences and control characters; return (text, count removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    cleaned, count = _ESCAPES.subn("", text)
    return cleaned, count


@lru_cache(maxsize=1)
def english_words() -> dict[str, int]:
    """Known English words, mapped to their frequency rank (0 = most common).

    The list is the SymSpell English frequency dictionary (MIT licence), words only.
    """
    data = resources.files("accord.index").joinpath("data/english_words.txt.gz").read_bytes()
    words = gzip.decompress(data).decode("utf-8").split()
    return {word: rank for rank, word in enumerate(words)}


# Word pieces that look like words but are really prefixes or suffixes of
# compounds ("geo" + "political"); a split that yields one is not trusted.
_AFFIXES = {
    "anti", "auto", "bio", "co", "counter", "cyber", "eco", "geo", "inter", "intra",
    "macro", "mega", "micro", "mid", "multi", "non", "out", "over", "post", "pre",
    "pro", "re", "self", "semi", "sub", "super", "trans", "ultra", "un", "under",
    "ness", "less", "ship", "wide", "like", "ward", "wards", "hood", "ism", "ist",
    "ing", "ed", "er", "ers", "est", "ful", "able", "ible", "ment", "ments", "tion",
}
_COMMON_RANK = 30_000  # both halves of a split must be reasonably common words
# Two glued common words are rarely over 30 letters; a longer run of letters is
# never split (trying every cut of it is quadratic: 200 KB took 9 s).
_LONGEST_GLUED = 40
_ALPHA_RUN = re.compile(r"(?<![\w'’-])[A-Za-z]{7,}(?![\w'’-])")


@lru_cache(maxsize=100_000)  # the same rare words and names recur across a corpus
def split_glued(word: str) -> str | None:
    """`USAafter` -> `USA after`; `missilesspecific` -> `missiles specific`; else None."""
    if len(word) > _LONGEST_GLUED:
        return None
    vocab = english_words()
    lower = word.lower()
    if lower in vocab:
        return None
    acronym = re.fullmatch(r"([A-Z]{2,})([a-z]{3,})", word)
    if acronym:
        rest = acronym.group(2)
        return f"{acronym.group(1)} {rest}" if vocab.get(rest, _COMMON_RANK) < _COMMON_RANK else None
    if not word.islower():
        return None  # names and mixed case are left alone: "Lockheed", "McDonald"
    if _inflects_a_known_word(lower, vocab):
        return None  # "dockworker" where the list has "dockworkers": a word, not two
    splits = [
        (lower[:i], lower[i:])
        for i in range(3, len(lower) - 2)
        if vocab.get(lower[:i], _COMMON_RANK) < _COMMON_RANK
        and (vocab.get(lower[i:], _COMMON_RANK) < _COMMON_RANK or lower[i:] in _AFFIXES)
    ]
    # one way to cut it, into two words: "containership" is "container ship" as well
    # as "containers hip", so it is left alone
    if len(splits) != 1 or splits[0][0] in _AFFIXES or splits[0][1] in _AFFIXES:
        return None
    left, right = splits[0]
    if not _glued_across_words(left, right):
        return None
    return f"{left} {right}"


# Words that begin or end a phrase: glued to a neighbour, they are a scraping fault,
# never a compound ("batterieswhich", "theirweapons").
_FUNCTION_WORDS = frozenset("""
the and but for nor with from into onto over under after before while when where which who whom whose
that this these those their there them they then than what whether about above below between
against during without within through toward towards upon among amid since until
not was has had were will would could should can may might must said says are is been
""".split())


def _glued_across_words(left: str, right: str) -> bool:
    """Whether two known words run together are two words that lost the space between
    them rather than a closed compound the word list lacks ("carmaker", "paywall",
    "dockworker"). A compound joins a bare stem to a noun; a lost space leaves an
    inflected word on one side ("missilesspecific", "peopledied") or a function word
    ("couldnot", "batterieswhich"). Two bare nouns ("centralbank") look like a compound
    and are left as written."""
    inflected = (left.endswith("s") and not left.endswith("ss")) or left.endswith(("ed", "ing"))
    # a verb after the seam is a clause going on ("peopledied", "judgeruled"), not a compound's head
    return inflected or right.endswith(("ed", "ing")) or left in _FUNCTION_WORDS or right in _FUNCTION_WORDS


def _inflects_a_known_word(lower: str, vocab: dict[str, int]) -> bool:
    """The singular of a known plural, or the plural of a known singular."""
    forms = [lower + "s", lower + "es"] + ([lower[:-1]] if lower.endswith("s") else [])
    return any(form in vocab for form in forms)


# Single words that are legitimately doubled in English prose.
_LEGIT_DOUBLES = {"had", "that", "very", "bye", "no", "yes", "ha", "so", "is"}
_REPEAT = re.compile(r"(?<!\S)(\S+(?:\s+\S+){0,7}?)\s+\1(?!\S)")


def _is_repeat_worth_dropping(fragment: str) -> bool:
    words = fragment.split()
    if len(words) == 1:
        bare = words[0].strip(".,;:!?\"'“”‘’").lower()
        return bool(bare) and bare not in _LEGIT_DOUBLES and not bare.isdigit()
    return True


RepairEvent = tuple[int, str, str, str]  # (offset in repaired text, kind, original, replacement)


def repair_paragraph(text: str) -> tuple[str, list[RepairEvent]]:
    """Split glued words, then drop back-to-back repeated fragments.

    Returns the repaired text and its repair events, in text order.
    """
    glued, glue_events = _split_glued_words(text)
    repaired, dropped, drop_events = _drop_repeats(glued)
    # characters dropped before each drop point, so shifting one event is a bisect, not a sum
    # over every drop (thousands of repairs in one paragraph made that quadratic)
    drop_starts = [at for at, _ in dropped]
    dropped_before = list(accumulate((length for _, length in dropped), initial=0))

    def shifted(offset: int) -> int:
        return offset - dropped_before[bisect_left(drop_starts, offset)]

    events = [(shifted(offset), kind, old, new) for offset, kind, old, new in glue_events]
    return repaired, sorted(events + drop_events)


def _split_glued_words(text: str) -> tuple[str, list[RepairEvent]]:
    parts: list[str] = []
    events: list[RepairEvent] = []
    position = length = 0
    for match in _ALPHA_RUN.finditer(text):
        split = split_glued(match.group())
        if split is None:
            continue
        parts.append(text[position : match.start()])
        length += match.start() - position
        events.append((length, "glued-words", match.group(), split))
        parts.append(split)
        length += len(split)
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), events


_WORD = re.compile(r"\S+")
_LONGEST_REPEAT = 8  # words, as in _REPEAT
# A paragraph where more than this share of the words start a repeat is not a page with a
# scraping fault but text made of repetition (a word written a million times): it is kept
# as written. Dropping its repeats one pair at a time cost 9 s and 625k events for 10 MB.
REPEATING_SHARE = 0.1
_FEW_REPEATS = 1000  # a paragraph with at most this many is always repaired


def _repeat_matches(text: str) -> Iterator[re.Match[str]]:
    """What `_REPEAT.finditer(text)` yields, without running the backtracking
    pattern at every word: only where some run of words is immediately
    repeated (a necessary condition, checked on the same whitespace-split
    words the pattern uses). Nothing for a paragraph of repetition (REPEATING_SHARE)."""
    words = text.split()
    most = max(_FEW_REPEATS, int(len(words) * REPEATING_SHARE))
    candidates: set[int] = set()
    for size in range(1, _LONGEST_REPEAT + 1):
        for at in compress(count(), map(str.__eq__, words, words[size:])):
            if words[at : at + size] == words[at + size : at + 2 * size]:
                candidates.add(at)
                if len(candidates) > most:
                    return
    if not candidates:
        return
    starts = [match.start() for match in _WORD.finditer(text)]
    position = 0
    for at in sorted(candidates):
        if starts[at] >= position and (match := _REPEAT.match(text, starts[at])):
            yield match
            position = match.end()


def _drop_repeats(text: str) -> tuple[str, list[tuple[int, int]], list[RepairEvent]]:
    """Return (text, [(offset in input, chars dropped)], events)."""
    parts: list[str] = []
    dropped: list[tuple[int, int]] = []
    events: list[RepairEvent] = []
    position = length = 0
    for match in _repeat_matches(text):
        fragment = match.group(1)
        if not _is_repeat_worth_dropping(fragment):
            continue
        keep_end = match.start() + len(fragment)
        parts.append(text[position:keep_end])
        length += keep_end - position
        events.append((length, "repeated-fragment", text[keep_end : match.end()], ""))
        dropped.append((keep_end, match.end() - keep_end))
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), dropped, events
