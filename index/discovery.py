"""Finding article files: the paths a user gives, expanded into the files Accord reads.

Apart from reading them (ingest.py), so that showing what a workspace already holds of
some paths needs no parser: the reader's first frame waits for this module, not them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from operator import attrgetter
from pathlib import Path

from .errors import InputNotFound
from .safe_text import printable

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}  # what readers.py reads


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
    """`discover_files` as Paths."""
    return [Path(f) for f in discover_files(paths)]


def discover_files(paths: Iterable[str | os.PathLike[str]], deadline: float | None = None) -> list[str]:
    """Expand files and folders (recursively) into article files, sorted, as path strings
    (a Path for each of 10k files cost a third of the reader's first frame).

    Hidden files and folders are skipped. Walks with os.scandir, whose
    directory entries already know their type: Path.rglob with a stat and a
    resolve per file took 0.6 s for 10k files, on every launch.

    Anything with an article's suffix that is not a folder is listed, regular or not (a
    FIFO, a device, a socket, a broken link), so reading it says why it was skipped. A
    link is listed by its target when that is a regular file, else by its own path, so
    a warning names the link the user has, not `/dev/zero`.

    Raises InputNotFound for a path that does not exist, and TimeoutError once
    `time.monotonic()` passes `deadline` (checked at each folder).
    """
    found: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputNotFound(f"no such file or folder: {raw}")
        if path.is_dir():
            root = os.path.realpath(path)
            walk = _Walk(root, deadline)
            files = walk.found
            if walk.resolved_links:
                # A link is listed by its target, which may sort anywhere: sort the whole list.
                # With the separator as NUL (no path holds one) plain string order is the
                # order of the paths' parts, without a list per path.
                files.sort(key=lambda f: f.replace(os.sep, "\0"))
            found.extend(files)
        else:
            found.append(_as_listed(str(path)))
    return list(dict.fromkeys(found))


def _as_listed(path: str) -> str:
    resolved = os.path.realpath(path)
    return resolved if os.path.isfile(resolved) else os.path.abspath(path)


_BY_NAME = attrgetter("name")
_SUFFIX_ENDINGS = tuple(SUFFIXES)


class _Walk:
    """Article files under a resolved folder, as resolved paths, in the order of their
    paths' parts: each folder's entries by name, a sub-folder's files where its name
    sorts (so no sort of every path: a reader's first frame waits for this at 10k files).
    Folders already `seen` are not entered again (symlink cycles)."""

    def __init__(self, root: str, deadline: float | None = None) -> None:
        self.seen = {root}
        self.found: list[str] = []
        self.resolved_links = False  # a link listed by its target: the order needs a sort
        self.deadline = deadline
        self._add(root)

    def _add(self, folder: str) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeoutError(f"finding the files under {folder} took too long")
        try:
            entries = sorted(os.scandir(folder), key=_BY_NAME)
        except OSError:
            return  # an unreadable sub-folder is skipped, as an unreadable file would be
        found = self.found
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            if entry.is_symlink():
                path = os.path.realpath(entry.path)
                if os.path.isdir(path):
                    if path not in self.seen:
                        self.seen.add(path)
                        self.resolved_links = True
                        self._add(path)
                elif os.path.isfile(path):
                    if _suffix(path) in SUFFIXES:
                        self.resolved_links = True
                        found.append(path)
                elif _suffix(name) in SUFFIXES:
                    found.append(entry.path)  # a link to a device, a FIFO or nothing: named as it stands here
            elif entry.is_dir():
                path = entry.path
                if path not in self.seen:
                    self.seen.add(path)
                    self._add(path)
            elif name.lower().endswith(_SUFFIX_ENDINGS):  # `_suffix(name) in SUFFIXES` for a name not hidden
                found.append(entry.path)  # a regular file, or a FIFO, device or socket that reading reports


def _suffix(path: str) -> str:
    """os.path.splitext's suffix, lower-cased, for a name that does not start with a dot
    (a tenth of the time: this runs for every file of a folder on every launch)."""
    name = path[path.rfind(os.sep) + 1:]
    dot = name.rfind(".")
    if dot <= 0 or (name[0] == "." and not name[:dot].lstrip(".")):
        return ""  # as splitext: the dots a name starts with are not a suffix
    return name[dot:].lower()


def utf8_name(file: str) -> bool:
    """Whether a file name can be stored and printed (not a name of undecodable bytes)."""
    try:
        file.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
