"""Typed records the engine hands to every front end.

Offsets are the contract: every `start`/`end` here indexes into one
`Article.text`, the article's single canonical cleaned text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .discovery import IngestWarning


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Removed:
    """A line taken out of the body, kept so nothing is silently lost."""

    line: int  # 1-based line number in the source text
    text: str
    reason: str  # the rule's name, e.g. "promo", "read-time", "repeated-headline"


@dataclass(frozen=True, slots=True)
class Repair:
    """A change cleaning made inside the body; `original` keeps the text recoverable."""

    kind: str  # "glued-words", "repeated-fragment", "rejoined-sentence", "control-chars"
    original: str
    replacement: str
    offset: int  # where the replacement starts in Article.text


@dataclass(slots=True)
class Article:
    id: str
    title: str
    outlet: str
    date: dt.date | None
    url: str
    path: str
    text: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    removed: list[Removed] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    place: str = ""
    section: str = ""
    title_guessed: bool = False
    content_hash: str = ""
    raw: str = ""

    @property
    def source(self) -> str:
        """The outlet, or the file name when the outlet is unknown."""
        if self.outlet:
            return self.outlet
        name = self.path.rsplit("/", 1)[-1]
        return name.split("#", 1)[0]

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing `offset`, or the next one after it."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        return self.sentences[lo] if lo < len(self.sentences) else None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    title: str
    outlet: str
    source: str  # the outlet, or the file name when the outlet is unknown
    date: dt.date | None
    path: str
    start: int  # offsets of the matched passage in Article.text
    end: int
    snippet: str  # plain text of the passage window
    highlights: tuple[tuple[int, int], ...]  # matched words, offsets into `snippet`
    score: float
    kind: str  # "sentence" or "article"
    sentence: int | None = None
    snippet_start: int = 0  # where the snippet starts in Article.text (past `start` when clipped)

    def shown_snippet(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The snippet with "…" where it cuts its passage short (a clipped passage read as a
        whole quote), and its highlights moved to match."""
        before = self.snippet_start > self.start
        after = self.snippet_start + len(self.snippet) < self.end
        shift = 1 if before else 0
        text = ("…" if before else "") + self.snippet + ("…" if after else "")
        return text, tuple((s + shift, e + shift) for s, e in self.highlights)

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "title": self.title,
            "outlet": self.outlet,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "snippet": self.snippet,
            "snippet_start": self.snippet_start,
            "highlights": [list(h) for h in self.highlights],
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    total: int  # matching articles (or sentences); only those found so far while `counted` is False
    hits: list[SearchHit]
    counted: bool = True  # Library.search(count=False) may leave the total for Library.count

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list of articles shows, without loading their text."""

    id: str
    title: str
    outlet: str
    date: dt.date | None
    path: str
    file: str
    sentences: int

    @property
    def source(self) -> str:
        return self.outlet or Path(self.path.split("#", 1)[0]).name


@dataclass(slots=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[IngestWarning] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files in scope, in discovery order

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )
