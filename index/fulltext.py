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
  a prefix expands to at most `EXPANSION_LIMIT` of its most frequent words,
  matched as one constant-score document list;
- phrases compare word positions directly instead of Whoosh's span objects;
- matched words are read after ranking, for the shown hits only (not with
  `terms=True` for every match); prefix and phrase matches are cached per
  segment, because Whoosh runs the query again to count the hits;
- commits do not merge segments (`merge=False`); small segments are merged
  once at the end of a large import.
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

from whoosh import fields, index, matching, qparser, query
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.index import LockError
from whoosh.qparser.dateparse import DateParserPlugin

from .errors import IndexBusy, QueryError
from .model import Article
from .schema import SCHEMA_VERSION

EXPANSION_LIMIT = 64  # words a prefix or wildcard may expand to
EXPANSION_SCAN = 1024  # lexicon entries looked at before choosing the most frequent
LOCK_TIMEOUT = 5.0  # seconds to wait for another Accord process's writer


_STEMS: dict[str, str] = {}  # module level, so it is never pickled into the index's schema
_STEMS_MAX = 500_000


class WildcardSafeStemFilter(StemFilter):
    """Stems words but leaves wildcard patterns (`cos*`, `te?t`) as typed.

    A plain dict in front of Whoosh's own stem cache: its LFU wrapper was a
    tenth of the indexing time.
    """

    def __call__(self, tokens):
        stems, stem = _STEMS, self._stem
        for token in tokens:
            if not token.stopped:
                text = token.text
                stemmed = stems.get(text)
                if stemmed is None:
                    if "*" in text or "?" in text:
                        yield token
                        continue
                    if len(stems) >= _STEMS_MAX:
                        stems.clear()
                    stemmed = stems[text] = stem(text)
                token.text = stemmed
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


class _CappedExpansion:
    """Expands to the most frequent matching words only, and matches as one
    constant-score list of documents: Whoosh's default (a scored union of up to
    `EXPANSION_LIMIT` term matchers) made `con*` cost hundreds of milliseconds."""

    def _btexts(self, ixreader):
        cache = self.__dict__.setdefault("_expansion_cache", {})
        key = (id(ixreader), self.fieldname)
        if key not in cache:  # Whoosh asks for the expansion many times per search
            cache[key] = _capped(self, ixreader)
        return cache[key]

    def _docnums(self, reader) -> list[int]:
        cache = self.__dict__.setdefault("_docnum_cache", {})
        key = (id(reader), self.fieldname)
        if key not in cache:  # counting the hits runs the query a second time
            docnums: set[int] = set()
            for btext in self._btexts(reader):
                docnums.update(reader.postings(self.fieldname, btext).all_ids())
            cache[key] = sorted(docnums)
        return cache[key]

    def estimate_size(self, ixreader) -> int:
        return len(self._docnums(ixreader))

    estimate_min_size = estimate_size

    def matcher(self, searcher, context=None):
        docnums = self._docnums(searcher.reader())
        return matching.ListMatcher(docnums, all_weights=self.boost) if docnums else matching.NullMatcher()


class CappedPrefix(_CappedExpansion, query.Prefix):
    pass


class CappedWildcard(_CappedExpansion, query.Wildcard):
    pass


def _capped(q: query.PatternQuery, ixreader) -> list[bytes]:
    """The pattern's words, the `EXPANSION_LIMIT` most frequent when there are more.

    Frequencies come with the lexicon scan itself (one sequential read) rather
    than one lookup per candidate word.
    """
    literal = q.text if isinstance(q, query.Prefix) else q._find_prefix(q.text)
    candidates = ixreader.iter_prefix(q.fieldname, literal)
    if not isinstance(q, query.Prefix):
        pattern = re.compile(q._get_pattern())
        candidates = ((b, info) for b, info in candidates if pattern.match(b.decode("utf-8")))
    scanned = list(itertools.islice(candidates, EXPANSION_SCAN))
    if len(scanned) > EXPANSION_LIMIT:
        scanned = heapq.nlargest(EXPANSION_LIMIT, scanned, key=lambda item: item[1].doc_frequency())
    return [btext for btext, _ in scanned]


