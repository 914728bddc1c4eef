"""`accord serve`: the same reader in a web browser, through textual-serve.

textual-serve starts one `accord read` process per browser tab and relays its screen to xterm.js
in the page over a websocket. We run textual-serve's web app on our own aiohttp runner so the URL
is printed only once the port is really listening (and `--port 0` can pick a free one), a busy
port is one error line, and stopping waits a bounded time for the tabs' readers to quit.

The CLI imports this module for its arguments, so aiohttp and textual-serve load only in `run_server`.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from accord.index.desk import Desk
from accord.index.errors import AccordError, InputNotFound
from accord.index.workspace import Workspace

if TYPE_CHECKING:
    from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"  # loopback: only this machine can open the reader
DEFAULT_PORT = 8000
SHUTDOWN_SECONDS = 5.0  # how long the open tabs' readers get to quit when the server stops


class ServeError(AccordError):
    """The server cannot start: the port is taken, or the address is not this machine's."""

    exit_code = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of articles (default: the bundled seeds)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 to 65535")
    return value


def run(workspace: Workspace, args: argparse.Namespace, err: Console) -> int:
    """`accord serve`: prints the URL once it listens, serves until Ctrl+C or SIGTERM."""
    return run_server(
        workspace, Desk.default_paths(args.paths), args.host, args.port,
        announce=lambda url: print(f"Accord in the browser: {url} (Ctrl+C stops)", flush=True),
        warn=lambda message: err.print(Text(f"accord: warning: {message}")),
    )


def reader_command(workspace: Workspace, paths: list[str]) -> str:
    """The shell command textual-serve runs for each browser tab: this Python's `accord read` on
    the same workspace and paths (the config dir and ACCORD_* settings come through the environment)."""
    return shlex.join([sys.executable, "-m", "accord", "--workspace", str(workspace.root), "read", *paths])


def checked_paths(paths: list[str]) -> list[str]:
    """Absolute paths, so every tab's reader opens the same files; a missing one fails here,
    before the server starts, rather than later in a browser tab."""
    checked = []
    for path in paths:
        resolved = Path(path).expanduser()
        if not resolved.exists():
            raise InputNotFound(f"no such file or folder: {path}")
        checked.append(str(resolved.resolve()))
    return checked


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host  # an IPv6 literal needs brackets in a URL
    return f"http://{shown}:{port}"


def run_server(
    workspace: Workspace, paths: list[str], host: str, port: int,
    announce: Callable[[str], None], warn: Callable[[str], None],
) -> int:
    """Serve the reader until SIGINT or SIGTERM; `announce` gets the URL once the port listens."""
    import asyncio
    import logging

    command = reader_command(workspace, checked_paths(paths))
    if not is_loopback(host):
        warn(f"serving on {host}: anyone who can reach it can read this workspace and open files on this machine")
    logging.basicConfig(level=logging.WARNING, format="accord serve: %(message)s")  # textual-serve's own log lines
    try:
        asyncio.run(_serve(_reader_server(command, host, port), host, port, announce))
    except KeyboardInterrupt:  # a second Ctrl+C while the tabs are stopping
        pass
    return 0


def _reader_server(command: str, host: str, port: int) -> Server:
    """textual-serve's Server, keeping track of its open tabs so stopping can end them at once."""
    import asyncio

    from aiohttp import web
    from textual_serve.server import Server  # aiohttp and textual-serve load only for this command

    class ReaderServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="Accord")
            self.tabs: set[asyncio.Task[object]] = set()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            tab = asyncio.current_task()
            assert tab is not None
            self.tabs.add(tab)
            try:
                return await super().handle_websocket(request)
            finally:
                self.tabs.discard(tab)

        async def on_shutdown(self, app: web.Application) -> None:
            # A cancelled tab closes its websocket and tells its reader to quit (textual-serve's
            # handler does both); without this aiohttp first waits for tabs that never end.
            for tab in self.tabs:
                tab.cancel()

    return ReaderServer()


async def _serve(server: Server, host: str, port: int, announce: Callable[[str], None]) -> None:
    import asyncio
    import signal

    from aiohttp import web

    app = await server._make_app()  # textual-serve's routes and hooks: the page, its files, the websocket
    app.on_startup.clear()  # its banner would print before the port is bound, and on a busy port too
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            reason = os.strerror(error.errno).lower() if error.errno else str(error)  # aiohttp's text repeats the address
            raise ServeError(f"cannot listen on {url_for(host, port)}: {reason}") from None
        server.public_url = url_for(host, runner.addresses[0][1])  # the real port when 0 asked for any
        announce(server.public_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()  # ends the open tabs (on_shutdown), waiting at most SHUTDOWN_SECONDS for their readers
