"""Cleaning the seeds: metadata guessed, boilerplate removed but reported, scraping damage repaired."""

from __future__ import annotations

import datetime as dt
import random

from accord.index import repairs
from accord.index.cleaning import Block, clean
from accord.index.readers import text_blocks
from accord.index.rules import DEFAULT_RULES, compile_rules


def _reasons(article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def test_date_line_gives_the_date_and_hashtags_not_body_text(seed_articles) -> None:
    article = seed_articles["001"]
    assert article.date == dt.date(2023, 12, 23)
    assert article.hashtags == ["Big", "change", "Japan", "starts", "sending", "missiles", "USA"]
    assert "#Big" not in article.text
    assert _reasons(article)["date 2023-12-23 #Big #change #Japan #starts #sending #missiles #USA"] == "date-line"


def test_dateline_gives_place_and_outlet(seed_articles) -> None:
    article = seed_articles["002"]
    assert (article.place, article.outlet) == ("Kyiv", "UNN")
    assert article.title.startswith("Japan agrees to transfer Patriot missiles")
    assert not article.title_guessed
    assert "Kyiv •" not in article.text


def test_section_label_and_headline_are_metadata(seed_articles) -> None:
    article = seed_articles["003"]
    assert article.section == "America"
    assert article.title == "Japan Relaxes Export Restrictions to Sell Patriot Missiles to U.S."
    assert not article.text.startswith(("America", "Japan Relaxes"))


def test_repeated_headline_and_read_time_are_removed(seed_articles) -> None:
    article = seed_articles["004"]
    reasons = [r.reason for r in article.removed]
    assert reasons[:3] == ["headline", "read-time", "repeated-headline"]
    assert article.text.count("Japan Set to Export") == 0
    assert article.text.startswith("Japan has loosened its arms export rules")


def test_boilerplate_is_removed_and_reported_never_lost(seed_articles) -> None:
    removed = {text: reason for a in seed_articles.values() for text, reason in _reasons(a).items()}
    assert removed["Related Posts"] == "related-links"
    assert removed["Back to top button"] == "navigation"
    assert removed["Details"] == removed["Recall"] == "lone-word"
    assert removed["2 min read"] == "read-time"
    teasers = [t for t, reason in removed.items() if reason == "promo"]
    assert any(t.startswith("LOOK HERE: Kim Jong-un") for t in teasers)
    assert any(t.startswith("MORE INFORMATION: Japan: Four ministers") for t in teasers)
    for article in seed_articles.values():
        for line in ("LOOK HERE", "MORE INFORMATION", "Related Posts", "Back to top", "2 min read"):
            assert line not in article.text


def test_a_title_is_guessed_from_the_first_sentence_when_there_is_no_headline(seed_articles) -> None:
    article = seed_articles["000"]
    assert article.title_guessed
    assert article.title.startswith("Japan plans to export surface-to-air missile")
    assert len(article.title) <= 91


def test_glued_words_are_split_and_recoverable(seed_articles) -> None:
    article = seed_articles["000"]
    for glued, split in [("USAafter", "USA after"), ("missilesspecific", "missiles specific"),
                         ("batterieswhich", "batteries which"), ("systemsintended", "systems intended"),
                         ("USAholder", "USA holder")]:
        assert glued not in article.text and split in article.text
        repair = next(r for r in article.repairs if r.original == glued)
        assert repair.kind == "glued-words"
        assert article.text[repair.offset : repair.offset + len(split)] == split


def test_names_and_real_compounds_are_not_split() -> None:
    text = "Lockheed and Mitsubishi build interceptors; geopolitical stockpiles grow nationwide."
    cleaned = clean([Block(1, text)])
    assert cleaned.text == text
    assert cleaned.repairs == []


def test_closed_compounds_the_word_list_lacks_are_not_split() -> None:
    # Found by a story written blind (tests/data/claims/port): "no dockworker will be made
    # redundant" became "no dock worker", which the list knows only as "dockworkers". A compound
    # joins a bare stem to a word; two words that lost their space leave an inflected word or a
    # function word at the seam, and a word cut two ways ("container ship", "containers hip") is
    # left alone.
    text = "No dockworker, carmaker or chipmaker sits behind the paywall of a livestream on the containership."
    cleaned = clean([Block(1, text)])
    assert cleaned.text == text and cleaned.repairs == []
    glued = clean([Block(1, "Tokyo announcedthat it would ship theirweapons and deliveredmissiles.")])
    assert glued.text == "Tokyo announced that it would ship their weapons and delivered missiles."
    assert [r.original for r in glued.repairs] == ["announcedthat", "theirweapons", "deliveredmissiles"]
    # a verb after the seam, or a modal before it, is a clause going on: still two words
    verbs = clean([Block(1, "Five peopledied after the judgeruled that they couldnot stay.")])
    assert verbs.text == "Five people died after the judge ruled that they could not stay."


def test_repeated_fragments_are_dropped(seed_articles) -> None:
    text = seed_articles["002"].text
    assert "going to transfer" in text and "to to" not in text
    assert "spokesman Yoshimasa Hayashi" in text and "Yoshimasa government spokesman" not in text
    assert "international security. security." not in text
    assert text.count('deployment," Emanuel said.') == 1
    assert "Japan's alliance" in text and "Japan's Japan's" not in text
    kinds = {r.kind for r in seed_articles["002"].repairs}
    assert kinds == {"repeated-fragment"}


def test_repeat_finder_matches_the_plain_pattern_scan(seed_articles) -> None:
    # The fast finder only runs the backtracking pattern where words repeat;
    # it must find exactly what scanning every position finds.
    rng = random.Random(7)
    words = "the security. security. of U.S. no no had had Mr. Kishida said , 2023".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 60))) for _ in range(2000)]
    texts += [article.raw for article in seed_articles.values()]
    for text in texts:
        expected = [(m.start(), m.end()) for m in repairs._REPEAT.finditer(text)]
        assert [(m.start(), m.end()) for m in repairs._repeat_matches(text)] == expected


