"""Interpreter settings that keep the reader's UI thread answering keys, and its first
frame quick.

Measured with 10k articles (tests/benchmarks/bench_reader.py, and gc callbacks):

- **The cycle collector.** The reader holds about a million long-lived objects once
  10k articles' claims are in, and a full collection walks them all: 180-490 ms in
  which no key is echoed, 54 times in 90 s of typing. After each big arrival (the
  catalog's articles, a claims report) `settle_heap` moves what is alive out of the
  collector's sight (`gc.freeze`); those objects are still freed by reference counting
  when replaced (a report holds no reference cycles), and later collections walk only
  what came after (about 10 ms).
- **The GIL's switch interval.** A search or a claims report being merged runs in a
  thread; each time the UI thread gives up the GIL (to read a key, to write the screen)
  it waited up to the default 5 ms to get it back, several times per key. 1 ms lets it
  back sooner; the threads' own work is a little slower, and nobody waits on it.
- **The collector at start-up.** Importing Textual and Accord and building the first
  screen allocates some hundred thousand objects that live as long as the process; the
  collector walked them all during the first frame (a full collection of ~14 ms, and a
  dozen younger ones of ~1 ms: ~25 ms of the seeds' ~270 ms first paint). The command
  pauses it before importing anything (`pause_collector`, tui/start.py); the reader
  resumes it once the first frame is painted, the start-up objects frozen out of its
  sight, and every other command at once.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.001
_paused = False  # the collector is paused for start-up (and nobody else disabled it)


def favour_ui_thread() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def pause_collector() -> None:
    """Pause the cycle collector for start-up (see above); `resume_collector` undoes it."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Resume the collector `pause_collector` paused, with what start-up made frozen out of
    its sight (it lives as long as the process). Nothing if it was not paused here."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def settle_heap() -> None:
    """Call on the UI thread once a large, long-lived structure is in place."""
    gc.freeze()
