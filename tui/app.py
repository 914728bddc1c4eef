"""The reader app: themes, the config's key remaps, the command palette and help.

What the analyst reads and does lives in `MainScreen` (main_screen.py) and the
widgets it holds; the engine state behind them is the `Desk`, shared by the
command line. Threading: the UI thread never touches the disk; workers call the
desk, which serialises what must be.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from accord.index.config import Config, load_config, load_state, save_state
from accord.index.desk import Desk, KnownArticles
from accord.index.workspace import Workspace, config_path

from . import runtime_tuning
from .article_view import ArticleView
from .early_read import EarlyRead, read_known
from .layout import shown_path
from .main_screen import MainScreen
from .themes import DEFAULT_THEME, load_themes, with_derived_variables

if TYPE_CHECKING:
    from .screens import KeyHelp


class AccordApp(App[None]):
    CSS_PATH = ["app.tcss"]  # the annotating dialogs read annotations.tcss when one first opens
    TITLE = "Accord"

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self, workspace: Workspace, paths: list[str], config: Config | None = None, *,
        desk: Desk | None = None, known: EarlyRead[KnownArticles] | None = None,
    ) -> None:
        """`desk` and `known` when the command has started reading the workspace already."""
        super().__init__()
        self.workspace = workspace
        self.paths = paths
        self.config = config or load_config()
        self._notified: dict[tuple[str, str], float] = {}  # (message, severity) -> when last shown
        self._startup_problems: list[tuple[str, str]] = [("Config", p) for p in self.config.problems]
        self._notices_lock = threading.Lock()  # engine notices before mount wait in _startup_problems
        self._mounted = False
        self.desk = desk if desk is not None else Desk(workspace, self.config)
        self.desk.on_notice = self._notice  # with what it said before the app existed
        # What the workspace knows of the paths, read while Textual starts: the first frame shows it.
        self._known = known if known is not None else read_known(self.desk, paths)
        themes, theme_problems = load_themes()
        self._startup_problems += [("Config", p) for p in theme_problems]
        for theme in themes:
            self.register_theme(theme)
        saved = load_state().get("theme")
        self._start_in_theme(saved if isinstance(saved, str) and saved in self.available_themes else DEFAULT_THEME)
        self._apply_keymap(self.config.keys)

    def _start_in_theme(self, name: str) -> None:
        """The theme of the first frame, set as Textual's own constructor sets its first
        theme: without `theme`'s watcher, which once the app runs parses every stylesheet a
        second time (~15 ms of the first paint). No stylesheet is parsed yet: the first
        parse reads the variables given here."""
        self.set_reactive(AccordApp.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.update_classes({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    @property
    def main(self) -> MainScreen:
        """The reader's screen (under any dialog on top of it)."""
        screen = self.screen_stack[0] if self.screen_stack else None
        assert isinstance(screen, MainScreen)
        return screen

    def get_default_screen(self) -> Screen:
        return MainScreen(self.desk, self.paths, self._known)

    def get_css_variables(self) -> dict[str, str]:
        self.theme_variables = with_derived_variables(super().get_css_variables())
        return self.theme_variables

    def _apply_keymap(self, keys: dict[str, str]) -> None:
        # Textual passes over ids no binding has; they are reported after the first frame,
        # as knowing every binding means importing every dialog.
        self.set_keymap(keys)

    def _report_unknown_bindings(self) -> None:
        unknown = sorted(set(self.config.keys) - {row.id for row in self.key_help()})
        if unknown:
            self.notify(f"config [keys]: unknown binding id {', '.join(unknown)}; press {self.bound_key('help')} "
                        "to see the ids", title="Config", severity="warning", markup=False, timeout=10)

    def on_mount(self) -> None:
        runtime_tuning.favour_ui_thread()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        with self._notices_lock:
            self._mounted = True
        for title, problem in self._startup_problems:
            self.notify(problem, title=title, severity="warning", markup=False, timeout=10)
        if self.config.keys:
            self.call_after_refresh(self._report_unknown_bindings)

    def on_unmount(self) -> None:
        self.desk.close()

    def _theme_changed(self, theme: object) -> None:
        save_state(theme=self.theme)
        self.main.refresh_themed()

    def _notice(self, message: str) -> None:
        """What the engine tells the analyst outside any error (an index rebuilt from the
        workspace's sources); it speaks from worker threads, and may before the app runs."""
        with self._notices_lock:
            if not self._mounted:
                self._startup_problems.append(("Index", message))
                return
        show = partial(self.notify, message, title="Index", severity="warning", markup=False, timeout=10)
        if threading.get_ident() == getattr(self, "_thread_id", None):
            show()
        else:
            self.call_from_thread(show)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """As Textual's, but a warning or error already on screen is not shown twice: several
        workers meeting one broken store each report it."""
        now = time.monotonic()
        key = (message, severity)
        if severity != "information" and now - self._notified.get(key, -1e9) < (timeout or self.NOTIFICATION_TIMEOUT):
            return
        self._notified[key] = now
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_help(self) -> None:
        from .screens import HelpScreen

        self.push_screen(HelpScreen(self.key_help(), shown_path(config_path())))

    def copy_to_clipboard(self, text: str) -> None:
        super().copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for name, help_text, callback in self.main.reader_actions():
            yield SystemCommand(name, help_text, callback)  # type: ignore[arg-type]
        yield SystemCommand("Help", "List every key and its binding id", self.action_help)

    @staticmethod
    def binding_groups() -> list[tuple[str, list[Binding]]]:
        """Every binding the reader has, by where it acts (the help screen's groups). The
        dialogs are imported here, not at start: the first frame needs none of them."""
        from .annotation_screens import AnnotationsScreen, NoteScreen, OrphansScreen, TagScreen
        from .article_list import ArticleList
        from .claim_screens import ClaimGridScreen, OthersScreen
        from .claims_panel import ClaimsPanel
        from .export_screen import ConfirmScreen, ExportScreen, SaveAsScreen
        from .open_screen import OpenScreen
        from .screens import HelpScreen
        from .search_panel import SearchPanel

        groups = [
            ("Reader", ArticleView.BINDINGS), ("Main", MainScreen.BINDINGS), ("App", AccordApp.BINDINGS),
            ("Article list", ArticleList.BINDINGS), ("Search bar", SearchPanel.BINDINGS),
            ("Claims panel", ClaimsPanel.BINDINGS), ("Claim grid", ClaimGridScreen.BINDINGS),
            ("What others say", OthersScreen.BINDINGS), ("Annotations panel", AnnotationsScreen.BINDINGS),
            ("Tag editor", TagScreen.BINDINGS), ("Note editor", NoteScreen.BINDINGS),
            ("Unanchored annotations", OrphansScreen.BINDINGS), ("Briefing preview", ExportScreen.BINDINGS),
            ("Save as", SaveAsScreen.BINDINGS), ("Confirm", ConfirmScreen.BINDINGS), ("Open", OpenScreen.BINDINGS), ("Help", HelpScreen.BINDINGS),
        ]
        return [(group, [b for b in bindings if isinstance(b, Binding)]) for group, bindings in groups]

    def key_help(self) -> list[KeyHelp]:
        """Every binding with its current keys (after the user's keymap)."""
        from .screens import KeyHelp

        keymap = getattr(self, "_keymap", {})
        rows = []
        for group, bindings in self.binding_groups():
            for binding in bindings:
                assert binding.id
                keys = keymap.get(binding.id, binding.key)
                rows.append(KeyHelp(group, binding.id, self.display_keys(keys), binding.description))
        return rows

    def display_keys(self, keys: str) -> str:
        """A binding's keys as the footer shows them (Textual's own key display)."""
        return ", ".join(self.get_key_display(Binding(key.strip(), "")) for key in keys.split(","))

    def bound_key(self, binding_id: str) -> str:
        """The first key of a binding now (after the user's [keys] remaps), as the footer
        shows it: what the reader's hints and notifications name."""
        keys = getattr(self, "_keymap", {}).get(binding_id)
        if keys is None:  # the reader's own bindings first: the dialogs' need importing
            first_frame = [*ArticleView.BINDINGS, *MainScreen.BINDINGS, *AccordApp.BINDINGS]
            keys = next((b.key for b in first_frame if isinstance(b, Binding) and b.id == binding_id), None)
        if keys is None:
            keys = next((b.key for _, bindings in self.binding_groups() for b in bindings if b.id == binding_id),
                        binding_id)
        return self.get_key_display(Binding(keys.split(",")[0].strip(), ""))
