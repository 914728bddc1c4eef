"""Claim views over the whole story: the claim × outlet grid, and what the other
outlets say about one sentence. Both answer with the sentence to jump to."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from accord.index.claims import Claim, ClaimReport, Member
from accord.index.support import SentenceSupport, claim_kind, story_sources

from .claims_panel import discrepancies_of, members_text, variants_table
from .annotation_screens import shorten
from .layout import printable
from .keys import key

SUPPORTS, CONFLICTS, ABSENT = "●", "✕", "·"
TEXT_COLUMNS = 2  # the claim (id, support) and its wording, before one column per outlet
WORDING_CHARS = 48
MIN_WORDING_CHARS = 20
OUTLET_CHARS = 16


class ClaimGridScreen(ModalScreen[Member | None]):
    """Claims as rows, outlets as columns: each cell supports, conflicts or is absent."""

    COMPONENT_CLASSES = {"claim-grid--all", "claim-grid--several", "claim-grid--conflict", "claim-grid--absent"}
    BINDINGS = [
        Binding("escape,m,q", "close", "Close grid", id="close_grid"),
        # the reader's own movement keys move in the grid too, as in its lists
        Binding("j", "move('down')", "Next claim", show=False, id="grid_down"),
        Binding("k", "move('up')", "Previous claim", show=False, id="grid_up"),
        Binding("h", "move('left')", "Outlet to the left", show=False, id="grid_left"),
        Binding("l", "move('right')", "Outlet to the right", show=False, id="grid_right"),
    ]

    def __init__(self, report: ClaimReport, outlets: list[str]) -> None:
        super().__init__()
        self.report = report
        self.outlets = outlets
        self.cells: dict[tuple[int, int], Member] = {}  # (row, outlet column) -> the sentence to jump to
        self._wording_chars = WORDING_CHARS

    def compose(self) -> ComposeResult:
        with Vertical(id="grid-dialog"):
            yield Static(Text(
                f"{len(self.report.claims)} claims × {len(self.outlets)} outlets   "
                f"{SUPPORTS} supports  {CONFLICTS} conflicts  {ABSENT} absent · Enter jumps, "
                f"{key(self.app, 'close_grid')} closes"
            ), id="grid-heading")
            yield DataTable(id="claim-grid", cursor_type="cell", zebra_stripes=True)
            yield Static(id="grid-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("claim", key="claim")
        table.add_column("wording", key="wording")
        for outlet in self.outlets:
            table.add_column(Text(shorten(outlet, OUTLET_CHARS)), key=outlet)
        table.fixed_columns = TEXT_COLUMNS  # the claim stays in view while the outlets scroll sideways
        self._wording_chars = self._wording_room()
        for row, claim in enumerate(self.report.claims):
            table.add_row(*self._row(row, claim), key=claim.id)
        table.focus()
        if self.report.claims and self.outlets:
            table.cursor_coordinate = Coordinate(0, TEXT_COLUMNS)
        else:
            self.query_one("#grid-detail", Static).update(Text("No shared claims at this threshold."))

    def _wording_room(self) -> int:
        """The wording column's width: WORDING_CHARS, or less in a narrow terminal, so the
        first outlet's column (its header whole) fits beside it."""
        dialog = self.app.size.width * 95 // 100 - 4  # the dialog's border and padding
        claim = max((len(f"{c.id} {c.support}/{story_sources(c, self.report)}") for c in self.report.claims), default=5)
        outlet = max(len(shorten(self.outlets[0], OUTLET_CHARS)) if self.outlets else 0, 1)
        # Each column has a cell of padding either side; the table keeps 2 for its scrollbar.
        room = dialog - (claim + 2) - (outlet + 2) - 2 - 2
        return max(MIN_WORDING_CHARS, min(WORDING_CHARS, room))

    def _row(self, row: int, claim: Claim) -> list[Text]:
        disputed = {(m.article, m.sentence) for d in discrepancies_of(claim, self.report) for m in d.members}
        kind = claim_kind(claim, self.report)
        cells = [Text(f"{claim.id} {claim.support}/{story_sources(claim, self.report)}",
                      style=self.get_component_rich_style(f"claim-grid--{kind}")),
                 Text(shorten(claim.wording, self._wording_chars))]
        for column, outlet in enumerate(self.outlets, TEXT_COLUMNS):
            members = [m for m in claim.members if m.source == outlet]
            if not members:
                cells.append(Text(ABSENT, style=self.get_component_rich_style("claim-grid--absent")))
                continue
            self.cells[(row, column)] = members[0]
            if any((m.article, m.sentence) in disputed for m in members):
                cells.append(Text(CONFLICTS, style=self.get_component_rich_style("claim-grid--conflict")))
            else:
                cells.append(Text(SUPPORTS, style=self.get_component_rich_style(f"claim-grid--{kind}")))
        return cells

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        row, column = event.coordinate.row, event.coordinate.column
        if row >= len(self.report.claims):
            return
        claim = self.report.claims[row]
        member = self.cells.get((row, column))
        if column < TEXT_COLUMNS:
            text = Text(printable(" ".join(claim.wording.split())))
        elif member is None:
            text = Text(printable(f"{self.outlets[column - TEXT_COLUMNS]} does not report {claim.id}."), style="italic")
        else:
            text = Text.assemble((printable(member.source), "bold"), ": ", printable(" ".join(member.text.split())))
        self.query_one("#grid-detail", Static).update(text)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        row, column = event.coordinate.row, event.coordinate.column
        if row >= len(self.report.claims):
            return
        member = self.cells.get((row, column)) if column >= TEXT_COLUMNS else self.report.claims[row].members[0]
        if member is None:
            self.app.bell()
            return
        self.dismiss(member)

    def action_move(self, direction: str) -> None:
        getattr(self.query_one(DataTable), f"action_cursor_{direction}")()

    def action_close(self) -> None:
        self.dismiss(None)


