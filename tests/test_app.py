"""The reader, driven through Pilot like a user would: every binding's visible effect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.index.config import load_config, save_state, state_path
from accord.index.workspace import config_path
from accord.tui.app import AccordApp
from accord.tui.article_list import ArticleList
from accord.tui.article_view import GUTTER
from accord.tui.legend import Legend
from accord.tui.screens import HelpScreen
from accord.tui.search_panel import SearchInput, SearchPanel

from conftest import write
from tui_helpers import make_app, ready, screen_lines, static_text, type_text, until, visible_text

SIZE = (130, 40)


@pytest.fixture
def app(seeds_dir: Path, tmp_path: Path) -> AccordApp:
    return make_app([seeds_dir], tmp_path / "ws")


async def test_articles_side_by_side_with_headers(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panes = app.main.deck.panes
        assert len(panes) == 2
        assert len({p.article_id for p in panes}) == 2
        assert app.main.deck.slots == app.main.deck.ids[:2]
        first = panes[0].view.article
        header = panes[0].header.render()
        assert first.title[:20] in str(header)
        assert first.text[:30] in visible_text(panes[0]).replace("\n", " ")
        assert len(app.main.deck.ids) == 5


async def test_a_known_workspace_opens_with_its_articles_in_the_first_frame(seeds_dir: Path, tmp_path: Path) -> None:
    """Articles the workspace already holds are read while Textual starts, so the panes
    mount showing them: no pane ever asks a worker for its article, the first pane has
    the focus, and the sync then runs as usual."""
    async with make_app([seeds_dir], tmp_path / "ws").run_test(size=SIZE) as pilot:
        await ready(pilot)  # the first launch indexes the seeds
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panes = app.main.deck.panes
        assert [p.request for p in panes] == [0, 0]  # shown from the early read, never loaded
        assert [p.article_id for p in panes] == app.main.deck.ids[:2]
        assert panes[0].view.has_focus
        first = panes[0].view.article
        assert first.text[:30] in visible_text(panes[0]).replace("\n", " ")
        assert "unchanged" in str(app.main.status.render())
        await pilot.press("l", "j")
        assert panes[1].view.has_focus and panes[1].view.cursor == 1


@pytest.mark.parametrize(("width", "expected"), [(80, 1), (130, 2), (150, 3), (220, 4)])
async def test_pane_count_follows_terminal_width(seeds_dir: Path, tmp_path: Path, width: int, expected: int) -> None:
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=(width, 40)) as pilot:
        await ready(pilot)
        assert len(app.main.deck.panes) == expected


async def test_sentence_cursor_moves_with_keys(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        view = app.main.deck.panes[0].view
        assert view.has_focus and view.cursor == 0
        await pilot.press("j", "j", "down")
        assert view.cursor == 3
        await pilot.press("k", "up")
        assert view.cursor == 1
        await pilot.press("G")
        assert view.cursor == len(view.article.sentences) - 1
        assert view.scroll_y > 0  # the last sentence was scrolled into view
        first, last = view.sentence_lines(view.current_sentence)
        assert view.scroll_y <= first and last < view.scroll_y + view.scrollable_content_region.height
        await pilot.press("g")
        assert view.cursor == 0 and view.scroll_y == 0
        await pilot.press("pagedown")
        after_page = view.cursor
        assert after_page > 1 and view.scroll_y > 0
        await pilot.press("pageup")
        assert view.cursor < after_page


async def test_cursor_sentence_is_highlighted(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        view = app.main.deck.panes[0].view
        cursor_style = view.get_component_rich_style("article-view--cursor")
        styled = [seg for seg in view.render_line(0) if seg.style and seg.style.bgcolor == cursor_style.bgcolor]
        assert styled, "the first sentence should carry the cursor colour"
        await pilot.press("j")
        sentence = view.current_sentence
        first, _ = view.sentence_lines(sentence)
        line = view.render_line(first - round(view.scroll_y))
        highlighted = "".join(seg.text for seg in line if seg.style and seg.style.bgcolor == cursor_style.bgcolor)
        assert highlighted.strip() and highlighted.strip() in view.article.sentence_text(sentence.index)


async def test_click_puts_cursor_on_the_clicked_sentence(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        view = app.main.deck.panes[1].view
        target = view.article.sentences[2]
        line, _ = view.sentence_lines(target)
        await pilot.click(view, offset=(3, line))
        assert view.has_focus
        assert view.cursor == 2


async def test_panes_switch_with_h_l_and_tab(app: AccordApp) -> None:
    async with app.run_test(size=(150, 40)) as pilot:
        await ready(pilot)
        views = [p.view for p in app.main.deck.panes]
        assert views[0].has_focus
        await pilot.press("l")
        assert views[1].has_focus
        await pilot.press("tab")
        assert views[2].has_focus
        await pilot.press("h")
        assert views[1].has_focus
        await pilot.press("shift+tab", "left")
        assert views[0].has_focus


async def test_paging_shows_the_next_articles(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.main.deck.slots == app.main.deck.ids[0:2]
        await pilot.press("right_square_bracket")
        await ready(pilot)
        assert app.main.deck.slots == app.main.deck.ids[2:4]
        await pilot.press("right_square_bracket")
        await ready(pilot)
        assert app.main.deck.slots == app.main.deck.ids[3:5]  # the last page is full, not one lonely pane
        await pilot.press("left_square_bracket")
        await ready(pilot)
        assert app.main.deck.slots == app.main.deck.ids[1:3]


async def test_article_list_picks_what_the_pane_shows(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("b")
        article_list = app.query_one(ArticleList)
        assert article_list.display and article_list.has_focus
        assert article_list.option_count == 5
        assert app.main.summaries[app.main.deck.ids[4]].title[:15] in article_list.row_text(4)
        await pilot.press("end", "enter")
        await ready(pilot)
        assert app.main.deck.ids[4] in app.main.deck.slots
        assert app.focused is app.main.deck.panes[app.main.deck.slots.index(app.main.deck.ids[4])].view
        await pilot.press("b")
        assert not article_list.display


async def test_search_as_you_type_then_jump_to_the_passage(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        panel = app.query_one(SearchPanel)
        assert panel.display and panel.input.has_focus
        await type_text(pilot, "Mitsubishi")
        await until(pilot, lambda: panel.result is not None and panel.result.query == "Mitsubishi", "search results")
        hits = panel.result.hits
        assert hits and panel.results.option_count == len(hits)
        assert "Mitsubishi" in str(panel.results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await ready(pilot)
        hit = hits[0]
        pane = next(p for p in app.main.deck.panes if p.article_id == hit.article)
        assert app.focused is pane.view
        assert pane.view.cursor == hit.sentence
        assert "Mitsubishi" in pane.view.article.sentence_text(pane.view.cursor)
        first, _ = pane.view.sentence_lines(pane.view.current_sentence)
        assert pane.view.scroll_y <= first < pane.view.scroll_y + pane.view.scrollable_content_region.height
        # The matched word stays highlighted in the pane while the search is active.
        assert any(pane.view.article.text[s:e] == "Mitsubishi" for s, e in pane.view.hits)
        assert not panel.display
        await pilot.press("escape")
        assert pane.view.hits == () and app.main.search_panel.result is None


async def test_down_from_the_search_field_walks_the_hits(app: AccordApp) -> None:
    # The bar's hint says "↓ picks": the field once ran its inherited scroll binding for ↓ and
    # swallowed the key, so the hits could only be reached with n/N.
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        panel = app.query_one(SearchPanel)
        await type_text(pilot, "Patriot")
        await until(pilot, lambda: panel.result is not None and panel.result.query == "Patriot", "results")
        assert len(panel.result.hits) >= 3
        await pilot.press("down")
        assert app.focused is panel.results and panel.results.highlighted == 0
        await pilot.press("down", "down")
        assert panel.results.highlighted == 2
        await pilot.press("enter")
        await ready(pilot)
        hit = panel.result.hits[2]
        pane = next(p for p in app.main.deck.panes if p.article_id == hit.article)
        assert app.focused is pane.view and pane.view.cursor == hit.sentence


async def test_n_and_shift_n_cycle_through_hits(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Patriot")
        await until(pilot, lambda: app.main.search_panel.result is not None and app.main.search_panel.result.query == "Patriot", "results")
        hits = app.main.search_panel.result.hits
        assert len(hits) >= 3
        await pilot.press("enter")
        await ready(pilot)
        seen = [(app.focused.article.id, app.focused.cursor)]
        for _ in range(2):
            await pilot.press("n")
            await ready(pilot)
            seen.append((app.focused.article.id, app.focused.cursor))
        assert seen == [(h.article, h.sentence) for h in hits[:3]]
        await pilot.press("N")
        await ready(pilot)
        assert (app.focused.article.id, app.focused.cursor) == (hits[1].article, hits[1].sentence)


async def test_malformed_query_shows_error_inline(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, '"countries at')
        status = app.query_one("#search-status")
        await until(pilot, lambda: status.has_class("-error"), "the inline error")
        assert "unclosed quote" in str(status.render())
        assert app.is_running
        await type_text(pilot, ' war"')
        await until(pilot, lambda: not status.has_class("-error") and app.main.search_panel.result is not None, "recovery")
        assert app.main.search_panel.result.query == '"countries at war"'


async def test_escape_in_the_search_bar_closes_it(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "missile")
        await until(pilot, lambda: app.main.search_panel.result is not None and app.main.search_panel.result.query == "missile", "results")
        await pilot.press("escape")
        panel = app.query_one(SearchPanel)
        assert not panel.display and app.main.search_panel.result is None
        assert app.focused is app.main.deck.panes[0].view


async def test_help_screen_lists_every_binding(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.id for row in app.screen.rows}
        for binding_id in ("next_sentence", "previous_sentence", "page_down", "first_sentence", "last_sentence",
                           "search", "next_hit", "previous_hit", "pane_left", "pane_right", "toggle_list",
                           "next_page", "help", "quit", "close_search", "list_next", "list_choose"):
            assert binding_id in ids
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_action(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Open", "Search", "Article list", "Next articles", "Help", "Theme", "Quit"} <= titles


async def test_theme_switch_is_remembered(seeds_dir: Path, tmp_path: Path) -> None:
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "accord-dark"
        app.theme = "accord-high-contrast"
        await pilot.pause()
        view = app.main.deck.panes[0].view
        assert view.get_component_rich_style("article-view--cursor").bgcolor.name == "#0072b2"
    assert json.loads(state_path().read_text())["theme"] == "accord-high-contrast"
    again = make_app([seeds_dir], tmp_path / "ws")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # Drawn in it from the first frame: the app starts in the saved theme without
        # running the theme's watcher, so its colours must come from the first parse.
        assert again.theme == "accord-high-contrast" and again.has_class("-theme-accord-high-contrast")
        view = again.main.deck.panes[0].view
        assert view.get_component_rich_style("article-view--cursor").bgcolor.name == "#0072b2"


async def test_a_saved_light_theme_starts_light(seeds_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from textual.css.stylesheet import Stylesheet

    reparsed: list[int] = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), original(self))[1])
    save_state(theme="accord-light")
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.has_class("-light-mode") and not app.has_class("-dark-mode")
        assert app.screen.styles.background.hex.lower() == "#fafaf7"
        assert reparsed == []  # parsed once, with the saved theme's variables (not again after the start)
        # And a switch after the start still reaches every widget.
        app.theme = "accord-dark"
        await pilot.pause()
        assert app.has_class("-dark-mode") and not app.has_class("-theme-accord-light")
        assert app.screen.styles.background.hex.lower() != "#fafaf7"


async def test_user_theme_file_is_picked_up(seeds_dir: Path, tmp_path: Path) -> None:
    write(config_path().parent / "themes" / "mine.toml", 'name = "mine"\nprimary = "#ff0000"\n[variables]\naccord-hit = "#00ff00"\n')
    write(config_path().parent / "themes" / "broken.toml", 'name = "broken"\nprimary = "not a colour"\n')
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "mine" in app.available_themes and "broken" not in app.available_themes
        assert any("broken.toml" in n.message for n in app._notifications)
        app.theme = "mine"
        await pilot.pause()
        assert app.main.deck.panes[0].view.get_component_rich_style("article-view--hit").bgcolor.name == "#00ff00"


async def test_keymap_override_from_config(seeds_dir: Path, tmp_path: Path) -> None:
    write(config_path(), '[keys]\nnext_sentence = "x"\nsearch = "ctrl+f"\n')
    app = make_app([seeds_dir], tmp_path / "ws", load_config())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        view = app.main.deck.panes[0].view
        await pilot.press("x", "x")
        assert view.cursor == 2
        await pilot.press("j")  # remapped away
        assert view.cursor == 2
        await pilot.press("ctrl+f")
        assert app.query_one(SearchPanel).input.has_focus
        help_rows = {row.id: row.keys for row in app.key_help()}
        assert help_rows["next_sentence"] == "x"


async def test_a_remapped_key_is_the_one_the_reader_names(seeds_dir: Path, tmp_path: Path) -> None:
    """The legend, the footer, the dialogs' hints and the notifications name the keys as the
    [keys] remaps have them, and those keys do what is said."""
    from textual.widgets import Static, TextArea

    from accord.tui.annotation_screens import NoteScreen

    write(config_path(), '[keys]\ntoggle_claims = "C"\nundo = "z"\nsave_note = "ctrl+o"\n')
    app = make_app([seeds_dir], tmp_path / "ws", load_config())
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        legend = str(app.main.query_one(Legend).render())
        assert "C claims" in legend and "c claims" not in legend, legend
        await until(pilot, lambda: "C Claims" in screen_lines(app)[-1], "the footer naming C")
        assert " c Claims" not in screen_lines(app)[-1]
        await pilot.press("j", "a")  # a note on the second sentence
        await until(pilot, lambda: isinstance(app.screen, NoteScreen) and app.screen.focused is not None, "the note editor")
        hints = " ".join(str(w.render()) for w in app.screen.query(".dialog-hint"))
        assert "^o saves" in hints and "^s" not in hints, hints
        app.screen.query_one(TextArea).insert("Remapped")
        await pilot.press("ctrl+o")  # saves, as the hint says
        await until(pilot, lambda: any(p.annotation.note == "Remapped" for p in app.desk.placement.placed), "the note saved")
        await until(pilot, lambda: any("(z undoes)" in n.message for n in app._notifications), "the notice naming z")
        assert not any("(u undoes)" in n.message for n in app._notifications)
        await pilot.press("z")  # and z undoes
        await until(pilot, lambda: not app.desk.placement.placed, "the note undone")
        await pilot.press("C")
        await until(pilot, lambda: app.main.query_one("#claims").display, "C to open the claims panel")


def test_every_key_a_hint_names_is_a_binding() -> None:
    """key(app, "id") names a binding by id: a typo would show the id instead of a key."""
    import re

    import accord.tui as tui

    known = {b.id for _, bindings in AccordApp.binding_groups() for b in bindings}
    named = set()
    for source in Path(tui.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        named |= set(re.findall(r"\bkeys?\((?:self\.)?(?:screen\.)?app, ([^)]*)\)", text))
    ids = {i for call in named for i in re.findall(r"['\"](\w+)['\"]", call)}
    assert ids and ids <= known, ids - known


@pytest.mark.parametrize(
    "config_text",
    ["[keys\nbroken", "[keys]\nnext_sentence = 3\n", '[keys]\nno_such_binding = "z"\n'],
    ids=["invalid-toml", "wrong-type", "unknown-id"],
)
async def test_bad_config_notifies_and_falls_back(seeds_dir: Path, tmp_path: Path, config_text: str) -> None:
    write(config_path(), config_text)
    app = make_app([seeds_dir], tmp_path / "ws", load_config())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert any(n.severity == "warning" for n in app._notifications)
        if "no_such_binding" in config_text:  # reported after the first frame, by its id
            await until(pilot, lambda: any("no_such_binding" in n.message for n in app._notifications), "the id")
        await pilot.press("j")
        assert app.main.deck.panes[0].view.cursor == 1  # the default keys still work


async def test_missing_path_shows_error_without_crashing(tmp_path: Path) -> None:
    app = make_app([tmp_path / "nowhere"], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications), "the error")
        await until(pilot, lambda: "no such file or folder" in visible_text(app.main.deck.panes[0]), "the error in the pane")
        assert app.is_running


async def test_mouse_selection_copies_the_article_text(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        view = app.main.deck.panes[0].view
        first_line = view.render_line(0).text[GUTTER:].rstrip()
        assert first_line
        await pilot.mouse_down(view, offset=(GUTTER, 0))  # the text starts right of the claim gutter
        await pilot.hover(view, offset=(GUTTER + 20, 1))
        await pilot.mouse_up(view, offset=(GUTTER + 20, 1))
        selected = app.screen.get_selected_text()
        # Two display lines come back as the article's own text: the wrap is a space, not a newline.
        second_line_start = view.render_line(1).text[GUTTER : GUTTER + 20]
        assert selected.startswith(f"{first_line} {second_line_start}")
        assert selected == view.article.text[: len(selected)]
        assert "\n" not in selected
        await pilot.press("ctrl+c")
        assert app.clipboard == selected
        assert any(f"Copied {len(selected)} characters" in n.message for n in app._notifications)


UNTRUSTED = (
    "Title [bold red]x[/] [link=https://evil.example]click[/link]\n\n"
    "The body has [bold red]markup[/] and [link=https://evil.example]a link[/link] inside it. "
    "It also has \x1b[31mANSI red\x1b[0m and an OSC \x1b]0;pwned\x07 title change. "
    "A NUL\x00 byte and a bidi \u202eoverride\u202c sit here.\n"
)


async def test_untrusted_text_is_shown_literally(tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    write(folder / "evil.txt", UNTRUSTED)
    app = make_app([folder], tmp_path / "ws")
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        pane = app.main.deck.panes[0]
        shown = visible_text(pane).replace("\n", " ")
        assert "[bold red]markup[/]" in shown
        assert "[link=https://evil.example]a link[/link]" in shown
        assert "\x1b" not in shown and "\x00" not in shown and "\u202e" not in shown
        for y in range(pane.view.scrollable_content_region.height):
            for segment in pane.view.render_line(y):
                style = segment.style
                assert style is None or not style.link, "article text must never become a link"
        title = str(pane.header.render())
        assert "[bold red]x[/]" in title and "[link=https://evil.example]" in title
        await pilot.press("slash")
        await type_text(pilot, "markup")
        await until(pilot, lambda: app.main.search_panel.result is not None and app.main.search_panel.result.hits, "search results")
        option = str(app.query_one(SearchPanel).results.get_option_at_index(0).prompt)
        assert "[bold red]markup[/]" in option


async def test_enter_before_results_jumps_to_the_typed_query(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Mitsubishi")
        await pilot.press("enter")  # before the last letter's search has answered: must not jump on a stale result
        await until(pilot, lambda: app.main.search_panel.hit_index == 0, "the jump")
        await ready(pilot)
        assert app.main.search_panel.result.query == "Mitsubishi"
        assert "Mitsubishi" in app.focused.article.sentence_text(app.focused.cursor)


async def test_enter_with_no_hits_keeps_the_search_bar_open(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "zzyzx")
        await pilot.press("enter")
        await until(pilot, lambda: app.main.search_panel.result is not None and app.main.search_panel.result.query == "zzyzx", "results")
        panel = app.query_one(SearchPanel)
        assert panel.display and "no articles match" in str(panel.query_one("#search-status").render())


def big_folder_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int) -> AccordApp:
    """A reader opening `files` new reports on a summit, committed ten at a time."""
    import accord.index.library as library_module

    monkeypatch.setattr(library_module, "COMMIT_EVERY_FILES", 10)
    folder = tmp_path / "many"
    for number in range(files):
        write(folder / f"{number:03}.txt", f"Report {number} on the summit\n\n" + "Leaders met and talked. " * 40)
    return make_app([folder], tmp_path / "ws")


async def until_first_article_while_indexing(pilot) -> None:
    app = pilot.app
    sync = next(w for w in app.workers if w.group == "sync")
    await until(pilot, lambda: app.main.deck.panes and app.main.deck.panes[0].view.article is not None, "the first article")
    assert not sync.is_finished, "the first article should be readable before indexing ends"


async def test_articles_are_readable_while_a_big_folder_indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = big_folder_app(tmp_path, monkeypatch, 200)
    async with app.run_test(size=SIZE) as pilot:
        await until_first_article_while_indexing(pilot)
        await until(pilot, lambda: any(bar.display for bar in app.query("#progress")), "the progress bar")
        await ready(pilot)
        assert len(app.main.deck.ids) == 200
        assert not app.query_one("#progress").display
        assert "200 added" in str(app.query_one("#status-text").render())


async def test_a_search_typed_while_a_folder_is_first_indexed_is_answered_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer on show follows the articles as they are indexed: a search typed while a
    new folder is read (here after the first batch) ends with every article that matches."""
    app = big_folder_app(tmp_path, monkeypatch, 600)
    async with app.run_test(size=SIZE) as pilot:
        await until_first_article_while_indexing(pilot)
        sync = next(w for w in app.workers if w.group == "sync")
        # Typed at once (Pilot's key presses wait for the app to go idle, which a sync never does).
        app.main.action_search()
        app.main.search_panel.input.value = "summit"
        assert not sync.is_finished, "the search should be typed before indexing ends"
        await ready(pilot)
        await until(pilot, lambda: static_text(app.main.search_panel.status).startswith("600 articles match"),
                    "the whole answer")


