"""Shared fixtures: every test gets its own data/config home, so no test touches the real one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("COLLAPSE_TUI_HOME", str(tmp_path_factory.mktemp("home")))


def pytest_addoption(parser):
    parser.addoption("--update-transcripts", action="store_true", default=False,
                     help="Rewrite the stored story transcripts in tests/story/transcripts/ (review the diff).")
