"""Read article files safely and build `Article`s (finding them is discovery.py's).

Bad files never stop a load: binary, empty, non-UTF-8, huge or malformed
files are skipped with a warning naming the file; the rest still load.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import FileState
from .cleaning import clean
from .model import Article, Removed, Repair
from .discovery import IngestWarning, WarningSink, bundled_seeds, discover, utf8_name  # noqa: F401 (ingest's API)
from .readers import Document, ReadError, read_documents
from .regular_file import NotReadable, read_regular
from .repairs import strip_controls
from .rules import DEFAULT_RULES, Rule

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are almost never one news article


def file_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass(slots=True)
class FileLoad:
    """What reading one file gave.

    `state` is None when the file could not be read; `articles` is None when
    its content is unchanged (same digest as `known_digest`), and empty when
    nothing usable was in it (the warnings say why).
    """

    state: FileState | None
    articles: list[Article] | None
    warnings: list[IngestWarning] = field(default_factory=list)


def load_file(file: str, known_digest: str | None, rules: tuple[Rule, ...] | list[Rule] = DEFAULT_RULES) -> FileLoad:
    """Read one file into articles, unless its digest is `known_digest`; never raises for bad files.

    Only regular files are opened (a FIFO or a device is skipped, never waited on);
    a file name that is not valid UTF-8 is skipped (it could not be stored or shown).
    """
    path = Path(file)
    if not utf8_name(file):
        return FileLoad(None, None, [IngestWarning(file, "skipped: the file name is not valid UTF-8; rename it")])
    try:
        read = read_regular(file, MAX_FILE_BYTES)
    except NotReadable as error:
        if error.too_large is not None:
            info = error.too_large
            return FileLoad(FileState(info.st_mtime_ns, info.st_size, ""), [], [IngestWarning(file, f"skipped: {error}")])
        return FileLoad(None, None, [IngestWarning(file, f"skipped: {error}")])
    except OSError as error:
        return FileLoad(None, None, [IngestWarning(file, f"skipped: cannot read ({error.strerror or error})")])
    state = FileState(read.mtime_ns, read.size, file_digest(read.data))
    if state.digest == known_digest:
        return FileLoad(state, None)
    try:
        articles, warnings = articles_from_bytes(read.data, path, rules)
    except RecursionError:
        articles, warnings = [], [IngestWarning(file, "skipped: nested too deeply to read")]
    except Exception as error:  # noqa: BLE001  one hostile file must never stop the rest loading
        articles, warnings = [], [IngestWarning(file, f"skipped: cannot read ({type(error).__name__}: {error})"[:300])]
    return FileLoad(state, articles, warnings)


def read_file(path: Path, rules: tuple[Rule, ...] | list[Rule] = DEFAULT_RULES) -> tuple[list[Article], list[IngestWarning]]:
    """Read one file into articles, with warnings for what could not be used."""
    loaded = load_file(str(path), None, rules)
    return loaded.articles or [], loaded.warnings


def articles_from_bytes(data: bytes, path: Path, rules=DEFAULT_RULES) -> tuple[list[Article], list[IngestWarning]]:
    name = str(path)
    if not data.strip():
        return [], [IngestWarning(name, "skipped: empty file")]
    try:
        text = decode_text(data)
    except UnicodeDecodeError as error:
        encoding = "UTF-16" if data.startswith(_UTF16_BOMS) else "UTF-8"
        return [], [IngestWarning(name, f"skipped: not {encoding} text (byte {error.start})")]
    except ValueError:
        return [], [IngestWarning(name, "skipped: binary file")]
    if not text.strip():
        return [], [IngestWarning(name, "skipped: empty file")]
    digest = file_digest(data)
    warnings: list[IngestWarning] = []
    articles: list[Article] = []
    try:
        documents = list(read_documents(path.suffix, text))
    except ReadError as error:
        return [], [IngestWarning(name, f"skipped: {error}")]
    for document in documents:
        if isinstance(document, ReadError):
            warnings.append(IngestWarning(name, f"skipped {document}"))
            continue
        article = build_article(document, path, digest, rules)
        if article.text:
            articles.append(article)
        else:
            where = f" record {document.record}" if document.record else ""
            warnings.append(IngestWarning(name, f"skipped{where}: no article text after cleaning"))
    return articles, warnings


_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 or UTF-32 announced by their BOM
    (as Windows tools save text). Raises ValueError for binary data and
    UnicodeDecodeError for text in no encoding Accord reads."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32")
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    if _looks_binary(data[:8192]):
        raise ValueError("binary")
    return data.decode("utf-8-sig")


def _looks_binary(head: bytes) -> bool:
    """Binary data is dense with control bytes; a stray NUL or escape sequence in scraped
    text is not (cleaning removes those), so a few are tolerated."""
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return head.count(0) > 2 or controls * 10 > len(head)


def article_id(path: Path, record: int | None, url: str) -> str:
    """Stable id: from the source's identity (URL, else path and record), never its content,
    so annotations stay attached when an article is re-scraped."""
    identity = url or f"{path.resolve()}#{record or 0}"
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:12]


def build_article(document: Document, path: Path, digest: str, rules=DEFAULT_RULES) -> Article:
    blocks, repairs_before = _sanitize(document)
    cleaned = clean(blocks, document.meta, rules)
    meta = cleaned.meta
    shown_path = f"{path}#{document.record}" if document.record else str(path)
    return Article(
        id=article_id(path, document.record, meta.url),
        title=meta.title,
        outlet=meta.outlet,
        date=meta.date,
        url=meta.url,
        path=shown_path,
        text=cleaned.text,
        paragraphs=cleaned.paragraphs,
        sentences=cleaned.sentences,
        removed=cleaned.removed,
        repairs=repairs_before + cleaned.repairs,
        hashtags=meta.hashtags,
        place=meta.place,
        section=meta.section,
        title_guessed=cleaned.title_guessed,
        content_hash=digest,
        raw="\n".join(block.text for block in document.blocks),
    )


def _sanitize(document: Document):
    """Strip escape sequences and control characters from every block and the metadata."""
    removed = 0
    blocks = []
    for block in document.blocks:
        text, count = strip_controls(block.text)
        removed += count
        blocks.append(type(block)(block.line, text))
    meta = document.meta
    for field_name in ("title", "outlet", "url", "place", "section"):
        value, count = strip_controls(getattr(meta, field_name))
        removed += count
        setattr(meta, field_name, " ".join(value.split()))
    repairs = [Repair("control-chars", f"{removed} control characters", "", -1)] if removed else []
    return blocks, repairs


def load(
    paths: Iterable[str | os.PathLike[str]],
    rules: tuple[Rule, ...] | list[Rule] = DEFAULT_RULES,
    on_warning: WarningSink | None = None,
) -> Iterator[Article]:
    """Yield every article under `paths`; warnings go to `on_warning`."""
    for path in discover(paths):
        articles, warnings = read_file(path, rules)
        for warning in warnings:
            if on_warning:
                on_warning(warning)
        yield from articles


__all__ = [
    "IngestWarning", "Removed", "bundled_seeds", "discover", "load", "read_file", "article_id",
]
