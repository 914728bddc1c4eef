"""The keys the reader's hints and notifications name, as the user has them.

A remap under [keys] in the config changes a binding's key; the legend, the
dialogs' hints and the notifications name the key through `key` (the app's
`bound_key`), so they say what the analyst actually presses.
"""

from __future__ import annotations

from textual.app import App

RECENT_TAG_KEYS = 9  # 1-9 apply the most recent tags


def key(app: App, binding_id: str) -> str:
    """The first key bound to `binding_id` now, as the footer shows it ("u", "^s", "esc")."""
    bound = getattr(app, "bound_key", None)
    return bound(binding_id) if bound is not None else binding_id


def keys(app: App, *binding_ids: str, joined: str = "/") -> str:
    """Several bindings' keys in one hint, e.g. "s/i/d"."""
    return joined.join(key(app, binding_id) for binding_id in binding_ids)
