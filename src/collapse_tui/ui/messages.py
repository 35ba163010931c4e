"""Messages the app's parts send up to the app. `SceneChanged` is the one other parts may rely on: it is
posted whenever the game moves to another scene (a choice, an event, undo, load, a new game, a reload)."""

from __future__ import annotations

from typing import Optional

from textual.message import Message


class SceneChanged(Message):
    """The game is on another scene (or the same scene after undo/load/reload): time to show it."""

    def __init__(self, scene_id: str, via: str, previous: Optional[str] = None) -> None:
        super().__init__()
        self.scene_id = scene_id
        """The id of the scene now on screen."""
        self.via = via
        """How it got there: start, jump, choice, event, return, undo, load, reload."""
        self.previous = previous
        """The id of the scene before, when there was one."""
