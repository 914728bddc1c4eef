"""The Whoosh full-text index. Every Whoosh call in Accord lives in this module,
so moving to another fork or engine is a local change.

One Whoosh document per article. The body is indexed with character
positions, so a hit's matched words are located without re-tokenising the
text; `accord.index.library` maps them onto sentences.

Whoosh quirks handled here (measured on this machine, see the README):
- Snowball English stemming (the built-in Porter stems `negotiate` and
  `negotiating` differently);
- no stop-word filter, so `"countries at war"` is the exact phrase;
- wildcard text is never sent through the stemmer (`cos*` stays `cos*`); a
  prefix, wildcard or fuzzy word expands once per query to at most
  `EXPANSION_LIMIT` of its most frequent words, matched as one constant-score
  document list, and the same words are counted and highlighted;
- queries are evaluated over whole posting lists with Whoosh's own BM25F
  scores (`_evaluate`), not through Whoosh's per-document matchers, and the
  hits are counted from the same evaluation, not by running it again;
- phrases compare word positions directly instead of Whoosh's span objects,
  and only for the candidates needed: the page shown, or all of them when
  the count is asked for;
- matched words are read after ranking, for the shown hits only (not with
  `terms=True` for every match);
- commits do not merge segments (`merge=False`); small segments are merged
  once at the end of a large import.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import pickle
import re
import shutil
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import fields, formats, index, matching, qparser, query
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.automata.lev import levenshtein_automaton
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.filedb.compound import CompoundStorage, SubFile
from whoosh.filedb.structfile import StructFile
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .errors import IndexBusy, QueryError
from .model import Article
from .schema import SCHEMA_VERSION

EXPANSION_LIMIT = 64  # words a prefix, wildcard or fuzzy word may expand to
EXPANSION_SCAN = 1024  # lexicon entries (shared out among the segments) looked at before choosing the most frequent
CHECK_FIRST = 64  # phrase candidates checked for the first page, then 4x more each round
CHECK_ALL_BELOW = 256  # fewer phrase candidates than this are all checked at once (and counted)
CHECK_BATCH = 2048  # phrase candidates checked between two looks at `cancelled` while counting
PLANS_KEPT = 4  # recent queries whose expansions and posting lists are kept for their count and highlights
POSTINGS_KEPT = 2_000_000  # decoded postings kept across queries (8 bytes each)
LOCK_TIMEOUT = 5.0  # seconds to wait for another Accord process's writer
# Posting blocks are written without zlib (Whoosh's default compresses each at level 3).
# A posting block holds its ids, weights and word positions in one pickle, so reading a
# common word's documents decompresses its positions too: at 10k articles decompression was
# a third of a phrase of common words (p95 57 -> 41 ms uncompressed) for 40% more index on
# disk (156 -> 218 MB). Segments written compressed (by earlier versions) stay readable: each
# block records its own compression, and a merge rewrites them uncompressed.
POSTINGS_COMPRESSION = 0


_STEMS: dict[str, str] = {}  # module level, so it is never pickled into the index's schema
_STEMS_MAX = 500_000
# Longer words are indexed, searched and compared (claims) as written, never stemmed: Whoosh's
# Snowball English stemmer is quadratic in a word's length (a 10 MB line of random letters
# took minutes; 400 KB of "ay" 8.4 s). No English word is this long, and a query's word goes
# through the same analyzer, so such a word is still found as typed.
STEM_MAX = 64


class WildcardSafeStemFilter(StemFilter):
    """Stems words but leaves wildcard patterns (`cos*`, `te?t`) and words over
    `STEM_MAX` characters as typed.

    A plain dict in front of Whoosh's own stem cache: its LFU wrapper was a
    tenth of the indexing time.
    """

    def __call__(self, tokens):
        stems, stem = _STEMS, self._stem
        for token in tokens:
            if not token.stopped:
                text = token.text
                if len(text) > STEM_MAX:
                    yield token
                    continue
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


# A word and a colon outside quotes name a field: `outlet:UNN`. Not "4:12" (a time) or "http://".
_FIELD_PREFIX = re.compile(r'(?<![\w."\'])([A-Za-z_]\w*):(?!//)(?=\S)')
SEARCHABLE_FIELDS = ("title", "outlet", "date", "tag", "note")
FILTER_FIELDS = ("sources", "single", "conflict")  # claim_query's, answered from the claims
_UNLISTED_FIELDS = ("body", "id", "file")  # in the schema, searchable, not worth listing


def _check_fields(text: str) -> None:
    """QueryError for a field that does not exist: Whoosh searched `foo:bar` as words and
    answered "no hits", and a misspelt `otlet:UNN` read as "nothing from UNN"."""
    unquoted = re.sub(r'"[^"]*"', " ", text)
    for match in _FIELD_PREFIX.finditer(unquoted):
        name = match.group(1)
        # Whoosh's fields are lower case exactly ("Title:" found nothing); the filters take any case
        if name not in SEARCHABLE_FIELDS + _UNLISTED_FIELDS and name.lower() not in FILTER_FIELDS:
            known = ", ".join(f"{f}:" for f in SEARCHABLE_FIELDS + FILTER_FIELDS)
            raise QueryError(f"no field {match.group(1)}: in {text!r}: the fields are {known} "
                             f"(quote the words to search them as text)")


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
    total: int  # matching articles; only a lower bound while `counted` is False
    hits: list[RawHit]
    counted: bool = True


class _CappedExpansion:
    """A prefix, wildcard or fuzzy word, expanded once per query to at most
    `EXPANSION_LIMIT` of its most frequent words in the whole index, and
    matched as one constant-score list of documents. The same words serve
    ranking, counting and highlighting: Whoosh expanded a fuzzy word again in
    every segment, again to count the hits and again to highlight them."""

    def _btexts(self, ixreader) -> list[bytes]:
        cache = self.__dict__.setdefault("_expansion_cache", {})
        key = id(ixreader)
        if key not in cache:
            cache[key] = _capped(self, ixreader)
        return cache[key]

    def estimate_size(self, ixreader) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, btext) for btext in self._btexts(ixreader))

    estimate_min_size = estimate_size

    def matcher(self, searcher, context=None):
        """For Whoosh's own matching, which Accord uses only inside query types it does not evaluate itself."""
        reader = searcher.reader()
        docnums: set[int] = set()
        for btext in self._btexts(searcher.get_parent().reader()):
            if (self.fieldname, btext) in reader:
                docnums.update(reader.postings(self.fieldname, btext).all_ids())
        return matching.ListMatcher(sorted(docnums), all_weights=self.boost) if docnums else matching.NullMatcher()