class ExactPhrase(query.Phrase):
    """A phrase matched by comparing word positions directly.

    Whoosh's span machinery builds objects for every occurrence of every
    word; on a phrase of common words ("the U.S.") that took ~100 ms at 1k
    articles. Here the rarest word's documents are intersected with the
    others' and each candidate's positions are compared as sets. The score is
    the phrase's saturated frequency, like BM25's term-frequency part.
    """

    def matcher(self, searcher, context=None):
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        cache = self.__dict__.setdefault("_match_cache", {})
        key = id(searcher.reader())  # counting the hits runs the query again on the same readers
        if key not in cache:
            cache[key] = self._matches(searcher.reader())
        docnums, weights = cache[key]
        return matching.ListMatcher(docnums, weights) if docnums else matching.NullMatcher()

    def _matches(self, reader) -> tuple[list[int], list[float]]:
        """The documents holding the phrase, and a score for each."""
        field = reader.schema[self.fieldname]
        try:
            words = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return [], []
        if any((self.fieldname, word) not in reader for word in words):
            return [], []
        distinct = sorted(set(words), key=lambda w: reader.doc_frequency(self.fieldname, w))
        candidates = set(reader.postings(self.fieldname, distinct[0]).all_ids())
        for word in distinct[1:]:
            if not candidates:
                break
            candidates.intersection_update(reader.postings(self.fieldname, word).all_ids())
        if not candidates:
            return [], []
        docnums, weights = [], []
        order = sorted(candidates)
        matchers = {word: reader.postings(self.fieldname, word) for word in distinct}
        for docnum in order:
            positions = {}
            for word, matcher in matchers.items():
                matcher.skip_to(docnum)
                positions[word] = set(matcher.value_as("positions"))
            starts = positions[words[0]]
            for offset, word in enumerate(words[1:], start=1):
                starts = {p for p in starts if p + offset in positions[word]}
                if not starts:
                    break
            if starts:
                docnums.append(docnum)
                weights.append(self.boost * len(starts) / (len(starts) + 1.2))
        return docnums, weights


def _cap_expansions(q: query.Query) -> query.Query:
    if isinstance(q, query.Phrase) and not isinstance(q, ExactPhrase):
        return ExactPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
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
        """Merge the small segments (Whoosh's own policy). A full merge into one
        segment halves prefix-query time at 10k articles but costs as long as
        the import itself, so it is not done."""
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
            results = searcher.search(q, limit=limit, filter=scope)
        except (ValueError, TypeError) as error:
            raise QueryError(f"cannot run {text!r}: {error}") from None
        spans = _matched_spans(searcher, q, (hit.docnum for hit in results))
        hits = [
            RawHit(hit["id"], float(hit.score), tuple(sorted(spans.get(hit.docnum, ()))))
            for hit in results
        ]
        return RawResult(len(results), hits)


    def spans(self, text: str, article_ids: Iterable[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        """Where the query's words (outside any NOT) occur in the body of each
        given article; articles without any are left out.

        The query is not run: for common words, ranking every match only to
        find the few articles on screen took longer than the search itself.
        """
        q = self.parse(text)
        searcher = self._current_searcher()
        docnums = {}
        for article_id in dict.fromkeys(article_ids):
            docnum = searcher.document_number(id=article_id)
            if docnum is not None:
                docnums[docnum] = article_id
        spans = _matched_spans(searcher, q, docnums)
        return {docnums[d]: tuple(sorted(found)) for d, found in spans.items() if found}


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


def _positive_leaves(q: query.Query) -> Iterator[query.Query]:
    """Leaves outside any NOT: the words a hit can be highlighted for."""
    if isinstance(q, query.Not):
        return
    if q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)


def _matched_spans(searcher, q: query.Query, docnums: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    """docnum -> character spans of the query's body words in those documents.

    Read segment by segment from the stored positions of the few hits shown,
    after ranking: asking Whoosh to record matched terms for every matching
    document (`terms=True`) cost more than the search itself on common words.
    """
    wanted = sorted(docnums)
    spans: dict[int, list[tuple[int, int]]] = {docnum: [] for docnum in wanted}
    leaves = list(_positive_leaves(q))
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        local = [d - offset for d in wanted if offset <= d < offset + reader.doc_count_all()]
        if local:
            for btext in _body_words(leaves, reader):
                matcher = reader.postings("body", btext)
                for docnum in local:
                    if not matcher.is_active():
                        break
                    if matcher.id() < docnum:
                        matcher.skip_to(docnum)
                    if matcher.is_active() and matcher.id() == docnum:
                        spans[docnum + offset].extend((s, e) for _, s, e in matcher.value_as("characters"))
    return spans


def _body_words(leaves: list[query.Query], reader) -> set[bytes]:
    words: set[bytes] = set()
    for leaf in leaves:
        if isinstance(leaf, _CappedExpansion):  # the same capped expansion the search used
            words.update(leaf._btexts(reader) if leaf.fieldname == "body" else ())
        else:
            words.update(btext for field, btext in leaf.existing_terms(reader, expand=True) if field == "body")
    return words


class IndexWriter:
    """Adds and removes articles; commits without merging unless asked to."""

    def __init__(self, writer) -> None:
        self._writer = writer
        self.merge = False

    def __enter__(self) -> "IndexWriter":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self._abandon()
            return
        try:
            self._writer.commit(merge=self.merge)
        except BaseException:
            self._abandon()  # a commit that failed (a full disk) must not keep the index locked
            raise

    def _abandon(self) -> None:
        """Cancel, and release the write lock even when cancelling fails too (a full disk):
        Whoosh releases it only at the end of a cancel or commit that succeeds."""
        try:
            self._writer.cancel()
        except Exception:  # noqa: BLE001  the lock matters more than the cancel's own failure
            lock = getattr(self._writer, "writelock", None)
            if lock is not None:
                lock.release()

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
