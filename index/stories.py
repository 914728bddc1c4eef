"""Story blocking: group articles that report the same event before comparing sentences.

Claims are only looked for inside a story, so a large corpus is never compared
all-pairs. Each article is summarised by a signature, its few most distinctive
terms (tf-idf over the corpus, terms in one article only are useless for
linking); articles are candidates when they share signature terms whose posting
lists are short, and they join one story when their whole tf-idf vectors (every
term two or more articles share) are alike enough. Signatures alone cut a
mid-size corpus (150 to 500 articles) into one-article stories: there the rare
words two articles share by chance outweigh a story's own names and numbers,
which every report of it repeats, so same-story signatures hardly overlapped.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

SIGNATURE_SIZE = 48  # terms kept per article
MAX_POSTING = 250  # a signature term shared by more articles is too common to block on
MIN_SHARED = 2  # signature terms two articles must share to be compared
FEW_ARTICLES = 40  # below this many, no term is too common to tell stories apart
SMALL_CORPUS = 100  # below this many, idf is too rough to trust a weak likeness alone
MIN_COSINE = 0.15  # tf-idf cosine two compared articles need to be one story (in a small corpus, see below)...
STRONG_COSINE = 0.3  # ... and at this, even in a small one
RELATIVE = 0.6  # in a small corpus, a weak likeness must be this share of the pair's best


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


def vectors(documents: Sequence[Counter]) -> list[dict[str, float]]:
    """Each document's tf-idf weights over the terms it shares with another document
    (and not with so many that they are corpus-wide), unit length."""
    df = Counter(term for doc in documents for term in doc)
    count = len(documents)
    # a term in most articles of a big corpus is corpus-wide; in a handful it may be the story's own
    most = max(2, min(MAX_POSTING, count // 2)) if count >= FEW_ARTICLES else count
    result = []
    for doc in documents:
        weighted = {
            term: (1 + math.log(tf)) * math.log(1 + count / df[term])
            for term, tf in doc.items() if 2 <= df[term] <= most
        }
        length = math.sqrt(math.fsum(w * w for w in weighted.values())) or 1.0
        result.append({term: w / length for term, w in weighted.items()})
    return result


def signatures(documents: Sequence[Counter], weights: list[dict[str, float]] | None = None) -> list[dict[str, float]]:
    """Each document's most distinctive shared terms, with their tf-idf weight."""
    weights = weights if weights is not None else vectors(documents)
    return [dict(sorted(w.items(), key=lambda item: (-item[1], item[0]))[:SIGNATURE_SIZE]) for w in weights]


def group_stories(documents: Sequence[Counter], joins: Iterable[tuple[int, int]] = ()) -> list[list[int]]:
    """Indexes of `documents` (term counts per article) grouped into stories, in input
    order. `joins` are pairs that must share a story (the analyst linked them)."""
    weights = vectors(documents)
    sigs = signatures(documents, weights)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, sig in enumerate(sigs):
        for term in sig:
            postings[term].append(index)
    union = _Union(len(documents))
    small = len(documents) < SMALL_CORPUS
    weak: list[tuple[float, int, int]] = []  # in a small corpus: pairs to judge against each one's best
    best = [0.0] * len(documents)
    for a, sig in enumerate(sigs):
        # one article's row at a time: a Counter of all pairs held gigabytes at 10k articles
        shared: Counter = Counter()
        for term in sig:
            indexes = postings[term]
            if len(indexes) <= MAX_POSTING:  # more: story-wide across the corpus, it would chain unrelated stories
                shared.update(indexes[bisect_right(indexes, a) :])  # later articles: each pair once
        for b, n in sorted(shared.items()):
            if n < MIN_SHARED:
                continue
            cosine = _cosine(weights[a], weights[b])
            if cosine >= STRONG_COSINE or (cosine >= MIN_COSINE and not small):
                union.union(a, b)
            elif cosine >= MIN_COSINE:
                weak.append((cosine, a, b))
            best[a], best[b] = max(best[a], cosine), max(best[b], cosine)
    # In a small corpus idf says little, so a weaker likeness joins two articles only
    # if it is near what each has with its most alike article: a stray report's best
    # match is in a story whose own reports are far more alike to each other.
    for cosine, a, b in weak:
        if cosine >= RELATIVE * max(best[a], best[b]):
            union.union(a, b)
    for a, b in joins:
        union.union(a, b)
    stories: dict[int, list[int]] = defaultdict(list)
    for index in range(len(documents)):
        stories[union.find(index)].append(index)
    return list(stories.values())


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Of two unit vectors; fsum, so the order of the set (salted string hashing) cannot change a bit."""
    if len(a) > len(b):
        a, b = b, a
    return math.fsum(w * b[t] for t, w in a.items() if t in b)
