"""Anchors that survive text changes (W3C Web Annotation style): offsets, then the
exact quote with its context, then a fuzzy quote match; what is gone is an orphan.
Also the annotation helpers: tag spelling, locate, the sentences a passage covers."""

from __future__ import annotations

import dataclasses

import pytest

from accord.index import anchoring
from accord.index.anchoring import CONTEXT, Anchor, find_quote, place
from accord.index.annotations import Annotation, Orphan, locate, parse_tags, sentences_covered
from accord.index.errors import AccordError


def sentence_anchor(article, index: int) -> Anchor:
    s = article.sentences[index]
    return Anchor.at(article.id, article.text, s.start, s.end)


def without(text: str, start: int, end: int) -> str:
    """`text` with [start, end) taken out, and the whitespace run after it too."""
    while end < len(text) and text[end].isspace():
        end += 1
    return text[:start] + text[end:]


# Anchor.at --------------------------------------------------------------------------------


def test_anchor_at_keeps_quote_and_full_context_in_the_middle() -> None:
    text = "".join(chr(ord("a") + n % 26) for n in range(200))
    anchor = Anchor.at("art", text, 80, 100)
    assert (anchor.article, anchor.start, anchor.end) == ("art", 80, 100)
    assert anchor.quote == text[80:100]
    assert anchor.prefix == text[80 - CONTEXT : 80] and len(anchor.prefix) == CONTEXT
    assert anchor.suffix == text[100 : 100 + CONTEXT] and len(anchor.suffix) == CONTEXT


def test_anchor_at_context_is_cut_at_the_text_edges() -> None:
    text = "0123456789" * 5  # 50 characters
    at_start = Anchor.at("art", text, 0, 4)
    assert at_start.prefix == "" and at_start.suffix == text[4 : 4 + CONTEXT]
    near_start = Anchor.at("art", text, 10, 15)
    assert near_start.prefix == text[:10]  # only 10 characters exist before it
    near_end = Anchor.at("art", text, 40, 45)
    assert near_end.suffix == text[45:] and len(near_end.suffix) == 5
    at_end = Anchor.at("art", text, 46, 50)
    assert at_end.suffix == "" and at_end.prefix == text[46 - CONTEXT : 46]


# find_quote -------------------------------------------------------------------------------


def test_find_quote_exact(seed_articles) -> None:
    article = seed_articles["001"]
    s = article.sentences[7]
    quote = article.text[s.start : s.end]
    assert find_quote(article.text, quote) == (s.start, s.end)
    assert find_quote(article.text, f"  {quote}\n") == (s.start, s.end)  # stray whitespace around it is ignored


def test_find_quote_matches_any_whitespace_run() -> None:
    text = "Officials said the\nmissiles would be  shipped\tsoon. Nothing else."
    start, end = find_quote(text, "said the missiles would be shipped soon.")
    assert text[start:end] == "said the\nmissiles would be  shipped\tsoon."
    # and the other way round: the quote has a line break, the article a space
    assert find_quote("one two three four", "two\nthree") == (4, 13)


def test_find_quote_not_found_is_none() -> None:
    text = "Japan will ship Patriot missiles to the United States."
    assert find_quote(text, "Japan will ship Patriot rockets") is None
    assert find_quote(text, "   ") is None
    assert find_quote(text, "") is None
    assert find_quote(text, "Patriot.*States") is None  # the quote is literal text, not a pattern


# place: offsets, quote, fuzzy, orphan -----------------------------------------------------


def test_unchanged_text_is_placed_by_offsets(seed_articles) -> None:
    article = seed_articles["001"]
    anchor = sentence_anchor(article, 4)
    found = place(anchor, article.text)
    assert found is not None and found.how == "offsets"
    assert (found.start, found.end) == (anchor.start, anchor.end)


def test_a_paragraph_inserted_before_moves_the_quote(seed_articles) -> None:
    article = seed_articles["001"]
    anchor = sentence_anchor(article, 7)
    inserted = "Editor's note: this report was updated with the cabinet's statement.\n\n"
    paragraph = article.paragraphs[article.sentences[2].paragraph]
    text = article.text[: paragraph.start] + inserted + article.text[paragraph.start :]
    found = place(anchor, text)
    assert found is not None and found.how == "quote"
    assert (found.start, found.end) == (anchor.start + len(inserted), anchor.end + len(inserted))
    assert text[found.start : found.end] == anchor.quote


QUOTE = "the deal was done."
REPEATED = [
    "Officials in Tokyo told reporters that the deal was done. The opposition called it a mistake.",
    "Later on Friday, an American diplomat also insisted the deal was done. Markets rose on the news.",
]


