"""Boilerplate rules: whole-line patterns that take scraped clutter out of a body.

Each rule has a name (shown as the reason a line was removed) and a regular
expression matched against the whole stripped line. The defaults describe
kinds of clutter, not the seeds' exact strings; users add their own in the
config file (see `accord.index.config`).

Users' rules run on RE2 (google-re2), whose matching time is linear in the
line: a pattern such as `(a+)+$` cannot hang Accord on a hostile line as it
would Python's backtracking engine, and huge repetitions are refused when the
rule is compiled, with its name. The defaults, written here, use `re`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]

    def matches(self, line: str) -> bool:
        return self.pattern.fullmatch(line.strip()) is not None


def rule(name: str, pattern: str, flags: int = 0) -> Rule:
    return Rule(name, re.compile(pattern, flags))


_TEASER_WORDS = (
    r"read(?: also| more| next)?|also read|see also|look here|more information|more info|"
    r"related(?: news| stories| articles| coverage)?|recommended|watch(?: now)?|listen|video|photos?|"
    r"trending|must read|don'?t miss|editor'?s picks?|advertisement|sponsored|promoted|subscribe"
)

DEFAULT_RULES: tuple[Rule, ...] = (
    # "LOOK HERE: ...", "MORE INFORMATION: ...", "Read also: ..." teasers to other stories.
    rule("promo", rf"(?:{_TEASER_WORDS})\s*:\s*\S.*", re.IGNORECASE),
    # Any shouted label of two to four words followed by a colon and a link text.
    rule("promo", r"[A-Z][A-Z'’]+(?: [A-Z][A-Z'’]+){1,3}:\s+\S.*"),
    # Lists of links: "Related Posts", "More stories", "You may also like".
    rule(
        "related-links",
        r"(?:related|more|latest|popular|top|other)(?: posts| articles| stories| news| reads| from \w+)?"
        r"|(?:you (?:may|might) (?:also )?like|read next|most (?:read|popular|viewed)|recommended for you)\s*:?",
        re.IGNORECASE,
    ),
    rule(
        "navigation",
        r"(?:back to top(?: button)?|skip to (?:main )?content|share(?: this(?: article| story)?)?(?: on \w+)?"
        r"|print(?: this)?|e-?mail|comments?|tweet|menu|home|search|close|previous(?: article| post)?"
        r"|next(?: article| post)?|follow us.*|sign up.*|click here.*|accept (?:all )?cookies.*|cookie settings)",
        re.IGNORECASE,
    ),
    rule("read-time", r"(?:\d+\s*(?:min|mins|minutes?)\s*read|reading time:?\s*\d+\s*(?:min|mins|minutes?))", re.IGNORECASE),
    rule("copyright", r"(?:©|\(c\)|copyright\b).{0,120}", re.IGNORECASE),
    # A lone capitalised word between paragraphs: "Details", "Recall", "Advertisement".
    rule("lone-word", r"[A-Z][a-z]{2,20}"),
    rule("separator", r"[-–—_=*•·.~#\s]{3,}"),
)


MAX_PATTERN_CHARS = 10_000  # a boilerplate rule describes a line, not a document


def compile_rules(entries: list[dict[str, str]]) -> list[Rule]:
    """Build user rules from config entries `{name = "...", pattern = "..."}`, on RE2.

    Raises ValueError with a one-line message naming the bad entry.
    """
    rules: list[Rule] = []
    for position, entry in enumerate(entries, 1):
        name = " ".join(str(entry.get("name") or f"user-rule-{position}").split())[:80]
        pattern = entry.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise ValueError(f"boilerplate rule {name!r} has no pattern")
        if len(pattern) > MAX_PATTERN_CHARS:
            raise ValueError(f"boilerplate rule {name!r}: pattern longer than {MAX_PATTERN_CHARS} characters")
        rules.append(Rule(name, _safe_pattern(name, pattern, ignore_case=entry.get("ignore_case", True) is not False)))
    return rules


MAX_REPETITION = 1000  # RE2's own limit; it reads a count too large to parse as literal text instead
_REPETITION = re.compile(r"\{(\d+)(?:,(\d*))?\}")


def oversized_repetition(pattern: str) -> str | None:
    """The first `{n}`, `{n,}` or `{n,m}` whose count is over MAX_REPETITION, outside escapes,
    `\\Q...\\E` and character classes; None if there is none. RE2 refuses `a{1001}` but takes
    `a{4294967296}` (a count it cannot parse) for the literal text, silently."""
    position, length = 0, len(pattern)
    while position < length:
        char = pattern[position]
        if char == "\\":
            if pattern.startswith("Q", position + 1):  # literal up to \\E (or the end)
                end = pattern.find("\\E", position + 2)
                position = length if end < 0 else end + 2
            else:
                position += 2
        elif char == "[":
            position = _class_end(pattern, position)
        elif char == "{" and (found := _REPETITION.match(pattern, position)):
            counts = [number.lstrip("0") for number in found.groups() if number]  # no int() of 10,000 digits
            if any(len(count) > 4 or int(count or 0) > MAX_REPETITION for count in counts):
                return found.group()
            position = found.end()
        else:
            position += 1
    return None


def _class_end(pattern: str, start: int) -> int:
    """Where the character class opening at `start` ends (one past its `]`)."""
    position = start + 1
    if pattern.startswith("^", position):
        position += 1
    if pattern.startswith("]", position):  # a leading ] is a literal
        position += 1
    while position < len(pattern):
        if pattern[position] == "\\":
            position += 2
        elif pattern.startswith("[:", position) and (end := pattern.find(":]", position + 2)) >= 0:
            position = end + 2
        elif pattern[position] == "]":
            return position + 1
        else:
            position += 1
    return len(pattern)


def _safe_pattern(name: str, pattern: str, ignore_case: bool):
    too_many = oversized_repetition(pattern)
    if too_many:
        raise ValueError(f"boilerplate rule {name!r}: bad pattern (repetition {too_many[:40]} is over "
                         f"{{{MAX_REPETITION}}}; rules use RE2 syntax: no look-arounds, no back-references, "
                         f"repetitions up to {{{MAX_REPETITION}}})")
    import re2  # only when the config has rules of its own

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own line on stderr
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except Exception as error:  # noqa: BLE001  re2.error, and whatever else a hostile pattern raises
        reason = error.args[0].decode(errors="replace") if error.args and isinstance(error.args[0], bytes) else error
        raise ValueError(
            f"boilerplate rule {name!r}: bad pattern ({reason}; rules use RE2 syntax: no look-arounds, "
            "no back-references, repetitions up to {1000})"
        ) from None


def first_match(rules: tuple[Rule, ...] | list[Rule], line: str) -> Rule | None:
    for candidate in rules:
        if candidate.matches(line):
            return candidate
    return None
