"""A small app that shows only the classroom screen: for the tests, for screenshots, and as a way to run
the presenter view on its own (`run_classroom`). The full app (`collapse_tui.ui.app.run_app(...,
classroom=True)`) pushes the same screen on top of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from textual.app import App

from collapse_tui.engine import Session, Story
from collapse_tui.ui.screens.classroom import ClassroomScreen


class ClassroomApp(App[int]):
    """One game of a story on the classroom screen."""

    TITLE = "collapse-tui · classroom"

    def __init__(self, story: Story, *, locale: Optional[str] = None, seed: int = 0, scene: Optional[str] = None,
                 autoplay: Optional[float] = None, live: bool = True, debrief_dir: Optional[Path] = None,
                 transcript: Optional[Path] = None) -> None:
        super().__init__()
        self.session = Session.start(story, seed, scene)
        """The game on screen."""
        self.locale = locale or story.default_locale
        """The language of the story text."""
        self.autoplay = autoplay
        self.live = live
        self.debrief_dir = debrief_dir
        self.transcript = transcript

    def on_mount(self) -> None:
        self.push_screen(ClassroomScreen(self.session, autoplay=self.autoplay, live=self.live,
                                         debrief_dir=self.debrief_dir))

    def on_unmount(self) -> None:
        if self.transcript is not None:
            from collapse_tui.transcript import write_transcript

            write_transcript(self.transcript, self.session.engine, self.session.state, self.locale)


def run_classroom(story: Story, *, locale: Optional[str] = None, seed: int = 0, scene: Optional[str] = None,
                  autoplay: Optional[float] = None, transcript: Optional[Path] = None, **_: object) -> int:
    """Run the presenter view until the presenter quits; returns the exit code."""
    app = ClassroomApp(story, locale=locale, seed=seed, scene=scene, autoplay=autoplay, transcript=transcript)
    app.run()
    return app.return_code or 0
