"""Every benchmark of issue 7 in one run: each script in turn (start-up, tickers, story scale, memory), its
figures as it prints them, then all of them again with their targets, PASS or FAIL. Exits 1 when a target
is missed or a benchmark cannot run.

    python bench/run_all.py [--quick]

A figure is a line a benchmark prints that begins with PASS, FAIL or info (see bench/report.py)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = [  # (script, takes --quick, other arguments)
    ("bench_startup.py", False, ["--instructions"]),
    ("bench_tickers.py", False, []),
    ("bench_load.py", True, []),
    ("bench_memory.py", True, []),
]
FIGURE = re.compile(r"^\s*(PASS|FAIL|info)\b")


def run(script: Path, quick: bool, arguments: list[str]) -> tuple[int, list[str], float]:
    command = [sys.executable, str(script)] + (["--quick"] if quick else []) + arguments
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=BENCH.parent)
    figures = []
    assert process.stdout is not None
    for line in process.stdout:
        print(f"  {line}", end="", flush=True)
        if FIGURE.match(line):
            figures.append(line.rstrip("\n"))
    return process.wait(), figures, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds where a benchmark allows it (noisier)")
    args = parser.parse_args(argv)
    summary: list[tuple[str, list[str], str]] = []
    failed = False
    for name, takes_quick, arguments in SCRIPTS:
        script = BENCH / name
        if not script.exists():
            summary.append((name, [], "MISSING"))
            failed = True
            continue
        print(f"== {name}", flush=True)
        code, figures, seconds = run(script, args.quick and takes_quick, arguments)
        status = f"exit {code}, {seconds:.0f} s"
        if code != 0 and not any(f.lstrip().startswith("FAIL") for f in figures):
            status += " (it did not finish: see its output above)"
        failed |= code != 0
        summary.append((name, figures, status))
    print("\n== every figure, with its target")
    for name, figures, status in summary:
        print(f"{name} ({status})")
        for figure in figures:
            print(f"  {figure.strip()}")
    failed |= any(f.lstrip().startswith("FAIL") for _, figures, _ in summary for f in figures)
    print("\nall targets met" if not failed else "\nSOME TARGETS ARE NOT MET")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
