"""The synthetic order book (collapse_tui.engine.orderbook): deterministic, ordered, and a wall at $14 that
is whole far above it, eaten as the price comes near, refilled over time, and gone below it. (It is an
engine module; its tests sit here because the app is what draws it.)"""

from __future__ import annotations

import pytest

from collapse_tui.engine.orderbook import order_book, tick_size, wall_remaining


def test_same_inputs_give_the_same_book():
    assert order_book(17.3, seed=5, time_ms=90_000) == order_book(17.3, seed=5, time_ms=90_000)
    assert order_book(17.3, seed=5, time_ms=90_000) != order_book(17.3, seed=6, time_ms=90_000)


@pytest.mark.parametrize("price", [0.78, 14.6, 22.4, 1570.0, 20600.0])
def test_asks_above_and_bids_below_in_order(price):
    book = order_book(price, seed=1, time_ms=5_000, depth=8)
    asks = [level.price for level in book.asks]
    bids = [level.price for level in book.bids if not level.is_wall]
    assert asks == sorted(asks) and all(p > price - tick_size(price) for p in asks)
    assert bids == sorted(bids, reverse=True) and all(p < price + tick_size(price) for p in bids)
    assert asks[0] > bids[0]
    assert all(level.size > 0 for level in book.asks + book.bids)


def test_wall_is_whole_far_above_and_eaten_near_it():
    far = wall_remaining(22.4, 14.0, 1_000_000, seconds=60)
    near = wall_remaining(14.3, 14.0, 1_000_000, seconds=60)
    assert far > 999_000
    assert 0 < near < 700_000


def test_wall_is_refilled_over_time():
    sizes = [wall_remaining(14.5, 14.0, 1_000_000, seconds=s) for s in range(0, 240, 10)]
    assert max(sizes) - min(sizes) > 100_000
    assert sizes[0] > sizes[11]  # eaten through a cycle, refilled at the next one
    assert sizes[12] > sizes[11]


def test_wall_is_gone_below_its_price():
    book = order_book(13.2, seed=1, time_ms=0)
    assert book.broken and book.wall_left == 0 and book.wall_share == 0
    assert not book.wall_in_ladder


def test_wall_joins_the_ladder_when_the_price_is_near():
    near = order_book(14.1, seed=1, time_ms=0, depth=8)
    assert near.wall_in_ladder and near.bids[-1].is_wall and near.bids[-1].price == 14.0
    far = order_book(22.0, seed=1, time_ms=0, depth=8)
    assert not far.wall_in_ladder and far.wall_share > 0.99
