"""Memory: the peak resident size of a whole playthrough against a bare Textual app showing one label, and
a simulated hour of live tickers driven by the engine's clock (Engine.advance, not real time) that must
not grow.

    python bench/bench_memory.py

Each peak is measured in a fresh process of its own (the kernel's high-water mark of its resident size);
the hour runs in one process, measured by tracemalloc and the resident size between its 10th and 60th
simulated minute.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_story import BUNDLED, write_story  # noqa: E402
from report import Figure, child_environment, exit_code, show  # noqa: E402

PEAK_TARGET = 1.5
GROWTH_LIMIT_BYTES = 16 * 1024
TICKS_PER_SECOND = 4  # the UI samples the market 4-5 times a second
SIZE = (100, 32)


def peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# --- the workers, each run in a process of its own --------------------------------------------------

def worker_bare() -> dict:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Label("Two Days in November")

    async def run() -> None:
        async with Bare().run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause(0.3)

    asyncio.run(run())
    return {"peak_kb": peak_kb()}


def _pick(view):
    open_lines = [line for line in view.choices if line.available]
    return next((line for line in open_lines if line.historical), open_lines[0]) if open_lines else None


def worker_plain(root: str) -> dict:
    import io

    from collapse_tui.engine import load_story
    from collapse_tui.plain import PlainPlayer

    story = load_story(root, cache=True)
    out = io.StringIO()
    PlainPlayer(story, locale=story.default_locale, seed=1, autoplay=0.0, stdin=io.StringIO(), stdout=out).run()
    return {"peak_kb": peak_kb(), "ended": "THE END" in out.getvalue(), "lines": out.getvalue().count("\n")}


def worker_app(root: str) -> dict:
    from collapse_tui.engine import load_story
    from collapse_tui.engine.views import scene_view
    from collapse_tui.ui.app import AppOptions, CollapseApp
    from collapse_tui.ui.config import Settings

    story = load_story(root, cache=True)
    app = CollapseApp(story, seed=1, settings=Settings(),
                      options=AppOptions.for_tests(skip_title=True, persist_settings=False))
    steps = 0

    async def run() -> None:
        nonlocal steps
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            while not app.session.finished and steps < 400:
                line = _pick(scene_view(app.session.engine, app.session.state, app.locale))
                if line is None or line.number > 9:
                    break
                before = app.session.state
                await pilot.press(str(line.number))
                await pilot.pause()
                if app.session.state is before:
                    await pilot.pause(0.1)  # a screen in between (an interruption): give it a moment
                    if app.session.state is before:
                        break
                steps += 1

    asyncio.run(run())
    return {"peak_kb": peak_kb(), "ended": app.session.finished, "steps": steps}


def worker_hour(root: str) -> dict:
    """An hour of live tickers at TICKS_PER_SECOND, on the story's clock, sampled as the UI samples them."""
    from collapse_tui.engine import Session, load_story
    from collapse_tui.engine.market import CHART_LIMIT, RECENT_SAMPLES
    from collapse_tui.engine.views import scene_view, ticker_views

    story = load_story(root, cache=True)
    session = Session.start(story, seed=1)
    engine = session.engine
    tick = engine.real_to_story_ms(1 / TICKS_PER_SECOND)
    ticks_per_minute = 60 * TICKS_PER_SECOND
    tracemalloc.start()
    marks = {}
    state = session.state
    for minute in range(1, 61):
        for _ in range(ticks_per_minute):
            state = engine.advance(state, tick)
            ticker_views(engine, state, story.default_locale)
        if minute % 10 == 0:
            scene_view(engine, state, story.default_locale)
        if minute in (10, 60):
            gc.collect()  # garbage waiting for the collector is not growth
            marks[minute] = (tracemalloc.get_traced_memory()[0], rss_bytes(), chart_bytes(state.market.chart))
    tracemalloc.stop()
    return {
        "traced_growth": marks[60][0] - marks[10][0], "rss_growth": marks[60][1] - marks[10][1],
        "chart_growth": marks[60][2] - marks[10][2],
        "story_seconds": state.clock_ms / 1000, "scene": state.scene,
        "recent": max(len(r) for r in state.market.recent) if state.market.recent else 0,
        "chart": len(state.market.chart), "recent_limit": RECENT_SAMPLES, "chart_limit": CHART_LIMIT,
        "finished": engine.is_ending(state),
    }


