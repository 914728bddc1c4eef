"""`accord serve` in a real browser: the server runs as a subprocess on loopback, Debian's
Chromium (driven headless by Playwright, never a downloaded browser) opens the page, we type a
search at it as a person would, and read back what the page's terminal shows.

Reading the page: textual-serve's xterm.js draws the terminal on a <canvas>, so the page has no
text to select. An init script catches the xterm.js `Terminal` object as the page stores it
(`this.terminal = new Terminal(...)`) and we read the rows of its active buffer through xterm's
public API (`buffer.active.getLine(y).translateToString()`): the cells xterm.js paints from.
A screenshot of every run is saved in test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; .ci/run installs it
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Headless on a machine with no network: without the background-networking flags Chromium's own
# connections (updates, sync, QUIC probes) are refused and it stalls.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SERVER_START_SECONDS = 30.0
SERVER_STOP_SECONDS = 15.0
SCREEN_SECONDS = 45.0  # a fresh workspace indexes the seeds first; the machine may be busy

# Runs before the page's scripts. The first assignment of a `terminal` property that holds an
# xterm.js Terminal (it has `buffer.active.getLine`) is recorded in window.__xtermTerminals; the
# property is then defined on the object as a plain value, so the page works as before.
CATCH_TERMINAL = """
window.__xtermTerminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active && typeof value.buffer.active.getLine === "function") {
      window.__xtermTerminals.push(value);
    }
  },
});
"""
# The rows on screen, as xterm.js holds them for its renderer; null before the terminal exists.
READ_SCREEN = """() => {
  const terminal = window.__xtermTerminals[0];
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""

BORDERS = str.maketrans({c: " " for c in "│┃╎╭╮╰╯─▌▎▊"})


def words(screen: str) -> list[str]:
    return screen.translate(BORDERS).split()


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium, and CI must run this test")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); CI installs it and runs this test")


class Server:
    """`accord serve --port 0` in its own process group, its output collected by a thread."""

    def __init__(self, workspace: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord", "--workspace", str(workspace), "serve", "--port", "0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # its readers share the group, so stopping can check they all quit
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def url(self) -> str:
        """The URL the server prints once it listens (the port it was given by the system)."""
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith("Accord in the browser: "):
                return line.split()[4]
        raise AssertionError(f"accord serve printed no URL; its output:\n{''.join(self.output)}")

    def stop(self) -> int | None:
        """SIGTERM, then wait (bounded) for the server and every reader it started to end."""
        group = self.process.pid
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            code = None
        deadline = time.monotonic() + SERVER_STOP_SECONDS
        while living_in_group(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = living_in_group(group)
        if left:
            os.killpg(group, signal.SIGKILL)  # only our own process group
            raise AssertionError(f"processes left running after accord serve stopped: {left}")
        return code


def living_in_group(group: int) -> list[int]:
    """Processes (not zombies) in a process group, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry.name))
    return found


class BrowserScreen:
    """What the page's terminal shows, read as text."""

    def __init__(self, page) -> None:
        self.page = page

    def text(self) -> str:
        return self.page.evaluate(READ_SCREEN) or ""

    def wait_for(self, condition: Callable[[list[str]], bool], what: str, timeout: float = SCREEN_SECONDS) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if condition(words(screen)):
                return words(screen)
            if time.monotonic() > deadline:
                if not self.page.evaluate("window.__xtermTerminals.length"):
                    raise AssertionError(f"timed out waiting for {what}: the page made no xterm.js Terminal to read")
                raise AssertionError(f"timed out waiting for {what}; the page's terminal shows:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    require_chromium()
    running = Server(tmp_path / "workspace")
    try:
        yield running
    finally:
        started = time.monotonic()
        code = running.stop()
        output = "".join(running.output)
        print(f"accord serve stopped in {time.monotonic() - started:.1f} s; its output:\n{output}")
        assert code == 0 and "Traceback" not in output, f"accord serve ended with {code}; its output:\n{output}"


@pytest.fixture
def page():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, timeout=60_000, args=CHROMIUM_FLAGS,
        )  # in a fresh profile: Playwright gives each launch its own temporary user data dir
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            tab.add_init_script(CATCH_TERMINAL)
            # Loopback only: textual-serve's page also asks for a web font, which is refused here.
            tab.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                      else route.abort())
            yield tab
        finally:
            browser.close()


def save_screenshot(page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / name)


@pytest.mark.browser
def test_search_in_the_browser_shows_the_article_text(page, server: Server, tmp_path: Path) -> None:
    # `page` before `server`: the server is stopped while the tab is still open, as a person would.
    url = server.url()
    assert urlsplit(url).hostname == "127.0.0.1"  # loopback unless --host says otherwise
    page.goto(url, timeout=30_000)
    screen = BrowserScreen(page)
    try:
        shown = screen.wait_for(lambda s: "articles" in s and "surface-to-air" in s, "the reader on the seeds")
        assert "Narushige" not in shown  # in an article the panes do not show yet
        page.focus(".xterm-helper-textarea")  # where xterm.js takes the keyboard
        page.keyboard.press("/")
        screen.wait_for(lambda s: "outlet:UNN," in s, "the search bar")
        time.sleep(0.3)  # as a person would: the search box takes the focus just after it is drawn
        page.keyboard.type("Michishita", delay=20)
        # The hit's snippet: article text that nobody typed ("Michishita" alone is in the search box).
        screen.wait_for(lambda s: "Narushige" in s and "Michishita," in s, "the hit on Narushige Michishita")
        page.keyboard.press("Enter")
        # The jump: the search bar closes, the status counts the hit, a pane shows the passage.
        shown = screen.wait_for(lambda s: "search 'Michishita': 1/" in " ".join(s) and "Close search" not in " ".join(s),
                                "the jump to the hit")
        assert "Narushige" in shown and "Relaxes" in shown, " ".join(shown)
    finally:
        save_screenshot(page, tmp_path, "serve-browser.png")


def run_accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_serve_refuses_a_missing_path_before_listening() -> None:
    result = run_accord("serve", "--port", "0", "/no/such/folder")
    assert result.returncode == 2
    assert result.stderr == "accord: error: no such file or folder: /no/such/folder\n"
    assert "Accord in the browser" not in result.stdout


def test_serve_on_a_busy_port_is_one_error_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_accord("serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr == f"accord: error: cannot listen on http://127.0.0.1:{port}: address already in use\n"


def test_serve_checks_the_port_number() -> None:
    result = run_accord("serve", "--port", "65536")
    assert result.returncode == 2
    assert "argument --port: a port is 0 to 65535" in result.stderr and "Traceback" not in result.stderr
