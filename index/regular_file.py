"""Reading a file that may be anything: only regular files, never more than a limit.

A FIFO given as a file blocks a plain open() forever, a symlink to /dev/zero
reads until memory runs out, and a file can grow between stat() and read().
So the file is opened without blocking, checked with fstat on the open
descriptor (no race with a swap of the path), and read up to the limit only.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass


class NotReadable(OSError):
    """Why a path was not read, as a short phrase ("not a regular file"); `too_large`
    files keep their fstat so a caller can still record their state."""

    def __init__(self, reason: str, too_large: os.stat_result | None = None) -> None:
        super().__init__(reason)
        self.too_large = too_large


@dataclass(frozen=True, slots=True)
class FileBytes:
    data: bytes
    mtime_ns: int
    size: int


def read_regular(path: str | os.PathLike[str], limit: int) -> FileBytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises NotReadable for anything else (a FIFO, a device, a socket, a folder, a file
    too large) and OSError when it cannot be opened. The path is checked before it is
    opened, and the open descriptor again (a swap of the path in between changes nothing).
    """
    mode = os.stat(path).st_mode  # a device or FIFO is never even opened (a tape rewinds on open)
    if not stat.S_ISREG(mode):
        raise NotReadable(f"not a regular file ({_kind(mode)})")
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise NotReadable(f"too large ({_amount(info.st_size)}; at most {_amount(limit)})", info)
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more than allowed tells a file that grew
        while remaining > 0 and (chunk := os.read(descriptor, min(remaining, 1 << 20))):
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise NotReadable(f"too large (over {_amount(limit)})", info)
        return FileBytes(data, info.st_mtime_ns, info.st_size)
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _amount(size: int) -> str:
    return f"{size // 2**20} MiB" if size >= 2**20 else f"{max(1, size // 1024)} KiB"