def test_a_paragraph_made_of_repetition_is_kept_as_written() -> None:
    """A word written 200,000 times is not a page with a scraping fault: it is left as it
    is (dropping its repeats a pair at a time cost 9 s for 10 MB), while a long paragraph
    with a few repeats in it is still repaired."""
    degenerate = " ".join(["breakwater"] * 200_000)
    assert repairs.repair_paragraph(degenerate) == (degenerate, [])
    prose = " ".join(f"word{n}" for n in range(50_000))
    faulty = prose.replace("word10 ", "word10 word10 ", 1).replace("word700 word701 ", "word700 word701 word700 word701 ", 1)
    repaired, events = repairs.repair_paragraph(faulty)
    assert repaired == prose and [kind for _, kind, _, _ in events] == ["repeated-fragment"] * 2


def test_legitimate_doubled_words_stay() -> None:
    assert clean([Block(1, "He had had enough of that that morning.")]).text == "He had had enough of that that morning."


def test_a_sentence_broken_across_a_blank_line_is_rejoined(seed_articles) -> None:
    article = seed_articles["001"]
    joined = "from the American companies Raytheon and Lockheed Martin, is also considering"
    assert joined in article.text
    assert any(r.kind == "rejoined-sentence" for r in article.repairs)
    sentence = next(article.sentence_text(s.index) for s in article.sentences if "Financial Times" in article.sentence_text(s.index))
    assert sentence.endswith("BAE Systems.")


def test_raw_text_stays_recoverable(seed_articles, seeds_dir) -> None:
    article = seed_articles["000"]
    source = (seeds_dir / "000_9bbabdd97d7829be.txt").read_text(encoding="utf-8")
    assert "USAafter" in article.raw and "LOOK HERE:" in article.raw
    assert article.raw.split() == source.split()


def test_paragraph_offsets_slice_the_text(seed_articles) -> None:
    for article in seed_articles.values():
        pieces = [article.text[p.start : p.end] for p in article.paragraphs]
        assert "\n\n".join(pieces) == article.text


def test_rules_generalise_beyond_the_seed_strings() -> None:
    lines = ["READ ALSO: Markets fall", "You may also like", "Share on Facebook", "5 min read",
             "© 2024 Example News Ltd. All rights reserved.", "Advertisement", "Skip to content"]
    body = "Officials confirmed the deal on Monday. It will take effect in May."
    cleaned = clean(text_blocks("\n".join([body, *lines, body.replace("Monday", "Tuesday")])))
    assert {r.text for r in cleaned.removed} == set(lines)
    assert "Markets fall" not in cleaned.text


def test_user_rules_extend_the_defaults() -> None:
    rules = [*DEFAULT_RULES, *compile_rules([{"name": "newsletter", "pattern": r"get our .* newsletter.*"}])]
    cleaned = clean(text_blocks("Get our free daily newsletter today\nThe council voted on Monday."), rules=rules)
    assert [(r.text, r.reason) for r in cleaned.removed] == [("Get our free daily newsletter today", "newsletter")]


def test_a_bad_user_rule_is_a_one_line_error() -> None:
    try:
        compile_rules([{"name": "broken", "pattern": "(unclosed"}])
    except ValueError as error:
        assert str(error).startswith("boilerplate rule 'broken': bad pattern")
        assert "\n" not in str(error)
    else:
        raise AssertionError("a bad pattern was accepted")
