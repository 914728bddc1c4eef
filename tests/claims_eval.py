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
    single: list[Ref]
    discrepancies: list[dict]
    ambiguous: set[Ref]


def load_set(folder: Path, labels: Path, key_length: int) -> LabelledSet:
    articles = list(load([folder]))
    by_key = {Path(a.path).name[:key_length]: a for a in articles}

    def ref(label: str) -> Ref:
        key, snippet = label.split(":", 1)
        article = by_key[key]
        found = [s.index for s in article.sentences if snippet in article.sentence_text(s.index)]
        if len(found) != 1:
            raise AssertionError(f"label {label!r} matches {len(found)} sentences")
        return article.id, found[0]

    data = tomllib.loads(labels.read_text())
    return LabelledSet(
        articles=articles,
        claims=[[ref(m) for m in claim["members"]] for claim in data.get("claim", [])],
        single=[ref(m) for group in data.get("single", []) for m in group["sentences"]],
        discrepancies=[dict(d, refs=[ref(m) for m in d["sentences"]]) for d in data.get("discrepancy", [])],
        ambiguous={ref(m) for m in data.get("ambiguous", [])},
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
    pair_precision: float
    pair_recall: float
    claims_recovered: float  # labelled claims with two of their articles' sentences in one found claim
    single_precision: float
    single_recall: float
    report: ClaimReport

    def __str__(self) -> str:
        return (f"pairs P={self.pair_precision:.2f} R={self.pair_recall:.2f} · claims recovered "
                f"{self.claims_recovered:.2f} · single-source P={self.single_precision:.2f} R={self.single_recall:.2f}")


def score(labelled: LabelledSet, **options) -> Scores:
    report = find_claims(labelled.articles, **options)
    found = [[(m.article, m.sentence) for m in c.members] for c in report.claims]
    truth = _pairs(labelled.claims, set())
    predicted = _pairs(found, labelled.ambiguous)
    right = predicted & truth
    recovered = sum(
        1 for claim in labelled.claims
        if any(len({a for a, _ in set(claim) & set(group)}) >= 2 for group in found)
    )
    single = {(m.article, m.sentence) for m in report.single_source}
    labelled_single = set(labelled.single)
    return Scores(
        pair_precision=len(right) / len(predicted) if predicted else 1.0,
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


if __name__ == "__main__":  # threshold sweep, for choosing DEFAULT_THRESHOLD
    sets = {"seeds": seeds_set(), "quake": quake_set()}
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        print(threshold, " | ".join(f"{name}: {score(s, threshold=threshold)}" for name, s in sets.items()))
