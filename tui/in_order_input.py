"""A text field whose editing keys act in typing order.

Textual types a letter into an Input at once, but runs the Input's own key bindings
(backspace, ctrl+u, Enter, the cursor keys) only after the key has bubbled up to the
app. Under load a fast typist's "ctrl+u, then a path, then Enter" was applied as "the
path, then ctrl+u, then Enter": the field was emptied and the dialog cancelled. Every
text field in the reader is this one.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


# The field's own editing actions. Its inherited ones (a scroll view's "down" scrolls) are left
# to bubble: run here, "down" was swallowed, and the search bar's ↓ never reached its hits.
_EDITING = frozenset(binding.action for binding in Input.BINDINGS if isinstance(binding, Binding))


class InOrderInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        bindings = [b for b in self._bindings.key_to_bindings.get(event.key, ()) if b.action in _EDITING]
        if not bindings:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        self._restart_blink()
        await self.run_action(bindings[0].action)
