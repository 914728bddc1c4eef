"""Opening other files or folders: a path field with completion over a directory tree.

Several paths go in one field, separated by spaces; a path holding spaces is quoted
("~/my news") or its spaces escaped, as in a shell. Enter on a tree entry adds it to
the field; Enter in the field opens everything in it, or says which path is missing.
"""

from __future__ import annotations

import asyncio
import os
import shlex
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Static

from .layout import printable

COMPLETIONS_LISTED = 2000  # entries of one folder looked at when completing


def split_paths(text: str) -> list[str]:
    """The field's paths, shell-style; ValueError for an unclosed quote."""
    return [str(Path(p).expanduser()) for p in shlex.split(text)]


def quote_path(path: str) -> str:
    return shlex.quote(path) if any(c.isspace() or c in "'\"\\" for c in path) else path


class PathSuggester(Suggester):
    """Completes the last path in the field from what is on disk (folders get a `/`)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        try:
            words = shlex.split(value)
        except ValueError:
            return None  # inside an open quote
        if not words or value.endswith(" "):
            return None
        last = words[-1]
        completion = await asyncio.to_thread(_complete, last)  # off the UI thread: a folder may be slow
        if completion is None:
            return None
        return value[: len(value) - len(_typed_form(value, last))] + quote_path(completion)


def _typed_form(value: str, last: str) -> str:
    """How the last path was typed (quoted or escaped), to be replaced by its completion."""
    for candidate in (quote_path(last), last, f'"{last}"', last.replace(" ", "\\ ")):
        if value.endswith(candidate):
            return candidate
    return last


def _complete(typed: str) -> str | None:
    expanded = Path(typed).expanduser()
    folder, stem = (expanded, "") if typed.endswith(os.sep) else (expanded.parent, expanded.name)
    try:
        with os.scandir(folder) as entries:
            names = []
            for number, entry in enumerate(entries):
                if number >= COMPLETIONS_LISTED:
                    break
                if entry.name.startswith(stem) and not entry.name.startswith("."):
                    names.append(entry.name + (os.sep if entry.is_dir() else ""))
    except OSError:
        return None
    if not names:
        return None
    common = os.path.commonprefix(sorted(names))
    if len(common) <= len(stem):
        return None
    return typed[: len(typed) - len(stem)] + common


class OpenScreen(ModalScreen[list[str] | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_open"),
        Binding("tab", "switch", "Between the field and the tree", id="open_switch", show=False),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.home()

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield Static(Text("Open files or folders: several separated by spaces, \"quote\" one with spaces. "
                              "→ completes, Tab moves to the tree (Enter there adds), Enter opens, Esc cancels"),
                         id="open-help")
            yield Input(placeholder="~/news/patriot \"~/news/my folder\"", id="open-input", suggester=PathSuggester())
            yield Static(id="open-error")
            yield DirectoryTree(self.start, id="open-tree")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def field(self) -> Input:
        return self.query_one(Input)

    def action_switch(self) -> None:
        tree = self.query_one(DirectoryTree)
        (self.field if tree.has_focus else tree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._add(event.path)

    def on_directory_tree_directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self._add(event.path)

    def _add(self, path: Path) -> None:
        field = self.field
        text = field.value.rstrip()
        field.value = f"{text} {quote_path(str(path))}".lstrip()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            paths = split_paths(event.value)
        except ValueError:
            self._error("A quote is not closed")
            return
        if not paths:
            self.dismiss(None)
            return
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            self._error(f"No such file or folder: {missing[0]}")
            return
        self.dismiss(paths)

    def _error(self, message: str) -> None:
        self.query_one("#open-error", Static).update(Text(printable(message), style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)
