"""Story scale: cold validate+load against a bare `yaml.load(..., CSafeLoader)` of the same files, for
synthetic stories of 1x, 5x and 15x the bundled one; how the cost grows; the warm start of 15x from the
cache of compiled stories against the bundled story's start; the size limit that refuses a huge file
before it is parsed.

    python bench/bench_load.py [--quick]

Every ratio is of two medians measured in turns in this one run, in CPU time (the machine is shared and
noisy; CPU time much less so).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_story import BUNDLED, read_shape, story_words, write_story  # noqa: E402
from report import Figure, child_cpu_seconds, child_environment, exit_code, interleaved, show  # noqa: E402

from collapse_tui.engine import check_story  # noqa: E402
from collapse_tui.engine.diagnostics import DiagnosticList  # noqa: E402
from collapse_tui.engine.sources import MAX_FILE_BYTES, story_files  # noqa: E402

SCALES = (1, 5, 15)
COLD_TARGET = 1.3
GROWTH_TARGET = 1.25  # cost per word at 5x and 15x, against 1x
WARM_TARGET = 1.3
HUGE_BYTES = 50 * 1024 * 1024

START_SNIPPET = """
import sys
from collapse_tui.engine import Session, load_story
from collapse_tui.engine.views import scene_view
story = load_story(sys.argv[1], cache=sys.argv[2] == "cache")
session = Session.start(story, seed=1)
scene_view(session.engine, session.state, story.default_locale)
"""


def bare_load(paths: list[Path]) -> None:
    for path in paths:
        yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)


def validate_and_load(root: Path) -> None:
    story, diagnostics = check_story(root)
    if story is None:
        raise SystemExit("a synthetic story does not validate:\n" + "\n".join(map(str, diagnostics.items[:10])))


def cold_figures(stories: dict[int, Path], words: dict[int, int], rounds: dict[int, int]) -> list[Figure]:
    figures = []
    per_word = {}
    for scale, root in stories.items():
        paths = story_files(root, DiagnosticList())
        medians = interleaved({"bare": lambda: bare_load(paths), "ours": lambda: validate_and_load(root)}, rounds[scale])
        ratio = medians["ours"] / medians["bare"]
        per_word[scale] = medians["ours"] / words[scale]
        figures.append(show(Figure(
            f"cold validate+load, {scale}x ({words[scale]:,} words/language)",
            f"{medians['ours'] * 1000:.0f} ms vs bare yaml.load {medians['bare'] * 1000:.0f} ms = {ratio:.2f}x",
            f"<= {COLD_TARGET}x", ratio <= COLD_TARGET)))
        if scale == max(stories):
            gc.disable()  # for context only: the parser's floor without the cycle collector
            paused = interleaved({"bare": lambda: bare_load(paths)}, rounds[scale])["bare"]
            gc.enable()
            show(Figure(f"  bare yaml.load, {scale}x, cycle collector paused as the loader pauses it",
                        f"{paused * 1000:.0f} ms (ours / this = {medians['ours'] / paused:.2f}x)"))
    base = per_word[min(per_word)]
    for scale in sorted(per_word)[1:]:
        growth = per_word[scale] / base
        figures.append(show(Figure(
            f"linear growth: cost per word at {scale}x vs {min(per_word)}x",
            f"{per_word[scale] * 1e7:.1f} vs {base * 1e7:.1f} ms per 10k words = {growth:.2f}x",
            f"<= {GROWTH_TARGET}x", growth <= GROWTH_TARGET)))
    return figures


def start_seconds(root: Path, mode: str, home: Path) -> float:
    """CPU seconds of a fresh process that loads the story and shows its first scene (as a view)."""
    return child_cpu_seconds([sys.executable, "-c", START_SNIPPET, str(root), mode], env=child_environment(home))


def warm_figures(bundled: Path, bundled_name: str, large: Path, rounds: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="collapse-bench-home-") as home_name:
        home = Path(home_name)
        medians = interleaved({
            "bundled cold": lambda: start_seconds(bundled, "plain", home),
            "bundled warm": lambda: start_seconds(bundled, "cache", home),
            "15x warm": lambda: start_seconds(large, "cache", home),
        }, rounds)
        cold_large = interleaved({"15x cold": lambda: start_seconds(large, "plain", home)}, max(3, rounds // 2), warmup=0)
    warm_ratio = medians["15x warm"] / medians["bundled warm"]
    figures = [
        show(Figure(f"start of {bundled_name}, no cache (process start to first scene view, engine only)",
                    f"{medians['bundled cold'] * 1000:.0f} ms")),
        show(Figure(f"start of {bundled_name}, from the cache", f"{medians['bundled warm'] * 1000:.0f} ms")),
        show(Figure("start of 15x, no cache", f"{cold_large['15x cold'] * 1000:.0f} ms")),
        show(Figure(f"warm start of 15x vs {bundled_name} from the cache",
                    f"{medians['15x warm'] * 1000:.0f} ms = {warm_ratio:.2f}x", f"<= {WARM_TARGET}x",
                    warm_ratio <= WARM_TARGET)),
    ]
    against_cold = medians["15x warm"] / medians["bundled cold"]
    figures.append(show(Figure(f"warm start of 15x vs {bundled_name} without the cache",
                               f"{against_cold:.2f}x", f"<= {WARM_TARGET}x", against_cold <= WARM_TARGET)))
    return figures


def size_limit_figure(folder: Path) -> Figure:
    huge = folder / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.truncate(HUGE_BYTES)  # sparse: the limit must act on the size, before any byte is read
    start = time.perf_counter()
    story, diagnostics = check_story(huge)
    seconds = time.perf_counter() - start
    codes = [d.code for d in diagnostics.items]
    ok = story is None and codes == ["file-too-large"] and seconds < 0.1
    return show(Figure(f"a {HUGE_BYTES // 2**20} MB story file (limit {MAX_FILE_BYTES // 2**20} MB)",
                       f"refused as {codes} in {seconds * 1000:.1f} ms", "refused before parsing, < 100 ms", ok))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke test, noisier)")
    args = parser.parse_args(argv)
    shape = read_shape()
    print(f"Story scale. Synthetic stories from {shape.source}.", flush=True)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="collapse-bench-") as folder_name:
        folder = Path(folder_name)
        stories, words = {}, {}
        for scale in SCALES:
            info = write_story(folder / f"story-{scale}x", scale, shape)
            stories[scale], words[scale] = folder / f"story-{scale}x", info["words_en"]
            show(Figure(f"{scale}x story", f"{info['scenes']} scenes in {info['files']} files, {info['bytes'] / 1e6:.1f} MB, "
                                           f"{info['words_en']:,} English words, {info['chars_zh']:,} Chinese characters"))
        rounds = {1: 9, 5: 5, 15: 5} if args.quick else {1: 25, 5: 9, 15: 7}
        figures += cold_figures(stories, words, rounds)
        bundled_ok = check_story(BUNDLED)[0] is not None
        bundled, name = (BUNDLED, "the bundled story") if bundled_ok else (stories[1], "the 1x story (the bundled one does not validate yet)")
        if bundled_ok:
            show(Figure("the bundled story", f"{story_words(BUNDLED)['en']:,} English words"))
        figures += warm_figures(bundled, name, stories[15], 5 if args.quick else 9)
        figures.append(size_limit_figure(folder))
    return exit_code(figures)


if __name__ == "__main__":
    sys.exit(main())
