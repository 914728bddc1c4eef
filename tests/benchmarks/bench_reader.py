"""Reader benchmark, measured the way a person sees it: each app runs in a real
pseudo-terminal, and a figure is the time until the text appears in what the
app writes to that terminal.

    .venv/bin/python tests/benchmarks/bench_reader.py            # needs bench_engine.py's 10k workspace
    .venv/bin/python tests/benchmarks/bench_reader.py --quick    # seeds only, no 10k figures

Figures, each the median (first paint) or p50/p95 (keys) of several runs:
- first paint: from launching the process to the first article's text on
  screen, for Accord on the seeds (warm workspace) against a bare Textual app
  that paints one label (target <= 1.5x);
- the same with a 10k-article workspace (target <= 2x);
- keystrokes with 10k articles indexed: key to echo painted in the search box,
  and key to results painted, while the shared claims are being found (worker
  processes busy) and after; the reader's memory (RSS, and its peak) after 100
  searches.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import DEFAULT_WORK  # noqa: E402
from corpus import generate  # noqa: E402

from accord.index.ingest import bundled_seeds, discover  # noqa: E402
from accord.index.library import Library  # noqa: E402
from accord.index.workspace import Workspace  # noqa: E402

TARGETS = {"seeds_ratio": 1.5, "big_ratio": 2.0, "keys_p95_ms": 100.0, "memory_mib": 400.0}
MEMORY_SEARCHES = 100
COLUMNS, ROWS = 120, 40
RUNS = 7
BARE_APP = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("bare-app-painted")

Bare().run()
"""
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]")


