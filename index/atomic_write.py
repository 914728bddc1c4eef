"""Writing a file the analyst keeps (a briefing) in one step: a crash or a reader
sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import AccordError


def write_atomically(target: Path, text: str, *, overwrite: bool) -> None:
    """Write a temporary file beside `target`, then move it into place. Without
    `overwrite`, an existing file is never replaced, even one created meanwhile:
    FileExistsError. Other failures are an AccordError naming the file."""
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.",
                                             suffix=".tmp", delete=False)
    except OSError as error:
        raise AccordError(f"cannot write {target}: {error.strerror or error}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _default_mode(target))
        if overwrite:
            os.replace(temporary, target)
        else:
            _move_without_overwrite(temporary, target)
    except FileExistsError:
        raise
    except OSError as error:
        raise AccordError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _move_without_overwrite(temporary: Path, target: Path) -> None:
    try:
        os.link(temporary, target)  # fails if target exists: no window for a file created meanwhile
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.replace(temporary, target)


def _default_mode(target: Path) -> int:
    """The existing file's mode, else the one a plainly created file would get
    (temporary files are private, 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
