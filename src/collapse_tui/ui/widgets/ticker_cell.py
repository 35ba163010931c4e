"""One live price in the ticker strip: symbol, arrow, price, change since the day opened and a sparkline,
coloured by direction, with a short flash when the price jumps.

The cell draws its two lines itself (Textual's line API) and keeps them: a new sample repaints only the
line whose text changed, and no line is laid out again. Its styles are looked up once per restyle (a
flash, a theme), not on every sample."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
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


_STYLE_NAMES = ("ticker-cell--down", "ticker-cell--flat", "ticker-cell--spark", "ticker-cell--symbol", "ticker-cell--up")


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

    COMPONENT_CLASSES = set(_STYLE_NAMES)

    flashes: reactive[bool] = reactive(True, repaint=False)
    """Flash on big moves (off with reduced motion)."""

    def __init__(self, symbol: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = symbol
        self.display_data: TickerDisplay | None = None
        """What the cell shows; a sample that shows the same as the last one repaints nothing."""
        self._last_price: float | None = None
        self._flash_timer = None
        self._styles_key: tuple[object, ...] = ()
        self._styles: dict[str, Style] = {}
        self._lines: tuple[tuple, tuple] = ((), ())  # what each line shows, as (text, style name) pieces
        self._lines_width = -1  # the content width the lines were made for
        self._strips: dict[int, Strip] = {}  # each line drawn, for the width and styles in _strips_key
        self._strips_key: tuple[object, ...] = ()

    def update_view(self, view: TickerView) -> None:
        """Take a fresh sample of the market; flash when the price jumped since the last one."""
        previous = self._last_price
        self._last_price = view.price
        if previous and self.flashes and abs(view.price / previous - 1) >= BIG_MOVE:
            self._flash(1 if view.price > previous else -1)
        data = TickerDisplay.from_view(view)
        if data == self.display_data:
            return
        if self.display_data is None or data.name != self.display_data.name:
            self.tooltip = f"{data.name} ({data.symbol})"
        self.display_data = data
        width = self.content_size.width
        self._show(self._content_lines(data, width), width)

    def _flash(self, direction: int) -> None:
        self.set_class(direction > 0, "-flash-up")
        self.set_class(direction < 0, "-flash-down")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self.remove_class("-flash-up", "-flash-down")
        self._flash_timer = None

    def _content_lines(self, data: TickerDisplay | None, width: int) -> tuple[tuple, tuple]:
        """The two lines as (text, component class or None) pieces, cropped to `width` when drawn."""
        if data is None:
            return ((self.symbol, None),), ()
        tone = {1: "ticker-cell--up", -1: "ticker-cell--down"}.get(data.direction, "ticker-cell--flat")
        change_tone = "ticker-cell--up" if data.change > 0 else "ticker-cell--down" if data.change < 0 else "ticker-cell--flat"
        first = ((data.symbol, "ticker-cell--symbol"), (" ", None), (ARROWS[data.direction], tone), (" ", None),
                 (data.price, tone))
        change = f"{data.change:+.1%}"
        second: tuple = ((change, change_tone),)
        spark_width = max(1, width) - len(change) - 1
        if spark_width > 0:
            second += ((" ", None), (sparkline(data.recent, spark_width), "ticker-cell--spark"))
        return first, second

    def _show(self, lines: tuple[tuple, tuple], width: int) -> None:
        """Repaint only the lines that changed."""
        old, self._lines, self._lines_width = self._lines, lines, width
        if not self.is_mounted:
            return
        for y, (before, after) in enumerate(zip(old, lines)):
            if before != after:
                self._strips.pop(y, None)
                self.refresh(Region(0, y, width, 1))

    def _current_styles(self) -> dict[str, Style]:
        """The rich styles of the cell and its parts, looked up again only after the cell was restyled
        (Textual gives a restyled widget new component styles: their identities are the key)."""
        get = self._component_styles.get
        key = tuple([get(name) for name in _STYLE_NAMES])
        if len(key) != len(self._styles_key) or any(a is not b for a, b in zip(key, self._styles_key)):
            base = self.visual_style.rich_style
            styles = {name: base + self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
            styles[""] = base
            self._styles, self._styles_key = styles, key
            self._strips.clear()
        return self._styles

    def render_line(self, y: int) -> Strip:
        styles = self._current_styles()
        width = self.content_size.width
        if width != self._lines_width:  # laid out (again): the sparkline fits the width it is drawn at
            self._lines, self._lines_width = self._content_lines(self.display_data, width), width
        key = (width, *map(id, self._styles_key))
        if key != self._strips_key:
            self._strips_key = key
            self._strips.clear()
        strip = self._strips.get(y)
        if strip is None:
            pieces = self._lines[y] if y < len(self._lines) else ()
            segments = [Segment(text, styles[name or ""]) for text, name in pieces]
            strip = self._strips[y] = Strip(segments).crop_extend(0, width, styles[""])
        return strip

    def render(self) -> Text:
        """The cell as Rich text (what `render_line` draws), for tests and plain output."""
        styles = self._current_styles() if self.is_mounted else {}
        text = Text(no_wrap=True, overflow="crop")
        for y, pieces in enumerate(self._content_lines(self.display_data, self.content_size.width)):
            if y:
                text.append("\n")
            for piece, name in pieces:
                text.append(piece, styles.get(name or "") if name else None)
        return text
