"""A block chart of one ticker's price over the whole run (the market's coarse history), with the other
symbols to switch to (← → or a click), the high and low on the left and the story times underneath."""

from __future__ import annotations


from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.views import format_price

EIGHTHS = " ▁▂▃▄▅▆▇█"


@frozen
class ChartData:
    """The run's prices: symbols, and for each point its story-time label and one price per symbol."""

    symbols: tuple[str, ...]
    labels: tuple[str, ...]
    prices: tuple[tuple[float, ...], ...]

    def series(self, index: int) -> list[float]:
        return [point[index] for point in self.prices]


def resample(values: list[float], columns: int) -> list[float]:
    """`columns` values taken evenly along `values` (each the mean of its stretch)."""
    if not values or columns <= 0:
        return []
    if len(values) <= columns:
        # Stretch: repeat points so the chart fills the width.
        return [values[min(len(values) - 1, int(i * len(values) / columns))] for i in range(columns)]
    out = []
    for i in range(columns):
        start = int(i * len(values) / columns)
        end = max(start + 1, int((i + 1) * len(values) / columns))
        stretch = values[start:end]
        out.append(sum(stretch) / len(stretch))
    return out


class PriceChart(Widget, can_focus=True):
    """The price of one ticker during the run."""

    DEFAULT_CSS = """
    PriceChart {
        height: 12;
        padding: 0 1;
        &:focus { background-tint: $foreground 4%; }
        & > .price-chart--bar { color: $primary; }
        & > .price-chart--axis { color: $text-muted; }
        & > .price-chart--symbol { color: $text-muted; }
        & > .price-chart--current { color: $text; background: $primary 40%; text-style: bold; }
        & > .price-chart--up { color: $text-success; }
        & > .price-chart--down { color: $text-error; }
    }
    """

    COMPONENT_CLASSES = {"price-chart--bar", "price-chart--axis", "price-chart--symbol", "price-chart--current",
                         "price-chart--up", "price-chart--down"}

    BINDINGS = [
        Binding("left", "cycle(-1)", "Previous", show=False),
        Binding("right", "cycle(1)", "Next", show=False),
    ]

    data: reactive[ChartData | None] = reactive(None)
    """The run's prices."""
    symbol_index: reactive[int] = reactive(0)
    """Which ticker is drawn."""
    hint: reactive[str] = reactive("")
    """A short hint after the symbols (e.g. "← → or click a symbol")."""

    def action_cycle(self, step: int) -> None:
        if self.data and self.data.symbols:
            self.symbol_index = (self.symbol_index + step) % len(self.data.symbols)

    def action_show(self, index: int) -> None:
        self.symbol_index = index

    def render(self) -> Text:
        data = self.data
        if data is None or not data.symbols or not data.prices:
            return Text()
        width = max(10, self.content_size.width)
        height = max(4, self.content_size.height)
        index = min(self.symbol_index, len(data.symbols) - 1)
        head = Text(no_wrap=True, overflow="ellipsis")
        for i, symbol in enumerate(data.symbols):
            style = self.get_component_rich_style("price-chart--current" if i == index else "price-chart--symbol")
            head.append(f" {symbol} ", style + Style(meta={"@click": f"show({i})"}))
            head.append(" ")
        series = data.series(index)
        first, last = series[0], series[-1]
        change = last / first - 1 if first else 0.0
        head.append(f"{format_price(first)} → {format_price(last)} ")
        head.append(f"({change:+.1%})", self.get_component_rich_style("price-chart--up" if change >= 0 else "price-chart--down"))
        if self.hint:
            head.append(f"   {self.hint}", self.get_component_rich_style("price-chart--axis"))
        rows = height - 2
        low, high = min(series), max(series)
        label_width = max(len(format_price(high)), len(format_price(low))) + 1
        columns = max(1, width - label_width - 1)
        values = resample(series, columns)
        span = high - low if high > low else max(abs(high) * 0.01, 1e-9)
        bar_style = self.get_component_rich_style("price-chart--bar")
        axis_style = self.get_component_rich_style("price-chart--axis")
        lines = [head]
        for row in range(rows):
            level_from_bottom = rows - 1 - row
            if row == 0:
                label = format_price(high)
            elif row == rows - 1:
                label = format_price(low)
            else:
                label = ""
            line = Text(label.rjust(label_width) + "│", axis_style, no_wrap=True, overflow="crop")
            cells = []
            for value in values:
                eighths = round((value - low) / span * rows * 8) if high > low else rows * 4
                eighths = max(1, eighths)
                here = eighths - level_from_bottom * 8
                cells.append(EIGHTHS[max(0, min(8, here))])
            line.append("".join(cells), bar_style)
            lines.append(line)
        start, end = data.labels[0], data.labels[-1]
        axis = Text(" " * (label_width + 1), axis_style, no_wrap=True, overflow="crop")
        gap = max(1, columns - len(start) - len(end))
        axis.append(start + " " * gap + end, axis_style)
        lines.append(axis)
        return Text("\n").join(lines)
