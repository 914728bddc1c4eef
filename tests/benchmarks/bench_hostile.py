"""What hostile input costs: each case of tests/hostile_cases.py read by the engine
(`load_file`, in this process) and indexed by the real `accord index` (a subprocess,
the hostile file beside a good one), and how the cost of a line with no spaces grows
with its length (linear: the glued-word splitter no longer tries every cut, the reader
cuts a long word in one walk, a word over 64 characters is never stemmed).

    .venv/bin/python tests/benchmarks/bench_hostile.py           # every case, lines up to 10 MB
    .venv/bin/python tests/benchmarks/bench_hostile.py --quick   # lines up to 2 MB

Prints figures; it is not a timed test. Files are generated in a temporary folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for hostile_cases

from hostile_cases import CASES, GOOD_TEXT, prepare, random_letters  # noqa: E402

from accord.index.fulltext import make_schema, stem  # noqa: E402
from accord.index.ingest import discover, load_file  # noqa: E402
from accord.index.model import Paragraph  # noqa: E402
from accord.index.repairs import english_words, split_glued  # noqa: E402
from accord.index.rules import compile_rules  # noqa: E402
from accord.tui.layout import wrap  # noqa: E402

CASE_LIMIT_S = 90.0  # the per-case limit tests/test_hostile.py allows


def engine_seconds(files: list[str]) -> float:
    started = time.perf_counter()
    for file in files:
        load_file(file, None)
    return time.perf_counter() - started


def cli_seconds(args: list[str], workspace: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "accord", "index", "--quiet", "--workspace", str(workspace), *args],
                   capture_output=True, stdin=subprocess.DEVNULL, timeout=CASE_LIMIT_S * 2, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="lines up to 2 MB only")
    options = parser.parse_args()
    english_words()
    with tempfile.TemporaryDirectory(prefix="accord-bench-hostile-") as temporary:
        root = Path(temporary)
        good = root / "good-only"
        good.mkdir()
        (good / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
        baseline = cli_seconds([str(good)], root / "ws-good")
        print(f"accord index of one good file: {baseline:.2f} s (the fixed cost every case below includes)\n")
        print(f"{'case':34} {'engine read':>12} {'accord index':>13} {'limit':>7}")
        for number, case in enumerate(CASES):
            folder = root / f"case{number}"
            args = prepare(case, folder)
            files = [str(f) for f in discover(args[:1])] + args[1:]
            engine = engine_seconds(files)
            cli = cli_seconds(args, folder / "ws")
            print(f"{case.name:34} {engine:10.3f} s {cli:11.2f} s {CASE_LIMIT_S:5.0f} s")

        print("\nA line of letters without spaces (engine read; linear means the same s/MB at each size):")
        sizes = [0.25, 0.5, 1, 2] + ([] if options.quick else [5, 10])
        for megabytes in sizes:
            path = root / f"letters-{megabytes}.txt"
            path.write_bytes(b"A title of a long file\n\n" + b"abcdefghij" * int(megabytes * 100_000) + b"\n")
            seconds = engine_seconds([str(path)])
            print(f"  {megabytes:5} MB: {seconds:7.3f} s  ({seconds / megabytes:.3f} s/MB)")

        print("\nThe reader's wrap (80 columns) of a word without spaces (was quadratic: 200 KB 2.9 s, 400 KB 12.7 s):")
        for megabytes in sizes:
            word = "abcdefghij" * int(megabytes * 100_000)
            started = time.perf_counter()
            wrap(word, [Paragraph(0, 0, len(word))], 80)
            seconds = time.perf_counter() - started
            print(f"  {megabytes:5} MB: {seconds:7.3f} s  ({seconds / megabytes:.3f} s/MB)")

        print("\nA line of random letters, a third of them 'y', through the index's analyzer (was quadratic in the"
              " stemmer: 3 MB 13.9 s):")
        analyzer = make_schema()["body"].analyzer
        for megabytes in sizes:
            line = f"Storms {random_letters(int(megabytes * 1_000_000)).decode()} flooding"
            started = time.perf_counter()
            for _token in analyzer(line):
                pass
            seconds = time.perf_counter() - started
            print(f"  {megabytes:5} MB: {seconds:7.3f} s  ({seconds / megabytes:.3f} s/MB)")
        started = time.perf_counter()
        stem("ay" * 200_000)
        print(f"stem() of 400 KB of 'ay': {(time.perf_counter() - started) * 1000:.3f} ms (was 8.4 s)")

        run = "abcdefghij" * 20_000  # the 200 KB run the issue timed at 9 s
        split_glued.cache_clear()
        started = time.perf_counter()
        split_glued(run)
        print(f"\nsplit_glued on a 200 KB run of letters: {(time.perf_counter() - started) * 1000:.3f} ms (was 9 s)")

        [redos] = compile_rules([{"name": "redos", "pattern": "(a+)+$"}])
        line = "a" * 100_000 + "b"
        started = time.perf_counter()
        redos.matches(line)
        print(f"user rule (a+)+$ on a 100 KB line of a's ending in b (RE2): {(time.perf_counter() - started) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
