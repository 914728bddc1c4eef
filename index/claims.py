"""Shared claims across articles: which statements several sources make, which
only one makes, and where sources disagree on a name or a number.

Outlets reword, so plain word overlap finds few of the true links. Sentences
are compared on several signals at once:
- content words, mapped through a small lexicon of news paraphrases
  (`ship`/`supply`/`export` -> send, `U.S.`/`Washington` -> usa...), stemmed, and
  weighted by how rare they are in the story (IDF);
- character 4-grams of the same words (morphology, transliterations);
- numbers both sentences give.
Sentences linked above `threshold` are grouped by average linkage (a group
joins another only if their sentences are alike on average, so common words
cannot chain a story into one claim); a group spanning two or more articles
is a claim. Candidate pairs come from an inverted index of the rarer words,
never all pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Article

DEFAULT_THRESHOLD = 0.25  # chosen on the labelled sets in tests/data/claims (see test_claims.py)
GROUP_FACTOR = 0.8  # a group's average likeness may be a little below the link threshold
MAX_POSTING = 400
COMMON_WORD_RANK = 20_000  # capitalised words more frequent than this are not treated as names  # words in more sentences than this do not generate candidate pairs

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


@dataclass(slots=True)
class Discrepancy:
    kind: str  # "name", "number", "time"
    variants: list[str]
    members: list[Member]


@dataclass(slots=True)
class ClaimReport:
    claims: list[Claim]
    single_source: list[Member]
    discrepancies: list[Discrepancy]
    sources: int
    links: list[tuple[Member, Member, float]] = field(default_factory=list)

    def to_json(self) -> dict:
        def member(m: Member) -> dict:
            return {"article": m.article, "sentence": m.sentence, "start": m.start, "end": m.end,
                    "text": m.text, "source": m.source}

        return {
            "sources": self.sources,
            "claims": [
                {"id": c.id, "support": c.support, "independent": c.independent, "strength": round(c.strength, 3),
                 "wording": c.wording, "members": [member(m) for m in c.members]}
                for c in self.claims
            ],
            "single_source": [member(m) for m in self.single_source],
            "discrepancies": [
                {"kind": d.kind, "variants": d.variants, "members": [member(m) for m in d.members]}
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
    grams: Counter
    numbers: dict[str, set[str]]  # value -> neighbouring concepts (its "unit")
    names: set[str]
    checkworthy: bool


def _features(article: Article, position: int, source: str) -> _Sentence:
    sentence = article.sentences[position]
    text = article.text[sentence.start : sentence.end]
    tokens = _WORD.findall(text)
    terms: list[str] = []
    numbers: dict[str, set[str]] = defaultdict(set)
    names: set[str] = set()
    lowered = [t.lower().strip(".'’") for t in tokens]
    for at, (token, low) in enumerate(zip(tokens, lowered)):
        value = _number(token)
        if _TIME.match(token):
            numbers["time " + token].update(_neighbours(lowered, at))
            continue
        if value is not None and token[0].isdigit():
            numbers[value].update(_neighbours(lowered, at))
            terms.append("#" + value)
            continue
        if value is not None:
            numbers[value].update(_neighbours(lowered, at))
        if token[0].isupper() and at > 0 and _looks_like_name(token):
            names.add(re.sub(r"['’]s$", "", token.strip(".'’")))
        if low in STOP_WORDS or len(low) < 2:
            continue
        terms.append(CONCEPT.get(low) or CONCEPT.get(low.rstrip("s")) or _stem(low))
    grams: Counter = Counter()
    for term in terms:
        padded = f" {term} "
        grams.update(padded[i : i + 4] for i in range(max(1, len(padded) - 3)))
    words = len(tokens)
    worthy = words >= 6 and bool(_CHECKWORTHY.search(text) or len(names) >= 2)
    member = Member(article.id, position, sentence.start, sentence.end, text, source)
    return _Sentence(member, position, frozenset(terms), grams, dict(numbers), names, worthy)


def _looks_like_name(token: str) -> bool:
    """Capitalised, not a compound, and not a common English word ("Minister", "China")."""
    from .repairs import english_words

    word = re.sub(r"['’]s$", "", token.strip(".'’")).lower()
    if len(word) < 5 or "-" in word or "." in word or word in CONCEPT or word in STOP_WORDS:
        return False
    return english_words().get(word, COMMON_WORD_RANK) >= COMMON_WORD_RANK


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


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def _similarity(s: _Sentence, t: _Sentence, idf: dict[str, float]) -> float:
    words = _cosine({w: idf[w] for w in s.terms}, {w: idf[w] for w in t.terms})
    grams = _cosine(s.grams, t.grams)
    shared_numbers = {n for n in s.numbers if n in t.numbers and not n.startswith("time")}
    bonus = 0.1 if shared_numbers else 0.0
    return 0.75 * words + 0.25 * grams + bonus


# Claims --------------------------------------------------------------------------------------------


def find_claims(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    min_sources: int = 2,
) -> ClaimReport:
    """Claims, single-source sentences and discrepancies among `articles`."""
    articles = [a for a in articles if a.sentences]
    source_of = {a.id: (a.outlet or a.path.rsplit("/", 1)[-1]) for a in articles}
    sentences = [_features(a, i, source_of[a.id]) for a in articles for i in range(len(a.sentences))]
    df = Counter(term for s in sentences for term in s.terms)
    count = max(1, len(sentences))
    idf = {term: math.log(1 + count / n) for term, n in df.items()}

    scores: dict[tuple[int, int], float] = {}

    def similarity(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        if key not in scores:
            same = sentences[i].member.article == sentences[j].member.article
            scores[key] = 0.0 if same else _similarity(sentences[i], sentences[j], idf)
        return scores[key]

    links = [(i, j, similarity(i, j)) for i, j in _candidate_pairs(sentences, df)]
    links = [link for link in links if link[2] >= threshold]
    groups = _group(links, similarity, threshold * GROUP_FACTOR)
    families = _copy_families(articles)
    claims: list[Claim] = []
    in_claim: set[int] = set()
    for members in groups:
        by_article: dict[str, int] = {}
        for index in sorted(members):
            by_article.setdefault(sentences[index].member.article, index)  # an article's repeats count once
        sources = {source_of[a] for a in by_article}
        if len(sources) < 2:
            continue  # one outlet agreeing with itself corroborates nothing
        in_claim.update(members)
        if len(sources) < min_sources:
            continue
        inside = [s for i, j, s in links if i in members and j in members]
        central = max(members, key=lambda m: sum(similarity(m, other) for other in members if other != m))
        claims.append(Claim(
            id="",
            members=sorted((sentences[m].member for m in members), key=lambda m: (m.source, m.sentence)),
            support=len(sources),
            independent=len({families[a] for a in by_article}),
            strength=sum(inside) / len(inside) if inside else 0.0,
            wording=sentences[central].member.text,
        ))
    claims.sort(key=lambda c: (-c.support, -c.independent, -c.strength))
    for number, claim in enumerate(claims, 1):
        claim.id = f"c{number}"
    single = [s.member for i, s in enumerate(sentences) if i not in in_claim and s.checkworthy]
    discrepancies = _number_discrepancies(sentences, groups) + _name_discrepancies(sentences)
    member_links = [(sentences[i].member, sentences[j].member, score) for i, j, score in links]
    return ClaimReport(claims, single, discrepancies, len(set(source_of.values())), member_links)


def _candidate_pairs(sentences: list[_Sentence], df: Counter) -> Iterable[tuple[int, int]]:
    """Cross-article sentence pairs sharing at least one word that is not too common."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, sentence in enumerate(sentences):
        for term in sentence.terms:
            if df[term] <= MAX_POSTING:
                postings[term].append(index)
    seen: set[tuple[int, int]] = set()
    for indexes in postings.values():
        for a_pos, i in enumerate(indexes):
            for j in indexes[a_pos + 1 :]:
                if sentences[i].member.article != sentences[j].member.article and (i, j) not in seen:
                    seen.add((i, j))
    return sorted(seen)


