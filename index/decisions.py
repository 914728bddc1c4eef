"""The analyst's corrections to claim detection: confirm a link, reject it, link by hand.

A decision names its two sentences by article id, exact text and offset (not by
sentence number), so it still finds them after an article is re-cleaned; one
whose sentence is gone is reported as stale, never silently applied elsewhere.
The decisions themselves live in the workspace store (`store.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import Article

Verdict = Literal["confirm", "reject", "link"]
VERDICTS: tuple[Verdict, ...] = ("confirm", "reject", "link")


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """A sentence as the analyst saw it."""

    article: str
    start: int
    text: str

    @classmethod
    def of(cls, article: Article, sentence: int) -> "SentenceRef":
        s = article.sentences[sentence]
        return cls(article.id, s.start, article.text[s.start : s.end])


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """`confirm` and `link` join two sentences into one claim; `reject` keeps them apart."""

    a: SentenceRef
    b: SentenceRef
    verdict: Verdict
    id: int = 0  # the store's row id; 0 before it is saved

    @property
    def joins(self) -> bool:
        return self.verdict != "reject"


def resolve(article: Article, ref: SentenceRef) -> int | None:
    """The sentence `ref` names in `article` today: at its offset if the text is still
    there, else the sentence with exactly that text; None when it is gone."""
    if ref.article != article.id:
        return None
    at = article.sentence_at(ref.start)
    if at is not None and article.text[at.start : at.end] == ref.text:
        return at.index
    matches = [s.index for s in article.sentences if article.text[s.start : s.end] == ref.text]
    if matches:
        return min(matches, key=lambda i: abs(article.sentences[i].start - ref.start))
    return None
