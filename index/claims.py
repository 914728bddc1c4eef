"""Shared claims across articles: which statements several sources make, which
only one makes, and where sources disagree on a name, a number, a date or a time.

Outlets reword, so plain word overlap finds few of the true links. Sentences
are compared on several signals at once:
- content words, mapped through a small lexicon of news paraphrases
  (`ship`/`supply`/`export` -> send, `U.S.`/`United States` -> usa...), stemmed,
  and weighted by how rare they are in the story (IDF over the story's own
  sentences, so the words every report of the event uses weigh little);
- character 4-grams of the same words (morphology, transliterations);
- a bonus when both give the same number or date, and when both are ledes
  (news states the main event first).
Sentences linked at `threshold` or more are grouped by average linkage (a group
joins another only if their sentences are alike on average, so common words
cannot chain a story into one claim); a group spanning two outlets is a claim.

Scale: a large corpus is first cut into stories (`stories.py`); sentences are
compared only within a story, and only pairs sharing two uncommon words (or one
rare word) from a capped inverted index are scored, never all pairs. Stories are
independent jobs, so a big corpus has them done by worker processes
(`claims_parallel.py`); every job carries its own articles and constraints, and
scores are summed exactly (`math.fsum`), so the result does not depend on the
process (or its string hashing) that computed it.

The analyst's decisions (`decisions.py`) override the result: must-links seed
the groups, rejects forbid any merge that would join their two sentences.

DEFAULT_THRESHOLD 0.3 is chosen from the sweep in tests/claims_eval.py over the
three labelled sets (figures in tests/test_claims.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

from .claims_parallel import Workers, worker_count
from .decisions import LinkDecision, SentenceRef, resolve
from .model import Article
from .stories import group_stories

DEFAULT_THRESHOLD = 0.3  # chosen on the labelled sets in tests/data/claims (see test_claims.py)
WORD_WEIGHT = 0.6  # word cosine vs character 4-gram cosine
NUMBER_BONUS = 0.1  # both give the same number or date
LEDE, LEDE_BONUS = 2, 0.1  # both among their article's first two sentences
GROUP_FACTOR = 0.8  # a group's average likeness may be a little below the link threshold
MIN_SHARED_TERMS = 2  # uncommon words a candidate pair must share...
RARE_TERM = 4  # ... unless one is in at most this many sentences
SINGLE_BLOCK = 100  # up to this many articles, no story blocking (see _blocks)
MIN_POSTING = 30  # candidate words may be in this many sentences of a story, or two per article
COMMON_WORD_RANK = 20_000  # capitalised words more frequent than this are not treated as names

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your said says say told tell
according reported reports report also one ones new now still will would may might could us it
""".split()) - {"us"}

