"""Where the commands print: standard output as Rich consoles that behave in a pipe."""

from __future__ import annotations

import sys

from rich.console import Console


class _Output(Console):
    def on_broken_pipe(self) -> None:
        # Rich ends the process with status 1 when the reader goes away (`accord claims | head`);
        # the command's caller treats a closed pipe as a normal end (status 0), as for print().
        raise BrokenPipeError


def output_console() -> Console:
    """Standard output: wrapped to a terminal's width, or one record per line, unwrapped,
    into a pipe or a file (wrapped at 80 columns, `grep` and pasting into a report broke)."""
    return _Output(highlight=False, soft_wrap=not sys.stdout.isatty())