def _group(
    links: list[tuple[int, int, float]], similarity, threshold: float
) -> list[set[int]]:
    """Average-linkage grouping: two groups merge when their sentences are, on
    average, at least `threshold` alike. Plain transitive grouping chained
    the whole story into one claim through its common words."""
    group_of: dict[int, int] = {}
    groups: dict[int, set[int]] = {}
    for i, j, _ in sorted(links, key=lambda link: -link[2]):
        a, b = group_of.get(i), group_of.get(j)
        if a is not None and a == b:
            continue
        left = groups[a] if a is not None else {i}
        right = groups[b] if b is not None else {j}
        mean = sum(similarity(x, y) for x in left for y in right) / (len(left) * len(right))
        if mean < threshold:
            continue
        merged = left | right
        key = min(merged)
        for stale in (a, b):
            if stale is not None:
                groups.pop(stale, None)
        groups[key] = merged
        for member in merged:
            group_of[member] = key
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


def _number_discrepancies(sentences: list[_Sentence], groups: list[set[int]]) -> list[Discrepancy]:
    """Within a claim: different numbers next to the same word (12 vs 14 people)."""
    found: list[Discrepancy] = []
    for members in groups:
        ordered = sorted(members)
        for x, i in enumerate(ordered):
            for j in ordered[x + 1 :]:
                s, t = sentences[i], sentences[j]
                if s.member.article == t.member.article:
                    continue
                for value, units in s.numbers.items():
                    for other, other_units in t.numbers.items():
                        if value != other and units & other_units and value.startswith("time") == other.startswith("time"):
                            if value in t.numbers or other in s.numbers:
                                continue  # both give both numbers: no disagreement
                            kind = "time" if value.startswith("time") else "number"
                            variants = [v.removeprefix("time ") for v in (value, other)]
                            found.append(Discrepancy(kind, variants, [s.member, t.member]))
    return _unique(found)


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
            found.append(Discrepancy("name", [a, b], [where[a][0].member, where[b][0].member]))
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
            merged[key] = Discrepancy(d.kind, d.variants, [])
        members = merged[key].members
        members.extend(m for m in d.members if m not in members)
    return list(merged.values())
