"""Hostile files, config and notes against the real `accord` command in a subprocess:
every case ends with one `accord: warning:`/`accord: error:` line, a sane exit code,
in bounded time, and the good files beside it still load. Nothing a terminal acts on
ever reaches stdout or stderr raw."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_cases import CASES, GOOD_TEXT, GOOD_WORD, Case, prepare

from accord.index.config import load_config
from accord.index.workspace import config_path

from conftest import write

CASE_SECONDS = 90  # generous: the slowest case (10 MB of letters) takes a few seconds here
# What must never reach the terminal raw: ESC, C1 controls, bidi overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def accord(*args: str, timeout: float = CASE_SECONDS) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, env=os.environ.copy(), timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def lines_of(data: bytes) -> list[str]:
    text = data.decode("utf-8")  # stderr itself must be valid UTF-8 (surrogates never printed)
    return [line for line in text.splitlines() if line.strip()]


def assert_one_line_each(stderr: bytes) -> list[str]:
    lines = lines_of(stderr)
    assert "Traceback" not in stderr.decode("utf-8", "replace")
    for line in lines:
        assert line.startswith(("accord: warning: ", "accord: error: ")), line
    assert not RAW_CONTROL.search(stderr.decode("utf-8")), stderr
    return lines


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_file_is_one_warning_and_the_rest_loads(case: Case, tmp_path: Path) -> None:
    args = prepare(case, tmp_path)
    started = time.monotonic()
    result = accord("index", *args)
    elapsed = time.monotonic() - started
    warnings = assert_one_line_each(result.stderr)
    assert result.returncode == 0, result.stderr
    assert (len(warnings) >= 1) == case.warns, warnings
    assert elapsed < CASE_SECONDS
    search = accord("search", GOOD_WORD, "--json")
    assert search.returncode == 0, search.stderr
    assert [Path(h["path"]).name for h in json.loads(search.stdout)["hits"]] == ["good.txt"]
    if case.loads_word:
        found = json.loads(accord("search", case.loads_word, "--json").stdout)["hits"]
        assert found, f"{case.name}: its text should load"


def test_a_non_utf8_file_name_is_named_with_its_byte_escaped(tmp_path: Path) -> None:
    args = prepare(CASES[0], tmp_path)
    [warning] = assert_one_line_each(accord("index", *args).stderr)
    assert "caf\\xe9-\\xff.txt" in warning and "not valid UTF-8" in warning


def test_an_escape_in_a_file_name_is_shown_not_sent(tmp_path: Path) -> None:
    args = prepare(CASES[1], tmp_path)
    [warning] = assert_one_line_each(accord("index", *args).stderr)
    assert "title\\u001b]0;pwned\\u0007\\u009b31m\\u202e.txt: skipped: empty file" in warning


def test_what_is_no_regular_file_inside_a_folder_is_named_and_skipped(tmp_path: Path) -> None:
    """A FIFO, a device link, a socket and a broken link found in a folder were skipped
    silently; each is one warning now, named as it stands in the folder."""
    import socket

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "gone.txt").symlink_to(folder / "nothing-here.txt")
    (folder / "notes.bin").symlink_to("/dev/zero")  # not an article's suffix: not looked at
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(folder / "sock.txt"))
    except OSError:  # a path too long for a socket's address
        listener.close()
        listener = None
    try:
        started = time.monotonic()
        result = accord("index", str(folder))
        assert time.monotonic() - started < CASE_SECONDS
    finally:
        if listener is not None:
            listener.close()
    assert result.returncode == 0, result.stderr
    warnings = assert_one_line_each(result.stderr)
    expected = {"pipe.txt": "skipped: not a regular file (a FIFO)", "zero.md": "skipped: not a regular file (a device)",
                "gone.txt": "skipped: cannot read"}
    if listener is not None:
        expected["sock.txt"] = "skipped: not a regular file (a socket)"
    assert len(warnings) == len(expected), warnings
    for name, reason in expected.items():
        assert any(f"{folder / name}: {reason}" in line for line in warnings), (name, warnings)
    assert not any("/dev/zero" in line for line in warnings)
    assert json.loads(accord("search", GOOD_WORD, "--json").stdout)["total"] == 1


def test_a_device_link_given_is_named_as_given(tmp_path: Path) -> None:
    args = prepare(next(case for case in CASES if case.name == "symlink to /dev/zero"), tmp_path)
    [warning] = assert_one_line_each(accord("index", *args).stderr)
    assert warning == f"accord: warning: {args[1]}: skipped: not a regular file (a device)"


@pytest.mark.parametrize(("make", "reason"), [
    (lambda folder: os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "the file name is not valid UTF-8; rename it"),
    (lambda folder: os.fsencode(folder / "image.md"), "binary file"),
], ids=["file name not UTF-8", "binary file"])
def test_a_lone_file_that_gives_no_articles_says_why(tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path)
    with open(path, "wb") as handle:
        handle.write(b"Headline of a story\n\nA story.\n" if b"caf" in path else bytes(range(256)) * 8)
    result = accord("index", os.fsdecode(path))
    assert result.returncode == 1
    [error] = assert_one_line_each(result.stderr)
    assert error.startswith("accord: error: no articles found in ") and error.endswith(f": skipped: {reason}"), error


def test_a_long_word_is_never_sent_through_the_stemmer() -> None:
    """Snowball's English stemmer is quadratic on a long word with many "y"s: 400 KB of
    "ay" took 8.4 s, 3 MB of random letters 13.9 s; 2 MB of either would take minutes."""
    from hostile_cases import random_letters

    from accord.index.fulltext import STEM_MAX, make_schema, stem

    analyzer = make_schema()["body"].analyzer
    for word in ("ay" * 1_000_000, random_letters(2_000_000).decode()):
        started = time.monotonic()
        assert stem(word) == word  # as written, as the index keeps it
        assert [token.text for token in analyzer(f"Storms {word} flooding")] == ["storm", word, "flood"]
        assert time.monotonic() - started < 30
    assert stem("y" * STEM_MAX + "ing") == "y" * STEM_MAX + "ing"
    assert stem("negotiating") == stem("negotiate")  # English words are stemmed as before


def test_a_long_word_is_found_as_typed(tmp_path: Path) -> None:
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    long_word = "flooding" * 10  # 80 letters: over the stemming limit, indexed as written
    write(tmp_path / "src" / "a.txt", f"Storm report\n\nThe storms kept {long_word} the valley.\n")
    with Library(Workspace(tmp_path / "ws")) as library:
        library.sync([tmp_path / "src"])
        assert len(library.search(long_word).hits) == 1
        assert len(library.search(long_word.upper()).hits) == 1
        assert len(library.search("storm").hits) == 1  # stemmed words beside it as before


# Hostile config -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ('[[boilerplate]]\nname = "huge"\npattern = "a{4294967296}"\n', "boilerplate rule 'huge': bad pattern (repetition {4294967296}"),
        ('[[boilerplate]]\nname = "range"\npattern = "a{2,99999999999}"\n', "boilerplate rule 'range': bad pattern"),
        ('[[boilerplate]]\nname = "fine"\npattern = "[a{5000}]x{1000}\\\\{5000}"\n', None),
        ('[[boilerplate]]\nname = "big"\npattern = "(x{1000}){1000}"\n', "boilerplate rule 'big': bad pattern"),
        ('[[boilerplate]]\nname = "look"\npattern = "(?<=a)b"\n', "boilerplate rule 'look': bad pattern"),
        ("deep = " + "[" * 3000 + "]" * 3000 + "\n", "not readable TOML (nested too deeply)"),
        ('[[boilerplate]]\nname = "x"\npattern = "' + "a" * 20_000 + '"\n', "longer than 10000 characters"),
    ],
    ids=["repetition 2^32", "range to 10^11", "braces that are no repetition", "repetition too large", "look-behind",
         "TOML 3000 deep", "pattern 20k chars"],
)
def test_hostile_config_is_one_warning_and_every_command_still_works(
    tmp_path: Path, config: str, problem: str | None
) -> None:
    write(config_path(), config)
    assert (problem is None) == (load_config().problems == [])  # the reader gets the same one line
    args = prepare(CASES[0], tmp_path)
    result = accord("index", *args)
    lines = assert_one_line_each(result.stderr)
    assert result.returncode == 0
    if problem:
        assert any(problem in line for line in lines), lines
    assert accord("search", GOOD_WORD).returncode == 0


def test_a_redos_rule_cannot_hang_indexing(tmp_path: Path) -> None:
    """`(a+)+$` backtracks for ever in Python's engine on a line of a's ending in b;
    users' rules run on RE2, linear in the line."""
    write(config_path(), '[[boilerplate]]\nname = "redos"\npattern = "(a+)+$"\n')
    folder = tmp_path / "src"
    write(folder / "good.txt", "Ferry service resumes\n\nThe harbour ferry service resumed on Monday.\n")
    write(folder / "evil.txt", "Evil headline for the test\n\n" + "a" * 50_000 + "b\n\naaaa\n\nThe end of it.\n")
    started = time.monotonic()
    result = accord("index", str(folder))
    assert result.returncode == 0 and time.monotonic() - started < CASE_SECONDS
    assert_one_line_each(result.stderr)
    assert json.loads(accord("search", GOOD_WORD, "--json").stdout)["total"] == 1