class CappedPrefix(_CappedExpansion, query.Prefix):
    pass


class CappedWildcard(_CappedExpansion, query.Wildcard):
    pass


class CappedFuzzy(_CappedExpansion, query.FuzzyTerm):
    pass


def _capped(q: query.Query, ixreader) -> list[bytes]:
    """The expansion's words over every segment of `ixreader`, the
    `EXPANSION_LIMIT` most frequent (then first in the lexicon) when there are more."""
    frequency: dict[bytes, int] = {}
    readers = _segment_readers(ixreader)
    scan = max(EXPANSION_SCAN // max(len(readers), 1), EXPANSION_LIMIT * 4)  # segments share most of their words
    for reader in readers:
        if q.fieldname in reader.schema:
            for btext, count in itertools.islice(_candidates(q, reader), scan):
                frequency[btext] = frequency.get(btext, 0) + count
    words = sorted(frequency)
    if len(words) > EXPANSION_LIMIT:
        words = sorted(heapq.nlargest(EXPANSION_LIMIT, words, key=frequency.__getitem__))
    return words


def _segment_readers(ixreader) -> list:
    return [ixreader] if ixreader.is_atomic() else [reader for reader, _ in ixreader.leaf_readers()]


def _segment_id(reader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(reader)}"  # an empty index


def _candidates(q: query.Query, reader) -> Iterator[tuple[bytes, int]]:
    """(word, document frequency) of one segment's words that the expansion matches.

    Frequencies of a prefix's words come with the lexicon scan itself (one
    sequential read); a fuzzy word walks the lexicon with one Levenshtein
    automaton, built once per query rather than once per segment and field.
    """
    if isinstance(q, query.FuzzyTerm):
        field = reader.schema[q.fieldname]
        cursor = reader.cursor(field.spelling_fieldname(q.fieldname))
        for word in Automata.find_matches(_levenshtein(q.text, q.maxdist, q.prefixlength), cursor):
            btext = field.to_bytes(word)
            yield btext, reader.doc_frequency(q.fieldname, btext)
        return
    literal = q.text if isinstance(q, query.Prefix) else q._find_prefix(q.text)
    scanned = reader.iter_prefix(q.fieldname, literal)
    if not isinstance(q, query.Prefix):
        pattern = re.compile(q._get_pattern())
        scanned = ((b, info) for b, info in scanned if pattern.match(b.decode("utf-8")))
    for btext, info in scanned:
        yield btext, info.doc_frequency()


@functools.lru_cache(maxsize=32)
def _levenshtein(text: str, maxdist: int, prefix: int):
    return levenshtein_automaton(text, maxdist, prefix).to_dfa()


class ExactPhrase(query.Phrase):
    """A phrase (slop 1) matched by comparing word positions directly.

    Whoosh's span machinery builds objects for every occurrence of every
    word. Here documents holding every word are candidates, ranked like the
    words' AND (their BM25 sum); a candidate's positions are read only when
    it is needed: for the page shown, or for the count when it is asked for.
    """

    def fast(self) -> bool:
        return self.slop == 1 and len(self.words) >= 2

    def matcher(self, searcher, context=None):
        """For Whoosh's own matching (see _CappedExpansion.matcher)."""
        if not self.fast():
            return super().matcher(searcher, context)
        segment = _Segment(searcher.get_parent(), searcher, _SharedReads())
        found = _evaluate(self, segment, None, relaxed=False)
        docnums = sorted(found)
        return matching.ListMatcher(docnums, [found[d] for d in docnums]) if docnums else matching.NullMatcher()


def _cap_expansions(q: query.Query) -> query.Query:
    if isinstance(q, query.Phrase) and not isinstance(q, ExactPhrase):
        return ExactPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
    if isinstance(q, query.Prefix) and not isinstance(q, CappedPrefix):
        return CappedPrefix(q.fieldname, q.text, boost=q.boost)
    if isinstance(q, query.Wildcard) and not isinstance(q, CappedWildcard):
        return CappedWildcard(q.fieldname, q.text, boost=q.boost)
    if isinstance(q, query.FuzzyTerm) and not isinstance(q, CappedFuzzy):
        return CappedFuzzy(q.fieldname, q.text, boost=q.boost, maxdist=q.maxdist, prefixlength=q.prefixlength)
    return q.apply(_cap_expansions) if q.is_leaf() is False else q


# Evaluating a query over whole posting lists ----------------------------------------------
#
# Whoosh's matchers make several Python calls per matching document and per
# query node (BM25 of a common word in 10k articles: ~150 ms). Accord reads a
# word's posting list whole, a block at a time, and combines documents with
# dict operations; the score of each document is Whoosh's own BM25F, computed
# with the same formula, statistics and field lengths. Query types this does
# not know fall back to Whoosh's matcher for that node alone.

Scores = dict[int, float]  # segment-local document number -> score
NOT_SCORE = 1.0  # what Whoosh's InverseMatcher adds for each NOT clause a document passes


class _Segment:
    """One segment as one query sees it: posting lists read once and kept for
    the query's ranking, count and highlights."""

    def __init__(self, top, sub, shared: "_SharedReads", offset: int = 0) -> None:
        self.top, self.sub, self.offset = top, sub, offset
        self.reader = sub.reader()
        self.id = _segment_id(self.reader)
        self.deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self._shared = shared
        self._postings: dict[tuple[str, bytes], dict[int, float]] = {}
        self._scores: dict[tuple[str, bytes], Scores] = {}
        self._values: dict[tuple[str, bytes], dict[int, bytes]] = {}

    def postings(self, field: str, btext: bytes) -> dict[int, float]:
        """document -> weight of one word, deleted documents left out."""
        key = (field, btext)
        found = self._postings.get(key)
        if found is None:
            ids, weights = self._shared.postings(self, field, btext)
            found = dict(zip(ids, weights))
            for docnum in self.deleted.intersection(found) if self.deleted else ():
                del found[docnum]
            self._postings[key] = found
        return found

    def values(self, field: str, btext: bytes) -> dict[int, bytes]:
        """document -> the stored positions of one word (for phrases), kept for this query only."""
        key = (field, btext)
        found = self._values.get(key)
        if found is None:
            ids, weights, values = _read_postings(self.reader, field, btext, with_values=True)
            found = self._values[key] = dict(zip(ids, values))
            self._shared.keep(self, field, btext, ids, weights)
        return found

    def term(self, field: str, btext: bytes) -> Scores:
        """BM25F of one word in each document holding it, as Whoosh scores a Term."""
        key = (field, btext)
        scores = self._scores.get(key)
        if scores is None:
            weights = self.postings(field, btext)
            weighting = self.top.weighting
            if not weights or not self.reader.schema[field].scorable:
                scores = dict(weights)
            else:
                B = weighting._field_B.get(field, weighting.B)
                K1 = weighting.K1
                idf = self.top.idf(field, btext)
                avgfl = self.top.avg_field_length(field) or 1
                lengths = self.lengths(field)
                norms = {fl: K1 * ((1 - B) + B * fl / avgfl) for fl in {lengths[d] for d in weights}}
                k = K1 + 1
                scores = {d: idf * ((w * k) / (w + norms[lengths[d]])) for d, w in weights.items()}
            self._scores[key] = scores
        return scores

    def lengths(self, field: str) -> list:
        return self._shared.lengths(self, field)

    def live(self, within: set[int] | None) -> Iterable[int]:
        docs = range(self.reader.doc_count_all()) if within is None else within
        return (d for d in docs if d not in self.deleted)


class _SharedReads:
    """What queries on the same segments share: decoded posting lists (ids and
    weights, deletions not applied, as those change without the segment
    changing) up to `POSTINGS_KEPT` postings, most recently used kept, and
    field lengths. A word typed once is not decompressed again at the next
    keystroke; memory stays bounded however many searches run."""

    def __init__(self) -> None:
        self._postings: OrderedDict[tuple[str, str, bytes], tuple[array, array]] = OrderedDict()
        self._held = 0
        self._lengths: dict[tuple[str, str], list] = {}

    def postings(self, seg: "_Segment", field: str, btext: bytes) -> tuple[array, array]:
        key = (seg.id, field, btext)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        ids, weights, _ = _read_postings(seg.reader, field, btext)
        return self.keep(seg, field, btext, ids, weights)

    def keep(self, seg: "_Segment", field: str, btext: bytes, ids: array, weights: array) -> tuple[array, array]:
        key = (seg.id, field, btext)
        if key not in self._postings:
            self._postings[key] = (ids, weights)
            self._held += len(ids)
            while self._held > POSTINGS_KEPT and len(self._postings) > 1:
                _, (dropped, _) = self._postings.popitem(last=False)
                self._held -= len(dropped)
        return self._postings[key]

    def lengths(self, seg: "_Segment", field: str) -> list:
        key = (seg.id, field)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = _field_lengths(seg.reader, field)
        return found

    def keep_only(self, segment_ids: set[str]) -> None:
        """Forget the segments a commit merged away."""
        for key in [k for k in self._postings if k[0] not in segment_ids]:
            self._held -= len(self._postings.pop(key)[0])
        self._lengths = {k: v for k, v in self._lengths.items() if k[0] in segment_ids}

    def clear(self) -> None:
        self._postings.clear()
        self._held = 0
        self._lengths.clear()


def _read_postings(reader, field: str, btext: bytes, with_values: bool = False) -> tuple[array, array, list]:
    """A word's document numbers, weights and (if asked) stored values in one
    segment, deleted documents included."""
    ids: array = array("i")
    weights: array = array("f")
    values: list = []
    try:
        matcher = reader.postings(field, btext)
    except TermNotFound:  # one lookup, not a membership test and then another
        return ids, weights, values
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # the segment's deletions are applied by each query
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # one block at a time: its ids and weights are arrays
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            if with_values:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:  # inlined postings of a rare word
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if with_values:
                values.append(matcher.value())
            matcher.next()
    return ids, weights, values


def _field_lengths(reader, field: str) -> list:
    """Each document's length of `field`, as Whoosh's BM25F reads it (byte-encoded, so approximate)."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN) if hasattr(reader, "_perdoc") else None
    if column is None or not hasattr(column, "_dbfile"):
        return [reader.doc_field_length(d, field, 1) for d in range(count)]
    raw = bytes(column._dbfile.get(column._basepos, column._count))[:count].ljust(count, b"\0")
    table = [byte_to_length(b) if b else None for b in range(256)]
    return [table[b] for b in raw]


def _evaluate(q: query.Query, seg: _Segment, within: set[int] | None, relaxed: bool) -> Scores:
    """The documents of one segment matching `q`, with their scores.

    `within` limits the work (and the answer) to those documents. `relaxed`
    takes a phrase's candidates (documents holding all its words) unchecked:
    a superset of the real matches, each scored at least as high, so ranking
    candidates gives an upper bound for each real match.
    """
    if type(q) is query.And:
        return _boosted(_intersection(q.subqueries, seg, within, relaxed), q.boost)
    if type(q) is query.Or and not q.minmatch and not q.scale:
        scores: Scores = {}
        for child in q.subqueries:
            for docnum, score in _evaluate(child, seg, within, relaxed).items():
                scores[docnum] = scores.get(docnum, 0.0) + score
        return _boosted(scores, q.boost)
    if isinstance(q, query.Not):
        excluded = _evaluate(q.query, seg, within, relaxed=False)  # a NOT never takes a phrase unchecked
        return {d: NOT_SCORE for d in seg.live(within) if d not in excluded}
    if isinstance(q, query.Term):
        btext = _to_bytes(seg, q.fieldname, q.text)
        scores = seg.term(q.fieldname, btext) if btext is not None else {}
        return _boosted(_restricted(scores, within), q.boost)
    if isinstance(q, _CappedExpansion):
        docnums: set[int] = set()
        for btext in q._btexts(seg.top.reader()):
            docnums.update(seg.postings(q.fieldname, btext))
        return dict.fromkeys(docnums if within is None else docnums & within, q.boost)
    if isinstance(q, ExactPhrase) and q.fast():
        return _phrase(q, seg, within, relaxed)
    if isinstance(q, type(query.NullQuery)):
        return {}
    return _whoosh_scores(q, seg, within)


def _intersection(children: list[query.Query], seg: _Segment, within: set[int] | None, relaxed: bool) -> Scores:
    """AND: each positive clause narrows the documents the next one looks at;
    a NOT clause removes documents and adds Whoosh's constant to the rest."""
    positives = [c for c in children if not isinstance(c, query.Not)]
    negatives = [c for c in children if isinstance(c, query.Not)]
    if not positives:
        scores: Scores | None = {d: 0.0 for d in seg.live(within)}
    else:
        scores = None
        for child in positives:
            found = _evaluate(child, seg, within if scores is None else set(scores), relaxed)
            scores = found if scores is None else {d: s + found[d] for d, s in scores.items() if d in found}
            if not scores:
                return {}
    for child in negatives:
        excluded = _evaluate(child.query, seg, set(scores), relaxed=False)
        scores = {d: s + NOT_SCORE for d, s in scores.items() if d not in excluded}
    return scores


def _phrase(q: ExactPhrase, seg: _Segment, within: set[int] | None, relaxed: bool) -> Scores:
    btexts = [_to_bytes(seg, q.fieldname, word) for word in q.words]
    if any(b is None for b in btexts):
        return {}
    for btext in set(btexts):
        seg.values(q.fieldname, btext)  # one read gives the positions (to check) and the postings (to rank)
    distinct = sorted(set(btexts), key=lambda b: len(seg.postings(q.fieldname, b)))
    candidates = set(seg.postings(q.fieldname, distinct[0]))
    if within is not None:
        candidates &= within
    for btext in distinct[1:]:
        if not candidates:
            return {}
        candidates.intersection_update(seg.postings(q.fieldname, btext))
    if not relaxed:
        candidates = _holding_phrase(seg, q.fieldname, btexts, candidates)
    first, *others = (seg.term(q.fieldname, b) for b in distinct)
    scores = {d: first[d] for d in candidates}
    for more in others:
        scores = {d: s + more[d] for d, s in scores.items()}
    return _boosted(scores, q.boost)


def _holding_phrase(seg: _Segment, field: str, btexts: list[bytes], docnums: Iterable[int]) -> set[int]:
    """The documents where the words stand one after another."""
    values = {b: seg.values(field, b) for b in set(btexts)}
    decode = _position_decoder(seg.reader.schema[field].format)
    found: set[int] = set()
    for docnum in docnums:
        positions = {btext: decode(held[docnum]) for btext, held in values.items()}
        starts = positions[btexts[0]]
        for offset, btext in enumerate(btexts[1:], start=1):
            following = set(positions[btext])
            starts = [p for p in starts if p + offset in following]
            if not starts:
                break
        if starts:
            found.add(docnum)
    return found


def _position_decoder(fmt) -> Callable[[bytes], list[int]]:
    """Reads word positions from a posting's value: Whoosh's Characters values
    are a count and a pickle of deltas; decoded without its per-item Python loop."""
    if type(fmt) is not formats.Characters:
        return fmt.decoder("positions")

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        return list(itertools.accumulate(code[0] for code in pickle.loads(value[_INT_SIZE:])))

    return decode


def _whoosh_scores(q: query.Query, seg: _Segment, within: set[int] | None) -> Scores:
    """Whoosh's own matcher for a query type Accord does not evaluate itself (date ranges...)."""
    matcher = q.matcher(seg.sub, seg.sub.context())
    scores: Scores = {}
    while matcher.is_active():
        docnum = matcher.id()
        if within is None or docnum in within:
            scores[docnum] = matcher.score()
        matcher.next()
    return scores


def _to_bytes(seg: _Segment, fieldname: str, text) -> bytes | None:
    if fieldname not in seg.reader.schema:
        return None
    try:
        return seg.reader.schema[fieldname].to_bytes(text)
    except ValueError:
        return None


def _restricted(scores: Scores, within: set[int] | None) -> Scores:
    if within is None:
        return scores
    return {d: scores[d] for d in within if d in scores} if len(within) < len(scores) else {
        d: s for d, s in scores.items() if d in within}


def _boosted(scores: Scores, boost: float) -> Scores:
    return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}


