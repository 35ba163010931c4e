"""End to end in a real terminal: `collapse-tui play FIXTURE --seed 1` runs inside tmux, a player makes two
choices, quits with q (or Ctrl+C), and the terminal is left as it was: the normal screen back, no mouse
reporting, the cursor shown, the tty modes (echo, canonical input) restored, exit code 0."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.ui.conftest import MINI

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class TmuxPane:
    """One detached tmux session on its own server, with a command running in it."""

    def __init__(self, command: str, *, width: int, height: int, env: dict[str, str]) -> None:
        self.socket = f"collapse-e2e-{uuid.uuid4().hex[:8]}"
        environment = [part for key, value in env.items() for part in ("-e", f"{key}={value}")]
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), *environment, command)

    def tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True,
                                timeout=20, check=True)
        return result.stdout

    def capture(self, escapes: bool = False) -> str:
        """The pane's text; with `escapes`, with the colours and attributes as escape sequences."""
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "e2e")

    def flags(self) -> dict[str, str]:
        names = ["alternate_on", "mouse_any_flag", "mouse_button_flag", "mouse_all_flag", "mouse_sgr_flag",
                 "cursor_flag"]
        values = self.tmux("display-message", "-p", "-t", "e2e", " ".join(f"#{{{name}}}" for name in names)).split()
        return dict(zip(names, values))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the pane shows:\n{screen}")

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


@pytest.fixture
def terminal(tmp_path):
    panes: list[TmuxPane] = []

    def start(*app_args: str, width: int = 80, height: int = 24, env: dict[str, str] | None = None) -> tuple[TmuxPane, Path]:
        before, after = tmp_path / "stty-before", tmp_path / "stty-after"
        play = " ".join(shlex.quote(part) for part in [sys.executable, "-m", "collapse_tui", "play", *app_args])
        script = (f"stty -g > {before}; {play}; echo EXIT=$?; stty -g > {after}; echo STTY-SAVED; exec sleep 120")
        environment = {"COLLAPSE_TUI_HOME": str(tmp_path / "home"), "TERM": "xterm-256color", "LANG": "C.UTF-8",
                       "PYTHONPATH": os.environ.get("PYTHONPATH", ""), **(env or {})}
        pane = TmuxPane(f"sh -c {shlex.quote(script)}", width=width, height=height, env=environment)
        panes.append(pane)
        return pane, tmp_path

    yield start
    for pane in panes:
        pane.close()


def assert_terminal_restored(pane: TmuxPane, folder: Path) -> None:
    screen = pane.wait_for("STTY-SAVED")
    assert "EXIT=0" in screen, screen
    assert "Traceback" not in screen, screen
    flags = pane.flags()
    assert flags["alternate_on"] == "0", flags  # back on the normal screen
    assert flags["mouse_any_flag"] == flags["mouse_button_flag"] == flags["mouse_all_flag"] == "0", flags
    assert flags["cursor_flag"] == "1", flags  # the cursor is visible again
    assert (folder / "stty-before").read_text() == (folder / "stty-after").read_text()  # echo, icanon … as before


def test_two_choices_in_a_real_terminal_then_q_leaves_it_clean(terminal):
    pane, folder = terminal(str(MINI), "--seed", "1")
    pane.wait_for("New game")
    pane.keys("Enter")
    screen = pane.wait_for("What do you do?")
    assert "Arrival" in screen and "FTT" in screen and "Alameda cash on hand" in screen
    pane.keys("2")
    pane.wait_for("The order")
    pane.keys("1")
    screen = pane.wait_for("Watching the wall")
    assert "Keep watching" in screen and "FTT order book" in screen
    pane.keys("q")
    assert_terminal_restored(pane, folder)
    assert "Watching the wall" not in pane.capture()  # the app's screen is gone with the alternate screen


def test_ctrl_c_leaves_the_terminal_clean(terminal):
    pane, folder = terminal(str(MINI), "--seed", "1", "--scene", "desk", width=60, height=20)
    pane.wait_for("Dump your own FTT first")
    pane.keys("C-c")
    assert_terminal_restored(pane, folder)
