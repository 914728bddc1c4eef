"""Format readers: turn a file's text into documents of blocks plus explicit metadata.

Readers only split text into paragraph blocks and read metadata the format
states outright (front matter, JSON fields, HTML meta tags). Guessing from
the text itself is the cleaning pipeline's job, the same for every format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from .cleaning import Block, Metadata
from .dates import parse_date



@dataclass(slots=True)
class Document:
    blocks: list[Block]
    meta: Metadata
    record: int | None = None  # position within a JSON/JSONL file


class ReadError(ValueError):
    """A file or record that cannot be read; the message names what is wrong."""


def read_documents(suffix: str, text: str) -> Iterator[Document | ReadError]:
    """Yield the file's documents; a bad record is yielded as a ReadError so the rest still load.

    Raises ReadError when the whole file is unreadable.
    """
    suffix = suffix.lower()
    if suffix in {".md", ".markdown"}:
        yield _read_markdown(text)
    elif suffix in {".html", ".htm"}:
        yield _read_html(text)
    elif suffix == ".json":
        yield from _read_json(text)
    elif suffix == ".jsonl":
        yield from _read_jsonl(text)
    else:
        yield _read_plain(text)


# Front matter ----------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_META_KEYS = {
    "title": "title", "headline": "title",
    "source": "outlet", "outlet": "outlet", "publisher": "outlet", "site": "outlet",
    "date": "date", "published": "date",
    "url": "url", "link": "url",
}


def split_front_matter(text: str) -> tuple[Metadata, str, int]:
    """Return (metadata, rest of text, number of lines the front matter used)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return Metadata(), text, 0
    fields: dict[str, str] = {}
    for line in match.group("body").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in _META_KEYS:
            fields[_META_KEYS[key.strip().lower()]] = value.strip().strip("\"'")
    return _metadata(fields), text[match.end() :], match.group().count("\n")


def _metadata(fields: dict[str, object]) -> Metadata:
    def text(key: str) -> str:
        value = fields.get(key)
        return str(value).strip() if value is not None else ""

    return Metadata(
        title=text("title"), outlet=text("outlet"), date=parse_date(text("date")[:40]), url=text("url")
    )


# Plain text --------------------------------------------------------------------


def _read_plain(text: str) -> Document:
    meta, body, offset = split_front_matter(text)
    return Document(text_blocks(body, first_line=offset + 1), meta)


def text_blocks(text: str, first_line: int = 1) -> list[Block]:
    """Split plain text into paragraph blocks.

    Scraped news puts one paragraph per line; hard-wrapped text puts one
    paragraph over several short lines that mostly do not end a sentence.
    A group of lines between blank lines is joined only when it looks wrapped.
    """
    groups: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(text.split("\n"), first_line):
        if line.strip():
            groups[-1].append((number, line.strip()))
        elif groups[-1]:
            groups.append([])
    blocks: list[Block] = []
    for group in filter(None, groups):
        if _looks_wrapped([line for _, line in group]):
            blocks.append(Block(group[0][0], " ".join(line for _, line in group)))
        else:
            blocks.extend(Block(number, line) for number, line in group)
    return blocks


_LINE_ENDS_SENTENCE = re.compile(r"[.!?:…][\"'”’»)\]]*$")


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose: lines of similar, editor-like width that mostly stop mid-sentence."""
    body = lines[:-1]
    if not body or max(map(len, lines)) > 120:
        return False
    wide = sum(1 for line in body if len(line) >= 45)
    ended = sum(1 for line in body if _LINE_ENDS_SENTENCE.search(line))
    return wide * 3 >= len(body) * 2 and ended * 2 < len(body)


# Markdown ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt  # imported on the first Markdown file, not at startup

    return MarkdownIt("commonmark")


def _read_markdown(text: str) -> Document:
    meta, body, offset = split_front_matter(text)
    blocks: list[Block] = []
    tokens = _markdown_parser().parse(body)
    for position, token in enumerate(tokens):
        if token.type != "inline" or not token.map:
            continue
        opener = tokens[position - 1]
        content = _inline_text(token)
        if not content.strip():
            continue
        if opener.type == "heading_open" and opener.tag == "h1" and not meta.title:
            meta.title = content.strip()
        blocks.append(Block(token.map[0] + offset + 1, content))
    return Document(blocks, meta)


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in {"text", "code_inline", "html_inline"}:
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


# HTML ------------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "select", "template", "figure"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section", "article", "main", "td", "br", "tr"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "param", "track"}


class _MainText(HTMLParser):
    """Collects paragraph text, preferring <article> or <main> over the whole page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.open: dict[str, int] = {}  # how many of each tag the stack holds: a deeply nested
        # page made every `in self.stack` a scan of thousands of tags (quadratic)
        self.blocks: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.current: list[str] = []
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            if key and attributes.get("content"):
                self.meta.setdefault(key, attributes["content"])
            return
        if tag == "link" and attributes.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", attributes.get("href", ""))
            return
        if tag in _VOID:
            if tag == "br":
                self.current.append("\n")
            return
        self.stack.append(tag)
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag in _SKIP or "hidden" in attributes:
            self.skip_depth += 1
        if tag in _BLOCK:
            self._flush()
        self.in_title = tag == "title" or self.in_title
        self.in_h1 = tag == "h1" or self.in_h1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.open.get(tag):
            return
        while self.stack:
            closed = self.stack.pop()
            self.open[closed] -= 1
            if closed in _SKIP:
                self.skip_depth -= 1
            if closed in _BLOCK:
                self._flush()
            if closed == "title":
                self.in_title = False
            if closed == "h1":
                self.in_h1 = False
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1 += data
        self.current.append(data)

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.current)).strip()
        self.current = []
        if not text:
            return
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            self.blocks["body"].append(line)
            if self.open.get("article"):
                self.blocks["article"].append(line)
            if self.open.get("main"):
                self.blocks["main"].append(line)

    def close(self) -> None:
        super().close()
        self._flush()


