"""The claims panel: claims ranked by support, then discrepancies; the highlighted
one's wording per outlet below, with disputed values side by side.

Enter asks the app to align every pane on the chosen item's sentences.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from accord.index.claims import Claim, ClaimReport, Discrepancy, Member
from accord.index.support import claim_kind, conflict_spans, story_sources

from .late_children import LateChildren
from .layout import printable

WORDING_CHARS = 160


def discrepancies_of(claim: Claim, report: ClaimReport) -> list[Discrepancy]:
    """The discrepancies that involve one of the claim's sentences."""
    keys = {(m.article, m.sentence) for m in claim.members}
    return [d for d in report.discrepancies if any((m.article, m.sentence) in keys for m in d.members)]


def members_text(members: list[Member], discrepancies: list[Discrepancy], source_style, conflict_style) -> Text:
    """Each member as `outlet: sentence`, disputed values marked. Article text is
    untrusted: built from Text pieces, never parsed as markup."""
    lines = Text()
    for member in members:
        sentence = Text(printable(" ".join(member.text.split())))
        flat = " ".join(member.text.split())
        for start, end in conflict_spans(flat, 0, discrepancies):
            sentence.stylize(conflict_style, start, end)
        # The outlet on its own line: in a narrow panel "outlet: sentence" would wrap after the outlet.
        lines.append_text(Text.assemble((printable(member.source), source_style), "\n  ", sentence, "\n"))
    return lines


def variants_table(discrepancy: Discrepancy) -> Table:
    """A discrepancy's variants side by side, each with the outlets that give it."""
    table = Table(box=None, expand=True, show_edge=False, padding=(0, 1))
    for variant in discrepancy.variants:
        table.add_column(Text(printable(variant), style="bold"), ratio=1)
    cells = []
    for variant in discrepancy.variants:
        sources = sorted({m.source for m in discrepancy.members if variant in m.text})
        cells.append(Text(printable(", ".join(sources) or "—")))
    table.add_row(*cells)
    return table


class ClaimsPanel(LateChildren, Vertical, can_focus=False):
    COMPONENT_CLASSES = {
        "claims-panel--all", "claims-panel--several", "claims-panel--conflict", "claims-panel--source",
    }
    BINDINGS = [
        Binding("escape", "close", "Close claims", id="close_claims"),
        Binding("j", "move(1)", "Next claim", id="claims_next", show=False),
        Binding("k", "move(-1)", "Previous claim", id="claims_previous", show=False),
    ]

    class Chosen(Message):
        """Align the panes on these sentences."""

        def __init__(self, members: list[Member], label: str) -> None:
            super().__init__()
            self.members, self.label = members, label

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: ClaimReport | None = None
        self.outlets: list[str] = []
        self.items: list[Claim | Discrepancy] = []

    def late_children(self) -> Iterable[Widget]:
        self._options = OptionList(id="claim-list")
        self._detail_text = Static(id="claim-detail-text")
        yield self._options
        yield VerticalScroll(self._detail_text, id="claim-detail")

    @property
    def options(self) -> OptionList:
        self.mount_late_children()
        return self._options

    @property
    def detail(self) -> Static:
        self.mount_late_children()
        return self._detail_text  # mounted with its scroll container, which may still be mounting

    def on_mount(self) -> None:
        self.border_title = "Claims"

    def show_report(self, report: ClaimReport | None, outlets: list[str]) -> None:
        """List `report`'s claims and discrepancies, keeping the highlighted position."""
        self.report, self.outlets = report, outlets
        options = self.options
        keep = options.highlighted or 0
        options.clear_options()
        self.items = []
        if report is None:
            self._detail(Text("Finding shared claims…"))
            return
        self.items = [*report.claims, *report.discrepancies]
        options.add_options(Option(self._label(item)) for item in self.items)
        self.border_title = f"{len(report.claims)} claims · {len(report.discrepancies)} ≠"  # fits a narrow panel
        if self.items:
            options.highlighted = min(keep, len(self.items) - 1)
        else:
            self._detail(Text("No claims: no two outlets state the same thing at this threshold."))

    def _label(self, item: Claim | Discrepancy) -> Text:
        assert self.report is not None
        if isinstance(item, Discrepancy):
            style = self.get_component_rich_style("claims-panel--conflict")
            variants = " vs ".join(printable(v) for v in item.variants)
            return Text.assemble(("⚠", style), f" {item.kind}: {variants}")
        kind = claim_kind(item, self.report)
        # partial: the colour alone; the full style carried the panel's background, which stood
        # out of the highlight bar on the selected row
        style = self.get_component_rich_style(f"claims-panel--{kind}", partial=True)
        conflict = bool(discrepancies_of(item, self.report))
        head = Text.assemble(
            (f"{item.id} {item.support}/{story_sources(item, self.report)}", style),
            f" · {item.independent} independent",
            ("  ⚠" if conflict else "", self.get_component_rich_style("claims-panel--conflict")),
        )
        wording = " ".join(item.wording.split())
        if len(wording) > WORDING_CHARS:
            wording = wording[: WORDING_CHARS - 1] + "…"
        return Text.assemble(head, "\n  ", printable(wording))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.items):
            self._describe(self.items[event.option_index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.items):
            item = self.items[event.option_index]
            label = item.id if isinstance(item, Claim) else f"{item.kind}: {' vs '.join(item.variants)}"
            self.post_message(self.Chosen(list(item.members), label))

    def _describe(self, item: Claim | Discrepancy) -> None:
        assert self.report is not None
        source_style = self.get_component_rich_style("claims-panel--source")
        conflict_style = self.get_component_rich_style("claims-panel--conflict")
        parts: list[RenderableType] = []
        if isinstance(item, Discrepancy):
            parts.append(Text(f"{item.kind.capitalize()} discrepancy", style="bold"))
            parts.append(variants_table(item))
            parts.append(members_text(item.members, [item], source_style, conflict_style))
        else:
            discrepancies = discrepancies_of(item, self.report)
            parts.append(Text(
                f"{item.id}: {item.support} of {story_sources(item, self.report)} outlets, "
                f"{item.independent} independent",
                style="bold",
            ))
            parts.append(members_text(item.members, discrepancies, source_style, conflict_style))
            missing = [o for o in self.outlets if o not in {m.source for m in item.members}]
            if missing:
                parts.append(Text(printable("Not reported by: " + ", ".join(missing)), style="italic"))
            for discrepancy in discrepancies:
                parts.append(Text(f"⚠ {discrepancy.kind} differs:", style=conflict_style))
                parts.append(variants_table(discrepancy))
        parts.append(Text("Enter aligns the panes on it", style="dim"))
        self._detail(Group(*parts))

    def _detail(self, renderable: RenderableType) -> None:
        self.detail.update(renderable)

    def action_move(self, step: int) -> None:
        """j/k as in the panes and the article list."""
        (self.options.action_cursor_down if step > 0 else self.options.action_cursor_up)()

    def action_close(self) -> None:
        self.post_message(self.Closed())
