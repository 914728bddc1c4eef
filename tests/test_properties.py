"""Property-based tests (hypothesis) of what takes untrusted text: reading bytes into
articles, cleaning, sentence splitting, Markdown escaping and the safe-print helpers.

Example counts are bounded so the module takes well under a minute. Some inputs are long
runs with no spaces or of broken markup, which reach the paths that were quadratic (the
glued-word splitter tried every cut of a 200 KB run: 9 s); those examples have a 30 s
deadline, far above what a linear path needs and far below what a quadratic one takes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from accord.index.ingest import articles_from_bytes
from accord.index.markdown_text import inline, lines
from accord.index.repairs import english_words, repair_paragraph
from accord.index.safe_text import json_text, printable, printable_same_length
from accord.index.model import Paragraph
from accord.index.sentences import split_sentences
from accord.tui.layout import wrap

SHORT = settings(max_examples=150, deadline=dt.timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
# 30 s: far above the linear paths (under 0.1 s here, even on a loaded machine) and far
# below the quadratic ones at these sizes (400 KB of letters: ~36 s; 300 KB of '<a ': ~700 s).
LONG = settings(max_examples=8, deadline=dt.timedelta(seconds=30), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

english_words()  # load the word list once, outside any example's deadline

# Text with the characters that matter: letters, punctuation sentences turn on, quotes,
# line breaks, escapes, C1 controls, bidi overrides, Markdown syntax, and the odd non-ASCII.
_ALPHABET = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?…'\"“”‘’()[]<>#*_`|-+=~&%$\\\n\t\r"
    "\x1b\x07\x00\x9b\u202e\u2066éß漢"
))
untrusted = st.text(alphabet=_ALPHABET, max_size=600)
# A long run of letters, or of letters broken by a rare space: glued-word and repeat paths.
long_run = st.builds(
    lambda letters, n, gap: (letters * (n // max(1, len(letters)) + 1))[:n].replace("q", " " if gap else "q"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzq", min_size=1, max_size=30),
    st.integers(min_value=400_000, max_value=800_000),
    st.booleans(),
)
# A short piece of markup repeated to 100-300 KB: the shapes that made HTMLParser rescan
# the rest of the document for every piece (unclosed tags, comments, declarations).
markup_run = st.builds(
    lambda piece, n: piece * (n // len(piece)),
    st.text(alphabet="<>!-/?[]abcdpiv =\"'x\n", min_size=1, max_size=12),
    st.integers(min_value=200_000, max_value=300_000),
)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_article_is_consistent(article) -> None:
    text = article.text
    assert not _UNSAFE.search(text)
    assert not _UNSAFE.search(article.title) and not _UNSAFE.search(article.outlet)
    previous_end = 0
    for paragraph in article.paragraphs:
        assert previous_end <= paragraph.start <= paragraph.end <= len(text)
        previous_end = paragraph.end
    previous_end = 0
    for sentence in article.sentences:
        paragraph = article.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        assert sentence.start >= previous_end
        assert text[sentence.start : sentence.end] == text[sentence.start : sentence.end].strip()
        previous_end = sentence.end


@SHORT
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]))
def test_any_bytes_are_read_or_skipped_with_a_reason(data: bytes, suffix: str) -> None:
    articles, warnings = articles_from_bytes(data, Path(f"/x/file{suffix}"))
    for article in articles:
        assert_article_is_consistent(article)
    for warning in warnings:
        assert "\n" not in str(warning) and str(warning).startswith(f"/x/file{suffix}: ")


@SHORT
@given(text=untrusted, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_text_cleans_to_consistent_offsets(text: str, suffix: str) -> None:
    articles, _ = articles_from_bytes(text.encode("utf-8"), Path(f"/x/file{suffix}"))
    for article in articles:
        assert_article_is_consistent(article)


@SHORT
@given(records=st.lists(st.fixed_dictionaries({"title": untrusted, "text": untrusted}, optional={"source": untrusted}),
                        max_size=4))
def test_json_records_of_any_text(records: list[dict]) -> None:
    data = json.dumps(records).encode("utf-8")
    articles, _ = articles_from_bytes(data, Path("/x/file.json"))
    for article in articles:
        assert_article_is_consistent(article)


@LONG
@given(run=long_run)
def test_long_runs_without_spaces_clean_in_bounded_time(run: str) -> None:
    articles, _ = articles_from_bytes(f"A headline of the story\n\n{run}\n".encode(), Path("/x/long.txt"))
    for article in articles:
        assert_article_is_consistent(article)


@LONG
@given(run=markup_run)
def test_hostile_markup_reads_in_bounded_time(run: str) -> None:
    articles, _ = articles_from_bytes(f"<html><body><p>A headline</p>{run}".encode(), Path("/x/page.html"))
    for article in articles:
        assert_article_is_consistent(article)


@LONG
@given(run=long_run)
def test_repairs_of_a_long_run_keep_its_letters(run: str) -> None:
    repaired, events = repair_paragraph(run)
    kept = re.sub(r"\s", "", repaired)
    assert set(kept) <= set(re.sub(r"\s", "", run))
    assert all(kind in {"glued-words", "repeated-fragment"} for _, kind, _, _ in events)


@SHORT
@given(text=untrusted)
def test_sentences_tile_their_paragraph_in_order(text: str) -> None:
    spans = list(split_sentences(text))
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    # nothing but whitespace falls between sentences
    covered = "".join(text[start:end] for start, end in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)


_MARKDOWN = MarkdownIt("commonmark")


def _plain_text_only(tokens) -> bool:
    allowed = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"}
    for token in tokens:
        if token.type not in allowed:
            return False
        if token.children and not _plain_text_only(token.children):
            return False
    return True


def _rendered_text(tokens) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                parts.append(child.content if child.type == "text" else " ")
        elif token.type == "paragraph_close":
            parts.append(" ")
    return " ".join("".join(parts).split())


@SHORT
@given(text=untrusted)
def test_markdown_inline_is_always_literal_text(text: str) -> None:
    rendered = inline(text)
    tokens = _MARKDOWN.parse(rendered)
    assert _plain_text_only(tokens), (text, rendered, [t.type for t in tokens])
    # Literal, except that controls and bidi characters are shown as U+FFFD (see markdown_text.inline).
    assert _rendered_text(tokens) == printable_same_length(" ".join(text.split()))


@SHORT
@given(text=untrusted)
def test_markdown_lines_are_always_literal_text(text: str) -> None:
    tokens = _MARKDOWN.parse("\n".join(lines(text)))
    assert _plain_text_only(tokens), (text, [t.type for t in tokens])


@SHORT
@given(value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=_ALPHABET) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(alphabet=_ALPHABET, max_size=8), children, max_size=4),
    max_leaves=20,
))
def test_json_text_round_trips_and_holds_nothing_raw(value: object) -> None:
    printed = json_text(value)
    assert json.loads(printed) == value
    assert not _UNSAFE.search(printed.replace("\n", ""))


@SHORT
@given(text=st.text())
def test_printable_holds_nothing_raw_and_encodes(text: str) -> None:
    shown = printable(text)
    shown.encode("utf-8")  # lone surrogates never reach a print
    assert not _UNSAFE.search(shown.replace("\n", "").replace("\t", ""))


def _greedy_wrap(text: str, paragraphs: list[Paragraph], width: int) -> list[tuple[int, int, bool]]:
    """The plain greedy wrap `wrap` must equal: measure the line, cut a long word one
    character at a time (quadratic on a long word, fine on these short texts)."""
    from rich.cells import cell_len

    lines: list[tuple[int, int, bool]] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append((paragraph.start, paragraph.start, True))
        line_start = paragraph.start
        for match in re.finditer(r"\S+\s*", text[: paragraph.end]):
            if match.start() < paragraph.start:
                continue
            word_end = match.start() + len(match.group().rstrip())
            if line_start < match.start() and cell_len(text[line_start:word_end]) > width:
                lines.append((line_start, match.start(), False))
                line_start = match.start()
            while cell_len(text[line_start:word_end]) > width:
                used, cut = 0, word_end
                for position in range(line_start, word_end):
                    used += cell_len(text[position])
                    if used > width:
                        cut = max(position, line_start + 1)
                        break
                lines.append((line_start, cut, False))
                line_start = cut
        lines.append((line_start, paragraph.end, False))
    return lines


# Words of every width: narrow, wide (漢), zero-width (a combining accent), Latin, Greek.
_wrap_words = st.lists(
    st.text(alphabet=st.sampled_from(list("abcxyzéßΩж漢字\u0301-.")), min_size=1, max_size=60), min_size=1, max_size=30,
)


@SHORT
@given(words=_wrap_words, spaces=st.lists(st.sampled_from([" ", "  ", "\n\n"]), min_size=30, max_size=30),
       width=st.integers(min_value=8, max_value=40))
def test_wrap_is_the_plain_greedy_wrap_and_tiles_the_text(words: list[str], spaces: list[str], width: int) -> None:
    text = "".join(word + space for word, space in zip(words, spaces)).strip()
    paragraphs, start = [], 0
    for number, part in enumerate(text.split("\n\n")):
        paragraphs.append(Paragraph(number, start, start + len(part)))
        start += len(part) + 2
    lines = wrap(text, paragraphs, width)
    assert [(line.start, line.end, line.blank) for line in lines] == _greedy_wrap(text, paragraphs, width)
    from rich.cells import cell_len

    for line in lines:
        assert cell_len(text[line.start : line.end].rstrip()) <= width


_PATH_PARTS = st.lists(st.text(st.sampled_from(list("ab.-_ Z0é")), min_size=1, max_size=6), min_size=1, max_size=4)


@SHORT
@given(st.lists(_PATH_PARTS, min_size=1, max_size=12))
def test_discovery_sorts_paths_by_their_parts_and_reads_suffixes_as_splitext(parts: list[list[str]]) -> None:
    import os

    from accord.index.discovery import _suffix

    paths = [os.sep.join(["", *p]) for p in parts]
    assert sorted(paths, key=lambda f: f.replace(os.sep, "\0")) == sorted(paths, key=lambda f: f.split(os.sep))
    for path in paths:
        assert _suffix(path) == os.path.splitext(path)[1].lower()


_NAMES = st.text(st.sampled_from(list("ab.-_ Z0é")), min_size=1, max_size=5).filter(lambda n: n not in (".", ".."))
_TREE_PATHS = st.lists(st.lists(_NAMES, min_size=1, max_size=3), min_size=1, max_size=15)


@SHORT
@given(_TREE_PATHS, st.lists(st.sampled_from([".txt", ".MD", ".json", ".bin", ""]), min_size=15, max_size=15))
def test_discovery_walks_folders_in_the_order_of_the_paths_parts(paths: list[list[str]], suffixes: list[str]) -> None:
    """Each folder's entries in name order are the order a sort of every path by its parts
    gives, which the walk no longer does (the tree made of the drawn names, files with the
    drawn suffixes, hidden names skipped)."""
    import os
    import tempfile

    from accord.index.discovery import SUFFIXES, discover_files

    with tempfile.TemporaryDirectory() as top:
        root = os.path.realpath(top)
        expected = set()
        for parts, suffix in zip(paths, suffixes):
            *folders, name = parts
            folder = os.path.join(root, *folders)
            try:
                os.makedirs(folder, exist_ok=True)
                file = os.path.join(folder, name + suffix)
                if not os.path.exists(file):
                    open(file, "w").close()
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue  # a file where a folder was drawn, or the other way round
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES:
                    expected.add(os.path.join(dirpath, name))
        found = discover_files([root])
        assert found == sorted(expected, key=lambda f: f.split(os.sep))
