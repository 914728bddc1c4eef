"""The analyst's decisions, resolved to sentence numbers for the grouping."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..decisions import LinkDecision


class Constraints:
    """The analyst's decisions, resolved to sentence numbers: pairs forced together
    (must-link, likeness 1.0) and pairs kept apart (cannot-link: never in one claim)."""

    def __init__(self) -> None:
        self.must: list[tuple[int, int]] = []
        self.cannot: dict[int, set[int]] = defaultdict(set)
        self.stale: list[LinkDecision] = []

    def among(self, inside: set[int]) -> Constraints:
        """The constraints between `inside` sentences, a story's: its job carries only
        these (stories keep must-linked sentences together)."""
        part = Constraints()
        part.must = [(i, j) for i, j in self.must if i in inside]
        for i, others in self.cannot.items():
            if i in inside and others & inside:
                part.cannot[i] = others & inside
        return part


def resolve_constraints(
    decisions: Iterable[LinkDecision], locate, article_of: list[str]
) -> Constraints:
    """Resolve decisions; where they conflict the later one wins, so they are
    applied newest first and an older one is kept only if it agrees."""
    found = Constraints()
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
