"""Live tickers: the CPU the play screen uses with every ticker live (the market sampled a little over four
times a second, the strip, the header and the panels repainted when what they show changes), against the same
bare Textual app idling, both over the same span in real terminals (pseudo-terminals, 120x40), in this run.

    python bench/bench_tickers.py [--seconds 20] [--story PATH]

The span starts once the first scene has settled: its paragraphs revealed and its posts arrived (a scene's
entrance is a few seconds of its own animation, not the tickers'; its cost is printed too, for context).
Prints both CPU shares (of one core), their difference, and the update rate: market samples and ticker
lines repainted per second. CPU is the child's own process time over the measured span only."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import pick_story  # noqa: E402
from report import Figure, child_environment, exit_code, show  # noqa: E402

EXTRA_CPU_TARGET = 3.0  # percent of one core above the idle bare app
RATE_TARGET = 4.0  # market samples per second, at least

LIVE_CHILD = """
import json, sys, time
from pathlib import Path
seconds, out = float(sys.argv[2]), Path(sys.argv[3])
from collapse_tui.engine import load_story
from collapse_tui.ui.app import AppOptions, CollapseApp
from collapse_tui.ui.screens.play import PlayScreen
from collapse_tui.ui.widgets.post_panel import PostPanel
from collapse_tui.ui.widgets.scene_text import SceneText
from collapse_tui.ui.widgets.ticker_strip import TickerStrip

renders = [0]  # lines of ticker cells drawn again (the strip draws only the cell lines whose text changed)
original_draw_cell_line = TickerStrip._draw_cell_line
def counting_draw_cell_line(self, *args):
    renders[0] += 1
    return original_draw_cell_line(self, *args)
TickerStrip._draw_cell_line = counting_draw_cell_line

class Live(CollapseApp):
    shown = None
    started = None
    reveal = None

    def on_scene_changed(self, event):
        if self.shown is None:
            self.shown = (time.process_time(), time.monotonic())
            self.call_after_refresh(self.wait_until_settled)

    def play_screen(self):
        return next(s for s in self.screen_stack if isinstance(s, PlayScreen))

    def wait_until_settled(self):
        self.settling = self.set_interval(0.5, self.settled)

    def settled(self):
        screen = self.play_screen()
        posts = [panel for panel in screen.query(PostPanel) if panel.display]
        revealing = screen.query_one(SceneText).revealing or any(p.shown < len(p.posts) for p in posts)
        if revealing and time.monotonic() - self.shown[1] < 60:
            return
        self.settling.stop()
        now = (time.process_time(), time.monotonic())
        self.reveal = {"cpu": now[0] - self.shown[0], "wall": now[1] - self.shown[1]}
        self.started = (now[0], now[1], renders[0], screen.ticks)
        self.set_timer(seconds, self.stop)

    def stop(self):
        cpu, wall, first, ticks = self.started
        screen = self.play_screen()
        out.write_text(json.dumps({"cpu": time.process_time() - cpu, "wall": time.monotonic() - wall,
                                   "ticks": screen.ticks - ticks, "renders": renders[0] - first,
                                   "cells": screen.query_one(TickerStrip).cells_shown,
                                   "reveal": self.reveal}))
        self.exit()

story = load_story(sys.argv[1], cache=True)
Live(story, seed=1, options=AppOptions(skip_title=True, autosave=False, persist_settings=False)).run()
"""

BARE_CHILD = """
import json, sys, time
from pathlib import Path
seconds, out = float(sys.argv[2]), Path(sys.argv[3])
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("Hello")

    def on_mount(self):
        self.call_after_refresh(self.start)

    def start(self):
        self.started = (time.process_time(), time.monotonic())
        self.set_timer(seconds, self.stop)

    def stop(self):
        cpu, wall = self.started
        out.write_text(json.dumps({"cpu": time.process_time() - cpu, "wall": time.monotonic() - wall}))
        self.exit()

Bare().run()
"""


def run_in_terminal(code: str, story: Path, seconds: float, folder: Path, size: tuple[int, int] = (120, 40)) -> dict:
    """Run `code` in a pseudo-terminal of `size`, draining its output as a terminal would."""
    out = folder / "result.json"
    out.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = child_environment(folder / "home", TERM="xterm-256color", COLUMNS=str(size[0]),
               LINES=str(size[1]))
    process = subprocess.Popen([sys.executable, "-c", code, str(story), str(seconds), str(out)], stdin=slave,
                               stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    written = [0]

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            written[0] += len(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process.wait(timeout=seconds + 60)
    finally:
        os.close(master)
    if not out.exists():
        raise RuntimeError(f"the benchmark child failed (exit {process.returncode})")
    result = json.loads(out.read_text())
    result["bytes"] = written[0]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--story", help="a story to play instead of the bundled one")
    args = parser.parse_args(argv)
    story, described = pick_story(args.story)
    print(f"CPU with tickers live, {described}, {args.seconds:g} s each, 120x40 pseudo-terminal", flush=True)
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        bare = run_in_terminal(BARE_CHILD, story, args.seconds, folder)
        live = run_in_terminal(LIVE_CHILD, story, args.seconds, folder)
    live_share = 100 * live["cpu"] / live["wall"]
    bare_share = 100 * bare["cpu"] / bare["wall"]
    extra = live_share - bare_share
    rate = live["ticks"] / live["wall"]
    figures = [
        show(Figure("bare Textual app idling", f"{bare_share:.1f}% of one core")),
        show(Figure("play screen, tickers live", f"{live_share:.1f}% of one core")),
        show(Figure("difference", f"{extra:+.1f} points of one core", f"<= {EXTRA_CPU_TARGET:g}",
                    extra <= EXTRA_CPU_TARGET)),
        show(Figure("market samples", f"{rate:.1f} per second", f">= {RATE_TARGET:g}", rate >= RATE_TARGET)),
        show(Figure("ticker lines repainted", f"{live['renders'] / live['wall']:.1f} per second "
                                              f"({live['cells']} cells of 2 lines shown)")),
        show(Figure("the first scene's entrance (text revealed, posts arriving), tickers live",
                    f"{100 * live['reveal']['cpu'] / live['reveal']['wall']:.1f}% of one core over "
                    f"{live['reveal']['wall']:.1f} s")),
        show(Figure("terminal output", f"{live['bytes'] / live['wall'] / 1024:.1f} KiB/s (bare: "
                                       f"{bare['bytes'] / bare['wall'] / 1024:.2f} KiB/s)")),
    ]
    return exit_code(figures)


if __name__ == "__main__":
    sys.exit(main())
