"""Claim detection benchmark: one 50-article story (compared as one), 500 articles across many events
(2 to 20 articles each), and 10k articles (200 stories x 50).

    .venv/bin/python tests/benchmarks/bench_claims.py            # all three
    .venv/bin/python tests/benchmarks/bench_claims.py --quick    # the 50-article story only
    .venv/bin/python tests/benchmarks/bench_claims.py --compare  # also time the big ones in one process

The 500-article run also prints how progress was reported (calls, when the first
partial report arrived): the reader shows finished stories' claims from those.

Prints figures; it is not a timed test. Articles are generated deterministically:
each story has a handful of base facts (its own invented names and places, a
number, general news words); every article retells some of them, each word of a
paraphrase group swapped for another (`ship`/`supply`/`export`...), mixed with
filler sentences drawn from a Zipf vocabulary shared by the whole corpus. Texts
go through Accord's ordinary cleaning before timing starts; only `find_claims`
is timed. Each size runs in its own process so its peak memory is its own; a
big corpus is worked on by worker processes (`claims_parallel.py`), whose peak is
printed apart. `--compare` then runs the same articles in-process, prints the
speed-up, and checks both reports are equal.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import accord.index.claims.engine as claims_module
from accord.index.claims import find_claims
from accord.index.claims.lexicon import _GROUPS as _CONCEPTS
from accord.index.ingest import articles_from_bytes
from accord.index.model import Article

TARGETS_S = {50: 1.0, 500: 15.0, 10_000: 120.0}
ARTICLES_PER_STORY = 50
FACTS_PER_STORY = 8
SYLLABLES = "ka ri to ne sa mo lu vi de ran tel gor bis nau pra che los fen dur mik sol tar vek zu".split()
GENERAL = """officials government week city people report country year region minister plan part
group local national public police day time late early major meeting statement council area
""".split()
SYNONYMS = [words.split() for words in _CONCEPTS.values()]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    words = GENERAL + [_word(rng) for _ in range(size - len(GENERAL))]
    weights = list(itertools.accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(words))))
    return words, weights


def _facts(rng: random.Random) -> list[list[object]]:
    """A story's base facts: word slots, where a list is a paraphrase group."""
    place, person, company = _word(rng).title(), _word(rng).title(), _word(rng).title()
    facts = []
    for _ in range(FACTS_PER_STORY):
        slots: list[object] = [rng.choice([place, person, company])]
        for _ in range(rng.randint(3, 5)):
            slots.append(rng.choice(SYNONYMS) if rng.random() < 0.5 else _word(rng))
        slots.insert(rng.randint(1, len(slots)), str(rng.randint(2, 900)))
        facts.append(slots)
    return facts


def _retell(rng: random.Random, fact: list[object], vocabulary) -> str:
    words = [rng.choice(slot) if isinstance(slot, list) else slot for slot in fact]
    words += rng.choices(vocabulary[0], cum_weights=vocabulary[1], k=rng.randint(3, 8))
    rest = words[1:]
    rng.shuffle(rest)  # outlets order words differently; the subject stays first
    words[1:] = rest
    return " ".join(str(w) for w in words).capitalize() + "."


def _filler(rng: random.Random, vocabulary) -> str:
    words = rng.choices(vocabulary[0], cum_weights=vocabulary[1], k=rng.randint(10, 20))
    return " ".join(words).capitalize() + "."


