"""Shared pieces of the robustness tests: the engine's good fixtures, a scratch folder that hypothesis
examples may reuse, and the invariant every loaded-or-refused story must keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from collapse_tui.engine import check_story
from collapse_tui.engine.diagnostics import Severity

GOOD = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "good"
FEATURES = GOOD / "features.yaml"
MINI = GOOD / "mini.yaml"


@pytest.fixture(scope="session")
def scratch(tmp_path_factory) -> Path:
    """A folder for hypothesis examples (a session fixture: examples of one test share it in turn)."""
    return tmp_path_factory.mktemp("scratch")


def check_file(path: Path):
    """check_story on one file, with what every outcome must satisfy: it returns (nothing escapes); a
    story comes back exactly when there is no error; every diagnostic names the file and a line and a
    column in it."""
    story, diagnostics = check_story(path)
    errors = [d for d in diagnostics.items if d.severity is Severity.ERROR]
    assert (story is None) == bool(errors), diagnostics.items
    lines = len(path.read_bytes().decode("utf-8", "replace").splitlines()) + 1  # YAML breaks lines at NEL too
    for diagnostic in diagnostics.items:
        assert Path(diagnostic.position.path).name == path.name, diagnostic
        assert 1 <= diagnostic.position.line <= lines + 1, diagnostic
        assert diagnostic.position.column >= 1, diagnostic
        assert diagnostic.code and diagnostic.message, diagnostic
    return story, diagnostics
