"""`--autoplay [SECS]` in the app: the game plays itself along the story's historical path, one choice
every SECS seconds (a kiosk, or an introduction at the front of a class), until a key or a click takes
over. `AutoplayMixin` adds this to any screen that shows a `Session`; the classroom screen and the play
screen use it:

    class PlayScreen(AutoplayMixin, Screen):
        def autoplay_choose(self, index: int) -> None:   # take the choice as a key press would
            self.take_choice(index)

    screen.start_autoplay(seconds)                        # e.g. in on_mount, when --autoplay was given

The screen keeps its own clock; autoplay only chooses. `Engine.autoplay_choice` is the rule (the first open
choice marked `historical: true`, else the first open choice), the same as the line-mode player's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual import events
from textual.message import Message
from textual.timer import Timer

from collapse_tui.engine.runtime import Session

if TYPE_CHECKING:
    from textual.dom import DOMNode

MIN_SECONDS = 0.01


class AutoplayMixin:
    """Autoplay for a screen that shows a `Session`: a timer that takes the historical choice, stopped by
    the first key or click (which is used for nothing else), or by reaching an ending."""

    class AutoplayStopped(Message):
        """Autoplay ended: `reason` is 'key' (someone took over), 'ending' or 'stuck' (no open choice)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason
            """Why autoplay stopped."""

    _autoplay_timer: Optional[Timer] = None
    autoplay_seconds: Optional[float] = None

    # --- what the screen provides ------------------------------------------------------------------

    def autoplay_session(self) -> Session:
        """The session to play (default: `self.session`)."""
        return self.session  # type: ignore[attr-defined]

    def autoplay_choose(self, index: int) -> None:
        """Take choice `index` and show the result; screens override this to re-render."""
        self.autoplay_session().choose(index)

    def autoplay_ready(self) -> bool:
        """False while the screen cannot take a step (e.g. paused); the step is tried again next time."""
        return True

    # --- control -----------------------------------------------------------------------------------

    @property
    def autoplay_active(self) -> bool:
        return self._autoplay_timer is not None

    def start_autoplay(self, seconds: float) -> None:
        """Take one step every `seconds` (real time) until an ending, a key or a click."""
        self.stop_autoplay(None)
        self.autoplay_seconds = max(MIN_SECONDS, float(seconds))
        node: "DOMNode" = self  # type: ignore[assignment]
        self._autoplay_timer = node.set_interval(self.autoplay_seconds, self._autoplay_step, name="autoplay")

    def stop_autoplay(self, reason: Optional[str] = "key") -> None:
        timer, self._autoplay_timer = self._autoplay_timer, None
        if timer is None:
            return
        timer.stop()
        if reason is not None:
            self.post_message(self.AutoplayStopped(reason))  # type: ignore[attr-defined]

    def _autoplay_step(self) -> None:
        if not self.autoplay_active or not self.autoplay_ready():
            return
        session = self.autoplay_session()
        if session.finished:
            self.stop_autoplay("ending")
            return
        index = session.engine.autoplay_choice(session.state)
        if index is None:
            self.stop_autoplay("stuck")
            return
        self.autoplay_choose(index)
        if session.finished:
            self.stop_autoplay("ending")

    # --- any key (or click) takes over --------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if self.autoplay_active:
            event.stop()
            event.prevent_default()
            self.stop_autoplay("key")

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.autoplay_active:
            event.stop()
            event.prevent_default()
            self.stop_autoplay("key")
