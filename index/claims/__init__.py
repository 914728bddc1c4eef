"""Shared claims across articles: which statements several sources make, which
only one makes, and where sources disagree on a name, a number, a date or a time.

- `lexicon`: general news paraphrase (verbs of saying, supplying, allowing...,
  country aliases) and stop words;
- `features`: what a sentence is compared on (content words, values, names in context);
- `scoring`: how alike two sentences are (word and 4-gram cosine, value and lede bonuses);
- `grouping`: sentences into claims (links, average-linkage cores, second claims);
- `discrepancies`: values within a claim and names across a story that outlets disagree on;
- `constraints`: the analyst's decisions, resolved;
- `engine`: `find_claims`, stories as independent jobs, the report.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .model import DEFAULT_THRESHOLD, Claim, ClaimReport, Discrepancy, Member

if TYPE_CHECKING:
    from .engine import Progress, find_claims

__all__ = ["DEFAULT_THRESHOLD", "Claim", "ClaimReport", "Discrepancy", "Member", "Progress", "find_claims"]
_FROM_ENGINE = {"Progress", "find_claims"}


def __getattr__(name: str) -> object:
    """The engine is imported on first use: a front end that only shows claims (the
    reader's first frame) needs the model, not the engine and its lexicon."""
    if name in _FROM_ENGINE:
        return getattr(importlib.import_module(".engine", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
