"""Snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot). The market is seeded and
frozen, text appears at once and animations are off, so a snapshot only changes when the screen does.
After a deliberate change: `pytest tests/ui/test_snapshots.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import pytest

from tests.ui.conftest import make_app

@pytest.fixture(autouse=True)
def _colour_terminal(monkeypatch):
    """Snapshots are of the colour app, whatever the environment running the tests says."""
    monkeypatch.delenv("NO_COLOR", raising=False)


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
TO_THE_END = ["2", "1", "1", "1"]


@pytest.mark.parametrize("size", SIZES)
class TestTitleSnapshots:
    def test_title_screen(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, seed=1), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
class TestPlaySnapshots:
    def test_first_scene_with_tickers_and_gauges(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, skip_title=True), terminal_size=size)

    def test_scene_with_order_book_chat_and_timed_choice(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, skip_title=True), press=["2"], terminal_size=size)

    def test_interrupted_scene(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, skip_title=True), press=["2", "2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
class TestHistorySnapshots:
    def test_history_after_an_interruption(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, skip_title=True), press=["2", "2", "h"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
class TestDebriefSnapshots:
    def test_debrief_after_the_historical_ending(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, skip_title=True), press=[*TO_THE_END, "d"], terminal_size=size)

    def test_debrief_scrolled_to_chart_and_prompts(self, snap_compare, mini_story, size):
        assert snap_compare(make_app(mini_story, skip_title=True), press=[*TO_THE_END, "d", "end"], terminal_size=size)
