"""Starts the reader after checking the paths, so bad input fails before the screen changes."""

from __future__ import annotations

from pathlib import Path

from accord.index.config import Config
from accord.index.desk import Desk
from accord.index.errors import InputNotFound
from accord.index.workspace import Workspace

from .early_read import read_known


def run_reader(workspace: Workspace, paths: list[str], config: Config) -> int:
    for path in paths:
        if not Path(path).expanduser().exists():
            raise InputNotFound(f"no such file or folder: {path}")
    paths = [str(Path(p).expanduser()) for p in paths]
    # The workspace is read while Textual is imported (the catalog's queries run in SQLite,
    # off the interpreter lock; its whole-file check waits for the desk's next use): at 10k
    # articles the first frame waited for it.
    desk = Desk(workspace, config)
    known = read_known(desk, paths)
    from .app import AccordApp  # Textual loads only when the reader starts

    AccordApp(workspace, paths, config, desk=desk, known=known).run()
    return 0