def chart_bytes(chart) -> int:
    """The memory of the run's price chart: a point every 10 story minutes, at most CHART_LIMIT points
    (then every other point is dropped), kept for the debrief."""
    return sys.getsizeof(chart) + sum(sys.getsizeof(point) + sys.getsizeof(prices) + sum(map(sys.getsizeof, prices))
                                      + sys.getsizeof(second) for point in chart for second, prices in [point])


WORKERS = {"bare": worker_bare, "plain": worker_plain, "app": worker_app, "hour": worker_hour}


def run_worker(name: str, *args: str, home: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--worker", name, *args], capture_output=True, text=True,
                            env=child_environment(home), timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_peak(name: str, *args: str, home: Path, rounds: int) -> tuple[float, dict]:
    results = [run_worker(name, *args, home=home) for _ in range(rounds)]
    peaks = sorted(r["peak_kb"] for r in results)
    return peaks[len(peaks) // 2] / 1024, results[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one round of each peak instead of three")
    args = parser.parse_args(argv)
    if args.worker:
        name, *rest = args.worker
        print(json.dumps(WORKERS[name](*rest)))
        return 0

    from collapse_tui.engine import check_story

    figures: list[Figure] = []
    rounds = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="collapse-bench-") as folder_name:
        folder = Path(folder_name)
        if check_story(BUNDLED)[0] is not None:
            root, name = BUNDLED, "the bundled story"
        else:
            root, name = folder / "story-1x", "the 1x synthetic story (the bundled one does not validate yet)"
            write_story(root, 1)
        print(f"Memory, on {name}.", flush=True)
        home = folder / "home"
        run_worker("plain", str(root), home=home)  # fill the cache, as any earlier run would have
        bare, _ = median_peak("bare", home=home, rounds=rounds)
        show(Figure("peak RSS of a bare Textual app showing one label", f"{bare:.1f} MiB"))
        plain, plain_info = median_peak("plain", str(root), home=home, rounds=rounds)
        figures.append(show(Figure(
            f"peak RSS of a full plain playthrough ({plain_info['lines']} lines, ended: {plain_info['ended']})",
            f"{plain:.1f} MiB = {plain / bare:.2f}x the bare app", f"<= {PEAK_TARGET}x", plain / bare <= PEAK_TARGET)))
        try:
            app, app_info = median_peak("app", str(root), home=home, rounds=rounds)
        except RuntimeError as error:
            show(Figure("peak RSS of a full playthrough in the app", f"not measured: {str(error).splitlines()[-1]}"))
        else:
            figures.append(show(Figure(
                f"peak RSS of a full playthrough in the app ({app_info['steps']} choices, ended: {app_info['ended']})",
                f"{app:.1f} MiB = {app / bare:.2f}x the bare app", f"<= {PEAK_TARGET}x", app / bare <= PEAK_TARGET)))
        cold_home = folder / "cold-home"
        cold, _ = median_peak("plain", str(root), home=cold_home, rounds=1)
        show(Figure("  the same plain playthrough on a first run (story compiled, not from the cache)",
                    f"{cold:.1f} MiB = {cold / bare:.2f}x the bare app"))
        hour = run_worker("hour", str(root), home=home)
        grew = hour["traced_growth"] - hour["chart_growth"]
        figures.append(show(Figure(
            f"a simulated hour of live tickers ({hour['story_seconds'] / 3600:.1f} story hours, "
            f"{TICKS_PER_SECOND} updates a second): growth from minute 10 to 60, beside the bounded price chart",
            f"{grew / 1024:+.1f} KiB allocated ({hour['traced_growth'] / 1024:+.1f} KiB with the chart's "
            f"{hour['chart_growth'] / 1024:+.1f} KiB; {hour['rss_growth'] / 1024:+.0f} KiB resident); sparkline "
            f"{hour['recent']}/{hour['recent_limit']} samples, chart {hour['chart']}/{hour['chart_limit']} points",
            f"no growth (< {GROWTH_LIMIT_BYTES // 1024} KiB) and both within their bounds",
            grew < GROWTH_LIMIT_BYTES and hour["recent"] <= hour["recent_limit"] and hour["chart"] <= hour["chart_limit"])))
    return exit_code(figures)


if __name__ == "__main__":
    sys.exit(main())
