"""The countdown of a timed choice: how long is left and which choice will be made for the player when it
runs out, with a bar that shrinks."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.ui.widgets.gauge import bar


class Countdown(Widget):
    """Seconds left on a timed choice and what happens at zero; hidden when the scene has no timer."""

    DEFAULT_CSS = """
    Countdown {
        display: none;
        height: 1;
        padding: 0 1;
        background: $surface;
        &.-running { display: block; }
        & > .countdown--text { color: $text-warning; text-style: bold; }
        & > .countdown--bar { color: $warning; }
        &.-urgent > .countdown--text { color: $text-error; }
        &.-urgent > .countdown--bar { color: $error; }
    }
    """

    COMPONENT_CLASSES = {"countdown--text", "countdown--bar"}

    remaining: reactive[float] = reactive(0.0)
    """Seconds left (shown rounded up to whole seconds)."""
    total: reactive[float] = reactive(0.0)
    """Seconds the timer started with (0: no timer)."""
    label: reactive[str] = reactive("")
    """The sentence to show, already in the player's language."""

    def start(self, seconds: float) -> None:
        self.total = seconds
        self.remaining = seconds
        self.add_class("-running")

    def stop(self) -> None:
        self.total = 0.0
        self.remaining = 0.0
        self.remove_class("-running", "-urgent")

    def watch_remaining(self, remaining: float) -> None:
        self.set_class(0 < remaining <= 10, "-urgent")

    def render(self) -> Text:
        text = Text(self.label, self.get_component_rich_style("countdown--text"), no_wrap=True, overflow="ellipsis")
        room = self.content_size.width - text.cell_len - 2
        if room >= 6 and self.total > 0:
            filled, rest = bar(self.remaining / self.total, room)
            text.append("  ")
            text.append(filled + rest, self.get_component_rich_style("countdown--bar"))
        return text
