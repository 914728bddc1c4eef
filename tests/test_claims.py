"""Claim detection against hand-labelled sets (tests/data/claims), with quality floors.

The floors sit just under what the method reaches today, so any regression fails.
A sentence stating two facts outright is labelled in both claims (the engine may put it in
two); one given in passing is listed under `also`, which is why strict precision is lower.
Every labelled set is a tuning set: `rates`, held out once, has been looked at since.
"""

from __future__ import annotations

import json
from collections import Counter
import subprocess
import sys
from pathlib import Path

import pytest

from accord.index.claims import DEFAULT_THRESHOLD, find_claims
from accord.index.decisions import LinkDecision, SentenceRef
from accord.index.ingest import articles_from_bytes, load
from claims_eval import DATA, fire_set, labelled_ref, quake_set, score, seeds_set, story_set


@pytest.fixture(scope="module")
def seeds():
    return seeds_set()


@pytest.fixture(scope="module")
def quake():
    return quake_set()


@pytest.fixture(scope="module")
def fire():
    return fire_set()


# Figures at DEFAULT_THRESHOLD = 0.33 (`python tests/claims_eval.py --sweep` scores 0.29..0.37 on every
# set); `pairs` are true cross-outlet pairs linked, P is linked-pair precision (`also` links right;
# strict: not); "two-claim" counts sentences labelled in two claims whose claims were each found by a
# claim of its own (strict), or found linked to both in any way (lenient: one claim merging both counts):
#   seeds:  pairs 27/55 P=0.84 (strict 0.53), claims 9/12, two-claim 1/1 (lenient 1), single-source P=0.47 R=0.67
#   quake:  pairs 16/16 P=1.00, claims 7/7
#   fire:   pairs 32/35 P=0.89, claims 8/8, single-source P=0.80 R=0.57
#   court:  pairs 36/56 P=0.98 (strict 0.82), claims 9/10, two-claim 1/4 (lenient 3), single-source P=0.44 R=1.00
#   recall: pairs 27/33 P=0.82 (strict 0.68), claims 8/9, two-claim 1/6 (lenient 3), single-source P=1.00 R=0.83
#   rates:  pairs 17/30 P=0.81, claims 7/8, two-claim 0/3 (lenient 2), single-source P=0.71 R=0.83
# The seeds miss issue 12's targets (32 of 55 pairs at P >= 0.8, 10 of 12 claims): those figures were
# reached with topic synonyms (weapons/arms, manufacture/produce, stockpile/inventory) written into the
# lexicon for them, and the lexicon now holds general paraphrase only (see the lexicon test below).
# Fire's single-source recall fell from 0.71 to 0.57 when words only one sentence uses came to weigh
# less (an injured-workers detail joins the lede's claim); pooled over the sets it rose in precision.


def test_seed_claims_reach_the_quality_floors(seeds) -> None:
    result = score(seeds)
    print(result)
    assert result.pairs_true == 55 and result.claims_true == 12  # the count of the seed labels
    assert result.pairs_linked >= 26 and result.pair_precision >= 0.82 and result.strict_precision >= 0.5
    assert result.claims_linked >= 9 and result.multi_strict >= 1
    assert result.single_precision >= 0.45 and result.single_recall >= 0.65


def test_second_story_claims_reach_the_quality_floors(quake) -> None:
    result = score(quake)
    print(result)
    assert result.pair_precision >= 0.97 and result.pair_recall >= 0.95
    assert result.claims_recovered >= 0.99


def test_third_story_claims_reach_the_quality_floors(fire) -> None:
    result = score(fire)
    print(result)
    assert result.pair_precision >= 0.87 and result.pair_recall >= 0.9
    assert result.claims_recovered >= 0.99
    assert result.single_precision >= 0.78 and result.single_recall >= 0.55


@pytest.mark.parametrize("name, pairs, precision, claims, two_claim, lenient", [
    ("court", 35, 0.95, 9, 1, 3),
    ("recall", 26, 0.8, 8, 1, 3),
])
def test_new_stories_reach_the_quality_floors(name: str, pairs: int, precision: float, claims: int, two_claim: int,
                                              lenient: int) -> None:
    labelled = story_set(name)
    result = score(labelled)
    print(result)
    assert result.pairs_linked >= pairs and result.pair_precision >= precision
    assert result.claims_linked >= claims and result.multi_strict >= two_claim and result.multi_found >= lenient
    assert result.single_recall >= 0.8


@pytest.mark.parametrize("name", ["court", "recall"])
def test_new_stories_name_discrepancies(name: str) -> None:
    """The misspelt person is found; look-alike names one outlet writes both of (or a
    person and a shop) are not discrepancies; no discrepancy has one outlet only."""
    labelled = story_set(name)
    result = score(labelled)
    found = {(d.kind, frozenset(d.variants)) for d in result.report.discrepancies}
    for d in labelled.discrepancies:
        if d["kind"] == "name":
            assert ("name", frozenset(d["variants"])) in found
    for pair in labelled.not_discrepancies:
        assert ("name", frozenset(pair)) not in found
    assert result.false_names == [] and result.self_conflicts == 0


