"""`accord note add|list|rm` and `accord export`, run as real subprocesses on a real
workspace: what scripts see (output, JSON, exit codes) and the briefing's structure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from conftest import write

from accord.index.ingest import article_id

UNN_FILE = "002_a1e0a7027e69f4ca.txt"
HISTORIC = "This marks a historic shift in Japan's defense policy."
HAYASHI = "said Japanese government spokesman Yoshimasa Hayashi"
DECISION = "This decision is a landmark for Japan"
LIST_KEYS = {"id", "article", "source", "title", "start", "end", "quote", "tags", "note", "created", "updated",
             "anchored", "orphan_reason"}


def accord(*args: str, ok: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, env=env or os.environ.copy(), timeout=120
    )
    if ok:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("accord: error: "), result.stderr
    return lines[0]


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[Path, Path]:
    """A copy of the seeds and a workspace with it indexed, made once: tests get a copy of
    the workspace and must not edit the story (the test that edits an article has its own)."""
    root = tmp_path_factory.mktemp("indexed")
    story = root / "story"
    shutil.copytree(seeds_dir, story)
    env = {**os.environ, "ACCORD_CONFIG_DIR": str(root / "config")}  # the per-test isolation is not set up yet
    accord("index", str(story), "--workspace", str(root / "ws"), "--quiet", env=env)
    return story, root / "ws"


@pytest.fixture
def story(indexed: tuple[Path, Path]) -> Path:
    return indexed[0]


@pytest.fixture
def ws(tmp_path: Path, indexed: tuple[Path, Path]) -> str:
    """A workspace of its own for the test, with the story indexed."""
    shutil.copytree(indexed[1], tmp_path / "ws")
    return str(tmp_path / "ws")


@pytest.fixture
def unn(story: Path) -> str:
    """The id of the UNN report in the story copy (the test of `note add` by id checks it
    against what `accord search --json` prints)."""
    return article_id(story / UNN_FILE, None, "")


def note_list(ws: str, *args: str) -> list[dict]:
    return json.loads(accord("note", "list", "--json", *args, "--workspace", ws).stdout)


def tokens(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").use(footnote_plugin).parse(markdown)


def headings(markdown: str) -> list[tuple[str, str]]:
    """(tag, text) of every heading, in order."""
    found = tokens(markdown)
    return [(t.tag, "".join(c.content for c in found[n + 1].children or [])) for n, t in enumerate(found)
            if t.type == "heading_open"]


def section(markdown: str, title: str) -> list[Token]:
    """The tokens under the level-2 heading `title`, up to the next level-2 heading."""
    found = tokens(markdown)
    start = next(n for n, t in enumerate(found) if t.type == "heading_open" and t.tag == "h2"
                 and found[n + 1].content == title)
    end = next((n for n in range(start + 3, len(found)) if found[n].type == "heading_open" and found[n].tag == "h2"),
               len(found))
    return found[start + 3 : end]


def blockquote_texts(block: list[Token]) -> list[str]:
    """The inline text of each top-level block quote (footnote references as [^n])."""
    quotes, depth, current = [], 0, []
    for token in block:
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                quotes.append(" ".join(current))
                current = []
        elif depth and token.type == "inline":
            current.append("".join(
                f"[^{c.meta['id'] + 1}]" if c.type == "footnote_ref" else c.content for c in token.children or []))
    return quotes


# note add ----------------------------------------------------------------------------------


def test_add_by_id_prefix_and_path(ws: str, story: Path, unn: str) -> None:
    hits = json.loads(accord("search", "outlet:UNN", "--json", "--workspace", ws).stdout)["hits"]
    assert [hit["article"] for hit in hits] == [unn]
    full = hits[0]["article"]
    by_id = accord("note", "add", full, "--quote", HISTORIC, "--workspace", ws).stdout
    assert by_id.strip() == "added annotation 1 on UNN: “This marks a historic shift in Japan's…”"
    by_prefix = accord("note", "add", full[:5].upper(), "--quote", HAYASHI, "--workspace", ws).stdout
    assert by_prefix.startswith("added annotation 2 on UNN: ")
    by_path = accord("note", "add", str(story / UNN_FILE), "--quote", DECISION, "--workspace", ws).stdout
    assert by_path.startswith("added annotation 3 on UNN: ")
    assert [(n["id"], n["article"], n["source"]) for n in note_list(ws)] == [(1, full, "UNN"), (2, full, "UNN"), (3, full, "UNN")]


def test_add_by_path_indexes_a_new_file_first(tmp_path: Path, ws: str) -> None:
    new = write(tmp_path / "new" / "ferry.md", "# Ferries resume\n\nThe ferry service resumed on Monday after the storm.\n")
    out = accord("note", "add", str(new), "--quote", "resumed on Monday", "--workspace", ws).stdout
    assert out.startswith("added annotation 1 on ferry.md: “resumed on Monday”")
    [saved] = note_list(ws)
    assert saved["title"] == "Ferries resume" and saved["anchored"] == "offsets"


def test_add_on_an_empty_workspace_uses_the_seeds(tmp_path: Path, seeds_dir: Path) -> None:
    workspace = str(tmp_path / "fresh")
    seed_id = article_id((seeds_dir / UNN_FILE), None, "")
    accord("note", "add", seed_id[:6], "--quote", HISTORIC, "--workspace", workspace)
    assert note_list(workspace)[0]["article"] == seed_id


def test_a_quote_not_in_the_article_is_a_one_line_error(ws: str, unn: str) -> None:
    missing = "The ministry denied that any missiles would be sent to Ukraine, now or at any later date in 2024."
    result = accord("note", "add", unn, "--quote", missing, "--workspace", ws, ok=False)
    message = one_line_error(result, 2)
    assert message.startswith("accord: error: quote not found in UNN, “Japan agrees to transfer Patriot missiles")
    assert "“The ministry denied that any missiles would be sent to…”" in message
    assert note_list(ws) == []


def test_the_quote_may_differ_in_whitespace(ws: str, unn: str) -> None:
    typed = "This  marks a historic\nshift   in Japan's\n\tdefense policy."
    saved = json.loads(accord("note", "add", unn, "--quote", typed, "--json", "--workspace", ws).stdout)
    assert saved["quote"] == HISTORIC
    assert saved["end"] - saved["start"] == len(HISTORIC)


def test_tags_are_normalised(ws: str, unn: str) -> None:
    result = accord("note", "add", unn, "--quote", HISTORIC, "--tag", "#Policy, japan", "--tag", "POLICY",
                    "--tag", "Export.Rules", "--workspace", ws)
    assert result.stdout.rstrip().endswith("[policy, japan, export.rules]")
    assert note_list(ws)[0]["tags"] == ["policy", "japan", "export.rules"]

    bad = accord("note", "add", unn, "--quote", HISTORIC, "--tag", "a@b", "--workspace", ws, ok=False)
    assert "'a@b' is not a tag" in one_line_error(bad, 1)
    for empty in ("", "###"):  # a --tag naming no tag once added an untagged annotation, exit 0
        nothing = accord("note", "add", unn, "--quote", "Ukraine", "--tag", empty, "--workspace", ws, ok=False)
        assert one_line_error(nothing, 1) == f"accord: error: --tag {empty!r} names no tag: use letters, digits and - _ . / : +"
    assert len(note_list(ws)) == 1


def test_adding_a_passage_already_annotated_merges_into_its_annotation(ws: str, unn: str) -> None:
    """The rule the reader follows too: an annotation already on exactly this span is
    edited, never doubled. The command adds the new tags to its own and the note below
    its note, and says so; the same add once more changes nothing."""
    accord("note", "add", unn, "--quote", HISTORIC, "--tag", "policy", "--note", "First.", "--workspace", ws)
    again = accord("note", "add", unn, "--quote", HISTORIC.replace(" ", "  "), "--tag", "exports,policy",
                   "--note", "Second.", "--workspace", ws)
    assert again.stdout.strip() == ("updated annotation 1 on UNN, already on this passage: "
                                    "“This marks a historic shift in Japan's…” [policy, exports]")
    [row] = note_list(ws)
    assert (row["id"], row["tags"], row["note"]) == (1, ["policy", "exports"], "First.\n\nSecond.")
    same = accord("note", "add", unn, "--quote", HISTORIC, "--tag", "exports", "--note", "Second.", "--json",
                  "--workspace", ws)
    assert json.loads(same.stdout) == row  # the annotation as it is: nothing was changed
    plain = accord("note", "add", unn, "--quote", HISTORIC, "--workspace", ws)
    assert plain.stdout.strip() == "annotation 1 on UNN is already on this passage with these tags and note: nothing changed"
    assert len(note_list(ws)) == 1


def test_an_empty_quote_is_a_one_line_error(ws: str, unn: str) -> None:
    result = accord("note", "add", unn, "--quote", "  ", "--workspace", ws, ok=False)
    assert "the quote is empty" in one_line_error(result, 1)


def test_unknown_short_and_ambiguous_ids_are_one_line_errors(tmp_path: Path, ws: str) -> None:
    unknown = one_line_error(accord("note", "add", "ffffffffffff", "--quote", "x", "--workspace", ws, ok=False), 2)
    assert "no article with id ffffffffffff" in unknown and "accord search" in unknown
    short = one_line_error(accord("note", "add", "abc", "--quote", "x", "--workspace", ws, ok=False), 2)
    assert "not an article id" in short and "abc" in short and "accord search" in short

    # Two files whose ids share their first four characters.
    folder = tmp_path / "twins"
    folder.mkdir()
    seen: dict[str, str] = {}
    for n in range(100_000):
        name = f"f{n}.txt"
        prefix = article_id(folder / name, None, "")[:4]
        if prefix in seen:
            break
        seen[prefix] = name
    for file in (seen[prefix], name):
        write(folder / file, f"Report {file}\nThe harbour reopened on Tuesday after repairs.\n")
    accord("index", str(folder), "--workspace", ws, "--quiet")
    ambiguous = one_line_error(accord("note", "add", prefix, "--quote", "harbour", "--workspace", ws, ok=False), 2)
    assert f"{prefix} is the start of 2 article ids" in ambiguous and "give more of it" in ambiguous


def test_a_file_of_several_articles_asks_for_an_id(tmp_path: Path, ws: str) -> None:
    records = [{"title": f"Story {n}", "text": f"The council met for the {n} time on Monday."} for n in ("first", "second")]
    feed = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    message = one_line_error(accord("note", "add", str(feed), "--quote", "council", "--workspace", ws, ok=False), 2)
    assert f"{feed} holds 2 articles" in message and "give the id of one" in message


# note list and rm ----------------------------------------------------------------------------


def test_list_text_and_json(ws: str, story: Path, unn: str) -> None:
    full = unn
    accord("note", "add", full, "--quote", HISTORIC, "--tag", "policy", "--note", "Turning point.\nSee also WSJ.",
           "--workspace", ws)
    patriot = accord("note", "add", str(story / "004_655e8128408faf12.txt"), "--quote", "Patriot", "--workspace", ws)
    assert patriot.stderr.strip().splitlines() == [
        "accord: warning: the quote occurs 7 times in 004_655e8128408faf12.txt; annotated the first "
        "(quote more of the passage to pick another)"]

    lines = accord("note", "list", "--workspace", ws).stdout.splitlines()
    assert lines == [
        "1  UNN  [policy]  “This marks a historic shift in Japan's defense policy.”  — Turning point.",
        "2  004_655e8128408faf12.txt  “Patriot”",
    ]

    data = note_list(ws)
    assert [set(entry) for entry in data] == [LIST_KEYS, LIST_KEYS]
    first = data[0]
    assert first["id"] == 1 and first["article"] == full and first["source"] == "UNN"
    assert first["title"].startswith("Japan agrees to transfer Patriot missiles")
    assert first["quote"] == HISTORIC and first["tags"] == ["policy"] and first["note"] == "Turning point.\nSee also WSJ."
    assert first["anchored"] == "offsets" and first["orphan_reason"] is None
    assert isinstance(first["start"], int) and first["end"] - first["start"] == len(HISTORIC)
    assert first["created"].endswith("Z") and first["updated"] == first["created"]
    assert [entry["id"] for entry in note_list(ws, "--tag", "#POLICY")] == [1]
    assert note_list(ws, "--tag", "nothing") == []


def test_rm_and_rm_of_an_unknown_id(ws: str, unn: str) -> None:
    accord("note", "add", unn, "--quote", HISTORIC, "--workspace", ws)
    out = accord("note", "rm", "1", "--workspace", ws).stdout
    assert out.strip() == "deleted annotation 1 on UNN: “This marks a historic shift in Japan's…”"
    assert note_list(ws) == []
    again = one_line_error(accord("note", "rm", "1", "--workspace", ws, ok=False), 2)
    assert "no annotation 1" in again and "accord note list" in again
    assert accord("note", "rm", "one", "--workspace", ws, ok=False).returncode == 2  # argparse usage error


def test_a_damaged_store_is_exit_5(tmp_path: Path) -> None:
    workspace = tmp_path / "damaged"
    write(workspace / "annotations.sqlite", "this is not a database, and Accord must not replace it\n" * 20)
    message = one_line_error(accord("note", "list", "--workspace", str(workspace), ok=False), 5)
    assert "cannot open the annotation store" in message
    assert (workspace / "annotations.sqlite").read_text().startswith("this is not a database")


def test_workspace_may_come_before_the_command(ws: str, unn: str) -> None:
    accord("note", "add", unn, "--quote", HISTORIC, "--workspace", ws)
    assert len(json.loads(accord("--workspace", ws, "note", "list", "--json").stdout)) == 1


# export ---------------------------------------------------------------------------------------


def annotate(ws: str, story: Path) -> None:
    full = article_id(story / UNN_FILE, None, "")
    accord("note", "add", full, "--quote", HISTORIC, "--tag", "policy", "--note", "A *turning* point.", "--workspace", ws)
    accord("note", "add", full, "--quote", HAYASHI, "--tag", "people,policy", "--workspace", ws)
    accord("note", "add", str(story / "004_655e8128408faf12.txt"), "--quote", "Patriot", "--workspace", ws)


def test_export_markdown_to_stdout(ws: str, story: Path) -> None:
    annotate(ws, story)
    markdown = accord("export", "--title", "Patriot # transfer", "--workspace", ws).stdout
    assert headings(markdown) == [("h1", "Patriot # transfer"), ("h2", "people"), ("h2", "policy"),
                                  ("h2", "Untagged"), ("h2", "Sources")]
    assert "5 articles from 5 outlets · 3 annotations" in markdown

    policy = section(markdown, "policy")
    assert blockquote_texts(policy) == [f"{HISTORIC}[^2]"]
    note = [t for t in policy if t.type == "inline" and "turning" in t.content]
    children = note[0].children or []
    assert "em_open" not in [c.type for c in children]  # the note is kept literal, not rendered
    assert "".join(c.content for c in children).endswith("A *turning* point.")
    [people] = blockquote_texts(section(markdown, "people"))
    assert HAYASHI in people and people.endswith("[^1]")  # footnotes numbered in the order findings appear
    found = tokens(markdown)
    assert [t.type for t in found].count("footnote_open") == 3
    assert sum(1 for t in section(markdown, "Sources") if t.type == "list_item_open") == 5


def test_export_to_a_file_refuses_to_overwrite_without_force(tmp_path: Path, ws: str, story: Path) -> None:
    annotate(ws, story)
    target = tmp_path / "out" / "briefing.md"
    target.parent.mkdir()
    result = accord("export", "-o", str(target), "--workspace", ws)
    assert result.stdout == ""
    assert result.stderr.strip() == f"wrote the Markdown briefing to {target} (3 findings, 0 unanchored)"
    first = target.read_text(encoding="utf-8")
    assert headings(first)[0] == ("h1", "Briefing")

    refused = accord("export", "-o", str(target), "--title", "Second", "--workspace", ws, ok=False)
    assert "exists; use --force" in one_line_error(refused, 1)
    assert target.read_text(encoding="utf-8") == first

    accord("export", "-o", str(target), "--title", "Second", "--force", "--workspace", ws)
    assert headings(target.read_text(encoding="utf-8"))[0] == ("h1", "Second")
    assert sorted(p.name for p in target.parent.iterdir()) == ["briefing.md"]  # no temporary file left behind

    # a folder is no file to replace: --force once only led to "Is a directory"
    for force in ([], ["--force"]):
        folder = accord("export", "-o", str(target.parent), *force, "--workspace", ws, ok=False)
        assert one_line_error(folder, 1) == f"accord: error: {target.parent} is a folder: give the briefing a file name in it"
    assert sorted(p.name for p in target.parent.iterdir()) == ["briefing.md"]


def test_export_html_escapes_notes(tmp_path: Path, ws: str, unn: str) -> None:
    accord("note", "add", unn, "--quote", HISTORIC, "--note", "Watch <script>alert('x')</script> this",
           "--workspace", ws)
    page = accord("export", "--format", "html", "--workspace", ws).stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;script&gt;alert(" in page and "<script" not in page
    assert "<blockquote>" in page and 'class="footnotes"' in page


@pytest.mark.parametrize("name, given, written", [
    ("briefing.html", None, "html"),  # as the reader saves that name
    ("Briefing.HTM", None, "html"),
    ("briefing.md", None, "md"),
    ("briefing.txt", None, "md"),
    ("briefing.md", "html", "html"),  # --format wins over the name
    ("briefing.html", "md", "md"),
])
def test_export_format_comes_from_format_else_the_file_name(
    tmp_path: Path, ws: str, unn: str, name: str, given: str | None, written: str
) -> None:
    accord("note", "add", unn, "--quote", HISTORIC, "--workspace", ws)
    target = tmp_path / name
    result = accord("export", "-o", str(target), *(["--format", given] if given else []), "--workspace", ws)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") == (written == "html"), text[:40]
    assert ("the HTML briefing" if written == "html" else "the Markdown briefing") in result.stderr
    if written == "md":
        assert headings(text)[0] == ("h1", "Briefing")


def test_export_writes_through_the_desk_as_the_reader_does(tmp_path: Path, ws: str, unn: str, monkeypatch) -> None:
    """One way to save a briefing: the command calls Desk.write_briefing, as the reader's
    save does, with the format chosen by the same rule."""
    from accord.index.desk import Desk
    from accord.tui import cli

    accord("note", "add", unn, "--quote", HISTORIC, "--workspace", ws)
    real = Desk.write_briefing
    calls: list[tuple[Path, bool, str | None]] = []

    def recorded(briefing, path, overwrite=False, format=None):
        calls.append((Path(path), overwrite, format))
        return real(briefing, path, overwrite=overwrite, format=format)

    monkeypatch.setattr(Desk, "write_briefing", staticmethod(recorded))
    target = tmp_path / "page.html"
    assert cli.main(["export", "-o", str(target), "--no-claims", "--workspace", ws]) == 0
    assert calls == [(target, False, "html")] and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert Desk.briefing_format(target) == "html" and Desk.briefing_format(target, "md") == "md"


def test_export_keeps_only_the_tags_asked_for(ws: str, story: Path) -> None:
    annotate(ws, story)
    markdown = accord("export", "--tag", "people", "--no-claims", "--workspace", ws).stdout
    assert [h for h in headings(markdown) if h[0] == "h2"] == [("h2", "people"), ("h2", "Sources")]
    assert "· 1 annotation." in markdown
    assert HISTORIC not in markdown

    unknown = accord("export", "--tag", "people", "--tag", "Nowhere", "--workspace", ws)
    assert unknown.stderr.strip().splitlines() == ["accord: warning: no annotation is tagged nowhere"]
    assert [h for h in headings(unknown.stdout) if h[0] == "h2"] == [("h2", "people"), ("h2", "Sources")]


def test_export_without_annotations_is_still_a_briefing(ws: str) -> None:
    markdown = accord("export", "--workspace", ws).stdout
    assert headings(markdown) == [("h1", "Briefing"), ("h2", "Sources")]
    assert "· 0 annotations." in markdown


def test_a_deleted_passage_is_exported_as_an_unanchored_note(tmp_path: Path, seeds_dir: Path) -> None:
    story = tmp_path / "editable"
    shutil.copytree(seeds_dir, story)
    ws = str(tmp_path / "own-ws")
    accord("index", str(story), "--workspace", ws, "--quiet")
    full = article_id(story / UNN_FILE, None, "")
    accord("note", "add", full, "--quote", HISTORIC, "--tag", "policy", "--workspace", ws)
    accord("note", "add", full, "--quote", DECISION, "--tag", "policy", "--note", "Decades of restraint.",
           "--workspace", ws)
    source = story / UNN_FILE
    raw = source.read_text(encoding="utf-8")
    line = next(row for row in raw.splitlines(keepends=True) if row.startswith(DECISION))
    source.write_text(raw.replace(line, ""), encoding="utf-8")
    assert accord("index", str(source), "--workspace", ws).stdout.startswith("0 added, 1 updated")

    listed = note_list(ws)
    assert [(n["id"], n["anchored"], n["start"]) for n in listed][1] == (2, None, None)
    assert listed[1]["orphan_reason"] == "passage not found in the article's current text"
    assert accord("note", "list", "--workspace", ws).stdout.splitlines()[1].endswith("UNANCHORED")

    markdown = accord("export", "--workspace", ws).stdout
    assert [h for h in headings(markdown) if h[0] == "h2"] == [("h2", "policy"), ("h2", "Unanchored notes"),
                                                                 ("h2", "Sources")]
    assert "(1 unanchored)" in markdown
    assert blockquote_texts(section(markdown, "policy")) == [f"{HISTORIC}[^1]"]
    orphaned = section(markdown, "Unanchored notes")
    [quote] = blockquote_texts(orphaned)
    assert quote.startswith(DECISION) and "[^" not in quote  # no citation: the passage is not there any more
    paragraphs = [t.content for t in orphaned if t.type == "inline"]
    assert any(p.startswith("From UNN, “Japan agrees") and "Tags: policy" in p for p in paragraphs)
    assert any(p.endswith("Decades of restraint.") for p in paragraphs)

    target = ws + "/briefing.md"
    stderr = accord("export", "-o", target, "--workspace", ws).stderr
    assert stderr.strip() == f"wrote the Markdown briefing to {target} (1 finding, 1 unanchored)"


def test_search_finds_annotated_sentences_by_tag_and_note(ws: str, story: Path, unn: str) -> None:
    annotate(ws, story)
    hits = json.loads(accord("search", "tag:people", "--json", "--workspace", ws).stdout)["hits"]
    assert len(hits) == 1 and hits[0]["article"] == unn and HAYASHI in hits[0]["snippet"]
    noted = json.loads(accord("search", "note:turning", "--json", "--workspace", ws).stdout)["hits"]
    assert len(noted) == 1 and HISTORIC in noted[0]["snippet"]
    both = json.loads(accord("search", "tag:policy japan", "--json", "--workspace", ws).stdout)["hits"]
    assert both and all(h["article"] == unn for h in both)
    text = accord("search", "tag:policy", "--workspace", ws).stdout
    assert text.startswith("2 sentences match tag:policy")


def test_a_mistyped_workspace_says_it_is_new_rather_than_showing_no_notes(tmp_path: Path, ws: str, unn: str) -> None:
    accord("note", "add", unn, "--quote", HISTORIC, "--tag", "policy", "--workspace", ws)
    typo = tmp_path / "no" / "such" / "ws"
    listed = accord("note", "list", "--workspace", str(typo))
    assert listed.stdout.strip() == "no annotations"
    assert listed.stderr.strip() == f"accord: warning: no workspace at {typo}: a new, empty one is made there"
    again = accord("note", "list", "--workspace", str(typo))  # it exists now: nothing more to say
    assert again.stderr == ""
    assert accord("note", "list", "--workspace", ws).stderr == ""  # the real one, untouched
    assert len(note_list(ws)) == 1
