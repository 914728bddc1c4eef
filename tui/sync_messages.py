"""Messages from the screen's sync worker to the screen, as an open proceeds."""

from __future__ import annotations

from textual.message import Message

from accord.index.model import ArticleSummary, SyncReport


class Superseded(Exception):
    """Raised inside a sync whose open was replaced by a newer one."""


class SyncMessage(Message):
    """From a sync worker; `opening` says which open it belongs to, so a superseded
    sync (the analyst opened other paths meanwhile) is ignored."""

    opening = 0


class ArticlesCommitted(SyncMessage):
    def __init__(self, ids: list[str], summaries: list[ArticleSummary], reindexed: bool = False) -> None:
        super().__init__()
        self.ids, self.summaries, self.reindexed = ids, summaries, reindexed


class SyncProgress(SyncMessage):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class SyncFinished(SyncMessage):
    def __init__(self, report: SyncReport | None, error: str = "") -> None:
        super().__init__()
        self.report, self.error = report, error
