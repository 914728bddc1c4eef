"""`accord note add|list|rm` and `accord export`: annotations and briefings from scripts.

The reader is where analysts annotate; these commands do the same against the
workspace store, so scripts (and tests) can add, list and remove annotations and
write the briefing. Every failure the user can cause is one line and an exit code:
2 for an article, quote or annotation that is not there, 1 for a refused
overwrite, 5 when the store itself fails (StoreError).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from accord.index.annotations import Orphan, Placed, parse_tags
from accord.index.desk import Desk
from accord.index.errors import AccordError, AnnotationNotFound, InputNotFound
from accord.index.model import Article
from accord.index.safe_text import json_text, printable, printable_line
from accord.index.short_text import shorten

from .cli_output import output_console
from .cli_sync import ensure_articles, sync

ID_PREFIX_MIN = 4
_HEX_ID = re.compile(rf"[0-9a-f]{{{ID_PREFIX_MIN},12}}")
SEARCH_HINT = "find article ids with `accord search QUERY --json`"


# Note ------------------------------------------------------------------------------------


def run_note(desk: Desk, args: argparse.Namespace, err: Console) -> int:
    if args.note_command == "add":
        return _note_add(desk, args, err)
    if args.note_command == "list":
        return _note_list(desk, args)
    return _note_rm(desk, args)


def _note_add(desk: Desk, args: argparse.Namespace, err: Console) -> int:
    """Annotate a passage through the desk: a passage already annotated gets the new tags
    and the note added to its annotation (Desk.annotate's rule, the reader's too)."""
    tags = _tags(args.tag)
    article = resolve_article(desk, args.article, err)
    anchor = desk.anchor_quote(article, args.quote)
    times = desk.quote_occurrences(article, args.quote)
    if times > 1:
        err.print(Text(f"accord: warning: the quote occurs {times} times in {printable_line(article.source)}; "
                       "annotated the first (quote more of the passage to pick another)"))
    change = desk.annotate(anchor, tags, args.note, merge=True)
    annotation = change.after
    assert annotation is not None
    if args.json:
        print(json_text(annotation_json(desk.where(annotation), article)))
        return 0
    if change.before is None:
        line = f"added annotation {annotation.id} on {article.source}: “{shorten(anchor.quote, 40)}”"
    elif change.before == annotation:
        line = (f"annotation {annotation.id} on {article.source} is already on this passage with these tags and note: "
                "nothing changed")
    else:
        line = f"updated annotation {annotation.id} on {article.source}, already on this passage: “{shorten(anchor.quote, 40)}”"
    if annotation.tags and change.before != annotation:
        line += " [" + ", ".join(annotation.tags) + "]"
    _out().print(Text(printable_line(line)))
    return 0


def _note_list(desk: Desk, args: argparse.Namespace) -> int:
    tags = _tags(args.tag)
    placement = desk.place_annotations(tags=tags)
    found: dict[int, Placed | Orphan] = {item.annotation.id: item for item in [*placement.placed, *placement.orphans]}
    annotations = sorted((item.annotation for item in found.values()), key=lambda a: a.id)
    articles = desk.articles({a.article for a in annotations})
    if args.json:
        rows = [annotation_json(found[a.id], articles.get(a.article)) for a in annotations]
        print(json_text(rows))
        return 0
    out = _out()
    if not annotations:
        out.print(Text(printable_line("no annotations" + (f" tagged {', '.join(tags)}" if tags else ""))))
        return 0
    for annotation in annotations:
        where = found[annotation.id]
        article = articles.get(annotation.article)
        line = Text.assemble((f"{annotation.id}", "bold"), "  ",
                             (printable_line(article.source if article else annotation.article), "cyan"))
        if annotation.tags:
            line.append(printable(f"  [{', '.join(annotation.tags)}]"), "green")
        line.append(printable(f"  “{shorten(annotation.anchor.quote, 60)}”"))
        note = next((row.strip() for row in annotation.note.splitlines() if row.strip()), "")
        if note:
            line.append(printable(f"  — {shorten(note, 60)}"), "dim")
        if isinstance(where, Orphan):
            line.append("  UNANCHORED", "bold red")
        out.print(line)
    return 0


def _note_rm(desk: Desk, args: argparse.Namespace) -> int:
    try:
        gone = desk.delete(args.id)
    except AnnotationNotFound:
        raise InputNotFound(f"no annotation {args.id} in {desk.workspace.root}; see `accord note list`") from None
    article = desk.find(gone.article)
    source = article.source if article else f"article {gone.article}"
    _out().print(Text(printable_line(f"deleted annotation {gone.id} on {source}: “{shorten(gone.anchor.quote, 40)}”")))
    return 0


def annotation_json(where: Placed | Orphan, article: Article | None) -> dict:
    """One annotation as `note list --json` prints it; start/end are where it sits today."""
    annotation = where.annotation
    placed = isinstance(where, Placed)
    return {
        "id": annotation.id,
        "article": annotation.article,
        "source": article.source if article else None,
        "title": article.title if article else None,
        "start": where.start if placed else None,
        "end": where.end if placed else None,
        "quote": annotation.anchor.quote,
        "tags": list(annotation.tags),
        "note": annotation.note,
        "created": annotation.created,
        "updated": annotation.updated,
        "anchored": where.how if placed else None,
        "orphan_reason": None if placed else where.reason,
    }


def resolve_article(desk: Desk, given: str, err: Console) -> Article:
    """ARTICLE as typed: an article's file (indexed first), its id, or a unique prefix of its id."""
    if Path(given).expanduser().exists():
        ids = desk.article_ids(sync(desk, [given], err).files)
        if len(ids) == 1:
            return _article(desk, ids[0])
        listed = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
        raise InputNotFound(f"{given} holds {len(ids)} articles ({listed}); give the id of one "
                            f"(`accord search QUERY {given} --json` shows them)")
    ensure_articles(desk, err)
    key = given.strip().lower()
    if not _HEX_ID.fullmatch(key):
        raise InputNotFound(f"no such file, and not an article id ({ID_PREFIX_MIN}-12 hex characters): {given}; "
                            f"{SEARCH_HINT}")
    matches = [i for i in desk.all_ids() if i.startswith(key)]
    if not matches:
        raise InputNotFound(f"no article with id {given} in {desk.workspace.root}; {SEARCH_HINT}")
    if len(matches) > 1:
        listed = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
        raise InputNotFound(f"{given} is the start of {len(matches)} article ids ({listed}); give more of it")
    return _article(desk, matches[0])


