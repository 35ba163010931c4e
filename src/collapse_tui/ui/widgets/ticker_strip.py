"""The strip of live prices across the top of the play screen: a cell per ticker with its symbol, arrow, price,
change since the day opened and a sparkline, coloured by direction, with a short flash when the price jumps;
as many cells as fit the width (the rest are left out on narrow terminals, the story's first tickers first).

The strip draws its cells itself (Textual's line API), as `KeyFooter` draws its keys: a widget per cell cost the
first frame a widget each to style, lay out and draw. Each line of each cell is kept: a new sample repaints only
the cell lines whose text changed, a flash only its cell, and nothing is ever laid out again. The styles are
looked up once per restyle (a theme), not on every sample."""

from __future__ import annotations

from typing import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from collapse_tui.engine.views import TickerView
from collapse_tui.ui.widgets.ticker_cell import TickerDisplay, cell_lines

MIN_CELL_WIDTH = 15  # the columns a cell needs to be shown
NARROWEST_CELL = 14  # a lone cell on a terminal narrower than this is cut at the edge, not squeezed
BIG_MOVE = 0.01  # a move of 1% or more between two samples of the screen flashes the cell
FLASH_SECONDS = 0.8

_PARTS = ("ticker-strip--down", "ticker-strip--flat", "ticker-strip--spark", "ticker-strip--symbol",
          "ticker-strip--up")
_FLASHES = {1: "ticker-strip--flash-up", -1: "ticker-strip--flash-down"}
_STYLE_NAMES = (*_PARTS, *_FLASHES.values())


class _Cell:
    """One ticker's cell: what it shows, whether it flashes, and its lines as made and as drawn."""

    __slots__ = ("symbol", "shows", "last_price", "flash", "flash_timer", "lines", "lines_width", "strips")

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.shows: TickerDisplay | None = None
        self.last_price: float | None = None
        self.flash = 0  # 1 or -1 while the cell flashes up or down
        self.flash_timer: Timer | None = None
        self.lines: tuple[tuple, tuple] = ((), ())  # what each line shows, as (text, style name) pieces
        self.lines_width = -1  # the content width the lines were made for
        self.strips: dict[int, Strip] = {}  # each line drawn, for the strip's present width and styles


