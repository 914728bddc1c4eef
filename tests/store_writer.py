"""A separate process that keeps adding annotations to a store, for test_store_reliability.py.

    python store_writer.py STORE LABEL COUNT [--wait]

Adds COUNT annotations (0: until killed), each built from (LABEL, n) by `expected`,
and after each `add_annotation` returns prints "ID N" and flushes: that line is the
acknowledgement that the annotation is durable. With --wait it prints "ready" and
waits for a line on stdin before the first add, so two writers can start together.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from accord.index.anchoring import Anchor
from accord.index.store import Store


def expected(label: str, n: int) -> tuple[Anchor, tuple[str, ...], str]:
    """The anchor, tags and note of annotation number `n` of writer `label`."""
    quote = f"passage {n} of writer {label} with “quotes” and 'apostrophes'"
    anchor = Anchor(f"article-{label}", n * 10, n * 10 + len(quote), quote, f"before {n}", f"after {n}")
    tags = (f"writer-{label}", f"n{n % 7}", "shared")
    note = f"note {n} by {label}\nsecond line with **Markdown** and <b>html</b>"
    return anchor, tags, note


def main() -> None:
    path, label, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with Store(path) as store:
        if "--wait" in sys.argv:
            print("ready", flush=True)
            sys.stdin.readline()
        for n in range(count) if count else itertools.count():
            anchor, tags, note = expected(label, n)
            annotation = store.add_annotation(anchor, tags, note)
            print(f"{annotation.id} {n}", flush=True)


if __name__ == "__main__":
    main()
