"""Scoring claim detection against the hand-labelled sets in tests/data/claims."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from accord.index.claims import ClaimReport, find_claims
from accord.index.ingest import load
from accord.index.model import Article

DATA = Path(__file__).parent / "data" / "claims"
Ref = tuple[str, int]  # (article id, sentence index)


@dataclass
class LabelledSet:
    articles: list[Article]
    claims: list[list[Ref]]
    also: list[list[Ref]]  # per claim: sentences whose main fact is another claim's but state this one too
    single: list[Ref]
    discrepancies: list[dict]
    ambiguous: set[Ref]
    key_length: int = 1


def _find(articles: list[Article], key_length: int, label: str) -> Ref:
    """The sentence a label ("file-key:piece of its text") names."""
    key, snippet = label.split(":", 1)
    article = next(a for a in articles if Path(a.path).name[:key_length] == key)
    found = [s.index for s in article.sentences if snippet in article.sentence_text(s.index)]
    if len(found) != 1:
        raise AssertionError(f"label {label!r} matches {len(found)} sentences")
    return article.id, found[0]


def labelled_ref(labelled: "LabelledSet", label: str) -> Ref:
    return _find(labelled.articles, labelled.key_length, label)


def load_set(folder: Path, labels: Path, key_length: int) -> LabelledSet:
    articles = list(load([folder]))

    def ref(label: str) -> Ref:
        return _find(articles, key_length, label)

    data = tomllib.loads(labels.read_text())
    return LabelledSet(
        articles=articles,
        claims=[[ref(m) for m in claim["members"]] for claim in data.get("claim", [])],
        also=[[ref(m) for m in claim.get("also", [])] for claim in data.get("claim", [])],
        single=[ref(m) for group in data.get("single", []) for m in group["sentences"]],
        discrepancies=[dict(d, refs=[ref(m) for m in d["sentences"]]) for d in data.get("discrepancy", [])],
        ambiguous={ref(m) for m in data.get("ambiguous", [])},
        key_length=key_length,
    )


def _pairs(groups: list[list[Ref]], ignore: set[Ref]) -> set[frozenset[Ref]]:
    pairs = set()
    for group in groups:
        members = [m for m in group if m not in ignore]
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if a[0] != b[0]:
                    pairs.add(frozenset((a, b)))
    return pairs


@dataclass
class Scores:
    pair_precision: float  # a link is right if both sentences state one labelled claim (`also` included)
    strict_precision: float  # ... only if both are `members` of one claim
    pair_recall: float
    claims_recovered: float  # labelled claims with two of their articles' sentences in one found claim
    single_precision: float
    single_recall: float
    report: ClaimReport

    def __str__(self) -> str:
        return (f"pairs P={self.pair_precision:.2f} (strict {self.strict_precision:.2f}) R={self.pair_recall:.2f} · claims recovered "
                f"{self.claims_recovered:.2f} · single-source P={self.single_precision:.2f} R={self.single_recall:.2f}")


def score(labelled: LabelledSet, **options) -> Scores:
    report = find_claims(labelled.articles, **options)
    found = [[(m.article, m.sentence) for m in c.members] for c in report.claims]
    truth = _pairs(labelled.claims, set())
    acceptable = _pairs([c + a for c, a in zip(labelled.claims, labelled.also)], set())
    predicted = _pairs(found, labelled.ambiguous)
    right = predicted & truth
    recovered = sum(
        1 for claim in labelled.claims
        if any(len({a for a, _ in set(claim) & set(group)}) >= 2 for group in found)
    )
    single = {(m.article, m.sentence) for m in report.single_source}
    labelled_single = set(labelled.single)
    return Scores(
        pair_precision=len(predicted & acceptable) / len(predicted) if predicted else 1.0,
        strict_precision=len(right) / len(predicted) if predicted else 1.0,
        pair_recall=len(right) / len(truth) if truth else 1.0,
        claims_recovered=recovered / len(labelled.claims) if labelled.claims else 1.0,
        single_precision=len(single & labelled_single) / len(single) if single else 1.0,
        single_recall=len(single & labelled_single) / len(labelled_single) if labelled_single else 1.0,
        report=report,
    )


def seeds_set() -> LabelledSet:
    from accord.index.ingest import bundled_seeds

    return load_set(bundled_seeds(), DATA / "seeds.toml", 3)


def quake_set() -> LabelledSet:
    return load_set(DATA / "quake", DATA / "quake.toml", 1)


def fire_set() -> LabelledSet:
    return load_set(DATA / "fire", DATA / "fire.toml", 1)


if __name__ == "__main__":  # threshold sweep, for choosing DEFAULT_THRESHOLD
    sets = {"seeds": seeds_set(), "quake": quake_set(), "fire": fire_set()}
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        print(threshold)
        for name, labelled in sets.items():
            print(f"  {name:6} {score(labelled, threshold=threshold)}")
