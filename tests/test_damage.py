"""Damaged stores and indexes, and a full disk, against the real `accord` command:
the analyst's annotations are never written into a damaged file, never replaced by
a new one, and a damaged cache is rebuilt from the workspace's own sources (not the
bundled seeds). Files are damaged the way a disk or a crash damages them: one page."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write

PAGE = 4096  # SQLite's default page size, as Accord's files use


def accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, env=os.environ.copy(), timeout=120,
        stdin=subprocess.DEVNULL,
    )


def one_line(result: subprocess.CompletedProcess[str], kind: str = "error") -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"accord: {kind}: "), result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_page(path: Path, page: int) -> None:
    """Overwrite one page (1-based, as SQLite counts) with garbage."""
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(b"\xde\xad\xbe\xef" * (PAGE // 4))


def root_page(path: Path, table: str) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        db.close()


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """The analyst's own articles (not the seeds): words the seeds do not have."""
    folder = tmp_path / "own"
    for n in range(12):
        write(folder / f"story{n:02}.txt",
              f"Harbour report number {n}\n\nThe harbour ferry service resumed on Monday after storm {n}. "
              + "Officials counted the damage along the quay. " * 40 + "\n")
    return folder


def annotate(sources: Path, count: int) -> None:
    for n in range(count):
        result = accord("note", "add", str(sources / f"story{n:02}.txt"), "--quote", "The harbour ferry service",
                        "--note", f"note {n} " + "observed in the field. " * 60, "--tag", "harbour")
        assert result.returncode == 0, result.stderr


# The analyst's store ---------------------------------------------------------------------------


def test_reading_a_healthy_store_leaves_the_file_untouched(sources: Path, isolated_home: Path) -> None:
    annotate(sources, 1)
    store = isolated_home / "workspace" / "annotations.sqlite"
    before, mtime = digest(store), store.stat().st_mtime_ns
    assert accord("note", "list").returncode == 0
    assert accord("note", "list", "--json").returncode == 0
    assert accord("export", "--no-claims").returncode == 0
    assert (digest(store), store.stat().st_mtime_ns) == (before, mtime)


def test_a_damaged_store_page_is_never_written_into(sources: Path, isolated_home: Path) -> None:
    annotate(sources, 6)
    store = isolated_home / "workspace" / "annotations.sqlite"
    damage_page(store, root_page(store, "annotations"))
    damaged = digest(store)
    added = accord("note", "add", str(sources / "story07.txt"), "--quote", "The harbour ferry service")
    line = one_line(added)
    assert added.returncode == 5
    assert "is damaged" in line and "was not saved" in line and "does not exist" not in line
    assert digest(store) == damaged  # not one byte written into it
    listed = accord("note", "list")
    assert listed.returncode == 5 and "cannot read the annotation store" in one_line(listed)
    removed = accord("note", "rm", "1")
    assert removed.returncode == 5 and "is damaged" in one_line(removed)
    assert digest(store) == damaged


def test_an_empty_store_file_is_never_taken_for_a_new_store(sources: Path, isolated_home: Path) -> None:
    store = isolated_home / "workspace" / "annotations.sqlite"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"")
    for command in (["note", "add", str(sources / "story00.txt"), "--quote", "The harbour ferry"], ["note", "list"]):
        result = accord(*command)
        assert result.returncode == 5
        assert "is empty (0 bytes)" in one_line(result)
    assert store.read_bytes() == b""


def test_a_new_store_is_created_whole(sources: Path, isolated_home: Path) -> None:
    annotate(sources, 1)
    workspace = isolated_home / "workspace"
    assert sorted(p.name for p in workspace.iterdir() if "annotations" in p.name) == ["annotations.sqlite"]
    db = sqlite3.connect(workspace / "annotations.sqlite")
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


# The rebuildable index -------------------------------------------------------------------------


def own_hits(query: str) -> list[str]:
    result = accord("search", query, "--json", "--limit", "50")
    assert result.returncode == 0, result.stderr
    return sorted(Path(hit["path"]).name for hit in json.loads(result.stdout)["hits"])


