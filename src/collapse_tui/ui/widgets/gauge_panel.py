"""The panel of gauges: a heading and one `Gauge` per variable the story marks `gauge: true`."""

from __future__ import annotations

from typing import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from collapse_tui.engine.views import GaugeView
from collapse_tui.ui.widgets.gauge import Gauge


class GaugePanel(Vertical):
    """Where things stand: the story's key variables as labelled gauges."""

    DEFAULT_CSS = """
    GaugePanel {
        height: auto;
        margin-bottom: 1;
        & > .panel-heading {
            color: $text-accent;
            text-style: bold;
            padding: 0 1;
        }
    }
    """

    heading: reactive[str] = reactive("")
    """The panel's title, in the player's language."""
    detailed: reactive[bool] = reactive(False)
    """Gauges also show what they measure (when the screen has room)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: tuple[str, ...] = ()
        self._gauges: list[Gauge] = []

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="panel-heading")

    def watch_heading(self, heading: str) -> None:
        if self.is_mounted:
            self.query_one(".panel-heading", Static).update(heading)

    def watch_detailed(self, detailed: bool) -> None:
        for gauge in self._gauges:
            gauge.detailed = detailed

    def update_gauges(self, views: Sequence[GaugeView], *, show_change: bool = True) -> None:
        """Show the variables' current values; a gauge whose value moved shows by how much for a while."""
        names = tuple(view.name for view in views)
        if names != self._names:
            self._names = names
            for gauge in self._gauges:
                gauge.remove()
            self._gauges = [Gauge(view.name) for view in views]
            for gauge in self._gauges:
                gauge.detailed = self.detailed
            self.mount_all(self._gauges)
            show_change = False
        for gauge, view in zip(self._gauges, views):
            gauge.update_view(view, show_change=show_change)
