"""Derive the claims engine's paraphrase table from WordNet 3.0 (not run at run time).

    apt-get install wordnet-base
    .venv/bin/python tests/wordnet_paraphrase.py [/usr/share/wordnet] > index/data/wordnet_paraphrase.txt

(tests/test_claims.py checks that the committed table is what this script makes, when WordNet is
installed.)

The table is general English, not the labelled stories: for every common English word (the
30,000 most frequent of the ranked list accord already ships, index/data/english_words.txt.gz) it
takes the word's MOST FREQUENT sense, counted over WordNet's sense-tagged corpus (cntlist.rev),
across its nouns, verbs, adjectives and adverbs (inflections found with WordNet's exception lists
and suffix rules; adverbs only compete for a word's uses, no adverb concept is written). A word
gets a sense only if that sense has real support: tagged at least MIN_COUNT times and at least
DOMINANCE of all the word's tagged uses, so a word with many everyday senses ("charge", "fire",
"cut", "arm", "sanctions") gets none rather than the wrong one. A word with one sense however it is
read ("physician"; not "fired", also "fire" + "ed") has that one. A name's sense ("Carlos",
"Salisbury") is never taken: country and organisation aliases are the hand-written lexicon's.

Words whose chosen sense is the same synset are one concept: one line of the table, its label
first (the most common member that is a base form itself), then the other words. An inflected
form stays only with its base ("sold" with "sell"; "thousands" is not put apart from "thousand").
So every word has one concept, the relation is an equivalence (no chains through a word's second
sense), and it is deterministic. A concept is written only if it joins words the stemmer would
keep apart: synonyms ("purchase", "buy"), or an irregular form and its base ("fled", "flee").
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

COMMON_RANK = 30_000  # a common word ranks above this in english_words.txt.gz (as repairs._COMMON_RANK)
MIN_COUNT = 10  # tagged uses a sense needs
DOMINANCE = 0.7  # ... and its share of the word's tagged uses (all senses, all parts of speech)
POS = {"n": ("noun", 1), "v": ("verb", 2), "a": ("adj", 3), "r": ("adv", 4)}  # satellites ("s", 5): with adj
WRITTEN = ("n", "v", "a")  # adverbs only compete for a word's uses ("further"): no adverb concepts
MORPH = {  # WordNet's detachment rules (morph.c)
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}


def read_wordnet(folder: Path):
    """index: (lemma, pos) -> synset offsets in sense order; counts: (lemma, pos, offset) -> tag
    count; members: (pos, offset) -> lemmas; exceptions: (inflected, pos) -> bases; proper:
    (lemma, pos, offset) of names ("Carlos", "Salisbury"), never a word's sense here."""
    tagged = {}
    for line in (folder / "cntlist.rev").read_text().splitlines():
        key, _, count = line.split()
        tagged[key] = int(count)
    index, counts, members, exceptions, proper = {}, {}, {}, defaultdict(list), set()
    for pos, (name, _) in POS.items():
        for line in (folder / f"index.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence at the top
            fields = line.split()
            lemma, synsets, pointers = fields[0], int(fields[2]), int(fields[3])
            index[lemma, pos] = fields[6 + pointers :][:synsets]
        for line in (folder / f"{name}.exc").read_text(encoding="latin-1").splitlines():
            inflected, *bases = line.split()
            exceptions[inflected, pos].extend(bases)
        lines = {}
        for line in (folder / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if not line.startswith("  "):
                lines[line[:8]] = line
        for offset, line in lines.items():
            fields = line.split(" | ", 1)[0].split()
            filenum, ss_type, n = fields[1], fields[2], int(fields[3], 16)
            written = [re.sub(r"\(.*\)$", "", fields[4 + 2 * k]) for k in range(n)]
            words = [(w.lower(), int(fields[5 + 2 * k], 16)) for k, w in enumerate(written)]
            proper.update((w.lower(), pos, offset) for w in written if w != w.lower())
            head = ":"
            if ss_type == "s":  # a satellite's sense key names its cluster's head adjective
                rest = fields[4 + 2 * n :]
                for k in range(int(rest[0])):
                    symbol, target = rest[1 + 4 * k], rest[2 + 4 * k]
                    if symbol == "&":
                        target_fields = lines[target].split()
                        head = f"{re.sub(r'[(].*[)]$', '', target_fields[4]).lower()}:{int(target_fields[5], 16):02d}"
                        break
            number = 5 if ss_type == "s" else POS[pos][1]
            members[pos, offset] = [w for w, _ in words]
            for word, lex_id in words:
                key = f"{word}%{number}:{filenum}:{lex_id:02d}:{head}"  # "weapon%1:06:00::"
                counts[word, pos, offset] = tagged.get(key, 0)
    return index, counts, members, exceptions, proper


def bases(word: str, pos: str, index, exceptions, lemma: bool, common: set[str]) -> list[str]:
    """WordNet's base forms of `word` as part of speech `pos` (its morphy). A word that is a
    lemma itself (of any part of speech: `lemma`) is taken apart only as a noun's plural
    ("scores" is "score" + "s", but "owner" is not "own" + "er"), and only into a `common` word
    ("spicer" is not "spic" + "er")."""
    found = [word] if (word, pos) in index else []
    found += [b for b in exceptions.get((word, pos), []) if (b, pos) in index]
    for suffix, ending in MORPH[pos] if not lemma or pos == "n" else []:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)] + ending
            if suffix == "es" and not ending and not base.endswith(("s", "x", "z", "ch", "sh", "o")):
                continue  # "pushes" is "push" + "es", "aides" is not "aid" + "es"
            if (base, pos) in index and base in common:
                found.append(base)
    return list(dict.fromkeys(found))


