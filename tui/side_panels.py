"""How wide the reader's side panels are, and which stay open, for a terminal width.

Pure arithmetic, no widgets: the screen applies the answer. The panes keep their
minimum width: two panes from TWO_PANES_FROM columns on, one below. Where two open
panels cannot both sit beside those panes, only one stays open; a single panel floats
over the panes only where the terminal is too narrow for it and one pane.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pane_deck import MIN_PANE_WIDTH

# Side panels: (preferred, minimum) widths, in the order they sit from the left.
SIDE_PANELS = {"article-list": (38, 26), "claims": (56, 30)}
TWO_PANES_FROM = 120


@dataclass(frozen=True, slots=True)
class PanelLayout:
    widths: dict[str, int]  # each panel kept open: its width
    floating: set[str]  # those floating over the panes
    deck_width: int  # what the panes are left


def fit(width: int, shown: list[str], keep: str) -> PanelLayout:
    """Lay out the `shown` panels in `width` columns; if they cannot all sit beside the
    panes, only `keep` stays open."""
    room = width - (2 if width >= TWO_PANES_FROM else 1) * MIN_PANE_WIDTH
    if len(shown) > 1 and sum(SIDE_PANELS[p][1] for p in shown) > room:
        shown = [keep]
    spare = room - sum(SIDE_PANELS[p][1] for p in shown)
    widths, floating = {}, set()
    for panel_id in shown:  # each its minimum, then what is spare up to its preferred width
        preferred, minimum = SIDE_PANELS[panel_id]
        extra = 0 if spare < 0 else min(preferred - minimum, spare)
        spare -= extra
        widths[panel_id] = minimum + extra
        if spare < 0:
            floating.add(panel_id)
    return PanelLayout(widths, floating, width - sum(w for p, w in widths.items() if p not in floating))
