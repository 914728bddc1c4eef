"""find_claims: a corpus cut into stories, each story's claims found (in worker
processes for a big corpus), and the stories' findings merged into one report.

Stories are independent jobs: every job carries its own articles and constraints,
and scores are summed exactly (`math.fsum`), so the result does not depend on the
process (or its string hashing) that computed it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import accumulate

from ..claims_parallel import Workers, worker_count
from ..decisions import LinkDecision, SentenceRef, resolve
from ..model import Article
from ..stories import group_stories
from .constraints import Constraints, resolve_constraints
from .discrepancies import name_discrepancies, unique, value_discrepancies
from .features import StorySentences, features
from .grouping import Similarity, story_groups
from .model import DEFAULT_THRESHOLD, Claim, ClaimReport, Member

SINGLE_BLOCK = 8  # up to this many articles, no story blocking (see _blocks)
PARTIAL_EVERY_S = 0.5  # how often a progress callback is given the report so far

# progress(stories done, stories in all, the report of the stories done so far or None)
Progress = Callable[[int, int, "ClaimReport | None"], None]


def find_claims(
    articles: Iterable[Article],
    threshold: float = DEFAULT_THRESHOLD,
    min_sources: int = 2,
    decisions: Iterable[LinkDecision] = (),
    progress: Progress | None = None,
) -> ClaimReport:
    """Claims, single-source sentences and discrepancies among `articles`.

    Articles are first grouped into stories (`stories.py`) and sentences are only
    compared within a story; a big corpus has its stories done by worker processes,
    with the same result. `decisions` (the analyst's) override the automatic
    result: a confirm or link forces two sentences into one claim, a reject keeps
    them out of one claim, even through other links; between conflicting decisions
    the later wins. Decisions naming a sentence that no longer exists are listed in
    `ClaimReport.stale_decisions` and otherwise ignored.

    `progress`, if given, is called in the calling thread as stories finish:
    `progress(done, total, partial)`. `partial` is the report of the stories done so
    far (claim ids numbered within it, so provisional), given with the first story,
    then at most every PARTIAL_EVERY_S seconds, and always with the last call (then
    equal to the report returned); otherwise None.
    """
    articles = list(articles)
    with Workers(worker_count(len(articles))) as workers:
        plan = plan_stories(articles, threshold, decisions, workers)
        gathered = Gathered(plan.stories, plan.sources, plan.stale, min_sources, progress)
        solve_stories(plan, workers, gathered.add)
    return gathered.report()


@dataclass
class StoryPlan:
    """A corpus cut into story jobs, ready to be solved anywhere."""

    jobs: list[_StoryJob]
    sources: int  # outlets in the whole corpus
    stale: list[LinkDecision]  # decisions naming sentences that are gone

    @property
    def stories(self) -> int:
        return len(self.jobs)


def plan_stories(
    articles: Iterable[Article], threshold: float, decisions: Iterable[LinkDecision], workers: Workers,
) -> StoryPlan:
    """Cut `articles` into stories (counting their words in `workers`) and make each a job."""
    articles = [_slim(a) for a in articles if a.sentences]
    source_of = {a.id: (a.outlet or a.path.rsplit("/", 1)[-1]) for a in articles}
    starts = list(accumulate((len(a.sentences) for a in articles), initial=0))  # sentences numbered over the corpus
    number = {a.id: n for n, a in enumerate(articles)}
    article_of = [a.id for a in articles for _ in a.sentences]

    def locate(ref: SentenceRef) -> int | None:
        n = number.get(ref.article)
        position = resolve(articles[n], ref) if n is not None else None
        return None if position is None else starts[n] + position

    constraints = resolve_constraints(decisions, locate, article_of)
    joins = [(number[article_of[i]], number[article_of[j]]) for i, j in constraints.must]

    def job(story: list[int]) -> _StoryJob:
        inside = {i for n in story for i in range(starts[n], starts[n + 1])}
        return _StoryJob([articles[n] for n in story], [source_of[articles[n].id] for n in story],
                         [starts[n] for n in story], constraints.among(inside), threshold)

    jobs = [job(story) for story in _blocks(articles, joins, workers)]
    for n, one in enumerate(jobs):
        one.story = n
    return StoryPlan(jobs, len(set(source_of.values())), constraints.stale)


def solve_stories(plan: StoryPlan, workers: Workers, done: Callable[[int, _StoryFound], None]) -> None:
    """Solve every story of `plan`; `done(story number, found)` hears each as it finishes."""
    workers.map(_solve_story, plan.jobs, costs=[_cost(j) for j in plan.jobs], done=done)


class Gathered:
    """The stories found so far, merged into reports: the final one, and partial ones
    for `progress` (see `find_claims`) as stories come in, in any order."""

    def __init__(self, stories: int, sources: int, stale: list[LinkDecision], min_sources: int,
                 progress: Progress | None = None) -> None:
        self.stories, self.sources, self.stale, self.min_sources = stories, sources, stale, min_sources
        self.progress = progress
        self._found: dict[int, _StoryFound] = {}
        self._last_partial = time.monotonic()
        if progress is not None and not stories:
            progress(0, 0, self.report())

    def add(self, number: int, found: _StoryFound) -> None:
        self._found[number] = found
        if self.progress is None:
            return
        done = len(self._found)
        partial = None
        if done == self.stories or done == 1 or time.monotonic() - self._last_partial >= PARTIAL_EVERY_S:
            partial = self.report()
            self._last_partial = time.monotonic()
        self.progress(done, self.stories, partial)

    def report(self) -> ClaimReport:
        return _report([self._found[k] for k in sorted(self._found)], self.min_sources, self.sources, self.stale)


def _cost(job: _StoryJob) -> int:
    """A story's work grows with the square of its sentences (pairs), roughly."""
    sentences = sum(len(a.sentences) for a in job.articles)
    return sentences * max(1, len(job.articles))


def _slim(article: Article) -> Article:
    """The article as story jobs read it: its raw text and cleaning records would only
    be pickled to worker processes for nothing."""
    return replace(article, raw="", paragraphs=[], removed=[], repairs=[], hashtags=[])


def _blocks(articles: list[Article], joins: list[tuple[int, int]], workers: Workers) -> list[list[int]]:
    """Articles to compare together: stories, unless there are only a few articles,
    which cost nothing to compare all together and which a mistaken cut would rob
    of their claims."""
    if len(articles) <= SINGLE_BLOCK:
        return [list(range(len(articles)))] if articles else []
    return group_stories(workers.map(_bag, articles), joins)


def _bag(article: Article) -> Counter:
    """The article's terms, counted: what stories are cut by. Its features are computed
    again in its story's job, which may run in another process: pickling them there
    would cost about as much, and the calling process would hold them all."""
    return Counter(t for i in range(len(article.sentences)) for t in features(article, i, "").terms)


@dataclass(slots=True)
class _StoryJob:
    """One story's work, self-contained so that a worker process can do it."""

    articles: list[Article]
    sources: list[str]
    starts: list[int]  # the number of each article's first sentence in the corpus
    constraints: Constraints  # the analyst's, among the story's sentences
    threshold: float
    story: int = 0


@dataclass(slots=True)
class _StoryFound:
    """What one story holds; `_report` merges stories in order."""

    claims: list[Claim]  # made by two outlets or more; `min_sources` is applied after
    links: list[tuple[Member, Member, float]]
    single: list[tuple[int, Member]]  # checkworthy sentences in no claim, with their number
    values: list  # differing values within claims, merged over stories by `unique`
    names: list


def _solve_story(job: _StoryJob) -> _StoryFound:
    """One story's claims, links, single-source sentences and discrepancies."""
    sentences = {start + position: features(article, position, source)
                 for article, source, start in zip(job.articles, job.sources, job.starts)
                 for position in range(len(article.sentences))}
    groups, links, similarity = story_groups(sentences, job.threshold, job.constraints)
    families = _copy_families(job.articles)
    outlets = len(set(job.sources))
    claims: list[Claim] = []
    claim_groups: list[set[int]] = []
    for group in groups:
        claim = _claim(sentences, group, similarity, families)
        if claim is not None:
            claim.story_sources = outlets
            claim.story = job.story
            claims.append(claim)
            claim_groups.append(group)
    in_claim = set().union(*claim_groups)
    return _StoryFound(
        claims,
        [(sentences[i].member, sentences[j].member, score) for i, j, score in links],
        [(i, s.member) for i, s in sentences.items() if i not in in_claim and s.checkworthy],
        value_discrepancies(sentences, claim_groups),
        name_discrepancies(list(sentences.values())),
    )


def _report(found: list[_StoryFound], min_sources: int, sources: int, stale: list[LinkDecision]) -> ClaimReport:
    """The stories' findings merged in story order, as one pass over the corpus would list them."""
    claims = [replace(claim) for story in found for claim in story.claims if claim.support >= min_sources]
    claims.sort(key=lambda c: (-c.support, -c.independent, -c.strength, c.members[0].article, c.members[0].sentence))
    for n, claim in enumerate(claims, 1):
        claim.id = f"c{n}"  # numbered over all stories, so ids are unique
    single = [member for _, member in sorted((s for story in found for s in story.single), key=lambda s: s[0])]
    discrepancies = unique([d for story in found for d in story.values]) + [d for story in found for d in story.names]
    links = [link for story in found for link in story.links]
    return ClaimReport(claims, single, discrepancies, sources, links, stale_decisions=stale, min_sources=min_sources)


def _claim(sentences: StorySentences, group: set[int], similarity: Similarity, families: dict[str, int]) -> Claim | None:
    """The claim a group of sentences makes, or None if only one outlet makes it."""
    ordered = sorted(group)
    by_article: dict[str, int] = {}
    for index in ordered:
        by_article.setdefault(sentences[index].member.article, index)  # an article's repeats count once
    outlets = {sentences[i].member.source for i in by_article.values()}
    if len(outlets) < 2:
        return None  # one outlet agreeing with itself corroborates nothing
    inside = [similarity(i, j) for x, i in enumerate(ordered) for j in ordered[x + 1 :]
              if sentences[i].member.article != sentences[j].member.article]
    central = max(ordered, key=lambda m: (sum(similarity(m, o) for o in ordered if o != m), -m))
    return Claim(
        id="",
        members=sorted((sentences[m].member for m in ordered), key=lambda m: (m.source, m.sentence)),
        support=len(outlets),
        independent=len({families[a] for a in by_article}),
        strength=sum(inside) / len(inside) if inside else 0.0,
        wording=sentences[central].member.text,
    )


def _copy_families(articles: list[Article], overlap: float = 0.5) -> dict[str, int]:
    """Articles that are near-verbatim copies of each other (wire copy) share a family."""
    shingles = {}
    for article in articles:
        words = re.findall(r"\w+", article.text.lower())
        shingles[article.id] = {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    family = {a.id: n for n, a in enumerate(articles)}
    for x, a in enumerate(articles):
        for b in articles[x + 1 :]:
            sa, sb = shingles[a.id], shingles[b.id]
            if sa and sb and len(sa & sb) / min(len(sa), len(sb)) >= overlap:
                old, new = family[b.id], family[a.id]
                for key, value in family.items():
                    if value == old:
                        family[key] = new
    return family


