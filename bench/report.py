"""How every benchmark prints a figure: one line with the value, the target and PASS or FAIL, so that
`bench/run_all.py` (and a person) can read them alike. Also the small timing helpers they share."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

PASS, FAIL, INFO = "PASS", "FAIL", "info"


@dataclass(frozen=True)
class Figure:
    """One measured figure; `passed` is None for a figure shown for context, with no target."""

    name: str
    value: str
    target: str = ""
    passed: Optional[bool] = None

    def line(self) -> str:
        verdict = INFO if self.passed is None else PASS if self.passed else FAIL
        target = f"  (target: {self.target})" if self.target else ""
        return f"{verdict:4}  {self.name}: {self.value}{target}"


def show(figure: Figure) -> Figure:
    print(figure.line(), flush=True)
    return figure


def exit_code(figures: list[Figure]) -> int:
    return 1 if any(f.passed is False for f in figures) else 0


def child_environment(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a benchmark's child process: a home folder of its own, and bytecode cached as an
    installed package has it. (Some machines set PYTHONDONTWRITEBYTECODE; with an editable install every
    child would then compile our sources afresh, while Textual's come compiled from its wheel.)"""
    environment = {**os.environ, "COLLAPSE_TUI_HOME": str(home), **extra}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def cpu_seconds() -> float:
    """This process's CPU time: on a shared machine it moves far less than the wall clock, and every
    figure here is single-threaded work, so it is what the benchmarks time."""
    return time.process_time()


def child_cpu_seconds(command: list[str], **options) -> float:
    """Run a command to its end; the CPU time it used (user + system), from the kernel's accounting."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, **options)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(functions: dict[str, Callable[[], object]], rounds: int, warmup: int = 1) -> dict[str, float]:
    """Median seconds of each function, measured in turns (a, b, a, b …) so that a noisy machine slows
    them alike; the ratios of the medians are what the benchmarks compare. A function is timed by this
    process's CPU clock, unless it returns a float: the seconds it measured itself (a child's CPU time)."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for index in range(rounds):
        order = list(functions.items())
        if index % 2:
            order.reverse()
        for name, function in order:
            start = cpu_seconds()
            measured = function()
            samples[name].append(measured if isinstance(measured, float) else cpu_seconds() - start)
    return {name: statistics.median(values) for name, values in samples.items()}
