"""The `accord` command: the reader by default, plus `index`, `search`, `claims`,
`note`, `export` and `info`. The note and export commands live in `cli_notes.py`.

Textual is imported only when the reader starts, so scripting commands stay quick.
Every failure the user can cause ends as one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from accord import __version__
from accord.index import claim_query
from accord.index.briefing import DEFAULT_TITLE
from accord.index.annotations import AnnotationMap, locate
from accord.index.claims import DEFAULT_THRESHOLD, ClaimReport, find_claims
from accord.index.config import Config, load_config
from accord.index.errors import AccordError
from accord.index.ingest import bundled_seeds
from accord.index.library import Library, SyncReport
from accord.index.safe_text import json_text, printable, printable_line, printable_same_length
from accord.index.store import Store
from accord.index.support import SupportMap
from accord.index.workspace import Workspace, config_path

COMMANDS = ("read", "index", "search", "claims", "note", "export", "info")
PROGRESS_FROM_FILES = 50  # smaller imports finish before a bar would be readable


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", metavar="DIR", default=argparse.SUPPRESS,  # so a subcommand keeps one given before it
                        help="where the index and annotations live (default: $ACCORD_HOME or the user data dir)")

    parser = argparse.ArgumentParser(
        prog="accord",
        description="A terminal briefing reader: news reports side by side, shared claims, search, annotated briefings.",
        parents=[common],
        epilog="Without a command, opens the reader on PATH... (default: the bundled sample reports).",
    )
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    reader = commands.add_parser("read", parents=[common], help="open the reader (the default)")
    reader.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of articles")

    index = commands.add_parser("index", parents=[common], help="index files or folders into the workspace")
    index.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled seeds)")
    index.add_argument("--quiet", action="store_true", help="print only warnings and errors")

    search = commands.add_parser("search", parents=[common], help="full-text search (Whoosh query language)")
    search.add_argument("query", help='e.g. patriot, "countries at war", outlet:UNN, mis*, hayashi~, date:2023-12, sources:>=3, tag:policy')
    search.add_argument("paths", nargs="*", metavar="PATH", help="limit to these files or folders (indexed first)")
    search.add_argument("--limit", type=_positive, default=10, help="number of hits (default 10)")
    search.add_argument("--json", action="store_true", help="print the stable JSON described in the README")

    claims = commands.add_parser("claims", parents=[common], help="claims the sources share, single-source sentences, discrepancies")
    claims.add_argument("paths", nargs="*", metavar="PATH", help="the story's files or folders (default: the bundled seeds)")
    claims.add_argument("--json", action="store_true", help="print the JSON described in the README")
    claims.add_argument("--min-sources", type=_positive, metavar="N",
                        help="claims supported by at least N sources (default: [claims] min_sources in the config, else 2)")
    claims.add_argument("--threshold", type=_fraction, metavar="X",
                        help=f"how alike two sentences must be to link, 0-1 (default: [claims] threshold in the config, "
                             f"else {DEFAULT_THRESHOLD})")

    _note_parsers(commands, common)
    commands.add_parser("info", parents=[common], help="print where the workspace, index, annotations and config live")
    return parser


def _note_parsers(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    note = commands.add_parser("note", parents=[common], help="add, list or remove annotations (for scripts)")
    notes = note.add_subparsers(dest="note_command", metavar="ACTION", required=True)

    add = notes.add_parser("add", parents=[common], help="annotate a passage of an article")
    add.add_argument("article", metavar="ARTICLE",
                     help="an article id (as `accord search --json` prints it), a unique prefix of one (4+ characters), "
                          "or the article's file (indexed first)")
    add.add_argument("--quote", required=True, metavar="TEXT",
                     help="the passage as it reads in the article (line breaks and runs of spaces may differ)")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="a tag; repeat it or separate tags with commas")
    add.add_argument("--note", default="", metavar="TEXT", help="the analyst's note (the briefing shows it as written)")
    add.add_argument("--json", action="store_true", help="print the annotation as `note list --json` does")

    listing = notes.add_parser("list", parents=[common], help="list annotations and where they sit in today's text")
    listing.add_argument("--tag", action="append", default=[], metavar="T", help="only annotations carrying a tag")
    listing.add_argument("--json", action="store_true", help="print the JSON list described in the README")

    rm = notes.add_parser("rm", parents=[common], help="delete an annotation")
    rm.add_argument("id", type=_positive, metavar="ID", help="the annotation's id (see `accord note list`)")

    export = commands.add_parser("export", parents=[common], help="write the annotated briefing (Markdown or HTML)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default, or -: standard output)")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only annotations carrying a tag; sections follow the order given")
    export.add_argument("--title", default=DEFAULT_TITLE, metavar="TEXT", help=f"the briefing's title (default: {DEFAULT_TITLE})")
    export.add_argument("--format", choices=("md", "html"), default="md", help="Markdown (default) or a standalone HTML page")
    export.add_argument("--no-claims", action="store_true",
                        help="leave out who else reports each passage and where sources disagree; faster for big "
                             "workspaces, where claims are computed over every article")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("the threshold must be above 0 and at most 1")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    argv = _attach_dash_values(list(sys.argv[1:] if argv is None else argv))
    if _first_word(argv) not in COMMANDS and not any(a in ("-h", "--help", "--version") for a in argv):
        argv = ["read", *argv]  # `accord PATH...` opens the reader
    args = build_parser().parse_args(argv)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return _run(args, err)
    except AccordError as error:
        err.print(Text(f"accord: error: {printable_line(error)}"))
        return error.exit_code
    except KeyboardInterrupt:
        err.print(Text("accord: interrupted"))
        return 130


TEXT_OPTIONS = ("--note", "--quote", "--title", "--tag")
_LOOKS_LIKE_OPTION = re.compile(r"--?[A-Za-z]")


def _attach_dash_values(argv: list[str]) -> list[str]:
    """`--note "---"` as `--note=---`: argparse takes a value that starts with a dash
    for an option and refuses it. One that looks like a real option (`--json`) is left
    to argparse, which then says the value is missing."""
    joined: list[str] = []
    position = 0
    while position < len(argv):
        word = argv[position]
        following = argv[position + 1] if position + 1 < len(argv) else None
        if word in TEXT_OPTIONS and following is not None and following.startswith("-") and not (
            _LOOKS_LIKE_OPTION.match(following)
        ):
            joined.append(f"{word}={following}")
            position += 2
        else:
            joined.append(word)
            position += 1
    return joined


def _first_word(argv: list[str]) -> str | None:
    """The first argument that is not `--workspace DIR` (which may come before the command)."""
    position = 0
    while position < len(argv):
        if argv[position] == "--workspace":
            position += 2
        elif argv[position].startswith("--workspace="):
            position += 1
        else:
            return argv[position]
    return None


def _run(args: argparse.Namespace, err: Console) -> int:
    workspace = Workspace.resolve(getattr(args, "workspace", None))
    if args.command == "info":
        return _info(workspace)
    config = load_config()
    if args.command == "read":
        from accord.tui.launch import run_reader

        return run_reader(workspace, args.paths or [str(bundled_seeds())], config)  # the reader shows problems itself
    for problem in config.problems:
        err.print(Text(f"accord: warning: {printable_line(problem)}"))
    notice = lambda message: err.print(Text(f"accord: warning: {printable_line(message)}"))  # noqa: E731
    with Library(workspace, config.rules, on_notice=notice) as library:
        if args.command == "claims":
            return _claims(library, args, config, workspace)
        if args.command in ("note", "export"):
            from accord.tui import cli_notes  # imports this module's helpers back, so only once it is loaded

            if args.command == "note":
                return cli_notes.run_note(library, args, workspace, err)
            return cli_notes.run_export(library, args, config, workspace, err)
        if args.command == "index":
            report = _sync(library, args.paths or [str(bundled_seeds())], err, show_progress=not args.quiet)
            if not args.quiet:
                print(printable(f"{report.summary()} ({len(report.files)} files) in {workspace.root}"))
            return 0
        return _search(library, args, err, config, workspace)


def _sync(library: Library, paths: list[str], err: Console, show_progress: bool) -> SyncReport:
    with Progress(
        TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not (show_progress and err.is_terminal),
    ) as bar:
        task = None

        def progress(done: int, total: int, _file: str) -> None:
            nonlocal task
            if total < PROGRESS_FROM_FILES:
                return
            if task is None:
                task = bar.add_task("indexing", total=total)
            bar.update(task, completed=done)

        report = library.sync(paths, progress)
    for warning in report.warnings:
        err.print(Text(f"accord: warning: {printable_line(warning)}"))
    return report


def _search(library: Library, args: argparse.Namespace, err: Console, config: Config, workspace: Workspace) -> int:
    files = None
    if args.paths:
        files = _sync(library, args.paths, err, show_progress=False).files
    elif library.catalog.count() == 0:
        _sync(library, [str(bundled_seeds())], err, show_progress=False)
    parsed = claim_query.parse(args.query)
    if parsed.filtered:  # claim filters need the claims of what is searched, tag:/note: its annotations
        ids = library.article_ids(files) if files is not None else library.catalog.all_ids()
        support = SupportMap(_claim_report(library, ids, config, workspace)) if parsed.tests else None
        notes = _annotation_map(library, ids, workspace) if parsed.note_tests else None
        result = claim_query.search(library, support, args.query, limit=args.limit, notes=notes)
    else:
        result = library.search(args.query, limit=args.limit, files=files)
    if args.json:
        print(json_text(result.to_json()))
        return 0
    out = Console(highlight=False, soft_wrap=False)
    if not result.hits:
        out.print(Text(f"no hits for {printable_line(args.query)}"))
        return 0
    unit = "sentences" if claim_query.has_filters(args.query) else "articles"  # filters pick sentences
    out.print(Text(f"{result.total} {unit} match {printable_line(args.query)}; best {len(result.hits)}:", style="bold"))
    for number, hit in enumerate(result.hits, 1):
        date = hit.date.isoformat() if hit.date else "undated"
        header = Text.assemble((f"{number}. ", "bold"), (printable_line(hit.source), "cyan"),
                               f" · {printable_line(hit.title)} · {date}")
        snippet = Text(printable_same_length(" ".join(hit.snippet.split("\n"))))
        for start, end in hit.highlights:
            snippet.stylize("bold reverse", start, end)
        out.print(header)
        out.print(Text("   ") + snippet)
        out.print(Text(f"   {printable_line(hit.path)} @ {hit.start}-{hit.end}", style="dim"))
    return 0


def _annotation_map(library: Library, ids: list[str], workspace: Workspace) -> AnnotationMap:
    """Where the workspace's annotations on `ids` sit today, sentence by sentence."""
    wanted = set(ids)
    with Store(workspace.annotations_path) as store:
        annotations = [a for a in store.annotations() if a.article in wanted]
    placed, _ = locate(annotations, library.find)
    return AnnotationMap(placed, library.find)


