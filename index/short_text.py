"""Shortening untrusted text to one line for messages, lists and dialogs."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 claim", "2 claims", "1 discrepancy", "3 discrepancies" (`plural` where "s" is wrong)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
