"""Sentences of one story into claims.

1. Candidate pairs: cross-article pairs sharing uncommon words, from a capped
   inverted index (never all pairs).
2. Links: candidate pairs scoring at least the threshold.
3. Claims that keep the links (`cover_links`): links are taken strongest first and
   each is kept by merging its sentences' claims when they are alike on average
   (average linkage: common words cannot chain a story into one claim), else by
   letting one sentence join the other's claim as a second claim when it is alike
   to that claim as a whole, else by a new claim of the two. News sentences often
   state two facts ("Japan relaxed its rules and will ship Patriots"), so a sentence
   may be in two claims. Plain average linkage lost links that already scored above
   the threshold: their sentences sat in different groups that were not alike on
   average.
4. Pieces of one claim are merged at the end (`consolidate`) when alike on average.
5. Each claim loses, one at a time, the members least alike to the rest (`cohesive`):
   a sentence that came in on one strong link but is unlike the claim as a whole
   brought wrong links with every other member.
"Alike on average" is over sentence pairs from different articles: an article's
sentence is never compared with its own article's.
The analyst's links come first. A rejected pair never shares a claim, and rejecting is an
edit of the claims found without it (`kept_apart`): the sentence taken out leaves its claim,
which keeps its other members, and the rest of the story's claims stay as they were. (Scored 0
inside the grouping, a rejected pair lowered every mean it was in and changed the order links
were taken in: taking one sentence out of a claim rearranged half the story's claims.)
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import count

from .constraints import Constraints
from .features import StorySentences
from .scoring import Scorer

GROUP_FACTOR = 0.8  # a core's average likeness may be a little below the link threshold
JOIN_FACTOR = 0.9  # ... and so may a second claim's, for a sentence linked into it
MERGE_FACTOR = 0.9  # pieces of a claim merge at the end when alike on average at this share of the cores'
COHESION_FACTOR = 0.85  # every member of a claim must be this alike to the rest on average
MAX_CLAIMS_PER_SENTENCE = 2
PAIR_MARGIN = 0.03  # how far above the threshold a claim of two sentences must score
MEAN_SAMPLE = 12  # members of each side a mean likeness is taken over
MIN_SHARED_TERMS = 2  # uncommon words a candidate pair must share...
RARE_TERM = 4  # ... unless one is in at most this many sentences
MIN_POSTING = 30  # candidate words may be in this many sentences of a story, or two per article...
MAX_POSTING = 120  # ... but never more: a longer posting list is story-wide, and costs its square

Similarity = Callable[[int, int], float]
Link = tuple[int, int, float]


def story_groups(
    sentences: StorySentences, threshold: float, constraints: Constraints
) -> tuple[list[set[int]], list[Link], Similarity]:
    """Claims (as sets of sentence numbers) within one story, its links above
    `threshold`, and its similarity function (IDF from the story itself)."""
    df = Counter(term for s in sentences.values() for term in s.terms)
    score = Scorer(sentences, df)
    must = {(min(i, j), max(i, j)) for i, j in constraints.must}
    article = {i: s.member.article for i, s in sentences.items()}
    scores: dict[tuple[int, int], float] = {}

    def similarity(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        found = scores.get(key)
        if found is None:
            if article[i] == article[j]:
                found = 0.0
            elif key in must:
                found = 1.0  # the analyst confirmed it
            else:
                found = score(i, j)
            scores[key] = found
        return found

    articles = len(set(article.values()))
    pairs = set(candidate_pairs(sentences, df, min(MAX_POSTING, max(MIN_POSTING, 2 * articles))))
    pairs.update(must)
    links = [(i, j, similarity(i, j)) for i, j in sorted(pairs)]
    links = [link for link in links if link[2] >= threshold]
    groups = cover_links(links, similarity, threshold * GROUP_FACTOR, threshold * JOIN_FACTOR, constraints.must, article)
    groups = consolidate(groups, links, similarity, threshold * GROUP_FACTOR * MERGE_FACTOR, article)
    partners: dict[int, set[int]] = defaultdict(set)
    for i, j in must:
        partners[i].add(j)
        partners[j].add(i)
    groups = [cohesive(g, similarity, article, threshold * COHESION_FACTOR, partners) for g in groups]
    # a claim of two sentences rests on one link alone: it must clear the threshold by a margin
    groups = [g for g in groups if len(g) > 2 or similarity(*sorted(g)) >= threshold + PAIR_MARGIN]
    if constraints.cannot:
        cannot = constraints.cannot
        edited = []
        for group in groups:
            parts = kept_apart(group, cannot, partners, article)
            if parts[0] != group:  # what a rejection left must still hold as a claim of its own
                parts = [cohesive(p, similarity, article, threshold * COHESION_FACTOR, partners) for p in parts]
                parts = [p for p in parts if len(p) > 2 or (len(p) == 2 and similarity(*sorted(p)) >= threshold + PAIR_MARGIN)]
            edited += parts
        groups = [g for n, g in enumerate(edited) if len(g) > 1 and g not in edited[:n]]
        links = [(i, j, score) for i, j, score in links if j not in cannot.get(i, ())]  # a rejected link is none
    return [g for g in groups if not any(g < other for other in groups)], links, similarity  # inside another: nothing new


def candidate_pairs(sentences: StorySentences, df: Counter, cap: int) -> Iterable[tuple[int, int]]:
    """Cross-article sentence pairs sharing at least one word whose posting list is
    short: a word in more than `cap` sentences is story-wide and would make every
    pair a candidate."""
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


def _mean(left: set[int], right: set[int], similarity: Similarity, article: dict[int, str]) -> float:
    """Mean likeness between two groups' sentences from different articles, over at
    most MEAN_SAMPLE of each (evenly spaced, so the same every run): a claim retold by
    a hundred articles would otherwise cost ten thousand scores per comparison. An
    article's pair with itself is left out, not counted as unlike: a lede group and its
    second half, each holding one sentence of an article, are not less alike for it."""
    a, b = _sample(left), _sample(right)
    scores = [similarity(x, y) for x in a for y in b if article[x] != article[y]]
    return math.fsum(scores) / len(scores) if scores else 0.0


def _sample(group: set[int]) -> list[int]:
    ordered = sorted(group)
    if len(ordered) <= MEAN_SAMPLE:
        return ordered
    step = len(ordered) / MEAN_SAMPLE
    return [ordered[int(k * step)] for k in range(MEAN_SAMPLE)]


def alike_to_claim(i: int, group: set[int], similarity: Similarity, article: dict[int, str]) -> float:
    """Sentence i's mean likeness to a claim's sentences from other articles."""
    others = _sample({m for m in group if article[m] != article[i]})
    return math.fsum(similarity(i, m) for m in others) / len(others) if others else 0.0


def cover_links(
    links: list[Link], similarity: Similarity, threshold: float, join: float, must: list[tuple[int, int]],
    article: dict[int, str],
) -> list[set[int]]:
    """Overlapping claims that keep the links: links are taken strongest first, and
    each one not yet inside a claim is kept by (1) merging its two sentences' claims
    if they are alike on average (average linkage, at `threshold`), else (2) adding
    one sentence to the other's claim as its second claim if it is alike to that
    claim as a whole (at `join`), else (3) a new claim of the two, if each is in
    fewer than MAX_CLAIMS_PER_SENTENCE claims. Analyst links come first, as links
    of likeness 1."""
    claims: dict[int, set[int]] = {}
    of: dict[int, set[int]] = defaultdict(set)  # sentence -> numbers of its claims
    counter = count()

    def add(claim: int, sentence: int) -> None:
        claims[claim].add(sentence)
        of[sentence].add(claim)

    def merge(a: int, b: int) -> None:
        for sentence in claims.pop(b):
            of[sentence].discard(b)
            add(a, sentence)

    def new(i: int, j: int) -> None:
        number = next(counter)
        claims[number] = set()
        add(number, i)
        add(number, j)

    ordered = [(i, j, 1.0) for i, j in must] + sorted(links, key=lambda link: (-link[2], link[0], link[1]))
    for i, j, _ in ordered:
        if of[i] & of[j]:
            continue
        # (1) merge the most alike pair of their claims
        best = None
        for a in sorted(of[i]):
            for b in sorted(of[j]):
                left, right = claims[a], claims[b]
                mean = _mean(left - right, right - left, similarity, article) if left - right and right - left else 1.0
                if mean >= threshold and (best is None or mean > best[0]):
                    best = (mean, a, b)
        if best is not None:
            merge(best[1], best[2])
            continue
        # (2) one sentence joins the other's claim
        joined = None
        for sentence, other in ((j, i), (i, j)):
            if len(of[sentence]) >= MAX_CLAIMS_PER_SENTENCE:
                continue
            for c in sorted(of[other]):
                alike = alike_to_claim(sentence, claims[c], similarity, article)
                if alike >= join and (joined is None or alike > joined[0]):
                    joined = (alike, c, sentence)
        if joined is not None:
            add(joined[1], joined[2])
            continue
        # (3) a claim of their own
        if len(of[i]) < MAX_CLAIMS_PER_SENTENCE and len(of[j]) < MAX_CLAIMS_PER_SENTENCE:
            new(i, j)
    return [claims[k] for k in sorted(claims)]


def consolidate(
    claims: list[set[int]], links: list[Link], similarity: Similarity, threshold: float, article: dict[int, str],
) -> list[set[int]]:
    """Claims that state one fact in pieces are merged, the most alike pair first,
    while the two are alike on average (their own members, at `threshold`). Only
    claims that share a sentence or a link are compared, and after a merge only the
    merged claim's pairs are measured again (a heap with stale entries skipped): a
    big story's many claims must not cost the square of their number per merge."""
    alive: dict[int, set[int]] = {n: set(c) for n, c in enumerate(claims)}
    of: dict[int, set[int]] = defaultdict(set)
    for n, claim in alive.items():
        for m in claim:
            of[m].add(n)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for i, j, _ in links:
        neighbours[i].add(j)
        neighbours[j].add(i)
    version = dict.fromkeys(alive, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def near(x: int) -> set[int]:
        return {y for m in alive[x] for o in neighbours[m] | {m} for y in of[o] if y != x}

    def measure(x: int, y: int) -> None:
        a, b = alive[x], alive[y]
        left, right = a - b, b - a
        if not left or not right:
            return
        mean = _mean(left, right, similarity, article)
        if mean >= threshold:
            low, high = min(x, y), max(x, y)
            heapq.heappush(heap, (-mean, low, high, version[low], version[high]))

    for x in sorted(alive):
        for y in sorted(near(x)):
            if y > x:
                measure(x, y)
    while heap:
        _, x, y, vx, vy = heapq.heappop(heap)
        if x not in alive or y not in alive or version[x] != vx or version[y] != vy:
            continue  # a claim merged since this pair was measured
        for m in alive[y]:
            of[m].discard(y)
            of[m].add(x)
        alive[x] |= alive.pop(y)
        version[x] += 1
        for z in sorted(near(x)):
            measure(x, z)
    return [alive[n] for n in sorted(alive)]


def kept_apart(
    group: set[int], cannot: dict[int, set[int]], partners: dict[int, set[int]], article: dict[int, str]
) -> list[set[int]]:
    """The claim without the sentences the analyst took out of it: while it holds a
    rejected pair, the member rejected by the most others leaves (the sentence `x` was
    pressed on is rejected by every other member), the one whose leaving keeps the most
    articles in the claim on a tie. A sentence that leaves keeps the partners the analyst
    linked it to, as a claim of its own (a link made after a rejection wins over it).
    Nothing else moves."""
    kept = set(group)
    apart: list[set[int]] = []
    while True:
        against = {m: len(cannot.get(m, set()) & kept) for m in kept}

        def rank(m: int) -> tuple[int, int, bool, int]:
            left = len({article[o] for o in kept if o != m})
            return against[m], left, not partners[m] & kept, -m

        worst = max(kept, key=rank, default=None)
        if worst is None or not against[worst]:
            return [kept, *apart]
        kept.discard(worst)
        linked = partners[worst] & group
        if linked:
            apart.append({worst} | linked)


def cohesive(
    group: set[int], similarity: Similarity, article: dict[int, str], level: float, partners: dict[int, set[int]]
) -> set[int]:
    """The claim without the members least alike to the rest, dropped one at a time
    while one's mean likeness to the others is under `level`. A sentence the analyst
    linked to another member (its `partners`) stays: the analyst's links override likeness."""
    kept = set(group)
    while len(kept) > 2:
        alike = {m: alike_to_claim(m, kept - {m}, similarity, article) for m in sorted(kept) if not partners[m] & kept}
        worst = min(alike, key=lambda m: (alike[m], m), default=None)
        if worst is None or alike[worst] >= level:
            break
        kept.discard(worst)
    return kept
