"""`collapse-tui serve`: the app in web browsers through textual-serve. Every browser that opens the page
starts its own `collapse-tui play` process with its own, temporary saves-and-settings folder, so each
student has their own game and nobody's "Continue" finds someone else's; nothing is kept when the tab
closes, and there are no accounts. Meant for a classroom's local network (docs/teaching.md: caveats).

`python -m collapse_tui.serve play …` is what each browser runs."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

from collapse_tui.engine.files import HOME_VARIABLE

if TYPE_CHECKING:
    from textual_serve.server import Server

ANY_ADDRESS = ("0.0.0.0", "::", "")


@contextmanager
def browser_home() -> Iterator[Path]:
    """A fresh data-and-config folder for one browser's game, removed afterwards."""
    home = Path(tempfile.mkdtemp(prefix="collapse-tui-browser-"))
    previous = os.environ.get(HOME_VARIABLE)
    os.environ[HOME_VARIABLE] = str(home)
    try:
        yield home
    finally:
        if previous is None:
            os.environ.pop(HOME_VARIABLE, None)
        else:
            os.environ[HOME_VARIABLE] = previous
        shutil.rmtree(home, ignore_errors=True)


def play_command(story: Optional[Path] = None, lang: Optional[str] = None, classroom: bool = False) -> str:
    """The shell command each browser runs: this Python playing the story in a home of its own."""
    parts = [sys.executable, "-m", "collapse_tui.serve", "play"]
    if story is not None:
        parts.append(str(story))
    if lang:
        parts += ["--lang", lang]
    if classroom:
        parts.append("--classroom")
    return shlex.join(parts)


def local_network_address() -> str:
    """This machine's address on the local network (no packet is sent), or 127.0.0.1 when there is none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def public_url_for(host: str, port: int, public_url: Optional[str] = None) -> str:
    """The address the page gives browsers for the app's websocket: it must be reachable from them."""
    if public_url:
        return public_url.rstrip("/")
    if host in ANY_ADDRESS:
        host = local_network_address()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def make_server(story: Optional[Path] = None, *, host: str = "127.0.0.1", port: int = 8000,
                public_url: Optional[str] = None, lang: Optional[str] = None, classroom: bool = False) -> "Server":
    from textual_serve.server import Server

    return Server(play_command(story, lang, classroom), host=host, port=port, title="collapse-tui",
                  public_url=public_url_for(host, port, public_url))


def serve_app(story: Optional[Path] = None, *, host: str = "127.0.0.1", port: int = 8000,
              public_url: Optional[str] = None, lang: Optional[str] = None, classroom: bool = False) -> None:
    """Serve until Ctrl+C."""
    make_server(story, host=host, port=port, public_url=public_url, lang=lang, classroom=classroom).serve()


def main() -> None:
    """One browser's game: the command line, in a home of its own."""
    from collapse_tui.cli import main as cli_main

    with browser_home():
        cli_main()


if __name__ == "__main__":
    main()