class OthersScreen(ModalScreen[Member | None]):
    """What the other outlets say about one sentence: the other wordings of its claims
    (two, for a sentence stating two facts), who does not report them, and any discrepancy."""

    BINDINGS = [Binding("escape,w,q", "close", "Close", id="close_others")]

    def __init__(self, member: Member, support: SentenceSupport | None, report: ClaimReport, outlets: list[str]) -> None:
        super().__init__()
        self.member = member
        self.support = support
        self.report = report
        self.outlets = outlets
        self.others: list[Member] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="others-dialog"):
            yield Static(self._heading(), id="others-heading")
            yield OptionList(id="others-list")
            yield Static(Text(f"Enter shows the highlighted wording in its pane · {key(self.app, 'close_others')} closes",
                              style="dim"))

    def _heading(self) -> RenderableType:
        said = Text.assemble(("This sentence", "bold"), f" ({printable(self.member.source)}): ",
                             printable(" ".join(self.member.text.split())))
        claims = self.support.claims if self.support else []
        if not claims:
            verdict = Text(
                "Single-source: no other outlet states this." if self.support
                else "Not part of any shared claim, and not a check-worthy statement on its own.",
                style="italic",
            )
            parts: list[RenderableType] = [said, verdict]
        else:
            parts = [said]
            if len(claims) > 1:
                parts.append(Text(f"It states {len(claims)} facts the outlets share:", style="italic"))
            for claim in claims:  # a two-fact sentence is in two claims, strongest first
                story = story_sources(claim, self.report)
                parts.append(Text(f"{claim.id}: stated by {claim.support} of {story} outlets "
                                  f"({claim.independent} independent)", style="bold"))
                missing = [o for o in self.outlets if o not in {m.source for m in claim.members}]
                if missing:
                    parts.append(Text(printable("  not reported by: " + ", ".join(missing)), style="italic"))
        for discrepancy in self.support.discrepancies if self.support else []:
            parts.append(Text(f"⚠ {discrepancy.kind} differs:", style="bold"))
            parts.append(variants_table(discrepancy))
        return Group(*parts)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        claims = self.support.claims if self.support else []
        here = (self.member.article, self.member.sentence)
        of: dict[Member, list[str]] = {}  # each other wording, and the claims it shares with this sentence
        for claim in claims:
            for m in claim.members:
                if (m.article, m.sentence) != here:
                    of.setdefault(m, []).append(claim.id)
        self.others = list(of)
        discrepancies = self.support.discrepancies if self.support else []
        for other in self.others:
            label = Text(f"{', '.join(of[other])} · ", style="dim") if len(claims) > 1 else Text()
            options.add_option(Option(label + members_text([other], discrepancies, "bold", "reverse")))
        if not self.others:
            options.add_option(Option(Text("No other outlet's wording to show."), disabled=True))
        else:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.others):
            self.dismiss(self.others[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
