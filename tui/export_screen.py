"""The briefing preview: the Markdown rendered as it will read, then saved under a
name the analyst chooses (never over an existing file without asking)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from accord.index.briefing import Briefing, with_plain_citations
from accord.index.desk import Desk
from accord.index.errors import AccordError

from .annotation_screens import DIALOG_CSS
from .in_order_input import InOrderInput
from .keys import key
from .layout import printable, shown_path


class ExportScreen(ModalScreen[None]):
    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("s,ctrl+s", "save", "Save the briefing", id="save_briefing"),
        Binding("escape,q", "close", "Close the preview", id="close_preview"),
    ]

    def __init__(self, briefing: Briefing, default_path: str) -> None:
        super().__init__()
        self.briefing, self.default_path = briefing, default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(Text(
                f"Briefing preview: {self.briefing.findings} findings, {self.briefing.orphans} unanchored · "
                f"{key(self.app, 'save_briefing')} saves in {printable(shown_path(Path(self.default_path).parent))} "
                f"(.md, or .html for a web page) · {key(self.app, 'close_preview')} closes"), id="export-heading")
            from textual.widgets import Markdown  # markdown-it: loaded when a preview is opened, not at start

            with VerticalScroll(id="export-body"):
                yield Markdown(with_plain_citations(self.briefing.markdown), id="export-markdown", open_links=False)

    def on_mount(self) -> None:
        self.query_one("#export-body").focus()

    def action_save(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self._save(path, overwrite=False)

        self.app.push_screen(SaveAsScreen(self.default_path), chosen)

    def ask_overwrite(self, path: str) -> None:
        """The file exists: save over it only if the analyst says so."""

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(path, overwrite=True)

        self.app.push_screen(ConfirmScreen(f"{path} exists. Replace it?"), answered)

    @work(thread=True, group="briefing-save")
    def _save(self, path: str, overwrite: bool) -> None:
        """Markdown, or the HTML page when the name ends in .html; never over a file unasked."""
        target = Path(path).expanduser()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)  # the export folder, on first use
            Desk.write_briefing(self.briefing, target, overwrite=overwrite)
        except FileExistsError:  # before OSError, of which it is one
            self.app.call_from_thread(self.ask_overwrite, path)
            return
        except OSError as error:
            self.app.call_from_thread(self.notify, f"cannot save to {target.parent}: {error.strerror or error}",
                                      title="Not saved", severity="error", markup=False, timeout=15)
            return
        except AccordError as error:
            self.app.call_from_thread(self.notify, str(error), title="Not saved", severity="error", markup=False,
                                      timeout=15)
            return
        self.app.call_from_thread(self.notify, f"Briefing saved to {target}", markup=False, timeout=6)

    def action_close(self) -> None:
        self.dismiss(None)


class SaveAsScreen(ModalScreen[str | None]):
    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_save")]

    def __init__(self, default_path: str) -> None:
        super().__init__()
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog", classes="annotation-dialog"):
            yield Static(Text(f"Save the briefing as (Enter saves, {key(self.app, 'cancel_save')} cancels)"),
                         classes="dialog-heading")
            yield InOrderInput(self.default_path, id="save-path")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="annotation-dialog"):
            yield Static(Text(self.question), classes="dialog-heading")
            with Horizontal(classes="dialog-hint"):
                yield Static(Text(f"{key(self.app, 'confirm_yes')} replaces it · {key(self.app, 'confirm_no')} keeps it"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