def test_a_fifo_as_the_config_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    config_path().parent.mkdir(parents=True)
    os.mkfifo(config_path())
    result = accord("info")
    assert result.returncode == 0  # info does not read the config
    result = accord("search", "patriot")
    [warning] = assert_one_line_each(result.stderr)
    assert "not a regular file (a FIFO)" in warning and result.returncode == 0


# Hostile notes on the command line ------------------------------------------------------------

HOSTILE_NOTE = "title change \x1b]0;pwned\x07 and CSI \x9b31m red \u202eevil\u202c end"


def test_hostile_notes_and_tags_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    write(folder / "good.txt", "Ferry service resumes\n\nThe harbour ferry service resumed on Monday.\n")
    bad_tag = accord("note", "add", str(folder / "good.txt"), "--quote", "The harbour ferry", "--tag", "t\x1b[2Jclear")
    assert bad_tag.returncode == 1 and len(assert_one_line_each(bad_tag.stderr)) == 1
    added = accord("note", "add", str(folder / "good.txt"), "--quote", "The harbour ferry", "--note", HOSTILE_NOTE,
                   "--tag", "policy")
    assert added.returncode == 0, added.stderr
    assert not RAW_CONTROL.search(added.stdout.decode("utf-8"))
    listing = accord("note", "list")
    assert listing.returncode == 0
    out = listing.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(out)
    assert "\\u001b]0;pwned\\u0007" in out and "\\u009b31m" in out and "\\u202eevil" in out
    as_json = accord("note", "list", "--json")
    raw = as_json.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(raw)
    assert "\\u009b" in raw and "\\u202e" in raw and "\\u001b" in raw
    [row] = json.loads(raw)
    assert row["note"] == HOSTILE_NOTE  # escaped in the JSON text, exact once parsed
    exported = accord("export")
    assert exported.returncode == 0 and not RAW_CONTROL.search(exported.stdout.decode("utf-8"))