def _article(desk: Desk, article_id: str) -> Article:
    article = desk.find(article_id)
    if article is None:  # removed by another Accord's sync a moment ago
        raise InputNotFound(f"article {article_id} is no longer in {desk.workspace.root}")
    return article


# Export ----------------------------------------------------------------------------------


def run_export(desk: Desk, args: argparse.Namespace, err: Console) -> int:
    """The briefing, saved as the reader saves it (`Desk.write_briefing`): in --format, else
    as the file's name says (.html or .htm: an HTML page), else Markdown."""
    tags = _tags(args.tag)
    if args.output is not None and not args.output.strip():
        raise AccordError("-o needs a file name (or - for standard output)")
    target = None if args.output in (None, "-") else Path(args.output).expanduser()
    format = Desk.briefing_format(target, args.format)
    try:
        if target is not None:
            Desk.check_briefing_target(target, overwrite=args.force)  # before a long briefing is built
        in_use = set(desk.tags())
        for tag in tags:
            if tag not in in_use:
                err.print(Text(f"accord: warning: no annotation is tagged {printable_line(tag)}"))
        briefing = desk.briefing(title=args.title, tags=tags, with_claims=not args.no_claims)
        if target is None:
            _write_stdout(printable(Desk.briefing_document(briefing, format)))  # a note's escape sequence must not drive the terminal
            return 0
        Desk.write_briefing(briefing, target, overwrite=args.force, format=format)
    except FileExistsError:
        raise AccordError(f"{args.output} exists; use --force to overwrite it") from None
    findings = f"{briefing.findings} finding{'' if briefing.findings == 1 else 's'}"
    kind = "HTML" if format == "html" else "Markdown"
    err.print(Text(printable_line(f"wrote the {kind} briefing to {args.output} ({findings}, {briefing.orphans} unanchored)")))
    return 0


def _write_stdout(text: str) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


# Helpers ---------------------------------------------------------------------------------


def _tags(given: list[str]) -> tuple[str, ...]:
    for value in given:
        if not parse_tags(value):  # "", "#", "###": a --tag that names none is a mistake, not no tag
            raise AccordError(f"--tag {printable_line(repr(value))} names no tag: use letters, digits and - _ . / : +")
    return parse_tags(",".join(given))


def _out() -> Console:
    return output_console()
