"""Opening other files or folders from the reader: several paths, paths with spaces,
completion from the disk, and a directory tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DirectoryTree, Input

from accord.tui.open_screen import OpenScreen, split_paths

from conftest import write
from tui_helpers import make_app, ready, type_text, until

SIZE = (120, 40)


def story(folder: Path, title: str) -> Path:
    write(folder / f"{title.split()[0].lower()}.txt", f"{title}\n\nThe river rose two metres overnight in {title}.\n")
    return folder


@pytest.fixture
def app(seeds_dir: Path, tmp_path: Path):
    return make_app([seeds_dir], tmp_path / "ws")


async def open_dialog(pilot, app) -> OpenScreen:
    await pilot.press("o")
    await until(pilot, lambda: isinstance(app.screen, OpenScreen) and app.screen.focused is not None, "the dialog")
    return app.screen


def test_paths_split_like_a_shell() -> None:
    assert split_paths('"/tmp/my news" /tmp/other /tmp/a\\ b') == ["/tmp/my news", "/tmp/other", "/tmp/a b"]
    with pytest.raises(ValueError):
        split_paths('"/tmp/unclosed')


async def test_several_paths_one_with_spaces_open_together(app, tmp_path: Path) -> None:
    spaced = story(tmp_path / "my news", "Floods in Valmora")
    other = story(tmp_path / "other", "Storms over Kessel")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_dialog(pilot, app)
        screen.query_one(Input).value = f'"{spaced}" {other}'  # as if typed (typing is tested below)
        await pilot.press("enter")
        await until(pilot, lambda: len(app.main.deck.ids) == 2, "both folders' articles")
        await ready(pilot)
        titles = {p.view.article.title for p in app.main.deck.panes if p.view.article}
        assert titles == {"Floods in Valmora", "Storms over Kessel"}


async def test_a_missing_path_is_reported_and_the_dialog_stays(app, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_dialog(pilot, app)
        screen.query_one(Input).value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "No such file or folder" in str(screen.query_one("#open-error").render())
        assert len(app.main.deck.ids) == 5  # the seeds are still open


async def test_the_field_completes_paths_from_the_disk(app, tmp_path: Path) -> None:
    story(tmp_path / "reports 2023", "Floods in Valmora")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_dialog(pilot, app)
        field = screen.query_one(Input)
        await type_text(pilot, f"{tmp_path}/rep")
        await until(pilot, lambda: field._suggestion != "", "a completion")
        await pilot.press("right")  # accepts it
        assert split_paths(field.value) == [f"{tmp_path}/reports 2023"]
        await pilot.press("enter")
        await until(pilot, lambda: len(app.main.deck.ids) == 1, "the completed folder opened")


async def test_the_tree_adds_what_is_chosen_to_the_field(tmp_path: Path) -> None:
    story(tmp_path / "corpus", "Floods in Valmora")
    app = make_app([story(tmp_path / "first", "Storms over Kessel")], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = OpenScreen(start=tmp_path / "corpus")
        app.push_screen(screen)
        await until(pilot, lambda: app.screen is screen and screen.focused is not None, "the dialog")
        tree = screen.query_one(DirectoryTree)
        await until(pilot, lambda: tree.last_line >= 0, "the tree to list the folder")
        await pilot.press("tab")
        assert tree.has_focus
        await pilot.press("down", "enter")  # the root's first child: valmora's file... floods.txt
        field = screen.query_one(Input)
        await until(pilot, lambda: field.value != "", "the chosen path in the field")
        assert split_paths(field.value) == [str(tmp_path / "corpus" / "floods.txt")]
