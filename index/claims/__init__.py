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

from .engine import DEFAULT_THRESHOLD, Progress, find_claims
from .model import Claim, ClaimReport, Discrepancy, Member

__all__ = ["DEFAULT_THRESHOLD", "Claim", "ClaimReport", "Discrepancy", "Member", "Progress", "find_claims"]
