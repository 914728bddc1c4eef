"""General news vocabulary: stop words, paraphrase groups, aliases, spelling variants.

Outlets reword the same fact with the verbs and names every newsroom uses: verbs
of saying, of supplying, allowing, forbidding, rising and falling, of harm and
rescue; a country by its capital or its adjective. The hand-written groups below
map such words to one concept; they are general news paraphrase, written from that
idea and not from the labelled stories, and hold no topic nouns. Other synonyms
("purchase" for "buy", "construct" for "build", "sold" for "sell") come from
WordNet 3.0 (`paraphrase()`: a table made by tests/wordnet_paraphrase.py, each
common word by its most frequent sense only), and British spellings are folded
into American ones by rule (`us_spelling`). No word is here because a labelled
story used it (tests/test_claims.py checks that topic groups stay out).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your said says say told tell
according reported reports report also one ones new now still will would may might could it
percent per cent pct mr mrs ms dr yet already even ever since whether however although though among
within without around across along toward towards upon via must shall well much many several another
""".split())

# Each group: one concept, the words outlets use for it interchangeably.
_GROUPS = {
    # saying and asking
    "say": "announce announced announces announcing declare declared declares state stated states statement "
           "add added adds note noted notes confirm confirmed confirms",
    "ask": "ask asked asks request requested requests appeal appealed urge urged urges call called",
    "warn": "warn warned warns warning warnings caution cautioned",
    # giving, supplying, selling
    "send": "send sending sent ship ships shipped shipping shipment shipments supply supplies supplying supplied "
            "deliver delivers delivered delivering delivery deliveries transfer transfers transferred transferring "
            "provide provides provided providing export exports exported exporting sell sells selling sold sale sales",
    "buy": "buy buys bought buying purchase purchased purchases acquire acquired acquisition",
    # allowing and forbidding
    "allow": "allow allows allowed allowing permit permits permitted authorise authorised authorize authorized "
             "approve approved approves enable enables enabled let lets",
    "forbid": "forbid forbids forbidden prohibit prohibits prohibited ban bans banned bar bars barred prevent prevents "
              "prevented block blocks blocked outlaw outlawed",
    "rules": "rule rules regulation regulations restriction restrictions control controls guideline guidelines "
             "directive directives law laws act legislation",
    "relax": "relax relaxes relaxed relaxing loosen loosens loosened ease eases eased easing lift lifts lifted",
    "tighten": "tighten tightens tightened toughen toughened",
    "change": "change changes changed changing revise revises revised revision reform reforms amend amended "
              "amendment overhaul",
    # more and less
    "rise": "rise rises rose risen rising increase increases increased raise raises raised climb climbed jump jumped "
            "grow grew growth soar soared gain gained",
    "fall": "fall falls fell fallen falling drop drops dropped decrease decreased decline declined lower lowers lowered "
            "reduce reduced reduction cut cuts slash slashed",
    # starting and stopping
    "start": "start starts started begin begins began begun launch launched",
    "stop": "stop stops stopped halt halts halted suspend suspended cease ceased shut shutdown closed close closes",
    # harm and help
    "die": "die died dies dying dead death deaths kill kills killed killing fatal toll",
    "hurt": "hurt injure injured injuries injury wound wounded",
    "rescue": "rescue rescued rescues free freed save saved",
    "aid": "aid help helps helped helping assist assisted assistance support supported",
    "arrest": "arrest arrested arrests detain detained custody",
    "accuse": "accuse accused charge charged allege alleged",
    "investigate": "investigate investigated investigation inquiry probe",
    "check": "inspect inspected inspection check checked examine examined",
    "hit": "hit hits strike strikes struck",
    # countries and organisations, by their names, capitals and adjectives
    "nation": "country countries nation nations",
    "usa": "us u.s u.s. usa america american americans washington",
    "uk": "uk u.k britain british london",
    "eu": "eu e.u brussels",
    "japan": "japan japanese tokyo",
    "china": "china chinese beijing",
    "russia": "russia russian russians moscow kremlin",
    "ukraine": "ukraine ukrainian ukrainians kyiv kiev",
    "germany": "germany german berlin",
    "france": "france french paris",
    "india": "india indian delhi",
    "israel": "israel israeli israelis",
    "un": "un u.n",
}
CONCEPT = {word: concept for concept, words in _GROUPS.items() for word in words.split()}