class _Plan:
    """One query bound to one searcher: parsed and expanded once, its posting
    lists read once, shared by the ranked page, the count and the highlights."""

    def __init__(self, q: query.Query, searcher, files: list[str] | None, shared: _SharedReads) -> None:
        self.q = q
        self.searcher = searcher
        self.segments = [_Segment(searcher, sub, shared, offset) for sub, offset in searcher.leaf_searchers()]
        self.scope = None if files is None else [self._in_scope(seg, files) for seg in self.segments]
        self.checks_phrases = any(isinstance(leaf, ExactPhrase) and leaf.fast() for leaf in _leaves(q))
        self._exact: list[Scores | None] = [None] * len(self.segments)
        self._candidates: list[Scores] | None = None
        self._checked: list[Scores] = [{} for _ in self.segments]  # candidates verified so far: the real matches
        self._unchecked: list[set[int]] = [set() for _ in self.segments]

    @staticmethod
    def _in_scope(seg: _Segment, files: list[str]) -> set[int]:
        allowed: set[int] = set()
        for file in files:
            allowed.update(seg.postings("file", seg.reader.schema["file"].to_bytes(file)))
        return allowed

    def _within(self, number: int) -> set[int] | None:
        return None if self.scope is None else self.scope[number]

    def _scoped(self, number: int, scores: Scores) -> Scores:
        allowed = self.scope[number] if self.scope is not None else None
        return scores if allowed is None else {d: s for d, s in scores.items() if d in allowed}

    def exact(self, cancelled: Callable[[], bool] | None = None) -> list[Scores] | None:
        """Every segment's real matches (None if `cancelled` said stop first)."""
        for number, seg in enumerate(self.segments):
            if self._exact[number] is not None:
                continue
            if cancelled is not None and cancelled():
                return None
            if not self.checks_phrases:
                self._exact[number] = self._scoped(number, _evaluate(self.q, seg, self._within(number), relaxed=False))
                continue
            self.candidates()
            unchecked = sorted(self._unchecked[number])
            for start in range(0, len(unchecked), CHECK_BATCH):
                if start and cancelled is not None and cancelled():
                    return None
                self._check(number, set(unchecked[start : start + CHECK_BATCH]))
            self._exact[number] = self._checked[number]
        return self._exact  # type: ignore[return-value]

    def candidates(self) -> list[Scores]:
        if self._candidates is None:
            self._candidates = [self._scoped(n, _evaluate(self.q, seg, self._within(n), relaxed=True))
                                for n, seg in enumerate(self.segments)]
            self._unchecked = [set(found) for found in self._candidates]
        return self._candidates

    def _check(self, number: int, docnums: set[int]) -> None:
        real = _evaluate(self.q, self.segments[number], docnums, relaxed=False)
        self._checked[number].update((d, real[d]) for d in docnums if d in real)
        self._unchecked[number] -= docnums

    def count(self, cancelled: Callable[[], bool] | None = None) -> int | None:
        exact = self.exact(cancelled)
        return None if exact is None else sum(len(found) for found in exact)

    def top(self, limit: int, count: bool) -> tuple[list[tuple[int, float]], int, bool]:
        """The best `limit` (global document number, score), best first, ties
        by document number as Whoosh orders them; the total; whether it is exact."""
        if not self.checks_phrases or count or sum(map(len, self.candidates())) <= CHECK_ALL_BELOW:
            exact = self.exact()
            assert exact is not None
            return _best(self._global(exact), limit), sum(map(len, exact)), True
        return self._top_checking_candidates(limit)

    def _global(self, per_segment: list[Scores]) -> Iterator[tuple[int, float]]:
        for seg, scores in zip(self.segments, per_segment):
            offset = seg.offset
            yield from ((d + offset, s) for d, s in scores.items())

    def _top_checking_candidates(self, limit: int) -> tuple[list[tuple[int, float]], int, bool]:
        """Candidates are checked best first, in growing batches, until no
        unchecked one could rank above the `limit`-th real match."""
        waiting = [(-score, docnum) for docnum, score in self._global(self.candidates())]  # as _rank orders
        heapq.heapify(waiting)
        best: list[tuple[int, float]] = []
        batch, checked = CHECK_FIRST, 0
        while waiting:
            chosen = [heapq.heappop(waiting) for _ in range(min(batch, len(waiting)))]
            checked += len(chosen)
            for number, seg in enumerate(self.segments):
                end = seg.offset + seg.reader.doc_count_all()
                mine = {d - seg.offset for _, d in chosen if seg.offset <= d < end} & self._unchecked[number]
                if mine:
                    self._check(number, mine)
            best = _best(self._global(self._checked), limit)
            if len(best) == limit and waiting and _rank(best[-1]) <= waiting[0]:
                break
            found = sum(map(len, self._checked))
            density = max(found, 1) / checked  # how many candidates turn out real: size the next batch by it
            batch = max(CHECK_FIRST, min(4 * checked, round(1.5 * (limit - len(best)) / density)))
        exhausted = not waiting
        if exhausted:
            self._exact = list(self._checked)
        return best, sum(map(len, self._checked)), exhausted


