"""Search that understands claim state (`sources:>=3`, `single:yes`, `conflict:yes`)
and the analyst's annotations (`tag:policy`, `note:deterrence`).

The filters are taken out of the query; what is left goes to Whoosh as usual,
and the hits become the sentences that both match the words and pass the
filters. A query of filters alone lists every sentence that passes them.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from .annotations import AnnotationMap, SentenceNotes
from .errors import QueryError
from .library import Library, snippet_window
from .model import SearchHit, SearchResult
from .support import SentenceSupport, SupportMap

_FILTER = re.compile(r"(?<!\S)(sources|single|conflict|tag|note):(\S*)", re.IGNORECASE)
_ANNOTATION_FIELDS = {"tag", "note"}
_COMPARISON = re.compile(r"^(>=|<=|>|<|=)?(\d+)$")
_OPERATORS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq, "": operator.eq,
}
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
CANDIDATE_ARTICLES = 500  # articles whose sentences are checked for a filtered word query

Test = Callable[[SentenceSupport | None], bool]
NoteTest = Callable[[SentenceNotes | None], bool]


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    text: str  # the query without its filters
    tests: tuple[Test, ...]  # on claim support
    filters: tuple[str, ...]  # as typed, for messages
    note_tests: tuple[NoteTest, ...] = ()  # on the annotations covering a sentence

    @property
    def filtered(self) -> bool:
        return bool(self.tests or self.note_tests)

    def accepts(self, support: SentenceSupport | None, notes: SentenceNotes | None = None) -> bool:
        return all(test(support) for test in self.tests) and all(test(notes) for test in self.note_tests)


def has_filters(query: str) -> bool:
    return bool(_FILTER.search(query))


def parse(query: str) -> ClaimQuery:
    """Split claim filters from the rest; QueryError names a filter it cannot read."""
    tests: list[Test] = []
    note_tests: list[NoteTest] = []
    filters: list[str] = []
    for match in _FILTER.finditer(query):
        field_name, value = match.group(1).lower(), match.group(2).casefold()
        filters.append(match.group(0))
        if field_name in _ANNOTATION_FIELDS:
            if not value.lstrip("#"):
                raise QueryError(f"{field_name}: takes a word, as in tag:policy or note:deterrence")
            note_tests.append(_note_test(field_name, value.lstrip("#")))
        elif field_name == "sources":
            comparison = _COMPARISON.match(value)
            if not comparison:
                raise QueryError(f"sources: takes a count such as sources:3 or sources:>=3, not {match.group(0)!r}")
            compare, count = _OPERATORS[comparison.group(1) or ""], int(comparison.group(2))
            tests.append(lambda s, c=compare, n=count: c(s.support if s else 1, n))
        else:
            if value not in _YES | _NO:
                raise QueryError(f"{field_name}: takes yes or no, not {match.group(0)!r}")
            wanted = value in _YES
            if field_name == "single":
                tests.append(lambda s, w=wanted: (s is not None and s.claim is None) == w)
            else:
                tests.append(lambda s, w=wanted: (s is not None and s.conflict) == w)
    text = " ".join(_FILTER.sub(" ", query).split())
    return ClaimQuery(text, tuple(tests), tuple(filters), tuple(note_tests))


def _note_test(field_name: str, word: str) -> NoteTest:
    if field_name == "tag":
        return lambda notes: notes is not None and word in notes.tags
    return lambda notes: notes is not None and word in notes.notes.casefold()


def search(
    library: Library, support: SupportMap | None, query: str, limit: int = 20, notes: AnnotationMap | None = None,
) -> SearchResult:
    """`Library.search`, plus claim and annotation filters when the query has any.

    Claim filters need a claim report (`support`), annotation filters the placed
    annotations (`notes`); without them they are an error that says so, rather
    than a silently unfiltered answer.
    """
    parsed = parse(query)
    if not parsed.filtered:
        return library.search(query, limit=limit)
    if parsed.tests and support is None:
        raise QueryError(f"{parsed.filters[0]} needs the shared claims, which are not computed yet")
    if parsed.note_tests and notes is None:
        raise QueryError("tag: and note: need the annotations, which are not loaded yet")
    facts = _Facts(support, notes)
    hits: list[SearchHit] = []
    if parsed.text:
        ranked = library.search(parsed.text, limit=CANDIDATE_ARTICLES)
        ids = list(dict.fromkeys(hit.article for hit in ranked.hits))
        spans = library.match_spans(parsed.text, ids)
        scores = {hit.article: hit.score for hit in ranked.hits}
        for article_id in ids:
            hits.extend(_sentence_hits(library, facts, parsed, article_id, spans.get(article_id, ()), scores[article_id]))
    else:
        candidates = notes.articles() if parsed.note_tests and notes is not None else support.articles() if support else []
        for article_id in candidates:
            hits.extend(_sentence_hits(library, facts, parsed, article_id, None, 0.0))
        if support is not None:
            hits.sort(key=lambda h: -(support.get(h.article, h.sentence or 0) or _NONE).support)
    return SearchResult(query, len(hits), hits[:limit])


@dataclass(frozen=True, slots=True)
class _Facts:
    support: SupportMap | None
    notes: AnnotationMap | None

    def of(self, article: str, sentence: int) -> tuple[SentenceSupport | None, SentenceNotes | None]:
        return (self.support.get(article, sentence) if self.support else None,
                self.notes.get(article, sentence) if self.notes else None)


_NONE = SentenceSupport("single")


def _sentence_hits(
    library: Library, facts: _Facts, parsed: ClaimQuery, article_id: str,
    spans: tuple[tuple[int, int], ...] | None, score: float,
) -> list[SearchHit]:
    """The article's sentences that pass the filters (and hold a matched word, when
    there are words to match)."""
    article = library.find(article_id)
    if article is None:
        return []
    found = []
    for sentence in article.sentences:
        if not parsed.accepts(*facts.of(article_id, sentence.index)):
            continue
        inside = tuple(s for s in spans or () if sentence.start <= s[0] < sentence.end)
        if spans is not None and not inside:
            continue
        start, end = snippet_window(article.text, sentence.start, sentence.end, inside)
        found.append(SearchHit(
            article=article.id, title=article.title, outlet=article.outlet, source=article.source,
            date=article.date, path=article.path, start=sentence.start, end=sentence.end,
            snippet=article.text[start:end],
            highlights=tuple((max(s, start) - start, min(e, end) - start) for s, e in inside if s < end and e > start),
            score=score, kind="sentence", sentence=sentence.index, snippet_start=start,
        ))
    return found