def defuse_markup(html: str) -> str:
    """`html` with every `<` that cannot open a complete construct written as `&lt;`.

    Python's HTMLParser rescans to the end of the document for each construct it
    cannot close: 60 KB of `<a ` took 28 s, 320 KB of `<!--` 41 s. Here a `<` stays
    markup only if a `>` comes before the next `<` (a comment: if a `-->` follows);
    `<!` other than a comment or a doctype (marked sections, which Accord does not
    read) is always text. One left-to-right pass: each search starts where the
    previous one stopped, or is bounded by the next `>`.
    """
    last_gt = html.rfind(">")
    last_comment_end = html.rfind("-->")
    parts: list[str] = []
    position = 0
    next_gt = -1
    while (at := html.find("<", position)) >= 0:
        parts.append(html[position:at])
        if html.startswith("<!--", at) and last_comment_end >= at + 4:
            end = html.find("-->", at + 4) + 3
            parts.append(html[at:end])
            position = end
            continue
        if at > last_gt:  # no `>` anywhere after: every remaining `<` is text
            parts.append(html[at:].replace("<", "&lt;"))
            return "".join(parts)
        if next_gt <= at:
            next_gt = html.find(">", at + 1)
        declaration = html.startswith("<!", at) and not html[at + 2 : at + 9].lower() == "doctype"
        if declaration or html.startswith("<!--", at) or html.find("<", at + 1, next_gt) >= 0:
            parts.append("&lt;")
            position = at + 1
            continue
        parts.append(html[at : next_gt + 1])
        position = next_gt + 1
    parts.append(html[position:])
    return "".join(parts)


def _read_html(text: str) -> Document:
    parser = _MainText()
    parser.feed(defuse_markup(text))
    parser.close()
    lines = parser.blocks["article"] or parser.blocks["main"] or parser.blocks["body"]
    meta = parser.meta
    fields = {
        "title": meta.get("og:title") or parser.h1.strip() or parser.title.strip(),
        "outlet": meta.get("og:site_name") or meta.get("application-name") or "",
        "date": meta.get("article:published_time") or meta.get("date") or meta.get("pubdate") or "",
        "url": meta.get("og:url") or meta.get("canonical") or "",
    }
    return Document([Block(n, line) for n, line in enumerate(lines, 1)], _metadata(fields))


# JSON and JSON Lines ------------------------------------------------------------------


def _record_document(record: object, position: int) -> Document:
    if not isinstance(record, dict):
        raise ReadError(f"record {position} is not an object")
    body = next((record[k] for k in ("text", "body", "content") if isinstance(record.get(k), str)), None)
    if not body or not body.strip():
        raise ReadError(f"record {position} has no text or body")
    fields = {
        "title": record.get("title") or record.get("headline"),
        "outlet": record.get("source") or record.get("outlet") or record.get("publisher"),
        "date": record.get("date") or record.get("published"),
        "url": record.get("url") or record.get("link"),
    }
    if isinstance(fields["outlet"], dict):  # {"source": {"name": "..."}} as news APIs return it
        fields["outlet"] = fields["outlet"].get("name")
    return Document(text_blocks(body), _metadata(fields), record=position)


def _records(records, positions) -> Iterator[Document | ReadError]:
    for position, record in zip(positions, records):
        try:
            yield _record_document(record, position)
        except ReadError as error:
            yield error


def _parse_json(text: str) -> object:
    """json.loads, with hostile input as a ReadError: nesting deeper than Python's
    recursion limit, and integers longer than its digit limit (4,300)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    except (RecursionError, ValueError) as error:
        raise ReadError(_unreadable_json(error)) from None


def _unreadable_json(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "not readable JSON (nested too deeply)"
    return f"not readable JSON ({str(error).split(';')[0]})"  # "Exceeds the limit (4300 digits) ..."


def _read_json(text: str) -> Iterator[Document | ReadError]:
    data = _parse_json(text)
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    yield from _records(records, range(1, len(records) + 1))


def _read_jsonl(text: str) -> Iterator[Document | ReadError]:
    for position, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadError(f"line {position} is not valid JSON ({error.msg})")
            continue
        except (RecursionError, ValueError) as error:
            yield ReadError(f"line {position} is {_unreadable_json(error)}")
            continue
        yield from _records([record], [position])
