"""Reading changed files into articles, in worker processes for big imports.

Cleaning is pure Python and costs about a third of what Whoosh spends
indexing the same text, so on a big import a pool of processes reads and
cleans files while the calling process indexes the ones already done. Small
syncs stay in-process: starting a worker costs more than it saves.
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TypeVar

from .ingest import FileLoad, load_file
from .rules import Rule
from .worker_pipes import WorkerFailed, receive, send, start_worker, stop_worker

PARALLEL_MIN_FILES = 200  # changed files worth starting worker processes for
IN_FLIGHT_PER_WORKER = 256  # bounds memory when cleaning outpaces indexing


def worker_count(files: int) -> int:
    """Worker processes for loading `files` changed files: 0 means in-process."""
    cores = os.cpu_count() or 1
    if files < PARALLEL_MIN_FILES or cores < 2:
        return 0
    return min(4, cores - 1)  # one core stays with the indexing process


Key = TypeVar("Key")
Job = tuple[str, str | None]  # (file, known digest)


def load_in_order(
    jobs: Iterable[tuple[Key, Job]], rules: tuple[Rule, ...] | list[Rule], workers: int
) -> Iterator[tuple[Key, FileLoad]]:
    """Yield (key, load_file(file, known_digest, rules)) for each job, in job order.

    With workers > 0 the files are loaded by that many worker processes
    (`serve_worker`), each fed jobs in turn over a pipe, with
    a bounded number in flight. Plain subprocesses rather than
    multiprocessing: spawn re-imports the caller's main module (a script
    without a `__main__` guard would break), and its resource tracker fails
    under Textual, whose sys.stderr has no file descriptor. Closing the
    iterator early stops the workers.
    """
    if workers <= 0:
        for key, (file, known_digest) in jobs:
            yield key, load_file(file, known_digest, rules)
        return
    pool = [_Worker(rules) for _ in range(workers)]
    pending: deque[tuple[Key, _Worker]] = deque()
    try:
        for number, (key, job) in enumerate(jobs):
            worker = pool[number % workers]
            worker.send(job)
            pending.append((key, worker))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done_key, done_by = pending.popleft()
                yield done_key, done_by.receive()
        while pending:
            done_key, done_by = pending.popleft()
            yield done_key, done_by.receive()
    finally:
        for worker in pool:
            worker.stop()


class _Worker:
    """One loading process; jobs and results are length-prefixed pickles over its pipes.

    A thread drains the results as they come, so the worker keeps loading
    while the caller is busy (a Whoosh commit takes seconds) instead of
    blocking on a full pipe.
    """

    def __init__(self, rules: tuple[Rule, ...] | list[Rule]) -> None:
        self.process = start_worker("accord.index.loading")
        self._results: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._drain = threading.Thread(target=self._read_results, name="accord-load-results", daemon=True)
        self._drain.start()
        self.send(list(rules))

    def _read_results(self) -> None:
        try:
            while True:
                self._results.put(receive(self.process.stdout))
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            self._results.put(("stopped", None))

    def send(self, message: object) -> None:
        try:
            send(self.process.stdin, message)
        except (BrokenPipeError, OSError):
            raise self._failure() from None

    def receive(self) -> FileLoad:
        kind, payload = self._results.get()
        if kind == "stopped":
            raise self._failure()
        if kind == "error":
            raise payload
        return payload

    def _failure(self) -> WorkerFailed:
        code = self.process.wait()
        return WorkerFailed(f"a file-loading process stopped unexpectedly (exit code {code}); try again")

    def stop(self) -> None:
        stop_worker(self.process, self._drain)


def serve_worker() -> None:
    """The worker process: read the rules, then load each file sent until the pipe closes."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    rules = receive(source)
    while True:
        try:
            file, known_digest = receive(source)
        except EOFError:
            return
        try:
            reply = ("load", load_file(file, known_digest, rules))
        except Exception as error:  # noqa: BLE001  handed to the caller, who raises it as in-process
            reply = ("error", error)
        send(sink, reply)

