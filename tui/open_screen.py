"""Opening other files or folders: a path field with completion over a directory tree.

Several paths go in one field, separated by spaces; a path holding spaces is quoted
("~/my news") or its spaces escaped (~/my\\ news), as in a shell. Enter on a tree entry adds it to
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

from .in_order_input import InOrderInput
from .keys import key
from .layout import printable, shown_path

COMPLETIONS_LISTED = 2000  # entries of one folder looked at when completing


def split_paths(text: str) -> list[str]:
    """The field's paths, shell-style (a quote still open at the end is closed);
    ValueError for a quote that cannot be closed."""
    try:
        words = shlex.split(text)
    except ValueError:
        quote = _open_quote(text)
        if quote is None:
            raise
        words = shlex.split(text + quote)
    return [str(Path(p).expanduser()) for p in words]


def quote_path(path: str) -> str:
    """A path as it goes in the field: in double quotes when it holds spaces or quotes."""
    if not any(c.isspace() or c in "'\"\\" for c in path):
        return path
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _open_quote(text: str) -> str | None:
    """The quote character left open at the end of `text`, if any."""
    quote, escaped = None, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
    return quote


def _last_word(text: str) -> tuple[str, str | None]:
    """The last path being typed, unescaped, and the quote it is inside (None: bare)."""
    quote = _open_quote(text)
    if quote is not None:
        raw = text[text.rindex(quote) + 1 :]
        return (raw.replace('\\"', '"').replace("\\\\", "\\") if quote == '"' else raw), quote
    try:
        words = shlex.split(text)
    except ValueError:
        return "", None
    return (words[-1] if words and not text[-1:].isspace() else ""), None


def _escape(tail: str, quote: str | None) -> str:
    """The completed part of a path, written to fit where the typist is (inside the quote, or bare)."""
    if quote == "'":
        return tail
    if quote == '"':
        return tail.replace("\\", "\\\\").replace('"', '\\"')
    return "".join("\\" + c if c.isspace() or c in "'\"\\" else c for c in tail)


class PathSuggester(Suggester):
    """Completes the last path in the field from what is on disk (folders get a `/`).
    The suggestion only adds to what was typed: inside a quote it goes on inside it, a bare
    path gets its spaces escaped."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        typed, quote = _last_word(value)
        if not typed:
            return None
        completion = await asyncio.to_thread(_complete, typed)  # off the UI thread: a folder may be slow
        if completion is None or not completion.startswith(typed):
            return None
        return value + _escape(completion[len(typed) :], quote)


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
    return typed + common[len(stem) :]


class VisibleTree(DirectoryTree):
    """A directory tree without hidden files, as Accord reads folders."""

    def filter_paths(self, paths):
        return [path for path in paths if not path.name.startswith(".")]

    def reset_node(self, node, label, data=None):
        if node is self.root and data is not None:  # the root names its folder's whole path, from ~
            label = printable(shown_path(data.path))
        return super().reset_node(node, label, data)


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
                              f"→ completes, {key(self.app, 'open_switch')} moves to the tree (Enter there adds), "
                              f"Enter opens, {key(self.app, 'cancel_open')} cancels"),
                         id="open-help")
            yield InOrderInput(placeholder="~/news/patriot \"~/news/my folder\"", id="open-input", suggester=PathSuggester())
            yield Static(id="open-error")
            yield VisibleTree(self.start, id="open-tree")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def field(self) -> Input:
        return self.query_one(Input)

    def action_switch(self) -> None:
        """To the tree (showing the folder of the path being typed) and back."""
        tree = self.query_one(VisibleTree)
        if tree.has_focus:
            self.field.focus()
            return
        typed, _ = _last_word(self.field.value)
        folder = Path(typed).expanduser() if typed else None
        while folder is not None and not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        if folder is not None and folder.is_dir() and folder != Path(tree.path):
            tree.path = folder
        tree.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#open-error", Static).update("")  # an old complaint no longer applies

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
