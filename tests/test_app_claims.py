"""Shared claims in the reader, driven through Pilot: colours, the claims panel and
its alignment, jump keys, the grid, "what others say", threshold keys, decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.index.store import Store
from accord.index.workspace import Workspace
from accord.tui.app import AccordApp
from accord.tui.marks import CONFLICT_GLYPH, SUPPORT_GLYPHS
from accord.tui.claim_screens import TEXT_COLUMNS, ClaimGridScreen, OthersScreen
from accord.tui.claims_panel import ClaimsPanel
from accord.tui.legend import Legend

from claims_eval import DATA
from tui_helpers import make_app, ready, static_text, type_text, until

SIZE = (150, 40)


async def claims_ready(pilot) -> AccordApp:
    app = await ready(pilot)
    await until(pilot, lambda: app.main.claims.shown_report is not None, "shared claims")
    await until(pilot, lambda: all(p.view.marks for p in app.main.deck.panes if p.view.article), "claim colours")
    await pilot.pause()
    return app


@pytest.fixture
def app(seeds_dir: Path, tmp_path: Path) -> AccordApp:
    return make_app([seeds_dir], tmp_path / "ws")


@pytest.fixture
def quake_app(tmp_path: Path) -> AccordApp:
    return make_app([DATA / "quake"], tmp_path / "ws")


async def test_sentences_are_coloured_by_support_with_a_legend(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        view = app.main.deck.panes[0].view
        support = app.main.claims.shown_support
        article = view.article
        kinds = {index: mark.kind for index, mark in view.marks.items()}
        for index, kind in kinds.items():
            assert support.get(article.id, index).kind == kind
        assert set(kinds.values()) >= {"single"} and set(kinds.values()) & {"all", "several"}
        # The gutter shows the first sentence's glyph, in its kind's colour.
        first_kind = kinds.get(0)
        assert first_kind is not None
        line = view.render_line(0)
        assert line.text.startswith(SUPPORT_GLYPHS[first_kind])
        colour = view.get_component_rich_style(f"article-view--claim-{first_kind}").color
        assert any(seg.text == SUPPORT_GLYPHS[first_kind] and seg.style.color == colour for seg in line)
        legend = app.main.query_one(Legend)
        assert legend.display
        line = legend.render_line(0)
        for kind, label in (("all", "every outlet"), ("several", "several"), ("single", "one source only")):
            colour = view.get_component_rich_style(f"article-view--claim-{kind}").color
            assert any(label in seg.text and seg.style.color == colour for seg in line), (kind, list(line))
        assert "others say" in line.text  # the claim keys, where they fit beside the marks
        await pilot.resize_terminal(100, 40)
        await until(pilot, lambda: "others say" not in legend.render_line(0).text, "the keys left out at 100 columns")
        assert "sources disagree" in legend.render_line(0).text


async def test_a_name_discrepancy_is_marked_in_the_pane(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        conflicted = [(p, i) for p in app.main.deck.panes for i, m in p.view.marks.items() if m.conflict]
        if not conflicted:  # the misspelt name sits in the second article; show it
            app.main.deck.show_article(app.main.deck.ids[1])
            await until(pilot, lambda: any(m.conflict for p in app.main.deck.panes for m in p.view.marks.values()), "conflict")
            conflicted = [(p, i) for p in app.main.deck.panes for i, m in p.view.marks.items() if m.conflict]
        pane, index = conflicted[0]
        sentence = pane.view.article.sentences[index]
        text = pane.view.article.text[sentence.start : sentence.end]
        assert "Hajasi" in text or "Hayashi" in text
        pane.view.move_to(index, center=True)
        await pilot.pause()
        shown = [pane.view.render_line(y) for y in range(pane.view.scrollable_content_region.height)]
        assert any(line.text.startswith(CONFLICT_GLYPH) for line in shown)
        conflict_style = pane.view.get_component_rich_style("article-view--conflict")
        marked = "".join(seg.text for line in shown for seg in line if seg.style and seg.style.bgcolor == conflict_style.bgcolor)
        assert "Ha" in marked  # the disputed name itself is highlighted


async def test_claims_panel_lists_claims_and_aligns_the_panes(app: AccordApp) -> None:
    async with app.run_test(size=(200, 40)) as pilot:
        await claims_ready(pilot)
        await pilot.press("c")
        panel = app.query_one(ClaimsPanel)
        await until(pilot, lambda: panel.options.has_focus, "the claims list to take focus")
        assert panel.display
        report = app.main.claims.shown_report
        assert panel.options.option_count == len(report.claims) + len(report.discrepancies)
        supports = [c.support for c in report.claims]
        assert supports == sorted(supports, reverse=True)  # ranked by support
        detail = static_text(panel.query_one("#claim-detail-text"))
        assert report.claims[0].id in detail and "outlets" in detail
        await pilot.press("down", "down")
        claim = report.claims[2]
        await pilot.press("enter")
        in_claim = {m.article: m.sentence for m in reversed(claim.members)}
        await until(pilot, lambda: all(p.view.article is not None for p in app.main.deck.panes), "panes to load")
        await until(
            pilot,
            lambda: sum(1 for p in app.main.deck.panes if p.article_id in in_claim and p.view.cursor == in_claim[p.article_id])
            >= min(len(app.main.deck.panes), len(in_claim)),
            "the panes to move to the claim",
        )
        rows = []
        for pane in app.main.deck.panes:
            if pane.article_id in in_claim:
                view = pane.view
                first, _ = view.sentence_lines(view.current_sentence)
                rows.append(first - round(view.scroll_y))
        assert len(rows) >= 2 and len(set(rows)) == 1, rows  # every member at the same height
        await pilot.press("escape")
        assert not panel.display


def _at_cursor(app: AccordApp) -> tuple[str | None, int, object]:
    """The focused pane's article, cursor sentence and that sentence's mark."""
    pane = app.main.deck.focused_pane()
    assert pane is not None
    view = pane.view
    return (view.article.id if view.article else None), view.cursor, view.marks.get(view.cursor)


async def test_jump_keys_walk_shared_single_and_conflicting_sentences(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        app.main.deck.panes[1].view.focus()  # the second article has every kind, the misspelt name included
        await pilot.press("s")
        await until(pilot, lambda: (m := _at_cursor(app)[2]) is not None and m.kind in ("all", "several"), "a shared one")
        await pilot.press("i")
        await until(pilot, lambda: (m := _at_cursor(app)[2]) is not None and m.kind == "single", "a single-source one")
        await pilot.press("d")
        await until(pilot, lambda: (m := _at_cursor(app)[2]) is not None and m.conflict, "a conflicting one")


async def test_conflict_jumps_walk_every_article_and_wrap_round(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        support, ids = app.main.claims.shown_support, app.main.deck.ids
        conflicts = [(a, i) for a in ids for i in sorted(support.of_article(a)) if support.matches(a, i, "conflict")]
        assert len({a for a, _ in conflicts}) >= 2, "the seeds' name discrepancy spans two articles"
        first_article = conflicts[0][0]
        app.main.deck.show_article(first_article, 0)
        await until(pilot, lambda: _at_cursor(app)[:2] == (first_article, 0), "the first article")
        visited = []
        for _ in range(len(conflicts) + 1):
            before = _at_cursor(app)[:2]
            await pilot.press("d")
            await until(pilot, lambda: _at_cursor(app)[:2] != before and _at_cursor(app)[2] is not None,
                        "the next conflicting sentence")
            visited.append(_at_cursor(app)[:2])
        start = conflicts.index(visited[0])
        assert visited[:-1] == conflicts[start:] + conflicts[:start], "every conflict, in reading order"
        assert visited[-1] == visited[0], "and round again"
        await pilot.press("D")
        await until(pilot, lambda: _at_cursor(app)[:2] == visited[-2], "back to the previous one")


async def test_others_say_shows_the_other_wordings_and_jumps(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        view = app.main.deck.panes[0].view
        shared = next(i for i, m in sorted(view.marks.items()) if m.kind in ("all", "several"))
        view.move_to(shared)
        await pilot.press("w")
        screen = app.screen
        assert isinstance(screen, OthersScreen)
        claims = app.main.claims.shown_support.get(view.article.id, shared).claims
        wordings = {(m.article, m.sentence) for c in claims for m in c.members} - {(view.article.id, shared)}
        assert {(m.article, m.sentence) for m in screen.others} == wordings  # both claims' of a two-fact sentence
        assert len(screen.others) == len(wordings)  # each wording once
        target = screen.others[0]
        await pilot.press("enter")
        await until(pilot, lambda: any(p.article_id == target.article and p.view.cursor == target.sentence
                                       for p in app.main.deck.panes), "the jump to the other wording")
        single = next(i for i, m in sorted(view.marks.items()) if m.kind == "single")
        app.main.deck.panes[0].view.focus()
        app.main.deck.panes[0].view.move_to(single)
        await pilot.press("w")
        assert isinstance(app.screen, OthersScreen) and app.screen.others == []
        assert "Single-source" in static_text(app.screen.query_one("#others-heading"))
        await pilot.press("escape")
        assert not isinstance(app.screen, OthersScreen)


async def test_grid_shows_claims_by_outlet_and_enter_jumps(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        await pilot.press("m")
        grid = app.screen
        assert isinstance(grid, ClaimGridScreen)
        table = grid.query_one("DataTable")
        report = app.main.claims.shown_report
        assert table.row_count == len(report.claims)
        assert len(table.columns) == len(app.main.outlets()) + TEXT_COLUMNS
        first = report.claims[0]
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1].rstrip("…") in " ".join(first.wording.split())  # each row says what the claim is
        for column, outlet in enumerate(app.main.outlets(), TEXT_COLUMNS):
            has = any(m.source == outlet for m in first.members)
            assert (row[column] != "·") == has
        absent = next((c for c in range(TEXT_COLUMNS, len(row)) if row[c] == "·"), None)
        # j/k/h/l move as the arrows do (the grid once took only the arrows)
        await pilot.press("j")
        assert table.cursor_coordinate == (1, TEXT_COLUMNS)
        await pilot.press("l", "h", "k")
        assert table.cursor_coordinate == (0, TEXT_COLUMNS)
        # Walk to an outlet that supports the first claim and jump there.
        column = next(c for c in range(TEXT_COLUMNS, len(row)) if row[c] != "·")
        await pilot.press(*["l"] * (column - TEXT_COLUMNS), "enter")
        member = grid.cells[(0, column)]
        await until(pilot, lambda: not isinstance(app.screen, ClaimGridScreen), "the grid to close")
        await until(pilot, lambda: any(p.article_id == member.article and p.view.cursor == member.sentence
                                       for p in app.main.deck.panes), "the jump")
        if absent is not None:  # Enter on an absent cell stays put
            await pilot.press("m")
            await pilot.press(*["right"] * (absent - TEXT_COLUMNS), "enter")
            assert isinstance(app.screen, ClaimGridScreen)


async def test_threshold_keys_recompute_claims(quake_app: AccordApp) -> None:
    app = quake_app
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        loose_links = len(app.main.claims.shown_report.links)
        start = app.desk.threshold
        for _ in range(6):
            await pilot.press("plus")
        assert app.desk.threshold == pytest.approx(start + 0.3)
        await until(pilot, lambda: f"{app.desk.threshold:.2f}" in app.main.status.claims and app.main.claims.shown_report is not None
                    and len(app.main.claims.shown_report.links) < loose_links, "fewer links at a stricter threshold")
        await pilot.press("minus")
        assert app.desk.threshold == pytest.approx(start + 0.25)


async def test_reject_link_and_undo_persist_in_the_workspace(quake_app: AccordApp, tmp_path: Path) -> None:
    app = quake_app
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        view = app.main.deck.panes[0].view
        view.focus()
        shared = next(i for i, m in sorted(view.marks.items()) if m.kind in ("all", "several"))
        view.move_to(shared)
        claims = app.main.claims.shown_support.get(view.article.id, shared).claims
        partners = {(m.article, m.sentence) for c in claims for m in c.members if m.article != view.article.id}

        def apart() -> bool:  # the sentence shares a claim with none of its former partners
            if app.main.claims.shown_support is None or app.main.claims.shown_report is claim_report_before:
                return False
            entry = app.main.claims.shown_support.get(view.article.id, shared)
            together = {(m.article, m.sentence) for c in (entry.claims if entry else []) for m in c.members}
            return not (together & partners)

        claim_report_before = app.main.claims.shown_report
        await pilot.press("x")
        await until(pilot, apart, "the sentence to leave its claim")
        with Store(Workspace(tmp_path / "ws").annotations_path) as store:
            saved = store.decisions()
        assert saved and all(d.verdict == "reject" for d in saved)
        await pilot.press("u")
        await until(pilot, lambda: app.main.claims.shown_support.get(view.article.id, shared) is not None
                    and app.main.claims.shown_support.get(view.article.id, shared).claim is not None, "the undo")
        with Store(Workspace(tmp_path / "ws").annotations_path) as store:
            assert store.decisions() == []
        # Link by hand: an unclaimed sentence of one article to one of another.
        support, deck = app.main.claims.shown_support, app.main.deck

        def unclaimed(article_id: str) -> list[int]:
            article = app.desk.find(article_id)
            return [i for i in range(len(article.sentences))
                    if (e := support.get(article_id, i)) is None or not e.claims]

        first, second = [a for a in deck.ids if unclaimed(a)][:2]
        for pane, article_id in zip(deck.panes, (first, second)):
            deck.slots[pane.slot] = article_id
            deck.load(pane, article_id)
        await until(pilot, lambda: [p.article_id for p in deck.panes[:2]] == [first, second]
                    and all(p.view.article for p in deck.panes[:2]), "the two articles side by side")
        view, other = deck.panes[0].view, deck.panes[1].view
        lonely, partner = unclaimed(first)[0], unclaimed(second)[0]
        view.focus()
        view.move_to(lonely)
        await pilot.press("L")
        other.focus()
        other.move_to(partner)
        await pilot.press("L")
        await until(pilot, lambda: app.main.claims.shown_support.get(view.article.id, lonely) is not None
                    and app.main.claims.shown_support.get(view.article.id, lonely).claim is not None
                    and (other.article.id, partner) in {(m.article, m.sentence)
                                                        for m in app.main.claims.shown_support.get(view.article.id, lonely).claim.members},
                    "the hand-made link to form a claim")


async def test_search_understands_claim_state(app: AccordApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await claims_ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "conflict:yes")
        panel = app.query_one("SearchPanel")
        await until(pilot, lambda: panel.result is not None and panel.result.query == "conflict:yes", "results")
        hits = panel.result.hits
        assert hits and all(app.main.claims.shown_support.get(h.article, h.sentence).conflict for h in hits)
        for _ in range(len("conflict:yes")):
            await pilot.press("backspace")
        await type_text(pilot, "sources:>=4 patriot")
        await until(pilot, lambda: panel.result is not None and panel.result.query == "sources:>=4 patriot", "results")
        assert panel.result.hits
        for hit in panel.result.hits:
            assert app.main.claims.shown_support.get(hit.article, hit.sentence).support >= 4
            assert "patriot" in hit.snippet.lower()
        for _ in range(len("sources:>=4 patriot")):
            await pilot.press("backspace")
        await type_text(pilot, "single:maybe")
        await until(pilot, lambda: "yes or no" in static_text(panel.query_one("#search-status")), "the error")
