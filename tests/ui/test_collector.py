"""The cycle collector at start-up (collapse_tui/collector.py): `collapse-tui play` pauses it before it imports
anything, the app lets it run again a moment after its first frame (one collection, then a freeze), and
whatever way `play` ends, it is running again; the plain mode never pauses it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

import collapse_tui.plain
from collapse_tui.cli import cli
from collapse_tui.collector import pause_for_start, resume_after_start
from collapse_tui.ui.app import COLLECTOR_RESUME_SECONDS

ENGINE_FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "fixtures"
MINI = ENGINE_FIXTURES / "good" / "mini.yaml"
BROKEN = ENGINE_FIXTURES / "broken" / "forbidden_expression.yaml"


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    yield
    resume_after_start()
    gc.unfreeze()
    gc.enable()


def test_resume_collects_freezes_and_enables_only_what_pause_paused():
    frozen_before = gc.get_freeze_count()
    resume_after_start()  # (nothing paused: nothing to do)
    assert gc.isenabled() and gc.get_freeze_count() == frozen_before

    pause_for_start()
    assert not gc.isenabled()
    made_while_paused = [[] for _ in range(100)]
    resume_after_start()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(made_while_paused)

    gc.disable()  # (paused by someone else: not ours to resume)
    pause_for_start()
    resume_after_start()
    assert not gc.isenabled()


async def test_the_app_lets_the_collector_run_again_after_its_first_frame(app_for):
    pause_for_start()
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not gc.isenabled()  # (the first frame is drawn with the collector paused)
        await pilot.pause(COLLECTOR_RESUME_SECONDS + 0.3)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 10_000  # (the start's objects: out of later collections' sight)


@pytest.mark.parametrize("arguments", [
    [str(BROKEN)],  # a broken story: exit 1
    [str(MINI), "--lang", "fr"],  # a language the story does not have: exit 2
    [str(MINI), "--scene", "nowhere"],
])
def test_play_leaves_the_collector_running_however_it_ends(arguments):
    result = CliRunner().invoke(cli, ["play", *arguments])
    assert result.exit_code in (1, 2), result.output
    assert gc.isenabled()


def test_the_plain_mode_never_pauses_the_collector(monkeypatch):
    seen = []

    def run(player):
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(collapse_tui.plain.PlainPlayer, "run", run)
    result = CliRunner().invoke(cli, ["play", "--plain", str(MINI), "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert seen == [True]
