"""What claim detection reports: sentences (members), claims, discrepancies, the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..decisions import LinkDecision

DEFAULT_THRESHOLD = 0.33  # how alike two sentences must be to link; chosen on the labelled sets in tests/data/claims


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
    members: list[Member]  # a sentence stating two facts may be a member of two claims
    support: int  # distinct sources (outlets)
    independent: int  # sources that are not copies of each other
    strength: float  # mean link score inside the claim
    wording: str  # the member most like the others
    story_sources: int = 0  # outlets in the claim's story: "support of story_sources"
    story: int = 0  # the number of the claim's story in this report (0 when all one story)


@dataclass(slots=True)
class Discrepancy:
    kind: str  # "name", "number", "date", "time"
    variants: list[str]  # the differing values as written ("12", "Friday", "4:12")
    members: list[Member]  # the sentences that give them
    phrases: list[str] = field(default_factory=list)  # each variant with its unit word ("12 people"), a name in full


@dataclass(slots=True)
class ClaimReport:
    claims: list[Claim]
    single_source: list[Member]
    discrepancies: list[Discrepancy]
    sources: int
    links: list[tuple[Member, Member, float]] = field(default_factory=list)
    stale_decisions: list[LinkDecision] = field(default_factory=list)  # naming sentences that are gone
    min_sources: int = 2  # claims of fewer outlets were left out: a sentence in none may still be shared
    _claim_index: dict[tuple[str, int], list[Claim]] | None = field(default=None, repr=False, compare=False)

    def claims_of(self, article_id: str, sentence: int) -> list[Claim]:
        """Every claim a sentence belongs to, the strongest standing first (most sources,
        then most independent, then strongest): a sentence stating two facts is in two."""
        if self._claim_index is None:
            index: dict[tuple[str, int], list[Claim]] = {}
            for claim in self.claims:  # already ranked, so each list comes out ranked
                for m in claim.members:
                    found = index.setdefault((m.article, m.sentence), [])
                    if claim not in found:
                        found.append(claim)
            self._claim_index = index
        return self._claim_index.get((article_id, sentence), [])

    def claim_of(self, article_id: str, sentence: int) -> Claim | None:
        """The sentence's strongest claim, if any (see `claims_of`)."""
        found = self.claims_of(article_id, sentence)
        return found[0] if found else None

    def to_json(self) -> dict:
        def member(m: Member) -> dict:
            return {"article": m.article, "sentence": m.sentence, "start": m.start, "end": m.end,
                    "text": m.text, "source": m.source}

        def claim_member(m: Member) -> dict:
            # every claim the sentence is in (two for a sentence stating two facts)
            return member(m) | {"claims": [c.id for c in self.claims_of(m.article, m.sentence)]}

        return {
            "sources": self.sources,
            "claims": [
                {"id": c.id, "support": c.support, "story_sources": c.story_sources, "independent": c.independent,
                 "strength": round(c.strength, 3),
                 "wording": c.wording, "members": [claim_member(m) for m in c.members]}
                for c in self.claims
            ],
            "single_source": [member(m) for m in self.single_source],
            "discrepancies": [
                {"kind": d.kind, "variants": d.variants, "phrases": d.phrases,
                 "members": [member(m) for m in d.members]}
                for d in self.discrepancies
            ],
        }
