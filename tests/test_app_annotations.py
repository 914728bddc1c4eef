"""Annotating in the reader, driven through Pilot: select, tag (with the recent-tag
keys), note, the marks in the pane, the annotations panel (filters, sort, edit,
delete, undo), orphans and re-attaching, and the briefing preview and save."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, OptionList

from accord.index.anchoring import Anchor
from accord.index.store import Store
from accord.tui.annotation_screens import AnnotationsScreen, NoteScreen, OrphansScreen, TagScreen
from accord.tui.app import AccordApp
from accord.tui.marks import NOTE_GLYPH, tag_tone
from accord.tui.export_screen import ConfirmScreen, ExportScreen, SaveAsScreen

from tui_helpers import make_app, ready, type_text, until

SIZE = (150, 40)


@pytest.fixture
def app(seeds_dir: Path, tmp_path: Path) -> AccordApp:
    return make_app([seeds_dir], tmp_path / "ws")


def stored(app: AccordApp) -> list:
    with Store(app.workspace.annotations_path) as store:
        return store.annotations()


async def annotations_ready(pilot) -> AccordApp:
    app = await ready(pilot)
    await until(pilot, lambda: app.main.annotations.shown.version >= 0, "annotations loaded")
    return app


async def dialog(pilot, app: AccordApp, screen: type, what: str) -> None:
    """Wait for a dialog and for its field to take the focus (keys typed before then
    would go to the reader, as they would for a person typing that fast)."""
    await until(pilot, lambda: isinstance(app.screen, screen) and app.screen.focused is not None, what)


async def tag_current(pilot, app: AccordApp, tags: str) -> None:
    await pilot.press("t")
    await dialog(pilot, app, TagScreen, "the tag editor")
    await type_text(pilot, tags)
    await pilot.press("enter")


async def saved_count(pilot, app: AccordApp, count: int) -> None:
    await until(pilot, lambda: len(app.main.annotations.shown.placed) == count, f"{count} annotations shown")


async def tagged_and_previewed(pilot, app: AccordApp) -> None:
    """One sentence tagged "policy", then the briefing preview opened with `e`."""
    await annotations_ready(pilot)
    await tag_current(pilot, app, "policy")
    await saved_count(pilot, app, 1)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, ExportScreen), "the preview")


async def test_tagging_the_cursor_sentence_saves_and_marks_it(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        view = app.main.deck.panes[0].view
        await pilot.press("j")
        sentence = view.current_sentence
        await tag_current(pilot, app, "Policy, #deterrence")
        await saved_count(pilot, app, 1)
        [annotation] = stored(app)
        assert annotation.tags == ("policy", "deterrence")
        assert annotation.anchor.quote == view.article.text[sentence.start : sentence.end]
        assert view.highlights and view.highlights[0].start == sentence.start
        # The passage is drawn in the annotation style (seen once the cursor moves on).
        await pilot.press("j")
        style = view.get_component_rich_style(f"article-view--tag-{tag_tone(('policy',))}")
        first, _ = view.sentence_lines(sentence)
        line = view.render_line(first - round(view.scroll_y))
        assert any(seg.style and seg.style.underline and seg.style.bgcolor == style.bgcolor for seg in line)


async def test_tag_editor_autocompletes_and_recent_tag_keys_apply_tags(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        await tag_current(pilot, app, "military")
        await saved_count(pilot, app, 1)
        await pilot.press("j", "t")
        await dialog(pilot, app, TagScreen, "the tag editor")
        await type_text(pilot, "mil")
        field = app.screen.query_one(Input)
        await until(pilot, lambda: field._suggestion == "military", "the suggestion")
        await pilot.press("right", "enter")  # → accepts the suggestion
        await saved_count(pilot, app, 2)
        assert [a.tags for a in stored(app)] == [("military",), ("military",)]
        # 1 applies the most recent tag to the next sentence, without a dialog.
        await pilot.press("j", "1")
        await saved_count(pilot, app, 3)
        assert stored(app)[-1].tags == ("military",)
        # 1 on an annotated passage adds the tag once, not twice; 9 with no ninth tag only rings.
        await pilot.press("1")
        await pilot.pause(0.2)
        assert len(stored(app)) == 3 and stored(app)[-1].tags == ("military",)
        await pilot.press("9")
        await pilot.pause(0.2)
        assert len(stored(app)) == 3


async def test_a_range_selected_with_v_and_j_is_annotated_with_a_note(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        view = app.main.deck.panes[0].view
        await pilot.press("v", "j", "j")
        assert view.selected_sentences() == (0, 2)
        await pilot.press("a")
        await dialog(pilot, app, NoteScreen, "the note editor")
        await type_text(pilot, "Watch")
        await pilot.press("enter")
        await type_text(pilot, "# not a heading")
        await pilot.press("ctrl+s")
        await saved_count(pilot, app, 1)
        [annotation] = stored(app)
        sentences = view.article.sentences
        assert (annotation.anchor.start, annotation.anchor.end) == (sentences[0].start, sentences[2].end)
        assert annotation.note == "Watch\n# not a heading"
        assert any(view.render_line(y).text[1:2] == NOTE_GLYPH for y in range(3))
        # The selection stays, so tagging it next tags the same passage: one annotation.
        assert view.selected_sentences() == (0, 2)
        await pilot.press("t")
        await dialog(pilot, app, TagScreen, "the tag editor")
        await type_text(pilot, "policy")
        await pilot.press("enter")
        await until(pilot, lambda: [a.tags for a in stored(app)] == [("policy",)], "the tag on the same annotation")
        assert [a.note for a in stored(app)] == ["Watch\n# not a heading"]
        await pilot.press("escape")  # Esc clears the selection
        assert view.range_anchor is None


async def test_shift_arrows_extend_and_escape_cancels_the_note(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        view = app.main.deck.panes[0].view
        await pilot.press("shift+down", "shift+down")
        assert view.selected_sentences() == (0, 2)
        await pilot.press("a")
        await dialog(pilot, app, NoteScreen, "the note editor")
        await type_text(pilot, "draft")
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, NoteScreen) and stored(app) == []
        await pilot.press("escape")  # Esc in the pane clears the range
        assert view.range_anchor is None


async def test_a_mouse_selection_is_the_passage_annotated(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        view = app.main.deck.panes[0].view
        text = view.article.text
        # Drag across part of the first line (after the 2-column gutter).
        await pilot.mouse_down(view, offset=(2 + 9, 0))
        await pilot.hover(view, offset=(2 + 24, 0))
        await pilot.mouse_up(view, offset=(2 + 24, 0))
        await pilot.pause()
        start, end = view.selected_span()
        assert (start, end) != (view.article.sentences[0].start, view.article.sentences[0].end)
        await tag_current(pilot, app, "wording")
        await saved_count(pilot, app, 1)
        assert stored(app)[0].anchor.quote == text[start:end].strip()


async def test_panel_filters_sorts_edits_deletes_and_undoes(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        await tag_current(pilot, app, "alpha")
        await saved_count(pilot, app, 1)
        await pilot.press("l", "j")  # second pane, second sentence
        await tag_current(pilot, app, "beta")
        await saved_count(pilot, app, 2)
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AnnotationsScreen), "the annotations panel")
        panel = app.screen
        options = panel.query_one(OptionList)
        assert options.option_count == 2
        await pilot.press("slash")
        await type_text(pilot, "tag:beta")
        await until(pilot, lambda: options.option_count == 1, "the tag filter")
        await pilot.press("enter")  # back to the list
        # Edit the note of the one left.
        await pilot.press("a")
        await dialog(pilot, app, NoteScreen, "the note editor")
        await type_text(pilot, "edited")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any(a.note == "edited" for a in stored(app)), "the edited note")
        # Delete it, then undo the deletion: it comes back under the same id.
        before = [a for a in stored(app) if "beta" in a.tags][0]
        await until(pilot, lambda: isinstance(app.screen, AnnotationsScreen), "back in the panel")
        await pilot.press("x")
        await until(pilot, lambda: len(stored(app)) == 1, "the deletion")
        await pilot.press("u")
        await until(pilot, lambda: len(stored(app)) == 2, "the undo")
        restored = [a for a in stored(app) if "beta" in a.tags][0]
        assert (restored.id, restored.note, restored.created) == (before.id, "edited", before.created)
        # Undo again takes back the note edit.
        await pilot.press("u")
        await until(pilot, lambda: [a for a in stored(app) if "beta" in a.tags][0].note == "", "the second undo")
        # Enter jumps to the passage.
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, AnnotationsScreen), "the jump")
        pane = next(p for p in app.main.deck.panes if p.view.article.id == restored.article)
        assert pane.view.current_sentence.start <= restored.anchor.start < pane.view.current_sentence.end


async def test_panel_sorts_by_time_newest_first(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        await pilot.press("j", "j")
        await tag_current(pilot, app, "later-in-text")
        await saved_count(pilot, app, 1)
        await pilot.press("g")
        await tag_current(pilot, app, "earlier-in-text")
        await saved_count(pilot, app, 2)
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AnnotationsScreen), "the annotations panel")
        options = app.screen.query_one(OptionList)
        first = lambda: str(options.get_option_at_index(0).prompt)  # noqa: E731
        assert "earlier-in-text" in first()  # by position
        await pilot.press("o")
        assert "earlier-in-text" in first()  # newest first: it was written last
        await pilot.press("slash")
        await type_text(pilot, "later")
        await until(pilot, lambda: options.option_count == 1 and "later-in-text" in first(), "the word filter")


async def test_an_orphan_is_listed_and_reattached_by_hand(app: AccordApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        article = app.main.deck.panes[0].view.article
        with Store(app.workspace.annotations_path) as store:
            store.add_annotation(Anchor(article.id, 10, 40, "a passage that was never in this text", "", ""),
                                 ("lost",), "keep me")
        await until(pilot, lambda: len(app.main.annotations.shown.orphans) == 1, "another process's orphan noticed")
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AnnotationsScreen), "the annotations panel")
        await pilot.press("U")
        await until(pilot, lambda: isinstance(app.screen, OrphansScreen), "the orphans panel")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, (OrphansScreen, AnnotationsScreen)), "back to the reader")
        await pilot.press("j", "r")
        await until(pilot, lambda: not app.main.annotations.shown.orphans and len(app.main.annotations.shown.placed) == 1, "the re-attached annotation")
        [annotation] = stored(app)
        sentence = app.main.deck.panes[0].view.article.sentences[1]
        assert annotation.anchor.quote == article.text[sentence.start : sentence.end]
        assert (annotation.note, annotation.tags) == ("keep me", ("lost",))


async def test_export_preview_renders_and_saves_without_overwriting(app: AccordApp, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await tagged_and_previewed(pilot, app)
        preview = app.screen
        markdown = preview.query_one(Markdown)
        await until(pilot, lambda: "## policy" in preview.briefing.markdown and markdown.children, "the rendered briefing")
        assert preview.briefing.findings == 1
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        field = app.screen.query_one(Input)
        target = tmp_path / "out.md"
        field.value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists, "the saved briefing")
        assert target.read_text(encoding="utf-8") == preview.briefing.markdown
        # Saving again under the same name asks; "n" keeps the file as it is.
        target.write_text("analyst's own edits", encoding="utf-8")
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the overwrite question")
        await pilot.press("n")
        await pilot.pause(0.3)
        assert target.read_text(encoding="utf-8") == "analyst's own edits"
        # "y" replaces it; .html saves the web page.
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the overwrite question")
        await pilot.press("y")
        await until(pilot, lambda: target.read_text(encoding="utf-8") == preview.briefing.markdown, "the replaced file")
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        page = tmp_path / "out.html"
        app.screen.query_one(Input).value = str(page)
        await pilot.press("enter")
        await until(pilot, page.exists, "the HTML briefing")
        assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        # A folder is no file to replace: said at once, not "Replace it?" then "Is a directory".
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        app.screen.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        await until(pilot, lambda: any("is a folder" in n.message for n in app._notifications), "the folder notice")
        assert not isinstance(app.screen, ConfirmScreen)


async def test_the_save_prompt_applies_a_fast_typists_keys_in_order(app: AccordApp, tmp_path: Path) -> None:
    """ctrl+u, a path and Enter arriving together (a loaded machine, a fast typist) save
    under that path: the prompt's own keys once ran after the letters, which emptied the
    field and cancelled the save (seen in a real terminal under CI load)."""
    from textual import events
    from textual.keys import _character_to_key

    async with app.run_test(size=SIZE) as pilot:
        await tagged_and_previewed(pilot, app)
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        target = tmp_path / "fast.md"
        keys = [("ctrl+u", None), *((_character_to_key(char), char) for char in str(target)),
                ("left", None), ("end", None), ("enter", None)]
        for key, char in keys:
            app.post_message(events.Key(key, char))  # queued together, as under load
        await until(pilot, target.exists, "the briefing saved under the typed path")


async def test_search_finds_tagged_and_noted_passages(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        await pilot.press("j")
        sentence = app.main.deck.panes[0].view.current_sentence
        await tag_current(pilot, app, "policy")
        await saved_count(pilot, app, 1)
        await pilot.press("slash")
        await type_text(pilot, "tag:policy")
        await until(pilot, lambda: app.main.search_panel.result is not None and app.main.search_panel.result.query == "tag:policy",
                    "the tag search")
        [hit] = app.main.search_panel.result.hits
        assert (hit.article, hit.start) == (app.main.deck.panes[0].view.article.id, sentence.start)


async def test_only_this_corpus_annotations_show_and_gone_articles_are_orphans(seeds_dir: Path, tmp_path: Path) -> None:
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    with Library(workspace) as library:
        library.sync([seeds_dir])
        other = library.article(library.article_ids([str(seeds_dir / "004_655e8128408faf12.txt")])[0])
    with Store(workspace.annotations_path) as store:
        store.add_annotation(Anchor.at(other.id, other.text, 0, 20), ("elsewhere",))
        store.add_annotation(Anchor("feedbeefcafe", 0, 12, "gone article", "", ""), ("gone",), "still mine")
    app = make_app([seeds_dir / "000_9bbabdd97d7829be.txt"], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_ready(pilot)
        assert app.main.annotations.shown.placed == []
        [orphan] = app.main.annotations.shown.orphans
        assert orphan.annotation.tags == ("gone",) and "no longer in the workspace" in orphan.reason


@pytest.mark.parametrize("configured", [True, False], ids=["export-dir", "documents-default"])
async def test_briefings_are_saved_in_the_export_folder_not_the_current_one(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: bool,
) -> None:
    from accord.index.config import default_export_dir, load_config
    from accord.index.workspace import config_path

    from conftest import write

    monkeypatch.chdir(tmp_path)  # launched from a checkout: nothing may land here
    exports = tmp_path / "briefings" / "new"
    if configured:
        write(config_path(), f'[export]\ndir = "{exports}"\n')
    app = make_app([seeds_dir], tmp_path / "ws", load_config())
    async with app.run_test(size=SIZE) as pilot:
        await tagged_and_previewed(pilot, app)
        folder = exports if configured else default_export_dir()
        from accord.tui.layout import shown_path

        # Shown before saving (from ~ when under the home folder).
        assert shown_path(folder) in str(app.screen.query_one("#export-heading").render())
        await pilot.press("s")
        await dialog(pilot, app, SaveAsScreen, "the file name prompt")
        suggested = Path(app.screen.query_one(Input).value)
        assert suggested.parent == folder and suggested.name.startswith("briefing-")
        if configured:  # save there: the folder is made on first use
            await pilot.press("enter")
            await until(pilot, suggested.exists, "the briefing in the export folder")
    assert not list(tmp_path.glob("briefing-*"))
