"""One price for the classroom, made to be read across a room: the symbol and name, the price in big
digits, and the change since the story day opened with an arrow, green when up and red when down."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from collapse_tui.engine.views import TickerView, format_price

ARROWS = {1: "▲", -1: "▼", 0: "■"}


def change_text(view: TickerView, words: str = "today") -> Text:
    """'▼ -23.4% today', with the arrow of the change since the day opened."""
    sign = 1 if view.change > 0.0005 else -1 if view.change < -0.0005 else 0
    return Text.assemble((f"{ARROWS[sign]} {view.change:+.1%}", "bold"), f" {words}")


class ClassroomTicker(Widget):
    """A ticker in big digits, coloured by its change since the story day opened."""

    DEFAULT_CSS = """
    ClassroomTicker {
        width: 1fr;
        min-width: 20;
        height: auto;
        padding: 0 1;
        layout: vertical;
    }
    ClassroomTicker > .ticker--label { width: 1fr; text-style: bold; }
    ClassroomTicker > Digits { width: auto; text-style: bold; }
    ClassroomTicker > .ticker--change { width: 1fr; }
    ClassroomTicker.-up > Digits, ClassroomTicker.-up > .ticker--change { color: $success; }
    ClassroomTicker.-down > Digits, ClassroomTicker.-down > .ticker--change { color: $error; }
    """

    direction: reactive[int] = reactive(0)
    """+1 when the price is above the day's open, -1 below, 0 flat: sets the colour."""

    def __init__(self, symbol: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.symbol = symbol
        """The ticker this widget shows."""
        self._shown: tuple[str, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.symbol, classes="ticker--label", markup=False)
        yield Digits("", classes="ticker--price")
        yield Static("", classes="ticker--change")

    def show(self, view: TickerView, today: str = "today") -> None:
        """Show a ticker's current view (cheap to call several times a second)."""
        label = f"{view.symbol}  {view.name}"
        price = format_price(view.price)
        change = change_text(view, today)
        key = (label, price, change.plain)
        if key == self._shown:
            return
        self._shown = key
        self.query_one(".ticker--label", Static).update(label)
        self.query_one(Digits).update(price)
        self.query_one(".ticker--change", Static).update(change)
        self.direction = 1 if view.change > 0.0005 else -1 if view.change < -0.0005 else 0

    def watch_direction(self, direction: int) -> None:
        self.set_class(direction > 0, "-up")
        self.set_class(direction < 0, "-down")
