"""One live price in the ticker strip: symbol, arrow, price, change since the day opened and a sparkline,
coloured by direction, with a short flash when the price jumps."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.engine.views import TickerView, format_price

SPARK_LEVELS = "▁▂▃▄▅▆▇█"
BIG_MOVE = 0.01  # a move of 1% or more between two samples of the screen flashes the cell
FLASH_SECONDS = 0.8
ARROWS = {1: "▲", -1: "▼", 0: "•"}


@dataclass(frozen=True)
class TickerDisplay:
    """What a cell shows, rounded as shown: equal displays mean nothing to repaint."""

    symbol: str
    name: str
    price: str
    change: float  # since the day opened, rounded to 0.1%
    direction: int
    recent: tuple[float, ...]

    @classmethod
    def from_view(cls, view: TickerView, samples: int = 40) -> "TickerDisplay":
        recent = tuple(float(f"{p:.4g}") for p in view.recent[-samples:])
        return cls(view.symbol, view.name, format_price(view.price), round(view.change, 3), view.direction, recent)


def sparkline(values: tuple[float, ...], width: int) -> str:
    """Block characters for the last `width` values, scaled between their minimum and maximum."""
    if width <= 0 or not values:
        return ""
    values = values[-width:]
    low, high = min(values), max(values)
    if high - low < 1e-12:
        return SPARK_LEVELS[3] * len(values)
    top = len(SPARK_LEVELS) - 1
    return "".join(SPARK_LEVELS[round((v - low) / (high - low) * top)] for v in values)


class TickerCell(Widget):
    """A ticker's price, arrow, change since the day opened and recent trend."""

    DEFAULT_CSS = """
    TickerCell {
        width: 1fr;
        min-width: 14;
        height: 2;
        padding: 0 1;
        background: $surface;
        &.-flash-up { background: $success 30%; }
        &.-flash-down { background: $error 30%; }
        & > .ticker-cell--symbol { text-style: bold; }
        & > .ticker-cell--up { color: $text-success; }
        & > .ticker-cell--down { color: $text-error; }
        & > .ticker-cell--flat { color: $text-muted; }
        & > .ticker-cell--spark { color: $text-muted; }
    }
    """

    COMPONENT_CLASSES = {"ticker-cell--symbol", "ticker-cell--up", "ticker-cell--down", "ticker-cell--flat",
                         "ticker-cell--spark"}

    display_data: reactive[TickerDisplay | None] = reactive(None, layout=False)
    """What the cell shows; a new value that is equal to the old one does not repaint."""
    flashes: reactive[bool] = reactive(True, repaint=False)
    """Flash on big moves (off with reduced motion)."""

    def __init__(self, symbol: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = symbol
        self._last_price: float | None = None
        self._flash_timer = None

    def update_view(self, view: TickerView) -> None:
        """Take a fresh sample of the market; flash when the price jumped since the last one."""
        previous = self._last_price
        self._last_price = view.price
        if previous and self.flashes and abs(view.price / previous - 1) >= BIG_MOVE:
            self._flash(1 if view.price > previous else -1)
        self.display_data = TickerDisplay.from_view(view)

    def _flash(self, direction: int) -> None:
        self.set_class(direction > 0, "-flash-up")
        self.set_class(direction < 0, "-flash-down")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self.remove_class("-flash-up", "-flash-down")
        self._flash_timer = None

    def watch_display_data(self, data: TickerDisplay | None) -> None:
        if data is not None:
            self.tooltip = f"{data.name} ({data.symbol})"

    def render(self) -> Text:
        data = self.display_data
        if data is None:
            return Text(self.symbol)
        width = max(1, self.content_size.width)
        tone = {1: "ticker-cell--up", -1: "ticker-cell--down"}.get(data.direction, "ticker-cell--flat")
        change_tone = "ticker-cell--up" if data.change > 0 else "ticker-cell--down" if data.change < 0 else "ticker-cell--flat"
        text = Text(no_wrap=True, overflow="crop")
        text.append(data.symbol, self.get_component_rich_style("ticker-cell--symbol"))
        text.append(" ")
        text.append(ARROWS[data.direction], self.get_component_rich_style(tone))
        text.append(" ")
        text.append(data.price, self.get_component_rich_style(tone))
        text.append("\n")
        change = f"{data.change:+.1%}"
        text.append(change, self.get_component_rich_style(change_tone))
        spark_width = width - len(change) - 1
        if spark_width > 0:
            text.append(" ")
            text.append(sparkline(data.recent, spark_width), self.get_component_rich_style("ticker-cell--spark"))
        return text
