"""The pipes between Accord and its worker processes: pickled messages, each
preceded by its length, over a subprocess's stdin and stdout. Workers are plain
subprocesses, not multiprocessing (which re-imports the caller's main module and
whose resource tracker fails under Textual)."""

from __future__ import annotations

import pickle
import subprocess
import threading
from typing import BinaryIO

from .errors import AccordError


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
