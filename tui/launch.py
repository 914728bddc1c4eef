"""Starts the reader after checking the paths, so bad input fails before the screen changes."""

from __future__ import annotations

from pathlib import Path

from accord.index.config import Config
from accord.index.errors import InputNotFound
from accord.index.workspace import Workspace


def run_reader(workspace: Workspace, paths: list[str], config: Config) -> int:
    for path in paths:
        if not Path(path).expanduser().exists():
            raise InputNotFound(f"no such file or folder: {path}")
    from .app import AccordApp  # Textual loads only when the reader starts

    AccordApp(workspace, [str(Path(p).expanduser()) for p in paths], config).run()
    return 0
