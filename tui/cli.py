"""The `accord` command: the reader by default, plus `index`, `search`, `claims`,
`note`, `export` and `info`. The note and export commands live in `cli_notes.py`.

Textual is imported only when the reader starts, so scripting commands stay quick.
Every failure the user can cause ends as one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from rich.console import Console
from rich.text import Text

from accord import __version__
from accord.index.claims import DEFAULT_THRESHOLD
from accord.index.config import load_config
from accord.index.desk import BRIEFING_FORMATS, Desk
from accord.index.errors import AccordError
from accord.index.short_text import counted
from accord.index.safe_text import json_text, printable, printable_line, printable_same_length
from accord.index.workspace import Workspace, config_path
from accord.tui import runtime_tuning, serve

from .cli_output import output_console
from .cli_sync import ensure_articles, sync

COMMANDS = ("read", "index", "search", "claims", "note", "export", "info", "serve")


class _Parser(argparse.ArgumentParser):
    """argparse, with a bad option or value given as one line, as every other bad input is
    (argparse prints its whole usage first)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(printable_line(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--workspace", metavar="DIR", default=argparse.SUPPRESS,  # so a subcommand keeps one given before it
                        help="where the index and annotations live (default: $ACCORD_HOME or the user data dir)")

    parser = _Parser(
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
    serve.add_arguments(commands.add_parser("serve", parents=[common], help="serve the reader to a web browser"))
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
    export.add_argument("--title", metavar="TEXT", help="the briefing's title (default: Briefing)")
    export.add_argument("--format", choices=BRIEFING_FORMATS, default=None,
                        help="Markdown or a standalone HTML page (default: HTML for a FILE ending in .html or .htm, "
                             "as the reader saves it, else Markdown)")
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
        code = _run(args, err)
        sys.stdout.flush()  # a reader that went away (`| head`) is met here, not at exit
        return code
    except AccordError as error:
        err.print(Text(f"accord: error: {printable_line(error)}"))
        return error.exit_code
    except KeyboardInterrupt:
        err.print(Text("accord: interrupted"))
        return 130
    except BrokenPipeError:
        # The output's reader stopped reading (`accord claims --json | head`): not an error
        # of ours. Point stdout at nothing so the interpreter's last flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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
    if args.command != "read":
        runtime_tuning.resume_collector()  # paused for a reader's first frame (tui/start.py), not for a command
    if args.command == "info":
        return _info(workspace)
    if args.command == "serve":
        return serve.run(workspace, args, err)
    config = load_config()
    if args.command == "read":
        from accord.tui.launch import run_reader

        return run_reader(workspace, Desk.default_paths(args.paths), config)  # the reader shows problems itself
    for problem in config.problems:
        err.print(Text(f"accord: warning: {printable_line(problem)}"))
    notice = lambda message: err.print(Text(f"accord: warning: {printable_line(message)}"))  # noqa: E731
    if _reads_annotations(args) and getattr(args, "workspace", None) and not workspace.root.exists():
        # a mistyped --workspace made a new, empty one, and the analyst's notes seemed gone
        notice(f"no workspace at {workspace.root}: a new, empty one is made there")
    with Desk(workspace, config, on_notice=notice) as desk:
        if args.command == "claims":
            return _claims(desk, args, err)
        if args.command in ("note", "export"):
            from accord.tui import cli_notes  # loaded only for the commands that need it

            if args.command == "note":
                return cli_notes.run_note(desk, args, err)
            return cli_notes.run_export(desk, args, err)
        if args.command == "index":
            report = sync(desk, args.paths, err, show_progress=not args.quiet, or_seeds=True)
            if not args.quiet:
                print(printable(f"{report.summary()} ({len(report.files)} files) in {workspace.root}"))
            return 0
        return _search(desk, args, err)


def _search(desk: Desk, args: argparse.Namespace, err: Console) -> int:
    files = None
    if args.paths:
        files = sync(desk, args.paths, err).files
    else:
        ensure_articles(desk, err)
    result = desk.search(args.query, limit=args.limit, files=files)
    if args.json:
        print(json_text(result.to_json()))
        return 0
    out = output_console()
    if not result.hits:
        out.print(Text(f"no hits for {printable_line(args.query)}"))
        return 0
    from accord.index import claim_query

    unit = "sentence" if claim_query.has_filters(args.query) else "article"  # filters pick sentences
    verb = "matches" if result.total == 1 else "match"
    out.print(Text(f"{counted(result.total, unit)} {verb} {printable_line(args.query)}; best {len(result.hits)}:", style="bold"))
    for number, hit in enumerate(result.hits, 1):
        date = hit.date.isoformat() if hit.date else "undated"
        header = Text.assemble((f"{number}. ", "bold"), (printable_line(hit.source), "cyan"),
                               f" · {printable_line(hit.title)} · {date}")
        shown, highlights = hit.shown_snippet()
        snippet = Text(printable_same_length(" ".join(shown.split("\n"))))
        for start, end in highlights:
            snippet.stylize("bold reverse", start, end)
        out.print(header)
        out.print(Text("   ") + snippet)
        out.print(Text(f"   {printable_line(hit.path)} @ {hit.start}-{hit.end}", style="dim"))
    return 0


def _claims(desk: Desk, args: argparse.Namespace, err: Console) -> int:
    files = sync(desk, args.paths, err, or_seeds=True).files
    report = desk.claims(desk.article_ids(files), args.threshold, args.min_sources)
    min_sources = args.min_sources or desk.min_sources
    if args.json:
        print(json_text(report.to_json()))
        return 0
    out = output_console()
    out.print(Text(f"{counted(len(report.claims), 'claim')} shared by {min_sources}+ of {report.sources} sources", style="bold"))
    for claim in report.claims:
        out.print(Text.assemble((f"{claim.id} ", "bold"), f"{claim.support} sources, {claim.independent} independent"))
        for member in claim.members:
            out.print(Text.assemble("   ", (printable_line(member.source), "cyan"), ": ", printable_line(member.text)))
    out.print(Text("\n" + counted(len(report.single_source), "single-source sentence"), style="bold"))
    for member in report.single_source:
        out.print(Text.assemble("   ", (printable_line(member.source), "cyan"), ": ", printable_line(member.text)))
    out.print(Text("\n" + counted(len(report.discrepancies), "discrepancy", "discrepancies"), style="bold"))
    for discrepancy in report.discrepancies:
        out.print(Text(printable_line(f"   {discrepancy.kind}: {' vs '.join(discrepancy.variants)}")))
        for member in discrepancy.members:
            out.print(Text.assemble("      ", (printable_line(member.source), "cyan"), ": ", printable_line(member.text)))
    return 0


def _reads_annotations(args: argparse.Namespace) -> bool:
    return args.command == "export" or (args.command == "note" and args.note_command in ("list", "rm"))


def _info(workspace: Workspace) -> int:
    rows = [
        ("version", __version__),
        ("workspace", str(workspace.root)),
        ("index", str(workspace.index_dir)),
        ("annotations", str(workspace.annotations_path)),
        ("config", str(config_path())),
        ("seeds", Desk.default_paths([])[0]),
    ]
    if workspace.catalog_path.exists():
        with Desk(workspace) as desk:
            rows.append(("articles", str(desk.count())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key.ljust(width)}  {printable(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
