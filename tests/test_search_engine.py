"""Accord's own query evaluation against plain Whoosh on the same index on disk.

Accord evaluates queries over whole posting lists (`fulltext._evaluate`), expands
fuzzy and prefix words once per query and checks phrase positions only as far
as a page needs. Plain Whoosh, parsing the same text with the same plugins, is
the reference: the same articles match, the totals agree, word queries score
the same, and every highlighted span is a word the reference query matches.
The index has several segments and deleted documents, as a real one does.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import qparser
from whoosh.qparser.dateparse import DateParserPlugin

from accord.index import fulltext
from accord.index.library import Library
from accord.index.workspace import Workspace
from conftest import write

COMMON = "japan export patriot missiles united states the said officials defence minister".split()
RARE = [f"{a}{b}" for a in ("ka", "ri", "to", "ne", "sa", "mo") for b in ("lun", "vek", "dor", "mis", "tel")]
OUTLETS = ["UNN", "Kyodo", "Wire Desk"]

WORD_QUERIES = [
    "japan", "patriot missiles", "japan NOT missiles", "patriot OR kalun", "japan OR NOT patriot",
    "patriot^2 missiles", "title:japan", "outlet:unn patriot", "date:2023-12", "date:[2023-11-01 to 2023-12-31] japan",
    "kalun rivek", "NOT japan",
]
EXPANDING_QUERIES = ["kalu~", "patriat~", "misiles~2", "ka*", "mis*", "ri?ek", "patr*"]
PHRASE_QUERIES = ['"the united states"', '"japan export"', '"patriot missiles" officials', '"missiles the"',
                  'japan NOT "export patriot"', '"said officials" OR kalun']


def _article(rng: random.Random, number: int) -> str:
    words = [rng.choice(COMMON) if rng.random() < 0.7 else rng.choice(RARE) for _ in range(rng.randint(30, 90))]
    if number % 3 == 0:
        words[5:5] = "the united states".split()
    title = " ".join(rng.choice(COMMON + RARE).capitalize() for _ in range(5))
    date = f"2023-{rng.randint(10, 12):02d}-{rng.randint(1, 28):02d}"
    return (f"---\ntitle: {title}\nsource: {rng.choice(OUTLETS)}\ndate: {date}\n---\n"
            f"{' '.join(words).capitalize()}. {' '.join(rng.choice(COMMON) for _ in range(12))}.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """240 articles synced in three batches (three segments), then 20 rewritten (deletions)."""
    root = tmp_path_factory.mktemp("engine")
    rng = random.Random(14)
    library = Library(Workspace(root / "ws"))
    for batch in range(3):
        folder = root / "corpus" / f"batch{batch}"
        for number in range(80):
            write(folder / f"a{batch}-{number:03d}.txt", _article(rng, batch * 80 + number))
        library.sync([root / "corpus"])
    for number in range(0, 80, 4):
        write(root / "corpus" / "batch0" / f"a0-{number:03d}.txt", _article(rng, number))
    library.sync([root / "corpus"])
    assert library.fulltext.segment_count() >= 2
    with library.fulltext._ix.searcher() as searcher:
        assert searcher.reader().has_deletions()
    yield library
    library.close()


def _plain_parser(library: Library) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(["title", "body"], library.fulltext._ix.schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(DateParserPlugin(free=False))
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def _reference(library: Library, text: str) -> tuple[dict[str, float], set[bytes]]:
    """Plain Whoosh: each matching article's score, and the body words its query matches (outside NOT)."""
    q = _plain_parser(library).parse(fulltext._iso_dates_for_whoosh(text))
    with library.fulltext._ix.searcher() as searcher:
        scores = {hit["id"]: hit.score for hit in searcher.search(q, limit=None)}
        words = set()
        for leaf in fulltext._positive_leaves(q):
            words.update(b for field, b in leaf.existing_terms(searcher.reader(), expand=True) if field == "body")
    return scores, words


def _word_spans(library: Library, text: str, words: set[bytes]) -> set[tuple[int, int]]:
    """Where those words are in an article's text, found by analysing it again (not from the index)."""
    analyzer = library.fulltext._ix.schema["body"].analyzer
    return {(t.startchar, t.endchar) for t in analyzer(text, chars=True) if t.text.encode() in words}


@pytest.mark.parametrize("text", WORD_QUERIES)
def test_word_queries_match_score_and_count_as_whoosh(engine: Library, text: str) -> None:
    expected, _ = _reference(engine, text)
    result = engine.search(text, limit=500)
    assert result.counted and result.total == len(expected) == len(result.hits)
    assert {hit.article for hit in result.hits} == set(expected)
    for hit in result.hits:
        assert hit.score == pytest.approx(expected[hit.article], rel=1e-9)
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


