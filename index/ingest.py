"""Find article files, read them safely, and build `Article`s.

Bad files never stop a load: binary, empty, non-UTF-8, huge or malformed
files are skipped with a warning naming the file; the rest still load.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .catalog import FileState
from .cleaning import clean
from .errors import InputNotFound
from .model import Article, Removed, Repair
from .readers import SUFFIXES, Document, ReadError, read_documents
from .regular_file import NotReadable, read_regular
from .repairs import strip_controls
from .rules import DEFAULT_RULES, Rule
from .safe_text import printable

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are almost never one news article


@dataclass(frozen=True, slots=True)
class IngestWarning:
    path: str
    message: str

    def __str__(self) -> str:
        """One printable line: a file name may hold escapes or bytes that are not UTF-8."""
        return printable(f"{self.path}: {self.message}").replace("\n", " ")


WarningSink = Callable[[IngestWarning], None]


def bundled_seeds() -> Path:
    """The sample corpus shipped with Accord (five reports, December 2023)."""
    return Path(str(resources.files("accord").joinpath("seeds")))


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and folders (recursively) into article files, sorted.

    Hidden files and folders are skipped. Walks with os.scandir, whose
    directory entries already know their type: Path.rglob with a stat and a
    resolve per file took 0.6 s for 10k files, on every launch.

    Anything with an article's suffix that is not a folder is listed, regular or not (a
    FIFO, a device, a socket, a broken link), so reading it says why it was skipped. A
    link is listed by its target when that is a regular file, else by its own path, so
    a warning names the link the user has, not `/dev/zero`.

    Raises InputNotFound for a path that does not exist.
    """
    found: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputNotFound(f"no such file or folder: {raw}")
        if path.is_dir():
            root = os.path.realpath(path)
            found.extend(sorted(_article_files(root, {root}), key=lambda f: f.split(os.sep)))
        else:
            found.append(_as_listed(str(path)))
    return [Path(f) for f in dict.fromkeys(found)]


def _as_listed(path: str) -> str:
    resolved = os.path.realpath(path)
    return resolved if os.path.isfile(resolved) else os.path.abspath(path)


def _article_files(folder: str, seen: set[str]) -> Iterator[str]:
    """Article files under a resolved folder, as resolved paths; `seen` folders
    are not entered again (symlink cycles)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # an unreadable sub-folder is skipped, as an unreadable file would be
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.realpath(entry.path) if entry.is_symlink() else entry.path
        if os.path.isdir(path) if entry.is_symlink() else entry.is_dir():
            if path not in seen:
                seen.add(path)
                yield from _article_files(path, seen)
        elif entry.is_symlink():
            if os.path.isfile(path):
                if os.path.splitext(path)[1].lower() in SUFFIXES:
                    yield path
            elif os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                yield entry.path  # a link to a device, a FIFO or nothing: named as it stands here
        elif os.path.splitext(entry.name)[1].lower() in SUFFIXES:
            yield path  # a regular file, or a FIFO, device or socket that reading reports


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


def utf8_name(file: str) -> bool:
    """Whether a file name can be stored and printed (not a name of undecodable bytes)."""
    try:
        file.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
