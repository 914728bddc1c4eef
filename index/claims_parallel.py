"""Claim detection's independent pieces of work in worker processes, for big corpora.

Stories are compared independently of each other, and the word counts that cut a
corpus into stories are counted article by article, so on a big corpus worker
processes take these jobs in turn while the calling process hands them out, cuts
the stories and merges. Small corpora stay in-process: starting a worker
(importing the engine) costs more than it saves. As in `loading.py`, workers are plain
subprocesses fed pickles over pipes, not multiprocessing (which re-imports the
caller's main module and whose resource tracker fails under Textual).
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from .worker_pipes import WorkerFailed, receive, send, start_worker, stop_worker

PARALLEL_MIN_ARTICLES = 500  # articles worth starting worker processes for (a second or two of work)
MAX_WORKERS = 4  # each holds a story's features and candidate pairs
BATCHES_PER_WORKER = 32  # small jobs travel together: a message's round trip costs milliseconds

Job = TypeVar("Job")
Result = TypeVar("Result")


def worker_count(articles: int) -> int:
    """Worker processes for finding claims among `articles` articles: 0 means in-process."""
    cores = os.cpu_count() or 1
    if articles < PARALLEL_MIN_ARTICLES or cores < 2:
        return 0
    return min(MAX_WORKERS, cores)  # the calling process only merges: every core can work


class Workers:
    """`map` over up to `count` worker processes, started on first need; use it
    as a context manager so they stop however the caller leaves."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: list[_Worker] = []
        self._results: queue.SimpleQueue[tuple[_Worker, tuple[str, object]]] = queue.SimpleQueue()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self._pool:
            worker.stop()
        self._pool.clear()

    def map(
        self, function: Callable[[Job], Result], jobs: Sequence[Job], costs: Sequence[int] = (),
        done: Callable[[int, Result], None] | None = None,
    ) -> list[Result]:
        """[function(job) for job in jobs]. `function` must be importable by name
        (pickled by reference). In workers, jobs go in batches (`_batches`, by
        `costs`, equal if not given), each to whichever worker is free; a single
        job runs in-process, there being nothing to overlap. `done(number, result)`
        is called in this thread as each job's result arrives (in any order)."""
        if self.count <= 0 or len(jobs) < 2:
            results = []
            for number, job in enumerate(jobs):
                results.append(function(job))
                if done is not None:
                    done(number, results[-1])
            return results
        batches = _batches(costs or [1] * len(jobs), self.count * BATCHES_PER_WORKER)
        while len(self._pool) < min(self.count, len(batches)):
            self._pool.append(_Worker(self._results))
        results: list = [None] * len(jobs)

        def arrived(batch_number: int, batch_results: list) -> None:
            for number, result in zip(batches[batch_number], batch_results):
                results[number] = result
                if done is not None:
                    done(number, result)

        self._run(function, [[jobs[n] for n in batch] for batch in batches], arrived)
        return results

    def _run(
        self, function: Callable[[Job], Result], batches: list[list[Job]], arrived: Callable[[int, list], None]
    ) -> list[list[Result]]:
        results: list = [None] * len(batches)
        pending = iter(range(len(batches)))
        busy: dict[_Worker, int] = {}  # one batch in flight each: a worker reads its next one at once
        for worker, number in zip(self._pool, pending):
            worker.send((function, batches[number]))
            busy[worker] = number
        while busy:
            worker, (kind, payload) = self._results.get()
            number = busy.pop(worker)
            if kind != "done":
                raise worker.failure(kind, payload)
            results[number] = payload
            arrived(number, payload)
            following = next(pending, None)
            if following is not None:
                worker.send((function, batches[following]))
                busy[worker] = following
        return results


def _batches(costs: Sequence[int], most: int) -> list[list[int]]:
    """Job numbers in about `most` batches of similar cost, costliest jobs first: a
    big job goes alone and early (no worker is left finishing one while the others
    idle), small ones go together."""
    least = sum(costs) / most
    batches: list[list[int]] = [[]]
    held = 0
    for number in sorted(range(len(costs)), key=lambda n: -costs[n]):
        if batches[-1] and held >= least:
            batches.append([])
            held = 0
        batches[-1].append(number)
        held += costs[number]
    return batches


class _Worker:
    """One worker process; jobs and results are length-prefixed pickles over its
    pipes, and a thread reads its results into the pool's queue as they come."""

    def __init__(self, results: queue.SimpleQueue) -> None:
        self.process = start_worker("accord.index.claims_parallel")
        self._drain = threading.Thread(target=self._read_results, args=(results,), name="accord-claims-results",
                                       daemon=True)
        self._drain.start()

    def _read_results(self, results: queue.SimpleQueue) -> None:
        try:
            while True:
                results.put((self, receive(self.process.stdout)))
        except EOFError:
            results.put((self, ("stopped", None)))
        except Exception as error:  # noqa: BLE001  a reply that cannot be read must not leave the caller waiting
            results.put((self, ("unreadable", f"{type(error).__name__}: {error}")))

    def send(self, message: object) -> None:
        try:
            send(self.process.stdin, message)
        except OSError:
            raise self.failure("stopped", None) from None

    def failure(self, kind: str, detail: object) -> WorkerFailed:
        """The error to raise for a worker's reply of `kind` other than "done"."""
        if kind == "error":
            summary, remote_traceback = detail
            error = WorkerFailed(f"finding claims failed in a worker process: {summary}")
            error.add_note(remote_traceback)
            return error
        if kind == "unreadable":
            return WorkerFailed(f"a claim-detection process sent a reply that cannot be read ({detail}); try again")
        code = self.process.wait()  # its output closed: it is gone or going
        return WorkerFailed(f"a claim-detection process stopped unexpectedly (exit code {code}); try again")

    def stop(self) -> None:
        stop_worker(self.process, self._drain)


def serve_worker() -> None:
    """The worker process: run each (function, batch of jobs) sent until the pipe closes."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    while True:
        try:
            function, batch = receive(source)
        except EOFError:
            return
        except Exception as error:  # noqa: BLE001  a batch that cannot be read fails alone
            send(sink, _failed(error))
            continue
        try:
            send(sink, ("done", [function(job) for job in batch]))
        except Exception as error:  # noqa: BLE001  the job failed, or its result does not pickle
            send(sink, _failed(error))


def _failed(error: Exception) -> tuple[str, tuple[str, str]]:
    """An error reply, as text: not every exception pickles."""
    return "error", (f"{type(error).__name__}: {error}", traceback.format_exc())
