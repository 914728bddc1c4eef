"""Per-sentence support (what the reader colours) and claim-state search filters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.index import claim_query
from accord.index.claims import find_claims
from accord.index.errors import QueryError
from accord.index.library import Library
from accord.index.support import ALL, SEVERAL, SINGLE, SupportMap, conflict_spans

from claims_eval import DATA


@pytest.fixture
def quake_library(library: Library) -> Library:
    library.sync([DATA / "quake"])
    return library


@pytest.fixture
def quake_support(quake_library: Library) -> SupportMap:
    ids = quake_library.catalog.all_ids()
    return SupportMap(find_claims([quake_library.article(i) for i in ids]))


def test_every_claim_member_and_single_source_sentence_has_its_kind(quake_support: SupportMap) -> None:
    report = quake_support.report
    for claim in report.claims:
        for member in claim.members:
            entry = quake_support.get(member.article, member.sentence)
            assert claim in entry.claims and entry.claim is entry.claims[0]  # a sentence may be in two claims
            strongest = entry.claims[0]
            assert entry.kind == (ALL if strongest.support == report.sources else SEVERAL)
            assert entry.support == strongest.support >= claim.support
    for member in report.single_source:
        entry = quake_support.get(member.article, member.sentence)
        assert entry.kind == SINGLE and entry.support == 1 and entry.claim is None
    assert any(e.kind == ALL for a in quake_support.articles() for e in quake_support.of_article(a).values())


def test_discrepancies_mark_their_sentences_and_values(quake_support: SupportMap) -> None:
    death_toll = next(d for d in quake_support.report.discrepancies if set(d.variants) >= {"12", "14"})
    for member in death_toll.members:
        entry = quake_support.get(member.article, member.sentence)
        assert entry.conflict and death_toll in entry.discrepancies
        spans = conflict_spans(member.text, member.start, [death_toll])
        assert spans and all(member.text[s - member.start : e - member.start] in death_toll.variants for s, e in spans)


def test_a_value_inside_a_longer_number_is_not_a_conflict_span() -> None:
    from accord.index.claims import Discrepancy

    spans = conflict_spans("Some 112 people, not 12.", 100, [Discrepancy("number", ["12", "14"], [])])
    assert spans == [(121, 123)]


@pytest.mark.parametrize(
    ("query", "text", "count"),
    [
        ("sources:>=3 quake", "quake", 1),
        ("conflict:yes", "", 1),
        ("single:no patriot OR rescue", "patriot OR rescue", 1),
        ("SOURCES:2", "", 1),
        ("velmora", "velmora", 0),
    ],
)
def test_filters_are_taken_out_of_the_query(query: str, text: str, count: int) -> None:
    parsed = claim_query.parse(query)
    assert parsed.text == text and len(parsed.tests) == count


@pytest.mark.parametrize("query", ["sources:many", "sources:", "single:perhaps", "conflict:"])
def test_a_filter_it_cannot_read_is_a_query_error(query: str) -> None:
    with pytest.raises(QueryError, match=query.split(":")[0].lower()):
        claim_query.parse(query)


def test_sources_filter_keeps_only_well_supported_sentences(quake_library: Library, quake_support: SupportMap) -> None:
    result = claim_query.search(quake_library, quake_support, "sources:>=3", limit=100)
    assert result.hits
    for hit in result.hits:
        assert quake_support.get(hit.article, hit.sentence).support >= 3
    expected = sum(len({(m.article, m.sentence) for m in c.members}) for c in quake_support.report.claims if c.support >= 3)
    assert result.total == expected


def test_filters_combine_with_words(quake_library: Library, quake_support: SupportMap) -> None:
    result = claim_query.search(quake_library, quake_support, "conflict:yes people", limit=100)
    assert result.hits
    for hit in result.hits:
        assert quake_support.get(hit.article, hit.sentence).conflict
        assert any("people" in hit.snippet[s:e].lower() for s, e in hit.highlights)
    none = claim_query.search(quake_library, quake_support, "single:yes velmora sources:>=3", limit=100)
    assert none.hits == []  # contradictory filters: nothing


def test_filters_without_claims_say_so(quake_library: Library) -> None:
    with pytest.raises(QueryError, match="not computed"):
        claim_query.search(quake_library, None, "single:yes", limit=5)
    assert claim_query.search(quake_library, None, "velmora", limit=5).hits  # plain queries still work


def test_search_command_understands_claim_filters(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "search", "conflict:yes", str(DATA / "quake"), "--json",
         "--workspace", str(tmp_path / "ws")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["hits"]
    assert hits and any("12" in h["snippet"] or "14" in h["snippet"] for h in hits)
    bad = subprocess.run(
        [sys.executable, "-m", "accord", "search", "single:perhaps", str(DATA / "quake"), "--workspace", str(tmp_path / "ws")],
        capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2 and "yes or no" in bad.stderr and "Traceback" not in bad.stderr


def test_claims_command_takes_its_threshold_from_the_config(tmp_path: Path, isolated_home: Path) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)

    def claims(*extra: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "accord", "claims", str(DATA / "quake"), "--json", "--workspace",
             str(tmp_path / "ws"), *extra],
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    default = claims()
    config.write_text("[claims]\nthreshold = 0.9\nmin_sources = 3\n", encoding="utf-8")
    strict = claims()
    assert len(strict["claims"]) < len(default["claims"])
    assert all(c["support"] >= 3 for c in strict["claims"])
    loose = claims("--threshold", "0.2", "--min-sources", "2")["claims"]  # flags win over the config
    assert len(loose) > len(strict["claims"]) and any(c["support"] == 2 for c in loose)