# Words news outlets use interchangeably, mapped to one concept. General news
# vocabulary plus the commonest country aliases; a static lexicon instead of a
# downloaded embedding model.
_CONCEPTS = {
    "send": "ship supply supplies supplying supplied export exports exporting exported deliver delivered "
            "delivery transfer transferring transferred provide provides providing provided sell sale sales "
            "selling sending sent shipment shipments",
    "forbid": "prohibit prohibits prohibited prevent prevents prevented ban banned bans bar barred forbid "
              "forbids block blocked",
    "nation": "country countries nation nations",
    "rules": "rule rules regulation regulations control controls restriction restrictions guideline "
             "guidelines directive directives principles",
    "war": "war wars conflict conflicts fighting hostilities",
    "relax": "relax relaxes relaxed relaxing loosen loosened ease eased easing lift lifted revise revised "
             "revising revision reform change",
    "usa": "us u.s u.s. usa america american americans washington",
    "japan": "japan japanese tokyo",
    "ukraine": "ukraine ukrainian kyiv kiev",
    "russia": "russia russian moscow",
    "die": "die died dies dead death deaths killing killed kill toll",
    "rescue": "rescue rescued rescues free freed pulled save saved",
    "doctor": "doctor doctors physicians medics medical",
    "ask": "ask asked asks request requested requests appeal appealed",
    "weapon": "weapon weapons arms armaments munitions",
    "licence": "license licence licenses licences licensed",
    "replenish": "replenish replenishing bolster shore restock refill",
    "stock": "inventory inventories stockpile stockpiles stocks arsenal",
    "make": "manufacture manufactures manufactured manufacturing produce produced produces made makes",
    "quake": "earthquake quake tremor",
    "strike": "strike struck hit hits shook shake",
    "building": "building buildings house houses home homes",
    "close": "close closed shut",
    "check": "inspect inspected check checked examine examined",
    "hospital": "hospital hospitals",
    "importance": "importance important significant significance meaning",
    "strengthen": "strengthen strengthening reinforce reinforces",
    "aid": "aid help assistance",
    "rubble": "rubble collapsed destroyed debris",
}
CONCEPT = {word: concept for concept, words in _CONCEPTS.items() for word in words.split()}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "dozen": 12,
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,:]\d+)*")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_VALUE_WORDS = _WEEKDAYS | _MONTHS | frozenset(_NUMBER_WORDS)
_YEAR = re.compile(r"^(19|20)\d\d$")
_CHECKWORTHY = re.compile(r"\d|[\"“”]|\b(said|told|according|announced|reported|stated)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Member:
    """One sentence: where it is, and what it says."""

    article: str
    sentence: int
    start: int
    end: int
    text: str
    source: str


@dataclass(slots=True)
class Claim:
    id: str
    members: list[Member]
    support: int  # distinct sources (outlets)
    independent: int  # sources that are not copies of each other
    strength: float  # mean link score inside the claim
    wording: str  # the member most like the others
    story_sources: int = 0  # outlets in the claim's story: "support of story_sources"


@dataclass(slots=True)
class Discrepancy:
    kind: str  # "name", "number", "date", "time"
    variants: list[str]  # the differing values as written ("12", "Friday", "4:12")
    members: list[Member]  # the sentences that give them
    phrases: list[str] = field(default_factory=list)  # each variant with its unit word ("12 people")


@dataclass(slots=True)
class ClaimReport:
    claims: list[Claim]
    single_source: list[Member]
    discrepancies: list[Discrepancy]
    sources: int
    links: list[tuple[Member, Member, float]] = field(default_factory=list)
    stale_decisions: list[LinkDecision] = field(default_factory=list)  # naming sentences that are gone
    _claim_index: dict[tuple[str, int], Claim] | None = field(default=None, repr=False, compare=False)

    def claim_of(self, article_id: str, sentence: int) -> Claim | None:
        """The claim a sentence belongs to, if any (index built on first use)."""
        if self._claim_index is None:
            self._claim_index = {(m.article, m.sentence): c for c in self.claims for m in c.members}
        return self._claim_index.get((article_id, sentence))

    def to_json(self) -> dict:
        def member(m: Member) -> dict:
            return {"article": m.article, "sentence": m.sentence, "start": m.start, "end": m.end,
                    "text": m.text, "source": m.source}

        return {
            "sources": self.sources,
            "claims": [
                {"id": c.id, "support": c.support, "story_sources": c.story_sources, "independent": c.independent,
                 "strength": round(c.strength, 3),
                 "wording": c.wording, "members": [member(m) for m in c.members]}
                for c in self.claims
            ],
            "single_source": [member(m) for m in self.single_source],
            "discrepancies": [
                {"kind": d.kind, "variants": d.variants, "phrases": d.phrases,
                 "members": [member(m) for m in d.members]}
                for d in self.discrepancies
            ],
        }


# Sentence features ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _english_stemmer():
    from whoosh.lang.snowball.english import EnglishStemmer  # the stemmer the index uses

    return EnglishStemmer()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _english_stemmer().stem(word)


def _number(token: str) -> str | None:
    if _NUMBER.match(token):
        return token.replace(",", "")
    return str(_NUMBER_WORDS[token.lower()]) if token.lower() in _NUMBER_WORDS else None


@dataclass(slots=True)
class _Sentence:
    member: Member
    index: int  # position in the article
    terms: frozenset[str]
    words: tuple[str, ...]  # the terms in order, repeats kept (4-grams count them)
    numbers: dict[str, set[str]]  # value -> neighbouring concepts (its "unit")
    names: set[str]
    checkworthy: bool
    written: dict[str, str]  # value key -> the value with its unit word, as written


_StorySentences = Mapping[int, _Sentence]  # a story's sentences, by their number in the corpus


def _features(article: Article, position: int, source: str) -> _Sentence:
    sentence = article.sentences[position]
    text = article.text[sentence.start : sentence.end]
    tokens = _WORD.findall(text)
    terms: list[str] = []
    numbers: dict[str, set[str]] = defaultdict(set)
    names: set[str] = set()
    lowered = [t.lower().strip(".'’") for t in tokens]
    _join_places(tokens, lowered)
    written: dict[str, str] = {}
    for at, (token, low) in enumerate(zip(tokens, lowered)):
        if not token:
            continue  # the second word of a joined place name
        maybe_value = token[0].isdigit() or low in _VALUE_WORDS
        value = _number(token) if maybe_value else None
        key = _value_key(tokens, lowered, at) if maybe_value else None
        if key is not None:
            numbers[key].update(_neighbours(lowered, at))
            written.setdefault(key, key.split(" ", 1)[1].title() if key.startswith("date") else _phrase(tokens, lowered, at))
        if _TIME.match(token) or (value is not None and token[0].isdigit()):
            if not _TIME.match(token):
                terms.append("#" + value)
            continue
        if token[0].isupper() and at > 0 and _looks_like_name(token):
            names.add(re.sub(r"['’]s$", "", token.strip(".'’")))
        if low in STOP_WORDS or len(low) < 2:
            continue
        terms.append(CONCEPT.get(low) or CONCEPT.get(low.rstrip("s")) or _stem(low))
    words = len(tokens)
    worthy = words >= 6 and bool(_CHECKWORTHY.search(text) or len(names) >= 2)
    member = Member(article.id, position, sentence.start, sentence.end, text, source)
    return _Sentence(member, position, frozenset(terms), tuple(terms), dict(numbers), names, worthy, written)


_PLACES = {("united", "states"): "usa", ("united", "kingdom"): "uk", ("great", "britain"): "uk",
           ("european", "union"): "eu", ("north", "korea"): "north-korea", ("south", "korea"): "south-korea"}


def _join_places(tokens: list[str], lowered: list[str]) -> None:
    """Two-word place names become one concept ("United States" -> usa), in place,
    so they match "U.S." and do not add two common words."""
    for at in range(len(lowered) - 1):
        concept = _PLACES.get((lowered[at], lowered[at + 1]))
        if concept:
            lowered[at], lowered[at + 1] = concept, ""
            tokens[at], tokens[at + 1] = concept, ""


def _looks_like_name(token: str) -> bool:
    """Capitalised, not a compound, and not a common English word ("Minister", "China")."""
    from .repairs import english_words

    word = re.sub(r"['’]s$", "", token.strip(".'’")).lower()
    if len(word) < 5 or "-" in word or "." in word or word in CONCEPT or word in STOP_WORDS:
        return False
    return english_words().get(word, COMMON_WORD_RANK) >= COMMON_WORD_RANK


def _value_key(tokens: list[str], lowered: list[str], at: int) -> str | None:
    """A comparable key for a number, date or time at `at`: "number 12", "time 4:12",
    "date friday", "date december 22", "date 2014"; None for other words."""
    token, low = tokens[at], lowered[at]
    if _TIME.match(token):
        return "time " + token
    if low in _WEEKDAYS:
        return "date " + low
    if low in _MONTHS and token[0].isupper():
        day = next((t for t in tokens[at + 1 : at + 2] + tokens[max(0, at - 2) : at] if t.isdigit() and int(t) <= 31), None)
        return f"date {low} {day}" if day else None
    value = _number(token)
    if value is None:
        return None
    if _YEAR.match(value):
        return "date " + value
    if token[0].isdigit() and value.isdigit() and int(value) <= 31 and _MONTHS & {lowered[k] for k in (at - 1, at + 1) if 0 <= k < len(lowered)}:
        return None  # the day of a "December 22" date, keyed with its month
    return "number " + value


def _phrase(tokens: list[str], lowered: list[str], at: int) -> str:
    """The value with the word that says what it counts: "12 people", "magnitude 6.1"."""
    if lowered[at] in _MONTHS or not tokens[at][0].isdigit() or ":" in tokens[at]:
        return tokens[at]
    for near in (at + 1, at - 1):
        if 0 <= near < len(tokens) and tokens[near] and lowered[near] not in STOP_WORDS and not tokens[near][0].isdigit():
            return f"{tokens[at]} {tokens[near]}" if near > at else f"{tokens[near]} {tokens[at]}"
    return tokens[at]


def _neighbours(lowered: list[str], at: int) -> set[str]:
    """The content words on either side of a number: its unit, roughly."""
    found = set()
    for step in (-1, 1, 2):
        near = at + step
        if 0 <= near < len(lowered) and lowered[near] not in STOP_WORDS and not lowered[near][:1].isdigit():
            parts = lowered[near].split("-")  # "6.4-magnitude": the part touching the number
            word = parts[-1] if step < 0 else parts[0]
            if word:
                found.add(CONCEPT.get(word) or _stem(word))
    return found


# Scoring ----------------------------------------------------------------------------------------


def _dot(a: dict, b: dict) -> float:
    # fsum, here and in _norm: exact whatever the order, and a set's order follows the
    # process's string hashing, so a plain sum could differ in a worker process
    common = a.keys() & b.keys()  # intersected in C: most keys are not shared
    return math.fsum(a[k] * b[k] for k in common) if common else 0.0


def _norm(vector: dict) -> float:
    return math.sqrt(math.fsum(w * w for w in vector.values())) or 1.0


class _Scorer:
    """Pair likeness within one story: word cosine (IDF from the story itself, so
    words every report of this story uses weigh little), 4-gram cosine, and
    bonuses for a shared number or date and for two ledes."""

    def __init__(self, sentences: _StorySentences, df: Counter) -> None:
        count = max(1, len(sentences))
        idf = {term: math.log(1 + count / n) for term, n in df.items()}
        self.sentences = sentences
        self.words = {i: {t: idf[t] for t in s.terms} for i, s in sentences.items()}
        self.word_norm = {i: _norm(words) for i, words in self.words.items()}
        # 4-grams are built per story and dropped with it: kept for a whole corpus they
        # were most of the memory
        self.grams = {i: _grams(s.words) for i, s in sentences.items()}
        self.gram_norm = {i: _norm(grams) for i, grams in self.grams.items()}
        self.values = {i: {n for n in s.numbers if _corroborates(n)} for i, s in sentences.items()}

    def __call__(self, i: int, j: int) -> float:
        s, t = self.sentences[i], self.sentences[j]
        words = _dot(self.words[i], self.words[j]) / (self.word_norm[i] * self.word_norm[j])
        grams = _dot(self.grams[i], self.grams[j]) / (self.gram_norm[i] * self.gram_norm[j])
        bonus = NUMBER_BONUS if self.values[i] & self.values[j] else 0.0
        if s.index < LEDE and t.index < LEDE:
            bonus += LEDE_BONUS  # news puts the main event first: ledes tend to state one claim
        return WORD_WEIGHT * words + (1 - WORD_WEIGHT) * grams + bonus


def _grams(terms: tuple[str, ...]) -> Counter:
    """Character 4-grams of the terms: catches inflections and transliterations stems miss."""
    return Counter(padded[i : i + 4] for padded in (f" {t} " for t in terms) for i in range(max(1, len(padded) - 3)))


def _corroborates(key: str) -> bool:
    """A value two sentences sharing is evidence: not a clock time, not a weekday (story-wide)."""
    return not key.startswith("time") and key.split(" ", 1)[1] not in _WEEKDAYS


# Claims --------------------------------------------------------------------------------------------


class _Constraints:
    """The analyst's decisions, resolved to sentence numbers: pairs forced together
    (must-link, likeness 1.0) and pairs kept apart (cannot-link, likeness 0)."""

    def __init__(self) -> None:
        self.must: list[tuple[int, int]] = []
        self.cannot: dict[int, set[int]] = defaultdict(set)
        self.stale: list[LinkDecision] = []

    def apart(self, left: set[int], right: set[int]) -> bool:
        """True if merging the two groups would join a rejected pair."""
        if not self.cannot:
            return False
        if len(left) > len(right):
            left, right = right, left
        return any(self.cannot[x] & right for x in left if x in self.cannot)

    def among(self, inside: set[int]) -> _Constraints:
        """The constraints between `inside` sentences, a story's: its job carries only
        these (stories keep must-linked sentences together)."""
        part = _Constraints()
        part.must = [(i, j) for i, j in self.must if i in inside]
        for i, others in self.cannot.items():
            if i in inside and others & inside:
                part.cannot[i] = others & inside
        return part


def _constraints(
    decisions: Iterable[LinkDecision], locate, article_of: list[str]
) -> _Constraints:
    """Resolve decisions; where they conflict the later one wins, so they are
    applied newest first and an older one is kept only if it agrees."""
    found = _Constraints()
    resolved: list[tuple[int, int, bool]] = []
    for decision in decisions:
        i, j = locate(decision.a), locate(decision.b)
        if i is None or j is None:
            found.stale.append(decision)
        elif i != j:
            resolved.append((i, j, decision.joins))
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    rejected: list[tuple[int, int]] = []
    for i, j, joins in reversed(resolved):
        ri, rj = root(i), root(j)
        if joins:
            if article_of[i] == article_of[j]:
                continue  # one article repeating itself: nothing to corroborate
            if ri != rj and not any({root(x), root(y)} == {ri, rj} for x, y in rejected):
                parent[max(ri, rj)] = min(ri, rj)
                found.must.append((i, j))
        elif ri != rj:  # else a newer join holds them together
            rejected.append((i, j))
            found.cannot[i].add(j)
            found.cannot[j].add(i)
    return found


def find_claims(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    min_sources: int = 2,
    decisions: Iterable[LinkDecision] = (),
) -> ClaimReport:
    """Claims, single-source sentences and discrepancies among `articles`.

    Articles are first grouped into stories (`stories.py`) and sentences are only
    compared within a story; a big corpus has its stories done by worker processes,
    with the same result. `decisions` (the analyst's) override the automatic
    result: a confirm or link forces two sentences into one claim, a reject keeps
    them out of one claim, even through other links; between conflicting decisions
    the later wins. Decisions naming a sentence that no longer exists are listed in
    `ClaimReport.stale_decisions` and otherwise ignored.
    """
    articles = [_slim(a) for a in articles if a.sentences]
    source_of = {a.id: (a.outlet or a.path.rsplit("/", 1)[-1]) for a in articles}
    starts = list(accumulate((len(a.sentences) for a in articles), initial=0))  # sentences numbered over the corpus
    number = {a.id: n for n, a in enumerate(articles)}
    article_of = [a.id for a in articles for _ in a.sentences]

    def locate(ref: SentenceRef) -> int | None:
        n = number.get(ref.article)
        position = resolve(articles[n], ref) if n is not None else None
        return None if position is None else starts[n] + position

    constraints = _constraints(decisions, locate, article_of)
    joins = [(number[article_of[i]], number[article_of[j]]) for i, j in constraints.must]

    def job(story: list[int]) -> _StoryJob:
        inside = {i for n in story for i in range(starts[n], starts[n + 1])}
        return _StoryJob([articles[n] for n in story], [source_of[articles[n].id] for n in story],
                         [starts[n] for n in story], constraints.among(inside), threshold)

    with Workers(worker_count(len(articles))) as workers:
        jobs = [job(story) for story in _blocks(articles, joins, workers)]
        found = workers.map(_solve_story, jobs, costs=[sum(len(a.sentences) for a in j.articles) for j in jobs])
    return _report(found, min_sources, len(set(source_of.values())), constraints.stale)


def _slim(article: Article) -> Article:
    """The article as story jobs read it: its raw text and cleaning records would only
    be pickled to worker processes for nothing."""
    return replace(article, raw="", paragraphs=[], removed=[], repairs=[], hashtags=[])


def _blocks(articles: list[Article], joins: list[tuple[int, int]], workers: Workers) -> list[list[int]]:
    """Articles to compare together: stories in a large corpus; everything in a small
    one, where all sentences cost under a second through the capped index anyway and
    document frequencies are too few to tell a story's own words from chance."""
    if len(articles) <= SINGLE_BLOCK:
        return [list(range(len(articles)))]
    return group_stories(workers.map(_bag, articles), joins)


def _bag(article: Article) -> Counter:
    """The article's terms, counted: what stories are cut by. Its features are computed
    again in its story's job, which may run in another process: pickling them there
    would cost about as much, and the calling process would hold them all."""
    return Counter(t for i in range(len(article.sentences)) for t in _features(article, i, "").terms)


@dataclass(slots=True)
class _StoryJob:
    """One story's work, self-contained so that a worker process can do it."""

    articles: list[Article]
    sources: list[str]
    starts: list[int]  # the number of each article's first sentence in the corpus
    constraints: _Constraints  # the analyst's, among the story's sentences
    threshold: float


@dataclass(slots=True)
class _StoryFound:
    """What one story holds; `_report` merges stories in order."""

    claims: list[Claim]  # made by two outlets or more; `min_sources` is applied after
    links: list[tuple[Member, Member, float]]
    single: list[tuple[int, Member]]  # checkworthy sentences in no claim, with their number
    values: list[Discrepancy]  # differing values within claims, merged over stories by _unique
    names: list[Discrepancy]


def _solve_story(job: _StoryJob) -> _StoryFound:
    """One story's claims, links, single-source sentences and discrepancies."""
    sentences = {start + position: _features(article, position, source)
                 for article, source, start in zip(job.articles, job.sources, job.starts)
                 for position in range(len(article.sentences))}
    groups, links, similarity = _story_claims(sentences, job.threshold, job.constraints)
    families = _copy_families(job.articles)
    outlets = len(set(job.sources))
    claims: list[Claim] = []
    claim_groups: list[set[int]] = []
    for group in groups:
        claim = _claim(sentences, group, similarity, families)
        if claim is not None:
            claim.story_sources = outlets
            claims.append(claim)
            claim_groups.append(group)
    in_claim = set().union(*claim_groups)
    return _StoryFound(
        claims,
        [(sentences[i].member, sentences[j].member, score) for i, j, score in links],
        [(i, s.member) for i, s in sentences.items() if i not in in_claim and s.checkworthy],
        _value_discrepancies(sentences, claim_groups),
        _name_discrepancies(list(sentences.values())),
    )


def _report(found: list[_StoryFound], min_sources: int, sources: int, stale: list[LinkDecision]) -> ClaimReport:
    """The stories' findings merged in story order, as one pass over the corpus would list them."""
    claims = [claim for story in found for claim in story.claims if claim.support >= min_sources]
    claims.sort(key=lambda c: (-c.support, -c.independent, -c.strength, c.members[0].article, c.members[0].sentence))
    for n, claim in enumerate(claims, 1):
        claim.id = f"c{n}"  # numbered over all stories, so ids are unique
    single = [member for _, member in sorted((s for story in found for s in story.single), key=lambda s: s[0])]
    discrepancies = _unique([d for story in found for d in story.values]) + [d for story in found for d in story.names]
    links = [link for story in found for link in story.links]
    return ClaimReport(claims, single, discrepancies, sources, links, stale_decisions=stale)


def _claim(sentences: _StorySentences, group: set[int], similarity, families: dict[str, int]) -> Claim | None:
    """The claim a group of sentences makes, or None if only one outlet makes it."""
    ordered = sorted(group)
    by_article: dict[str, int] = {}
    for index in ordered:
        by_article.setdefault(sentences[index].member.article, index)  # an article's repeats count once
    sources = {sentences[i].member.source for i in by_article.values()}
    if len(sources) < 2:
        return None  # one outlet agreeing with itself corroborates nothing
    inside = [similarity(i, j) for x, i in enumerate(ordered) for j in ordered[x + 1 :]
              if sentences[i].member.article != sentences[j].member.article]
    central = max(ordered, key=lambda m: sum(similarity(m, o) for o in ordered if o != m))
    return Claim(
        id="",
        members=sorted((sentences[m].member for m in ordered), key=lambda m: (m.source, m.sentence)),
        support=len(sources),
        independent=len({families[a] for a in by_article}),
        strength=sum(inside) / len(inside) if inside else 0.0,
        wording=sentences[central].member.text,
    )


def _story_claims(sentences: _StorySentences, threshold: float, constraints: _Constraints):
    """Groups of sentences within one story, the links above `threshold`, and the
    story's similarity function (IDF from the story itself: what is rare here).
    `constraints` are the story's own."""
    df = Counter(term for s in sentences.values() for term in s.terms)
    score = _Scorer(sentences, df)
    must = {(min(i, j), max(i, j)) for i, j in constraints.must}
    article = {i: s.member.article for i, s in sentences.items()}
    scores: dict[tuple[int, int], float] = {}

    def similarity(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        found = scores.get(key)
        if found is None:
            if article[i] == article[j]:
                found = 0.0
            elif constraints.cannot and j in constraints.cannot.get(i, ()):
                found = 0.0  # the analyst rejected this link
            elif key in must:
                found = 1.0  # the analyst confirmed it
            else:
                found = score(i, j)
            scores[key] = found
        return found

    articles = len(set(article.values()))
    pairs = set(_candidate_pairs(sentences, df, max(MIN_POSTING, 2 * articles)))
    pairs.update(must)
    links = [(i, j, similarity(i, j)) for i, j in sorted(pairs)]
    links = [link for link in links if link[2] >= threshold]
    groups = _group(links, similarity, threshold * GROUP_FACTOR, constraints)
    return groups, links, similarity


def _candidate_pairs(sentences: _StorySentences, df: Counter, cap: int) -> Iterable[tuple[int, int]]:
    """Cross-article sentence pairs sharing at least one word whose posting list is
    short: a word in more than `cap` sentences (about two per article) is story-wide
    and would make every pair a candidate."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, sentence in sentences.items():
        for term in sentence.terms:
            if df[term] <= cap:
                postings[term].append(index)
    shared: Counter = Counter()
    for indexes in postings.values():
        weight = MIN_SHARED_TERMS if len(indexes) <= RARE_TERM else 1  # a rare word alone suffices
        for a_pos, i in enumerate(indexes):
            article = sentences[i].member.article
            shared.update({(i, j): weight for j in indexes[a_pos + 1 :] if sentences[j].member.article != article})
    # one shared everyday word is chance in a long story; two make a candidate
    return sorted(pair for pair, n in shared.items() if n >= MIN_SHARED_TERMS)


def _group(
    links: list[tuple[int, int, float]], similarity, threshold: float, constraints: _Constraints
) -> list[set[int]]:
    """Average-linkage grouping: two groups merge when their sentences are, on
    average, at least `threshold` alike. Plain transitive grouping chained
    the whole story into one claim through its common words. Analyst links seed
    the groups; a merge that would join a rejected pair is refused."""
    group_of: dict[int, int] = {}
    groups: dict[int, set[int]] = {}

    def merge(a: int | None, b: int | None, merged: set[int]) -> None:
        for stale in (a, b):
            if stale is not None:
                groups.pop(stale, None)
        key = min(merged)
        groups[key] = merged
        for member in merged:
            group_of[member] = key

    for i, j in constraints.must:
        if i in group_of and j in group_of and group_of[i] == group_of[j]:
            continue
        a, b = group_of.get(i), group_of.get(j)
        merge(a, b, (groups[a] if a is not None else {i}) | (groups[b] if b is not None else {j}))
    for i, j, _ in sorted(links, key=lambda link: -link[2]):
        a, b = group_of.get(i), group_of.get(j)
        if a is not None and a == b:
            continue
        left = groups[a] if a is not None else {i}
        right = groups[b] if b is not None else {j}
        if constraints.apart(left, right):
            continue
        mean = sum(similarity(x, y) for x in left for y in right) / (len(left) * len(right))
        if mean < threshold:
            continue
        merge(a, b, left | right)
    return list(groups.values())


def _copy_families(articles: list[Article], overlap: float = 0.5) -> dict[str, int]:
    """Articles that are near-verbatim copies of each other (wire copy) share a family."""
    shingles = {}
    for article in articles:
        words = re.findall(r"\w+", article.text.lower())
        shingles[article.id] = {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    family = {a.id: n for n, a in enumerate(articles)}
    for x, a in enumerate(articles):
        for b in articles[x + 1 :]:
            sa, sb = shingles[a.id], shingles[b.id]
            if sa and sb and len(sa & sb) / min(len(sa), len(sb)) >= overlap:
                old, new = family[b.id], family[a.id]
                for key, value in family.items():
                    if value == old:
                        family[key] = new
    return family


# Discrepancies ---------------------------------------------------------------------------------


def _value_discrepancies(sentences: _StorySentences, groups: list[set[int]]) -> list[Discrepancy]:
    """Within a claim: numbers next to the same word (12 vs 14 people), or dates or
    clock times, that differ between two outlets' sentences; repeats are merged by
    `_unique` once every story is done."""
    found: list[Discrepancy] = []
    for members in groups:
        ordered = sorted(members)
        for x, i in enumerate(ordered):
            for j in ordered[x + 1 :]:
                s, t = sentences[i], sentences[j]
                if s.member.article != t.member.article:
                    found.extend(_differences(s, t))
    return found


def _differences(s: _Sentence, t: _Sentence) -> Iterable[Discrepancy]:
    for value, units in s.numbers.items():
        kind = value.split(" ", 1)[0]
        for other, other_units in t.numbers.items():
            if value == other or other.split(" ", 1)[0] != kind:
                continue
            if value in t.numbers or other in s.numbers:
                continue  # both give both values: no disagreement
            if kind == "number" and not units & other_units:
                continue  # counts of different things
            if kind == "date" and _date_form(value) != _date_form(other):
                continue  # "Friday" and "2014" are not rival answers
            variants = [v.split(" ", 1)[1] for v in (value, other)]
            if kind == "date":
                variants = [v.title() for v in variants]
            yield Discrepancy(kind, variants, [s.member, t.member], [s.written[value], t.written[other]])


def _date_form(key: str) -> str:
    value = key.split(" ", 1)[1]
    return "weekday" if value in _WEEKDAYS else "year" if _YEAR.match(value) else "day"


def _name_discrepancies(sentences: list[_Sentence]) -> list[Discrepancy]:
    """Anywhere in the story: near-identical spellings of a name in different articles."""
    where: dict[str, list[_Sentence]] = defaultdict(list)
    for sentence in sentences:
        for name in sentence.names:
            where[name].append(sentence)
    names = sorted(where)
    found: list[Discrepancy] = []
    for x, a in enumerate(names):
        for b in names[x + 1 :]:
            if a[0] != b[0] or abs(len(a) - len(b)) > 2 or a.startswith(b) or b.startswith(a):
                continue
            distance = _edit_distance(a.lower(), b.lower())
            if distance > 2 or distance / max(len(a), len(b)) > 0.3:
                continue
            articles_a = {s.member.article for s in where[a]}
            articles_b = {s.member.article for s in where[b]}
            if articles_a == articles_b:
                continue  # one article's own inconsistency, or a word and its inflection
            found.append(Discrepancy("name", [a, b], [where[a][0].member, where[b][0].member], [a, b]))
    return found


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _unique(found: list[Discrepancy]) -> list[Discrepancy]:
    """One discrepancy per kind and set of variants, with every sentence involved."""
    merged: dict[tuple, Discrepancy] = {}
    for d in found:
        key = (d.kind, frozenset(d.variants))
        if key not in merged:
            merged[key] = Discrepancy(d.kind, d.variants, [], d.phrases)
        members = merged[key].members
        members.extend(m for m in d.members if m not in members)
    return list(merged.values())
