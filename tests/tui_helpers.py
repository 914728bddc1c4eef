"""Driving the real reader with Pilot: start it on a folder, wait for what a user would wait for."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from accord.index.config import Config, load_config
from accord.index.workspace import Workspace
from accord.tui.app import AccordApp
from accord.tui.article_pane import ArticlePane
from accord.tui.article_view import GUTTER


def make_app(paths: list[Path], workspace: Path, config: Config | None = None) -> AccordApp:
    return AccordApp(Workspace(workspace), [str(p) for p in paths], config or load_config())


async def until(pilot: Pilot, condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Let the app run until `condition` holds; fail naming `what` if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def panes(app: AccordApp) -> list[ArticlePane]:
    return app.main.deck.panes


def panes_loaded(app: AccordApp) -> bool:
    shown = app.main.deck.panes
    return bool(shown) and all(
        app.main.deck.slots[p.slot] is None or (p.view.article is not None and p.view.article.id == app.main.deck.slots[p.slot])
        for p in shown
    ) and all(w.is_finished for w in app.workers)


async def ready(pilot: Pilot) -> AccordApp:
    """Wait until the sync has finished and every pane shows its article."""
    app = pilot.app
    assert isinstance(app, AccordApp)
    await until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "sync"), "indexing")
    await until(pilot, lambda: panes_loaded(app), "panes to show their articles")
    await pilot.pause()
    return app


def visible_text(pane: ArticlePane) -> str:
    """What the pane's text area shows right now, line by line (without the claim gutter)."""
    view = pane.view
    lines = (view.render_line(y).text for y in range(view.scrollable_content_region.height))
    return "\n".join((line[GUTTER:] if view.article else line).rstrip() for line in lines)


async def type_text(pilot: Pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def static_text(static) -> str:
    """What a Static shows, as plain text (its content may be a Rich renderable)."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(static.content)
    return console.export_text()


def screen_lines(app) -> list[str]:
    """The whole screen as plain text, one string per row, as a terminal would show it."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True), end="")
    return console.export_text().splitlines()


def uncovered_width(widget) -> int:
    """How many columns of `widget`'s middle row show the widget itself (or its children),
    not something floating over it."""
    region = widget.region
    y = region.y + region.height // 2
    screen = widget.screen
    shown = 0
    for x in range(region.x, region.right):
        try:
            at, _ = screen.get_widget_at(x, y)
        except Exception:
            continue
        if at is widget or widget in at.ancestors:
            shown += 1
    return shown
