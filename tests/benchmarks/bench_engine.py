"""Engine benchmark: index build against a bare Whoosh writer, incremental re-index,
query latency with snippets, and peak memory, on a synthetic news corpus.

    .venv/bin/python tests/benchmarks/bench_engine.py            # 1k and 10k articles
    .venv/bin/python tests/benchmarks/bench_engine.py --quick    # 1k only

Every phase runs in its own process, so each peak-memory figure is that phase's
own and no phase warms another's caches. The corpus and the built workspaces are
kept under --work (default: the system temp dir) and reused by bench_reader.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Corpus, files, generate  # noqa: E402

TARGETS = {"build_ratio": 1.3, "p95_ms": 50.0, "incremental_s": 1.0}
QUERIES_PER_KIND = 40
DEFAULT_WORK = Path(tempfile.gettempdir()) / "accord-bench"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Phases (each runs in a child process and prints one JSON object) ---------------------


def phase_bare(corpus_dir: Path, out: Path) -> dict:
    """The baseline: the same files through a plain whoosh-reloaded writer, default stemming schema."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    out.mkdir(parents=True, exist_ok=True)
    schema = fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
    )
    started = time.perf_counter()
    ix = index.create_in(str(out), schema)
    writer = ix.writer()
    for path in sorted(corpus_dir.rglob("article-*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        writer.add_document(path=str(path), title=title, body=body)
    writer.commit()
    return {"seconds": time.perf_counter() - started, "peak_mib": peak_rss_mib()}


def phase_build(corpus_dir: Path, workspace_dir: Path) -> dict:
    """Accord's whole import: discover, read, clean, segment, catalog and index."""
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    started = time.perf_counter()
    with Library(Workspace(workspace_dir)) as library:
        report = library.sync([corpus_dir], progress=_progress)
    print(file=sys.stderr)
    return {"seconds": time.perf_counter() - started, "peak_mib": peak_rss_mib(), "articles": report.added}


def _progress(done: int, total: int, _file: str) -> None:
    if done % 500 == 0 or done == total:
        print(f"\r  indexed {done}/{total}", end="", file=sys.stderr, flush=True)


def phase_incremental(corpus_dir: Path, workspace_dir: Path) -> dict:
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    changed = sorted(corpus_dir.rglob("article-*.txt"))[len(list(corpus_dir.rglob("article-*.txt"))) // 2]
    original = changed.read_bytes()
    with Library(Workspace(workspace_dir)) as library:
        started = time.perf_counter()
        library.sync([corpus_dir])
        unchanged = time.perf_counter() - started
        try:
            changed.write_bytes(original + b"A late correction was appended to this report.\n")
            started = time.perf_counter()
            report = library.sync([corpus_dir])
            one_changed = time.perf_counter() - started
            assert report.updated == 1, report.summary()
        finally:
            changed.write_bytes(original)
            library.sync([corpus_dir])  # leave the workspace matching the corpus for bench_reader
    return {"unchanged_s": unchanged, "one_changed_s": one_changed, "peak_mib": peak_rss_mib()}


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def _percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {"p50_ms": statistics.median(timings), "p95_ms": timings[max(0, round(len(timings) * 0.95) - 1)]}


def phase_queries(workspace_dir: Path, queries: dict[str, list[str]]) -> dict:
    """Each query three ways, each on a fresh engine state for that text: the first
    page alone (what the reader paints first, `count=False`), then its count
    (`Library.count`, reusing the first call's work), and the counted search
    on its own (`count=True`, what `accord search` prints)."""
    from accord.index.library import Library
    from accord.index.workspace import Workspace

    results: dict[str, dict] = {}
    with Library(Workspace(workspace_dir)) as library:
        started = time.perf_counter()
        library.search(queries["single"][0], limit=10)
        results["first_query_ms"] = (time.perf_counter() - started) * 1000
        for kind, texts in queries.items():
            page, page_cpu, count, counted, hits = [], [], [], [], 0
            for text in texts:
                library.fulltext._shared.clear()  # measure this query's own reads, not the previous one's
                started, cpu = time.perf_counter(), time.process_time()
                result = library.search(text, limit=10, count=False)  # ranked hits with snippets and highlights
                page.append((time.perf_counter() - started) * 1000)
                page_cpu.append((time.process_time() - cpu) * 1000)
                started = time.perf_counter()
                total = library.count(text)
                count.append((time.perf_counter() - started) * 1000)
                library.fulltext._plans.clear()
                library.fulltext._shared.clear()
                started = time.perf_counter()
                full = library.search(text, limit=10)
                counted.append((time.perf_counter() - started) * 1000)
                assert full.total == total and [h.article for h in full.hits] == [h.article for h in result.hits], text
                hits += bool(result.hits)
            results[kind] = {"page": _percentiles(page), "page_cpu": _percentiles(page_cpu), "count": _percentiles(count),
                             "counted": _percentiles(counted), "queries": len(texts), "with_hits": hits}
        results["memory"] = _memory_over_searches(library, [t for texts in queries.values() for t in texts])
    results["peak_mib"] = peak_rss_mib()
    return results


def _memory_over_searches(library, texts: list[str], searches: int = 200) -> dict:
    """RSS after 10, 100 and 200 searches of different texts (the reader's pattern: a
    page of 50 hits, its count, the spans of the articles on screen)."""
    figures = {}
    for number in range(1, searches + 1):
        text = texts[(number * 7) % len(texts)]
        result = library.search(text, limit=50, count=False)
        library.count(text)
        library.match_spans(text, [hit.article for hit in result.hits[:4]])
        if number in (10, 100, 200):
            figures[f"after_{number}_mib"] = rss_mib()
    return figures


def phase_bare_queries(workspace_dir: Path, queries: dict[str, list[str]]) -> dict:
    """The same query texts through Whoosh's own search on Accord's index: the same
    parser and plugins, its own Prefix, FuzzyTerm and Phrase, top 10 and `len()` (the
    count). Whoosh finds no highlight positions here, so this is its floor."""
    from whoosh import index, qparser
    from whoosh.qparser.dateparse import DateParserPlugin

    ix = index.open_dir(str(workspace_dir / "index" / "whoosh"))
    parser = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(DateParserPlugin(free=False))
    results: dict[str, dict] = {}
    with ix.searcher() as searcher:
        for kind, texts in queries.items():
            timings = []
            for text in texts:
                started = time.perf_counter()
                found = searcher.search(parser.parse(text), limit=10)
                len(found)
                [hit["id"] for hit in found]
                timings.append((time.perf_counter() - started) * 1000)
            results[kind] = _percentiles(timings)
    return results


# Orchestration ----------------------------------------------------------------------------


def make_queries(corpus: Corpus) -> dict[str, list[str]]:
    """Deterministic queries of each kind, spread from common to rare words."""
    lexicon = corpus.lexicon
    ranks = [10 + (i * 4000) // QUERIES_PER_KIND for i in range(QUERIES_PER_KIND)]
    prefixes = list(dict.fromkeys(lexicon[r][:3] + "*" for r in range(50, 4000, 37)))
    common = lexicon[:30]  # the seed words: in nearly every article
    return {
        "single": [lexicon[r] for r in ranks],
        "and": [f"{lexicon[r]} {lexicon[r // 3 + 5]}" for r in ranks],
        "phrase": [f'"{p}"' for p in corpus.phrases[:QUERIES_PER_KIND]],
        "common phrase": [f'"{common[i % 30]} {common[(i * 7 + 3) % 30]}"' for i in range(QUERIES_PER_KIND)],
        "prefix": prefixes[:QUERIES_PER_KIND],
        "fuzzy": [_misspelt(lexicon[r]) + "~" for r in ranks],
    }


def _misspelt(word: str) -> str:
    """One edit away: the last letter replaced."""
    return word[:-1] + ("x" if word[-1] != "x" else "y")


def run_phase(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", *args], stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_size(count: int, work: Path) -> dict:
    corpus_dir = work / f"corpus-{count}"
    print(f"\n== {count} articles ==", flush=True)
    corpus = generate(corpus_dir, count)
    size_mib = sum(p.stat().st_size for p in files(corpus)) / 2**20
    print(f"corpus: {corpus_dir} ({size_mib:.1f} MiB)", flush=True)
    workspace = work / f"workspace-{count}"
    bare_dir = work / f"bare-{count}"
    for stale in (workspace, bare_dir):
        subprocess.run(["rm", "-rf", str(stale)], check=True)

    bare = run_phase("bare", str(corpus_dir), str(bare_dir))
    print(f"bare whoosh writer:   {bare['seconds']:8.1f} s  ({count / bare['seconds']:.0f} articles/s)", flush=True)
    build = run_phase("build", str(corpus_dir), str(workspace))
    ratio = build["seconds"] / bare["seconds"]
    print(f"accord import:        {build['seconds']:8.1f} s  ({count / build['seconds']:.0f} articles/s)", flush=True)
    print(f"build ratio:          {ratio:8.2f} x  {_verdict(ratio <= TARGETS['build_ratio'], '<= 1.3x')}")
    incremental = run_phase("incremental", str(corpus_dir), str(workspace))
    print(f"re-sync, no change:   {incremental['unchanged_s']:8.2f} s")
    print(
        f"re-sync, one changed: {incremental['one_changed_s']:8.2f} s  "
        f"{_verdict(incremental['one_changed_s'] <= TARGETS['incremental_s'], '<= 1 s')}"
    )
    texts = make_queries(corpus)
    queries = run_phase("queries", str(workspace), json.dumps(texts))
    bare_queries = run_phase("bare-queries", str(workspace), json.dumps(texts))
    print_queries(queries, bare_queries)
    print(
        f"peak memory (RSS):    bare {bare['peak_mib']:.0f} MiB, import {build['peak_mib']:.0f} MiB, "
        f"re-sync {incremental['peak_mib']:.0f} MiB, search {queries['peak_mib']:.0f} MiB"
    )
    return {"count": count, "bare": bare, "build": build, "ratio": ratio, "incremental": incremental,
            "queries": queries, "bare_queries": bare_queries}


def print_queries(queries: dict, bare_queries: dict) -> None:
    print(f"first query (cold):   {queries['first_query_ms']:8.1f} ms")
    print("query p50 / p95 ms    first page, with highlights (its CPU time) | its count after | counted search | "
          "bare Whoosh (no highlights)")
    for kind in bare_queries:
        q, b = queries[kind], bare_queries[kind]
        page, cpu, count, counted = q["page"], q["page_cpu"], q["count"], q["counted"]
        print(
            f"{kind:<16}{page['p50_ms']:6.1f} / {page['p95_ms']:6.1f} ({cpu['p50_ms']:5.1f} / {cpu['p95_ms']:5.1f}) | "
            f"{count['p50_ms']:6.1f} / {count['p95_ms']:6.1f} | "
            f"{counted['p50_ms']:6.1f} / {counted['p95_ms']:6.1f} | {b['p50_ms']:6.1f} / {b['p95_ms']:6.1f}  "
            f"({q['with_hits']}/{q['queries']} with hits)  {_verdict(page['p95_ms'] <= TARGETS['p95_ms'], 'p95 <= 50 ms')}"
        )
    memory = queries["memory"]
    print(f"memory over searches: {memory['after_10_mib']:.0f} MiB after 10, {memory['after_100_mib']:.0f} MiB after 100, "
          f"{memory['after_200_mib']:.0f} MiB after 200")


def bench_queries_only(count: int, work: Path) -> dict:
    print(f"\n== {count} articles (queries only) ==", flush=True)
    corpus = generate(work / f"corpus-{count}", count)
    texts = make_queries(corpus)
    queries = run_phase("queries", str(work / f"workspace-{count}"), json.dumps(texts))
    bare_queries = run_phase("bare-queries", str(work / f"workspace-{count}"), json.dumps(texts))
    print_queries(queries, bare_queries)
    print(f"peak memory (RSS):    search {queries['peak_mib']:.0f} MiB")
    return {"count": count, "queries": queries, "bare_queries": bare_queries}


def _verdict(ok: bool, target: str) -> str:
    return f"[{'ok' if ok else 'MISSED'}: target {target}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k articles only")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpora and workspaces are kept")
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    parser.add_argument("--queries-only", action="store_true",
                        help="only the query figures, on workspaces an earlier run built (under --work)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        if name == "bare":
            result = phase_bare(Path(rest[0]), Path(rest[1]))
        elif name == "build":
            result = phase_build(Path(rest[0]), Path(rest[1]))
        elif name == "incremental":
            result = phase_incremental(Path(rest[0]), Path(rest[1]))
        elif name == "bare-queries":
            result = phase_bare_queries(Path(rest[0]), json.loads(rest[1]))
        else:
            result = phase_queries(Path(rest[0]), json.loads(rest[1]))
        print(json.dumps(result))
        return 0
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    print(f"accord engine benchmark · python {sys.version.split()[0]} · {os.cpu_count()} cores")
    if args.queries_only:
        figures = [bench_queries_only(count, args.work) for count in sizes]
    else:
        figures = [bench_size(count, args.work) for count in sizes]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