def test_the_fire_discrepancies_are_found_and_typed(fire) -> None:
    found = {(d.kind, frozenset(d.variants)) for d in score(fire).report.discrepancies}
    for labelled in fire.discrepancies:
        assert (labelled["kind"], frozenset(labelled["variants"])) in found


def test_the_claims_several_outlets_make_in_the_seeds_are_found(seeds) -> None:
    """Six of the seven claims three or more outlets make. The seventh (Japan relaxed its rules on
    exporting weapons: "arms export rules", "restrictions on the export of weapons", "the green light")
    was found only while the lexicon held weapons/arms as one hand-written concept."""
    report = score(seeds).report
    found = [{(m.article, m.sentence) for m in claim.members} for claim in report.claims]
    several = [claim for claim in seeds.claims if len({article for article, _ in claim}) >= 3]
    recovered = [claim for claim in several if any(len({a for a, _ in set(claim) & group}) >= 2 for group in found)]
    assert len(several) == 7 and len(recovered) >= 6


def test_the_misspelt_spokesman_is_a_name_discrepancy(seeds) -> None:
    discrepancies = score(seeds).report.discrepancies
    variants = [set(d.variants) for d in discrepancies if d.kind == "name"]
    assert {"Hajasi", "Hayashi"} in variants
    assert all(len(v) == 2 for v in variants) and len(variants) <= 3  # no noise from possessives or compounds


def test_numbers_and_names_that_disagree_are_typed(quake) -> None:
    found = {(d.kind, frozenset(d.variants)) for d in score(quake).report.discrepancies}
    for labelled in quake.discrepancies:
        assert (labelled["kind"], frozenset(labelled["variants"])) in found
    assert ("number", frozenset({"4:12"})) not in found  # the same time, written twice alike


def test_articles_that_share_nothing_have_no_claims() -> None:
    report = find_claims(load([DATA / "unrelated"]))
    assert report.claims == [] and report.discrepancies == []


def test_wire_copies_count_as_one_independent_source() -> None:
    report = find_claims(load([DATA / "wire"]))
    strike = next(c for c in report.claims if "2,300" in c.wording)
    assert (strike.support, strike.independent) == (4, 2)  # three copies of one wire story, and one rewrite
    assert strike.wording in {m.text for m in strike.members}


def test_a_higher_threshold_links_less(quake) -> None:
    loose, strict = score(quake, threshold=DEFAULT_THRESHOLD), score(quake, threshold=0.6)
    assert len(strict.report.links) < len(loose.report.links)


def test_claims_command_prints_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "claims", str(DATA / "quake"), "--workspace", str(tmp_path / "ws"), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"sources", "claims", "single_source", "discrepancies"} <= set(data)
    top = data["claims"][0]
    assert {"id", "support", "story_sources", "independent", "members"} <= set(top) and top["support"] == 4 == top["story_sources"]
    assert {"article", "start", "end", "text"} <= set(top["members"][0])
    assert any(set(d["variants"]) == {"12", "14"} for d in data["discrepancies"])


