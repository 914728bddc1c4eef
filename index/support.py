"""Each sentence's standing in a claim report: shared by all outlets, by several,
by one alone, and whether a discrepancy touches it.

A front end colours, filters and jumps by this; it is derived from a
`ClaimReport` once, then every lookup is a dict access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .claims.model import Claim, ClaimReport, Discrepancy, Member

ALL, SEVERAL, SINGLE = "all", "several", "single"
KINDS = (ALL, SEVERAL, SINGLE)


@dataclass(slots=True)
class SentenceSupport:
    kind: str  # ALL, SEVERAL or SINGLE: the strongest standing among its claims
    claim: Claim | None = None  # its strongest claim; None for a single-source sentence
    discrepancies: list[Discrepancy] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # every claim it is in, strongest first (two for two facts)

    @property
    def support(self) -> int:
        return self.claim.support if self.claim else 1

    @property
    def conflict(self) -> bool:
        return bool(self.discrepancies)


class SupportMap:
    """(article id, sentence index) -> SentenceSupport, for the sentences a report mentions."""

    def __init__(self, report: ClaimReport) -> None:
        self.report = report
        self.sources = report.sources
        self._by_sentence: dict[tuple[str, int], SentenceSupport] = {}
        self._by_article: dict[str, dict[int, SentenceSupport]] = {}
        # strongest claim first, so a sentence in two claims takes the stronger standing
        ranked = sorted(report.claims, key=lambda c: (claim_kind(c, report) != ALL, -c.support, -c.independent))
        for claim in ranked:
            kind = claim_kind(claim, report)
            for member in claim.members:
                entry = self._put(member, SentenceSupport(kind, claim))
                if claim not in entry.claims:
                    entry.claims.append(claim)
        for member in report.single_source:
            self._put(member, SentenceSupport(SINGLE))
        for discrepancy in report.discrepancies:
            for member in discrepancy.members:
                entry = self._by_sentence.get((member.article, member.sentence))
                if entry is None:  # a sentence below the claim bar can still disagree on a name
                    entry = self._put(member, SentenceSupport(SINGLE))
                if discrepancy not in entry.discrepancies:
                    entry.discrepancies.append(discrepancy)

    def _put(self, member: Member, support: SentenceSupport) -> SentenceSupport:
        key = (member.article, member.sentence)
        self._by_sentence.setdefault(key, support)
        self._by_article.setdefault(member.article, {}).setdefault(member.sentence, self._by_sentence[key])
        return self._by_sentence[key]

    def get(self, article: str, sentence: int) -> SentenceSupport | None:
        return self._by_sentence.get((article, sentence))

    def of_article(self, article: str) -> dict[int, SentenceSupport]:
        return self._by_article.get(article, {})

    def articles(self) -> list[str]:
        return list(self._by_article)

    def matches(self, article: str, sentence: int, kind: str) -> bool:
        """Does the sentence belong to a jump target: "shared", "single" or "conflict"?"""
        entry = self.get(article, sentence)
        if entry is None:
            return False
        if kind == "shared":
            return entry.claim is not None
        if kind == "single":
            return entry.kind == SINGLE and entry.claim is None
        return entry.conflict


def story_sources(claim: Claim, report: ClaimReport) -> int:
    """How many outlets the claim's story has (a claim built by hand may not say: the whole report)."""
    return claim.story_sources or report.sources


def claim_kind(claim: Claim, report: ClaimReport) -> str:
    """ALL when every outlet of the story states the claim, else SEVERAL."""
    return ALL if claim.support >= max(2, story_sources(claim, report)) else SEVERAL


def conflict_spans(text: str, start: int, discrepancies: list[Discrepancy]) -> list[tuple[int, int]]:
    """Where the disputed values (names, numbers, dates) sit in a sentence starting at
    `start` in the article text: offsets into the article text."""
    spans = []
    for discrepancy in discrepancies:
        for variant in discrepancy.variants:
            for match in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", text):
                spans.append((start + match.start(), start + match.end()))
    return sorted(set(spans))
