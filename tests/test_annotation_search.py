"""Search over annotations: `tag:` and `note:` filters, alone, together, with words
and with claim filters."""

from __future__ import annotations

import pytest

from accord.index import claim_query
from accord.index.anchoring import Anchor
from accord.index.annotations import Annotation, AnnotationMap, locate
from accord.index.claims import find_claims
from accord.index.errors import QueryError
from accord.index.library import Library
from accord.index.support import SupportMap

from claims_eval import DATA


@pytest.fixture
def quake(library: Library) -> Library:
    library.sync([DATA / "quake"])
    return library


def annotate(library: Library) -> tuple[AnnotationMap, list]:
    """Two annotated passages: sentence 0 of the first article (tag policy, note
    about deterrence) and sentences 1-2 of the second (tags rescue and policy)."""
    first, second = (library.article(i) for i in library.catalog.all_ids()[:2])
    s0 = first.sentences[0]
    s1, s2 = second.sentences[1], second.sentences[2]
    annotations = [
        Annotation(1, Anchor.at(first.id, first.text, s0.start, s0.end), ("policy",), "A question of Deterrence."),
        Annotation(2, Anchor.at(second.id, second.text, s1.start, s2.end), ("rescue", "policy"), "teams"),
    ]
    placed, orphans = locate(annotations, library.article)
    assert not orphans
    return AnnotationMap(placed, library.article), [(first.id, 0), (second.id, 1), (second.id, 2)]


def test_tag_filter_lists_every_sentence_of_the_tagged_passages(quake: Library) -> None:
    notes, sentences = annotate(quake)
    result = claim_query.search(quake, None, "tag:policy", limit=50, notes=notes)
    assert sorted((h.article, h.sentence) for h in result.hits) == sorted(sentences)
    rescue = claim_query.search(quake, None, "tag:#Rescue", limit=50, notes=notes)
    assert sorted((h.article, h.sentence) for h in rescue.hits) == sorted(sentences[1:])


def test_note_filter_matches_words_of_the_note_in_any_case(quake: Library) -> None:
    notes, sentences = annotate(quake)
    result = claim_query.search(quake, None, "note:deterrence", limit=50, notes=notes)
    assert [(h.article, h.sentence) for h in result.hits] == [sentences[0]]
    both = claim_query.search(quake, None, "tag:policy note:teams", limit=50, notes=notes)
    assert sorted((h.article, h.sentence) for h in both.hits) == sorted(sentences[1:])
    assert claim_query.search(quake, None, "tag:rescue note:deterrence", limit=50, notes=notes).hits == []


def test_annotation_filters_combine_with_words_and_claim_filters(quake: Library) -> None:
    notes, sentences = annotate(quake)
    first = quake.article(sentences[0][0])
    word = next(w for w in first.sentence_text(0).split() if len(w) > 5 and w.isalpha())
    result = claim_query.search(quake, None, f"tag:policy {word}", limit=50, notes=notes)
    assert (first.id, 0) in [(h.article, h.sentence) for h in result.hits]
    for hit in result.hits:
        assert (hit.article, hit.sentence) in sentences
        assert any(word.lower() in hit.snippet[s:e].lower() for s, e in hit.highlights)
    support = SupportMap(find_claims([quake.article(i) for i in quake.catalog.all_ids()]))
    single = claim_query.search(quake, support, "tag:policy single:yes", limit=50, notes=notes)
    for hit in single.hits:
        assert (hit.article, hit.sentence) in sentences
        entry = support.get(hit.article, hit.sentence)
        assert entry is not None and entry.claim is None


def test_annotation_filters_need_the_annotations_and_a_word(quake: Library) -> None:
    with pytest.raises(QueryError, match="annotations"):
        claim_query.search(quake, None, "tag:policy", limit=5)
    with pytest.raises(QueryError, match="tag: takes a word"):
        claim_query.parse("tag:")
