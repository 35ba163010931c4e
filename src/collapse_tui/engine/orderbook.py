"""A synthetic order book around a defended bid (the $14 FTT "wall"): price levels and sizes computed from the
price, the seed and the story time alone, so the app can show the wall being eaten and refilled without
keeping any state, and the same game always shows the same book. No Textual here."""

from __future__ import annotations

import math

from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.market import gaussian

BOOK_STREAM = 1 << 24  # noise streams of the book, apart from the market's
WALL_PRESSURE_RANGE = 0.08  # within ~8% above the wall, sellers start eating it
WALL_REFILL_SECONDS = 120  # story seconds of one "eaten, then refilled" cycle
TYPICAL_LEVEL_VALUE = 400_000.0  # dollars resting at an ordinary level
WALL_PRICE = 14.0  # the FTT buy order of the story's first night: 1M FTT at $14 (facts.md; the order is unverified)
WALL_SIZE = 1_000_000


@frozen
class BookLevel:
    """One price level: the price and the size resting there (in units of the token)."""

    price: float
    size: float
    is_wall: bool = False


@frozen
class OrderBook:
    """Both sides of the book at one moment, and the state of the wall."""

    price: float
    asks: tuple[BookLevel, ...]  # lowest (nearest) first
    bids: tuple[BookLevel, ...]  # highest (nearest) first; the wall is among them when it is near
    wall_price: float
    wall_size: float  # the size of the wall when it is whole
    wall_left: float  # what is left of it now (0 when broken)

    @property
    def broken(self) -> bool:
        """The price went through the wall: nothing is left to defend it."""
        return self.price < self.wall_price

    @property
    def wall_share(self) -> float:
        """What is left of the wall, as a share of its full size (1 = untouched)."""
        return 0.0 if self.wall_size <= 0 else max(0.0, min(1.0, self.wall_left / self.wall_size))

    @property
    def wall_in_ladder(self) -> bool:
        return any(level.is_wall for level in self.bids)

    @property
    def spread(self) -> float:
        if not self.asks or not self.bids:
            return 0.0
        return self.asks[0].price - self.bids[0].price


def tick_size(price: float) -> float:
    """The price increment of the book: a cent for FTT-like prices, coarser for BTC-like ones."""
    if price >= 10_000:
        return 1.0
    if price >= 1_000:
        return 0.1
    if price >= 1:
        return 0.01
    return 0.0001


def _round(price: float, tick: float) -> float:
    return round(round(price / tick) * tick, 6)


def wall_remaining(price: float, wall_price: float, wall_size: float, seconds: float) -> float:
    """How much of the wall is left: whole while the price is well above it, eaten faster as sellers
    push the price towards it, refilled every couple of story minutes, gone once the price is below it."""
    if price < wall_price:
        return 0.0
    distance = (price - wall_price) / wall_price
    pressure = math.exp(-distance / WALL_PRESSURE_RANGE)  # 1 at the wall, ~0 far above it
    cycle = (seconds % WALL_REFILL_SECONDS) / WALL_REFILL_SECONDS  # 0 just refilled … 1 about to refill
    eaten = pressure * (0.35 + 0.6 * cycle)
    return max(0.0, wall_size * (1.0 - min(0.97, eaten)))


def order_book(price: float, *, seed: int, time_ms: int, wall_price: float = WALL_PRICE, wall_size: float = WALL_SIZE,
               depth: int = 6, stream: int = 0) -> OrderBook:
    """The book around `price` at story time `time_ms`: `depth` levels a side, the wall as a bid."""
    tick = tick_size(price)
    step = max(tick, _round(price * 0.004, tick))
    second = time_ms // 1000
    best_bid = _round(price - step / 2, tick)
    best_ask = max(_round(price + step / 2, tick), best_bid + tick)
    left = wall_remaining(price, wall_price, wall_size, second)
    typical = TYPICAL_LEVEL_VALUE / max(price, 1e-9)

    def size(side: int, level: int) -> float:
        noise = gaussian(seed, BOOK_STREAM + stream * 64 + side * 32 + level, second)
        thinning = 1.0 + 0.25 * level  # a little deeper away from the price
        return round(typical * thinning * math.exp(0.45 * noise), 0 if price < 1000 else 3)

    asks = tuple(BookLevel(_round(best_ask + i * step, tick), size(0, i)) for i in range(depth))
    bids: list[BookLevel] = []
    for i in range(depth):
        level_price = _round(best_bid - i * step, tick)
        if left > 0 and level_price <= wall_price:  # the ladder reaches the standing wall: it ends there
            bids.append(BookLevel(wall_price, left, is_wall=True))
            break
        if level_price <= 0:
            break
        bids.append(BookLevel(level_price, size(1, i)))
    return OrderBook(price, asks, tuple(bids), wall_price, wall_size, left)

