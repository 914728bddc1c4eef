"""Starts the reader. Until the Textual reader lands, it lists the articles."""

from __future__ import annotations

from accord.index.library import Library
from accord.index.workspace import Workspace


def run_reader(workspace: Workspace, paths: list[str]) -> int:
    with Library(workspace) as library:
        report = library.sync(paths)
        for summary in library.summaries(library.article_ids(report.files)):
            date = summary.date.isoformat() if summary.date else "undated"
            print(f"{summary.id}  {summary.source[:24]:24}  {date:10}  {summary.title}")
    print("Search with: accord search QUERY")
    return 0
