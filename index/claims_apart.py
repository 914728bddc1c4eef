"""A big corpus's claims found in a process of its own, which the caller only reads.

Finding the claims of 10k articles in the reader's process cost it about ten seconds
of its own CPU before the first story was solved (loading every article, pickling
them to the workers, cutting the corpus into stories) and a million new objects for
Python's cycle collector to walk. Both stalled the UI thread while the analyst typed:
the GIL is one, and a key waited behind each collection (180-490 ms). Here a
coordinator process loads the articles from the workspace's catalog, cuts the
stories and hands them to its own workers (`claims_parallel.Workers`); each story's
findings come back as it is solved, and the caller merges them (`Gathered`) exactly as
`find_claims` does, so the report is the same.

Protocol, pickles over the coordinator's pipes (`worker_pipes`): the caller sends one
request; the coordinator answers ("plan", stories, sources, stale, covered), then
("found", number, found) per story, then ("end",), or ("error", message, detail).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable
from pathlib import Path

from .claims.engine import Gathered, Progress, plan_stories, solve_stories
from .claims.model import ClaimReport
from .claims_parallel import Workers, worker_count
from .decisions import LinkDecision
from .errors import AccordError
from .worker_pipes import WorkerFailed, receive, send, start_worker


def find_claims_apart(
    workspace_root: Path, ids: Iterable[str], threshold: float, min_sources: int,
    decisions: Iterable[LinkDecision] = (), progress: Progress | None = None,
) -> tuple[ClaimReport, frozenset[str]]:
    """`find_claims` over the articles of `ids` in the workspace at `workspace_root`,
    done by a coordinator process; also the ids of the articles it covered."""
    process = start_worker("accord.index.claims_apart")
    try:
        send(process.stdin, (str(workspace_root), list(ids), threshold, list(decisions)))
        process.stdin.close()
        reply = _next(process)
        _, stories, sources, stale, covered = reply
        gathered = Gathered(stories, sources, stale, min_sources, progress)
        while (reply := _next(process))[0] == "found":
            gathered.add(reply[1], reply[2])
        return gathered.report(), frozenset(covered)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


def _next(process) -> tuple:
    try:
        reply = receive(process.stdout)
    except EOFError:
        code = process.wait()
        raise WorkerFailed(f"the claim-finding process stopped unexpectedly (exit code {code}); try again") from None
    if reply[0] == "error":
        _, message, detail = reply
        error = AccordError(message) if detail is None else WorkerFailed(f"finding claims failed: {message}")
        if detail:
            error.add_note(detail)
        raise error
    return reply


def serve_worker() -> None:
    """The coordinator: load the articles, cut the stories, solve them, report each."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    try:
        root, ids, threshold, decisions = receive(source)
        articles = _load(Path(root), ids)
        covered = [a.id for a in articles]  # every article found, with sentences or not, as the desk counts them
        with Workers(worker_count(len(articles))) as workers:
            plan = plan_stories(articles, threshold, decisions, workers)
            del articles  # the jobs hold what the stories need
            send(sink, ("plan", plan.stories, plan.sources, plan.stale, covered))
            solve_stories(plan, workers, lambda number, found: send(sink, ("found", number, found)))
        send(sink, ("end",))
    except AccordError as error:  # the workspace's own problem: a one-line message for the analyst
        send(sink, ("error", str(error), None))
    except Exception as error:  # noqa: BLE001  reported to the caller, which raises it there
        send(sink, ("error", f"{type(error).__name__}: {error}", traceback.format_exc()))


def _load(root: Path, ids: list[str]) -> list:
    from .library import Library
    from .workspace import Workspace

    with Library(Workspace(root)) as library:
        return [article for article in map(library.find, ids) if article is not None]
