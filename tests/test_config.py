"""The config file and the app state: a typo never stops Accord, it becomes one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.index.config import load_config, load_state, save_state, state_path
from accord.index.ingest import read_file
from accord.index.rules import DEFAULT_RULES
from accord.index.workspace import config_path

from conftest import write


def test_no_config_file_means_defaults_and_no_problems() -> None:
    config = load_config()
    assert config.path == config_path()
    assert config.keys == {} and config.problems == []
    assert config.rules == list(DEFAULT_RULES)


def test_keys_and_boilerplate_rules_are_read() -> None:
    write(
        config_path(),
        '[keys]\nnext_sentence = "x,down"\n\n'
        '[[boilerplate]]\nname = "newsletter"\npattern = "get our .* newsletter.*"\n\n'
        '[[boilerplate]]\nname = "case-sensitive"\npattern = "WIRE"\nignore_case = false\n',
    )
    config = load_config()
    assert config.problems == []
    assert config.keys == {"next_sentence": "x,down"}
    user = config.rules[len(DEFAULT_RULES) :]
    assert [rule.name for rule in user] == ["newsletter", "case-sensitive"]
    assert user[0].matches("Get our free morning NEWSLETTER today")
    assert not user[1].matches("wire")


def test_a_user_rule_removes_lines_from_articles(tmp_path: Path) -> None:
    write(config_path(), '[[boilerplate]]\nname = "newsletter"\npattern = "get our .* newsletter.*"\n')
    path = write(
        tmp_path / "a.txt",
        "Headline of the story\n\nThe ministry approved the plan on Friday.\n"
        "Get our free morning newsletter\nOfficials expect deliveries in March.\n",
    )
    default_articles, _ = read_file(path)
    assert "newsletter" in default_articles[0].text
    articles, _ = read_file(path, load_config().rules)
    article = articles[0]
    assert "newsletter" not in article.text
    assert [(r.reason, r.text) for r in article.removed if r.reason == "newsletter"] == [
        ("newsletter", "Get our free morning newsletter")
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[keys\n", "is not valid TOML"),
        ("keys = 3\n", "[keys] must map binding ids to strings of keys; ignored"),
        ('[keys]\nsearch = 1\n', "[keys] search must be a string of keys"),
        ('[[boilerplate]]\nname = "x"\npattern = "(unclosed"\n', "boilerplate rule 'x': bad pattern"),
        ('[[boilerplate]]\nname = "y"\n', "boilerplate rule 'y' has no pattern"),
        ('boilerplate = "nope"\n', "[[boilerplate]] entries need a name and a pattern"),
    ],
)
def test_each_bad_entry_is_one_problem_and_the_defaults_stand(text: str, problem: str) -> None:
    write(config_path(), text)
    config = load_config()
    assert len(config.problems) == 1 and problem in config.problems[0]
    assert "\n" not in config.problems[0]
    assert config.rules == list(DEFAULT_RULES) and config.keys == {}


def test_a_bad_section_does_not_discard_a_good_one() -> None:
    write(config_path(), '[keys]\nsearch = "ctrl+f"\n\n[[boilerplate]]\nname = "z"\npattern = "["\n')
    config = load_config()
    assert config.keys == {"search": "ctrl+f"}
    assert config.rules == list(DEFAULT_RULES)
    assert len(config.problems) == 1


def test_an_unreadable_config_is_a_problem_not_a_crash() -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_bytes(b"\xff\xfe[keys]")
    config = load_config()
    assert len(config.problems) == 1 and "cannot read" in config.problems[0]


def test_the_cli_warns_about_a_bad_config_in_one_line_and_carries_on(seeds_dir: Path) -> None:
    write(config_path(), '[[boilerplate]]\nname = "x"\npattern = "(unclosed"\n')
    result = subprocess.run(
        [sys.executable, "-m", "accord", "search", "Mitsubishi", "--limit", "1"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warning_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warning_lines) == 1 and "bad pattern" in warning_lines[0]
    assert "Traceback" not in result.stderr
    assert "Mitsubishi" in result.stdout


def test_state_round_trips_and_merges() -> None:
    assert load_state() == {}
    save_state(theme="accord-light")
    save_state(other=1)
    assert load_state() == {"theme": "accord-light", "other": 1}
    assert json.loads(state_path().read_text()) == {"theme": "accord-light", "other": 1}


@pytest.mark.parametrize("content", ["not json", "[1, 2]"])
def test_corrupt_state_is_ignored(content: str) -> None:
    write(state_path(), content)
    assert load_state() == {}
    save_state(theme="accord-dark")
    assert load_state() == {"theme": "accord-dark"}


def test_claims_threshold_and_min_sources_are_read() -> None:
    write(config_path(), "[claims]\nthreshold = 0.4\nmin_sources = 3\n")
    config = load_config()
    assert config.problems == []
    assert (config.claim_threshold, config.min_sources) == (0.4, 3)


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("[claims]\nthreshold = 1.5\n", "threshold must be a number above 0"),
        ("[claims]\nthreshold = \"high\"\n", "threshold must be a number above 0"),
        ("[claims]\nmin_sources = 0\n", "min_sources must be a whole number"),
        ("claims = 3\n", "[claims] must be a table"),
    ],
)
def test_a_bad_claims_setting_is_one_problem_and_the_default_stands(section: str, problem: str) -> None:
    write(config_path(), section)
    config = load_config()
    assert len(config.problems) == 1 and problem in config.problems[0]
    assert (config.claim_threshold, config.min_sources) == (None, 2)


def test_a_bogus_key_name_is_one_problem_and_the_good_bindings_stand() -> None:
    write(config_path(), '[keys]\nnext_sentence = "j,ctrl+nope"\nsearch = "ctrl+f,slash"\nhelp = "question_mark,f1"\n')
    config = load_config()
    assert config.keys == {"search": "ctrl+f,slash", "help": "question_mark,f1"}
    [problem] = config.problems
    assert "[keys] next_sentence: 'ctrl+nope' is not a key name" in problem


def test_hostile_toml_and_a_fifo_config_are_one_problem_each() -> None:
    import os

    write(config_path(), "a = " + "[" * 3000 + "]" * 3000 + "\n")
    [problem] = load_config().problems
    assert "nested too deeply" in problem
    config_path().unlink()
    os.mkfifo(config_path())
    [problem] = load_config().problems  # returns at once: a FIFO is never opened for a blocking read
    assert "not a regular file (a FIFO)" in problem


def test_a_bad_key_value_is_reported_and_the_good_remaps_still_apply(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nnext_sentence = "x"\nsearch = 3\nprevious_sentence = "no such key!"\n', encoding="utf-8")
    config = load_config(path)
    assert config.keys == {"next_sentence": "x"}
    assert any("search must be a string" in p for p in config.problems)
    assert any("previous_sentence" in p for p in config.problems)


def test_the_export_folder_comes_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[export]\ndir = "~/briefings"\n', encoding="utf-8")
    assert load_config(path).export_dir == Path("~/briefings").expanduser()
    path.write_text('[export]\ndir = 7\n', encoding="utf-8")
    config = load_config(path)
    assert config.export_dir is None and any("[export] dir" in p for p in config.problems)


# Hostile files beside the config: themes and the app state ---------------------------------------


def unblock_after(fifo: Path, seconds: float) -> None:
    """If something still waits on `fifo` after `seconds` (the bug: open() of a FIFO blocks
    until a writer comes), be that writer, so the test fails instead of hanging for ever."""
    import os
    import threading
    import time

    def writer() -> None:
        time.sleep(seconds)
        for _ in range(200):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # the reader then reads end-of-file
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=writer, daemon=True).start()


def hostile_config_folder() -> list[Path]:
    """themes/ with a good theme beside a deep one, a FIFO, a device link, a folder and
    non-UTF-8 bytes; state.json nested 100,000 deep. Returns the FIFOs."""
    import os

    themes = config_path().parent / "themes"
    write(themes / "mine.toml", 'name = "mine"\nprimary = "#ff0000"\n')
    write(themes / "deep.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n")
    os.mkfifo(themes / "pipe.toml")
    (themes / "zero.toml").symlink_to("/dev/zero")
    (themes / "folder.toml").mkdir()
    (themes / "latin1.toml").write_bytes('name = "café"\nprimary = "#ff0000"\n'.encode("latin-1"))
    write(state_path(), "[" * 100_000 + "]" * 100_000)
    return [themes / "pipe.toml"]


def test_hostile_theme_files_and_state_are_one_problem_each_and_the_good_theme_loads() -> None:
    import time

    from accord.tui.themes import load_themes

    for fifo in hostile_config_folder():
        unblock_after(fifo, 60)
    started = time.monotonic()
    themes, problems = load_themes()
    assert time.monotonic() - started < 30  # never waits on the FIFO
    assert "mine" in {theme.name for theme in themes}
    assert len(problems) == 6, problems
    by_file = {name: [p for p in problems if name in p] for name in
               ("deep.toml", "pipe.toml", "zero.toml", "folder.toml", "latin1.toml", "state.json")}
    assert all(len(found) == 1 for found in by_file.values()), by_file
    assert "nested too deeply" in by_file["deep.toml"][0] and "nested too deeply" in by_file["state.json"][0]
    assert "not a regular file (a FIFO)" in by_file["pipe.toml"][0]
    assert "not a regular file (a device)" in by_file["zero.toml"][0]
    assert all("\n" not in problem for problem in problems)


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, "{{{", "\xff junk", "FIFO"],
                         ids=["nested 100,000 deep", "junk", "not UTF-8", "FIFO"])
def test_a_hostile_state_file_is_one_problem_and_is_replaced_on_the_next_save(content: str) -> None:
    import os

    from accord.index.config import state_problem

    if content == "FIFO":
        state_path().parent.mkdir(parents=True)
        os.mkfifo(state_path())
        unblock_after(state_path(), 60)
    else:
        write(state_path(), content)
    assert load_state() == {}
    problem = state_problem()
    assert problem and "state.json" in problem and "\n" not in problem
    save_state(theme="accord-light")
    assert load_state() == {"theme": "accord-light"} and state_problem() is None


def test_commands_carry_on_beside_hostile_theme_and_state_files(seeds_dir: Path) -> None:
    for fifo in hostile_config_folder():
        unblock_after(fifo, 60)
    result = subprocess.run([sys.executable, "-m", "accord", "search", "Mitsubishi", "--limit", "1"],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "Mitsubishi" in result.stdout


async def test_the_reader_starts_beside_hostile_theme_and_state_files(seeds_dir: Path, tmp_path: Path) -> None:
    from tui_helpers import make_app, panes, until

    for fifo in hostile_config_folder():
        unblock_after(fifo, 60)
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(panes(app)) and panes(app)[0].view.article is not None, "an article shown",
                    timeout=90)
        assert app.theme == "accord-dark" and "mine" in app.available_themes
        messages = [n.message for n in app._notifications if n.title == "Config"]
        for name in ("deep.toml", "pipe.toml", "zero.toml", "folder.toml", "latin1.toml", "state.json"):
            assert sum(name in message for message in messages) == 1, (name, messages)
        app.theme = "mine"  # the state is written again, whole
        await pilot.pause()
    assert load_state() == {"theme": "mine"}
