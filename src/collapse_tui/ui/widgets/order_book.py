"""The order book panel: sellers above the price, buyers below, each level with a depth bar, and the
defended $14 bid (the wall) with what is left of it, or a loud line once it is broken."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.engine.orderbook import BookLevel, OrderBook
from collapse_tui.engine.views import format_price


def format_size(size: float) -> str:
    if size >= 995_000:
        return f"{size / 1_000_000:.2f}M"
    if size >= 10_000:
        return f"{size / 1000:.0f}k"
    if size >= 1000:
        return f"{size / 1000:.1f}k"
    return f"{size:.0f}" if size >= 10 else f"{size:.2f}"


class OrderBookView(Widget):
    """A live order book around the price, with the wall."""

    DEFAULT_CSS = """
    OrderBookView {
        height: 12;
        padding: 0 1;
        margin-bottom: 1;
        & > .order-book--heading { color: $text-accent; text-style: bold; }
        & > .order-book--ask { color: $text-error; }
        & > .order-book--bid { color: $text-success; }
        & > .order-book--bar { color: $foreground 35%; }
        & > .order-book--price { text-style: bold; color: $text; }
        & > .order-book--wall { color: $text-accent; text-style: bold; }
        & > .order-book--broken { background: $error; color: $text; text-style: bold; }
        & > .order-book--muted { color: $text-muted; }
    }
    """

    COMPONENT_CLASSES = {"order-book--heading", "order-book--ask", "order-book--bid", "order-book--bar",
                         "order-book--price", "order-book--wall", "order-book--broken", "order-book--muted"}

    book: reactive[OrderBook | None] = reactive(None)
    """The book to show (computed by the engine from price, seed and story time)."""
    heading: reactive[str] = reactive("")
    """The panel's title."""
    wall_label: reactive[str] = reactive("")
    """The status line while the wall stands, e.g. "wall $14: 430k left (43%)"."""
    broken_label: reactive[str] = reactive("")
    """The status line once the wall is broken."""
    wall_word: reactive[str] = reactive("wall")
    """The word beside the wall's level."""

    def render(self) -> Text:
        width = max(8, self.content_size.width)
        height = max(3, self.content_size.height)
        out = Text(self.heading, self.get_component_rich_style("order-book--heading"), no_wrap=True, overflow="ellipsis")
        book = self.book
        if book is None:
            return out
        rows = height - 3  # heading, price line, status line
        wall_in_ladder = book.wall_in_ladder
        gap_rows = 0 if wall_in_ladder or book.wall_left <= 0 else 2  # "⋮" and the wall below the ladder
        ask_rows = max(0, (rows - gap_rows) // 2)
        bid_rows = max(0, rows - gap_rows - ask_rows)
        asks = list(book.asks[:ask_rows])
        bids = list(book.bids[:bid_rows])
        if wall_in_ladder and bids and not any(level.is_wall for level in bids):
            bids[-1] = next(level for level in book.bids if level.is_wall)
        ordinary = [level.size for level in asks + bids if not level.is_wall]
        scale = max(ordinary) if ordinary else 1.0
        lines: list[Text] = [out]
        for _ in range(ask_rows - len(asks)):
            lines.append(Text())
        for level in reversed(asks):
            lines.append(self._level(level, width, scale, "order-book--ask", book))
        price = Text(f"{'─' * 2} {format_price(book.price)} ", self.get_component_rich_style("order-book--price"), no_wrap=True)
        price.append("─" * max(0, width - price.cell_len), self.get_component_rich_style("order-book--muted"))
        lines.append(price)
        for level in bids:
            lines.append(self._level(level, width, scale, "order-book--bid", book))
        if gap_rows:
            lines.append(Text("  ⋮", self.get_component_rich_style("order-book--muted")))
            lines.append(self._level(BookLevel(book.wall_price, book.wall_left, True), width, scale, "order-book--bid", book))
        while len(lines) < height - 1:
            lines.append(Text())
        if book.broken:
            lines.append(Text(self.broken_label, self.get_component_rich_style("order-book--broken"), no_wrap=True,
                              overflow="ellipsis"))
        else:
            lines.append(Text(self.wall_label, self.get_component_rich_style("order-book--wall"), no_wrap=True,
                              overflow="ellipsis"))
        return Text("\n").join(lines[:height])

    def _level(self, level: BookLevel, width: int, scale: float, tone: str, book: OrderBook) -> Text:
        price = format_price(level.price).rjust(8)
        size = format_size(level.size).rjust(7)
        style = self.get_component_rich_style("order-book--wall" if level.is_wall else tone)
        line = Text(no_wrap=True, overflow="crop")
        line.append(price, style)
        line.append(" ")
        line.append(size, style)
        line.append(" ")
        suffix = f" ← {self.wall_word}" if level.is_wall else ""
        room = width - line.cell_len - cell_len(suffix)
        if room > 0:
            share = level.size / book.wall_size if level.is_wall else level.size / scale
            cells = max(1 if level.size > 0 else 0, round(min(1.0, share) * room))
            line.append("▇" * cells, self.get_component_rich_style("order-book--wall" if level.is_wall else "order-book--bar"))
        if suffix and line.cell_len + cell_len(suffix) <= width:
            line.append(suffix, self.get_component_rich_style("order-book--wall"))
        return line
