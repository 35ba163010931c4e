"""Helpers for the authoring toolkit's tests: run the command line in-process, read `# expect:` lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from collapse_tui.cli import cli

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parents[1]
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (?:(warning) )?([a-z-]+)$", re.MULTILINE)


def expected(path: Path) -> set[tuple[int, int, str, str]]:
    """The diagnostics a fixture names in its `# expect: LINE:COL [warning] CODE` lines."""
    return {(int(line), int(col), severity or "error", code) for line, col, severity, code in EXPECT.findall(path.read_text())}


@pytest.fixture
def run():
    """Run `collapse-tui ARGS…` in-process; returns click's Result (exit_code, stdout, stderr)."""
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    return invoke