def generate(stories: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    articles: list[Article] = []
    for story in range(stories):
        facts = _facts(rng)
        for number in range(ARTICLES_PER_STORY):
            told = rng.sample(facts, rng.randint(4, 7))
            sentences = [_retell(rng, fact, vocabulary) for fact in told]
            sentences += [_filler(rng, vocabulary) for _ in range(rng.randint(5, 9))]
            rng.shuffle(sentences)
            body = "\n\n".join(sentences)
            text = f"---\ntitle: Story {story} report {number}\nsource: Outlet {number}\n---\n{body}\n"
            made, _ = articles_from_bytes(text.encode(), Path(f"/bench/s{story:03d}/a{number:02d}.txt"))
            articles.extend(made)
    return articles


NEWS_WORDS = """police officials government minister city people report country year region plan group local
national public day time meeting statement council area court company workers price prices market bank rate
talks deal agreement election vote party leader president week month morning night evening hospital school
water power road bridge fire storm flood protest strike union law rules budget tax money million percent
""".split()


def generate_events(articles: int, seed: int = 11) -> list[Article]:
    """Many events of 2 to 20 articles each (like a day's news across outlets), all
    written in one shared news vocabulary: what a person's folder of scraped news
    looks like, and what the blocking must cut apart."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    made_articles: list[Article] = []
    event = 0
    while len(made_articles) < articles:
        size = min(articles - len(made_articles), rng.randint(2, 20))
        place, person, company = _word(rng).title(), _word(rng).title(), _word(rng).title()
        facts = []
        for _ in range(rng.randint(5, 9)):
            slots: list[object] = [rng.choice([place, person, company])]
            slots += [rng.choice(SYNONYMS) if rng.random() < 0.4 else rng.choice(NEWS_WORDS) for _ in range(rng.randint(3, 6))]
            slots.insert(rng.randint(1, len(slots)), str(rng.randint(2, 900)))
            facts.append(slots)
        for number in range(size):
            told = rng.sample(facts, rng.randint(3, len(facts)))
            sentences = [_retell(rng, fact, vocabulary) for fact in told]
            sentences += [_filler(rng, vocabulary) for _ in range(rng.randint(3, 12))]
            rng.shuffle(sentences)
            text = f"---\ntitle: Event {event} report {number}\nsource: Outlet {number % 12}\n---\n" + "\n\n".join(sentences) + "\n"
            made, _ = articles_from_bytes(text.encode(), Path(f"/bench/e{event:04d}/a{number:02d}.txt"))
            made_articles.extend(made)
        event += 1
    return made_articles


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process, or of its largest child process."""
    return resource.getrusage(who).ru_maxrss / 1024


def run(size: int, compare: bool) -> dict:
    """Generate `size` articles, then time find_claims on them (with worker processes
    if the corpus is big enough for them)."""
    articles = generate_events(size) if size == 500 else generate(max(1, size // ARTICLES_PER_STORY))
    if size == ARTICLES_PER_STORY:
        # one story compared all together, the worst case: the generated reports share far
        # fewer words than real ones, so blocking would cut this story into pieces
        claims_module.SINGLE_BLOCK = size
    before = peak_rss_mib()
    calls: list[tuple[float, int, int, bool]] = []
    started = time.perf_counter()

    def progress(done: int, total: int, partial) -> None:
        calls.append((time.perf_counter() - started, done, total, partial is not None))

    report = find_claims(articles, progress=progress)
    seconds = time.perf_counter() - started
    sentences = sum(len(a.sentences) for a in articles)
    workers = claims_module.worker_count(len(articles))
    figures = {
        "articles": len(articles), "sentences": sentences, "seconds": round(seconds, 2),
        "target_s": TARGETS_S[size], "ratio_to_target": round(seconds / TARGETS_S[size], 2),
        "claims": len(report.claims), "links": len(report.links), "workers": workers,
        "peak_rss_mib": round(peak_rss_mib(), 1), "rss_before_mib": round(before, 1),
        "workers_peak_rss_mib": round(peak_rss_mib(resource.RUSAGE_CHILDREN), 1),
        "stories": calls[-1][2] if calls else 0, "progress_calls": len(calls),
        "first_partial_s": round(next((c[0] for c in calls if c[3]), seconds), 2),
    }
    if compare and workers:
        figures.update(in_process(articles, report, seconds))
    return figures


def in_process(articles: list[Article], report, seconds: float) -> dict:
    """Time the same articles without worker processes, and check the reports are equal."""
    claims_module.worker_count = lambda articles: 0
    started = time.perf_counter()
    alone = find_claims(articles)
    took = time.perf_counter() - started
    return {"in_process_s": round(took, 2), "speedup": round(took / seconds, 2), "same_result": alone == report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 50-article story")
    parser.add_argument("--compare", action="store_true", help="also run without worker processes and compare")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # child process: one size
    options = parser.parse_args()
    if options.size:
        print(json.dumps(run(options.size, options.compare)))
        return
    for size in [50] if options.quick else [50, 500, 10_000]:
        command = [sys.executable, __file__, "--size", str(size)] + (["--compare"] if options.compare else [])
        figures = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        print(summary(size, figures))


def summary(size: int, figures: dict) -> str:
    verdict = "ok" if figures["ratio_to_target"] <= 1 else "MISSED"
    line = (f"{size:>6} articles: {figures['seconds']:>7.2f} s (target {figures['target_s']:g} s, "
            f"ratio {figures['ratio_to_target']:.2f}, {verdict}) · {figures['sentences']} sentences · "
            f"{figures['claims']} claims · peak RSS {figures['peak_rss_mib']:.0f} MiB "
            f"(articles alone {figures['rss_before_mib']:.0f} MiB)")
    line += (f" · {figures['stories']} stories, progress {figures['progress_calls']} calls, first partial report "
             f"at {figures['first_partial_s']:.2f} s")
    if figures["workers"]:
        line += f" · {figures['workers']} workers, each at most {figures['workers_peak_rss_mib']:.0f} MiB"
    if "in_process_s" in figures:
        same = "same result" if figures["same_result"] else "RESULTS DIFFER"
        line += f" · in one process {figures['in_process_s']:.2f} s ({figures['speedup']:.2f}x), {same}"
    return line


if __name__ == "__main__":
    main()
