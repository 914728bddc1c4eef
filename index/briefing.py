"""The analyst's annotations as a Markdown briefing (or the same document as HTML).

The Markdown is CommonMark plus footnotes (GitHub and Obsidian render both):
a title, a summary line, findings grouped by tag (untagged last), each a block
quote of the passage with a citation footnote and the analyst's note, then the
notes whose passage is gone, then the sources. Article text and notes pass
through `markdown_text`, so nothing in them can change the document's structure.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from . import markdown_text as md
from .annotations import Annotation, Orphan, Placed, sentences_covered
from .claims import Claim, ClaimReport, Discrepancy
from .model import Article
from .support import SINGLE, SupportMap, story_sources

DEFAULT_TITLE = "Briefing"
UNTAGGED = "Untagged"


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str
    markdown: str
    findings: int
    orphans: int


def build_briefing(
    placed: Iterable[Placed],
    orphans: Iterable[Orphan],
    articles: Mapping[str, Article],
    report: ClaimReport | None = None,
    *,
    title: str = DEFAULT_TITLE,
    tags: Iterable[str] = (),
    today: dt.date | None = None,
) -> Briefing:
    """`articles` are the briefing's sources (every article read, cited or not);
    `report`, when given, adds who else reports a passage and where sources disagree;
    `tags` keeps only annotations carrying one of them, in that section order."""
    wanted = tuple(tags)
    placed = [p for p in placed if _kept(p.annotation, wanted)]
    orphans = [o for o in orphans if _kept(o.annotation, wanted)]
    sources = sorted(articles.values(), key=lambda a: (a.date or dt.date.max, a.source.casefold(), a.title, a.id))
    order = {article.id: n for n, article in enumerate(sources)}
    placed.sort(key=lambda p: (order.get(p.annotation.article, len(order)), p.start, p.id))
    writer = _Writer(articles, SupportMap(report) if report else None)

    out = [f"# {md.inline(title) or DEFAULT_TITLE}", "", _summary(sources, len(placed), len(orphans), today), ""]
    for section, members in _sections(placed, wanted):
        out += [f"## {md.inline(section)}", ""]
        for item in members:
            out += writer.finding(item, section)
    if orphans:
        out += ["## Unanchored notes", "",
                "These passages could not be found in their article's current text; the quote is as it was annotated.", ""]
        for orphan in orphans:
            out += writer.orphan(orphan)
    if sources:
        out += ["## Sources", ""]
        out += [f"{n}. {_source_line(article)}" for n, article in enumerate(sources, 1)]
        out.append("")
    if writer.footnotes:
        out += writer.footnotes
    return Briefing(title, "\n".join(out).rstrip() + "\n", len(placed), len(orphans))


def _kept(annotation: Annotation, wanted: tuple[str, ...]) -> bool:
    return not wanted or bool(set(wanted) & set(annotation.tags))


def _summary(sources: list[Article], findings: int, orphans: int, today: dt.date | None) -> str:
    outlets = len({a.source for a in sources})
    parts = [
        f"Generated {(today or dt.date.today()).isoformat()} by Accord",
        f"{_count(len(sources), 'article')} from {_count(outlets, 'outlet')}",
        _count(findings + orphans, "annotation") + (f" ({orphans} unanchored)" if orphans else ""),
    ]
    return "*" + " · ".join(parts) + ".*"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _sections(placed: list[Placed], wanted: tuple[str, ...]) -> list[tuple[str, list[Placed]]]:
    """Each annotation under its first tag (among the wanted ones); untagged last."""
    sections: dict[str, list[Placed]] = {tag: [] for tag in wanted}
    untagged: list[Placed] = []
    for item in placed:
        tags = [t for t in item.annotation.tags if not wanted or t in wanted]
        if tags:
            sections.setdefault(tags[0], []).append(item)
        else:
            untagged.append(item)
    found = [(tag, members) for tag, members in sections.items() if members]
    if not wanted:
        found.sort(key=lambda entry: entry[0])
    return found + ([(UNTAGGED, untagged)] if untagged else [])


def _source_line(article: Article) -> str:
    parts = [f"**{md.inline(article.source)}**", md.inline(f"“{article.title}”")]
    parts.append(article.date.isoformat() if article.date else "undated")
    parts.append(md.url(article.url) if article.url else md.inline(article.path))
    return ", ".join(parts)


class _Writer:
    """Findings and their footnotes, numbered in the order they appear."""

    def __init__(self, articles: Mapping[str, Article], support: SupportMap | None) -> None:
        self.articles = articles
        self.support = support
        self.footnotes: list[str] = []

    def finding(self, item: Placed, section: str) -> list[str]:
        annotation = item.annotation
        article = self.articles.get(annotation.article)
        text = article.text[item.start : item.end] if article else annotation.anchor.quote
        out = self._quote(text, self._cite(article, item.start))
        others = [t for t in annotation.tags if t != section]
        if others:
            out += ["Also tagged: " + ", ".join(md.inline(t) for t in others), ""]
        if article is not None and self.support is not None:
            out += self._corroboration(article, item)
        if annotation.note.strip():
            out += md.lines(annotation.note) + [""]
        return out

    def orphan(self, orphan: Orphan) -> list[str]:
        annotation = orphan.annotation
        article = self.articles.get(annotation.article)
        where = f"{article.source}, “{article.title}”" if article else f"article {annotation.article}"
        meta = f"From {where} ({orphan.reason})."
        if annotation.tags:
            meta += " Tags: " + ", ".join(annotation.tags) + "."
        out = self._quote(annotation.anchor.quote, None) + [md.inline(meta), ""]
        if annotation.note.strip():
            out += md.lines(annotation.note) + [""]
        return out

    def _quote(self, text: str, footnote: str | None) -> list[str]:
        body = md.lines(text) or [md.inline(text)]
        if footnote:
            body[-1] += footnote
        return [f"> {line}" if line else ">" for line in body] + [""]

    def _cite(self, article: Article | None, offset: int) -> str | None:
        if article is None:
            return None
        number = len(self.footnotes) + 1
        paragraph = next((p.index + 1 for p in article.paragraphs if p.start <= offset < p.end), None)
        where = f", paragraph {paragraph}" if paragraph else ""
        self.footnotes.append(f"[^{number}]: {_source_line(article)}{where}.")
        return f"[^{number}]"

    def _corroboration(self, article: Article, item: Placed) -> list[str]:
        assert self.support is not None
        entries = [self.support.get(article.id, i) for i in sentences_covered(article, item.start, item.end)]
        entries = [e for e in entries if e is not None]
        claims: dict[str, Claim] = {e.claim.id: e.claim for e in entries if e.claim is not None}
        discrepancies: list[Discrepancy] = []
        for entry in entries:
            discrepancies += [d for d in entry.discrepancies if d not in discrepancies]
        out = []
        for claim in claims.values():
            others = sorted({m.source for m in claim.members if m.article != article.id})
            total = story_sources(claim, self.support.report)
            independent = f", {claim.independent} independent" if claim.independent < claim.support else ""
            out.append(md.inline(f"Also reported by {', '.join(others)} ({claim.support} of {total} outlets{independent})."))
        if entries and not claims and all(e.kind == SINGLE for e in entries):
            out.append("**⚠ Single source:** " + md.inline(f"no other outlet in this briefing reports this ({article.source} only)."))
        for discrepancy in discrepancies:
            out.append("**Sources disagree** " + md.inline(f"({discrepancy.kind}): {' vs '.join(discrepancy.variants)}."))
        return [line + ("\\" if n < len(out) - 1 else "") for n, line in enumerate(out)] + ([""] if out else [])


def render_html(briefing: Briefing) -> str:
    """The same document as a standalone HTML page; raw HTML in the Markdown stays escaped."""
    renderer = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin)
    body = renderer.render(briefing.markdown)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(briefing.title)}</title>\n"
        "<style>body{max-width:46rem;margin:2rem auto;padding:0 1rem;font-family:system-ui,sans-serif;line-height:1.5}"
        "blockquote{border-left:3px solid #999;margin-left:0;padding-left:1rem;color:#333}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )



def save(briefing: Briefing, path: Path, *, overwrite: bool = False) -> Path:
    """Write the briefing (HTML when the name ends in .html or .htm), atomically: a
    crash leaves the old file or the new one, never half of one. FileExistsError
    if `path` exists and `overwrite` is not set."""
    path = path.expanduser()
    if path.exists() and not overwrite:
        raise FileExistsError(path)
    text = render_html(briefing) if path.suffix.lower() in (".html", ".htm") else briefing.markdown
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                     suffix=".tmp", delete=False) as temporary:
        try:
            temporary.write(text)
            temporary.flush()
            os.fsync(temporary.fileno())
        except BaseException:
            os.unlink(temporary.name)
            raise
    os.replace(temporary.name, path)
    return path
