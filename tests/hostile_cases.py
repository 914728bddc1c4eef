"""Hostile inputs, generated on the spot (no big file is ever committed): each case
writes its file(s) into a folder and says what `accord index` must make of them.

Shared by tests/test_hostile.py (each case ends in one warning line, in bounded
time, with the good file beside it still loaded) and
tests/benchmarks/bench_hostile.py (what each case costs).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD_TEXT = "Ferry service resumes\n\nThe harbour ferry service resumed on Monday after the storm. Officials were pleased.\n"
GOOD_WORD = "harbour"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes into the folder; returns extra file arguments, if any
    warns: bool = True  # the case is reported with `accord: warning: ...`
    loads_word: str | None = None  # a word the hostile file itself should make searchable


def _write(path: Path, data: bytes) -> list[str]:
    path.write_bytes(data)
    return []


def _non_utf8_name(folder: Path) -> list[str]:
    with open(os.path.join(os.fsencode(folder), b"caf\xe9-\xff.txt"), "wb") as handle:
        handle.write(b"Headline of a story\n\nA story in a file whose name is Latin-1.\n")
    return []


def _non_utf8_folder(folder: Path) -> list[str]:
    inner = os.path.join(os.fsencode(folder), b"dossier-\xe9t\xe9")
    os.mkdir(inner)
    with open(os.path.join(inner, b"a.txt"), "wb") as handle:
        handle.write(b"Headline of a story\n\nA story in a folder whose name is Latin-1.\n")
    return []


def _escape_in_name(folder: Path) -> list[str]:
    return _write(folder / "title\x1b]0;pwned\x07\x9b31m\u202e.txt", b"   \n")  # empty: skipped, by name


def _deep_json(folder: Path) -> list[str]:
    return _write(folder / "deep.json", b"[" * 200_000 + b"]" * 200_000)


def _deep_jsonl(folder: Path) -> list[str]:
    return _write(folder / "deep.jsonl", b'{"text": "A fine record about the lagoon."}\n' + b"[" * 100_000 + b"]" * 100_000 + b"\n")


def _huge_number(folder: Path) -> list[str]:
    return _write(folder / "number.json", b'{"title": "Numbers", "text": "Many.", "count": ' + b"7" * 5000 + b"}")


def _long_line(folder: Path) -> list[str]:
    return _write(folder / "letters.txt", b"A title of a long file\n\n" + b"abcdefghij" * 1_000_000 + b"\n")


def random_letters(size: int, seed: int = 16) -> bytes:
    """`size` random lowercase letters, a third of them "y": the shape Snowball's English
    stemmer is quadratic on (its y-handling rescans the word)."""
    import random

    table = bytes((b"abcdefghijklmnopqrstuvwxyz" + b"y" * 13)[n % 39] for n in range(256))
    return random.Random(seed).randbytes(size).translate(table)


def _random_letters(folder: Path) -> list[str]:
    return _write(folder / "random.txt", b"A title of a random file\n\n" + random_letters(10_000_000) + b"\n")


def _repeated_word(folder: Path) -> list[str]:
    return _write(folder / "repeated.txt", b"A title of a repeated word\n\n" + b"breakwater " * 900_000 + b"\n")


def _fifo(folder: Path) -> list[str]:
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    return [str(fifo)]  # given as a file argument, as the tester did


def _dev_zero(folder: Path) -> list[str]:
    link = folder / "zero.txt"
    link.symlink_to("/dev/zero")
    return [str(link)]


def _utf16(folder: Path) -> list[str]:
    text = "Lighthouse keepers strike\n\nThe lighthouse keepers began a strike on Tuesday.\n"
    return _write(folder / "windows.txt", b"\xff\xfe" + text.encode("utf-16-le"))


def _binary(folder: Path) -> list[str]:
    return _write(folder / "image.md", bytes(range(256)) * 64)


def _not_utf8(folder: Path) -> list[str]:
    return _write(folder / "latin1.txt", "Café crème\n\nUne histoire en Latin-1.\n".encode("latin-1"))


_HTML_START = b"<html><body><article><p>A page of markup gone wrong</p>"


def _html_unclosed_tags(folder: Path) -> list[str]:
    return _write(folder / "tags.html", _HTML_START + b"<a " * 130_000)  # 28 s for 60 KB before


def _html_unclosed_comments(folder: Path) -> list[str]:
    return _write(folder / "comments.html", _HTML_START + b"<!-- x >" * 50_000)


def _html_deep(folder: Path) -> list[str]:
    return _write(folder / "deep.html", _HTML_START + b"<div><p>deep" * 50_000)


def _many_lowercase_lines(folder: Path) -> list[str]:
    return _write(folder / "lines.txt", b"A headline of many lines\n\n" + b"and then more\n\n" * 100_000)


def _punctuation_run(folder: Path) -> list[str]:
    return _write(folder / "shout.txt", b"A headline that shouts\n\nIt happened" + b"!" * 300_000 + b" Then more.\n")


CASES = [
    Case("file name not UTF-8", _non_utf8_name),
    Case("escapes in a file name", _escape_in_name),
    Case("folder name not UTF-8", _non_utf8_folder),
    Case("JSON nested 200,000 deep", _deep_json),
    Case("JSONL line nested 100,000 deep", _deep_jsonl, loads_word="lagoon"),
    Case("JSON number of 5,000 digits", _huge_number),
    Case("10 MB line of letters", _long_line, warns=False),
    Case("10 MB line of random letters", _random_letters, warns=False),
    Case("10 MB of one word repeated", _repeated_word, warns=False, loads_word="breakwater"),
    Case("FIFO as a file argument", _fifo),
    Case("symlink to /dev/zero", _dev_zero),
    Case("UTF-16 with a BOM", _utf16, warns=False, loads_word="lighthouse"),
    Case("binary file", _binary),
    Case("HTML: 390 KB of unclosed tags", _html_unclosed_tags, warns=False),
    Case("HTML: 400 KB of unclosed comments", _html_unclosed_comments, warns=False),
    Case("HTML nested 100,000 deep", _html_deep, warns=False),
    Case("100,000 lines rejoined into one", _many_lowercase_lines, warns=False),
    Case("300 KB of exclamation marks", _punctuation_run, warns=False),
    Case("not UTF-8 text", _not_utf8),
]


def prepare(case: Case, root: Path) -> list[str]:
    """The folder for `case` with a good file beside the hostile one; the arguments for `accord index`."""
    folder = root / "src"
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    extra = case.make(folder)
    return [str(folder), *extra]