@pytest.mark.parametrize("text", EXPANDING_QUERIES)
def test_fuzzy_and_prefix_match_what_whoosh_expands_them_to(engine: Library, text: str) -> None:
    """Below the expansion cap, the capped, once-per-query expansion finds exactly Whoosh's articles."""
    expected, words = _reference(engine, text)
    q = engine.fulltext.parse(text)
    with engine.fulltext._ix.searcher() as searcher:
        expanded = {b for leaf in fulltext._leaves(q) if isinstance(leaf, fulltext._CappedExpansion)
                    and leaf.fieldname == "body" for b in leaf._btexts(searcher.reader())}
    assert expanded == words and 0 < len(expanded) < fulltext.EXPANSION_LIMIT
    result = engine.search(text, limit=500)
    assert result.total == len(expected) and {h.article for h in result.hits} == set(expected)
    assert len({h.score for h in result.hits if h.kind == "sentence"}) <= 2  # constant per field matched


@pytest.mark.parametrize("text", PHRASE_QUERIES)
def test_phrases_match_what_whoosh_spans_find(engine: Library, text: str) -> None:
    expected, _ = _reference(engine, text)
    assert expected, "the corpus holds every phrase"
    result = engine.search(text, limit=500)
    assert result.total == len(expected) and {h.article for h in result.hits} == set(expected)


@pytest.mark.parametrize("text", WORD_QUERIES + EXPANDING_QUERIES + PHRASE_QUERIES)
def test_first_page_alone_is_the_counted_page_and_count_finishes_it(engine: Library, text: str) -> None:
    counted = engine.search(text, limit=10)
    engine.fulltext._plans.clear()  # nothing carried over from the counted search
    first = engine.search(text, limit=10, count=False)
    assert [(h.article, h.score) for h in first.hits] == [(h.article, h.score) for h in counted.hits]
    assert first.total <= counted.total and (first.total == counted.total if first.counted else True)
    assert engine.count(text) == counted.total


def test_a_phrase_of_common_words_checks_only_the_candidates_the_page_needs(
    engine: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "CHECK_ALL_BELOW", 16)  # as if this small corpus were a big one
    monkeypatch.setattr(fulltext, "CHECK_FIRST", 4)
    text = '"the united states"'
    engine.fulltext._plans.clear()
    first = engine.search(text, limit=3, count=False)
    plan = engine.fulltext._plan(text, None)
    candidates = sum(map(len, plan.candidates()))
    unchecked = sum(map(len, plan._unchecked))
    assert candidates > fulltext.CHECK_ALL_BELOW and unchecked > 0 and not first.counted
    assert len(first.hits) == 3 and first.total >= 3
    assert engine.count(text, cancelled=lambda: True) is None  # a stale count stops at once
    assert engine.count(text) == engine.search(text, limit=1).total


@pytest.mark.parametrize("text", ["patriot missiles", "kalu~", "mis*", '"the united states"', "japan NOT missiles"])
def test_highlights_are_exactly_the_matched_words_of_each_hit(engine: Library, text: str) -> None:
    _, words = _reference(engine, text)
    for hit in engine.search(text, limit=20).hits:
        article = engine.article(hit.article)
        found = {(hit.start + s, hit.start + e) for s, e in hit.highlights}
        if hit.snippet == article.text[hit.start : hit.end]:  # not clipped
            window = _word_spans(engine, article.text, words)
            assert found == {(s, e) for s, e in window if hit.start <= s < hit.end}
        spans = engine.match_spans(text, [hit.article]).get(hit.article, ())  # none when only the title matched
        assert set(spans) == _word_spans(engine, article.text, words)


@pytest.mark.parametrize("text", ["patriot missiles", "relax", "hayashi"])
def test_a_clipped_snippet_is_shown_with_an_ellipsis_where_it_was_cut(library: Library, seeds_dir: Path,
                                                                      text: str) -> None:
    # A clipped passage read as a whole quote: the reader and `accord search` mark each cut.
    library.sync([seeds_dir])
    hits = library.search(text, limit=20).hits
    assert hits
    for hit in hits:
        article = library.article(hit.article)
        assert article.text[hit.snippet_start : hit.snippet_start + len(hit.snippet)] == hit.snippet
        shown, highlights = hit.shown_snippet()
        assert shown.startswith("…") == (hit.snippet_start > hit.start)
        assert shown.endswith("…") == (hit.snippet_start + len(hit.snippet) < hit.end)
        assert [shown[s:e] for s, e in highlights] == [hit.snippet[s:e] for s, e in hit.highlights]
    if text == "relax":  # long sentences: 003's is clipped after the match, 001's before it
        shown = [h.shown_snippet()[0] for h in hits]
        assert any(t.startswith("…") for t in shown) and any(t.endswith("…") for t in shown)