def test_a_damaged_catalog_page_is_rebuilt_from_the_workspaces_sources(sources: Path, isolated_home: Path) -> None:
    assert accord("index", str(sources)).returncode == 0
    annotate(sources, 2)
    workspace = isolated_home / "workspace"
    store = workspace / "annotations.sqlite"
    kept = digest(store)
    catalog = workspace / "index" / "catalog.sqlite"
    damage_page(catalog, root_page(catalog, "articles"))
    listed = accord("note", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    warning = one_line(listed, "warning")
    assert "rebuilt" in warning and "re-indexed 12 articles from 1 sources" in warning
    rows = json.loads(listed.stdout)
    assert [row["anchored"] for row in rows] == ["offsets", "offsets"]  # their articles are back
    assert own_hits("harbour") == [f"story{n:02}.txt" for n in range(12)]
    assert own_hits("patriot") == []  # never the bundled seeds in their place
    assert digest(store) == kept


def test_a_damaged_whoosh_segment_is_rebuilt_on_search(sources: Path, isolated_home: Path) -> None:
    assert accord("index", str(sources)).returncode == 0
    annotate(sources, 1)
    store = isolated_home / "workspace" / "annotations.sqlite"
    kept = digest(store)
    segments = list((isolated_home / "workspace" / "index" / "whoosh").glob("*.seg"))
    assert segments
    for segment in segments:  # the middle of each segment file: the postings, not its header
        size = segment.stat().st_size
        with open(segment, "r+b") as handle:
            handle.seek(size // 3)
            handle.write(b"\xff" * max(64, size // 3))
    result = accord("search", "harbour", "--json", "--limit", "50")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(Path(h["path"]).name for h in json.loads(result.stdout)["hits"]) == [
        f"story{n:02}.txt" for n in range(12)]
    assert own_hits("patriot") == []
    assert digest(store) == kept
    assert json.loads(accord("note", "list", "--json").stdout)[0]["anchored"] == "offsets"


def damage_postings(segment: Path) -> None:
    """Every posting block of a segment overwritten (its header and term table intact), so any
    search meets the damage, whichever words the typing's searches read."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.structfile import StructFile

    with open(segment, "rb") as handle:
        storage = CompoundStorage(StructFile(handle), use_mmap=False)
        name = next(n for n in storage.list() if n.endswith(W3Codec.POSTS_EXT))
        offset, length = storage.range(name)
    with open(segment, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xff" * length)


def junk_whoosh(workspace: Path) -> None:
    """Every segment file unreadable from its header on: the index fails to open."""
    for segment in (workspace / "index" / "whoosh").glob("*.seg"):
        segment.write_bytes(b"garbage")


def test_a_damaged_catalog_without_sources_json_is_rebuilt_from_what_the_index_recorded(
        sources: Path, isolated_home: Path) -> None:
    """A workspace from before sources.json existed: its catalog's file list (or the Whoosh
    index's) says what to index again, never the seeds in its place."""
    assert accord("index", str(sources)).returncode == 0
    annotate(sources, 2)
    workspace = isolated_home / "workspace"
    (workspace / "sources.json").unlink()
    catalog = workspace / "index" / "catalog.sqlite"
    damage_page(catalog, root_page(catalog, "articles"))
    listed = accord("note", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "re-indexed 12 articles" in one_line(listed, "warning")
    assert [row["anchored"] for row in json.loads(listed.stdout)] == ["offsets", "offsets"]
    assert own_hits("harbour") == [f"story{n:02}.txt" for n in range(12)]
    assert own_hits("patriot") == []


def test_a_damaged_catalog_and_index_without_sources_json_are_rebuilt_from_the_index_recorded(
        sources: Path, isolated_home: Path) -> None:
    assert accord("index", str(sources)).returncode == 0
    workspace = isolated_home / "workspace"
    (workspace / "sources.json").unlink()
    catalog = workspace / "index" / "catalog.sqlite"
    damage_page(catalog, root_page(catalog, "articles"))
    junk_whoosh(workspace)  # only the damaged catalog's own file list is left
    result = accord("search", "harbour", "--json", "--limit", "50")
    assert "re-indexed 12 articles" in one_line(result, "warning")
    assert own_hits("harbour") == [f"story{n:02}.txt" for n in range(12)]


def test_a_healthy_open_writes_a_missing_sources_json(sources: Path, isolated_home: Path) -> None:
    assert accord("index", str(sources)).returncode == 0
    workspace = isolated_home / "workspace"
    (workspace / "sources.json").unlink()
    opened = accord("search", "ferry")
    assert opened.returncode == 0 and opened.stderr == ""
    assert sorted(Path(p).name for p in json.loads((workspace / "sources.json").read_text())) == [
        f"story{n:02}.txt" for n in range(12)]
    (workspace / "index" / "catalog.sqlite").write_bytes(b"not a database at all" * 500)  # nothing to salvage
    junk_whoosh(workspace)
    result = accord("search", "harbour", "--json", "--limit", "50")
    assert "re-indexed 12 articles" in one_line(result, "warning")
    assert own_hits("harbour") == [f"story{n:02}.txt" for n in range(12)]


def test_an_index_lost_without_any_record_of_its_sources_is_said_in_one_line(
        sources: Path, isolated_home: Path) -> None:
    assert accord("index", str(sources)).returncode == 0
    annotate(sources, 2)
    workspace = isolated_home / "workspace"
    store = workspace / "annotations.sqlite"
    kept = digest(store)
    (workspace / "sources.json").unlink()
    (workspace / "index" / "catalog.sqlite").write_bytes(b"not a database at all" * 500)
    junk_whoosh(workspace)
    listed = accord("note", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    warning = one_line(listed, "warning")
    assert "could not be found again" in warning and "sources.json is missing" in warning
    assert "open them again" in warning and "annotations are kept" in warning
    assert [row["anchored"] for row in json.loads(listed.stdout)] == [None, None]  # unanchored, not lost
    assert digest(store) == kept
    assert accord("index", str(sources)).returncode == 0  # opened again: the notes are back on their text
    relisted = json.loads(accord("note", "list", "--json").stdout)
    assert [row["anchored"] for row in relisted] == ["offsets", "offsets"]


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(("hostile", "problem"), [
    (lambda path: path.write_text("{{{"), "not readable JSON"),
    (lambda path: path.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
    (lambda path: path.write_text('{"sources": 3}'), "not a list of paths"),
    (lambda path: path.write_bytes(b"\xff\xfe\x00junk"), "not readable JSON"),
    (make_fifo, "not a regular file (a FIFO)"),
], ids=["junk", "nested 100,000 deep", "not a list", "not UTF-8", "FIFO"])
def test_a_hostile_sources_json_is_one_warning_and_is_written_again(
        sources: Path, isolated_home: Path, hostile, problem: str) -> None:
    assert accord("index", str(sources)).returncode == 0
    workspace = isolated_home / "workspace"
    listing = workspace / "sources.json"
    listing.unlink()
    hostile(listing)
    indexed = accord("index", str(sources))
    assert indexed.returncode == 0, indexed.stderr
    warning = one_line(indexed, "warning")
    assert "sources.json" in warning and problem in warning and "written again" in warning
    listed = json.loads(listing.read_text())  # a regular file again, read without blocking
    assert str(sources.resolve()) in listed
    again = accord("search", "harbour")
    assert again.returncode == 0 and again.stderr == ""


def test_a_file_in_place_of_the_whoosh_folder_is_damage_rebuilt(sources: Path, isolated_home: Path) -> None:
    assert accord("index", str(sources)).returncode == 0
    whoosh = isolated_home / "workspace" / "index" / "whoosh"
    shutil.rmtree(whoosh)
    whoosh.write_text("not a folder")
    result = accord("search", "harbour", "--json", "--limit", "50")
    assert result.returncode == 0, result.stderr
    assert "re-indexed 12 articles" in one_line(result, "warning")
    assert own_hits("harbour") == [f"story{n:02}.txt" for n in range(12)]


# A full disk --------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MiB tmpfs, where mounting is allowed (root on Linux)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a full disk needs a small tmpfs: mounting one needs root on Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a 2 MiB tmpfs was refused here ({done.stderr.strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_is_one_line_wipes_nothing_and_work_resumes(small_disk: Path, tmp_path: Path) -> None:
    workspace = small_disk / "ws"
    folder = tmp_path / "own"
    write(folder / "a.txt", "Harbour report\n\nThe harbour ferry service resumed on Monday after the storm.\n")
    ws = ["--workspace", str(workspace)]
    assert accord("index", str(folder), *ws).returncode == 0
    added = accord("note", "add", str(folder / "a.txt"), "--quote", "The harbour ferry", "--note", "first", *ws)
    assert added.returncode == 0, added.stderr
    catalog = workspace / "index" / "catalog.sqlite"
    catalog_before = digest(catalog)
    filler = fill(small_disk)

    write(folder / "b.txt", "Second report\n\nThe lagoon bridge reopened on Tuesday. " + "More words here. " * 2000 + "\n")
    indexed = accord("index", str(folder), *ws)
    assert indexed.returncode in (5, 6) or indexed.returncode == 0
    if indexed.returncode:
        assert "no space left" in one_line(indexed) or "full" in one_line(indexed)
    noted = accord("note", "add", str(folder / "a.txt"), "--quote", "resumed on Monday", "--note", "x" * 20_000, *ws)
    assert noted.returncode in (5, 6), noted.stderr
    assert "full" in one_line(noted) or "no space" in one_line(noted)
    for command in (["note", "list"], ["search", "harbour"]):
        result = accord(*command, *ws)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 5, 6)
        if result.returncode:
            one_line(result)
    assert catalog.exists() and (digest(catalog) == catalog_before or indexed.returncode == 0)

    filler.unlink()  # space returns
    listed = accord("note", "list", "--json", *ws)
    assert listed.returncode == 0, listed.stderr
    assert [row["note"] for row in json.loads(listed.stdout)] == ["first"]
    assert "rebuilt" not in listed.stderr  # the catalog was not wiped as if damaged
    assert accord("index", str(folder), *ws).returncode == 0
    result = json.loads(accord("search", "harbour OR lagoon", "--json", *ws).stdout)
    assert sorted(Path(h["path"]).name for h in result["hits"]) == ["a.txt", "b.txt"]
    assert accord("note", "add", str(folder / "a.txt"), "--quote", "resumed on Monday", *ws).returncode == 0


# The reader on damaged files ------------------------------------------------------------------


READER_WAIT = 120.0  # generous: under load the sync, the rebuild and the workers take far longer than alone


@pytest.mark.parametrize("damage", ["catalog page", "catalog page, read before the app",
                                    "catalog page the first frame skips, read before the app", "whoosh segment",
                                    "empty store", "not a store"])
async def test_the_reader_starts_on_a_damaged_workspace(
        damage: str, sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from textual.app import App

    from accord.index.library import Library
    from accord.index.workspace import Workspace
    from tui_helpers import make_app, panes, panes_loaded, until

    root = tmp_path / "ws"
    with Library(Workspace(root)) as library:
        library.sync([sources])
    catalog = root / "index" / "catalog.sqlite"
    if damage.startswith("catalog page the first frame skips"):
        damage_page(catalog, root_page(catalog, "files"))  # found by the check the first frame leaves out
    elif damage.startswith("catalog page"):
        damage_page(catalog, root_page(catalog, "articles"))
    elif damage == "whoosh segment":
        for segment in (root / "index" / "whoosh").glob("*.seg"):
            damage_postings(segment)
    elif damage == "empty store":
        (root / "annotations.sqlite").write_bytes(b"")
    else:
        (root / "annotations.sqlite").write_bytes(b"the analyst's only copy, not a database" * 100)
    store_before = (root / "annotations.sqlite").read_bytes() if "store" in damage else None
    # Every notification the reader shows, when it shows it: the app's own list drops them as
    # they expire, and under load one may expire before the test looks.
    shown: list[tuple[float, str, str, str]] = []
    notify = App.notify

    def recording(self, message, *, title="", severity="information", timeout=None, markup=True):
        shown.append((time.monotonic(), severity, title, str(message)))
        return notify(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(App, "notify", recording)
    if damage.endswith("before the app"):
        # As `accord` starts: the workspace is read (and rebuilt, with its notice) while
        # Textual is imported, before the app exists to hear it.
        from accord.index.config import load_config
        from accord.index.desk import Desk
        from accord.tui.app import AccordApp
        from accord.tui.early_read import read_known

        desk = Desk(Workspace(root), load_config())
        known = read_known(desk, [str(sources)])
        assert known.result(READER_WAIT) is not None
        app = AccordApp(Workspace(root), [str(sources)], desk.config, desk=desk, known=known)
    else:
        app = make_app([sources], root)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "sync"), "indexing",
                    timeout=READER_WAIT)
        await until(pilot, lambda: panes_loaded(app), "panes to show their articles", timeout=READER_WAIT)
        assert len(app.main.deck.ids) == 12  # the analyst's own articles, not the seeds
        assert panes(app)[0].view.article is not None
        if "store" in damage:
            def store_errors() -> list[float]:
                return [at for at, severity, _, message in shown if severity == "error" and "annotation store" in message]

            await until(pilot, lambda: bool(store_errors()), "the store's error", timeout=READER_WAIT)
            await until(pilot, lambda: all(w.is_finished for w in app.workers), "every worker to finish",
                        timeout=READER_WAIT)
            await pilot.pause()
            errors = store_errors()
            # one broken store, one notification on screen: a repeat only once the first has gone
            assert all(later - earlier >= app.NOTIFICATION_TIMEOUT for earlier, later in zip(errors, errors[1:])), errors
        else:
            if damage == "whoosh segment":
                # damaged postings are met by the first search (the sync opens the index, it reads
                # no posting list); the reader rebuilds and searches the rebuilt index
                from accord.tui.search_panel import SearchPanel
                from tui_helpers import type_text

                await pilot.press("slash")
                await type_text(pilot, "harbour")
                panel = app.query_one(SearchPanel)
                await until(pilot, lambda: panel.result is not None and panel.result.query == "harbour"
                            and panel.result.total == 12, "the search to find the 12 articles", timeout=READER_WAIT)
            await until(pilot, lambda: any(title == "Index" and "re-indexed 12 articles" in message
                                           for _, _, title, message in shown),
                        "the reader told the index was rebuilt", timeout=READER_WAIT)
    if store_before is not None:
        assert (root / "annotations.sqlite").read_bytes() == store_before


def test_a_disk_filling_up_during_a_sync_is_one_error_and_the_index_stays_usable(small_disk: Path, tmp_path: Path) -> None:
    """The disk fills while Accord is open (the writer's own files, not only SQLite's)."""
    from accord.index.errors import AccordError
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    folder = tmp_path / "own"
    write(folder / "a.txt", "Harbour report\n\nThe harbour ferry service resumed on Monday after the storm.\n")
    with Library(Workspace(small_disk / "ws")) as library:
        library.sync([folder])
        filler = fill(small_disk)
        write(folder / "b.txt", "Lagoon report\n\n" + "The lagoon bridge reopened on Tuesday. " * 5000 + "\n")
        with pytest.raises(AccordError) as raised:
            library.sync([folder])
        assert raised.value.exit_code == 6 and "no space left" in str(raised.value), raised.value
        assert "\n" not in str(raised.value)
        filler.unlink()
        assert [hit.path for hit in library.search("harbour").hits] == [str(folder / "a.txt")]
        report = library.sync([folder])
        assert report.added == 1 and len(library.search("lagoon").hits) == 1


def _whoosh_files_outside_its_toc(whoosh: Path) -> list[str]:
    """Files in the Whoosh folder that its table of contents does not account for: what a
    failed commit left behind."""
    from whoosh import index

    ix = index.open_dir(str(whoosh))
    try:
        ids = [segment.segment_id() for segment in ix._segments()]
        generation = ix.latest_generation()
    finally:
        ix.close()
    kept = {"schema-version", f"_MAIN_{generation}.toc"}
    return sorted(name for name in os.listdir(whoosh)
                  if name not in kept and not name.endswith("WRITELOCK")
                  and not any(name.startswith(f"{segment_id}.") for segment_id in ids))


def test_a_commit_that_fills_the_disk_leaves_no_segment_files_behind(small_disk: Path, tmp_path: Path) -> None:
    """A failed commit's partial segment files (.pst, .trm, ...) kept the disk full, so every
    later command failed with exit 6 until a commit succeeded."""
    from accord.index.errors import AccordError
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    folder = tmp_path / "own"
    write(folder / "a.txt", "Harbour report\n\nThe harbour ferry service resumed on Monday after the storm.\n")
    workspace = Workspace(small_disk / "ws")
    with Library(workspace) as library:
        library.sync([folder])
    before = _whoosh_files_outside_its_toc(workspace.whoosh_dir)
    assert before == []
    filler = fill(small_disk)
    filler_size = filler.stat().st_size
    with open(filler, "r+b") as handle:  # room for the catalog's few pages, not for the new segment
        handle.truncate(filler_size - 160 * 1024)
    words = " ".join(f"lagoon{n} bridge{n * 7} reopened{n * 13}" for n in range(600))  # a segment of ~370 KB
    write(folder / "b.txt", "Lagoon report\n\n" + words + "\n")
    with Library(workspace) as library:
        with pytest.raises(AccordError) as raised:
            library.sync([folder])
        assert raised.value.exit_code == 6, raised.value
    assert _whoosh_files_outside_its_toc(workspace.whoosh_dir) == []
    assert not (workspace.whoosh_dir / "MAIN.tmp").exists()
    free = os.statvfs(small_disk)
    assert free.f_bavail * free.f_frsize >= 100 * 1024  # the room the failed commit took is back
    filler.unlink()
    with Library(workspace) as library:
        assert [hit.path for hit in library.search("harbour").hits] == [str(folder / "a.txt")]
        assert library.sync([folder]).added == 1
        assert len(library.search("lagoon5").hits) == 1
