"""Sentences of one story into claims.

1. Candidate pairs: cross-article pairs sharing uncommon words, from a capped
   inverted index (never all pairs).
2. Links: candidate pairs scoring at least the threshold.
3. Cores by average linkage: two groups merge when their sentences are, on average,
   alike enough, so common words cannot chain a story into one claim.
4. Second claims: news sentences often state two facts ("Japan relaxed its rules
   and will ship Patriots"). A sentence linked to a claim it is not in joins it as
   well when it is alike enough to that claim as a whole (its mean likeness to the
   claim's sentences from other articles); a sentence is in at most two claims.
5. Strays: a sentence left alone joins the claim it is most like as a whole, under
   the same test, so a paraphrase is not left single-source beside its own claim.
The analyst's links seed the groups; a rejected pair never shares a claim.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from .constraints import Constraints
from .features import StorySentences
from .scoring import Scorer

GROUP_FACTOR = 0.8  # a core's average likeness may be a little below the link threshold
JOIN_FACTOR = 0.8  # ... and so may a second claim's, for a sentence linked into it
MAX_CLAIMS_PER_SENTENCE = 2
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
            elif constraints.cannot and j in constraints.cannot.get(i, ()):
                found = 0.0  # the analyst rejected this link
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
    groups = average_linkage(links, similarity, threshold * GROUP_FACTOR, constraints)
    groups = second_claims(groups, links, similarity, threshold * JOIN_FACTOR, constraints, article)
    return groups, links, similarity


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


def average_linkage(links: list[Link], similarity: Similarity, threshold: float, constraints: Constraints) -> list[set[int]]:
    """Two groups merge when their sentences are, on average, at least `threshold`
    alike. Analyst links seed the groups; a merge that would join a rejected pair is
    refused."""
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
    for i, j, _ in sorted(links, key=lambda link: (-link[2], link[0], link[1])):
        a, b = group_of.get(i), group_of.get(j)
        if a is not None and a == b:
            continue
        left = groups[a] if a is not None else {i}
        right = groups[b] if b is not None else {j}
        if constraints.apart(left, right):
            continue
        if _mean(left, right, similarity) < threshold:
            continue
        merge(a, b, left | right)
    return [groups[key] for key in sorted(groups)]


def _mean(left: set[int], right: set[int], similarity: Similarity) -> float:
    return sum(similarity(x, y) for x in left for y in right) / (len(left) * len(right))


def alike_to_claim(i: int, group: set[int], similarity: Similarity, article: dict[int, str]) -> float:
    """Sentence i's mean likeness to a claim's sentences from other articles."""
    others = [m for m in group if article[m] != article[i]]
    return sum(similarity(i, m) for m in others) / len(others) if others else 0.0


def second_claims(
    groups: list[set[int]], links: list[Link], similarity: Similarity, threshold: float,
    constraints: Constraints, article: dict[int, str],
) -> list[set[int]]:
    """Each sentence may join, besides its own, the claims it is linked into and
    alike to as a whole (see the module's docstring), the most alike first, up to
    MAX_CLAIMS_PER_SENTENCE claims in all. Joins are decided on the cores, so one
    join cannot pull in the next."""
    cores = [set(g) for g in groups]
    of: dict[int, list[int]] = defaultdict(list)
    for n, group in enumerate(cores):
        for m in group:
            of[m].append(n)
    linked: dict[int, set[int]] = defaultdict(set)  # sentence -> claims it has a link into
    for i, j, _ in links:
        for a, b in ((i, j), (j, i)):
            for n in of.get(b, ()):
                if len(cores[n]) > 1 or True:
                    linked[a].add(n)
    result = [set(g) for g in cores]
    for i in sorted(linked):
        own = of.get(i, [])
        room = MAX_CLAIMS_PER_SENTENCE - sum(1 for n in own if len(cores[n]) > 1)
        if room <= 0:
            continue
        choices = []
        for n in sorted(linked[i]):
            if n in own or len(cores[n]) < 2 and False:
                continue
            if any(article[m] == article[i] for m in cores[n]):
                continue  # one article's two sentences are not one claim's two wordings
            if constraints.apart({i}, cores[n]):
                continue
            alike = alike_to_claim(i, cores[n], similarity, article)
            if alike >= threshold:
                choices.append((alike, n))
        for _, n in sorted(choices, reverse=True)[:room]:
            result[n].add(i)
    return [g for g in result if g]
