"""The strip of live prices across the top of the play screen: one `TickerCell` per ticker, as many as fit
the width (the rest are left out on narrow terminals, the story's first tickers first)."""

from __future__ import annotations

from typing import Sequence

from textual import events
from textual.containers import Horizontal
from textual.reactive import reactive

from collapse_tui.engine.views import TickerView
from collapse_tui.ui.widgets.ticker_cell import TickerCell

MIN_CELL_WIDTH = 15


class TickerStrip(Horizontal):
    """Live prices: symbol, arrow, price, change since the day opened, sparkline."""

    DEFAULT_CSS = """
    TickerStrip {
        height: 2;
        background: $surface;
    }
    """

    flashes: reactive[bool] = reactive(True)
    """Cells flash on big moves (off with reduced motion)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._symbols: tuple[str, ...] = ()
        self._cells: list[TickerCell] = []

    def update_tickers(self, views: Sequence[TickerView]) -> None:
        """Show a fresh sample of every ticker; cells whose display did not change are not repainted."""
        symbols = tuple(view.symbol for view in views)
        if symbols != self._symbols:
            self._symbols = symbols
            self.remove_children()
            cells = self._cells = [TickerCell(symbol) for symbol in symbols]
            for cell in cells:
                cell.flashes = self.flashes
            self.mount_all(cells)
            self._fit(self.size.width)
            for cell, view in zip(cells, views):
                cell.update_view(view)
            return
        for cell, view in zip(self._cells, views):
            cell.update_view(view)

    def watch_flashes(self, flashes: bool) -> None:
        for cell in self._cells:
            cell.flashes = flashes

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if width <= 0:
            return
        fits = max(1, width // MIN_CELL_WIDTH)
        for index, cell in enumerate(self._cells):
            if cell.display != (index < fits):  # setting it, even unchanged, lays the screen out again
                cell.display = index < fits
