"""The reader's footer: as many key hints as fit the width, each with its whole label.

Textual's Footer lays every shown binding out in a row and lets the row run off
the right edge, under the command palette's key: at 80 columns the last hint
was a key without its label. This one keeps the bindings that fit, most useful
first (the priority below), and shows them in their usual order; the rest are
in ? help and the command palette. It lays itself out again when the width or
the focused widget's bindings change.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Binding ids, most useful first. Bindings not listed come after these, in their order.
PRIORITY = (
    "help",
    "close_claims", "list_filter", "list_sort",  # the focused panel's own keys
    "search", "toggle_claims", "toggle_list", "tag_passage", "note_passage", "annotations", "export",
    "claim_grid", "others_say", "next_hit", "next_page", "quit",
)
# Shorter footer labels for bindings whose description (shown in help) is long.
SHORT_LABELS = {
    "list_filter": "Filter",
    "list_sort": "Sort",
    "next_page": "More articles",
    "others_say": "Others say",
}
KEY_PADDING = 3  # a FooterKey: a space either side of the key, one after the label
PALETTE_PADDING = 3  # the palette's key (compact): a space before its label, its left border, right padding


class FittedFooter(Footer):
    """A Footer that never shows a key without its label."""

    def on_resize(self) -> None:
        if self._bindings_ready and self.size.width != getattr(self, "_laid_out_for", None):
            self.call_after_refresh(self.recompose)

    def _width(self) -> int:
        return self.size.width or self.screen.size.width or self.app.size.width

    def label(self, binding: Binding) -> str:
        return SHORT_LABELS.get(binding.id or "", binding.description)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self._width()
        self._laid_out_for = width
        active = self.screen.active_bindings
        shown: dict[str, tuple[Binding, bool, str]] = {}  # by action: one hint per action
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        room = width
        if palette is not None:
            binding = palette.binding
            room -= cell_len(self.app.get_key_display(binding)) + cell_len(binding.description) + PALETTE_PADDING
        hints = list(shown.values())
        rank = {binding_id: n for n, binding_id in enumerate(PRIORITY)}
        by_use = sorted(range(len(hints)), key=lambda n: (rank.get(hints[n][0].id or "", len(rank)), n))
        kept: set[int] = set()
        for n in by_use:
            cells = self._cells(hints[n][0], self.label(hints[n][0]))
            if cells <= room:
                kept.add(n)
                room -= cells
        for n, (binding, enabled, tooltip) in enumerate(hints):
            if n in kept:
                yield FooterKey(
                    binding.key, self.app.get_key_display(binding), self.label(binding), binding.action,
                    disabled=not enabled, tooltip=tooltip or binding.description,
                ).data_bind(compact=Footer.compact)
        if palette is not None:
            binding = palette.binding
            yield FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                classes="-command-palette", disabled=not palette.enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def _cells(self, binding: Binding, label: str) -> int:
        return cell_len(self.app.get_key_display(binding)) + cell_len(label) + KEY_PADDING