def test_a_repeated_quote_is_found_by_its_context_not_its_first_occurrence() -> None:
    text = "\n\n".join(REPEATED)
    second = text.rindex(QUOTE)
    assert text.index(QUOTE) < second  # the quote is there twice
    anchor = Anchor.at("art", text, second, second + len(QUOTE))

    shifted = "A new first paragraph, added when the page was scraped again.\n\n" + text
    found = place(anchor, shifted)
    assert found is not None and found.how == "quote"
    assert found.start == shifted.rindex(QUOTE)  # not shifted.index(QUOTE), the first one

    # Paragraphs swapped: the other occurrence now sits nearer the old offset,
    # yet the stored prefix and suffix still pick the diplomat's sentence.
    swapped = "\n\n".join(reversed(REPEATED))
    found = place(anchor, swapped)
    assert found is not None and found.how == "quote"
    assert found.start == swapped.index(QUOTE)
    assert abs(swapped.rindex(QUOTE) - anchor.start) < abs(found.start - anchor.start)
    assert swapped[found.start - 30 : found.start].endswith("diplomat also insisted ")


def test_among_occurrences_with_equal_context_the_nearest_the_old_offset_wins() -> None:
    unit = "The minister said the deal was done.\n\n"
    assert len(unit) > CONTEXT  # so inner occurrences have identical context
    text = unit * 5
    quote = unit.strip()
    third = 2 * len(unit)
    anchor = Anchor.at("art", text, third, third + len(quote))
    found = place(anchor, "\n" + text)
    assert found is not None and found.how == "quote"
    assert found.start == third + 1


def test_one_word_changed_is_found_by_fuzzy_match(seed_articles) -> None:
    article = seed_articles["001"]
    anchor = sentence_anchor(article, 7)  # "Following a review ..., Japan decided to supply the United States ..."
    assert "Japan decided to supply" in anchor.quote
    at = anchor.start + anchor.quote.index("decided")
    text = article.text[:at] + "agreed" + article.text[at + len("decided") :]
    changed = anchor.quote.replace("decided", "agreed")
    found = place(anchor, text)
    assert found is not None and found.how == "fuzzy"
    assert text[found.start : found.end] == changed  # the whole changed sentence, and nothing else


def test_a_changed_word_after_an_inserted_paragraph_is_still_found(seed_articles) -> None:
    article = seed_articles["004"]
    anchor = sentence_anchor(article, 7)
    words = anchor.quote.split()
    victim = max(words[2:-2], key=len)  # a long word from the middle of the sentence
    changed = anchor.quote.replace(victim, victim.upper(), 1)
    text = "Update: corrected.\n\n" + article.text.replace(anchor.quote, changed, 1)
    found = place(anchor, text)
    assert found is not None and found.how == "fuzzy"
    assert text[found.start : found.end] == changed


def test_a_deleted_sentence_is_an_orphan_and_does_not_latch_onto_a_neighbour(seed_articles) -> None:
    article = seed_articles["001"]
    for index in (3, 7, 9):  # 3 and 7 share their paragraph with a neighbour, 9 is a whole paragraph
        anchor = sentence_anchor(article, index)
        text = without(article.text, anchor.start, anchor.end)
        assert anchor.quote not in text
        assert place(anchor, text) is None, index
        # the neighbours themselves are still found, at their new offsets
        for neighbour in (index - 1, index + 1):
            other = sentence_anchor(article, neighbour)
            found = place(other, text)
            assert found is not None and text[found.start : found.end] == other.quote


def test_a_near_duplicate_sentence_does_not_stand_in_for_a_deleted_one(seed_articles) -> None:
    # 003's sentences 1 and 4 both state the lede (they are in one claim); delete 4
    article = seed_articles["003"]
    anchor = sentence_anchor(article, 4)
    text = without(article.text, anchor.start, anchor.end)
    assert place(anchor, text) is None


def test_short_quotes_are_never_fuzzy_matched(monkeypatch: pytest.MonkeyPatch) -> None:
    quote = "to go to it"
    assert len(quote) < anchoring.FUZZY_MIN_QUOTE
    text = f"They said they want {quote} now."
    start = text.index(quote)
    anchor = Anchor.at("art", text, start, start + len(quote))
    changed = text.replace(quote, "to go to us")
    assert place(anchor, changed) is None
    # it is the length rule that refuses it: the near match would pass otherwise
    monkeypatch.setattr(anchoring, "FUZZY_MIN_QUOTE", 1)
    found = place(anchor, changed)
    assert found is not None and found.how == "fuzzy"
    assert found.start == start and changed[found.start : found.end].startswith("to go to")


