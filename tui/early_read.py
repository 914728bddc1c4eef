"""A read started before the screen exists, so the first frame can show its result.

The reader starts reading what the workspace already knows while Textual starts up;
the screen's compose waits a moment for it. One frame with the articles in it is
faster than an empty frame, a worker and a second frame.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from accord.index.discovery import discover_files

if TYPE_CHECKING:
    from accord.index.desk import Desk, KnownArticles

T = TypeVar("T")
FIRST_SUMMARIES = 50  # article summaries read for the first frame (the list's first screenful and more)
FIRST_ARTICLES = 4  # articles read for it: as many panes as the deck shows at most (pane_deck.MAX_PANES)
DISCOVERY_BUDGET = 0.1  # seconds the paths' files may take to find before Textual's import (10k: 7 ms)


class EarlyRead(Generic[T]):
    """`read()` run in a thread of its own from construction."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._value: T | None = None
        self._thread = threading.Thread(target=self._run, name="accord-early-read", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._read()
        except Exception:  # noqa: BLE001 - the regular path reads again and reports what went wrong
            pass

    def result(self, timeout: float) -> T | None:
        """The value, or None if the read failed or is not done within `timeout` seconds."""
        self._thread.join(timeout)
        return None if self._thread.is_alive() else self._value


def read_known(desk: "Desk", paths: list[str]) -> EarlyRead["KnownArticles"]:
    """Start reading what the workspace knows of `paths` for the first frame. The command
    starts it before importing Textual, so the catalog's reads overlap the import.

    The paths' files are found first, on this thread: finding 10k files is Python work
    that gives up the interpreter lock at every directory entry, and beside the import it
    took ~150 ms where the two take ~135 ms one after the other (the catalog's reads, a few
    queries, overlap the import well). A tree that takes longer than DISCOVERY_BUDGET to
    walk (a home folder, a slow mount) is walked in the thread instead, as it was before,
    so the screen is never held up by it (compose waits for the read at most KNOWN_WAIT)."""
    try:
        files = discover_files(paths, deadline=time.monotonic() + DISCOVERY_BUDGET)
    except TimeoutError:
        return EarlyRead(partial(desk.known, paths, FIRST_SUMMARIES, FIRST_ARTICLES))
    except Exception:  # noqa: BLE001 - the regular path finds them again and reports what went wrong
        return EarlyRead(lambda: None)
    return EarlyRead(partial(desk.known, paths, FIRST_SUMMARIES, FIRST_ARTICLES, files=files))
