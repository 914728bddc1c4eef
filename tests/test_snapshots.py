"""Screens as SVG snapshots, for every bundled theme, at the sizes analysts use.

Update after an intended visual change with: python -m pytest tests/test_snapshots.py --snapshot-update
(then look at the report before committing the new SVGs).

Each snapshot waits for exactly the state it shows (conditions, never a fixed sleep), so
a loaded machine takes longer but shows the same screen. Each runs in a home of its own
(the test's temporary folder, set as HOME): the paths on screen are shown from ~ (the
help screen's config file, the preview's export folder, the Open dialog's tree), so the
folder's name never appears and runs, serial, with `-n 2` or side by side, cannot collide.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from accord.tui.article_list import ArticleList
from accord.tui.claims_panel import ClaimsPanel
from accord.tui.search_panel import SearchPanel
from accord.tui.themes import bundled_theme_files

from conftest import write
from tui_helpers import make_app, ready, type_text, until

SIZE = (120, 36)
NARROW = (80, 24)
WIDE = (200, 50)
THEMES = [path.stem for path in bundled_theme_files()]


@pytest.fixture
def snapshot_app(seeds_dir: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch):
    home = isolated_home  # this test's own; shown as ~
    monkeypatch.setenv("HOME", str(home))
    # The preview names the export folder: one in this home, not this machine's documents folder.
    write(home / "config" / "config.toml", f'[export]\ndir = "{home / "briefings"}"\n')
    # What the Open dialog's tree lists: this home's folders, and one of news.
    write(home / "news" / "kyodo.txt", "Kyodo\n\nText.\n")
    write(home / "news" / "unn.txt", "UNN\n\nText.\n")

    def build(theme: str):
        app = make_app([seeds_dir], home / "workspace")
        app.theme = theme
        return app

    return build


def test_bundled_themes_are_the_three_promised() -> None:
    assert set(THEMES) == {"accord-dark", "accord-light", "accord-high-contrast"}


def settled(app) -> bool:
    """No worker running and no toast on screen."""
    return all(w.is_finished for w in app.workers) and not app._notifications


async def claims_shown(pilot: Pilot) -> None:
    """Ready, with the claim colours painted in every pane and the status line final."""
    app = await ready(pilot)
    await until(pilot, lambda: app.main.claims.shown_report is not None, "shared claims")
    await until(pilot, lambda: all(p.view.marks for p in app.main.deck.panes if p.view.article), "claim colours")
    await until(pilot, lambda: "threshold" in app.main.status.claims and "added" in app.main.status.message,
                "the status line's claims and sync report")
    await until(pilot, lambda: app.main.query_one("#legend").has_class("-shown"), "the legend")
    await until(pilot, lambda: settled(app), "the reader to settle")
    await pilot.pause()


async def press_until(pilot: Pilot, key: str, condition, what: str) -> None:
    """Press one key and wait for what it does."""
    await pilot.press(key)
    await until(pilot, condition, what)


def cursor(app) -> tuple[int, int]:
    """The focused pane's slot and its cursor sentence."""
    deck = app.main.deck
    pane = deck.focused_pane()
    return deck.focused_slot(), pane.view.cursor


