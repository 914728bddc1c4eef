"""Worker processes (file loading, claims) run at a lower OS priority than the
reader, so they never take the cores from the analyst's typing."""

from __future__ import annotations

import os
import time

from accord.index.claims_parallel import Workers
from accord.index.worker_pipes import WORKER_NICENESS, start_worker


def _expected() -> int:
    return min(os.nice(0) + WORKER_NICENESS, 19)  # the OS caps niceness at 19


def test_claims_workers_report_a_lower_priority() -> None:
    with Workers(2) as workers:
        assert workers.map(os.nice, [0, 0, 0]) == [_expected()] * 3  # each job asks its own worker


def test_loading_workers_start_at_a_lower_priority() -> None:
    process = start_worker("accord.index.loading")
    try:
        deadline = time.monotonic() + 20
        while os.getpriority(os.PRIO_PROCESS, process.pid) != _expected() and time.monotonic() < deadline:
            time.sleep(0.05)  # the worker lowers its own priority as it starts
        assert os.getpriority(os.PRIO_PROCESS, process.pid) == _expected()
    finally:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()
