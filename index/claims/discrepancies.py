"""Where outlets disagree: a number, date or time within one claim, or the spelling
of a name anywhere in the story. A disagreement needs two outlets: one outlet that
writes both spellings ("ValPort" and "Valmora") is using two names, not quarrelling
with itself."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .features import _YEAR, NameUse, Sentence, StorySentences
from .lexicon import WEEKDAYS
from .model import Discrepancy


def value_discrepancies(sentences: StorySentences, groups: list[set[int]]) -> list[Discrepancy]:
    """Within a claim: numbers next to the same word (12 vs 14 people), or dates or
    clock times, that differ between two outlets' sentences; repeats are merged by
    `unique` once every story is done."""
    found: list[Discrepancy] = []
    for members in groups:
        ordered = sorted(members)
        for x, i in enumerate(ordered):
            for j in ordered[x + 1 :]:
                s, t = sentences[i], sentences[j]
                if s.member.source != t.member.source:
                    found.extend(_differences(s, t))
    return found


def _differences(s: Sentence, t: Sentence) -> Iterable[Discrepancy]:
    for value, units in s.numbers.items():
        kind = value.split(" ", 1)[0]
        for other, other_units in t.numbers.items():
            if value == other or other.split(" ", 1)[0] != kind:
                continue
            if value in t.numbers or other in s.numbers:
                continue  # both give both values: no disagreement
            if kind == "number" and not units & other_units:
                continue  # counts of different things
            if kind == "date" and _date_form(value) != _date_form(other):
                continue  # "Friday" and "2014" are not rival answers
            variants = [v.split(" ", 1)[1] for v in (value, other)]
            if kind == "date":
                variants = [v.title() for v in variants]
            yield Discrepancy(kind, variants, [s.member, t.member], [s.written[value], t.written[other]])


def _date_form(key: str) -> str:
    value = key.split(" ", 1)[1]
    return "weekday" if value in WEEKDAYS else "year" if _YEAR.match(value) else "day"


def name_discrepancies(sentences: list[Sentence]) -> list[Discrepancy]:
    """Anywhere in the story: two near-identical spellings of one name, each written by
    an outlet that never writes the other. A capitalised word is judged a name by its
    context across the story, not by a dictionary alone: "Marsh" after "Teodor" (or
    after "Judge") is a surname wherever it appears, while "Minister" is not. A
    person's first-name variants are folded into the surname's discrepancy."""
    uses: dict[str, list[tuple[Sentence, NameUse]]] = defaultdict(list)
    for sentence in sentences:
        for use in sentence.name_uses:
            uses[use.word].append((sentence, use))
    person = {w for w, found in uses.items() if any(u.person for _, u in found)}
    names = sorted(w for w, found in uses.items() if w in person or any(not u.common for _, u in found))
    first_only = {w for w in names if all(u.first for _, u in uses[w])}
    outlets = {w: {s.member.source for s, _ in uses[w]} for w in names}
    found: list[Discrepancy] = []
    for x, a in enumerate(names):
        for b in names[x + 1 :]:
            if a[0] != b[0] or abs(len(a) - len(b)) > 2:
                continue
            if (a in person) != (b in person):
                continue  # a person and a place or a firm ("Gerda Holm", "Halm supermarkets")
            if (a.startswith(b) or b.startswith(a)) and not (a in person and _same_first_name(uses[a], uses[b])):
                continue  # "Park" and "Parker": a longer name, unless one person's ("Arvid Lund", "Arvid Lunde")
            distance = edit_distance(a.lower(), b.lower())
            if distance > (2 if a in person else 1) or distance / max(len(a), len(b)) > 0.3:
                continue  # two letters apart only for a person's name, whose context says it is one
            if outlets[a] & outlets[b]:
                continue  # an outlet writes both: two names ("ValPort" and "Valmora", "Nordvind" and "Nordline")
            only_a, only_b = outlets[a], outlets[b]
            if a in first_only and b in first_only and not _same_surname(uses[a], uses[b]):
                continue  # two first names of two people, or the surname's discrepancy says it
            # where the rarer spelling is written, and one sentence with the usual one:
            # marking every sentence of the outlets that spell it right says nothing
            rare, usual = (a, b) if len(only_a) <= len(only_b) else (b, a)
            rare_only, usual_only = (only_a, only_b) if rare == a else (only_b, only_a)
            members = [s.member for s, _ in _first_per_outlet(uses[rare], rare_only)]
            members += [s.member for s, _ in _first_per_outlet(uses[usual], usual_only)[:1]]
            members.sort(key=lambda m: (m.source, m.sentence))
            found.append(Discrepancy("name", [a, b], members, [_full(uses[a]), _full(uses[b])]))
    return found


def _same_first_name(a: list[tuple[Sentence, NameUse]], b: list[tuple[Sentence, NameUse]]) -> bool:
    """Some use of each stands after the same first name ("Arvid Lund", "Arvid Lunde")."""
    def firsts(found: list[tuple[Sentence, NameUse]]) -> set[str]:
        return {u.full.split()[-2] for _, u in found if u.person and len(u.full.split()) >= 2}

    return bool(firsts(a) & firsts(b))


def _same_surname(a: list[tuple[Sentence, NameUse]], b: list[tuple[Sentence, NameUse]]) -> bool:
    return bool({u.next_word for _, u in a} & {u.next_word for _, u in b})


def _first_per_outlet(found: list[tuple[Sentence, NameUse]], outlets: set[str]) -> list[tuple[Sentence, NameUse]]:
    seen: set[str] = set()
    chosen = []
    for sentence, use in found:
        if sentence.member.source in outlets and sentence.member.source not in seen:
            seen.add(sentence.member.source)
            chosen.append((sentence, use))
    return chosen


def _full(found: list[tuple[Sentence, NameUse]]) -> str:
    """The name as most often written in full ("Teodor Marsh"), ties to the longest."""
    counts = Counter(u.full for _, u in found)
    return max(counts, key=lambda full: (counts[full], len(full), full))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def unique(found: list[Discrepancy]) -> list[Discrepancy]:
    """One discrepancy per kind and set of variants, with every sentence involved."""
    merged: dict[tuple, Discrepancy] = {}
    for d in found:
        key = (d.kind, frozenset(d.variants))
        if key not in merged:
            merged[key] = Discrepancy(d.kind, d.variants, [], d.phrases)
        members = merged[key].members
        members.extend(m for m in d.members if m not in members)
    return list(merged.values())
