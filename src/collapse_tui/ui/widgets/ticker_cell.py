"""What a cell of the ticker strip shows, as data and as text: symbol, arrow, price, change since the day opened
and a sparkline (the strip draws the cells, colours them and flashes them)."""

from __future__ import annotations


from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.views import TickerView, format_price

SPARK_LEVELS = "▁▂▃▄▅▆▇█"
ARROWS = {1: "▲", -1: "▼", 0: "•"}


@frozen
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


def cell_lines(symbol: str, data: TickerDisplay | None, width: int) -> tuple[tuple, tuple]:
    """A cell's two lines as (text, style name or None) pieces, cropped to `width` when drawn; the style names
    are the ticker strip's component classes."""
    if data is None:
        return ((symbol, None),), ()
    tone = {1: "ticker-strip--up", -1: "ticker-strip--down"}.get(data.direction, "ticker-strip--flat")
    change_tone = ("ticker-strip--up" if data.change > 0 else "ticker-strip--down" if data.change < 0
                   else "ticker-strip--flat")
    first = ((data.symbol, "ticker-strip--symbol"), (" ", None), (ARROWS[data.direction], tone), (" ", None),
             (data.price, tone))
    change = f"{data.change:+.1%}"
    second: tuple = ((change, change_tone),)
    spark_width = max(1, width) - len(change) - 1
    if spark_width > 0:
        second += ((" ", None), (sparkline(data.recent, spark_width), "ticker-strip--spark"))
    return first, second
