"""The Desk, the engine object both front ends call: its verbs on a real workspace
(Whoosh index and stores on disk), without any terminal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import accord.index.claims.engine as engine_module  # the desk imports its claims verbs where used
import accord.index.claims_apart as apart_module
from accord.index.annotations import Annotation
from accord.index.decisions import SentenceRef
from accord.index.desk import AnnotationChange, DecisionChange, Desk
from accord.index.errors import InputNotFound, NoArticles, QueryError
from accord.index.store import Store
from accord.index.workspace import Workspace

from conftest import write


@pytest.fixture
def desk(tmp_path: Path, seeds_dir: Path):
    with Desk(Workspace(tmp_path / "ws")) as desk:
        desk.sync([str(seeds_dir)])
        yield desk


def seed_id(desk: Desk, number: str) -> str:
    return next(i for i in desk.all_ids() if Path(desk.find(i).path).name.startswith(number))


def test_opening_a_desk_touches_no_disk(tmp_path: Path) -> None:
    Desk(Workspace(tmp_path / "ws"))
    assert not (tmp_path / "ws").exists()


def test_what_the_desk_says_before_anyone_listens_reaches_the_first_listener(tmp_path: Path, seeds_dir: Path) -> None:
    from test_damage import damage_page, root_page

    workspace = Workspace(tmp_path / "ws")
    with Desk(workspace) as desk:
        desk.sync([str(seeds_dir)])
    catalog = tmp_path / "ws" / "index" / "catalog.sqlite"
    damage_page(catalog, root_page(catalog, "article_ids_by_file"))  # what `known_ids` reads, the ids of files
    heard: list[str] = []
    with Desk(workspace) as desk:
        assert len(desk.known_ids([str(seeds_dir)])) == 5  # rebuilt from the workspace's sources
        desk.on_notice = heard.append
        assert len(heard) == 1 and "rebuilt" in heard[0]
        desk.library.on_notice("later")  # and what it says from then on
    assert heard[1:] == ["later"]


def test_the_first_frames_read_leaves_the_catalog_check_to_the_desks_next_use(tmp_path: Path, seeds_dir: Path) -> None:
    """`known` (a reader's first frame) reads a few rows, unchecked; damage those reads miss
    is found by the whole-file check at the next verb, rebuilt and told."""
    from test_damage import damage_page, root_page

    workspace = Workspace(tmp_path / "ws")
    with Desk(workspace) as desk:
        desk.sync([str(seeds_dir)])
    catalog = tmp_path / "ws" / "index" / "catalog.sqlite"
    damage_page(catalog, root_page(catalog, "files"))  # the files table: the first frame reads only articles
    heard: list[str] = []
    with Desk(workspace, on_notice=heard.append) as desk:
        known = desk.known([str(seeds_dir)], summaries=5, articles=2)
        assert len(known.ids) == 5 and len(known.summaries) == 5 and len(known.articles) == 2
        assert heard == []  # not checked yet
        assert len(desk.all_ids()) == 5  # the next verb checks the catalog first, and rebuilds it
        assert len(heard) == 1 and "failed its integrity check" in heard[0] and "re-indexed 5 articles" in heard[0]
        assert desk.sync([str(seeds_dir)]).unchanged == 5
    assert len(heard) == 1


def test_known_ids_come_from_the_catalog_before_any_sync(desk: Desk, seeds_dir: Path, tmp_path: Path) -> None:
    assert len(desk.known_ids([str(seeds_dir)])) == 5
    assert desk.known_ids([str(tmp_path)]) == []


def test_the_first_frames_read_finds_the_files_first_and_reads_the_catalog_in_its_thread(
        desk: Desk, seeds_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from accord.index.discovery import discover_files
    from accord.tui.early_read import FIRST_ARTICLES, FIRST_SUMMARIES, read_known

    paths = [str(seeds_dir)]
    def seen(known) -> tuple:
        return known.ids, known.summaries, {i: a.text for i, a in known.articles.items()}

    given = desk.known(paths, 5, 2, files=discover_files(paths))
    assert seen(given) == seen(desk.known(paths, 5, 2)) and len(given.ids) == 5 and len(given.articles) == 2
    assert seen(read_known(desk, paths).result(5)) == seen(desk.known(paths, FIRST_SUMMARIES, FIRST_ARTICLES))
    # A path that went away between the check and the read: no early read, no exception
    # (the sync meets it again and says so).
    assert read_known(desk, [str(tmp_path / "gone")]).result(5) is None
    # A tree slower to walk than the budget is walked in the read's thread instead.
    with pytest.raises(TimeoutError):
        discover_files(paths, deadline=0.0)
    import accord.tui.early_read as early_read

    monkeypatch.setattr(early_read, "DISCOVERY_BUDGET", -1.0)
    assert seen(read_known(desk, paths).result(5)) == seen(desk.known(paths, FIRST_SUMMARIES, FIRST_ARTICLES))


def test_a_sync_checks_the_catalog_whole_once(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """The reading library checks every page of the catalog before the sync; the sync's own
    writer library does not check it a second time."""
    import accord.index.catalog as catalog_module

    checks: list[int] = []
    original = catalog_module._intact
    monkeypatch.setattr(catalog_module, "_intact", lambda db: (checks.append(1), original(db))[1])
    workspace = Workspace(tmp_path / "ws")
    with Desk(workspace) as first:
        first.sync([str(seeds_dir)])
    checks.clear()
    with Desk(workspace) as desk:
        assert desk.sync([str(seeds_dir)]).unchanged == 5
        assert checks == [1]


def test_sync_reports_each_committed_batch_and_forgets_stale_copies(desk: Desk, tmp_path: Path) -> None:
    path = write(tmp_path / "news" / "a.txt", "Floods in Valmora\n\nThe river rose two metres.\n")
    batches: list[list[str]] = []
    desk.sync([str(path.parent)], on_commit=batches.append)
    [article_id] = [i for batch in batches for i in batch]
    assert "two metres" in desk.find(article_id).text
    path.write_text("Floods in Valmora\n\nThe river rose three metres.\n", encoding="utf-8")
    desk.sync([str(path.parent)])
    assert "three metres" in desk.find(article_id).text  # not the cached first version


def test_search_with_claim_filters_computes_claims_when_asked(desk: Desk) -> None:
    with pytest.raises(QueryError, match="shared claims"):
        desk.search("sources:>=3 patriot", compute_missing=False)  # the reader: its worker finds them
    result = desk.search("sources:>=3 patriot")
    assert desk.report is not None and result.hits
    assert all(desk.support.get(h.article, h.sentence).support >= 3 for h in result.hits)


def test_claims_apply_decisions_and_undo_takes_them_back(desk: Desk) -> None:
    report = desk.claims(desk.all_ids())
    claim = report.claims[0]
    a, b = claim.members[0], next(m for m in claim.members if m.article != claim.members[0].article)
    refs = (SentenceRef(a.article, a.start, a.text), SentenceRef(b.article, b.start, b.text))
    [decision] = desk.decide([refs], "reject")
    apart = desk.claims(desk.all_ids())
    assert not any({(a.article, a.sentence), (b.article, b.sentence)} <= {(m.article, m.sentence) for m in c.members}
                   for c in apart.claims)
    assert isinstance(desk.undo(), DecisionChange)
    with Store(desk.workspace.annotations_path) as store:
        assert decision not in [d.id for d in store.decisions()]
    with pytest.raises(IndexError):
        desk.undo()


def test_only_the_latest_claims_call_becomes_current(desk: Desk, monkeypatch) -> None:
    """A slow earlier run (a threshold the analyst has since changed) must not overwrite a later one."""
    real = engine_module.find_claims
    release = threading.Event()

    def slow_first(articles, **options):
        if options["threshold"] == 0.9:
            release.wait(10)
        return real(articles, **options)

    monkeypatch.setattr(engine_module, "find_claims", slow_first)
    ids = desk.all_ids()
    earlier = threading.Thread(target=desk.claims, args=(ids, 0.9))
    earlier.start()
    later = desk.claims(ids, 0.3)
    release.set()
    earlier.join()
    assert desk.report is later


def test_a_big_corpus_is_solved_by_a_coordinator_process_with_the_same_report(
    tmp_path: Path, seeds_dir: Path, monkeypatch
) -> None:
    """From APART_MIN_ARTICLES on, the desk's process only merges what a coordinator
    process finds (it loads the articles and cuts the stories itself): the report, the
    decisions applied and the progress are those of the in-process run. The size at which
    that path is taken is lowered here, so that a few stories take it."""
    import accord.index.claims.engine as claims_module
    import accord.index.desk as desk_module

    data = Path(__file__).parent / "data" / "claims"
    with Desk(Workspace(tmp_path / "ws")) as desk:
        desk.sync([str(seeds_dir), str(data / "quake"), str(data / "fire"), str(data / "wire")])
        ids = desk.all_ids()
        report = desk.claims(ids)
        claim = report.claims[0]
        a, b = claim.members[0], next(m for m in claim.members if m.article != claim.members[0].article)
        desk.decide([(SentenceRef(a.article, a.start, a.text), SentenceRef(b.article, b.start, b.text))], "reject")
        assert len(ids) > claims_module.SINGLE_BLOCK  # cut into stories, as a large corpus is
        in_process = desk.claims(ids)
        started: list[str] = []
        real_start = apart_module.find_claims_apart

        def counted(*args, **options):
            started.append("coordinator")
            return real_start(*args, **options)

        monkeypatch.setattr(apart_module, "find_claims_apart", counted)
        monkeypatch.setattr(desk_module, "APART_MIN_ARTICLES", 2)
        progress: list[tuple[int, int]] = []
        apart = desk.claims(ids, progress=lambda done, total: progress.append((done, total)))
    assert started == ["coordinator"]
    assert apart == in_process and [c.id for c in apart.claims] == [c.id for c in in_process.claims]
    assert not any({(a.article, a.sentence), (b.article, b.sentence)} <= {(m.article, m.sentence) for m in c.members}
                   for c in apart.claims)  # the rejection travelled with the request
    assert progress[-1][0] == progress[-1][1] > 1 and desk.report is apart and desk.report_complete


def test_annotations_add_edit_delete_and_undo_in_order(desk: Desk) -> None:
    article = desk.find(seed_id(desk, "002"))
    anchor = desk.anchor_quote(article, "This marks a historic   shift in Japan's defense policy.")
    added = desk.annotate(anchor, ("policy",), "first").after
    edited = desk.edit(added, tags=("policy", "exports"), note="second")
    assert (edited.tags, edited.note) == (("policy", "exports"), "second")
    placement = desk.place_annotations([article.id])
    [placed] = placement.placed
    assert placed.annotation == edited and placement.sentence_of[placed.id] == article.sentence_at(placed.start).index
    desk.delete(added.id)
    assert desk.place_annotations().placed == []
    assert isinstance(desk.undo(), AnnotationChange)  # the delete
    assert [p.annotation.note for p in desk.place_annotations().placed] == ["second"]
    desk.undo()  # the edit
    assert [p.annotation.note for p in desk.place_annotations().placed] == ["first"]
    desk.undo()  # the add
    assert desk.annotations() == []


def test_a_quote_not_in_the_article_is_input_not_found(desk: Desk) -> None:
    with pytest.raises(InputNotFound, match="quote not found"):
        desk.anchor_quote(desk.find(seed_id(desk, "000")), "Nothing like this is in the article")


def test_placement_in_view_leaves_out_another_corpus_but_keeps_orphans(desk: Desk, tmp_path: Path) -> None:
    kept = write(tmp_path / "other" / "b.txt", "Floods in Valmora\n\nThe river rose two metres.\n")
    dropped = write(tmp_path / "gone" / "c.txt", "Storms over Kessel\n\nThe wind reached ninety knots.\n")
    desk.sync([str(kept.parent)])
    desk.sync([str(dropped.parent)])
    elsewhere, leaving = (desk.find(desk.article_ids([str(f)])[0]) for f in (kept, dropped))
    seeds = [i for i in desk.all_ids() if i not in (elsewhere.id, leaving.id)]
    desk.annotate(desk.anchor_quote(elsewhere, "The river rose two metres."))
    desk.annotate(desk.anchor_quote(desk.find(seeds[0]), desk.find(seeds[0]).title.split()[0]))
    gone = desk.annotate(desk.anchor_quote(leaving, "The wind reached ninety knots.")).after
    dropped.unlink()
    with pytest.raises(NoArticles):  # the folder is empty now; its file is dropped from the workspace
        desk.sync([str(dropped.parent)])
    placement = desk.place_annotations(seeds)
    assert {p.annotation.article for p in placement.placed} == {seeds[0]}  # the other corpus is left out
    assert [o.annotation.id for o in placement.orphans] == [gone.id]  # its article left the workspace


def test_store_changed_notices_another_writer(desk: Desk) -> None:
    desk.place_annotations()
    assert not desk.store_changed()
    article = desk.find(desk.all_ids()[0])
    with Store(desk.workspace.annotations_path) as other:
        other.add_annotation(desk.anchor_quote(article, article.title.split()[0]))
    assert desk.store_changed()


def test_the_briefing_cites_the_articles_and_uses_the_current_claims(desk: Desk, tmp_path: Path) -> None:
    article = desk.find(seed_id(desk, "002"))
    desk.annotate(desk.anchor_quote(article, "This marks a historic shift in Japan's defense policy."), ("policy",))
    ids = desk.all_ids()
    report = desk.claims(ids)
    desk.place_annotations(ids)
    briefing = desk.briefing(ids)
    assert desk.report is report  # covered: not found again
    assert "## policy" in briefing.markdown and briefing.findings == 1
    assert "outlets" in briefing.markdown  # who else reports it, from the claims
    plain = desk.briefing(with_claims=False)
    assert "## Sources" in plain.markdown and "outlets)" not in plain.markdown
    target = tmp_path / "briefing.html"
    assert Desk.write_briefing(briefing, target) == "html" and target.read_text().startswith("<!DOCTYPE html>")
    with pytest.raises(FileExistsError):
        Desk.write_briefing(briefing, target)


def test_undo_of_a_change_that_fails_stays_undoable(desk: Desk, monkeypatch) -> None:
    from accord.index.errors import StoreError

    article = desk.find(desk.all_ids()[0])
    added = desk.annotate(desk.anchor_quote(article, article.title.split()[0])).after

    def broken(annotation_id: int) -> Annotation:
        raise StoreError("cannot delete: disk full")

    monkeypatch.setattr(desk.store, "delete_annotation", broken)
    with pytest.raises(StoreError):
        desk.undo()
    monkeypatch.undo()
    assert desk.can_undo
    desk.undo()
    assert added.id not in [a.id for a in desk.annotations()]


def test_claims_of_finished_stories_are_current_while_the_rest_run(tmp_path: Path) -> None:
    """Several stories in one workspace: the first story's claims are shown at once,
    progress counts stories, and only the end makes the report complete."""
    from claims_eval import DATA

    with Desk(Workspace(tmp_path / "ws")) as desk:
        for story in ("quake", "fire", "court", "recall"):
            desk.sync([str(DATA / story)])
        seen: list[tuple[int, int, bool, bool]] = []
        desk.claims(desk.all_ids(), progress=lambda done, total: seen.append(
            (done, total, desk.report is not None, desk.report_complete)))
        totals = {total for _, total, _, _ in seen}
        assert len(totals) == 1 and totals.pop() >= 4
        assert [done for done, *_ in seen] == sorted(done for done, *_ in seen)
        assert seen[0][2] and not seen[0][3], "the first story's claims, before the others"
        assert desk.report_complete and len(desk.report.claims) > 4


def test_a_stale_search_is_skipped_and_the_count_can_come_later(desk: Desk) -> None:
    assert desk.search("patriot", cancelled=lambda: True) is None  # a newer keystroke came first
    first = desk.search('"patriot missiles"', count=False)
    assert first is not None and first.hits
    total = first.total if first.counted else desk.count_matches('"patriot missiles"')
    assert total == desk.search('"patriot missiles"').total >= len(first.hits)
    assert desk.count_matches('"patriot missiles"', cancelled=lambda: True) in (None, total)


def test_a_sentence_stating_two_facts_is_corroborated_by_both_claims_in_the_briefing(desk: Desk) -> None:
    ids = desk.all_ids()
    desk.claims(ids)
    support = desk.support
    two = [(a, i) for a in ids for i, entry in support.of_article(a).items() if len(entry.claims) >= 2]
    assert two, "the seeds have a sentence stating two shared facts"
    article_id, index = two[0]
    article = desk.find(article_id)
    sentence = article.sentences[index]
    desk.annotate(desk.anchor_quote(article, article.text[sentence.start : sentence.end]), ("facts",))
    desk.place_annotations(ids)
    briefing = desk.briefing(ids)
    assert briefing.markdown.count("Also reported by") == len(support.get(article_id, index).claims)
    # each line says which of the facts the other outlets report, in another outlet's words
    lines = [line for line in briefing.markdown.splitlines() if line.startswith("Also reported by")]
    facts = [line.split(", as “", 1)[1] for line in lines if ", as “" in line]
    assert len(facts) == len(lines) and len(set(facts)) == len(facts)
    assert not any(fact[:1] in "\"“”'‘’" for fact in facts)  # a quoted wording is not quoted twice (““And it…””)


def test_a_failed_undo_keeps_its_place_below_newer_changes(desk: Desk, monkeypatch) -> None:
    """A change whose undo failed is undoable again from where it was: a change made while
    the undo was under way (another worker's) is still the latest, so `u` takes it back first."""
    from accord.index.errors import StoreError

    article = desk.find(seed_id(desk, "002"))
    first = desk.annotate(desk.anchor_quote(article, article.title.split()[0])).after
    newer: list[Annotation] = []

    def broken(annotation_id: int) -> Annotation:
        newer.append(desk.annotate(desk.anchor_quote(article, "This marks a historic shift in Japan's defense policy.")).after)
        raise StoreError("cannot delete: disk full")

    monkeypatch.setattr(desk.store, "delete_annotation", broken)
    with pytest.raises(StoreError):
        desk.undo()
    monkeypatch.undo()
    desk.undo()  # the newer add
    assert [a.id for a in desk.annotations()] == [first.id]
    desk.undo()  # the first add, whose undo failed
    assert desk.annotations() == [] and not desk.can_undo


def test_only_the_latest_placement_becomes_current(desk: Desk, monkeypatch) -> None:
    """An older placement (read before an annotation was added) finishing last must not
    replace the newer one as the desk's current placement."""
    article = desk.find(seed_id(desk, "002"))
    real = desk.store.annotations
    read, release = threading.Event(), threading.Event()

    def slow_in_older(tags=()):
        found = real(tags)
        if threading.current_thread().name == "older":
            read.set()
            release.wait(10)
        return found

    monkeypatch.setattr(desk.store, "annotations", slow_in_older)
    older = threading.Thread(target=desk.place_annotations, name="older")
    older.start()
    assert read.wait(10)  # the older placement has read the store: no annotation yet
    desk.annotate(desk.anchor_quote(article, "This marks a historic shift in Japan's defense policy."))
    newer = desk.place_annotations()
    release.set()
    older.join()
    assert newer.count == 1 and desk.placement is newer


def reject_first_pair(desk: Desk) -> tuple[tuple[str, int], tuple[str, int]]:
    """Reject two sentences of the current report's first claim; their (article, sentence)."""
    claim = desk.report.claims[0]
    a, b = claim.members[0], next(m for m in claim.members if m.article != claim.members[0].article)
    desk.decide([(SentenceRef(a.article, a.start, a.text), SentenceRef(b.article, b.start, b.text))], "reject")
    return (a.article, a.sentence), (b.article, b.sentence)


def together(report, pair) -> bool:
    return any(set(pair) <= {(m.article, m.sentence) for m in c.members} for c in report.claims)


def test_a_decision_and_its_undo_make_the_briefing_and_filters_find_claims_again(desk: Desk) -> None:
    """The current report is the one with the analyst's decisions applied: after a decision
    (or its undo) the desk's verbs that use it do not reuse the report found before."""
    ids = desk.all_ids()
    before = desk.claims(ids)
    pair = reject_first_pair(desk)
    assert desk.report is before  # still there to show until found again...
    desk.briefing(ids)
    assert not together(desk.report, pair)  # ...but the briefing found them again, the rejection applied
    rejected = desk.report
    desk.undo()
    assert desk.search("sources:>=2 patriot").hits
    assert together(desk.report, pair) and desk.report is not rejected  # so did a filtered search, after the undo
    assert desk.report_current and desk.current_claims(ids) is desk.report  # current: not found again
    reject_first_pair(desk)
    assert not desk.report_current


def test_claims_found_while_a_decision_was_saved_are_not_current(desk: Desk, monkeypatch) -> None:
    """A run that read the decisions before the analyst's latest one may be shown, but the
    desk knows it lacks that decision and finds the claims again when next used."""

    ids = desk.all_ids()
    desk.claims(ids)
    real = engine_module.find_claims
    started, release = threading.Event(), threading.Event()

    def slow(articles, **options):
        started.set()
        release.wait(10)
        return real(articles, **options)

    monkeypatch.setattr(engine_module, "find_claims", slow)
    running = threading.Thread(target=desk.claims, args=(ids,))
    running.start()
    assert started.wait(10)
    pair = reject_first_pair(desk)
    release.set()
    running.join()
    monkeypatch.undo()
    assert together(desk.report, pair) and not desk.report_current
    assert not together(desk.current_claims(ids), pair)


def test_a_changed_article_makes_the_report_stale(tmp_path: Path) -> None:
    story = tmp_path / "story"
    write(story / "a.txt", "Floods in Valmora\n\nThe river rose two metres on Monday in Valmora.\n")
    write(story / "b.txt", "Valmora floods\n\nThe river rose two metres on Monday in Valmora, officials said.\n")
    with Desk(Workspace(tmp_path / "ws")) as desk:
        desk.sync([str(story)])
        ids = desk.all_ids()
        report = desk.current_claims(ids)
        desk.sync([str(story)])  # nothing changed
        assert desk.current_claims(ids) is report
        write(story / "b.txt", "Valmora floods\n\nThe river rose three metres on Monday in Valmora, officials said.\n")
        desk.sync([str(story)])
        assert not desk.report_current
        assert desk.current_claims(ids) is not report


def test_the_seeds_are_the_default_and_an_empty_workspace_gets_them(tmp_path: Path, seeds_dir: Path) -> None:
    """The rules every command shares: no path means the bundled seeds, and a workspace
    with no article at all is given them."""
    assert Desk.default_paths([]) == [str(seeds_dir)] and Desk.default_paths(["a", "b"]) == ["a", "b"]
    with Desk(Workspace(tmp_path / "ws")) as desk:
        done: list[int] = []
        report = desk.ensure_articles(lambda finished, total, _file: done.append(finished))
        assert report is not None and report.added == 5 and desk.count() == 5 and done
        assert desk.ensure_articles() is None  # not empty any more: nothing synced
        assert len(desk.sync_default([]).files) == 5


def test_annotating_a_passage_already_annotated_edits_that_annotation(desk: Desk) -> None:
    """One annotation per passage, for every front end: the same span again edits it (tags
    and note replaced, or merged), an unchanged one is not saved, and undo takes back edits."""
    article = desk.find(seed_id(desk, "002"))
    historic = "This marks a historic shift in Japan's defense policy."
    first = desk.annotate(desk.anchor_quote(article, historic), ("policy",), "First.")
    assert first.before is None
    merged = desk.annotate(desk.anchor_quote(article, historic.replace(" ", "\n")), ("exports", "policy"), "Second.",
                           merge=True)
    assert merged.before == first.after and merged.after.id == first.after.id
    assert (merged.after.tags, merged.after.note) == (("policy", "exports"), "First.\n\nSecond.")
    replaced = desk.annotate(desk.anchor_quote(article, historic), tags=("people",))
    assert (replaced.after.tags, replaced.after.note) == (("people",), "First.\n\nSecond.")
    unchanged = desk.annotate(desk.anchor_quote(article, historic), ("people",), "Second.", merge=True)
    assert unchanged.before == unchanged.after == replaced.after
    assert len(desk.annotations()) == 1
    desk.undo()  # the replaced tags (the unchanged one saved nothing to undo)
    assert desk.annotations()[0].tags == ("policy", "exports")
    other = desk.annotate(desk.anchor_quote(article, "historic shift"))  # another span: another annotation
    assert other.before is None and len(desk.annotations()) == 2
    assert desk.quote_occurrences(article, "Patriot") == article.text.count("Patriot") > 1
    where = desk.where(other.after)
    assert (where.start, where.end, where.how) == (other.after.anchor.start, other.after.anchor.end, "offsets")
