"""The cycle collector is paused while the reader starts and resumed once its first frame
is painted; every other command runs with it (tui/runtime_tuning.py, tui/start.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from accord.tui import runtime_tuning
from tui_helpers import make_app, ready


def test_pausing_and_resuming_leave_the_collector_as_they_found_it() -> None:
    assert gc.isenabled()
    try:
        runtime_tuning.pause_collector()
        assert not gc.isenabled()
        frozen = gc.get_freeze_count()
        start_up = [[] for _ in range(100)]  # long-lived objects made while it was paused
        runtime_tuning.resume_collector()
        assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(start_up)  # frozen out of its sight
        gc.disable()  # someone else's choice: resuming what it did not pause leaves it alone
        runtime_tuning.resume_collector()
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_the_reader_resumes_the_collector_once_its_first_frame_is_painted(seeds_dir: Path, tmp_path: Path) -> None:
    runtime_tuning.pause_collector()
    try:
        app = make_app([seeds_dir], tmp_path / "ws")
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


def test_a_command_runs_with_the_collector(tmp_path: Path) -> None:
    probe = (
        "import gc, sys\n"
        f"sys.argv = ['accord', '--workspace', {str(tmp_path / 'ws')!r}, 'info']\n"
        "from accord.tui.start import main\n"
        "code = main()\n"
        "print('collector', gc.isenabled(), code)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("collector True 0"), (result.stdout, result.stderr)
