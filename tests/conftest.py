"""Shared fixtures: every test gets its own data/config home, so no test touches the real one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("COLLAPSE_TUI_HOME", str(tmp_path_factory.mktemp("home")))
