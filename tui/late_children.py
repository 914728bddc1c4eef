"""Panels hidden at start whose children are mounted after the first frame."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widget import Widget


class LateChildren(Widget):
    """A panel that is hidden when the reader opens mounts its children once the first
    frame is painted (each widget mounted cost that frame about a millisecond), or at once
    when something asks for one before then: reach them through `mount_late_children`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._late_mounted = False

    def late_children(self) -> Iterable[Widget]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        return ()

    def _on_mount(self) -> None:
        self.call_after_refresh(self.mount_late_children)

    def mount_late_children(self) -> None:
        """Mount the children now, if they are not yet."""
        if not self._late_mounted:
            self.mount_all(self.late_children())
            self._late_mounted = True  # after: a mount that failed is tried again