class TickerStrip(Widget):
    """Live prices: symbol, arrow, price, change since the day opened, sparkline."""

    DEFAULT_CSS = """
    TickerStrip {
        height: 2;
        background: $surface;
        & > .ticker-strip--flash-up { background: $success 30%; }
        & > .ticker-strip--flash-down { background: $error 30%; }
        & > .ticker-strip--symbol { text-style: bold; }
        & > .ticker-strip--up { color: $text-success; }
        & > .ticker-strip--down { color: $text-error; }
        & > .ticker-strip--flat { color: $text-muted; }
        & > .ticker-strip--spark { color: $text-muted; }
    }
    """

    COMPONENT_CLASSES = set(_STYLE_NAMES)

    flashes: reactive[bool] = reactive(True, repaint=False)
    """Cells flash on big moves (off with reduced motion)."""

    def __init__(self, views: Sequence[TickerView] = (), *, id: str | None = None) -> None:
        """`views`: the first sample, drawn with the strip's first frame."""
        super().__init__(id=id)
        self._cells: list[_Cell] = []
        self._symbols: tuple[str, ...] = ()
        self._styles_key: tuple[object, ...] = ()
        self._styles: dict[int, dict[str, Style]] = {}  # by flash (0, 1, -1): the style of each part
        if views:
            self.update_tickers(views)

    @property
    def cells_shown(self) -> int:
        """How many cells fit the strip's width."""
        width = self.size.width
        return min(len(self._cells), max(1, width // MIN_CELL_WIDTH)) if width > 0 else 0

    def _span(self, index: int) -> tuple[int, int]:
        """Where the cell at `index` (one of those shown) is drawn, as (x, width): the cells share the width as
        Textual shares `1fr` between them."""
        width, shown = self.size.width, self.cells_shown
        left, right = index * width // shown, (index + 1) * width // shown
        return left, max(NARROWEST_CELL, right - left)

    # --- samples -----------------------------------------------------------------------------------

    def update_tickers(self, views: Sequence[TickerView]) -> None:
        """Show a fresh sample of every ticker; cell lines whose text did not change are not repainted."""
        symbols = tuple(view.symbol for view in views)
        if symbols != self._symbols:
            for cell in self._cells:
                if cell.flash_timer is not None:
                    cell.flash_timer.stop()
            self._symbols = symbols
            self._cells = [_Cell(symbol) for symbol in symbols]
            if self.is_mounted:
                self.refresh()
        for index, (cell, view) in enumerate(zip(self._cells, views)):
            previous, cell.last_price = cell.last_price, view.price
            if previous and self.flashes and abs(view.price / previous - 1) >= BIG_MOVE:
                self._flash(index, 1 if view.price > previous else -1)
            data = TickerDisplay.from_view(view)
            if data != cell.shows:
                cell.shows = data
                self._show(index)

    def _show(self, index: int) -> None:
        """Repaint the lines of the cell at `index` that changed (a cell not drawn is made afresh when it is)."""
        cell = self._cells[index]
        if not self.is_mounted or index >= self.cells_shown:
            cell.lines_width = -1
            return
        x, width = self._span(index)
        if cell.lines_width != width - 2:
            self.refresh(Region(x, 0, width, 2))
            return
        old, cell.lines = cell.lines, cell_lines(cell.symbol, cell.shows, width - 2)
        for y, (before, after) in enumerate(zip(old, cell.lines)):
            if before != after:
                cell.strips.pop(y, None)
                # The whole width of the cell: Textual sends a line's update from the start of the widget's
                # line to the end of the region, so cells next to each other had better be one region.
                self.refresh(Region(x, y, width, 1))

    def _flash(self, index: int, direction: int) -> None:
        cell = self._cells[index]
        if cell.flash_timer is not None:
            cell.flash_timer.stop()
        cell.flash_timer = self.set_timer(FLASH_SECONDS, lambda: self._set_flash(cell, 0))
        self._set_flash(cell, direction)

    def _set_flash(self, cell: _Cell, direction: int) -> None:
        if direction == 0:
            cell.flash_timer = None
        if cell.flash == direction:
            return
        cell.flash = direction
        cell.strips.clear()
        index = self._cells.index(cell) if cell in self._cells else len(self._cells)
        if self.is_mounted and index < self.cells_shown:
            x, width = self._span(index)
            self.refresh(Region(x, 0, width, 2))

    # --- drawing -----------------------------------------------------------------------------------

    def _current_styles(self) -> dict[int, dict[str, Style]]:
        """The rich styles of each part of a cell, plain and flashing, looked up again only after the strip was
        restyled (Textual gives a restyled widget new component styles: their identities are the key). A
        flashing cell is drawn as a cell with the flash's background would be: each part's colour laid on it."""
        get = self._component_styles.get
        key = tuple([get(name) for name in _STYLE_NAMES])
        if len(key) == len(self._styles_key) and all(a is b for a, b in zip(key, self._styles_key)):
            return self._styles
        visual = self.visual_style
        under = self.background_colors[1]
        styles: dict[int, dict[str, Style]] = {}
        for flash in (0, 1, -1):
            background = under + self.get_component_styles(_FLASHES[flash]).background if flash else under
            on = Style(bgcolor=background.rich_color)
            base = visual.rich_style + Style(color=(background + visual.foreground).rich_color) + on
            looks = {"": base, "pad": on}
            for part in _PARTS:
                component = self.get_component_styles(part)
                color = component.color if component.has_rule("color") else visual.foreground
                if component.has_rule("auto_color") and component.auto_color:
                    color = background.get_contrast_text(color.a)
                looks[part] = base + self.get_component_rich_style(part) + Style(
                    color=(background + color).rich_color) + on
            styles[flash] = looks
        self._styles, self._styles_key = styles, key
        for cell in self._cells:
            cell.strips.clear()
        return styles

    def _cell_line(self, cell: _Cell, y: int, width: int, styles: dict[int, dict[str, Style]]) -> Strip:
        """A line of a cell `width` columns wide: a column of padding either side of its text."""
        content = width - 2
        if content != cell.lines_width:  # laid out (again): the sparkline fits the width it is drawn at
            cell.lines, cell.lines_width = cell_lines(cell.symbol, cell.shows, content), content
            cell.strips.clear()
        strip = cell.strips.get(y)
        if strip is None:
            strip = cell.strips[y] = self._draw_cell_line(cell.lines[y], content, styles[cell.flash])
        return strip

    def _draw_cell_line(self, pieces: tuple, content: int, looks: dict[str, Style]) -> Strip:
        """Draw a line of a cell: its text cut or filled to `content` columns, a column of padding either side."""
        text = Strip([Segment(piece, looks[name or ""]) for piece, name in pieces])
        pad = Segment(" ", looks["pad"])
        return Strip([pad, *text.crop_extend(0, content, looks[""]), pad], content + 2)

    def render_line(self, y: int) -> Strip:
        styles = self._current_styles()
        width = self.size.width
        shown = self.cells_shown
        if not shown or y >= 2:
            return Strip.blank(width, self.visual_style.rich_style)
        line = Strip.join([self._cell_line(self._cells[index], y, self._span(index)[1], styles)
                           for index in range(shown)])
        return line if line.cell_length == width else line.crop(0, width)

    # --- the mouse ---------------------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The tooltip names the ticker under the mouse."""
        data = next((self._cells[index].shows for index in range(self.cells_shown)
                     if self._span(index)[0] <= event.x < sum(self._span(index))), None)
        tooltip = f"{data.name} ({data.symbol})" if data is not None else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip
