"""Story blocking: group articles that report the same event before comparing sentences.

Claims are only looked for inside a story, so a large corpus is never compared
all-pairs. Each article is summarised by a signature, its few most distinctive
terms (tf-idf over the corpus, terms in one article only are useless for
linking); articles are candidates when they share a signature term whose posting
list is short, and they join one story when their signatures overlap enough.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

SIGNATURE_SIZE = 48  # terms kept per article
MAX_POSTING = 250  # a signature term shared by more articles is too common to block on
MIN_SHARED = 6  # signature terms two articles must share to be one story
MIN_OVERLAP = 0.2  # ... and the weighted share of the smaller signature they must cover


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def signatures(documents: Sequence[Counter]) -> list[dict[str, float]]:
    """Each document's most distinctive shared terms, with their tf-idf weight."""
    df = Counter(term for doc in documents for term in doc)
    count = len(documents)
    result = []
    for doc in documents:
        weighted = {
            term: (1 + math.log(tf)) * math.log(1 + count / df[term])
            for term, tf in doc.items() if df[term] >= 2
        }
        top = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[:SIGNATURE_SIZE]
        result.append(dict(top))
    return result


def group_stories(documents: Sequence[Counter], joins: Iterable[tuple[int, int]] = ()) -> list[list[int]]:
    """Indexes of `documents` (term counts per article) grouped into stories, in input
    order. `joins` are pairs that must share a story (the analyst linked them)."""
    sigs = signatures(documents)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, sig in enumerate(sigs):
        for term in sig:
            postings[term].append(index)
    union = _Union(len(documents))
    for a, sig in enumerate(sigs):
        # one article's row at a time: a Counter of all pairs held gigabytes at 10k articles
        shared: Counter = Counter()
        for term in sig:
            indexes = postings[term]
            if len(indexes) <= MAX_POSTING:  # more: story-wide across the corpus, it would chain unrelated stories
                shared.update(indexes[bisect_right(indexes, a) :])  # later articles: each pair once
        for b, n in shared.items():
            if n >= MIN_SHARED and _overlap(sig, sigs[b]) >= MIN_OVERLAP:
                union.union(a, b)
    for a, b in joins:
        union.union(a, b)
    stories: dict[int, list[int]] = defaultdict(list)
    for index in range(len(documents)):
        stories[union.find(index)].append(index)
    return list(stories.values())


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weight of the shared terms as a share of the lighter signature."""
    common = a.keys() & b.keys()
    if not common:
        return 0.0
    # fsum: exact, so the order of the set (salted string hashing) cannot change a bit
    share_a = math.fsum(a[t] for t in common) / math.fsum(a.values())
    share_b = math.fsum(b[t] for t in common) / math.fsum(b.values())
    return max(share_a, share_b)