def _rank(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])


def _best(items: Iterable[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
    return heapq.nsmallest(limit, items, key=_rank)


_whoosh_open_file = CompoundStorage.open_file


def _open_postings_in_place(self, name: str, *args, **kwargs):
    """A segment's postings read straight from its memory map. Whoosh wraps each part of
    a mapped segment in a BytesIO, which copies it: 62 MB of postings at 10k articles,
    held as long as the index is open. The term table keeps Whoosh's copy (its lookups
    are random access, and reading them through a file object made fuzzy words 3x slower)."""
    if self._source is not None and name.endswith(W3Codec.POSTS_EXT):
        offset, length = self.range(name)
        return StructFile(SubFile(self._source, offset, length, name=name), name=name)
    return _whoosh_open_file(self, name, *args, **kwargs)


CompoundStorage.open_file = _open_postings_in_place


class FullTextIndex:
    """A Whoosh index in one folder; rebuilt from scratch when its schema changes or it is corrupt."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rebuilt = False
        # The source files an outdated or damaged index held, read (when it could be) before it
        # was replaced: what a rebuild re-indexes when the workspace's sources.json is missing.
        self.salvaged: list[str] | None = None
        self._ix = self._open_or_create()
        self._parser = self._make_parser()
        self._searcher = None
        self._plans: OrderedDict[tuple[str, tuple[str, ...] | None], _Plan] = OrderedDict()
        self._shared = _SharedReads()

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
        self.salvaged = self._stored_files_in_folder()
        return self._create(version_file)

    def _stored_files_in_folder(self) -> list[str] | None:
        """The files an index about to be replaced recorded (another version's too, when
        Whoosh still reads it); None when there is none or it cannot be read."""
        try:
            if not self.folder.is_dir() or not index.exists_in(str(self.folder)):
                return None
            ix = index.open_dir(str(self.folder))
            try:
                with ix.searcher() as searcher:
                    return _stored_files(searcher)
            finally:
                ix.close()
        except Exception:  # noqa: BLE001  a damaged index: nothing to salvage
            return None

    def stored_files(self) -> list[str] | None:
        """The source files this index holds articles of; None when it cannot be read."""
        try:
            with self._ix.searcher() as searcher:
                return _stored_files(searcher)
        except Exception:  # noqa: BLE001  damaged segments
            return None

    def _create(self, version_file: Path):
        if self.folder.is_dir() and not self.folder.is_symlink():
            shutil.rmtree(self.folder)
        elif self.folder.exists() or self.folder.is_symlink():  # a file (or a link) where the folder belongs
            self.folder.unlink()
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
        self._plans.clear()
        self._shared.clear()
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    # Writing -----------------------------------------------------------------------

    def writer(self) -> "IndexWriter":
        try:
            return IndexWriter(self._ix.writer(timeout=LOCK_TIMEOUT, codec=W3Codec(compression=POSTINGS_COMPRESSION)))
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
            if self._searcher.reader().segments() is None:  # Whoosh cannot refresh an empty index's searcher
                refreshed = self._ix.searcher()
                self._searcher.close()
            else:
                refreshed = self._searcher.refresh()
            if refreshed is not self._searcher:  # a commit: what the plans hold is stale
                self._plans.clear()
                self._shared.keep_only({_segment_id(reader) for reader in _segment_readers(refreshed.reader())})
            self._searcher = refreshed
        return self._searcher

    def parse(self, text: str) -> query.Query:
        """Parse the Whoosh query language; raise QueryError with a one-line reason."""
        if text.count('"') % 2:
            raise QueryError(f"unclosed quote in {text!r}")
        _check_fields(text)
        try:
            parsed = self._parser.parse(_iso_dates_for_whoosh(text))
        except Exception as error:  # noqa: BLE001  Whoosh raises assorted errors for bad syntax
            hint = " (dates look like 2023-12-23, 2023-12 or [2023-12-01 to 2023-12-31])" if "date:" in text else ""
            raise QueryError(f"cannot understand {text!r}: {error}{hint}") from None
        for leaf in _leaves(parsed):
            if getattr(leaf, "error", None):
                raise QueryError(f"cannot understand {text!r}: {leaf.error}")
        return _cap_expansions(parsed)

    def _plan(self, text: str, files: Iterable[str] | None) -> _Plan:
        """The query bound to the current searcher, reused while the index and the query stay the same."""
        searcher = self._current_searcher()
        scope = None if files is None else tuple(files)
        key = (text, scope)
        plan = self._plans.get(key)
        if plan is None:
            plan = _Plan(self.parse(text), searcher, None if scope is None else list(scope), self._shared)
            self._plans[key] = plan
            while len(self._plans) > PLANS_KEPT:
                self._plans.popitem(last=False)
        else:
            self._plans.move_to_end(key)
        return plan

    def search(self, text: str, limit: int = 20, files: Iterable[str] | None = None, *, count: bool = True) -> RawResult:
        """Ranked article hits with the character spans of their matched body words.

        With `count=False` the hits come as soon as they are known: a phrase of
        common words then checks only the candidates the page needs, and
        `total` is the number of matches found so far (`counted` says whether
        that is all of them; `count()` finishes the count).
        """
        plan = self._plan(text, files)
        try:
            ranked, total, counted = plan.top(limit, count)
        except (ValueError, TypeError) as error:
            raise QueryError(f"cannot run {text!r}: {error}") from None
        spans = _matched_spans(plan, [docnum for docnum, _ in ranked])
        stored = plan.searcher.stored_fields
        hits = [RawHit(stored(docnum)["id"], float(score), tuple(sorted(spans.get(docnum, ())))) for docnum, score in ranked]
        return RawResult(total, hits, counted)

    def count(
        self, text: str, files: Iterable[str] | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int | None:
        """How many articles match, reusing what `search` of the same text already did.
        None when `cancelled()` turned true before the count was finished."""
        plan = self._plan(text, files)
        try:
            return plan.count(cancelled)
        except (ValueError, TypeError) as error:
            raise QueryError(f"cannot run {text!r}: {error}") from None

    def spans(self, text: str, article_ids: Iterable[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        """Where the query's words (outside any NOT) occur in the body of each
        given article; articles without any are left out.

        The query is not run: for common words, ranking every match only to
        find the few articles on screen took longer than the search itself.
        """
        plan = self._plan(text, None)
        docnums = {}
        for article_id in dict.fromkeys(article_ids):
            docnum = plan.searcher.document_number(id=article_id)
            if docnum is not None:
                docnums[docnum] = article_id
        spans = _matched_spans(plan, docnums)
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


def _matched_spans(plan: _Plan, docnums: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    """docnum -> character spans of the query's body words in those documents.

    Read segment by segment from the stored positions of the few hits shown,
    after ranking: asking Whoosh to record matched terms for every matching
    document (`terms=True`) cost more than the search itself on common words.
    A word's postings are opened only where the posting lists the plan already
    read say it occurs.
    """
    wanted = sorted(docnums)
    spans: dict[int, list[tuple[int, int]]] = {docnum: [] for docnum in wanted}
    leaves = list(_positive_leaves(plan.q))
    for seg in plan.segments:
        reader, offset = seg.reader, seg.offset
        local = [d - offset for d in wanted if offset <= d < offset + reader.doc_count_all()]
        if not local:
            continue
        decode = reader.schema["body"].format.decoder("characters")
        for btext in _body_words(leaves, seg):
            holding = seg.postings("body", btext)
            present = [d for d in local if d in holding]
            if not present:
                continue
            values = seg._values.get(("body", btext))  # a phrase's words: positions already read
            if values is not None:
                for docnum in present:
                    spans[docnum + offset].extend((s, e) for _, s, e in decode(values[docnum]))
                continue
            matcher = reader.postings("body", btext)
            for docnum in present:
                matcher.skip_to(docnum)
                spans[docnum + offset].extend((s, e) for _, s, e in matcher.value_as("characters"))
    return spans


def _body_words(leaves: list[query.Query], seg: _Segment) -> set[bytes]:
    words: set[bytes] = set()
    for leaf in leaves:
        if leaf.field() != "body":
            continue
        if isinstance(leaf, _CappedExpansion):  # the same capped expansion the search used
            words.update(leaf._btexts(seg.top.reader()))
        else:
            words.update(btext for field, btext in leaf.existing_terms(seg.reader, expand=True) if field == "body")
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
        """Cancel: close the new segment's files, delete them (a failed commit on a full disk
        left its partial .pst/.trm files filling the disk), then drop the temporary postings
        and release the write lock, even when closing fails too: Whoosh releases the lock only
        at the end of a cancel or commit that succeeds."""
        writer = self._writer
        try:
            writer._close_segment()
        except Exception:  # noqa: BLE001  a full disk fails the close's last writes too
            _close_open_files([writer.perdocwriter, writer.fieldwriter, writer.pool])  # deleted files free no space while open
        try:
            self._remove_new_segment_files()
        finally:
            try:
                writer._finish()  # the temporary postings folder, then the lock
            except Exception:  # noqa: BLE001  the lock matters more than the cleanup's own failure
                try:
                    writer._tempstorage.destroy()
                except Exception:  # noqa: BLE001
                    pass
                lock = getattr(writer, "writelock", None)
                if lock is not None:
                    lock.release()

    def _remove_new_segment_files(self) -> None:
        """Delete the files of the segment this writer was making, and a table of contents
        it did not finish, unless the index's table of contents lists that segment (a commit
        that failed after writing it). When the table cannot be read, nothing is deleted."""
        writer = self._writer
        try:
            segment_id = writer.newsegment.segment_id()
            listed = {segment.segment_id() for segment in index.TOC.read(writer.storage, writer.indexname).segments}
            if segment_id in listed:
                return
            unfinished_toc = f"_{writer.indexname}_{writer.generation}.toc."
            for name in writer.storage.list():
                if name.startswith((f"{segment_id}.", unfinished_toc)):
                    writer.storage.delete_file(name)
        except Exception:  # noqa: BLE001  a file that is already gone, an unreadable table: leave the rest
            pass

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


def _close_open_files(roots: list[object]) -> None:
    """Close every file a failed writer still holds (its segment's, its temporary postings'),
    found among its parts' attributes; a close whose last flush fails still closes the file."""
    import io as _io

    from whoosh.filedb.filestore import Storage
    from whoosh.filedb.structfile import StructFile

    seen: set[int] = set()
    stack = [(root, 0) for root in roots]
    while stack:
        item, depth = stack.pop()
        if id(item) in seen or isinstance(item, Storage):
            continue
        seen.add(id(item))
        if isinstance(item, (StructFile, _io.IOBase)):
            try:
                (item.file if isinstance(item, StructFile) else item).close()
            except Exception:  # noqa: BLE001  a full disk fails the flush; the file is closed all the same
                pass
            continue
        if depth >= 4:
            continue
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, (list, tuple)):
            children = list(item)
        else:
            children = list(getattr(item, "__dict__", {}).values())
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list, tuple, _io.IOBase)) or type(child).__module__.startswith("whoosh"))


def _stored_files(searcher) -> list[str]:
    files = (stored.get("file") for stored in searcher.all_stored_fields())
    return list(dict.fromkeys(f for f in files if isinstance(f, str)))


def stem(word: str) -> str:
    """`word` through the Snowball English stemmer the index uses (claims compare sentences on
    the same stems); the stemmer is made on first use. A word over `STEM_MAX` characters is
    returned as written, as the index keeps it."""
    if len(word) > STEM_MAX:
        return word
    global _ENGLISH_STEMMER
    if _ENGLISH_STEMMER is None:
        from whoosh.lang.snowball.english import EnglishStemmer

        _ENGLISH_STEMMER = EnglishStemmer()
    return _ENGLISH_STEMMER.stem(word)


_ENGLISH_STEMMER = None
