"""Indexing from the command line: `Desk.sync` with a progress bar on a terminal
and each skipped file as a warning line. Shared by every command that indexes."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from accord.index.desk import Desk
from accord.index.model import SyncReport
from accord.index.safe_text import printable_line

PROGRESS_FROM_FILES = 50  # smaller imports finish before a bar would be readable
Progress = Callable[[int, int, str], None]  # (files done, files total, current file), as Desk.sync calls it


def sync(desk: Desk, paths: list[str], err: Console, show_progress: bool = False, *,
         or_seeds: bool = False) -> SyncReport:
    """`Desk.sync` (with `or_seeds`, `Desk.sync_default`: the bundled seeds when no path is
    given) with a progress bar on a terminal and the skipped files as warnings."""
    report = _with_progress(err, show_progress,
                            lambda progress: (desk.sync_default if or_seeds else desk.sync)(paths, progress))
    assert report is not None
    return report


def ensure_articles(desk: Desk, err: Console) -> None:
    """`Desk.ensure_articles` (a workspace without articles gets the seeds), skipped files as warnings."""
    _with_progress(err, False, desk.ensure_articles)


def _with_progress(err: Console, show_progress: bool,
                   run: Callable[[Progress], SyncReport | None]) -> SyncReport | None:
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
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

        report = run(progress)
    for warning in report.warnings if report is not None else ():
        err.print(Text(f"accord: warning: {printable_line(warning)}"))
    return report
