"""Two interpreter settings that keep the reader's UI thread answering keys.

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
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.001


def favour_ui_thread() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def settle_heap() -> None:
    """Call on the UI thread once a large, long-lived structure is in place."""
    gc.freeze()
