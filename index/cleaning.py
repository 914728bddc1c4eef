"""From a document's blocks to one canonical cleaned text with metadata.

The pipeline is a pure function of the document and the rules, so an
article's text and offsets are the same wherever and whenever it is cleaned:
1. the header zone (headline, section label, dateline, date line with
   hashtags, read-time and repeated headline) becomes metadata;
2. boilerplate blocks are removed by rule and reported, never lost;
3. a sentence broken across a blank line is rejoined, glued words are split
   and repeated fragments dropped, each reported as a repair;
4. paragraphs are joined by blank lines and split into sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import parse_date
from .model import Paragraph, Removed, Repair, Sentence
from .repairs import repair_paragraph
from .rules import DEFAULT_RULES, Rule, first_match
from .sentences import split_sentences


@dataclass(slots=True)
class Block:
    """A paragraph-sized unit of source text, with its 1-based source line."""

    line: int
    text: str


@dataclass(slots=True)
class Metadata:
    title: str = ""
    outlet: str = ""
    date: dt.date | None = None
    url: str = ""
    place: str = ""
    section: str = ""
    hashtags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cleaned:
    text: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    removed: list[Removed]
    repairs: list[Repair]
    meta: Metadata
    title_guessed: bool


_HEADER_ZONE = 6  # blocks at the top that may hold headline, dateline, date
_DATE_LINE = re.compile(
    r"(?:(?:date|published|updated|posted)\s*:?\s*)?(?P<date>[^#]{6,40}?)\s*(?P<tags>(?:#[\w-]+\s*)*)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})\s*[•·|]\s*(?P<outlet>[A-Z0-9][\w&'’. -]{0,40}?)"
)
_SECTION = re.compile(r"[A-Z][\w&'’-]*(?: [A-Z&][\w&'’-]*){0,2}")
_BYLINE = re.compile(r"By [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:,? (?:and|&) [A-Z][\w.'’ -]+)?")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_ENDS_WITH_ACRONYM = re.compile(r"(?:\b[A-Z]\.){2,}[\"'”’]?$")


def clean(blocks: list[Block], explicit: Metadata | None = None, rules: tuple[Rule, ...] | list[Rule] = DEFAULT_RULES) -> Cleaned:
    explicit = explicit or Metadata()
    guessed = Metadata()
    removed: list[Removed] = []
    blocks = [b for b in blocks if b.text.strip()]
    body_start = _read_header(blocks, guessed, removed, rules, explicit)
    title = explicit.title or guessed.title
    kept: list[Block] = []
    for block in blocks[body_start:]:
        text = block.text.strip()
        if title and _same_line(text, title):
            removed.append(Removed(block.line, text, "repeated-headline"))
            continue
        matched = first_match(rules, text)
        if matched:
            removed.append(Removed(block.line, text, matched.name))
            continue
        kept.append(Block(block.line, _squash_spaces(text)))

    paragraphs_text, repairs = _repair(kept)
    text, paragraphs, repairs = _assemble(paragraphs_text, repairs)
    spans = [(s, e, p.index) for p in paragraphs for s, e in split_sentences(text, p.start, p.end)]
    sentences = [Sentence(i, s, e, paragraph) for i, (s, e, paragraph) in enumerate(spans)]

    meta = Metadata(
        title=title,
        outlet=explicit.outlet or guessed.outlet,
        date=explicit.date or guessed.date,
        url=explicit.url or guessed.url,
        place=explicit.place or guessed.place,
        section=explicit.section or guessed.section,
        hashtags=explicit.hashtags or guessed.hashtags,
    )
    title_guessed = False
    if not meta.title:
        meta.title = _title_from_text(text, sentences)
        title_guessed = bool(meta.title)
    return Cleaned(text, paragraphs, sentences, sorted(removed, key=lambda r: r.line), repairs, meta, title_guessed)


def _read_header(blocks: list[Block], meta: Metadata, removed: list[Removed], rules, explicit: Metadata) -> int:
    """Consume header blocks into `meta`; return the index of the first body block."""
    index = 0
    seen_headline = False
    while index < min(len(blocks), _HEADER_ZONE):
        block = blocks[index]
        text = block.text.strip()
        following = blocks[index + 1].text.strip() if index + 1 < len(blocks) else ""
        title = explicit.title or meta.title
        if (date_line := _match_date_line(text)) is not None:
            meta.date, meta.hashtags = date_line
            removed.append(Removed(block.line, text, "date-line"))
        elif dateline := _DATELINE.fullmatch(text):
            meta.place, meta.outlet = dateline.group("place").strip(), dateline.group("outlet").strip()
            removed.append(Removed(block.line, text, "dateline"))
        elif _BYLINE.fullmatch(text):
            removed.append(Removed(block.line, text, "byline"))
        elif title and _same_line(text, title):
            removed.append(Removed(block.line, text, "repeated-headline" if seen_headline else "headline"))
            seen_headline = True
        elif not title and not meta.section and _SECTION.fullmatch(text) and _looks_like_headline(following):
            meta.section = text
            removed.append(Removed(block.line, text, "section-label"))
        elif (matched := first_match(rules, text)) is not None:
            removed.append(Removed(block.line, text, matched.name))
        elif not title and _looks_like_headline(text) and following:
            meta.title = text
            seen_headline = True
            removed.append(Removed(block.line, text, "headline"))
        else:
            break
        index += 1
    return index


def _match_date_line(text: str) -> tuple[dt.date, list[str]] | None:
    if len(text) > 300:
        return None
    match = _DATE_LINE.fullmatch(text)
    if not match:
        return None
    date = parse_date(match.group("date"))
    if date is None:
        return None
    return date, [tag.lstrip("#") for tag in match.group("tags").split()]


def _looks_like_headline(text: str) -> bool:
    words = text.split()
    if not 3 <= len(words) <= 25 or len(text) > 200 or not text[:1].isupper() and not text[:1] in "“\"'‘":
        return False
    if text.endswith((",", ";", ":")):
        return False
    if _ENDS_SENTENCE.search(text) and not _ENDS_WITH_ACRONYM.search(text) and not text.endswith(("?", "!", "?”", "!”")):
        # A period ends a sentence; headlines seldom have one unless it closes "U.S.".
        return False
    return True


def _same_line(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _squash_spaces(text: str) -> str:
    return re.sub(r"[ \u00a0]{2,}", " ", re.sub(r"\s*\n\s*", " ", text))


def _repair(blocks: list[Block]) -> tuple[list[str], list[tuple[int, int, str, str, str]]]:
    """Rejoin broken sentences and repair each paragraph.

    Returns paragraph texts and (paragraph, offset in paragraph, kind, original, replacement).
    """
    pieces: list[list[str]] = []  # each paragraph's blocks, joined once at the end (not block by block)
    lengths: list[int] = []
    repairs: list[tuple[int, int, str, str, str]] = []
    for block in blocks:
        if pieces and not _ENDS_SENTENCE.search(pieces[-1][-1]) and block.text[:1].islower():
            repairs.append((len(pieces) - 1, lengths[-1], "rejoined-sentence", "\n\n", " "))
            pieces[-1].append(block.text)
            lengths[-1] += 1 + len(block.text)
        else:
            pieces.append([block.text])
            lengths.append(len(block.text))
    joined = [" ".join(paragraph) for paragraph in pieces]
    rejoin_events = repairs
    paragraphs: list[str] = []
    repairs = []
    for number, text in enumerate(joined):
        fixed, events = repair_paragraph(text)
        paragraphs.append(fixed)
        repairs.extend((number, offset, kind, old, new) for offset, kind, old, new in events)
    # Rejoin offsets were measured before in-paragraph repairs; they are only
    # approximate after drops earlier in the same paragraph, which is fine for display.
    return paragraphs, sorted(rejoin_events + repairs)


def _assemble(paragraph_texts: list[str], repairs) -> tuple[str, list[Paragraph], list[Repair]]:
    paragraphs: list[Paragraph] = []
    offset = 0
    for number, text in enumerate(paragraph_texts):
        paragraphs.append(Paragraph(number, offset, offset + len(text)))
        offset += len(text) + 2
    text = "\n\n".join(paragraph_texts)
    placed = [
        Repair(kind, old, new, paragraphs[number].start + at) for number, at, kind, old, new in repairs
    ]
    return text, paragraphs, placed


def _title_from_text(text: str, sentences: list[Sentence], limit: int = 90) -> str:
    if not sentences:
        return ""
    first = text[sentences[0].start : sentences[0].end]
    if len(first) <= limit:
        return first.rstrip(".")
    clipped = first[:limit].rsplit(" ", 1)[0]
    return clipped.rstrip(",;:") + "…"
