"""The reader's first frame waits for every module imported before it: the modules
only later work needs (claims, reading files, annotations, briefings, Whoosh) are
imported when first used, so they must not creep back into the start-up path."""

from __future__ import annotations

import json
import subprocess
import sys

# What `accord` imports before the reader's first frame: the command line, the app and
# the main screen with everything it composes.
STARTUP = "import accord.tui.start, accord.tui.cli, accord.tui.launch, accord.tui.app"

LATER = [
    "accord.index.claims.engine",  # the first claims run, after the sync
    "accord.index.claims_apart",
    "accord.index.cleaning",  # reading and cleaning files: the sync
    "accord.index.readers",
    "accord.index.loading",
    "accord.index.anchoring",  # annotations: placed after the first paint
    "accord.index.store",
    "accord.index.briefing",  # export
    "accord.index.markdown_text",
    "accord.index.claim_query",  # the first search
    "whoosh",
    "markdown_it",
    "html.parser",  # reading HTML articles
    "accord.tui.annotation_screens",  # dialogs, opened by a key
    "accord.tui.claim_screens",
    "accord.tui.export_screen",
    "accord.tui.open_screen",
    "textual.widgets._progress_bar",  # mounted when a sync first has files to read
]


def test_starting_the_reader_imports_only_what_its_first_frame_needs() -> None:
    probe = f"{STARTUP}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                           check=True).stdout))
    early = [name for name in LATER if name in loaded]
    assert early == [], f"imported before the first frame: {early}"


def test_the_first_frame_reads_as_many_articles_as_the_deck_shows_panes() -> None:
    from accord.tui.early_read import FIRST_ARTICLES
    from accord.tui.pane_deck import MAX_PANES

    assert FIRST_ARTICLES == MAX_PANES