def sense_of(word: str, index, counts, exceptions, proper, common) -> tuple[tuple[str, str], str] | None:
    """The word's most frequent sense, as ((pos, synset offset), the base form), or None if no
    sense has enough support. A word with one sense, however it is read (as a lemma or an
    inflection: "fired" is an adjective and "fire" + "ed"), has that one."""
    readings = {(pos, offset, base) for pos in POS for base in bases(word, pos, index, exceptions, False, common)
                for offset in index[base, pos]}
    if len(readings) == 1:
        (pos, offset, base), = readings
        return ((pos, offset), base) if pos in WRITTEN and (base, pos, offset) not in proper else None
    senses = []  # (count, order, sense order, pos, offset, base)
    lemma = any((word, pos) in index for pos in POS)
    for order, pos in enumerate(POS):
        for base in bases(word, pos, index, exceptions, lemma, common):
            for rank, offset in enumerate(index[base, pos]):
                senses.append((counts.get((base, pos, offset), 0), -order, -rank, pos, offset, base))
    total = sum(s[0] for s in senses)
    if not senses or not total:
        return None
    count, _, _, pos, offset, base = max(senses)
    if count < MIN_COUNT or count < DOMINANCE * total or pos not in WRITTEN or (base, pos, offset) in proper:
        return None
    return (pos, offset), base


def table(folder: Path) -> list[list[str]]:
    from accord.index.repairs import english_words

    index, counts, members, exceptions, proper = read_wordnet(folder)
    rank = english_words()
    common = {word for word, at in rank.items() if at < COMMON_RANK}
    concept = defaultdict(list)  # (pos, offset) -> [(word, base)]
    for word, at in sorted(rank.items(), key=lambda item: item[1]):
        if at >= COMMON_RANK or not word.isalpha() or len(word) < 3:
            continue
        found = sense_of(word, index, counts, exceptions, proper, common)
        if found:
            concept[found[0]].append((word, found[1]))
    from accord.index.fulltext import stem

    lines = []
    for words in concept.values():
        # an inflected form joins a concept only with its base ("sold" with "sell"): else it
        # would leave the words the stemmer joins it to ("thousands" is not "thousand" here)
        inside = {w for w, _ in words}
        kept = {w for w, b in words if b in inside}
        if len({stem(w) for w in kept}) < 2:
            continue  # the stemmer already joins them
        # the label: the most common word of the concept that is a base form itself
        lemmas = [w for w, b in words if w == b and w in kept]
        if not lemmas:
            continue
        label = min(lemmas, key=lambda w: (rank[w], w))
        lines.append([label, *sorted(kept - {label}, key=lambda w: (rank[w], w))])
    return sorted(lines, key=lambda line: (rank.get(line[0], len(rank)), line[0]))


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet")
    print("# Generated by tests/wordnet_paraphrase.py from WordNet 3.0 (see WORDNET_LICENSE next to this file).")
    print("# One concept a line: its label, then the words that mean it in their most frequent sense.")
    for line in table(folder):
        print(" ".join(line))


if __name__ == "__main__":
    main()
