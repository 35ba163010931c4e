"""The app in a hard terminal: resize storms, a 40x12 terminal, no colour (NO_COLOR), Ctrl+C wherever the
player is, and the terminal closed under it (SIGHUP), which autosaves the game and ends the app."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from textual.events import Resize
from textual.geometry import Size

from collapse_tui.ui.screens.help import HelpScreen
from collapse_tui.ui.screens.play import PlayScreen
from collapse_tui.ui.screens.title import TitleScreen
from collapse_tui.ui.widgets import ChoiceList, TickerStrip
from tests.ui.conftest import MINI
from tests.ui.test_e2e_tmux import TMUX, assert_terminal_restored, terminal  # noqa: F401 - terminal: a fixture

STORM = [(80, 24), (40, 12), (200, 60), (20, 6), (120, 40), (1, 1), (41, 13), (300, 5), (72, 32), (110, 31),
         (39, 11), (10, 50), (81, 25), (40, 12)]


async def settle(pilot, times: int = 3) -> None:
    for _ in range(times):
        await pilot.pause()


async def storm(app, pilot, rounds: int = 4) -> None:
    """Many resizes in a row, as a window being dragged sends them: no pause between them."""
    for _ in range(rounds):
        for width, height in STORM:
            size = Size(width, height)
            app._driver._size = size  # the headless driver's idea of the terminal's size
            app.post_message(Resize(size, size))
    await pilot.resize_terminal(80, 24)
    await settle(pilot)


def choices_on_screen(app) -> ChoiceList:
    """The choice list, checked to be on screen with at least one choice visible."""
    choices = app.screen.query_one(ChoiceList)
    region = choices.region
    screen = app.screen.region
    assert region.height >= 2 and region.width > 0, region  # its heading rule and one choice at least
    assert screen.contains_region(region), (region, screen)
    assert choices.option_count >= 1
    return choices


# --- resize storms ---------------------------------------------------------------------------------


async def test_a_resize_storm_on_the_play_screen_leaves_it_working(app_for):
    app = app_for(skip_title=True, freeze_market=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await storm(app, pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.size == Size(80, 24)
        assert app.screen.has_class("-normal") and not app.screen.has_class("-narrow")
        strip = app.screen.query_one(TickerStrip)
        assert strip.cells_shown == 5  # the cells fit the width again
        choices_on_screen(app)
        await pilot.press("2")
        await settle(pilot)
        assert app.session.state.scene == "desk"


async def test_a_resize_storm_on_the_title_and_with_a_modal_open(app_for):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await storm(app, pilot, rounds=2)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await storm(app, pilot, rounds=2)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        choices_on_screen(app)


async def test_the_panels_toggle_survives_a_storm_across_the_narrow_breakpoint(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("v")  # narrow: the sidebar instead of the text
        await storm(app, pilot, rounds=2)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert app.screen.has_class("-narrow", "-panels-toggled")
        await pilot.press("v")
        await settle(pilot)
        choices_on_screen(app)


# --- 40x12 -----------------------------------------------------------------------------------------


async def test_at_40x12_every_screen_opens_and_the_choices_stay_reachable(app_for):
    app = app_for()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.has_class("-narrow", "-short")
        choices_on_screen(app)
        for key in ("h", "g", "question_mark", "s", "l", "o"):  # each screen opens at this size, and closes
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, PlayScreen), key
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, PlayScreen), key
        await pilot.press("v")  # the panels, then back to the text
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        choices = choices_on_screen(app)
        await pilot.press("down", "enter")  # by the list, not only by number keys
        await settle(pilot)
        assert app.session.state.scene == "desk", choices.lines
        choices_on_screen(app)
        await pilot.press("1")
        await settle(pilot)
        assert app.session.state.scene == "wall"


# --- no colour -------------------------------------------------------------------------------------


SVG_FRAME = {"ff5f57", "febc2e", "28c840", "c5c8c6"}  # the screenshot's window buttons and title, not the app


def _colours(svg: str) -> set[str]:
    found = set(re.findall(r"(?:fill|stroke)=\"#([0-9a-fA-F]{6})\"", svg)) | set(re.findall(r"fill: #([0-9a-fA-F]{6})", svg))
    return {colour.lower() for colour in found} - SVG_FRAME


async def test_no_color_draws_every_screen_in_greys_and_plays_the_same(app_for, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shots = [app.export_screenshot()]
        await pilot.press("n")
        await settle(pilot)
        shots.append(app.export_screenshot())
        await pilot.press("2", "1")
        await settle(pilot)
        shots.append(app.export_screenshot())
        assert app.session.state.scene == "wall"
    assert app.no_color
    for shot in shots:
        colours = _colours(shot)
        assert colours, "no colours found in the screenshot"
        hues = {c for c in colours if not (c[0:2].lower() == c[2:4].lower() == c[4:6].lower())}
        assert not hues, hues


# --- Ctrl+C anywhere -------------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [(), ("n",), ("n", "question_mark"), ("n", "s"), ("n", "h"), ("n", "o"),
                                  ("o",)], ids=["title", "play", "help", "saves", "history", "settings",
                                                "settings-from-title"])
async def test_ctrl_c_quits_from_anywhere(app_for, keys):
    app = app_for(freeze_market=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app._exit  # noqa: SLF001 - the app is on its way out
    assert not app.is_running
    assert (app.return_code or 0) == 0


# --- closing the terminal (SIGHUP) -----------------------------------------------------------------


class PtyApp:
    """`collapse-tui play` in a pseudo-terminal of its own (its controlling terminal), output drained."""

    def __init__(self, home: Path, *args: str, size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = dict(os.environ, COLLAPSE_TUI_HOME=str(home), TERM="xterm-256color", LANG="C.UTF-8")
        env.pop("NO_COLOR", None)

        def controlling_terminal() -> None:  # after setsid(): the pty becomes this session's terminal
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen([sys.executable, "-m", "collapse_tui", "play", *args], stdin=slave,
                                        stdout=slave, stderr=slave, env=env, start_new_session=True,
                                        preexec_fn=controlling_terminal)
        os.close(slave)
        self.output = bytearray()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, check, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if self.process.poll() is not None:
                raise AssertionError(f"the app ended early (exit {self.process.returncode}):\n"
                                     f"{self.output.decode(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError("timed out")
            time.sleep(0.05)

    def close_terminal(self) -> None:
        os.close(self.master)
        self.master = -1

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        if self.master >= 0:
            os.close(self.master)


def _autosave(home: Path) -> Path:
    return home / "data" / "saves" / "mini" / "autosave.json"  # engine.saves.autosave_path under this home


@pytest.fixture
def pty_app(tmp_path):
    apps: list[PtyApp] = []

    def start(*args: str) -> tuple[PtyApp, Path]:
        home = tmp_path / "home"
        app = PtyApp(home, *args)
        apps.append(app)
        return app, home

    yield start
    for app in apps:
        app.stop()


def _wait_for_first_autosave(app: PtyApp, home: Path) -> Path:
    autosave = _autosave(home)
    app.wait_for(autosave.exists)
    time.sleep(0.5)  # the first frame is out; the market runs
    return autosave


def test_sighup_autosaves_the_game_and_ends_the_app(pty_app):
    app, home = pty_app(str(MINI), "--seed", "1", "--scene", "desk")
    autosave = _wait_for_first_autosave(app, home)
    first = json.loads(autosave.read_text())
    time.sleep(1.0)  # story time passes: the save on hang-up is of the game as it is now
    autosave.unlink()
    app.process.send_signal(signal.SIGHUP)
    assert app.process.wait(15) == 129  # 128 + SIGHUP, the app's own clean exit (not killed by the signal)
    assert autosave.exists()
    saved = json.loads(autosave.read_text())
    assert "desk" in json.dumps(saved)
    assert json.dumps(saved) != json.dumps(first)  # the game was saved again, not the old file restored
    assert b"Traceback" not in app.output


def test_closing_the_terminal_autosaves_and_the_process_ends(pty_app):
    app, home = pty_app(str(MINI), "--seed", "1", "--scene", "desk")
    autosave = _wait_for_first_autosave(app, home)
    autosave.unlink()
    app.close_terminal()  # the kernel hangs the terminal up: SIGHUP to the app
    app.process.wait(15)
    assert app.process.returncode is not None
    assert autosave.exists()


def test_sighup_on_the_title_screen_keeps_the_autosave_that_was_there(pty_app):
    app, home = pty_app(str(MINI), "--seed", "1", "--scene", "desk")
    autosave = _wait_for_first_autosave(app, home)
    app.process.send_signal(signal.SIGHUP)
    app.process.wait(15)
    before = autosave.read_bytes()
    title, _ = pty_app(str(MINI), "--seed", "2")  # the same home: a new run that shows the title only
    title.wait_for(lambda: b"New game" in title.output or len(title.output) > 2000)
    time.sleep(0.5)
    title.process.send_signal(signal.SIGHUP)
    assert title.process.wait(15) == 129
    assert autosave.read_bytes() == before  # nothing was played: the autosave to continue from is intact


# --- in a real terminal (tmux) ---------------------------------------------------------------------

GREYS_256 = {16, 59, 102, 145, 188, 231, *range(232, 256)}  # the 256-colour palette's greys (r = g = b)
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


@needs_tmux
@pytest.mark.parametrize("keys", [(), ("?",), ("s",)], ids=["title", "help-over-title", "saves-over-play"])
def test_ctrl_c_in_a_real_terminal_from_the_title_or_a_modal_leaves_it_clean(terminal, keys):
    pane, folder = terminal(str(MINI), "--seed", "1")
    pane.wait_for("New game")
    if keys == ("s",):
        pane.keys("n")
        pane.wait_for("What do you do?")
    for key in keys:
        pane.keys(key)
    time.sleep(0.5)
    pane.keys("C-c")
    assert_terminal_restored(pane, folder)


@needs_tmux
def test_no_color_in_a_real_terminal_sends_no_colour_and_still_plays(terminal):
    pane, folder = terminal(str(MINI), "--seed", "1", "--scene", "desk", env={"NO_COLOR": "1"})
    pane.wait_for("Dump your own FTT first")
    time.sleep(0.5)
    screen = pane.capture(escapes=True)
    colours = re.findall(r"\x1b\[([0-9;]*)m", screen)
    for sequence in colours:
        parts = sequence.split(";")
        for index, part in enumerate(parts):  # 38;2;r;g;b and 48;2;r;g;b must be greys; no 8/256-colour hues
            if part in ("38", "48") and index + 1 < len(parts) and parts[index + 1] == "2":
                r, g, b = parts[index + 2:index + 5]
                assert r == g == b, sequence
            if part in ("38", "48") and index + 1 < len(parts) and parts[index + 1] == "5":  # tmux's 256 colours
                assert int(parts[index + 2]) in GREYS_256, sequence
    pane.keys("2")  # a choice is taken (or the live market got there first and interrupted the scene)
    deadline = time.monotonic() + 20
    while not any(text in pane.capture() for text in ("Watching the wall", "The wall breaks")):
        assert time.monotonic() < deadline, pane.capture()
        time.sleep(0.1)
    pane.keys("q")
    assert_terminal_restored(pane, folder)
