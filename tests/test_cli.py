"""The `accord` command run as a real subprocess, as scripts and users run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write


def accord(*args: str, check_ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )
    if check_ok:
        assert result.returncode == 0, result.stderr
    return result


def test_version_and_info_name_the_workspace(isolated_home: Path) -> None:
    assert accord("--version").stdout.startswith("accord ")
    info = accord("info").stdout
    assert f"workspace    {isolated_home / 'workspace'}" in info
    assert "annotations" in info and "config" in info and "index" in info


def test_workspace_flag_overrides_accord_home(tmp_path: Path) -> None:
    info = accord("info", "--workspace", str(tmp_path / "elsewhere")).stdout
    assert str(tmp_path / "elsewhere") in info


def test_index_reports_what_changed(tmp_path: Path, seeds_dir: Path) -> None:
    first = accord("index", str(seeds_dir)).stdout
    assert first.startswith("5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped")
    assert accord("index", str(seeds_dir)).stdout.startswith("0 added, 0 updated, 0 removed, 5 unchanged")


def test_search_json_is_the_documented_shape(seeds_dir: Path) -> None:
    data = json.loads(accord("search", "Hayashi", "--json", "--limit", "3").stdout)
    assert data["query"] == "Hayashi" and data["total"] == 2 and len(data["hits"]) == 2
    for hit in data["hits"]:
        assert {"article", "title", "outlet", "date", "path", "start", "end", "snippet", "score"} <= set(hit)
        start, end = hit["highlights"][0]
        assert hit["snippet"][start:end] == "Hayashi"


def test_search_without_an_index_uses_the_seeds_and_prints_readable_hits() -> None:
    out = accord("search", "outlet:UNN").stdout
    assert "UNN" in out and "Japan agrees to transfer Patriot missiles" in out


def test_search_scoped_to_a_path(tmp_path: Path) -> None:
    write(tmp_path / "news" / "a.txt", "Local headline\nThe ferry service resumed on Monday.\n")
    data = json.loads(accord("search", "ferry OR patriot", str(tmp_path / "news"), "--json").stdout)
    assert [Path(h["path"]).name for h in data["hits"]] == ["a.txt"]


def test_text_output_into_a_pipe_is_one_record_per_line() -> None:
    # Into a pipe or a file the text was wrapped at 80 columns, mid-sentence: grep and pasting broke.
    lines = accord("claims").stdout.splitlines()
    sentence = ("The Japanese government announced on Friday that it is preparing to ship domestically produced "
                "Patriot air defense missiles to the United States")
    assert any(sentence in line for line in lines)
    assert not any(line.endswith(" ") for line in lines)
    assert "1 discrepancy" in lines  # not "1 discrepancies"


def test_bad_input_is_one_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    missing = accord("index", str(tmp_path / "missing"), check_ok=False)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"accord: error: no such file or folder: {tmp_path / 'missing'}"]

    (tmp_path / "empty").mkdir()
    empty = accord("index", str(tmp_path / "empty"), check_ok=False)
    assert empty.returncode == 1 and "no articles found" in empty.stderr
    assert "Traceback" not in empty.stderr

    bad_query = accord("search", '"unclosed', check_ok=False)
    assert bad_query.returncode == 2
    assert bad_query.stderr.strip().splitlines() == ["accord: error: unclosed quote in '\"unclosed'"]

    # a field that does not exist (a typo of outlet:) once answered "no hits", exit 0
    typo = accord("search", "otlet:UNN", check_ok=False)
    assert typo.returncode == 2 and typo.stderr.splitlines() == [
        "accord: error: no field otlet: in 'otlet:UNN': the fields are title:, outlet:, date:, tag:, note:, sources:, "
        "single:, conflict: (quote the words to search them as text)"]
    assert accord("search", '"otlet:UNN"').stdout.startswith("no hits")  # quoted: text, searched as such
    assert "no field Title:" in accord("search", "Title:patriot", check_ok=False).stderr  # fields are lower case
    assert accord("search", "outlet:UNN").stdout.startswith("1 article matches outlet:UNN")  # one, singular

    # a bad option value too: one line naming the command, not argparse's whole usage first
    bad_option = accord("claims", "--threshold", "2", check_ok=False)
    assert bad_option.returncode == 2
    assert bad_option.stderr.splitlines() == [
        "accord claims: error: argument --threshold: the threshold must be above 0 and at most 1 (see accord claims --help)"]


def test_bad_files_are_skipped_with_a_warning_naming_them(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write(folder / "good.txt", "A headline here\nThe mayor opened the bridge on Sunday.\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (folder / "latin.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (folder / "empty.txt").write_text("")
    result = accord("index", str(folder))
    assert result.stdout.startswith("1 added")
    warnings = result.stderr.strip().splitlines()
    assert sorted(warnings) == [
        f"accord: warning: {folder / 'binary.txt'}: skipped: binary file",
        f"accord: warning: {folder / 'empty.txt'}: skipped: empty file",
        f"accord: warning: {folder / 'latin.txt'}: skipped: not UTF-8 text (byte 3)",
    ]


def test_article_markup_is_printed_literally(tmp_path: Path) -> None:
    write(tmp_path / "m" / "x.txt", "Headline\nThe [bold red]committee[/] met \x1b[31mtoday\x1b[0m.\n")
    out = accord("search", "committee", str(tmp_path / "m")).stdout
    assert "[bold red]committee[/]" in out
    assert "\x1b" not in out


@pytest.mark.parametrize("command", [["claims", "--json"], ["claims"]], ids=["json", "text"])
def test_output_cut_short_by_its_reader_is_not_an_error(tmp_path: Path, command: list[str]) -> None:
    """`accord claims | head`: the reader goes away mid-output; no traceback, exit 0 (Rich's
    console, which prints the text form, ended the process with 1)."""
    import fcntl
    import os

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ: a small pipe, so the writer is still writing
    process = subprocess.Popen([sys.executable, "-m", "accord", *command], stdout=write_end,
                               stderr=subprocess.PIPE, text=True)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.readline().strip() in (b"{", b"13 claims shared by 2+ of 5 sources")
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0 and "Traceback" not in stderr and "Broken pipe" not in stderr, stderr