def test_a_note_of_dashes_is_accepted_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    write(folder / "good.txt", "Ferry service resumes\n\nThe harbour ferry service resumed on Monday.\n")
    added = accord("note", "add", str(folder / "good.txt"), "--quote", "The harbour ferry", "--note", "---")
    assert added.returncode == 0, added.stderr
    assert json.loads(accord("note", "list", "--json").stdout)[0]["note"] == "---"
    missing = accord("note", "add", str(folder / "good.txt"), "--quote", "The harbour ferry", "--note", "--json")
    assert missing.returncode == 2 and b"expected one argument" in missing.stderr


def test_export_to_an_empty_file_name_says_so() -> None:
    result = accord("export", "-o", "")
    assert result.returncode == 1
    assert lines_of(result.stderr) == ["accord: error: -o needs a file name (or - for standard output)"]


# The reader on hostile text -------------------------------------------------------------------

READER_SECONDS = 120  # generous: a 10 MB article is read, indexed and wrapped in a few seconds here


def test_wrapping_a_word_of_megabytes_is_linear() -> None:
    """Cutting a word longer than the width re-measured the rest of the word at each cut:
    200 KB took 2.9 s, 400 KB 12.7 s; 4 MB would take about 20 minutes."""
    from accord.index.model import Paragraph
    from accord.tui.layout import wrap

    word = "abcdefghij" * 400_000 + "漢字" * 50_000 + "é\u0301" * 50_000  # narrow, wide, combining
    text = f"Title\n\n{word} and a tail"
    paragraphs = [Paragraph(0, 0, 5), Paragraph(1, 7, len(text))]
    started = time.monotonic()
    lines = wrap(text, paragraphs, 80)
    assert time.monotonic() - started < 30
    from rich.cells import cell_len

    body = lines[2:]
    assert body[0].start == 7 and body[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(body, body[1:]))  # slices of the text, nothing lost
    assert all(cell_len(text[line.start : line.end].rstrip()) <= 80 for line in body)
    assert len(body) == 4_000_000 // 80 + 100_000 * 2 // 80 + 50_000 // 80 + 1


async def test_the_reader_shows_a_10_mb_article_without_spaces_and_stays_responsive(tmp_path: Path) -> None:
    from accord.tui.article_list import ArticleList
    from tui_helpers import make_app, panes, until, visible_text

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "letters.txt").write_bytes(b"A title of a long file\n\n" + b"abcdefghij" * 1_000_000 + b"\n")
    app = make_app([folder], tmp_path / "ws")
    async with app.run_test(size=(120, 40)) as pilot:
        def shown() -> str:
            return "\n".join(visible_text(pane) for pane in panes(app) if pane.view.article is not None)

        await until(pilot, lambda: "abcdefghijabcdefghij" in shown() and "harbour" in shown(),
                    "both articles on screen", timeout=READER_SECONDS)
        started = time.monotonic()
        await pilot.press("b")
        article_list = app.query_one(ArticleList)
        await until(pilot, lambda: article_list.display and article_list.has_focus, "the article list",
                    timeout=READER_SECONDS)
        await pilot.pause()
        assert time.monotonic() - started < 30  # one re-wrap of 10 MB at the narrower width, not minutes
        assert "abcdefghijabcdefghij" in shown()