@lru_cache(maxsize=1)
def paraphrase() -> dict[str, str]:
    """WordNet's synonyms (index/data/wordnet_paraphrase.txt), as word -> term: the stem of the
    word that labels its concept. A WordNet concept holding words of a hand-written group joins
    that group (its term is the group's concept), unless it holds words of two groups."""
    from ..fulltext import stem

    text = resources.files("accord.index").joinpath("data/wordnet_paraphrase.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        groups = {CONCEPT[w] for w in words if w in CONCEPT}
        term = groups.pop() if len(groups) == 1 else stem(words[0])
        for word in words:
            if word not in CONCEPT:
                table[word] = term
    return table


# British spellings to American, by rule: (pattern, replacement, whether the American form
# must be a known word). "-our", "-tre", "-yse" and "-ogue" fold whenever they match (the
# word list lacks "labor", "theater", "analyzed", "catalog", and no other word is made by
# them); "-ise", "-ence" and "-dgement" only into a known word ("promise" is not "promize",
# "confidence" not "confidense").
_SPELLINGS = [
    (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|er|ers|ite|ites|able|ably|ful|less|hood|hoods|al|ally|y|ist|ists)?$"),
     r"or\1", False),
    (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1", False),
    (re.compile(r"(?<=[a-z]{3})tr(ed|ing)$"), r"ter\1", False),
    (re.compile(r"(?<=[a-z])ibre(s?)$"), r"iber\1", False),
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"iz\1", True),
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)$"), r"yz\1", False),
    (re.compile(r"(?<=[a-z]{3})ence(s?)$"), r"ense\1", True),
    (re.compile(r"(?<=[a-z]{3})ogue(s?)$"), r"og\1", False),
    (re.compile(r"(?<=[a-z]{2})dgement(s?)$"), r"dgment\1", True),
]


def us_spelling(word: str) -> str:
    """`word` (lower case) in American spelling: "licence" -> "license", "labour" -> "labor",
    "organised" -> "organized", "centre" -> "center"; other words as they are."""
    from ..repairs import english_words

    for pattern, replacement, known in _SPELLINGS:
        folded = pattern.sub(replacement, word)
        if folded != word and (not known or folded in english_words()):
            return folded
    return word


# Two-word names that are one concept ("United States" -> usa), so they match "U.S."
# and do not add two common words.
PLACES = {
    ("united", "states"): "usa", ("united", "kingdom"): "uk", ("great", "britain"): "uk",
    ("european", "union"): "eu", ("united", "nations"): "un", ("north", "korea"): "north-korea",
    ("south", "korea"): "south-korea",
}

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset("january february march april may june july august september october november december".split())

# Common first names, so that a surname next to one is judged a name whatever the dictionary says
# ("Teodor Marsh"). Any capitalised word before a surname the story already knows counts too.
FIRST_NAMES = frozenset("""
adam alan albert alex alexander alice amy ana andrea andrew angela ann anna anne antonio barbara ben
benjamin bernard bill brian carl carlos carol catherine charles chris christian christine christopher claire
daniel david deborah dennis diana donald dorothy edward elena elizabeth emily emma eric erik eva frank fred
george  hans harry helen helena henry  isabel jack james jan jane jean jennifer jessica john jonathan
jose joseph juan julia karen karl kate katherine kevin laura linda lisa louis lucy luis maria mark martin mary
matthew michael michel mike nancy nicholas olga oliver olivia pablo patricia paul peter philip pierre rachel
richard robert roger ruth sam samuel sandra sara sarah simon sophie stefan stephen steven susan  thomas
tim timothy tom victor william
""".split())
