"""The `accord` command's entry point (and `python -m accord`'s): the cycle collector is
paused before anything is imported, so start-up's objects are not walked while the
reader paints its first frame (tui/runtime_tuning.py says why and when it resumes)."""

from __future__ import annotations

from . import runtime_tuning


def main() -> int:
    runtime_tuning.pause_collector()
    try:
        from .cli import main as run_command
    except BaseException:
        runtime_tuning.resume_collector()
        raise
    return run_command()
