from __future__ import annotations

from pathlib import Path

import pytest

from collapse_tui.engine import Session, load_story

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini_story():
    return load_story(FIXTURES / "good" / "mini.yaml")


@pytest.fixture
def mini(mini_story):
    return Session.start(mini_story, seed=7)