def _claim_report(
    library: Library, ids: list[str], config: Config, workspace: Workspace,
    threshold: float | None = None, min_sources: int | None = None,
) -> ClaimReport:
    """Claims among `ids`, with the analyst's decisions from the workspace applied."""
    with Store(workspace.annotations_path) as store:
        decisions = store.decisions()
    return find_claims(
        [library.article(i) for i in ids],
        threshold=threshold or config.claim_threshold or DEFAULT_THRESHOLD,
        min_sources=min_sources or config.min_sources,
        decisions=decisions,
    )


def _claims(library: Library, args: argparse.Namespace, config: Config, workspace: Workspace) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    files = _sync(library, args.paths or [str(bundled_seeds())], err, show_progress=False).files
    report = _claim_report(library, library.article_ids(files), config, workspace, args.threshold, args.min_sources)
    min_sources = args.min_sources or config.min_sources
    if args.json:
        print(json_text(report.to_json()))
        return 0
    out = Console(highlight=False, soft_wrap=False)
    out.print(Text(f"{len(report.claims)} claims shared by {min_sources}+ of {report.sources} sources", style="bold"))
    for claim in report.claims:
        out.print(Text.assemble((f"{claim.id} ", "bold"), f"{claim.support} sources, {claim.independent} independent"))
        for member in claim.members:
            out.print(Text.assemble("   ", (printable_line(member.source), "cyan"), ": ", printable_line(member.text)))
    out.print(Text(f"\n{len(report.single_source)} single-source sentences", style="bold"))
    for member in report.single_source:
        out.print(Text.assemble("   ", (printable_line(member.source), "cyan"), ": ", printable_line(member.text)))
    out.print(Text(f"\n{len(report.discrepancies)} discrepancies", style="bold"))
    for discrepancy in report.discrepancies:
        out.print(Text(printable_line(f"   {discrepancy.kind}: {' vs '.join(discrepancy.variants)}")))
        for member in discrepancy.members:
            out.print(Text.assemble("      ", (printable_line(member.source), "cyan"), ": ", printable_line(member.text)))
    return 0


def _info(workspace: Workspace) -> int:
    rows = [
        ("version", __version__),
        ("workspace", str(workspace.root)),
        ("index", str(workspace.index_dir)),
        ("annotations", str(workspace.annotations_path)),
        ("config", str(config_path())),
        ("seeds", str(bundled_seeds())),
    ]
    if workspace.catalog_path.exists():
        with Library(workspace) as library:
            rows.append(("articles", str(library.catalog.count())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key.ljust(width)}  {printable(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
