"""Indexing from the command line: `Desk.sync` with a progress bar on a terminal
and each skipped file as a warning line. Shared by every command that indexes."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from accord.index.desk import Desk
from accord.index.library import SyncReport
from accord.index.safe_text import printable_line

PROGRESS_FROM_FILES = 50  # smaller imports finish before a bar would be readable


def sync(desk: Desk, paths: list[str], err: Console, show_progress: bool = False) -> SyncReport:
    """`Desk.sync` with a progress bar on a terminal and the skipped files as warnings."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not (show_progress and err.is_terminal),
    ) as bar:
        task = None

        def progress(done: int, total: int, _file: str) -> None:
            nonlocal task
            if total < PROGRESS_FROM_FILES:
                return
            if task is None:
                task = bar.add_task("indexing", total=total)
            bar.update(task, completed=done)

        report = desk.sync(paths, progress)
    for warning in report.warnings:
        err.print(Text(f"accord: warning: {printable_line(warning)}"))
    return report