def test_claims_command_rejects_a_bad_threshold(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "claims", str(DATA / "quake"), "--workspace", str(tmp_path / "ws"),
         "--threshold", "7"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "threshold" in done.stderr and "Traceback" not in done.stderr


# Analyst decisions --------------------------------------------------------------------------


def _ref(labelled, label: str) -> SentenceRef:
    article_id, index = labelled_ref(labelled, label)
    article = next(a for a in labelled.articles if a.id == article_id)
    return SentenceRef.of(article, index)


def _together(report, a: SentenceRef, b: SentenceRef) -> bool:
    claim = report.claim_of(a.article, _index(report, a))
    return claim is not None and any(m.article == b.article and m.start == b.start for m in claim.members)


def _index(report, ref: SentenceRef) -> int:
    for m in (m for c in report.claims for m in c.members):
        if m.article == ref.article and m.start == ref.start:
            return m.sentence
    return -1


def test_a_confirmed_link_joins_two_unrelated_sentences(quake) -> None:
    visit, tents = _ref(quake, "c:The prime minister will visit"), _ref(quake, "d:Many residents spent the night")
    assert not _together(find_claims(quake.articles), visit, tents)
    for verdict in ("confirm", "link"):
        report = find_claims(quake.articles, decisions=[LinkDecision(visit, tents, verdict)])
        assert _together(report, visit, tents)
        claim = report.claim_of(visit.article, _index(report, visit))
        assert claim.support == 2 and {m.text for m in claim.members} == {visit.text, tents.text}
        assert tents.text not in {m.text for m in report.single_source}


def test_a_rejected_link_splits_a_pair_the_engine_linked(quake) -> None:
    risk, ruled = _ref(quake, "a:there was no risk of a tsunami"), _ref(quake, "b:Officials ruled out a tsunami")
    assert _together(find_claims(quake.articles), risk, ruled)
    report = find_claims(quake.articles, decisions=[LinkDecision(risk, ruled, "reject")])
    assert not _together(report, risk, ruled)
    assert all({(m.article, m.start) for m in pair[:2]} != {(risk.article, risk.start), (ruled.article, ruled.start)}
               for pair in report.links)


@pytest.mark.parametrize("labelled", ["seeds", "court"])
def test_taking_a_sentence_out_of_a_claim_moves_nothing_else(labelled: str) -> None:
    # `x` in the reader: the sentence is rejected by every other member of its claim. It once
    # rearranged half the story's claims (the rejected pairs, scored 0, changed every mean they
    # were in); now the claim keeps its other members and every other claim stays as it was.
    articles = (seeds_set() if labelled == "seeds" else story_set(labelled)).articles
    by_id = {a.id: a for a in articles}
    base = find_claims(articles)

    def claims(report) -> list[frozenset[tuple[str, int]]]:
        return [frozenset((m.article, m.sentence) for m in c.members) for c in report.claims]

    for claim in base.claims[:4]:
        target = claim.members[0]
        here = SentenceRef.of(by_id[target.article], target.sentence)
        decisions = [LinkDecision(here, SentenceRef(m.article, m.start, m.text), "reject")
                     for m in claim.members if m.article != target.article]
        after = claims(find_claims(articles, decisions=decisions))
        gone = (target.article, target.sentence)
        for before in claims(base):
            if gone not in before:
                assert before in after  # another claim, untouched
            elif before == claims(base)[base.claims.index(claim)]:
                rest = before - {gone}
                # its other members stay, or the part of them that still holds as a claim (a pair
                # must clear the threshold by its margin; a member unlike the rest leaves)
                assert rest in after or len({by_id[a].source for a, _ in rest}) < 2 or any(
                    c < rest for c in after) or len(rest) == 2
        assert not any(gone in c and c & {(m.article, m.sentence) for m in claim.members} - {gone} for c in after)
        # nothing new: a claim found before, or what is left of one the sentence was in
        assert all(c in claims(base) or any(gone in b and c <= b - {gone} for b in claims(base)) for c in after)


def test_a_link_made_after_taking_a_sentence_out_wins_for_its_pair() -> None:
    # `x` then `L` back to one member: the later link holds those two together (they once ended
    # in no claim together: the sentence left its claim with the link's partner still in it).
    articles = seeds_set().articles
    by_id = {a.id: a for a in articles}
    base = find_claims(articles)
    wide = [c for c in base.claims if len({m.article for m in c.members}) >= 3]
    assert len(wide) >= 5
    for claim in wide:
        x = claim.members[0]
        here = SentenceRef.of(by_id[x.article], x.sentence)
        others = [m for m in claim.members if m.article != x.article]
        refs = [SentenceRef(m.article, m.start, m.text) for m in others]
        decisions = [LinkDecision(here, ref, "reject") for ref in refs] + [LinkDecision(here, refs[0], "link")]
        after = find_claims(articles, decisions=decisions)
        together = [c for c in after.claims if {(x.article, x.sentence), (others[0].article, others[0].sentence)}
                    <= {(m.article, m.sentence) for m in c.members}]
        assert together, claim.id
        for c in together:  # and the other rejections still hold
            assert not {(m.article, m.sentence) for m in c.members} & {(m.article, m.sentence) for m in others[1:]}


def test_a_reject_beats_a_transitive_chain(quake) -> None:
    a = _ref(quake, "a:Rescue teams pulled 30 survivors")
    b = _ref(quake, "b:Emergency crews rescued 30 people")
    c = _ref(quake, "c:Thirty survivors were freed")
    assert _together(find_claims(quake.articles), a, c)
    # a-b and b-c confirmed, a-c rejected last: the reject wins, a and c never share a claim
    decisions = [LinkDecision(a, b, "confirm"), LinkDecision(b, c, "confirm"), LinkDecision(a, c, "reject")]
    report = find_claims(quake.articles, decisions=decisions)
    assert not _together(report, a, c)
    assert _together(report, b, c) and not _together(report, a, b)  # of the joins, the newer (b-c) holds
    # the same conflict with the reject first: the later confirms win and all three join
    report = find_claims(quake.articles, decisions=decisions[2:] + decisions[:2])
    assert _together(report, a, b) and _together(report, b, c) and _together(report, a, c)


def test_a_decision_naming_a_vanished_sentence_is_stale(quake) -> None:
    risk, ruled = _ref(quake, "a:there was no risk of a tsunami"), _ref(quake, "b:Officials ruled out a tsunami")
    gone = SentenceRef(risk.article, risk.start, "A sentence the cleaner no longer produces.")
    elsewhere = SentenceRef("no-such-article", 0, risk.text)
    stale = [LinkDecision(gone, ruled, "reject"), LinkDecision(elsewhere, ruled, "reject")]
    report = find_claims(quake.articles, decisions=stale)
    assert report.stale_decisions == stale
    assert _together(report, risk, ruled)  # the stale reject changed nothing
    assert find_claims(quake.articles).stale_decisions == []


def test_claim_of_finds_a_sentences_claim() -> None:
    report = find_claims(story_set("court").articles)  # ledes there state two facts at once
    for claim in report.claims:
        for m in claim.members:
            found = report.claims_of(m.article, m.sentence)
            assert claim in found and report.claim_of(m.article, m.sentence) is found[0]
    assert any(len(report.claims_of(m.article, m.sentence)) == 2 for c in report.claims for m in c.members)
    lone = report.single_source[0]
    assert report.claim_of(lone.article, lone.sentence) is None


# Discrepancy typing --------------------------------------------------------------------------

BRIDGE_A = """---
title: Bridge collapse kills 12
source: Alpha Times
---
Rescuers said 12 people died when the Marrow bridge collapsed on December 22.

The bridge fell at 7:15 in the evening, during the rush hour.

Inspector Marguerite Olafsdottir will lead the inquiry into the collapse.

The mayor said the city would hold a day of mourning on Friday.
"""
BRIDGE_B = """---
title: Marrow bridge falls
source: Beta News
---
Officials said 14 people were killed when the Marrow bridge collapsed on December 23.

The bridge fell at 7:45 in the evening, in the middle of the rush hour.

Inspector Marguerite Olafsdotir will head the inquiry into the collapse.

The city will hold a day of mourning on Saturday, the mayor said.
"""


def _articles(tmp_path: Path, *texts: str) -> list:
    found = []
    for number, text in enumerate(texts):
        articles, _ = articles_from_bytes(text.encode(), tmp_path / f"{number}.txt")
        found.extend(articles)
    return found


def test_a_run_on_sentence_is_compared_by_its_first_characters_and_shown_whole(tmp_path: Path) -> None:
    from accord.index.claims.features import COMPARED_CHARS, features

    run_on = "The harbour ferry resumed on Monday " + "and then " * 2_000 + "Zanzibar heard of it"
    [article] = _articles(tmp_path, f"Ferry\n\n{run_on}.\n")
    long = max(range(len(article.sentences)), key=lambda i: len(article.sentence_text(i)))
    assert len(article.sentence_text(long)) > COMPARED_CHARS
    sentence = features(article, long, "Outlet")
    assert "monday" in sentence.terms and not any(t.startswith("zanzibar") for t in sentence.terms)
    assert sentence.member.text.endswith("Zanzibar heard of it.")  # what the panel and the briefing quote
    # Cut at a space, never inside a word or a number: "12,500" is not "12,5".
    head = "The harbour ferry resumed on Monday with "
    filler = "x" * (COMPARED_CHARS - len(head) - 3 - 1)  # "12,500" starts 3 characters before the limit
    [article] = _articles(tmp_path, f"Ferry\n\n{head}{filler} 12,500 passengers aboard today.\n")
    terms = features(article, 0, "Outlet").terms
    assert not any(t.startswith("#12") for t in terms) and "monday" in terms


@pytest.fixture
def bridge(tmp_path: Path):
    return find_claims(_articles(tmp_path, BRIDGE_A, BRIDGE_B)).discrepancies


def test_a_count_that_differs_is_a_number_with_its_unit(bridge) -> None:
    number = next(d for d in bridge if d.kind == "number")
    assert set(number.variants) == {"12", "14"} and set(number.phrases) == {"12 people", "14 people"}
    assert len({m.article for m in number.members}) == 2


def test_differing_dates_and_weekdays_are_dates(bridge) -> None:
    dates = {frozenset(d.variants) for d in bridge if d.kind == "date"}
    assert dates == {frozenset({"December 22", "December 23"}), frozenset({"Friday", "Saturday"})}


def test_differing_clock_times_are_times(bridge) -> None:
    assert [set(d.variants) for d in bridge if d.kind == "time"] == [{"7:15", "7:45"}]


def test_a_near_identical_spelling_is_a_name(bridge) -> None:
    assert [set(d.variants) for d in bridge if d.kind == "name"] == [{"Olafsdottir", "Olafsdotir"}]


def test_agreeing_reports_have_no_discrepancies(tmp_path: Path) -> None:
    same = BRIDGE_B.replace("14", "12").replace("23", "22").replace("7:45", "7:15").replace("Olafsdotir", "Olafsdottir")
    report = find_claims(_articles(tmp_path, BRIDGE_A, same.replace("Saturday", "Friday")))
    assert report.claims and report.discrepancies == []


# Story blocking ---------------------------------------------------------------------------------


def test_stories_keep_the_labelled_events_apart(seeds, quake, fire) -> None:
    from accord.index.claims.features import features as _features
    from accord.index.stories import group_stories

    sets = {"seeds": seeds.articles, "quake": quake.articles, "fire": fire.articles,
            "unrelated": list(load([DATA / "unrelated"])), "wire": list(load([DATA / "wire"]))}
    articles = [a for group in sets.values() for a in group]
    event = {a.id: name for name, group in sets.items() for a in group}
    bags = [Counter(t for i in range(len(a.sentences)) for t in _features(a, i, "").terms) for a in articles]
    stories = [{event[articles[n].id] for n in story} for story in group_stories(bags)]
    assert all(len(names) == 1 for names in stories)  # no story mixes two events
    for name in ("seeds", "quake", "fire", "wire"):
        assert [name] in [sorted(s) for s in stories]  # each event is one story
        assert sum(s == {name} for s in stories) == 1


def test_analyst_joins_put_two_articles_in_one_story() -> None:
    from accord.index.stories import group_stories

    bags = [Counter({"chess": 3, "opening": 2}), Counter({"tulip": 3, "garden": 2})]
    assert len(group_stories(bags)) == 2
    assert group_stories(bags, joins=[(0, 1)]) == [[0, 1]]


def test_claims_over_several_stories_have_unique_ids(seeds, quake, fire) -> None:
    mixed = find_claims(seeds.articles + quake.articles + fire.articles)
    ids = [c.id for c in mixed.claims]
    assert len(ids) == len(set(ids))
    event = {a.id: n for n, s in enumerate((seeds, quake, fire)) for a in s.articles}
    assert all(len({event[m.article] for m in c.members}) == 1 for c in mixed.claims)
    alone = sum(len(find_claims(s.articles).claims) for s in (seeds, quake, fire))
    assert abs(len(mixed.claims) - alone) <= 2  # the mixed IDF may shift a borderline link


def test_a_claims_outlet_count_is_its_storys(seeds, quake, fire, monkeypatch: pytest.MonkeyPatch) -> None:
    """With story blocking on (as in a large corpus), "n of N outlets" counts the claim's
    own story, so "every outlet" still means every outlet of that event."""
    import accord.index.claims.engine as claims_module

    monkeypatch.setattr(claims_module, "SINGLE_BLOCK", 0)
    sets = (seeds, quake, fire)
    outlets = {a.id: len({b.source for b in s.articles}) for s in sets for a in s.articles}
    mixed = find_claims([a for s in sets for a in s.articles])
    assert mixed.sources == sum(len({a.source for a in s.articles}) for s in sets)
    assert mixed.claims
    for claim in mixed.claims:
        assert claim.story_sources == outlets[claim.members[0].article]
    assert any(c.support == c.story_sources for c in mixed.claims)  # some claims every outlet of an event makes


# Worker processes ---------------------------------------------------------------------------------


def test_the_parallel_path_finds_what_the_serial_one_does(seeds, quake, fire, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stories done by worker processes give the in-process report exactly: claims,
    links, single-source sentences, discrepancies, and the decisions applied."""
    import accord.index.claims.engine as claims_module
    from accord.index import claims_parallel

    articles = seeds.articles + quake.articles + fire.articles + list(load([DATA / "wire"]))
    visit, tents = _ref(quake, "c:The prime minister will visit"), _ref(quake, "d:Many residents spent the night")
    risk, ruled = _ref(quake, "a:there was no risk of a tsunami"), _ref(quake, "b:Officials ruled out a tsunami")
    blaze = SentenceRef.of(fire.articles[0], 0)
    decisions = [
        LinkDecision(visit, tents, "confirm"),
        LinkDecision(risk, ruled, "reject"),
        LinkDecision(visit, blaze, "link"),  # joins two stories into one
        LinkDecision(SentenceRef(risk.article, risk.start, "A sentence that is gone."), ruled, "reject"),
    ]
    monkeypatch.setattr(claims_module, "SINGLE_BLOCK", 0)  # cut into stories, as a large corpus is
    serial = find_claims(articles, decisions=decisions)

    started: list = []

    class CountedWorker(claims_parallel._Worker):
        def __init__(self, results) -> None:
            started.append(self)
            super().__init__(results)

    monkeypatch.setattr(claims_parallel, "_Worker", CountedWorker)
    monkeypatch.setattr(claims_module, "worker_count", lambda articles: 2)
    parallel = find_claims(articles, decisions=decisions)
    assert len(started) == 2
    assert parallel == serial
    assert [c.id for c in parallel.claims] == [c.id for c in serial.claims]
    assert parallel.links == serial.links and len(parallel.stale_decisions) == 1
    assert _together(parallel, visit, tents) and _together(parallel, visit, blaze)
    assert not _together(parallel, risk, ruled)
    assert {d.kind for d in parallel.discrepancies} >= {"number", "name"}


def test_workers_return_results_in_job_order() -> None:
    import math

    from accord.index.claims_parallel import Workers

    with Workers(2) as workers:
        assert workers.map(math.sqrt, [4.0, 9.0, 16.0, 25.0], costs=[1, 3, 2, 4]) == [2.0, 3.0, 4.0, 5.0]


def test_a_failing_job_is_an_accord_error() -> None:
    import math

    from accord.index.claims_parallel import Workers
    from accord.index.errors import AccordError

    with Workers(2) as workers, pytest.raises(AccordError, match="ValueError: math domain error"):
        workers.map(math.sqrt, [4.0, -1.0, 9.0])


def test_a_worker_that_dies_is_an_accord_error() -> None:
    import os

    from accord.index.claims_parallel import Workers
    from accord.index.errors import AccordError

    with Workers(2) as workers, pytest.raises(AccordError, match="stopped unexpectedly .exit code 3"):
        workers.map(os._exit, [3, 3])


# Issue 12: names judged by context, two outlets to disagree, sentences in two claims, progress -------------

CRANE = """---
title: Crane collapse at Valmora harbour
source: {outlet}
---
{name}, the harbour master, said a container crane collapsed onto a ship at Valmora harbour on Sunday.

{time}

{extra}
"""
CRANE_TIMES = [
    "The crane fell at 4:12 a.m., when the night shift was changing.",
    "The crane came down at 4:12 a.m. as the night shift changed.",
    "It fell at 4:12 a.m., during the change of the night shift.",
    "The crane toppled at around 4:12 a.m., as the night shift was changing over.",
    "Workers said the crane fell at 4:12 a.m. during the shift change.",
    "The collapse happened at 4:12 a.m., at the change of the night shift.",
]


def _crane_story(tmp_path: Path) -> list:
    names = ["Teodor Marsh"] * 5 + ["Teodor Marsch"]
    extras = ["The ValPort terminal in Valmora stays closed until Wednesday."] + [
        f"Police are questioning the crane's operator, outlet {n} reported." for n in range(1, 6)]
    texts = [CRANE.format(outlet=f"Outlet {n}", name=name, time=time, extra=extra)
             for n, (name, time, extra) in enumerate(zip(names, CRANE_TIMES, extras))]
    return _articles(tmp_path, *texts)


def test_a_misspelt_surname_that_is_an_english_word_is_found(tmp_path: Path) -> None:
    """"Marsh" is a common word, but after a first name it is a surname: five outlets
    write Marsh, one Marsch. The first name is the same person's, so one discrepancy."""
    names = [d for d in find_claims(_crane_story(tmp_path)).discrepancies if d.kind == "name"]
    assert [set(d.variants) for d in names] == [{"Marsh", "Marsch"}]
    assert set(names[0].phrases) == {"Teodor Marsh", "Teodor Marsch"}
    assert {m.source for m in names[0].members} >= {"Outlet 5"}  # where the rarer spelling is


def test_one_outlet_writing_two_lookalike_names_is_no_discrepancy(tmp_path: Path) -> None:
    """Outlet 0 writes ValPort (a terminal) and Valmora (the town): two names, not a
    disagreement, though they are two letters apart; a disagreement needs two outlets."""
    report = find_claims(_crane_story(tmp_path))
    assert not any({"ValPort", "Valmora"} == set(d.variants) for d in report.discrepancies)
    assert all(len({m.source for m in d.members}) >= 2 for d in report.discrepancies)


def test_a_surname_one_letter_longer_is_a_misspelling_when_the_first_name_is_the_same(tmp_path: Path) -> None:
    """Five outlets write Arvid Lund, one Arvid Lunde: a misspelt surname, though one
    spelling begins the other (a longer name, "Park" and "Parker", usually is another)."""
    names = ["Arvid Lund"] * 5 + ["Arvid Lunde"]
    texts = [CRANE.format(outlet=f"Outlet {n}", name=name, time=time, extra="")
             for n, (name, time) in enumerate(zip(names, CRANE_TIMES))]
    found = [set(d.variants) for d in find_claims(_articles(tmp_path, *texts)).discrepancies if d.kind == "name"]
    assert found == [{"Lund", "Lunde"}]


def test_lookalike_names_one_outlet_writes_both_of_are_two_names(tmp_path: Path) -> None:
    """Outlet 0 names the ferry Nordvind and its operator Nordline; other outlets name only
    one of them. Nordvind and Nordline are two letters apart, but an outlet that writes both
    tells them apart: no discrepancy."""
    extras = ["The ferry Nordvind belongs to Nordline, which suspended the route."] + [
        "The ferry Nordvind was damaged." if n % 2 else "Nordline suspended the route." for n in range(1, 6)]
    texts = [CRANE.format(outlet=f"Outlet {n}", name="Teodor Marsh", time=time, extra=extra)
             for n, (time, extra) in enumerate(zip(CRANE_TIMES, extras))]
    report = find_claims(_articles(tmp_path, *texts))
    assert not [d.variants for d in report.discrepancies if d.kind == "name"]


def test_at_around_a_time_joins_the_claim_of_that_time(tmp_path: Path) -> None:
    report = find_claims(_crane_story(tmp_path))
    around = next(m for c in report.claims for m in c.members if "around 4:12" in m.text)
    claim = report.claim_of(around.article, around.sentence)
    assert claim.support >= 5 and all("4:12" in m.text for m in claim.members)
    assert not any("around 4:12" in m.text for m in report.single_source)
    assert not any(d.kind == "time" for d in report.discrepancies)


def test_a_sentence_stating_two_facts_is_in_both_claims(tmp_path: Path) -> None:
    """Capital Courier's "Under the 2019 law, operators had to keep the records of about 4.2
    million subscribers for two years" states what the law required and how many people it
    covered: `accord claims --json` lists it in both claims, and each listing names both ids."""
    done = subprocess.run(
        [sys.executable, "-m", "accord", "claims", str(DATA / "court"), "--workspace", str(tmp_path / "ws"), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    claims = json.loads(done.stdout)["claims"]
    opening = "Under the 2019 law, operators had to keep"
    holding = [c for c in claims if any(m["text"].startswith(opening) for m in c["members"])]
    assert len(holding) == 2
    others = {c["id"]: [m["text"] for m in c["members"] if not m["text"].startswith(opening)] for c in holding}
    assert any(any("adopted in 2019" in text for text in texts) for texts in others.values())  # what the law required
    assert any(any("4.2 million" in text for text in texts) for texts in others.values())  # how many it covered
    for claim in holding:
        member = next(m for m in claim["members"] if m["text"].startswith(opening))
        assert sorted(member["claims"]) == sorted(others)


def test_progress_is_reported_per_story_with_the_claims_so_far(seeds, quake, fire, monkeypatch) -> None:
    import accord.index.claims.engine as claims_module

    monkeypatch.setattr(claims_module, "PARTIAL_EVERY_S", 0.0)  # a partial report with every story
    calls: list = []
    report = find_claims(seeds.articles + quake.articles + fire.articles,
                         progress=lambda done, total, partial: calls.append((done, total, partial)))
    assert [(done, total) for done, total, _ in calls] == [(n, 3) for n in (1, 2, 3)]
    sizes = [len(partial.claims) for _, _, partial in calls]
    assert sizes == sorted(sizes) and 0 < sizes[0] < sizes[-1]  # finished stories' claims, growing
    assert calls[-1][2] == report  # the last partial report is the report


def test_the_lexicon_is_general_news_paraphrase() -> None:
    """Words the earlier lexicon held for the seeds alone are gone, and so are its topic groups
    (weapons, licences, war, quakes, fires, doctors, hospitals...): the hand-written groups hold
    general news paraphrase only (verbs of saying, supplying, allowing, forbidding, rising, harm;
    country and organisation aliases); other synonyms come from WordNet's table."""
    from accord.index.claims.lexicon import _GROUPS, CONCEPT, PLACES

    for seed_only in ("replenish", "importance", "strengthen", "replenishing", "significance", "bolster", "shore"):
        assert seed_only not in CONCEPT
    topics = {"weapon", "licence", "license", "war", "make", "stock", "quake", "fire", "doctor", "hospital",
              "cancel", "delete", "recall", "building", "worker", "company", "big"}
    assert not topics & set(_GROUPS)
    topic_words = """weapon weapons arms armaments munitions licence license licences war wars conflict hostilities
        manufacture manufactured produce produced stockpile stockpiles inventory inventories earthquake quake tremor
        fire fires blaze flames doctor doctors physician hospital clinic annul annulled void quash overturn erase
        delete withdraw recall building buildings house home worker workers employee staff company companies firm
        large huge major""".split()
    assert [w for w in topic_words if w in CONCEPT] == []
    assert "cancel" not in PLACES.values()
    allowed = {"say", "ask", "warn", "send", "buy", "allow", "forbid", "rules", "relax", "tighten", "change", "rise",
               "fall", "start", "stop", "die", "hurt", "rescue", "aid", "arrest", "accuse", "investigate", "check", "hit",
               "nation", "usa", "uk", "eu", "japan", "china", "russia", "ukraine", "germany", "france", "india",
               "israel", "un"}
    assert set(_GROUPS) <= allowed, set(_GROUPS) - allowed  # a new hand group is a decision, not a tweak
    assert CONCEPT["supply"] == CONCEPT["deliver"] and CONCEPT["prohibit"] == CONCEPT["ban"]
    assert CONCEPT["tokyo"] == CONCEPT["japanese"] and CONCEPT["kremlin"] == CONCEPT["moscow"]


def test_wordnet_synonyms_are_one_term_and_polysemous_words_are_left_alone() -> None:
    from accord.index.claims.features import stem, term
    from accord.index.claims.lexicon import CONCEPT, paraphrase

    assert term("purchased") == term("bought") == term("buy")  # WordNet joins the hand group "buy"
    assert term("constructed") == term("built") == term("build") and term("physician") == term("doctor")
    assert term("occurred") == term("happened") and term("fled") == term("flee")
    for word in ("fire", "charge", "cut", "arm", "strike", "state", "sanction", "minute", "score"):
        assert word in CONCEPT or paraphrase().get(word, stem(word)) == stem(word), word  # many senses: no synonym
    assert term("thousands") == term("thousand") and term("scores") == term("score")  # inflections stay together
    table = paraphrase()
    assert all(word not in CONCEPT for word in table) and len(table) > 500


def test_british_spellings_fold_into_american_ones() -> None:
    from accord.index.claims.features import term
    from accord.index.claims.lexicon import us_spelling

    for british, american in [("licence", "license"), ("labour", "labor"), ("organised", "organized"),
                              ("centre", "center"), ("defence", "defense"), ("neighbouring", "neighboring"),
                              ("analysed", "analyzed"), ("catalogue", "catalog"), ("kilometres", "kilometers"),
                              ("judgement", "judgment"), ("fibre", "fiber")]:
        assert us_spelling(british) == american and term(british) == term(american), british
    for word in ("promise", "confidence", "four", "hour", "rise", "exercise", "timbre", "otherwise", "tour"):
        assert us_spelling(word) == word  # no British spelling: left alone
    assert term("authorised") == term("authorized") == term("allow")


def test_the_wordnet_table_is_what_the_generator_makes() -> None:
    """index/data/wordnet_paraphrase.txt comes from tests/wordnet_paraphrase.py and WordNet 3.0 alone."""
    folder = Path("/usr/share/wordnet")
    if not (folder / "cntlist.rev").exists():
        pytest.skip("WordNet is not installed (apt-get install wordnet-base)")
    tools = Path(__file__).resolve().parent / "wordnet_paraphrase.py"
    made = subprocess.run([sys.executable, str(tools), str(folder)], capture_output=True, text=True, timeout=300, check=True)
    shipped = (Path(__file__).resolve().parent.parent / "index" / "data" / "wordnet_paraphrase.txt").read_text()
    assert made.stdout == shipped


# The rate decision (rates) was held out once: written and labelled before tuning and scored after the
# last change of its time (pairs 14/30 P=0.93, claims 6/8, the misspelt governor found). It has been
# looked at since, so it is a tuning set now; its floors sit just under today's figures like the others'
# (pairs 17/30 P=0.81, claims 7/8: three more pairs and one more claim for three more wrong links).


# The tram line (tram) was written and labelled blind for issue 12 by someone who never ran the
# engine on it, and scored once, after the last change of this round: pairs 58/93 P=0.80 (strict
# 0.77), claims 13/14, two-claim sentences 4/15 strict (12 lenient), single-source P=0.56 R=0.78,
# Barker/Baker and Tuesday/Monday found, 612 vs 621 million missed. Scored once more after the next
# round's last change (claim cohesion, rare words weighing less, threshold 0.33): pairs 68/93 P=0.87
# (strict 0.81), claims 14/14, two-claim 3/15 strict (15 lenient), single-source P=0.67 R=0.67 (a
# loss of recall, as on the fire), discrepancies 2 of 3. Its floors hold that figure.


def test_the_held_out_tram_line_reaches_its_floors() -> None:
    labelled = story_set("tram")
    result = score(labelled)
    print(result)
    assert result.pairs_linked >= 66 and result.pair_precision >= 0.85
    assert result.claims_linked >= 14
    assert result.single_recall >= 0.65
    assert result.discrepancies_found >= 2  # the misspelt councillor and the weekday; the figure is missed
    assert result.false_names == [] and result.self_conflicts == 0


# The port strike (port) was written and labelled blind on 6 December by someone who never ran the
# engine or read its code: seven outlets (a wire item and its near-verbatim copy, an HTML analysis,
# a Markdown report, a JSONL radio item, a tabloid, a trade paper). Scored once, with no change to
# the claims engine after it was written: pairs 80/119 P=0.93 (strict 0.84), claims 14/18, two-claim
# sentences 2/12 strict (8 lenient), single-source P=0.38 R=0.62, Kowalczyk/Kowalczik and
# Friday/Saturday found, 87 vs 78 percent missed, no false name, no outlet against itself.


def test_the_held_out_port_strike_reaches_its_floors() -> None:
    labelled = story_set("port")
    result = score(labelled)
    print(result)
    assert result.pairs_linked >= 78 and result.pair_precision >= 0.9
    assert result.claims_linked >= 14 and result.multi_found >= 7
    assert result.single_recall >= 0.6
    assert result.discrepancies_found >= 2  # the misspelt union leader and the weekday; the ballot figure is missed
    assert result.false_names == [] and result.self_conflicts == 0  # Lindqvist and Lindquist are two people


def test_the_rate_decision_reaches_its_floors() -> None:
    labelled = story_set("rates")
    result = score(labelled)
    print(result)
    assert result.pairs_linked >= 16 and result.pair_precision >= 0.78
    assert result.claims_linked >= 7 and result.multi_found >= 2  # lenient; strict: 0 of 3
    assert result.single_recall >= 0.8
    assert result.discrepancies_found == result.discrepancies_true  # Halvorsen vs Halvorson
    assert result.false_names == [] and result.self_conflicts == 0


def test_the_coordinators_own_error_reaches_the_caller_as_one_line(tmp_path: Path) -> None:
    from accord.index.claims_apart import find_claims_apart
    from accord.index.errors import AccordError
    from accord.index.worker_pipes import WorkerFailed

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(AccordError, match="cannot create the workspace") as raised:
        find_claims_apart(blocker / "ws", ["x"], 0.27, 2)
    assert not isinstance(raised.value, WorkerFailed) and "\n" not in str(raised.value)