class Terminal:
    """A process on a pseudo-terminal of COLUMNS x ROWS; what it writes is kept as plain text."""

    def __init__(self, argv: list[str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: pip compiles every module once
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.text = ""

    def wait_for(self, marker: str, since: int = 0, timeout: float = 60.0) -> tuple[float, int]:
        """Seconds (perf_counter) when `marker` first appears after text offset `since`, and its end offset."""
        deadline = time.perf_counter() + timeout
        while True:
            found = self.text.find(marker, since)
            if found >= 0:
                return self._seen_at, found + len(marker)
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} never appeared; screen text ends: {self.text[-300:]!r}")
            self._read(deadline - time.perf_counter())

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], max(0.0, min(timeout, 0.05)))
        if ready:
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                raise RuntimeError(f"the app exited; it wrote: {self.text[-500:]!r}") from None
            self._seen_at = time.perf_counter()
            self.text += _CONTROL.sub("", chunk.decode("utf-8", "replace"))

    def drain(self, quiet: float = 0.3) -> None:
        """Read until the app has written nothing for `quiet` seconds."""
        while True:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return
            self._read(0)

    def send(self, keys: str) -> float:
        os.write(self.master, keys.encode())
        return time.perf_counter()

    def close(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        os.close(self.master)


def first_paint(argv: list[str], marker: str) -> float:
    terminal = Terminal(argv)
    try:
        seen, _ = terminal.wait_for(marker)
        return seen - terminal.started
    finally:
        terminal.close()


def median_first_paints(runs: dict[str, tuple[list[str], str]]) -> dict[str, float]:
    """Median first paint of each (argv, marker), after a warm-up launch, with the
    launches interleaved so a busy moment on the machine hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_number in range(RUNS + 1):
        for name, (argv, marker) in runs.items():
            seconds = first_paint(argv, marker)
            if round_number:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def accord(workspace: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "accord", "--workspace", str(workspace), str(folder)]


def first_article_word(workspace: Path, folder: Path) -> str:
    """A word from the first sentence of the article the reader shows first, and
    not in its title (titles are also in the article list, painted earlier)."""
    with Library(Workspace(workspace)) as library:
        library.sync([folder])
        ids = library.article_ids([str(f) for f in discover([folder])])
        article = library.article(ids[0])
    title = article.title.lower()
    first = article.sentence_text(0) if article.sentences else article.text
    return next(w for w in re.findall(r"[A-Za-z]{6,}", first) if w.lower() not in title)


CLAIMS_DONE = "single-source"  # the status line's claims summary: "11 claims, 18 single-source, ..."


def keystrokes(workspace: Path, folder: Path, words: list[str]) -> dict:
    """Type each word into the search box as a fast typist would; time the last key's
    echo and results, first while the claims are being found, then after; then keep
    searching up to MEMORY_SEARCHES and read the reader's memory."""
    terminal = Terminal(accord(workspace, folder))
    figures: dict = {}
    try:
        terminal.wait_for("unchanged", timeout=120)  # the re-sync has finished
        terminal.wait_for("finding shared claims", timeout=60)
        terminal.send("/")
        terminal.drain(0.1)
        figures["during"] = _type_words(terminal, words)
        figures["claims_still_running"] = CLAIMS_DONE not in terminal.text
        terminal.wait_for(CLAIMS_DONE, timeout=600)
        terminal.drain()
        figures["after"] = _type_words(terminal, words)
        figures["rss_before_more_mib"] = _memory(terminal.process.pid)
        searched = 2 * len(words)
        more = [w + suffix for suffix in ("", "s", "~") for w in words]
        _type_words(terminal, more[: max(0, MEMORY_SEARCHES - searched)])
        figures["searches"] = max(searched, MEMORY_SEARCHES)
        figures["rss_mib"], figures["peak_mib"] = _memory(terminal.process.pid), _memory(terminal.process.pid, "VmHWM")
    finally:
        terminal.close()
    return figures


def _type_words(terminal: Terminal, words: list[str]) -> dict[str, list[float]]:
    echo: list[float] = []
    results: list[float] = []
    for word in words:
        for char in word[:-1]:
            terminal.send(char)
            time.sleep(0.03)
        mark = len(terminal.text)
        pressed = terminal.send(word[-1])
        echoed, _ = terminal.wait_for(word, since=mark)
        painted, _ = terminal.wait_for(" match", since=mark)
        echo.append(echoed - pressed)
        results.append(painted - pressed)
        terminal.drain(0.2)
        terminal.send("\x15")  # Ctrl+U clears the search box
        terminal.drain(0.2)
    return {"echo": echo, "results": results}


def _memory(pid: int, field: str = "VmRSS") -> float:
    """The process's resident memory (VmRSS) or its peak (VmHWM), MiB."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def verdict(ok: bool, target: str) -> str:
    return f"[{'ok' if ok else 'MISSED'}: target {target}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="seeds only")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where bench_engine.py keeps its corpora")
    args = parser.parse_args()
    print(f"accord reader benchmark · {COLUMNS}x{ROWS} pseudo-terminal · median of {RUNS} launches after a warm-up")

    runs = {"bare": ([sys.executable, "-c", BARE_APP], "bare-app-painted")}
    seeds_workspace = Path(tempfile.mkdtemp(prefix="accord-bench-seeds-"))
    runs["seeds"] = (accord(seeds_workspace, bundled_seeds()), first_article_word(seeds_workspace, bundled_seeds()))
    big_workspace, big_corpus = args.work / "workspace-10000", args.work / "corpus-10000"
    corpus = None
    if not args.quick:
        if not big_workspace.exists():
            print(f"no 10k workspace in {args.work}: run bench_engine.py first")
            return 1
        corpus = generate(big_corpus, 10_000)
        runs["big"] = (accord(big_workspace, big_corpus), first_article_word(big_workspace, big_corpus))
    try:
        paints = median_first_paints(runs)
    finally:
        shutil.rmtree(seeds_workspace)
    bare = paints["bare"]
    print(f"bare Textual app, first paint:      {bare * 1000:7.0f} ms")
    ratio = paints["seeds"] / bare
    print(f"accord on the seeds, first article: {paints['seeds'] * 1000:7.0f} ms  {ratio:.2f}x  "
          f"{verdict(ratio <= TARGETS['seeds_ratio'], '<= 1.5x')}")
    if corpus is None:
        return 0
    ratio = paints["big"] / bare
    print(f"accord on 10k articles, first one:  {paints['big'] * 1000:7.0f} ms  {ratio:.2f}x  "
          f"{verdict(ratio <= TARGETS['big_ratio'], '<= 2x')}")

    words = [corpus.lexicon[rank] for rank in range(20, 2020, 67)]
    keys = keystrokes(big_workspace, big_corpus, words)
    for phase, title in (("during", "while claims are found"), ("after", "after the claims")):
        for kind, label in (("echo", "key to echo painted"), ("results", "key to results painted")):
            values = [v * 1000 for v in keys[phase][kind]]
            p95 = percentile(values, 0.95)
            target = verdict(p95 <= TARGETS["keys_p95_ms"], "p95 <= 100 ms") if kind == "results" else ""
            print(f"{label + ', ' + title + ':':<52}p50 {percentile(values, 0.5):6.1f} ms  p95 {p95:6.1f} ms  "
                  f"({len(values)} queries)  {target}")
    if not keys["claims_still_running"]:
        print("  (the claims were found before the last of those keystrokes: 'while' is partly 'after')")
    print("  (every keystroke searches at once; a newer keystroke makes the older search stale)")
    print(f"reader memory after {keys['searches']} searches:       RSS {keys['rss_mib']:.0f} MiB "
          f"(after {2 * len(words)}: {keys['rss_before_more_mib']:.0f} MiB), peak {keys['peak_mib']:.0f} MiB  "
          f"{verdict(keys['peak_mib'] <= TARGETS['memory_mib'], 'peak <= 400 MB')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
