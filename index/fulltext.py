"""The Whoosh full-text index. Every Whoosh call in Accord lives in this module,
so moving to another fork or engine is a local change.

One Whoosh document per article. The body is indexed with character
positions, so a hit's matched words are located without re-tokenising the
text; `accord.index.library` maps them onto sentences.

Whoosh quirks handled here (measured on this machine, see the README):
- Snowball English stemming (the built-in Porter stems `negotiate` and
  `negotiating` differently);
- no stop-word filter, so `"countries at war"` is the exact phrase;
- wildcard text is never sent through the stemmer (`cos*` stays `cos*`), and
  a prefix expands to at most `EXPANSION_LIMIT` of its most frequent words;
- commits do not merge segments (`merge=False`), merging is done once at the
  end of a large import.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import itertools
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import fields, index, qparser, query
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.index import LockError
from whoosh.qparser.dateparse import DateParserPlugin

from .errors import IndexBusy, QueryError
from .model import Article

SCHEMA_VERSION = 1
EXPANSION_LIMIT = 64  # words a prefix or wildcard may expand to
EXPANSION_SCAN = 4096  # lexicon entries looked at before choosing the most frequent
LOCK_TIMEOUT = 5.0  # seconds to wait for another Accord process's writer


class WildcardSafeStemFilter(StemFilter):
    """Stems words but leaves wildcard patterns (`cos*`, `te?t`) as typed."""

    def __call__(self, tokens):
        stem = self._stem
        for token in tokens:
            if not token.stopped and "*" not in token.text and "?" not in token.text:
                token.text = stem(token.text)
            yield token


def _analyzer(stem: bool):
    chain = RegexTokenizer() | LowercaseFilter()
    return chain | WildcardSafeStemFilter(lang="en", cachesize=100_000) if stem else chain


def make_schema() -> fields.Schema:
    stemmed = _analyzer(stem=True)
    plain = _analyzer(stem=False)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        file=fields.ID(stored=True),  # the source file, for incremental deletes and scoping
        title=fields.TEXT(analyzer=stemmed, field_boost=2.0, chars=True),
        outlet=fields.TEXT(analyzer=plain),
        date=fields.DATETIME(),
        body=fields.TEXT(analyzer=stemmed, chars=True),
        tag=fields.KEYWORD(lowercase=True, commas=True, scorable=True),  # annotations
        note=fields.TEXT(analyzer=stemmed),  # annotations
    )


@dataclass(frozen=True, slots=True)
class RawHit:
    article: str
    score: float
    spans: tuple[tuple[int, int], ...]  # matched words in the body, sorted by start


@dataclass(frozen=True, slots=True)
class RawResult:
    total: int
    hits: list[RawHit]


class CappedPrefix(query.Prefix):
    """A prefix query that expands to the most frequent matching words only."""

    def _btexts(self, ixreader):
        return _capped(self, super()._btexts(ixreader), ixreader)


class CappedWildcard(query.Wildcard):
    def _btexts(self, ixreader):
        return _capped(self, super()._btexts(ixreader), ixreader)


def _capped(q: query.PatternQuery, btexts: Iterable[bytes], ixreader) -> list[bytes]:
    candidates = list(itertools.islice(btexts, EXPANSION_SCAN))
    if len(candidates) <= EXPANSION_LIMIT:
        return candidates
    return heapq.nlargest(EXPANSION_LIMIT, candidates, key=lambda b: ixreader.doc_frequency(q.fieldname, b))


def _cap_expansions(q: query.Query) -> query.Query:
    if isinstance(q, query.Prefix) and not isinstance(q, CappedPrefix):
        return CappedPrefix(q.fieldname, q.text, boost=q.boost)
    if isinstance(q, query.Wildcard) and not isinstance(q, CappedWildcard):
        return CappedWildcard(q.fieldname, q.text, boost=q.boost)
    return q.apply(_cap_expansions) if q.is_leaf() is False else q


class FullTextIndex:
    """A Whoosh index in one folder; rebuilt from scratch when its schema changes or it is corrupt."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rebuilt = False
        self._ix = self._open_or_create()
        self._parser = self._make_parser()
        self._searcher = None

    # Opening ---------------------------------------------------------------------

    def _open_or_create(self):
        version_file = self.folder / "schema-version"
        try:
            if index.exists_in(str(self.folder)) and version_file.read_text().strip() == str(SCHEMA_VERSION):
                ix = index.open_dir(str(self.folder))
                with ix.searcher() as searcher:
                    searcher.doc_count()  # touches the segment files: a corrupt index fails here
                return ix
        except Exception:  # noqa: BLE001  any failure to open means: rebuild the cache
            pass
        return self._create(version_file)

    def _create(self, version_file: Path):
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        ix = index.create_in(str(self.folder), make_schema())
        version_file.write_text(f"{SCHEMA_VERSION}\n")
        self.rebuilt = True
        return ix

    def reset(self) -> None:
        """Throw the index away and start an empty one."""
        self.close()
        self._ix = self._create(self.folder / "schema-version")

    def _make_parser(self) -> qparser.QueryParser:
        parser = qparser.MultifieldParser(["title", "body"], self._ix.schema, group=qparser.AndGroup)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(DateParserPlugin(free=False))
        parser.add_plugin(qparser.GtLtPlugin())
        return parser

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    # Writing -----------------------------------------------------------------------

    def writer(self) -> "IndexWriter":
        try:
            return IndexWriter(self._ix.writer(timeout=LOCK_TIMEOUT))
        except LockError:
            raise IndexBusy(
                f"another Accord process is writing the index in {self.folder}; try again when it has finished"
            ) from None

    def doc_count(self) -> int:
        return self._current_searcher().doc_count()

    def segment_count(self) -> int:
        return len(self._ix._segments())

    def optimize(self) -> None:
        """Merge segments (slow on big indexes: call from a worker or at the end of an import)."""
        with self.writer() as w:
            w.merge = True

    # Searching -----------------------------------------------------------------------

    def _current_searcher(self):
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def parse(self, text: str) -> query.Query:
        """Parse the Whoosh query language; raise QueryError with a one-line reason."""
        if text.count('"') % 2:
            raise QueryError(f"unclosed quote in {text!r}")
        try:
            parsed = self._parser.parse(_iso_dates_for_whoosh(text))
        except Exception as error:  # noqa: BLE001  Whoosh raises assorted errors for bad syntax
            hint = " (dates look like 2023-12-23, 2023-12 or [2023-12-01 to 2023-12-31])" if "date:" in text else ""
            raise QueryError(f"cannot understand {text!r}: {error}{hint}") from None
        for leaf in _leaves(parsed):
            if getattr(leaf, "error", None):
                raise QueryError(f"cannot understand {text!r}: {leaf.error}")
        return _cap_expansions(parsed)

    def search(self, text: str, limit: int = 20, files: Iterable[str] | None = None) -> RawResult:
        """Ranked article hits with the character spans of their matched body words."""
        q = self.parse(text)
        searcher = self._current_searcher()
        scope = _scope_filter(files)
        try:
            results = searcher.search(q, limit=limit, terms=True, filter=scope)
        except (ValueError, TypeError) as error:
            raise QueryError(f"cannot run {text!r}: {error}") from None
        spans = _matched_spans(searcher, results)
        hits = [
            RawHit(hit["id"], float(hit.score), tuple(sorted(spans.get(hit.docnum, ()))))
            for hit in results
        ]
        return RawResult(len(results), hits)


    def spans(self, text: str, article_ids: Iterable[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        """Where the query's words occur in the body of each given article (those that match)."""
        ids = list(article_ids)
        if not ids:
            return {}
        q = self.parse(text)
        searcher = self._current_searcher()
        scope = query.Or([query.Term("id", i) for i in ids])
        try:
            results = searcher.search(q, limit=len(ids), terms=True, filter=scope)
        except (ValueError, TypeError) as error:
            raise QueryError(f"cannot run {text!r}: {error}") from None
        spans = _matched_spans(searcher, results)
        return {hit["id"]: tuple(sorted(spans.get(hit.docnum, ()))) for hit in results}


_DATE_TERM = re.compile(r"(\bdate:)(\[[^\]]*\]|\S+)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _iso_dates_for_whoosh(text: str) -> str:
    """`date:2023-12-23` -> `date:20231223`: Whoosh's date parser wants digits only."""

    def compact(match: re.Match[str]) -> str:
        return match.group(1) + _ISO_DATE.sub(lambda d: "".join(p for p in d.groups() if p), match.group(2))

    return _DATE_TERM.sub(compact, text)


def _scope_filter(files: Iterable[str] | None) -> query.Query | None:
    if files is None:
        return None
    return query.Or([query.Term("file", f) for f in files]) if files else query.NullQuery


def _leaves(q: query.Query) -> Iterator[query.Query]:
    yield q
    if not q.is_leaf():
        for child in q.children():
            yield from _leaves(child)


def _matched_spans(searcher, results) -> dict[int, list[tuple[int, int]]]:
    """docnum -> character spans of matched body terms, read from stored positions."""
    if not results.has_matched_terms():
        return {}
    wanted = sorted(hit.docnum for hit in results)
    spans: dict[int, list[tuple[int, int]]] = {docnum: [] for docnum in wanted}
    for fieldname, btext in results.matched_terms():
        if fieldname != "body":
            continue
        docset = set(results.termdocs[(fieldname, btext)])
        matcher = searcher.postings(fieldname, btext)
        for docnum in wanted:
            if docnum in docset:
                matcher.skip_to(docnum)
                if matcher.id() == docnum:
                    spans[docnum].extend((start, end) for _, start, end in matcher.value_as("characters"))
    return spans


class IndexWriter:
    """Adds and removes articles; commits without merging unless asked to."""

    def __init__(self, writer) -> None:
        self._writer = writer
        self.merge = False

    def __enter__(self) -> "IndexWriter":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self._writer.commit(merge=self.merge)
        else:
            self._writer.cancel()

    def remove_file(self, file: str) -> None:
        self._writer.delete_by_term("file", file)

    def add(self, article: Article, file: str) -> None:
        date = dt.datetime.combine(article.date, dt.time()) if article.date else None
        document = dict(id=article.id, file=file, title=article.title, body=article.text)
        if article.outlet:
            document["outlet"] = article.outlet
        if date:
            document["date"] = date
        self._writer.add_document(**document)
