"""The banner that says, loudly, that an event interrupted the scene (FTT broke $14 …), naming what now
happens; hidden the rest of the time."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class InterruptionBanner(Static):
    """A one-line alert shown while the scene on screen was brought by an event."""

    DEFAULT_CSS = """
    InterruptionBanner {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
        &.-shown { display: block; }
        &.-pulse { background: $warning; color: $background; }
    }
    """

    message: reactive[str] = reactive("")
    """The alert ("" hides the banner)."""
    pulse: reactive[bool] = reactive(True, repaint=False)
    """Flash once when shown (off with reduced motion)."""

    def watch_message(self, message: str) -> None:
        self.update(message)
        self.set_class(bool(message), "-shown")
        if message and self.pulse:
            self.add_class("-pulse")
            self.set_timer(0.6, lambda: self.remove_class("-pulse"))
