"""Opening paths: the sync a screen's worker runs, and its messages to the screen."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.message import Message

from accord.index.desk import Desk, KnownArticles
from accord.index.errors import AccordError

from accord.index.model import ArticleSummary, SyncReport

from .early_read import FIRST_SUMMARIES


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


FIRST_PAINT_GRACE = 1.0  # seconds a sync waits for the first article to be painted
PROGRESS_INTERVAL = 0.1  # seconds between progress updates


def sync_paths(
    desk: Desk, paths: list[str], send: Callable[[SyncMessage], None], superseded: Callable[[], bool],
    first_article_shown: threading.Event, early: KnownArticles | None = None,
) -> None:
    """In a worker: show what the workspace already knows of `paths` (unless `early` has),
    wait a moment for the first article to be painted (so opening the index does not
    compete with it), then index what changed, batch by batch, until done or superseded."""
    try:
        known = early.ids if early is not None else desk.known_ids(paths)
        first = known[:FIRST_SUMMARIES]  # enough to fill the panes; the rest follow the first paint
        send(ArticlesCommitted(known, early.summaries if early is not None else desk.summaries(first)))
        if known:
            first_article_shown.wait(FIRST_PAINT_GRACE)
        if len(known) > len(first):
            send(ArticlesCommitted(known, desk.summaries(known[len(first):])))
        last_post = 0.0

        def progress(done: int, total: int, _file: str) -> None:
            nonlocal last_post
            if superseded():
                raise Superseded  # stop between files; the batch in hand is simply not committed
            now = time.monotonic()
            if now - last_post >= PROGRESS_INTERVAL or done == total:
                last_post = now
                send(SyncProgress(done, total))

        def committed(ids: list[str]) -> None:
            send(ArticlesCommitted(ids, desk.summaries(ids), reindexed=True))

        send(SyncFinished(desk.sync(paths, progress, committed)))
    except AccordError as error:
        send(SyncFinished(None, str(error)))
    except Superseded:
        pass
