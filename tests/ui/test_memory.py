"""Memory in the app (issue 7): a long playthrough must not keep the widgets, or the rendered lines, of
the scenes it has left. Each scene replaces its paragraphs, choices and posts; what is alive after a
collection is what is on screen, however many scenes were played."""

from __future__ import annotations

import gc

import pytest
from textual._styles_cache import StylesCache
from textual.widget import Widget

from collapse_tui.engine.views import scene_view
from collapse_tui.ui.widgets.scene_text import Paragraph

from .conftest import make_app

SCENES = 20


def alive(kind: type) -> list:
    gc.collect()
    return [thing for thing in gc.get_objects() if isinstance(thing, kind)]


async def test_a_long_playthrough_keeps_only_the_scene_on_screen():
    from collapse_tui.bundled import bundled_story_path
    from collapse_tui.engine import StoryError, load_story

    try:
        story = load_story(bundled_story_path())
    except StoryError:
        pytest.skip("the bundled story does not load right now")
    app = make_app(story, skip_title=True)
    played = 0
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        baseline_caches = len(alive(StylesCache))
        while played < SCENES and not app.session.finished:
            view = scene_view(app.session.engine, app.session.state, app.locale)
            open_lines = [line for line in view.choices if line.available and line.number <= 9]
            if not open_lines:
                break
            line = next((line for line in open_lines if line.historical), open_lines[0])
            before = app.session.state
            await pilot.press(str(line.number))
            await pilot.pause()
            if app.session.state is before:
                break
            played += 1
            await pilot.pause()  # the last scene's paragraphs are removed after the new ones are mounted
            on_screen = len(app.screen.query(Paragraph))
            paragraphs = alive(Paragraph)
            assert len(paragraphs) == on_screen, f"after {played} scenes: {len(paragraphs)} paragraphs alive, {on_screen} on screen"
            assert all(paragraph.is_attached for paragraph in paragraphs)
            del paragraphs  # (or the next count would find this scene's paragraphs alive in this list)
        assert played >= 10, "the playthrough ended too soon to show anything"
        # The rendered lines of gone widgets: every StylesCache alive belongs to a widget alive (Textual's
        # lru_cache on StylesCache.get_inner_outer kept up to 1024 of them, see ui/textual_fixes.py).
        widgets = alive(Widget)
        caches = alive(StylesCache)
        assert len(caches) <= len(widgets) + 4, f"{len(caches)} StylesCaches for {len(widgets)} widgets"
        assert len(caches) <= baseline_caches + 20
