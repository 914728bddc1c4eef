"""What a sentence is compared on: its content words (through the lexicon, stemmed),
its numbers, dates and times with the words around them, and the capitalised words
that may be names, with the context that says whether they are a person's."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..model import Article
from .lexicon import CONCEPT, FIRST_NAMES, MONTHS, NUMBER_WORDS, PLACES, STOP_WORDS, WEEKDAYS, paraphrase, us_spelling
from .model import Member

NUMBER_WORD_TERMS = True
COMMON_WORD_RANK = 20_000  # capitalised words more frequent than this are names only in a person's context
# A sentence is compared by this much of its text at most. News sentences are far shorter;
# a run-on "sentence" of 10 MB (text with no full stop) cost 6 s to compare, and its first
# characters say what it says as well as any (cut at a space: half a number is another number).
COMPARED_CHARS = 2_000
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,:]\d+)*")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
_VALUE_WORDS = WEEKDAYS | MONTHS | frozenset(NUMBER_WORDS)
_YEAR = re.compile(r"^(19|20)\d\d$")
_CHECKWORTHY = re.compile(r"\d|[\"“”]|\b(said|told|according|announced|reported|stated)\b", re.IGNORECASE)
# Words that stand before a person's name: what makes "Judge Marsh" a person, not a bog.
TITLES = frozenset("""
judge justice minister governor inspector president chairman chairwoman chair executive spokesman spokeswoman
spokesperson secretary leader economist professor mayor senator ambassador general colonel director manager
representative analyst official officer mr mrs ms dr sir lord lady king queen prince princess pope chancellor
premier commissioner sheriff detective sergeant captain coach striker midfielder defender goalkeeper player
""".split())
_TIME_WORDS = frozenset({"a.m", "p.m", "am", "pm"})


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    # Imported here: fulltext imports Whoosh, which a reader's first frame must not wait for.
    from ..fulltext import stem as stem_word

    return stem_word(word)


@lru_cache(maxsize=200_000)
def term(low: str) -> str:
    """The term a (lower-case) word is compared on: its concept in the lexicon, or its stem;
    in American spelling either way."""
    word = us_spelling(low)
    return CONCEPT.get(word) or CONCEPT.get(word.rstrip("s")) or paraphrase().get(word) or stem(word)


def _number(token: str) -> str | None:
    if _NUMBER.match(token):
        return token.replace(",", "")
    return str(NUMBER_WORDS[token.lower()]) if token.lower() in NUMBER_WORDS else None


@dataclass(frozen=True, slots=True)
class NameUse:
    """A capitalised word that may be a name, where it stands."""

    word: str  # without a possessive 's
    common: bool  # a common English word ("Marsh", "Brook"): a name only in a person's context
    person: bool  # after a first name, a title or another capitalised name: a person's surname
    first: bool  # followed by another capitalised name: a first name
    full: str  # the run of capitalised words it stands in ("Teodor Marsh")
    next_word: str  # the name after it, when `first`


@dataclass(slots=True)
class Sentence:
    member: Member
    index: int  # position in the article
    terms: frozenset[str]
    words: tuple[str, ...]  # the terms in order, repeats kept (4-grams count them)
    numbers: dict[str, set[str]]  # value -> neighbouring concepts (its "unit")
    names: set[str]  # words judged names on their own (not common words)
    name_uses: tuple[NameUse, ...]  # every capitalised candidate, judged per story
    checkworthy: bool
    written: dict[str, str]  # value key -> the value with its unit word, as written
    speaker: frozenset[str] = frozenset()  # terms naming who speaks (titles, people's names)


StorySentences = Mapping[int, Sentence]  # a story's sentences, by their number in the corpus


def features(article: Article, position: int, source: str) -> Sentence:
    sentence = article.sentences[position]
    text = article.text[sentence.start : sentence.end]
    compared = text
    if len(text) > COMPARED_CHARS:
        compared = text[: text.rfind(" ", 0, COMPARED_CHARS) + 1 or COMPARED_CHARS]
    tokens = _WORD.findall(compared)
    terms: list[str] = []
    numbers: dict[str, set[str]] = defaultdict(set)
    lowered = [t.lower().strip(".'’") for t in tokens]
    _join_places(tokens, lowered)
    uses = _name_uses(tokens)
    written: dict[str, str] = {}
    for at, (token, low) in enumerate(zip(tokens, lowered)):
        if not token:
            continue  # the second word of a joined place name
        maybe_value = token[0].isdigit() or low in _VALUE_WORDS
        value = _number(token) if maybe_value else None
        key = _value_key(tokens, lowered, at) if maybe_value else None
        if key is not None:
            numbers[key].update(_neighbours(lowered, at))
            written.setdefault(key, key.split(" ", 1)[1].title() if key.startswith("date") else _phrase(tokens, lowered, at))
        if _TIME.match(token):
            terms.append("@" + token.lstrip("0"))  # a clock time is as telling as a rare word
            continue
        if value is not None and token[0].isdigit():
            terms.append("#" + value)
            continue
        if value is not None and NUMBER_WORD_TERMS:
            terms.append("#" + value)  # "seven" votes and "7-2" share a term
        if low in STOP_WORDS or low in _TIME_WORDS or len(low) < 2:
            continue
        terms.append(term(low))
    names = {u.word for u in uses if not u.common}
    # who speaks is not what is said: titles and people's names ("Interior Minister Jan
    # Novak said") recur across the claims one person's words make
    people = {u.word.lower() for u in uses if u.person or u.first}
    speaker = frozenset(term(low) for low in people | (TITLES & set(lowered)))
    worthy = len(tokens) >= 6 and bool(_CHECKWORTHY.search(compared) or len(names) >= 2)
    member = Member(article.id, position, sentence.start, sentence.end, text, source)
    return Sentence(member, position, frozenset(terms), tuple(terms), dict(numbers), names, tuple(uses), worthy,
                    written, speaker & frozenset(terms))


def _join_places(tokens: list[str], lowered: list[str]) -> None:
    """Two-word place names become one concept ("United States" -> usa), in place."""
    for at in range(len(lowered) - 1):
        concept = PLACES.get((lowered[at], lowered[at + 1]))
        if concept:
            lowered[at], lowered[at + 1] = concept, ""
            tokens[at], tokens[at + 1] = concept, ""


def _bare(token: str) -> str:
    return re.sub(r"['’]s$", "", token.strip(".'’"))


def _capitalised(token: str) -> bool:
    return bool(token) and token[0].isupper() and any(c.islower() for c in token)


def _name_uses(tokens: list[str]) -> list[NameUse]:
    """Capitalised words that may be names. A sentence's first word is kept too (the
    story decides: "Lindqvist refused ..." is a name if Lindqvist is one elsewhere)."""
    from ..repairs import english_words

    known = english_words()
    uses = []
    for at, token in enumerate(tokens):
        if not _capitalised(token):
            continue
        word = _bare(token)
        low = word.lower()
        if len(word) < 4 or "-" in word or "." in word or low in STOP_WORDS or low in TITLES or low in CONCEPT:
            continue
        if low in FIRST_NAMES or low in MONTHS or low in WEEKDAYS:
            common = low in MONTHS or low in WEEKDAYS
        else:
            common = known.get(low, COMMON_WORD_RANK) < COMMON_WORD_RANK
        before = _bare(tokens[at - 1]) if at > 0 else ""
        after = _bare(tokens[at + 1]) if at + 1 < len(tokens) else ""
        # a surname: after a title ("Judge Marsh"), a first name, or a capitalised word no
        # dictionary knows ("Teodor Marsh"); a dictionary can only say what is a common word
        person = bool(before) and (before.lower() in TITLES or (
            _capitalised(before) and before.lower() not in STOP_WORDS
            and (before.lower() in FIRST_NAMES or _unknown(before, known))))
        first = _capitalised(after) and len(after) >= 3 and after.lower() not in STOP_WORDS and after.lower() not in TITLES
        run = [word]
        back = at - 1
        while back >= 0 and _capitalised(tokens[back]) and tokens[back].lower() not in STOP_WORDS \
                and tokens[back].lower().strip(".") not in TITLES:
            run.insert(0, _bare(tokens[back]))
            back -= 1
        if first:
            run.append(after)
        if at == 0 and not person:
            common = True  # a sentence's first word is capitalised anyway: the story decides
        uses.append(NameUse(word, common, person, first, " ".join(run), after if first else ""))
    return uses


def _unknown(word: str, known: Mapping[str, int]) -> bool:
    return known.get(word.lower(), COMMON_WORD_RANK) >= COMMON_WORD_RANK


def _value_key(tokens: list[str], lowered: list[str], at: int) -> str | None:
    """A comparable key for a number, date or time at `at`: "number 12", "time 4:12",
    "date friday", "date december 22", "date 2014"; None for other words."""
    token, low = tokens[at], lowered[at]
    if _TIME.match(token):
        return "time " + token.lstrip("0")
    if low in WEEKDAYS:
        return "date " + low
    if low in MONTHS and token[0].isupper():
        day = next((t for t in tokens[at + 1 : at + 2] + tokens[max(0, at - 2) : at] if t.isdigit() and int(t) <= 31), None)
        return f"date {low} {day}" if day else None
    value = _number(token)
    if value is None:
        return None
    if _YEAR.match(value):
        return "date " + value
    if token[0].isdigit() and value.isdigit() and int(value) <= 31 and MONTHS & {lowered[k] for k in (at - 1, at + 1) if 0 <= k < len(lowered)}:
        return None  # the day of a "December 22" date, keyed with its month
    return "number " + value


def _phrase(tokens: list[str], lowered: list[str], at: int) -> str:
    """The value with the word that says what it counts: "12 people", "magnitude 6.1"."""
    if lowered[at] in MONTHS or not tokens[at][0].isdigit() or ":" in tokens[at]:
        return tokens[at]
    for near in (at + 1, at - 1):
        if 0 <= near < len(tokens) and tokens[near] and lowered[near] not in STOP_WORDS and not tokens[near][0].isdigit():
            return f"{tokens[at]} {tokens[near]}" if near > at else f"{tokens[near]} {tokens[at]}"
    return tokens[at]


def _neighbours(lowered: list[str], at: int) -> set[str]:
    """The content words on either side of a number: its unit, roughly."""
    found = set()
    for step in (-1, 1, 2):
        near = at + step
        if 0 <= near < len(lowered) and lowered[near] not in STOP_WORDS and not lowered[near][:1].isdigit():
            parts = lowered[near].split("-")  # "6.4-magnitude": the part touching the number
            word = parts[-1] if step < 0 else parts[0]
            if word:
                found.add(term(word))
    return found
