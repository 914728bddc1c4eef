"""The engine end to end on a real workspace: catalog, Whoosh index on disk, incremental sync, search."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import json
import textwrap
import time
from pathlib import Path

import pytest

from accord.index import fulltext
from accord.index.catalog import BUSY_TIMEOUT
from accord.index.errors import IndexBusy, InputNotFound, NoArticles, QueryError
from accord.index.library import Library
from accord.index.workspace import Workspace
from conftest import write


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    """A private, editable copy of the seeds."""
    target = tmp_path / "corpus"
    shutil.copytree(seeds_dir, target)
    return target


def _ids_for(library: Library, query: str, **kwargs) -> list[str]:
    return [hit.article for hit in library.search(query, **kwargs).hits]


def _story(folder: Path, **bodies: str) -> Path:
    for name, body in bodies.items():
        write(folder / f"{name}.txt", f"Headline for {name}\n{body}\n")
    return folder


def test_sync_indexes_then_skips_unchanged_files(library: Library, corpus: Path) -> None:
    first = library.sync([corpus])
    assert (first.added, first.unchanged, len(first.files)) == (5, 0, 5)
    again = library.sync([corpus])
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 5)
    assert library.fulltext.doc_count() == 5


def test_changed_file_is_reindexed_and_deleted_file_dropped(library: Library, corpus: Path) -> None:
    library.sync([corpus])
    changed = corpus / "004_655e8128408faf12.txt"
    changed.write_text(changed.read_text() + "\nThe shipment includes a zorbulator unit.\n")
    (corpus / "000_9bbabdd97d7829be.txt").unlink()
    report = library.sync([corpus])
    assert (report.updated, report.removed, report.unchanged) == (1, 1, 3)
    assert _ids_for(library, "zorbulator") == library.article_ids([str(changed.resolve())])
    assert _ids_for(library, "batteries which") == []  # only the deleted seed said that
    assert library.fulltext.doc_count() == 4


def test_touched_but_identical_file_is_not_reindexed(library: Library, corpus: Path) -> None:
    library.sync([corpus])
    seed = corpus / "001_18bdf6cbabb31623.txt"
    seed.write_bytes(seed.read_bytes())  # new mtime, same content
    report = library.sync([corpus])
    assert (report.updated, report.unchanged) == (0, 5)


def test_hit_points_at_its_sentence_with_highlighted_words(library: Library, corpus: Path) -> None:
    library.sync([corpus])
    hits = library.search("replenish arsenal", limit=5).hits
    assert len(hits) == 3  # reports with a form of both words: 001, 002, 004
    for hit in hits:
        article = library.article(hit.article)
        sentence = article.sentences[hit.sentence]
        assert (hit.start, hit.end) == (sentence.start, sentence.end)
        assert hit.snippet in article.text[hit.start : hit.end]  # long sentences are clipped
        assert {hit.snippet[s:e].lower() for s, e in hit.highlights} <= {"replenish", "replenishing", "arsenal"}
    together = [h for h in hits if len({h.snippet[s:e].lower() for s, e in h.highlights}) == 2]
    assert len(together) == 1
    assert together[0].snippet.endswith("it will be used to replenish the arsenal of the US military "
                                        "for the security of the Indo-Pacific region.")


def test_search_json_shape_is_stable(library: Library, corpus: Path) -> None:
    library.sync([corpus])
    data = library.search("Hayashi", limit=2).to_json()
    assert set(data) == {"query", "total", "hits"}
    assert {"article", "title", "outlet", "date", "path", "start", "end", "snippet", "score"} <= set(data["hits"][0])


def test_stemming_matches_word_forms_the_porter_stemmer_splits(library: Library, tmp_path: Path) -> None:
    _story(tmp_path / "s", a="Diplomats will negotiate a ceasefire.", b="Nobody organized the talks.")
    library.sync([tmp_path / "s"])
    assert len(_ids_for(library, "negotiating")) == 1
    assert len(_ids_for(library, "organize")) == 1


def test_phrase_keeps_its_small_words(library: Library, tmp_path: Path) -> None:
    _story(tmp_path / "s", a="Exports to countries at war stay banned.", b="Exports to countries in war zones.",
           c="Exports to countries that are at war.")
    library.sync([tmp_path / "s"])
    hits = library.search('"countries at war"').hits
    assert [h.snippet for h in hits] == ["Exports to countries at war stay banned."]


def test_prefix_is_not_stemmed_and_expansion_is_capped(library: Library, tmp_path: Path) -> None:
    _story(tmp_path / "s", a="Cosmic costs rose.", b="The coal company closed.")
    words = " ".join(f"mis{n:03d}x" for n in range(200))
    _story(tmp_path / "s", c=f"Many words: {words} and mis000x mis000x again.")
    library.sync([tmp_path / "s"])
    assert len(_ids_for(library, "cos*")) == 1
    query = library.fulltext.parse("body:mis*")
    assert isinstance(query, fulltext.CappedPrefix)
    with library.fulltext._ix.searcher() as searcher:
        expanded = query._btexts(searcher.reader())
    assert len(expanded) == fulltext.EXPANSION_LIMIT < 200
    assert b"mis000x" in expanded  # the most frequent expansion is kept


def _highlighted_words(library: Library, query: str) -> set[str]:
    return {hit.snippet[s:e] for hit in library.search(query).hits for s, e in hit.highlights}


def test_expanded_and_negated_words_are_highlighted_correctly(library: Library, tmp_path: Path) -> None:
    _story(tmp_path / "s", a="Missiles and missile parts were shipped to Poland.",
           b="The mission failed in Warsaw.", c="Poland ordered more missiles.")
    library.sync([tmp_path / "s"])
    assert _highlighted_words(library, "missil*") == {"Missiles", "missile", "missiles"}
    assert _highlighted_words(library, "mis*on") == {"mission"}
    assert _highlighted_words(library, "polan~") == {"Poland"}
    # a NOT word is never a reason for a hit, so it is never highlighted
    assert _highlighted_words(library, "missiles NOT warsaw") == {"Missiles", "missile", "missiles"}
    assert _highlighted_words(library, "missiles OR NOT poland") >= {"Missiles"}
    assert "Poland" not in _highlighted_words(library, "missiles OR NOT poland")


def test_field_queries_dates_and_fuzzy(library: Library, corpus: Path) -> None:
    library.sync([corpus])
    [unn] = _ids_for(library, "outlet:UNN")
    assert library.article(unn).outlet == "UNN"
    dated = [a for a in library.summaries(library.article_ids(library.sync([corpus]).files)) if a.date]
    assert _ids_for(library, "date:2023-12-23") == [dated[0].id]
    assert _ids_for(library, "date:[2023-12-01 to 2023-12-31]") == [dated[0].id]
    assert _ids_for(library, "date:[2024-01-01 to 2024-12-31]") == []
    fuzzy = _ids_for(library, "hayasi~")  # one edit away: "Hayashi" twice, and the misspelt "Hajasi"
    assert len(fuzzy) == 3 and any("Hajasi" in library.article(a).text for a in fuzzy)
    assert len(_ids_for(library, "title:patriot NOT outlet:UNN")) == 2


@pytest.mark.parametrize("bad", ['"unclosed phrase', "date:[garbage to x]"])
def test_malformed_query_is_a_one_line_error(library: Library, corpus: Path, bad: str) -> None:
    library.sync([corpus])
    with pytest.raises(QueryError) as caught:
        library.search(bad)
    assert "\n" not in str(caught.value) and bad in str(caught.value)


def test_search_can_be_scoped_to_files(library: Library, corpus: Path, tmp_path: Path) -> None:
    library.sync([corpus])
    other = _story(tmp_path / "other", a="Patriot missiles are discussed here too.")
    scoped = library.sync([other]).files
    assert len(_ids_for(library, "patriot", limit=50)) == 6
    assert _ids_for(library, "patriot", files=scoped) == library.article_ids(scoped)


def test_missing_path_and_empty_folder(library: Library, tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        library.sync([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoArticles):
        library.sync([tmp_path / "empty"])


def test_corrupt_index_is_rebuilt_from_the_sources(workspace: Workspace, corpus: Path) -> None:
    with Library(workspace) as library:
        library.sync([corpus])
    for segment in workspace.whoosh_dir.glob("*.seg"):
        segment.write_bytes(b"garbage")
    notices: list[str] = []
    with Library(workspace, on_notice=notices.append) as library:
        assert library.fulltext.rebuilt
        # re-indexed from the workspace's own sources on opening, before any sync
        assert library.catalog.count() == 5 and len(_ids_for(library, "patriot")) == 5
        assert library.sync([corpus]).unchanged == 5
    assert len(notices) == 1 and "re-indexed 5 articles from 1 sources" in notices[0]


def test_schema_version_change_rebuilds(workspace: Workspace, corpus: Path) -> None:
    with Library(workspace) as library:
        library.sync([corpus])
    (workspace.whoosh_dir / "schema-version").write_text("0\n")
    with Library(workspace) as library:
        # the catalog is rebuilt with it, from the sources the workspace had
        assert library.catalog.count() == 5
        assert library.sync([corpus]).unchanged == 5


def _old_catalog_index(workspace: Workspace) -> None:
    """Make the catalog as Accord made it before `article_ids_by_file`."""
    db = sqlite3.connect(workspace.catalog_path)
    db.executescript("DROP INDEX article_ids_by_file; CREATE INDEX articles_by_file ON articles (file, position);")
    db.close()


def _ids_plan(workspace: Workspace) -> str:
    db = sqlite3.connect(workspace.catalog_path)
    try:
        return " ".join(row[-1] for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT file, id FROM articles ORDER BY file, position"))
    finally:
        db.close()


def test_an_older_catalog_gets_the_covering_index_without_a_rebuild(workspace: Workspace, corpus: Path) -> None:
    with Library(workspace) as library:
        library.sync([corpus])
        ids = library.article_ids([str(p) for p in sorted(corpus.iterdir())])
    _old_catalog_index(workspace)
    assert "COVERING INDEX" not in _ids_plan(workspace)
    notices: list[str] = []
    with Library(workspace, on_notice=notices.append) as library:
        assert not library.catalog.rebuilt and not notices  # an index added, nothing re-indexed
        assert library.article_ids([str(p) for p in sorted(corpus.iterdir())]) == ids
        assert library.sync([corpus]).unchanged == 5
    assert "COVERING INDEX article_ids_by_file" in _ids_plan(workspace), _ids_plan(workspace)


def test_a_catalog_another_process_is_writing_opens_at_once_and_gets_its_index_later(
        workspace: Workspace, corpus: Path) -> None:
    with Library(workspace) as library:
        library.sync([corpus])
    _old_catalog_index(workspace)
    holder = sqlite3.connect(workspace.catalog_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another Accord in the middle of a sync
    try:
        started = time.monotonic()
        with Library(workspace) as library:
            assert library.catalog.count() == 5
        assert time.monotonic() - started < BUSY_TIMEOUT / 2  # did not wait out the other's lock
        assert "COVERING INDEX" not in _ids_plan(workspace)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Library(workspace) as library:
        assert library.catalog.count() == 5
    assert "COVERING INDEX article_ids_by_file" in _ids_plan(workspace)


@pytest.mark.parametrize("odd_names", [(), ("\x1f",), ("\x1e", "\x1f")],
                         ids=["plain names", "a name holding the pair separator", "names holding both separators"])
@pytest.mark.parametrize("whole_scan_from", [0, 10_000], ids=["whole catalog in one row", "by file"])
def test_article_ids_come_in_file_order_whatever_the_file_names_hold(
        workspace: Workspace, tmp_path: Path, monkeypatch, whole_scan_from: int, odd_names: tuple[str, ...]) -> None:
    """Both reads of `article_ids` give the same order; the one-row read of the whole
    catalog (separators \\x1e, \\x1f) falls back to rows for names that hold them."""
    import accord.index.catalog as catalog_module

    folder = tmp_path / "names"
    names = ["b.txt", "a\x1eb.txt" if "\x1e" in odd_names else "ab.txt", "a\x1fc.txt" if "\x1f" in odd_names else "a c.txt",
             "a.txt", "c.jsonl"]
    for name in names[:-1]:
        write(folder / name, f"Headline {name!r}\nBody of the article called {name!r} here.\n")
    write(folder / "c.jsonl", "".join(json.dumps({"title": f"Two {n}", "text": f"Text number {n} of two."}) + "\n"
                                      for n in (1, 2)))
    monkeypatch.setattr(catalog_module, "WHOLE_SCAN_FROM", whole_scan_from)
    with Library(workspace) as library:
        library.sync([folder])
        files = [str(folder / n) for n in sorted(names)]
        ids = library.article_ids(files)
        assert len(ids) == 6
        paths = [f for f in files for _ in range(2 if f.endswith("jsonl") else 1)]
        paths[-2:] = [paths[-2] + "#1", paths[-1] + "#2"]  # a JSON Lines file's articles by position
        assert [library.article(i).path for i in ids] == paths
        assert library.article_ids(list(reversed(files)))[:2] == ids[-2:]  # the order asked for, not the catalog's


def test_a_lost_catalog_without_sources_json_is_rebuilt_from_the_files_whoosh_recorded(
        workspace: Workspace, corpus: Path) -> None:
    with Library(workspace) as library:
        library.sync([corpus])
    workspace.sources_path.unlink()
    workspace.catalog_path.write_bytes(b"not a database at all" * 500)  # its own file list is gone too
    notices: list[str] = []
    with Library(workspace, on_notice=notices.append) as library:
        assert library.catalog.count() == 5 and len(_ids_for(library, "patriot")) == 5
    assert len(notices) == 1 and "re-indexed 5 articles" in notices[0], notices
    assert len(json.loads(workspace.sources_path.read_text())) == 5  # written again, from the catalog's files


def test_another_writer_makes_sync_wait_then_fail_clearly(workspace: Workspace, corpus: Path, monkeypatch) -> None:
    with Library(workspace) as library:
        library.sync([corpus])
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from whoosh import index
            writer = index.open_dir({str(workspace.whoosh_dir)!r}).writer()
            print("locked", flush=True)
            sys.stdin.readline()
            writer.cancel()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(fulltext, "LOCK_TIMEOUT", 0.5)
        (corpus / "new.txt").write_text("Headline\nA new report arrived today.\n")
        with Library(workspace) as library, pytest.raises(IndexBusy) as caught:
            library.sync([corpus])
        assert "another Accord process" in str(caught.value)
    finally:
        holder.communicate("\n", timeout=10)
    with Library(workspace) as library:  # nothing was corrupted: the next sync succeeds
        assert library.sync([corpus]).added == 1
        assert len(_ids_for(library, "patriot")) == 5


def _many_reports(folder: Path, seeds_dir: Path, count: int) -> Path:
    seeds = sorted(seeds_dir.iterdir())
    for number in range(count):  # the messy seeds under new names, plus bad files
        write(folder / f"{number:04}.txt", seeds[number % len(seeds)].read_text() + f"\nReport number {number}.\n")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def _snapshot(library: Library, report) -> tuple:
    ids = library.article_ids(report.files)
    articles = [library.article(i) for i in ids]
    return (
        report.summary(),
        sorted(str(w) for w in report.warnings),
        [(a.id, a.title, a.outlet, a.date, a.text, a.sentences, a.removed, a.repairs) for a in articles],
        [h.article for h in library.search("Patriot missiles", limit=50).hits],
    )


def test_worker_processes_load_a_big_import_exactly_as_in_process(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.index import loading
    from accord.index.loading import PARALLEL_MIN_FILES

    folder = _many_reports(tmp_path / "many", seeds_dir, PARALLEL_MIN_FILES + 20)
    results = []
    for workers in (2, 0):
        monkeypatch.setattr(loading, "worker_count", lambda files, workers=workers: workers)
        with Library(Workspace(tmp_path / f"ws-{workers}")) as library:
            results.append(_snapshot(library, library.sync([folder])))
    parallel, serial = results
    assert parallel == serial
    assert parallel[0].startswith(f"{PARALLEL_MIN_FILES + 20} added") and "2 skipped" in parallel[0]


def test_a_cancelled_big_import_stops_its_workers_and_resumes_later(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.index import library as library_module
    from accord.index import loading

    monkeypatch.setattr(loading, "worker_count", lambda files: 2)
    monkeypatch.setattr(library_module, "COMMIT_EVERY_FILES", 50)
    folder = _many_reports(tmp_path / "many", seeds_dir, 240)

    class Cancelled(Exception):
        pass

    def cancel_at_120(done: int, total: int, file: str) -> None:
        if done == 120:
            raise Cancelled

    with Library(Workspace(tmp_path / "ws")) as library:
        with pytest.raises(Cancelled):
            library.sync([folder], progress=cancel_at_120)
        assert library.fulltext.doc_count() == 100  # the committed batches, nothing half-written
        report = library.sync([folder])
        assert (report.added, report.unchanged) == (140, 100)
        assert library.fulltext.doc_count() == 240
