"""Fixtures for the classroom tests: a small lesson story, and the presenter view on it."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import pytest

from collapse_tui.engine import Session, load_story

FIXTURES = Path(__file__).parent / "fixtures"
LESSON = FIXTURES / "lesson.yaml"
SEED = 7


@pytest.fixture(scope="session")
def lesson_story():
    return load_story(LESSON)


@pytest.fixture
def lesson_session(lesson_story):
    return Session.start(lesson_story, SEED)


@pytest.fixture
def classroom_app(lesson_story, tmp_path):
    """A factory for the presenter view on the lesson story; the clock is frozen unless live=True."""
    from collapse_tui.ui.screens.classroom_app import ClassroomApp

    def make(**options):
        options.setdefault("seed", SEED)
        options.setdefault("live", False)
        options.setdefault("debrief_dir", tmp_path / "debriefs")
        return ClassroomApp(lesson_story, **options)

    return make


def pilot_test(scenario):
    """Run an async Pilot scenario as a plain test (no async plugin needed); fixtures still arrive."""

    @functools.wraps(scenario)
    def test(*args, **kwargs):
        return asyncio.run(scenario(*args, **kwargs))

    return test
