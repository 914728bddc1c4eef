"""The line under the panes once claims are shown: what the gutter's marks mean, and
the claim keys as the analyst's keymap has them."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .marks import CONFLICT_GLYPH, SUPPORT_GLYPHS

MARKS = (
    ("all", f"{SUPPORT_GLYPHS['all']} every outlet "),
    ("several", f" {SUPPORT_GLYPHS['several']} several "),
    ("single", f" {SUPPORT_GLYPHS['single']} one source only "),
    ("conflict", f" {CONFLICT_GLYPH} sources disagree "),
)


class Legend(Widget):
    """One widget painting the whole line: as five Statics it cost the first frame about
    a millisecond each to mount, hidden as it is until the claims are found."""

    COMPONENT_CLASSES = {*(f"legend--{kind}" for kind, _ in MARKS), "legend--keys"}

    keys_shown: reactive[bool] = reactive(True)  # the key hints, where they fit beside the marks

    def __init__(self, keys: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = keys

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for kind, label in MARKS:
            text.append(label, self.get_component_rich_style(f"legend--{kind}"))
        if self.keys_shown:
            text.append(self.keys, self.get_component_rich_style("legend--keys"))
        return text
