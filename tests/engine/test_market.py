"""The market model: deterministic, path-independent while a scene is on screen, bounded in memory."""

from __future__ import annotations

import math
import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from collapse_tui.engine.market import CHART_LIMIT, RECENT_SAMPLES, MarketModel, gaussian
from collapse_tui.engine.model import MarketDirective, Ticker

TICKERS = {
    "FTT": Ticker(name={"*": "FTT"}, price=22.0, volatility=0.06, reversion=1.5, reacts={"patience": 0.01}),
    "BTC": Ticker(name={"*": "BTC"}, price=20_000.0, volatility=0.01),
}
MODEL = MarketModel(TICKERS)


def test_the_noise_is_standard_normal_and_keyed():
    samples = [gaussian(42, 0, i) for i in range(20_000)]
    assert abs(statistics.fmean(samples)) < 0.03
    assert abs(statistics.pstdev(samples) - 1) < 0.03
    assert gaussian(1, 0, 5) == gaussian(1, 0, 5)
    assert gaussian(1, 0, 5) != gaussian(2, 0, 5)


def test_same_seed_same_prices_and_another_seed_other_prices():
    a = MODEL.advance(MODEL.initial(1), 600_000)
    b = MODEL.advance(MODEL.initial(1), 600_000)
    c = MODEL.advance(MODEL.initial(2), 600_000)
    assert a == b
    assert a.tickers != c.tickers


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=7_000), min_size=1, max_size=20))
def test_advancing_in_steps_equals_advancing_at_once(steps):
    state = MODEL.initial(9)
    for step in steps:
        state = MODEL.advance(state, state.time_ms + step)
    assert state == MODEL.advance(MODEL.initial(9), sum(steps))


def test_a_target_is_reached_over_the_given_minutes():
    state = MODEL.apply(MODEL.initial(3), {"FTT": MarketDirective(to=14, over=60)})
    halfway = state.tickers[0].target(1800)
    assert math.exp(halfway) == __import__("pytest").approx(math.sqrt(22 * 14))
    later = MODEL.jump(state, 6 * 3_600_000)
    assert abs(later.tickers[0].price / 14 - 1) < 0.15


def test_a_shock_jumps_at_once_and_fades():
    state = MODEL.initial(4)
    shocked = MODEL.apply(state, {"FTT": MarketDirective(shock=-0.3)})
    assert shocked.tickers[0].price == __import__("pytest").approx(22 * 0.7)
    later = MODEL.jump(shocked, 10 * 3_600_000)
    assert later.tickers[0].price > 19


def test_reactions_move_price_and_target_for_good():
    state = MODEL.react(MODEL.initial(5), "patience", 10)
    assert state.tickers[0].price == __import__("pytest").approx(22 * 1.1)
    later = MODEL.jump(state, 10 * 3_600_000)
    assert later.tickers[0].price > 22
    assert MODEL.react(state, "unrelated", 10) is state


def test_a_reaction_outlives_a_later_keyframe():
    nudged = MODEL.react(MODEL.initial(5), "patience", 10)
    plain = MODEL.initial(5)
    directive = {"FTT": MarketDirective(to=15, over=0)}
    nudged = MODEL.jump(MODEL.apply(nudged, directive), 10 * 3_600_000)
    plain = MODEL.jump(MODEL.apply(plain, directive), 10 * 3_600_000)
    assert nudged.tickers[0].price == __import__("pytest").approx(plain.tickers[0].price * 1.1)


def test_volatility_zero_means_no_noise():
    calm = MODEL.apply(MODEL.initial(6), {"FTT": MarketDirective(volatility=0)})
    assert MODEL.advance(calm, 60_000).tickers[0].price == __import__("pytest").approx(22)


def test_history_stays_bounded_over_a_simulated_day():
    state = MODEL.initial(7)
    for hour in range(1, 25):
        state = MODEL.advance(state, hour * 3_600_000)
    assert all(len(samples) == RECENT_SAMPLES for samples in state.recent)
    assert len(state.chart) <= CHART_LIMIT
    for day in range(2, 60):
        state = MODEL.jump(state, day * 86_400_000)
    assert len(state.chart) <= CHART_LIMIT
    assert all(len(samples) <= RECENT_SAMPLES for samples in state.recent)


def test_the_day_open_is_the_price_at_midnight():
    model = MarketModel(TICKERS, day_offset_seconds=23 * 3600)  # the clock starts at 23:00
    state = model.advance(model.initial(8), 30 * 60_000)
    assert state.tickers[0].day_open == 22.0
    state = model.advance(state, 90 * 60_000)  # past midnight
    assert state.tickers[0].day_open != 22.0
