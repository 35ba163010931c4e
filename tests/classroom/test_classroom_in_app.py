"""The classroom screen inside the full app (`collapse-tui play --classroom`): the app pushes it, shares its
session, autosaves when the class moves on, and switches language under it."""

from __future__ import annotations

import pytest

from tests.classroom.conftest import SEED, pilot_test

app_module = pytest.importorskip("collapse_tui.ui.app")

from collapse_tui.engine.saves import autosave_path  # noqa: E402
from collapse_tui.ui.screens.classroom import ClassroomScreen  # noqa: E402


def make_app(story, **options):
    return app_module.CollapseApp(story, seed=SEED, classroom=True, options=app_module.AppOptions.for_tests(), **options)


@pilot_test
async def test_play_classroom_opens_the_presenter_view_on_the_apps_game(lesson_story):
    app = make_app(lesson_story)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassroomScreen)
        assert screen.session is app.session
        assert not screen.live  # the app's frozen market (tests) is respected
        await pilot.press("v", "3", "down", "5", "enter")
        await pilot.pause()
        assert app.session.state.scene == "the_order"
        assert autosave_path("lesson").exists()  # the app autosaved on the scene change


@pilot_test
async def test_switching_language_re_renders_the_scene(lesson_story):
    app = make_app(lesson_story)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Arrival" in str(app.screen.query_one("#cr-title").render())
        app.locale = "zh"
        await pilot.pause(0.4)
        assert "抵达" in str(app.screen.query_one("#cr-title").render())


@pilot_test
async def test_autoplay_in_the_app_reaches_an_ending_on_the_classroom_screen(lesson_story):
    import time

    app = make_app(lesson_story, autoplay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 5
        while not app.session.finished and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert isinstance(app.screen, ClassroomScreen)
        assert app.session.state.scene == "end_flight_home"
