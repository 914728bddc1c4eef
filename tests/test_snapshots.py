"""Screens as SVG snapshots, for every bundled theme, at a fixed terminal size.

Update after an intended visual change with: python -m pytest tests/test_snapshots.py --snapshot-update
(then look at the report before committing the new SVGs).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from accord.tui.claims_panel import ClaimsPanel
from accord.tui.search_panel import SearchPanel
from accord.tui.themes import bundled_theme_files

from tui_helpers import make_app, ready, type_text, until

# One worker runs them all under pytest-xdist: they share FIXED_HOME.
pytestmark = pytest.mark.xdist_group("snapshots")

SIZE = (120, 36)
THEMES = [path.stem for path in bundled_theme_files()]
# Paths printed on screen (the help screen shows the config file) must not vary per run.
FIXED_HOME = Path("/tmp/accord-snapshot-home")


@pytest.fixture
def snapshot_app(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.rmtree(FIXED_HOME, ignore_errors=True)
    monkeypatch.setenv("ACCORD_CONFIG_DIR", str(FIXED_HOME / "config"))
    # The preview names the export folder: a fixed one, not this machine's documents folder.
    (FIXED_HOME / "config").mkdir(parents=True)
    (FIXED_HOME / "config" / "config.toml").write_text(f'[export]\ndir = "{FIXED_HOME / "briefings"}"\n')

    def build(theme: str):
        app = make_app([seeds_dir], FIXED_HOME / "workspace")
        app.theme = theme
        return app

    yield build
    shutil.rmtree(FIXED_HOME, ignore_errors=True)


def test_bundled_themes_are_the_three_promised() -> None:
    assert set(THEMES) == {"accord-dark", "accord-light", "accord-high-contrast"}


async def claims_shown(pilot: Pilot) -> None:
    """Ready, with the claim colours painted in every pane."""
    app = await ready(pilot)
    await until(pilot, lambda: app.main.claims.shown_report is not None, "shared claims")
    await until(pilot, lambda: all(p.view.marks for p in app.main.deck.panes if p.view.article), "claim colours")
    await pilot.pause()


@pytest.mark.parametrize("theme", THEMES)
def test_main_screen(snap_compare, snapshot_app, theme: str) -> None:
    """Claim colours and the legend, in every theme."""

    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await pilot.press("j", "j")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_search_screen(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await pilot.press("slash")
        panel = pilot.app.query_one(SearchPanel)
        panel.input.cursor_blink = False
        await type_text(pilot, "patriot missiles")
        await until(pilot, lambda: panel.result is not None and panel.result.query == "patriot missiles", "results")
        await claims_shown(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_help_screen(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_claims_panel(snap_compare, snapshot_app, theme: str) -> None:
    """Beside two panes at 120 columns, aligned on the second claim."""

    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await pilot.press("c")
        await until(pilot, lambda: pilot.app.main.query_one(ClaimsPanel).options.has_focus, "the claims list")
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_article_list(snap_compare, snapshot_app, theme: str) -> None:
    """The list beside two panes, filtered as typed and sorted by outlet."""

    async def run_before(pilot: Pilot) -> None:
        from accord.tui.article_list import ArticleList

        await claims_shown(pilot)
        await pilot.press("b")
        await until(pilot, lambda: pilot.app.main.query_one(ArticleList).has_focus, "the list")
        await pilot.press("o", "o", "slash")
        await type_text(pilot, "japan")
        await pilot.press("enter")
        await pilot.pause(0.2)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", ["accord-dark", "accord-high-contrast"])
def test_claim_grid(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


async def annotated(pilot: Pilot) -> None:
    """Two annotated passages (one with a note), with fixed times so the panel's
    dates do not vary between runs."""
    import sqlite3

    from tui_helpers import type_text as typed

    await claims_shown(pilot)
    app = pilot.app
    for count, (keys, tags, note) in enumerate(((["j"], "policy, exports", "Historic shift: first export of a finished weapon."),
                                                 (["l", "j", "j"], "deterrence", "")), 1):
        await pilot.press(*keys)
        await pilot.press("t")
        await until(pilot, lambda: app.screen.is_modal and app.screen.focused is not None, "the tag editor")
        await typed(pilot, tags)
        await pilot.press("enter")
        await until(pilot, lambda: len(app.main.annotations.shown.placed) == count and not app.screen.is_modal, "the tags saved")
        if note:
            await pilot.press("a")
            await until(pilot, lambda: app.screen.is_modal and app.screen.focused is not None, "the note editor")
            await typed(pilot, note)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: any(p.annotation.note for p in app.main.annotations.shown.placed), "the note saved")
    with sqlite3.connect(app.workspace.annotations_path) as db:
        db.execute("UPDATE annotations SET created = '2026-01-05T09:00:00.000Z', "
                   "updated = '2026-01-05T09:0' || id || ':00.000Z'")
    app.main.annotations.load()
    await until(pilot, lambda: all(p.annotation.updated.startswith("2026-01-05") for p in app.main.annotations.shown.placed), "fixed times")
    app.clear_notifications()


def test_annotations_panel(snap_compare, snapshot_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await annotated(pilot)
        await pilot.press("A")
        await pilot.pause()

    assert snap_compare(snapshot_app("accord-dark"), terminal_size=SIZE, run_before=run_before)


def test_export_preview(snap_compare, snapshot_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767603600")  # 2026-01-05

    async def run_before(pilot: Pilot) -> None:
        from accord.tui.export_screen import ExportScreen

        await annotated(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "the preview")
        from textual.widgets import Markdown

        await until(pilot, lambda: pilot.app.screen.query_one(Markdown).children, "the rendered briefing")
        await pilot.pause(0.3)

    assert snap_compare(snapshot_app("accord-dark"), terminal_size=SIZE, run_before=run_before)