@pytest.mark.parametrize("theme", THEMES)
def test_main_screen(snap_compare, snapshot_app, theme: str) -> None:
    """Claim colours and the legend, in every theme."""

    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await press_until(pilot, "j", lambda: cursor(pilot.app) == (0, 1), "the cursor on sentence 2")
        await press_until(pilot, "j", lambda: cursor(pilot.app) == (0, 2), "the cursor on sentence 3")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_search_screen(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await pilot.press("slash")
        panel = pilot.app.query_one(SearchPanel)
        await until(pilot, lambda: panel.input.has_focus, "the search bar")
        panel.input.cursor_blink = False
        await type_text(pilot, "patriot missiles")
        await until(pilot, lambda: panel.result is not None and panel.result.query == "patriot missiles", "results")
        await until(pilot, lambda: panel.results.option_count == len(panel.result.hits), "every hit listed")
        await until(pilot, lambda: "patriot missiles" in pilot.app.main.status.search, "the search's status")
        await claims_shown(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_help_screen(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        from accord.tui.screens import HelpScreen

        await claims_shown(pilot)
        await pilot.press("question_mark")
        app = pilot.app
        await until(pilot, lambda: isinstance(app.screen, HelpScreen) and app.screen.is_current, "the help screen")
        await until(pilot, lambda: app.screen.query_one("#help-body").region.height > 0, "the help laid out")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


async def claims_panel_on_second(pilot: Pilot) -> None:
    """The claims panel open with its second item highlighted."""
    panel = pilot.app.main.query_one(ClaimsPanel)
    await pilot.press("c")
    await until(pilot, lambda: panel.options.has_focus and panel.options.option_count > 1, "the claims list")
    await until(pilot, lambda: panel.options.highlighted == 0, "the first claim highlighted")
    await press_until(pilot, "down", lambda: panel.options.highlighted == 1, "the second claim highlighted")


@pytest.mark.parametrize("theme", THEMES)
def test_claims_panel(snap_compare, snapshot_app, theme: str) -> None:
    """Beside two panes at 120 columns, the second claim highlighted."""

    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await claims_panel_on_second(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_claims_panel_at_80_columns(snap_compare, snapshot_app, theme: str) -> None:
    """Beside the one pane at 80 columns (no longer floating over it), with the footer and
    status line fitted to the width."""

    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await claims_panel_on_second(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=NARROW, run_before=run_before)


async def article_list_filtered(pilot: Pilot) -> ArticleList:
    article_list = pilot.app.main.query_one(ArticleList)
    await pilot.press("b")
    await until(pilot, lambda: article_list.has_focus and article_list.option_count == 5, "the list")
    await press_until(pilot, "o", lambda: article_list.sort == "date", "sorted by date")
    await press_until(pilot, "o", lambda: article_list.sort == "outlet", "sorted by outlet")
    await press_until(pilot, "slash", lambda: article_list.filtering, "the filter")
    await type_text(pilot, "japan")
    await press_until(pilot, "enter", lambda: not article_list.filtering and article_list.filter_text == "japan",
                      "the filter applied")
    return article_list


@pytest.mark.parametrize("theme", THEMES)
def test_article_list(snap_compare, snapshot_app, theme: str) -> None:
    """The list beside two panes, filtered as typed and sorted by outlet."""

    async def run_before(pilot: Pilot) -> None:
        await claims_shown(pilot)
        await article_list_filtered(pilot)
        await until(pilot, lambda: len(pilot.app.main.deck.panes) == 2, "two panes beside the list")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_both_side_panels_at_200_columns(snap_compare, snapshot_app, theme: str) -> None:
    """The list and the claims panel together, two panes between them."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await claims_shown(pilot)
        await article_list_filtered(pilot)
        await claims_panel_on_second(pilot)
        deck = app.main.deck
        await until(pilot, lambda: len(deck.panes) == 2 and all(p.view.article for p in deck.panes), "two panes")
        await until(pilot, lambda: settled(app), "the reader to settle")

    assert snap_compare(snapshot_app(theme), terminal_size=WIDE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_claim_grid(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        from textual.widgets import DataTable

        from accord.tui.claim_screens import ClaimGridScreen

        app = pilot.app
        await claims_shown(pilot)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ClaimGridScreen) and app.screen.is_current, "the grid")
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == len(app.desk.report.claims) and table.has_focus, "its rows")
        await until(pilot, lambda: str(app.screen.query_one("#grid-detail").render()).strip(), "the cell's detail")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


async def annotated(pilot: Pilot) -> None:
    """Two annotated passages (one with a note) on known sentences, with fixed times so
    the panel's dates do not vary between runs."""
    import sqlite3

    await claims_shown(pilot)
    app = pilot.app
    flow = app.main.annotations

    async def tag(tags: str, count: int) -> None:
        await pilot.press("t")
        await until(pilot, lambda: app.screen.is_modal and app.screen.focused is not None, "the tag editor")
        await type_text(pilot, tags)
        await pilot.press("enter")
        await until(pilot, lambda: len(flow.shown.placed) == count and not app.screen.is_modal, "the tags saved")

    await press_until(pilot, "j", lambda: cursor(app) == (0, 1), "pane 1, sentence 2")
    await tag("policy, exports", 1)
    await pilot.press("a")
    await until(pilot, lambda: app.screen.is_modal and app.screen.focused is not None, "the note editor")
    await type_text(pilot, "Historic shift: first export of a finished weapon.")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: any(p.annotation.note for p in flow.shown.placed) and not app.screen.is_modal,
                "the note saved")
    await press_until(pilot, "l", lambda: cursor(app)[0] == 1, "pane 2")
    await press_until(pilot, "j", lambda: cursor(app) == (1, 1), "pane 2, sentence 2")
    await press_until(pilot, "j", lambda: cursor(app) == (1, 2), "pane 2, sentence 3")
    await tag("deterrence", 2)
    with sqlite3.connect(app.workspace.annotations_path) as db:
        db.execute("UPDATE annotations SET created = '2026-01-05T09:00:00.000Z', "
                   "updated = '2026-01-05T09:0' || id || ':00.000Z'")
    flow.load()
    await until(pilot, lambda: len(flow.shown.placed) == 2
                and all(p.annotation.updated.startswith("2026-01-05") for p in flow.shown.placed), "fixed times")
    await until(pilot, lambda: all(w.is_finished for w in app.workers), "the annotations placed")
    app.clear_notifications()
    await until(pilot, lambda: settled(app) and "2 annotations" in app.main.status.annotations, "the reader to settle")


@pytest.mark.parametrize("theme", THEMES)
def test_annotations_panel(snap_compare, snapshot_app, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        from textual.widgets import OptionList

        from accord.tui.annotation_screens import AnnotationsScreen

        app = pilot.app
        await annotated(pilot)
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AnnotationsScreen) and app.screen.is_current, "the panel")
        options = app.screen.query_one(OptionList)
        await until(pilot, lambda: options.option_count == 2 and options.highlighted == 0 and options.has_focus,
                    "both annotations listed")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_export_preview(snap_compare, snapshot_app, theme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767603600")  # 2026-01-05

    async def run_before(pilot: Pilot) -> None:
        from textual.widgets import Markdown

        from accord.tui.export_screen import ExportScreen

        app = pilot.app
        await annotated(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.is_current, "the preview")
        markdown = app.screen.query_one(Markdown)
        await until(pilot, lambda: getattr(markdown, "_last_parsed_line", 0) > 0
                    and markdown.children, "the rendered briefing")
        await until(pilot, lambda: all(w.is_finished for w in app.workers), "the preview settled")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_open_dialog(snap_compare, snapshot_app, theme: str) -> None:
    """The path field (a completion offered) over the tree of the home folder, news opened."""

    async def run_before(pilot: Pilot) -> None:
        from textual.widgets import Input

        from accord.tui.open_screen import OpenScreen, VisibleTree

        app = pilot.app
        await claims_shown(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OpenScreen) and app.screen.is_current, "the Open dialog")
        field = app.screen.query_one(Input)
        tree = app.screen.query_one(VisibleTree)
        await until(pilot, lambda: field.has_focus, "the path field")
        field.cursor_blink = False
        await until(pilot, lambda: len(tree.root.children) >= 3, "the home folder listed")
        news = next(node for node in tree.root.children if str(node.label) == "news")
        news.expand()
        await until(pilot, lambda: len(news.children) == 2, "the news folder listed")
        await type_text(pilot, "~/ne")
        await until(pilot, lambda: field.value == "~/ne" and field._suggestion == "~/news/", "the completion")

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=run_before)
