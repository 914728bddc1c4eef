"""How alike two sentences of one story are.

Word cosine (IDF from the story itself, so the words every report of this story
uses weigh little, and so do the words only one sentence uses), character 4-gram
cosine of the same words (inflections and transliterations stems miss), and bonuses for a shared number, date or clock
time and for two ledes (news states the main event first).
"""

from __future__ import annotations

import math
from collections import Counter

from .features import StorySentences
from .lexicon import WEEKDAYS

WORD_WEIGHT = 0.6  # word cosine vs character 4-gram cosine
NUMBER_BONUS = 0.1  # both give the same number, date or time
LEDE, LEDE_BONUS = 2, 0.1  # one a first sentence, the other among its article's first two
SPEAKER_WEIGHT = 0.5  # a title or a person's name weighs this much of its rarity
# A word no other sentence of the story uses weighs this much of its rarity: it cannot be
# shared, and at full weight (the rarest of all) it only made a long sentence unlike every
# retelling of the fact it states beside its own detail.
HAPAX_WEIGHT = 0.2


def dot(a: dict, b: dict) -> float:
    # fsum, here and in norm: exact whatever the order, and a set's order follows the
    # process's string hashing, so a plain sum could differ in a worker process
    common = a.keys() & b.keys()  # intersected in C: most keys are not shared
    return math.fsum(a[k] * b[k] for k in common) if common else 0.0


def norm(vector: dict) -> float:
    return math.sqrt(math.fsum(w * w for w in vector.values())) or 1.0


class Scorer:
    """Pair likeness within one story (see the module's docstring)."""

    def __init__(self, sentences: StorySentences, df: Counter) -> None:
        count = max(1, len(sentences))
        self.idf = {term: math.log(1 + count / n) * (HAPAX_WEIGHT if n == 1 else 1.0) for term, n in df.items()}
        self.sentences = sentences
        self.words = {i: {t: self.idf[t] * (SPEAKER_WEIGHT if t in s.speaker else 1.0) for t in s.terms}
                      for i, s in sentences.items()}
        self.word_norm = {i: norm(words) for i, words in self.words.items()}
        # 4-grams are built per story and dropped with it: kept for a whole corpus they
        # were most of the memory
        self.grams = {i: grams(s.words) for i, s in sentences.items()}
        self.gram_norm = {i: norm(g) for i, g in self.grams.items()}
        self.values = {i: {n for n in s.numbers if corroborates(n)} for i, s in sentences.items()}
        self.units = {i: s.numbers for i, s in sentences.items()}

    def __call__(self, i: int, j: int) -> float:
        s, t = self.sentences[i], self.sentences[j]
        words = dot(self.words[i], self.words[j]) / (self.word_norm[i] * self.word_norm[j])
        shared_grams = dot(self.grams[i], self.grams[j]) / (self.gram_norm[i] * self.gram_norm[j])
        bonus = NUMBER_BONUS if self._same_value(i, j) else 0.0
        if min(s.index, t.index) == 0 and max(s.index, t.index) < LEDE:
            # news puts the main event first: ledes tend to state one claim (two second
            # sentences do not: by then outlets have moved on to different details)
            bonus += LEDE_BONUS
        return WORD_WEIGHT * words + (1 - WORD_WEIGHT) * shared_grams + bonus


    def _same_value(self, i: int, j: int) -> bool:
        """Both give one date or time, or one number counting the same thing (a word
        around it in common): "two" votes and "two" years are not one fact."""
        for key in self.values[i] & self.values[j]:
            if not key.startswith("number") or not UNITS_MATTER or self.units[i][key] & self.units[j][key]:
                return True
        return False


UNITS_MATTER = True


def grams(terms: tuple[str, ...]) -> Counter:
    """Character 4-grams of the terms: catches inflections and transliterations stems miss."""
    return Counter(padded[i : i + 4] for padded in (f" {t} " for t in terms) for i in range(max(1, len(padded) - 3)))


def corroborates(key: str) -> bool:
    """A value two sentences sharing is evidence; not a weekday (story-wide: "on Friday")."""
    return key.split(" ", 1)[1] not in WEEKDAYS
