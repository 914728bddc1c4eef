"""The analyst's annotations: a passage of an article, its tags and a Markdown note.

Annotations live in the workspace store (`store.py`); this module holds their
shape, tag spelling, and where each one sits in today's text of its article
(`locate`): placed, or an orphan when its passage cannot be found again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .anchoring import Anchor, Placement, place
from .errors import AccordError
from .model import Article

_TAG_SEPARATORS = re.compile(r"[,\s]+")
_TAG_ALLOWED = re.compile(r"^[\w][\w./:+-]*$")


@dataclass(frozen=True, slots=True)
class Annotation:
    id: int  # the store's row id; 0 before it is saved
    anchor: Anchor
    tags: tuple[str, ...] = ()
    note: str = ""
    created: str = ""  # ISO 8601 UTC, set by the store
    updated: str = ""

    @property
    def article(self) -> str:
        return self.anchor.article


@dataclass(frozen=True, slots=True)
class Placed:
    """An annotation found in the current text of its article."""

    annotation: Annotation
    start: int
    end: int
    how: str  # "offsets", "quote" or "fuzzy": how the anchor was found again

    @property
    def id(self) -> int:
        return self.annotation.id


@dataclass(frozen=True, slots=True)
class Orphan:
    annotation: Annotation
    reason: str  # e.g. "passage not found", "article no longer in the workspace"


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags as typed: separated by commas or spaces, '#' optional, case folded;
    duplicates dropped, order kept. AccordError names a tag it cannot accept."""
    tags: list[str] = []
    for raw in _TAG_SEPARATORS.split(text):
        tag = raw.lstrip("#").casefold()
        if not tag:
            continue
        if not _TAG_ALLOWED.match(tag):
            raise AccordError(f"{raw!r} is not a tag: use letters, digits and - _ . / : +")
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def locate(
    annotations: Iterable[Annotation], article: Callable[[str], Article | None]
) -> tuple[list[Placed], list[Orphan]]:
    """Place each annotation in today's text of its article (`article(id)` returns
    None for one that is gone); what cannot be placed is an orphan, never dropped."""
    placed: list[Placed] = []
    orphans: list[Orphan] = []
    texts: dict[str, Article | None] = {}
    for annotation in annotations:
        if annotation.article not in texts:
            texts[annotation.article] = article(annotation.article)
        current = texts[annotation.article]
        if current is None:
            orphans.append(Orphan(annotation, "article no longer in the workspace"))
            continue
        where: Placement | None = place(annotation.anchor, current.text)
        if where is None:
            orphans.append(Orphan(annotation, "passage not found in the article's current text"))
        else:
            placed.append(Placed(annotation, where.start, where.end, where.how))
    placed.sort(key=lambda p: (p.annotation.article, p.start, p.id))
    return placed, orphans


def sentences_covered(article: Article, start: int, end: int) -> range:
    """Indices of the sentences a passage touches."""
    first = article.sentence_at(start)
    if first is None or first.start >= end:  # a passage in the gap between sentences touches none
        return range(0)
    last = first.index
    while last + 1 < len(article.sentences) and article.sentences[last + 1].start < end:
        last += 1
    return range(first.index, last + 1)


@dataclass(frozen=True, slots=True)
class SentenceNotes:
    """What the annotations covering one sentence say: their tags and notes."""

    tags: frozenset[str]
    notes: str


class AnnotationMap:
    """(article id, sentence index) -> SentenceNotes, for search's tag: and note: filters."""

    def __init__(self, placed: Iterable[Placed], article: Callable[[str], Article | None]) -> None:
        tags: dict[tuple[str, int], set[str]] = {}
        notes: dict[tuple[str, int], list[str]] = {}
        for item in placed:
            found = article(item.annotation.article)
            if found is None:
                continue
            for index in sentences_covered(found, item.start, item.end):
                key = (found.id, index)
                tags.setdefault(key, set()).update(item.annotation.tags)
                notes.setdefault(key, []).append(item.annotation.note)
        self._by_sentence = {key: SentenceNotes(frozenset(tags[key]), "\n".join(notes[key])) for key in tags}
        self._articles = list(dict.fromkeys(article_id for article_id, _ in self._by_sentence))

    def get(self, article: str, sentence: int) -> SentenceNotes | None:
        return self._by_sentence.get((article, sentence))

    def articles(self) -> list[str]:
        return self._articles
