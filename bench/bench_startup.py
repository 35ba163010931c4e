"""Start-up: wall time from process start to the first scene on screen (headless), for the bundled story
in the full app, against a bare Textual app showing one label, measured in turns in the same run.

    python bench/bench_startup.py [--rounds N] [--story PATH] [--instructions]

Each run is a fresh `python` process; the clock starts just before it is spawned and stops when the app,
after the first frame with the scene (or the label) has been drawn, writes down the time. Interpreter
start, imports, loading the story as `collapse-tui play` does (through the cache of compiled stories, which
the warm-up fills, as any earlier start would; the parsed stylesheets likewise), building the screen: all
counted. The first round of each is a warm-up (disk caches), not counted. The app starts on the play screen
(the title screen is a choice away from the first scene, so it is skipped: what is timed is the first scene
on screen).

With `--instructions` (needs valgrind), the same two starts are also counted in CPU instructions under
callgrind, once each: a count does not move with the machine's load, so it shows what a change saves where
the wall clock cannot. Under valgrind a start takes some 50 times as long, so the clocks that would tick
meanwhile (the market, the next paragraph, the cycle collector's return a second after the app's mount) are
stopped, and each child ends at its mark (its shutdown is not counted). The counts leave out waiting (for the
screen's next update, for the disk), which is in the times.

The collapse-tui child pauses the cycle collector before its imports, as `collapse-tui play` does
(`collapse_tui/collector.py`)."""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import Figure, child_environment, exit_code, show  # noqa: E402

RATIO_TARGET = 1.25  # the full app may take at most this many times the bare app's start-up (issue 7)
ABSOLUTE_TARGET = 2.0  # seconds to the first scene

COLLAPSE_CHILD = """
import os, sys, time
from collapse_tui.collector import pause_for_start
pause_for_start()  # (as `collapse-tui play` does before it imports anything)
from pathlib import Path
marker = Path(sys.argv[2])
counting = os.environ.get("BENCH_INSTRUCTIONS") == "1"
if counting:  # (under valgrind: no next paragraph, and the collector paused, until the mark)
    import collapse_tui.ui.app as app_module
    import collapse_tui.ui.widgets.scene_text as scene_text
    scene_text.paragraph_pause = lambda plain, factor: 1e6
    app_module.COLLECTOR_RESUME_SECONDS = 1e6
from collapse_tui.engine import load_story
from collapse_tui.ui.app import AppOptions, CollapseApp

class FirstScene(CollapseApp):
    def on_scene_changed(self, event):
        self.call_after_refresh(self.shown)

    def shown(self):
        marker.write_text(repr(time.time()))
        os._exit(0) if counting else self.exit()

story = load_story(sys.argv[1], cache=True)  # as `collapse-tui play` loads it
options = AppOptions(skip_title=True, autosave=False, persist_settings=False, freeze_market=counting,
                     animations=not counting)
FirstScene(story, seed=1, options=options).run(headless=True, size=(80, 24))
"""

BARE_CHILD = """
import os, sys, time
from pathlib import Path
marker = Path(sys.argv[2])
counting = os.environ.get("BENCH_INSTRUCTIONS") == "1"
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("Hello")

    def on_mount(self):
        self.call_after_refresh(self.shown)

    def shown(self):
        marker.write_text(repr(time.time()))
        os._exit(0) if counting else self.exit()

Bare().run(headless=True, size=(80, 24))
"""


def time_to_first_frame(code: str, story: Path, folder: Path) -> float:
    marker = folder / "marker"
    marker.unlink(missing_ok=True)
    env = child_environment(folder / "home")
    start = time.time()
    subprocess.run([sys.executable, "-c", code, str(story), str(marker)], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return float(marker.read_text()) - start


def instructions_to_first_frame(code: str, story: Path, folder: Path) -> int:
    """CPU instructions of one start under callgrind, to the same mark (valgrind's count, from its report)."""
    marker = folder / "marker"
    marker.unlink(missing_ok=True)
    env = child_environment(folder / "home", BENCH_INSTRUCTIONS="1")
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code,
                           str(story), str(marker)], env=env, capture_output=True, text=True, timeout=600)
    counted = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if done.returncode != 0 or counted is None or not marker.exists():
        raise RuntimeError(f"valgrind run failed: {done.stderr[-500:]}")
    return int(counted.group(1))


def pick_story(requested: str | None) -> tuple[Path, str]:
    from collapse_tui.bundled import bundled_story_path
    from collapse_tui.engine import check_story

    if requested:
        return Path(requested), requested
    bundled = bundled_story_path()
    story, _diagnostics = check_story(bundled)
    if story is not None:
        return bundled, "the bundled story"
    fixture = Path(__file__).resolve().parents[1] / "tests" / "ui" / "fixtures" / "mini"
    return fixture, "the test fixture (the bundled story does not validate right now)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--story", help="a story to start instead of the bundled one")
    parser.add_argument("--instructions", action="store_true",
                        help="also count each start's CPU instructions under callgrind (needs valgrind)")
    args = parser.parse_args(argv)
    story, described = pick_story(args.story)
    print(f"start-up to the first scene, {described}, {args.rounds} rounds (median), headless 80x24", flush=True)
    samples: dict[str, list[float]] = {"app": [], "bare": []}
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        runs = {"app": COLLAPSE_CHILD, "bare": BARE_CHILD}
        for name, code in runs.items():  # warm-up
            time_to_first_frame(code, story, folder)
        for index in range(args.rounds):
            order = list(runs.items()) if index % 2 == 0 else list(reversed(runs.items()))
            for name, code in order:
                samples[name].append(time_to_first_frame(code, story, folder))
        counts = {}
        if args.instructions:
            if shutil.which("valgrind") is None:
                print("info  instructions: valgrind is not installed", flush=True)
            else:
                counts = {name: instructions_to_first_frame(code, story, folder) for name, code in runs.items()}
    app, bare = statistics.median(samples["app"]), statistics.median(samples["bare"])
    ratio = app / bare
    if counts:
        show(Figure("instructions to the mark, bare Textual app", f"{counts['bare'] / 1e6:,.0f} million"))
        show(Figure("instructions to the mark, collapse-tui", f"{counts['app'] / 1e6:,.0f} million = "
                    f"{counts['app'] / counts['bare']:.2f}x the bare app (no waiting counted)"))
    figures = [
        show(Figure("bare Textual app, first frame", f"{bare * 1000:.0f} ms")),
        show(Figure("collapse-tui, first scene on screen", f"{app * 1000:.0f} ms", f"<= {ABSOLUTE_TARGET:g} s",
                    app <= ABSOLUTE_TARGET)),
        show(Figure("start-up ratio app / bare", f"{ratio:.2f}x", f"<= {RATIO_TARGET:g}x", ratio <= RATIO_TARGET)),
    ]
    return exit_code(figures)


if __name__ == "__main__":
    sys.exit(main())
