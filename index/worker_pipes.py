"""The pipes between Accord and its worker processes: pickled messages, each
preceded by its length, over a subprocess's stdin and stdout. Workers are plain
subprocesses, not multiprocessing (which re-imports the caller's main module and
whose resource tracker fails under Textual)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from typing import BinaryIO

from .errors import AccordError

WORKER_NICENESS = 10  # how much lower than the caller workers run: the reader's UI thread must never wait for them


class WorkerFailed(AccordError):
    exit_code = 4


def send(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def receive(stream: BinaryIO) -> object:
    """The next message; EOFError when the other side has closed the pipe."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def stop_worker(process: subprocess.Popen, drain: threading.Thread) -> None:
    """Kill a worker if it still runs, wait for it and the thread reading its replies,
    and close its pipes."""
    if process.poll() is None:
        process.kill()
    process.wait()
    drain.join()
    for stream in (process.stdin, process.stdout):
        try:
            stream.close()
        except OSError:
            pass


def start_worker(module: str) -> subprocess.Popen:
    """A worker process running `module.serve_worker()`, at a lower OS priority
    than the caller (`os.nice`), so loading files or finding claims on every
    core never starves the analyst's typing."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))  # find accord as we did
    code = f"import os; os.nice({WORKER_NICENESS}); from {module} import serve_worker; serve_worker()"
    return subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )
