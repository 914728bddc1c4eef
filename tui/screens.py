"""The key help screen."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .keys import key


@dataclass(frozen=True, slots=True)
class KeyHelp:
    group: str
    id: str
    keys: str
    description: str


class HelpScreen(ModalScreen[None]):
    """Every binding: what it does, its keys, and the id to remap it in the config."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help", id="close_help")]

    def __init__(self, rows: list[KeyHelp], config_path: str) -> None:
        super().__init__()
        self.rows = rows
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, padding=(0, 2), show_edge=False)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("does")
        table.add_column("binding id", style="dim", no_wrap=True)
        group = None
        for row in self.rows:
            if row.group != group:
                if group is not None:
                    table.add_row("", "", "")
                table.add_row(Text(row.group, style="underline"), "", "")
                group = row.group
            table.add_row(Text(row.keys), Text(row.description), Text(row.id))
        with Vertical(id="help-dialog"):
            yield Static(Text("Keys", style="bold"), id="help-heading")
            with VerticalScroll(id="help-body"):
                yield Static(table)
            palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
            yield Static(
                Text(f"Remap any key under [keys] in {self.config_path}, e.g. next_sentence = \"j,down\". "
                     f"{palette} opens the command palette. {key(self.app, 'close_help')} closes."),
                id="help-footer",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