async def test_the_article_list_scrolls_through_many_articles_and_takes_clicks(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for number in range(300):
        write(folder / f"{number:03}.txt", f"[bold]Report {number:03}[/bold] on the summit\n\nLeaders met and talked.\n")
    app = make_app([folder], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("b")
        article_list = app.query_one(ArticleList)
        await until(pilot, lambda: article_list.option_count == 300, "every article listed")
        height = article_list.scrollable_content_region.height
        await pilot.press("end")
        assert article_list.cursor == 299
        assert article_list.scroll_y <= 299 * 2 < article_list.scroll_y + height  # the last row is on screen
        last_row = 299 * 2 - int(article_list.scroll_y)
        assert "[bold]Report 299[/bold]" in article_list.render_line(last_row).text  # markup shown as text
        await pilot.press("enter")
        await ready(pilot)
        assert app.main.deck.ids[299] in app.main.deck.slots
        await pilot.press("b", "b", "home")  # focus returns to the list
        assert article_list.cursor == 0 and article_list.scroll_y == 0
        await pilot.click(ArticleList, offset=(3, 1 + 2 * 3))  # inside the border, the 4th article's title
        await ready(pilot)
        assert article_list.cursor == 3 and app.main.deck.ids[3] in app.main.deck.slots
        assert "▌" in article_list.render_line(2 * 3).text  # marked as on screen


async def test_open_replaces_the_articles_in_view(app: AccordApp, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write(other / "one.txt", "Floods in the valley\n\nThe river rose two metres overnight. Schools closed.\n")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await type_text(pilot, str(other))
        await pilot.press("enter")
        await until(pilot, lambda: len(app.main.deck.ids) == 1, "the new folder's article")
        await ready(pilot)
        assert app.main.deck.panes[0].view.article.title == "Floods in the valley"
        assert len(app.main.deck.panes) == 1


def test_bundled_themes_set_every_accord_colour() -> None:
    """A bundled theme chooses its own colours; deriving them is only for users' themes."""
    import tomllib

    from accord.tui.themes import DERIVED_VARIABLES, bundled_theme_files

    for path in bundled_theme_files():
        variables = tomllib.loads(path.read_text(encoding="utf-8"))["variables"]
        assert set(DERIVED_VARIABLES) <= set(variables), (path.name, set(DERIVED_VARIABLES) - set(variables))


async def test_a_query_typed_in_one_burst_after_slash_lands_in_the_search_bar(app: AccordApp) -> None:
    """As a terminal delivers a fast typist's (or a paste's) keys: all queued at once, before
    the `/` has been acted on. None of them may reach the reader's keys (i, c, h are bound)."""
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for char in "/Michishita\r":
            key = {"/": "slash", "\r": "enter"}.get(char, char)
            app.post_message(events.Key(key, None if char == "\r" else char))
        await until(pilot, lambda: app.main.search_panel.input.value == "Michishita", "the whole query in the bar")
        assert not app.main.query_one("#claims").display  # `c` did not open the claims panel
        await until(pilot, lambda: app.main.status.search.startswith("search 'Michishita': 1/"), "Enter's jump")


async def test_a_key_typed_right_after_switching_pane_acts_on_the_new_pane(app: AccordApp) -> None:
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        left, right = app.main.deck.panes[0].view, app.main.deck.panes[1].view
        left.focus()
        await pilot.pause()
        for key in ("l", "G"):  # queued together, as a fast typist's keys arrive
            app.post_message(events.Key(key, key))
        await until(pilot, lambda: right.cursor == len(right.article.sentences) - 1, "the right pane at its end")
        assert left.cursor == 0 and right.has_focus


async def test_deleting_keys_in_the_search_bar_act_in_typing_order(app: AccordApp) -> None:
    """A letter typed right after ctrl+u or backspace, before either was acted on, stays."""
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "japan")
        for key, char in (("ctrl+u", None), ("m", "m"), ("i", "i"), ("x", "x"), ("backspace", None), ("s", "s")):
            app.post_message(events.Key(key, char))  # queued together, as under load
        await until(pilot, lambda: app.main.search_panel.input.value == "mis", "the edits in order")


def test_paths_are_shown_from_the_home_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from accord.tui.layout import shown_path

    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    assert shown_path(tmp_path / "me" / "config" / "config.toml") == "~/config/config.toml"
    assert shown_path(tmp_path / "me") == "~"
    assert shown_path(tmp_path / "meadow" / "x") == str(tmp_path / "meadow" / "x")  # not a prefix match
    assert shown_path("/etc/accord") == "/etc/accord"


async def test_what_the_first_frame_does_not_show_is_mounted_later_or_not_at_all(seeds_dir: Path, tmp_path: Path) -> None:
    """The search and claims panels get their children after the first frame; a folder the
    workspace already knows never mounts the progress bar (nothing to read)."""
    from accord.tui.claims_panel import ClaimsPanel

    async with make_app([seeds_dir], tmp_path / "ws").run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app_has_progress(pilot.app)  # the first open reads five files
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert not app_has_progress(app)
        assert len(app.query(SearchInput)) == 1 and len(app.main.query_one(ClaimsPanel).query("#claim-list")) == 1
        await pilot.press("slash")
        await type_text(pilot, "hayashi")
        await until(pilot, lambda: "match" in static_text(app.main.search_panel.status), "the hits")
        assert len(app.query(SearchInput)) == 1


def app_has_progress(app: AccordApp) -> bool:
    return bool(app.query("#progress"))


async def test_the_hidden_panels_have_no_children_when_the_screen_mounts(seeds_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """The screen's own mount comes before its first frame: the panels are still empty
    then, and have their children once that frame is painted."""
    from accord.tui.claims_panel import ClaimsPanel
    from accord.tui.main_screen import MainScreen

    at_mount: dict[str, int] = {}

    class Watched(MainScreen):
        def on_mount(self) -> None:
            at_mount["search"] = len(self.query_one(SearchPanel).children)
            at_mount["claims"] = len(self.query_one(ClaimsPanel).children)

    monkeypatch.setattr(AccordApp, "get_default_screen", lambda self: Watched(self.desk, self.paths, self._known))
    app = make_app([seeds_dir], tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert at_mount == {"search": 0, "claims": 0}
        assert len(app.main.query_one(SearchPanel).children) == 3 and len(app.main.query_one(ClaimsPanel).children) == 2


async def test_a_panel_asked_for_its_children_before_the_first_frame_mounts_them_once() -> None:
    from textual.app import App

    from accord.tui.claims_panel import ClaimsPanel

    class Host(App[None]):
        def compose(self):
            yield SearchPanel(None, list, id="search")  # type: ignore[arg-type]  # no desk: nothing is searched
            yield ClaimsPanel(id="claims")

        def on_mount(self) -> None:
            self.query_one(SearchPanel).reset()  # reaches the input, the status and the hits
            self.query_one(ClaimsPanel).show_report(None, [])

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.pause()
        assert len(app.query(SearchInput)) == 1 and len(app.query("#search-status")) == 1
        assert len(app.query("#claim-list")) == 1 and len(app.query("#claim-detail-text")) == 1