def test_fuzzy_expansion_is_capped_to_the_most_frequent_words(engine: Library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    variants = [f"zorb{chr(97 + i)}{chr(97 + j)}" for i in range(10) for j in range(10)]  # 100 words 2 edits apart
    write(folder / "a.txt", "Headline\n" + " ".join(variants) + " zorbaa zorbaa zorbaa.\n")
    library = Library(Workspace(tmp_path / "ws"))
    library.sync([folder])
    q = library.fulltext.parse("body:zorbxx~2")
    assert isinstance(q, fulltext.CappedFuzzy)
    with library.fulltext._ix.searcher() as searcher:
        expanded = q._btexts(searcher.reader())
    assert len(expanded) == fulltext.EXPANSION_LIMIT and b"zorbaa" in expanded
    hit = library.search("zorbxx~2").hits[0]
    assert len(hit.highlights) <= fulltext.EXPANSION_LIMIT + 3
    library.close()


def test_memory_held_across_searches_is_bounded(engine: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "POSTINGS_KEPT", 500)
    engine.fulltext._plans.clear()
    engine.fulltext._shared.clear()
    for text in WORD_QUERIES + EXPANDING_QUERIES + PHRASE_QUERIES:
        engine.search(text, limit=5)
    shared = engine.fulltext._shared
    assert len(engine.fulltext._plans) <= fulltext.PLANS_KEPT
    assert shared._held == sum(len(ids) for ids, _ in shared._postings.values())
    assert shared._held <= 500 or len(shared._postings) == 1


def test_a_commit_makes_the_next_search_see_the_new_articles(engine: Library, tmp_path: Path) -> None:
    before = engine.search("zyxwvut").total
    write(tmp_path / "new" / "n.txt", "Headline\nThe zyxwvut appeared today.\n")
    engine.sync([tmp_path / "new"])
    assert (before, engine.search("zyxwvut").total, engine.count("zyxwvut")) == (0, 1, 1)


def _block_compression(library: Library, word: bytes) -> list[int]:
    """Each segment's zlib level for the first posting block of `word` (0: stored as is)."""
    levels = []
    with library.fulltext._ix.searcher() as searcher:
        for sub, _ in searcher.leaf_searchers():
            matcher = sub.reader().postings("body", word)
            while not isinstance(matcher, fulltext.W3LeafMatcher):
                matcher = matcher.child  # a segment with deletions wraps its postings
            levels.append(matcher._compression)
    return levels


def test_an_index_written_compressed_by_an_earlier_version_reads_beside_new_segments_and_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Postings are written uncompressed now; a workspace indexed before, with Whoosh's zlib
    blocks, is searched as it is (no rebuild), and a merge rewrites it uncompressed."""
    rng = random.Random(7)
    library = Library(Workspace(tmp_path / "ws"))
    monkeypatch.setattr(fulltext, "POSTINGS_COMPRESSION", 3)  # what earlier versions wrote (Whoosh's default)
    for number in range(12):  # six small segments: Whoosh's merge policy merges them
        write(tmp_path / "corpus" / "old" / f"o{number:03d}.txt", _article(rng, number))
        if number % 2:
            library.sync([tmp_path / "corpus"])
    monkeypatch.undo()
    for number in range(150):
        write(tmp_path / "corpus" / "new" / f"n{number:03d}.txt", _article(rng, 12 + number))
    library.sync([tmp_path / "corpus"])
    assert sorted(_block_compression(library, b"japan")) == [0] + [3] * 6
    queries = ['"the united states"', "japan missiles", "patr*", "kalu~"]
    before = {text: {h.article for h in library.search(text, limit=500).hits} for text in queries}
    for text in queries:
        assert before[text] == set(_reference(library, text)[0]), text
    library.fulltext.optimize()
    library.fulltext._plans.clear()
    library.fulltext._shared.clear()
    # Whoosh's policy merged five of the six small old segments: into one written uncompressed
    assert sorted(_block_compression(library, b"japan")) == [0, 0, 3]
    assert {text: {h.article for h in library.search(text, limit=500).hits} for text in queries} == before
    library.close()
