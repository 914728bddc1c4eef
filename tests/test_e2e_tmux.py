"""End to end in a real terminal: tmux runs the installed `accord` command and we
type at it like a person, reading the screen back with capture-pane."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import write

pytestmark = pytest.mark.tmux

ACCORD = [sys.executable, "-m", "accord"]
# A private tmux server with no user configuration, so the tests neither see nor touch
# the person's own sessions and always get tmux's defaults.
TMUX = ["tmux", "-L", f"accord-tests-{os.getpid()}", "-f", "/dev/null"]


GUTTER_MARKS = {"┃", "╎", "!"}  # the claim-support gutter; "│" is also a pane border


def words(screen: str) -> str:
    return " ".join(w for w in screen.replace("│", " ").split() if w not in GUTTER_MARKS)


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run([*TMUX, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*TMUX, "capture-pane", "-p", "-t", self.name], check=True, capture_output=True, text=True
        ).stdout

    def text(self) -> str:
        """The screen's words in reading order for one pane: borders dropped, wraps joined."""
        return words(self.screen())

    def pane_title(self) -> str:
        return subprocess.run(
            [*TMUX, "display-message", "-p", "-t", self.name, "#{pane_title}"], capture_output=True, text=True
        ).stdout.strip()

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        """Wait until `condition` holds for the screen's words (wraps joined, so the test does
        not depend on the terminal size tmux ends up with); returns those words."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if condition(words(screen)):
                return words(screen)
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def terminal(isolated_home: Path) -> Iterator[Callable[..., Terminal]]:
    names: list[str] = []

    def start(*args: str, size: tuple[int, int] = (130, 40)) -> Terminal:
        name = f"accord-e2e-{uuid.uuid4().hex[:8]}"
        columns, rows = (str(n) for n in size)
        names.append(name)
        env = {k: os.environ[k] for k in ("ACCORD_HOME", "ACCORD_CONFIG_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # Without COLUMNS and LINES: Python's terminal size honours them over the real window's.
        command = f"env -u COLUMNS -u LINES {exports} TERM=xterm-256color {shlex.join([*ACCORD, *args])}; echo ACCORD-EXIT=$?; sleep 30"
        for attempt in range(3):  # the private server exits with its last session; a new one may race it
            started = subprocess.run([*TMUX, "new-session", "-d", "-s", name, "-x", columns, "-y", rows, command],
                                     capture_output=True, text=True)
            if started.returncode == 0:
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"tmux could not start a session: {started.stderr.strip()}")
        # Some tmux builds start detached sessions at 80x24 whatever -x/-y say; insist.
        subprocess.run([*TMUX, "resize-window", "-t", name, "-x", columns, "-y", rows], capture_output=True)
        return Terminal(name)

    yield start
    for name in names:
        subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)


def test_search_and_jump_in_a_real_terminal(terminal) -> None:
    term = terminal()
    term.wait_for(lambda s: "articles" in s and "Japan plans to export" in s, "the reader on the seeds")
    term.keys("/")
    term.wait_for(lambda s: "outlet:UNN" in s, "the search bar")
    term.keys("Mitsubishi", literal=True)
    term.keys("Enter")  # at once: Enter must wait for this query's results, not jump on a stale one
    screen = term.wait_for(lambda s: "search 'Mitsubishi': 1/" in s and "Mitsubishi Heavy" in s, "the jump")
    # The best hit (as `accord search Mitsubishi` ranks it) is in "Japan Set to Export...", whose
    # pane now shows the matching sentence, scrolled into view.
    assert "Japan Set to Export “Patriot” to U.S." in screen
    assert "Mitsubishi Heavy Industries manufactures" in screen
    term.keys("q")
    term.wait_for(lambda s: "ACCORD-EXIT=0" in s, "a clean exit")


def test_markup_and_escapes_show_literally(terminal, tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    write(
        folder / "evil.txt",
        "Evil [bold red]headline[/]\n\n"
        "Body with [bold red]markup[/] and [link=https://evil.example]a link[/link]. "
        "Escapes \x1b[31mred\x1b[0m and \x1b]0;pwned\x07 here, a NUL\x00 and \u202ereversed\u202c text.\n",
    )
    term = terminal(str(folder))
    screen = term.wait_for(lambda s: "Body with" in s, "the article")
    assert "Evil [bold red]headline[/]" in screen
    assert "[bold red]markup[/] and [link=https://evil.example]a link[/link]." in term.text()
    assert "pwned" not in term.pane_title()
    assert "reversed text" in term.text()  # the bidi override was removed, not obeyed
    term.keys("q")
    term.wait_for(lambda s: "ACCORD-EXIT=0" in s, "a clean exit")


def test_missing_path_is_one_line_error_in_the_terminal(terminal) -> None:
    term = terminal("/no/such/folder")
    screen = term.wait_for(lambda s: "ACCORD-EXIT=" in s, "the command to end")
    assert "accord: error: no such file or folder: /no/such/folder" in screen
    assert "ACCORD-EXIT=2" in screen and "Traceback" not in screen


def test_shared_claims_panel_and_grid_in_a_real_terminal(terminal) -> None:
    term = terminal()
    term.wait_for(lambda s: "claims," in s and "single-source" in s and "every outlet" in s, "claims and the legend")
    screen = term.screen()
    assert any(line.lstrip("│ ").startswith(("┃", "╎")) for line in screen.splitlines())  # gutter marks are drawn
    term.keys("c")
    term.wait_for(lambda s: "Claims" in s and "c1" in s and "independent" in s, "the claims panel")
    term.wait_for(lambda s: "Close claims" in s and "outlets," in s, "the highlighted claim's wordings")
    term.keys("c")  # c toggles the panel (Esc closes it too, but ESC then m at once reads as alt+m)
    term.wait_for(lambda s: "Close claims" not in s and "independent" not in s, "the panel to close")
    term.keys("m")
    screen = term.wait_for(lambda s: "claims ×" in s and "outlets" in s and "c1" in s, "the claim grid")
    assert "●" in screen
    term.keys("Escape")
    term.wait_for(lambda s: "claims ×" not in s, "the grid to close")
    term.keys("q")
    term.wait_for(lambda s: "ACCORD-EXIT=0" in s, "a clean exit")


def test_annotate_and_export_a_briefing_in_a_real_terminal(terminal, tmp_path: Path) -> None:
    term = terminal()
    term.wait_for(lambda s: "claims," in s and "Japan plans to export" in s, "the reader with its claims")
    term.keys("j", "t")
    term.wait_for(lambda s: "Tags for" in s, "the tag editor")
    time.sleep(0.3)  # as a person would: a dialog takes the focus just after it is drawn
    term.keys("policy", literal=True)
    term.keys("Enter")
    term.wait_for(lambda s: "Annotation saved" in s, "the tag saved")
    term.keys("a")
    term.wait_for(lambda s: "Note on" in s and "^s saves" in s, "the note editor")
    time.sleep(0.3)
    term.keys("Seen in a real terminal", literal=True)
    term.keys("C-s")
    term.wait_for(lambda s: "Saved (u undoes)" in s, "the note saved")
    term.keys("e")
    term.wait_for(lambda s: "Briefing preview: 1 findings" in s and "policy" in s, "the preview")
    term.keys("s")
    term.wait_for(lambda s: "Save the briefing as" in s and "briefing-" in s, "the file name prompt")
    time.sleep(0.3)
    target = tmp_path / "briefing.md"
    term.keys("C-u")  # clear the suggested name
    term.keys(str(target), literal=True)
    term.keys("Enter")
    term.wait_for(lambda s: target.exists(), "the briefing file")
    text = target.read_text(encoding="utf-8")
    assert "## policy" in text and "**Note:** Seen in a real terminal" in text and "[^1]: " in text
    term.keys("Escape")
    term.wait_for(lambda s: "Briefing preview" not in s, "the preview to close")
    term.keys("q")
    term.wait_for(lambda s: "ACCORD-EXIT=0" in s, "a clean exit")


def landing(screen_words: str) -> tuple[str, str, bool] | None:
    """Where the last d landed, as the status line says (in full, or shortened on a narrow
    line without the sentence): (sentence, article, wrapped round)."""
    found = re.search(r"conflicting(?: sentence (\d+) of|:) article (\d+)/5(, wrapped)?", screen_words)
    return (found.group(1), found.group(2), bool(found.group(3))) if found else None


def pane_count(screen: str) -> int:
    """Boxes side by side on the top line: the panes, plus any open side panel."""
    return screen.splitlines()[0].count("╭")


@pytest.mark.parametrize("size, panes", [((120, 40), 2), ((200, 50), 4)], ids=["120x40", "200x50"])
def test_the_reader_where_analysts_work(terminal, size, panes) -> None:
    term = terminal(size=size)
    term.wait_for(lambda s: "claims," in s and "every outlet" in s, "the reader with its claims")
    screen = term.screen()
    if len(screen.splitlines()[0]) != size[0]:
        pytest.fail(f"tmux gave a {len(screen.splitlines()[0])}-column window, not {size[0]}:\n{screen}")
    assert pane_count(screen) == panes
    # The article list keeps the keyboard: G goes to its end, Enter shows that article.
    term.keys("b")
    term.wait_for(lambda s: "5 articles" in s and "undated · UNN" in s, "the article list")
    term.keys("G")
    time.sleep(0.3)
    term.keys("Enter")
    term.wait_for(lambda s: "Japan Set to Export “Patriot” to U.S." in s and "· 5/5" in s, "the last article shown")
    term.keys("b")
    term.wait_for(lambda s: pane_count(term.screen()) == panes, "the panes back when the list closes")
    # d walks the conflicting sentences across articles and round again: the name spelt two
    # ways, in two articles. Each jump says where it landed; only d moving from one article to
    # the other (and wrapping) gives these three lines, whatever was on screen before.
    landings: list[tuple[str, str, bool]] = []
    for n in range(3):
        term.keys("d")
        # the status line can be painted a frame before the pane it names: wait for both
        screen = term.wait_for(lambda s: (found := landing(s)) is not None and found != (landings[-1] if landings else None)
                               and f"· {found[1]}/5" in s, f"d #{n + 1} to land, its article's header on screen")
        landings.append(landing(screen))
        assert f"· {landings[-1][1]}/5" in screen  # that article's header is on screen...
        assert "Hajasi" in screen or "Hayashi" in screen  # ...with its spelling of the name
    (first_sentence, first, _), (_, second, wrapped_1), (again_sentence, again, wrapped_2) = landings
    assert first != second, landings  # from one article to the other
    assert again == first and again_sentence in (first_sentence, None), landings  # and round to the first
    assert wrapped_1 != wrapped_2, landings  # one of the two steps wrapped round the reading order
    # The claims panel leaves two panes.
    term.keys("c")
    screen = term.wait_for(lambda s: "Close claims" in s and "independent" in s, "the claims panel")
    assert pane_count(term.screen()) >= 3  # two panes and the panel
    term.keys("c")
    term.wait_for(lambda s: "Close claims" not in s, "the panel to close")
    # A search, its status within the width. (A query typed in one burst after / is checked
    # with queued key events in test_app.py: in a loaded terminal the burst's timing varies.)
    term.keys("/")
    term.wait_for(lambda s: "outlet:UNN" in s, "the search bar")
    term.keys("Michishita", literal=True)
    term.wait_for(lambda s: "search 'Michishita': 1 hit" in s, "the search")
    status = next(line for line in term.screen().splitlines() if line.startswith(" 5 articles"))
    assert len(status.rstrip()) <= size[0] and "…" not in status
    term.keys("Escape")
    time.sleep(0.3)
    term.keys("q")
    term.wait_for(lambda s: "ACCORD-EXIT=0" in s, "a clean exit")


def test_the_status_line_and_footer_fit_80_columns(terminal) -> None:
    term = terminal(size=(80, 24))
    term.wait_for(lambda s: "claims" in s and "Japan plans to export" in s, "the reader with its claims")
    screen = term.screen()
    if len(screen.splitlines()[0]) != 80:
        pytest.fail(f"tmux gave a {len(screen.splitlines()[0])}-column window, not 80:\n{screen}")
    term.keys("/")
    term.wait_for(lambda s: "outlet:UNN" in s, "the search bar")
    term.keys("japan patriot missiles export restrictions united", literal=True)
    term.wait_for(lambda s: "search 'japan" in s, "the search in the status line")
    lines = term.screen().splitlines()
    status = next(line for line in lines if line.startswith(" 5 articles"))
    assert len(status.rstrip()) <= 80 and re.search(r"search 'japan[^']*…': (\d+ hits?|\d+/\d+)", status), status
    assert lines[-1].rstrip().endswith("^p palette"), lines[-1]
    term.keys("Escape")
    term.wait_for(lambda s: "search 'japan" not in s, "the search cleared")
    footer = term.screen().splitlines()[-1]  # the reader's keys, each with its whole label
    assert re.fullmatch(r" (\S+ [A-Z][\w ]*?  )+ *▏\^p palette *", footer) and "? Help" in footer, footer
    term.keys("q")
    term.wait_for(lambda s: "ACCORD-EXIT=0" in s, "a clean exit")
