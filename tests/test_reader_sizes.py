"""The reader where analysts work: 80, 120 and 200 columns. The article list keeps the
keyboard, panels leave panes readable, the status line fits, and indexing progress
counts up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.tui.article_list import ArticleList
from accord.tui.claims_panel import ClaimsPanel
from accord.tui.pane_deck import MIN_PANE_WIDTH
from accord.tui.status_line import StatusLine

from conftest import write
from tui_helpers import make_app, ready, screen_lines, type_text, uncovered_width, until


@pytest.fixture
def app(seeds_dir: Path, tmp_path: Path):
    return make_app([seeds_dir], tmp_path / "ws")


def readable_panes(app) -> list:
    return [p for p in app.main.deck.panes if p.region.width >= MIN_PANE_WIDTH]


@pytest.mark.parametrize("size", [(120, 40), (200, 50)], ids=["120x40", "200x50"])
async def test_the_list_keeps_the_keyboard_and_shows_the_last_article(app, size) -> None:
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        deck = app.main.deck
        before = {p.slot: p.article_id for p in deck.panes}
        focused = deck.focused_slot()
        await pilot.press("b")
        article_list = app.main.query_one(ArticleList)
        await until(pilot, lambda: article_list.has_focus, "the list to take the focus")
        await pilot.pause(0.2)  # a layout after the list opened must not take the focus back
        assert article_list.has_focus
        await pilot.press("G")
        assert article_list.cursor == article_list.option_count - 1
        await pilot.press("enter")
        last = deck.ids[-1]
        await until(pilot, lambda: deck.panes[min(focused, len(deck.panes) - 1)].article_id == last,
                    "the last article in the focused pane")
        # The other panes still show what they showed; a pane the list pushed out comes back.
        await pilot.press("b")
        await until(pilot, lambda: len(deck.panes) == len(before), "the panes back")
        await until(pilot, lambda: all(p.article_id for p in deck.panes), "every pane filled")
        for pane in deck.panes:
            if pane.slot != focused and before[pane.slot] != last:
                assert pane.article_id == before[pane.slot]


async def test_the_list_filters_as_you_type_and_sorts(app) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        reading_order = list(app.main.deck.ids)
        await pilot.press("b")
        article_list = app.main.query_one(ArticleList)
        await until(pilot, lambda: article_list.has_focus, "the list")
        await pilot.press("slash")
        await type_text(pilot, "unn")  # j and k would move the cursor: while filtering they are text
        assert article_list.filter_text == "unn"
        assert [s.source for s in article_list.summaries] == ["UNN"]
        await pilot.press("enter")
        assert not article_list.filtering and article_list.option_count == 1
        await pilot.press("escape")
        assert article_list.option_count == 5
        await pilot.press("o")  # by date: the one dated article first... undated ones last
        assert article_list.sort == "date"
        dates = [s.date for s in article_list.summaries]
        assert dates[0] is not None and all(d is None for d in dates[1:])
        await pilot.press("o")
        assert article_list.sort == "outlet"
        sources = [s.source.casefold() for s in article_list.summaries]
        assert sources == sorted(sources)
        assert [s.id for s in article_list.summaries] != reading_order  # the list is sorted...
        assert app.main.deck.ids == reading_order  # ...the panes' reading order is not


@pytest.mark.parametrize("size", [(120, 40), (200, 50)], ids=["120x40", "200x50"])
async def test_the_claims_panel_leaves_two_readable_panes(app, size) -> None:
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        await pilot.press("c")
        panel = app.main.query_one(ClaimsPanel)
        await until(pilot, lambda: panel.options.has_focus, "the claims panel")
        await pilot.pause(0.2)
        assert len(readable_panes(app)) >= 2
        await pilot.press("enter")  # aligning on the first claim is visible in both panes
        await until(pilot, lambda: sum(1 for p in readable_panes(app) if p.view.article) >= 2, "two panes aligned")


@pytest.mark.parametrize("keys", [("b", "c"), ("c", "b")], ids=["list-then-claims", "claims-then-list"])
@pytest.mark.parametrize("size, panes", [((80, 24), 1), ((120, 40), 2), ((200, 50), 2)],
                         ids=["80x24", "120x40", "200x50"])
async def test_both_side_panels_leave_the_panes_uncovered(app, size, panes, keys) -> None:
    """Opening the list and the claims panel never lets one float over a pane: where both
    cannot sit beside the panes, the one opened last stays and the other closes."""
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        article_list, claims = app.main.query_one(ArticleList), app.main.query_one(ClaimsPanel)
        for key in keys:
            await pilot.press(key)
            opened = article_list if key == "b" else claims
            await until(pilot, lambda: opened.display and opened.has_focus_within, f"{key} to open its panel")
        await pilot.pause(0.3)  # the layout settles
        deck = app.main.deck
        await until(pilot, lambda: len(deck.panes) >= panes and all(p.region.width for p in deck.panes), "the panes")
        for pane in deck.panes:
            assert pane.region.width >= MIN_PANE_WIDTH, (pane.slot, pane.region)
            assert uncovered_width(pane) == pane.region.width, (pane.slot, uncovered_width(pane), pane.region)
        assert len(deck.panes) >= panes
        last = article_list if keys[-1] == "b" else claims
        assert last.display and last.region.width > 0 and last.has_focus_within  # the one opened last stays
        if size[0] >= 200:
            assert article_list.display and claims.display  # room for both beside two panes
            assert article_list.shown == set(deck.shown_ids())  # the list marks what the panes show


async def test_the_status_line_fits_80_columns(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        await pilot.press("slash")
        await type_text(pilot, "patriot missiles")
        status = app.main.query_one(StatusLine)
        await until(pilot, lambda: "'patriot missiles'" in status.text, "the search in the status line")
        width = status.content_region.width
        assert 0 < len(status.text) <= width
        assert status.text.startswith("5 articles · search 'patriot missiles'")
        assert "…" not in status.text  # whole parts, none cut off
        # Every part is there, the less important ones in their shorter forms.
        assert len(status.parts()) == len(status.text.split(" · ")), status.text
        assert any(part[0] not in status.text for part in status.parts())


@pytest.mark.parametrize("size", [(120, 40), (200, 50)], ids=["120x40", "200x50"])
async def test_indexing_progress_counts_up_on_a_big_folder(tmp_path: Path, size) -> None:
    """The count that leads the status line rises as the files are read, not only when a
    batch of articles is committed."""
    folder = tmp_path / "big"
    for n in range(2000):
        write(folder / f"{n:04}.txt", f"Report {n} on the harbour\n\nThe harbour opened berth {n} on Monday.\n")
    app = make_app([folder], tmp_path / "ws")
    seen: list[int] = []
    async with app.run_test(size=size) as pilot:
        status = app.main.query_one(StatusLine)

        def sample() -> bool:
            lead = status.text.split(" · ")[0]  # what the line shows first
            if found := re.fullmatch(r"(?:\d+ articles? · )?(?:indexing )?([\d,]+)/2,000 files", lead) or \
                    re.fullmatch(r"indexing ([\d,]+)/2,000 files", lead):
                number = int(found.group(1).replace(",", ""))
                if not seen or number != seen[-1]:
                    seen.append(number)
            return "added" in status.message

        await until(pilot, sample, "indexing to finish", timeout=120)
        assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] < 2000, seen
        assert status.articles == 2000 and status.text.startswith("2000 articles")


async def test_a_long_search_is_shortened_not_dropped_at_80_columns(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready and "claims" in app.main.status.claims, "claims")
        query = "japan patriot missiles export restrictions united"
        app.main.action_search()
        app.main.search_panel.input.value = query
        status = app.main.query_one(StatusLine)
        await until(pilot, lambda: status.search and query in status.search, "the search's results")
        text = status.text
        assert len(text) <= status.content_region.width
        assert re.fullmatch(r"5 articles · search 'japan[^']*…': (\d+ hits?|\d+/\d+) · \d+ claims.*", text), text
        assert screen_lines(app)[-2].startswith(f" {text}")  # as the terminal shows it


async def test_the_grid_scrolls_sideways_to_the_last_outlet_keeping_the_claim_in_view(app) -> None:
    from accord.tui.claim_screens import TEXT_COLUMNS, ClaimGridScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ClaimGridScreen), "the grid")
        table = app.screen.query_one("DataTable")
        last = len(table.columns) - 1
        await pilot.press(*["right"] * (last - TEXT_COLUMNS))
        assert table.cursor_coordinate.column == last
        await pilot.pause(0.2)
        assert table.scroll_x > 0, "the outlets scrolled sideways"
        assert table.fixed_columns == TEXT_COLUMNS  # claim and wording stay on screen


def footer_hints(app) -> tuple[list, object]:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = app.main.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = next((k for k in keys if k.has_class("-command-palette")), None)
    return [k for k in keys if k is not palette], palette


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)], ids=["80x24", "120x40", "200x50"])
async def test_every_footer_key_has_its_whole_label(app, size) -> None:
    from textual.widgets import Footer

    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        for keys in ([], ["b"], ["b", "c"]):  # the reader, the list focused, the claims panel focused
            await pilot.press(*keys)
            await pilot.pause(0.3)
            footer = app.main.query_one(Footer)

            def laid_out() -> bool:
                hints, palette = footer_hints(app)
                return bool(hints) and all(k.region.width for k in hints)

            await until(pilot, laid_out, "the footer's hints")
            hints, palette = footer_hints(app)
            bottom = screen_lines(app)[-1]
            assert palette is not None and "palette" in bottom
            for hint in hints:
                assert footer.region.contains_region(hint.region), (hint.description, hint.region, footer.region)
                assert not hint.region.overlaps(palette.region), (hint.description, bottom)
                assert f"{hint.key_display} {hint.description}" in bottom, (hint.description, bottom)
            assert "? Help" in bottom  # where every other key is listed
            if keys == ["b"]:  # the list's own keys while it has the focus
                assert "/ Filter" in bottom and "o Sort" in bottom, bottom


async def test_next_hit_is_in_the_footer_only_while_a_search_has_hits(app) -> None:
    # At 200 columns "n Next hit" stood in the footer with no search to step through.
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        assert "Next hit" not in screen_lines(app)[-1]
        await pilot.press("slash")
        await type_text(pilot, "Patriot")
        await until(pilot, lambda: app.main.search_panel.result is not None and app.main.search_panel.result.hits, "hits")
        await pilot.press("enter")
        await until(pilot, lambda: "n Next hit" in screen_lines(app)[-1], "n in the footer")
        await pilot.press("escape")  # clears the search
        await until(pilot, lambda: "Next hit" not in screen_lines(app)[-1], "n gone again")


def targets_in_reading_order(app, target: str) -> list[tuple[str, int]]:
    support = app.main.desk.support
    return [(article_id, index) for article_id in app.main.deck.ids
            for index in sorted(support.of_article(article_id)) if support.matches(article_id, index, target)]


def cursor_at(app) -> tuple[str | None, int]:
    pane = app.main.deck.focused_pane()
    view = pane.view
    return (view.article.id if view.article else None), view.cursor


@pytest.mark.parametrize("key, target", [("s", "shared"), ("i", "single"), ("d", "conflict"), ("D", "conflict")],
                         ids=["s", "i", "d", "D"])
@pytest.mark.parametrize("size", [(120, 40), (200, 50)], ids=["120x40", "200x50"])
async def test_jumps_cross_into_the_next_article_and_wrap_round(app, size, key, target) -> None:
    """s, i and d (D backwards) visit every such sentence of every article in reading order,
    in the pane showing it (or the focused pane), then wrap round to the first; the status
    line says where each jump landed."""
    direction = -1 if key.isupper() else 1
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready and app.main.claims.shown_report is not None, "claims")
        stops = targets_in_reading_order(app, target)
        assert len({article for article, _ in stops}) >= 2, stops  # the seeds have them in two articles or more
        here = cursor_at(app)
        order = {article: n for n, article in enumerate(app.main.deck.ids)}
        position = (order[here[0]], here[1])
        ahead = [s for s in stops if ((order[s[0]], s[1]) > position if direction > 0 else (order[s[0]], s[1]) < position)]
        behind = [s for s in stops if s not in ahead]
        expected = (ahead + behind) if direction > 0 else (list(reversed(ahead)) + list(reversed(behind)))
        expected.append(expected[0])  # and round again
        articles_seen, wrapped = set(), False
        for step, stop in enumerate(expected):
            previous = cursor_at(app)
            await pilot.press(key)
            await until(pilot, lambda: cursor_at(app) == stop, f"{key} #{step + 1} to land on {stop}")
            articles_seen.add(stop[0])
            status = app.main.status.message
            assert f"of article {order[stop[0]] + 1}/{len(order)}" in status, status
            went_back = (order[stop[0]], stop[1]) < (order[previous[0]], previous[1])
            if went_back == (direction > 0):
                wrapped = True
                assert "wrapped round" in status, status
            assert app.main.deck.focused_pane().view.has_focus
        assert len(articles_seen) >= 2 and wrapped


async def test_the_grid_shows_an_outlets_whole_header_at_80_columns(app) -> None:
    from accord.tui.annotation_screens import shorten
    from accord.tui.claim_screens import OUTLET_CHARS, ClaimGridScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ClaimGridScreen) and app.screen.is_current, "the grid")
        table = app.screen.query_one("DataTable")
        await until(pilot, lambda: table.row_count > 0 and table.region.width > 0, "its rows")
        await pilot.pause(0.1)
        header = next(line for line in screen_lines(app) if " claim " in line and "wording" in line)
        first_outlet = shorten(app.main.outlets()[0], OUTLET_CHARS)
        assert first_outlet in header, (first_outlet, header)


@pytest.mark.parametrize("keys", [("b",), ("c",), ("b", "c")], ids=["list", "claims", "both"])
async def test_no_pane_is_laid_out_below_its_minimum_while_a_panel_opens(app, monkeypatch, keys) -> None:
    """At 200 columns the list leaves room for three panes: the fourth goes before the
    panes are laid out, not after a frame of four 40-column panes."""
    from accord.tui.article_pane import ArticlePane

    widths: list[int] = []

    def on_resize(self, event) -> None:
        widths.append(event.size.width)

    monkeypatch.setattr(ArticlePane, "on_resize", on_resize, raising=False)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main.claims.ready, "claims")
        widths.clear()
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.2)
        await until(pilot, lambda: all(p.region.width for p in app.main.deck.panes), "the panes laid out")
        assert widths and min(widths) >= MIN_PANE_WIDTH, widths


@pytest.mark.parametrize("width, kept, floating", [
    (60, {"claims": 30}, {"claims"}),  # too narrow for a panel beside one pane: it floats
    (80, {"claims": 35}, set()),
    (110, {"article-list": 35, "claims": 30}, set()),  # both beside the one pane
    (120, {"claims": 30}, set()),  # two panes: room for one panel only
    (150, {"article-list": 30, "claims": 30}, set()),
    (200, {"article-list": 38, "claims": 56}, set()),
], ids=lambda v: str(v))
def test_side_panels_fit_the_width(width, kept, floating) -> None:
    from accord.tui import side_panels

    layout = side_panels.fit(width, ["article-list", "claims"], keep="claims")
    assert layout.widths == kept and layout.floating == floating
    panes = 2 if width >= side_panels.TWO_PANES_FROM else 1
    assert floating or layout.deck_width >= panes * MIN_PANE_WIDTH
