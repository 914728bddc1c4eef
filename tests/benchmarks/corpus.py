"""A deterministic synthetic news corpus for the benchmarks.

Articles look like the scraped seeds: a headline, sometimes a dateline or a
date line, paragraphs of sentences with names, numbers and abbreviations, and
now and then boilerplate. Words follow a Zipf distribution over a lexicon of
real seed words plus generated ones, so the index sees a news-like vocabulary
(a few very common words, a long tail of rare ones). The same seed always
gives byte-identical files.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from pathlib import Path

SEED_WORDS = """
japan export patriot missiles united states government cabinet approved rules defence equipment
transfer ukraine russia war poland nato security minister said officials decision licence
production interceptors air systems third country countries conflict weapons policy revision
tokyo washington kyiv military aid shortage stockpile supply deliveries deal agreement talks
report reported announced according week friday monday year month first time since pacifist
constitution restrictions guidelines components parts manufactured companies industry
""".split()
SYLLABLES = "ka ri to ne sa mo lu vi de ran tel gor bis nau pra che los fen dur mik sol tar vek zu".split()
PLACES = ["Kyiv", "Tokyo", "Washington", "Warsaw", "Brussels", "Berlin", "Seoul", "Canberra"]
OUTLETS = ["UNN", "Kyodo", "Wire Desk", "Daily Ledger", "Pacific Times", "Euro Courier"]
BOILERPLATE = ["Related Posts", "2 min read", "LOOK HERE: another story about it", "Back to top button"]


@dataclass(frozen=True)
class Corpus:
    folder: Path
    count: int
    lexicon: list[str]  # most frequent first
    phrases: list[str]  # two-word runs that occur in the text


def _lexicon(rng: random.Random, size: int) -> list[str]:
    words = list(dict.fromkeys(SEED_WORDS))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def generate(folder: Path, count: int, seed: int = 2023, lexicon_size: int = 40_000) -> Corpus:
    """Write `count` articles into `folder` (reused as is if already complete)."""
    rng = random.Random(seed)
    lexicon = _lexicon(rng, lexicon_size)
    weights = list(itertools.accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(lexicon))))
    phrases: list[str] = []
    marker = folder / f".complete-{count}-{seed}"
    write = not marker.exists()
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        words = iter(rng.choices(lexicon, cum_weights=weights, k=700))
        lines = [_headline(words)]
        if rng.random() < 0.5:
            lines.append(f"{rng.choice(PLACES)} • {rng.choice(OUTLETS)}")
        if rng.random() < 0.3:
            lines.append(f" date 2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} #Big #news")
        for _ in range(rng.randint(5, 9)):
            paragraph = " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 3)))
            lines.append(paragraph)
            if rng.random() < 0.08:
                lines.append(rng.choice(BOILERPLATE))
        if number % 50 == 0:  # a phrase query that has at least this one match
            phrases.append(" ".join(paragraph.split()[4:6]).strip(".,").lower())
        if write:
            (folder / f"{number // 1000:03d}").mkdir(exist_ok=True)
            (folder / f"{number // 1000:03d}" / f"article-{number:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker.touch()
    return Corpus(folder, count, lexicon, phrases)


def _headline(words) -> str:
    return " ".join(next(words).capitalize() for _ in range(7))


def _sentence(rng: random.Random, words) -> str:
    parts = [next(words) for _ in range(rng.randint(10, 22))]
    parts[0] = parts[0].capitalize()
    if rng.random() < 0.5:
        parts.insert(rng.randint(1, len(parts) - 1), str(rng.randint(2, 5000)))
    if rng.random() < 0.3:
        parts.insert(rng.randint(1, len(parts) - 1), f"Mr. {next(words).capitalize()}")
    if rng.random() < 0.2:
        parts.insert(rng.randint(1, len(parts) - 1), "the U.S.")
    return " ".join(parts) + "."


def files(corpus: Corpus) -> list[Path]:
    return sorted(corpus.folder.rglob("article-*.txt"))
