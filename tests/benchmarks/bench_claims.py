"""Claim detection benchmark: one 50-article story, and 10k articles (200 stories x 50).

    .venv/bin/python tests/benchmarks/bench_claims.py            # both
    .venv/bin/python tests/benchmarks/bench_claims.py --quick    # the 50-article story only
    .venv/bin/python tests/benchmarks/bench_claims.py --compare  # also time 10k in one process

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

TARGETS_S = {50: 1.0, 10_000: 120.0}
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


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process, or of its largest child process."""
    return resource.getrusage(who).ru_maxrss / 1024


def run(size: int, compare: bool) -> dict:
    """Generate `size` articles, then time find_claims on them (with worker processes
    if the corpus is big enough for them)."""
    articles = generate(max(1, size // ARTICLES_PER_STORY))
    before = peak_rss_mib()
    started = time.perf_counter()
    report = find_claims(articles)
    seconds = time.perf_counter() - started
    sentences = sum(len(a.sentences) for a in articles)
    workers = claims_module.worker_count(len(articles))
    figures = {
        "articles": len(articles), "sentences": sentences, "seconds": round(seconds, 2),
        "target_s": TARGETS_S[size], "ratio_to_target": round(seconds / TARGETS_S[size], 2),
        "claims": len(report.claims), "links": len(report.links), "workers": workers,
        "peak_rss_mib": round(peak_rss_mib(), 1), "rss_before_mib": round(before, 1),
        "workers_peak_rss_mib": round(peak_rss_mib(resource.RUSAGE_CHILDREN), 1),
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
    for size in [50] if options.quick else [50, 10_000]:
        command = [sys.executable, __file__, "--size", str(size)] + (["--compare"] if options.compare else [])
        figures = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        print(summary(size, figures))


def summary(size: int, figures: dict) -> str:
    verdict = "ok" if figures["ratio_to_target"] <= 1 else "MISSED"
    line = (f"{size:>6} articles: {figures['seconds']:>7.2f} s (target {figures['target_s']:g} s, "
            f"ratio {figures['ratio_to_target']:.2f}, {verdict}) · {figures['sentences']} sentences · "
            f"{figures['claims']} claims · peak RSS {figures['peak_rss_mib']:.0f} MiB "
            f"(articles alone {figures['rss_before_mib']:.0f} MiB)")
    if figures["workers"]:
        line += f" · {figures['workers']} workers, each at most {figures['workers_peak_rss_mib']:.0f} MiB"
    if "in_process_s" in figures:
        same = "same result" if figures["same_result"] else "RESULTS DIFFER"
        line += f" · in one process {figures['in_process_s']:.2f} s ({figures['speedup']:.2f}x), {same}"
    return line


if __name__ == "__main__":
    main()