def test_a_quote_too_different_is_not_fuzzy_matched(seed_articles) -> None:
    article = seed_articles["001"]
    anchor = sentence_anchor(article, 7)
    words = anchor.quote.split()
    rewritten = " ".join(w.upper() if n % 2 else w for n, w in enumerate(words))  # half the words changed
    text = article.text.replace(anchor.quote, rewritten, 1)
    assert place(anchor, text) is None


# locate -----------------------------------------------------------------------------------


def test_locate_places_what_it_can_and_keeps_the_rest_as_orphans(seed_articles) -> None:
    article = seed_articles["001"]
    kept, gone, moved = (sentence_anchor(article, i) for i in (2, 6, 9))
    text = without(article.text, gone.start, gone.end)
    text = "Preface.\n\n" + text
    today = dataclasses.replace(article, text=text)
    missing = Anchor("no-such-article", 0, 5, "Hello", "", "")
    annotations = [Annotation(n, anchor) for n, anchor in enumerate((moved, gone, missing, kept), 1)]
    placed, orphans = locate(annotations, {article.id: today}.get)
    assert [p.id for p in placed] == [4, 1]  # in text order
    assert all(p.how == "quote" for p in placed)
    assert [(o.annotation.id, o.reason) for o in orphans] == [
        (2, "passage not found in the article's current text"),
        (3, "article no longer in the workspace"),
    ]
    assert all(isinstance(o, Orphan) for o in orphans)
    for p in placed:
        assert text[p.start : p.end] == p.annotation.anchor.quote


# parse_tags -------------------------------------------------------------------------------


def test_parse_tags_separators_hash_case_and_duplicates() -> None:
    assert parse_tags("#Policy, people  #POLICY,,japan-us\tus/japan") == ("policy", "people", "japan-us", "us/japan")
    assert parse_tags("a.b:c+d_e") == ("a.b:c+d_e",)
    assert parse_tags("Straße STRASSE") == ("strasse",)  # case folded, then a duplicate
    assert parse_tags("") == () and parse_tags(" , # ## ") == ()


@pytest.mark.parametrize(("typed", "bad"), [
    ("good, bad!tag", "bad!tag"), ("-lead", "-lead"), ('quote"d', 'quote"d'), ("a,b;c", "b;c"), ("ok #(x)", "#(x)"),
])
def test_parse_tags_refuses_a_bad_tag_and_names_it(typed: str, bad: str) -> None:
    with pytest.raises(AccordError) as caught:
        parse_tags(typed)
    assert str(caught.value).startswith(f"{bad!r} is not a tag")


# sentences_covered ------------------------------------------------------------------------


def test_sentences_covered(seed_articles) -> None:
    article = seed_articles["001"]
    s = article.sentences
    assert sentences_covered(article, s[3].start + 5, s[3].end - 5) == range(3, 4)
    assert sentences_covered(article, s[3].start, s[3].end) == range(3, 4)  # ends exactly where 3 ends
    assert sentences_covered(article, s[3].start + 10, s[5].start + 10) == range(3, 6)
    assert sentences_covered(article, s[3].end, s[4].start + 3) == range(4, 5)  # from the gap into 4
    assert sentences_covered(article, s[0].start, s[-1].end) == range(0, len(s))
    assert sentences_covered(article, len(article.text), len(article.text)) == range(0)


@pytest.mark.parametrize("position", [0, -1])
def test_a_changed_first_or_last_word_stays_inside_the_found_passage(seed_articles, position: int) -> None:
    article = seed_articles["001"]
    anchor = sentence_anchor(article, 7)
    words = anchor.quote.rstrip(".").split()
    victim = words[position]
    at = anchor.start + (anchor.quote.index(victim) if position == 0 else anchor.quote.rindex(victim))
    text = article.text[:at] + "Reportedly" + article.text[at + len(victim):]
    found = place(anchor, text)
    assert found is not None and found.how == "fuzzy"
    expected_end = anchor.end + len("Reportedly") - len(victim)
    assert (found.start, found.end) == (anchor.start, expected_end), text[found.start : found.end]


def test_a_passage_in_the_gap_between_sentences_covers_none(seed_articles) -> None:
    article = seed_articles["001"]
    gap = article.sentences[0].end
    assert article.text[gap].isspace()
    assert list(sentences_covered(article, gap, gap + 1)) == []
