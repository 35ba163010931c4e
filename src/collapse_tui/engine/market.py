"""The seeded market model: each ticker's log-price is pulled towards a target path (the scenes' keyframes)
with Ornstein-Uhlenbeck noise, jolted by shocks and nudged for good by the player's effects.

Time is story time in milliseconds, owned by the engine. Two ways to move it:
- `advance` steps a fixed one-second grid, so the result depends only on where it ends: waiting 10 s in
  one call or in forty calls of 0.25 s gives the same prices (live tickers and replays agree);
- `jump` crosses the hours between scenes in at most a few hundred exact OU steps.
Noise comes from a counter-based hash of (seed, ticker, step), so the state holds no RNG and is a small
value that can be snapshotted, saved and compared."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Mapping, Sequence

from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.model import MarketDirective, Ticker

MASK = (1 << 64) - 1
HOUR = 3600.0
SAMPLE_SECONDS = 5  # a sparkline sample every 5 story seconds
RECENT_SAMPLES = 120
CHART_SECONDS = 600  # a chart point every 10 story minutes
CHART_LIMIT = 720
JUMP_STEP_SECONDS = 60
JUMP_MAX_STEPS = 240
JUMP_STREAM = 1 << 20


def _mix(value: int) -> int:
    """splitmix64's finaliser: a well-spread 64-bit hash."""
    value = (value + 0x9E3779B97F4A7C15) & MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


MAX_LOG_PRICE = 700.0  # e**700 is about 1e304: beyond it a float cannot hold the price


def price_of(log_price: float) -> float:
    """The price for a log-price; a story's extreme numbers (a huge price, wild noise over a long time)
    or a doctored save can push the log-price past what a float can raise e to, so it is capped."""
    return math.exp(MAX_LOG_PRICE if log_price > MAX_LOG_PRICE else log_price)


def gaussian(seed: int, stream: int, counter: int) -> float:
    """A standard normal sample that depends only on its three keys."""
    first = _mix(_mix(seed & MASK) ^ ((stream * 0xD1B54A32D192ED03) & MASK) ^ (counter & MASK))
    second = _mix(first)
    u1 = ((first >> 11) + 0.5) / 9007199254740992.0
    u2 = (second >> 11) / 9007199254740992.0
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@frozen
class TickerState:
    log_price: float
    ramp_from: float  # log target at ramp_start
    ramp_to: float  # log target at ramp_end and after
    ramp_start: float  # story seconds
    ramp_end: float
    noise_scale: float  # multiple of the ticker's volatility
    day_open: float  # price when the current story day began
    bias: float = 0.0  # log offset from the player's choices: it survives every later keyframe

    def keyframe(self, seconds: float) -> float:
        """Where the story's keyframes put the log-price at this time."""
        if seconds >= self.ramp_end or self.ramp_end <= self.ramp_start:
            return self.ramp_to
        if seconds <= self.ramp_start:
            return self.ramp_from
        share = (seconds - self.ramp_start) / (self.ramp_end - self.ramp_start)
        return self.ramp_from + (self.ramp_to - self.ramp_from) * share

    def target(self, seconds: float) -> float:
        """The log-price the noise reverts to: the keyframes moved by the player's choices."""
        return self.keyframe(seconds) + self.bias

    @property
    def price(self) -> float:
        return price_of(self.log_price)


@frozen
class MarketState:
    """All the market's state; a value. `recent` holds sparkline samples, `chart` the run's coarse history."""

    seed: int
    time_ms: int
    tickers: tuple[TickerState, ...]
    recent: tuple[tuple[float, ...], ...]
    chart: tuple[tuple[int, tuple[float, ...]], ...]
    chart_every: int = CHART_SECONDS


class MarketModel:
    """The rules of the market for one story's tickers; stateless, so one model serves every game."""

    def __init__(self, tickers: Mapping[str, Ticker], day_offset_seconds: int = 0):
        self.symbols: tuple[str, ...] = tuple(tickers)
        self.tickers: tuple[Ticker, ...] = tuple(tickers.values())
        self.index = {symbol: i for i, symbol in enumerate(self.symbols)}
        self.day_offset = day_offset_seconds  # seconds from midnight to the clock's start
        self._decay = [math.exp(-t.reversion / HOUR) for t in self.tickers]
        self._noise = [self._step_noise(t, 1.0) for t in self.tickers]

    @staticmethod
    def _step_noise(ticker: Ticker, seconds: float) -> float:
        hours = seconds / HOUR
        if ticker.reversion <= 0:
            return ticker.volatility * math.sqrt(hours)
        return ticker.volatility * math.sqrt((1 - math.exp(-2 * ticker.reversion * hours)) / (2 * ticker.reversion))

    # --- creation and reading ----------------------------------------------------------------------

    def initial(self, seed: int) -> MarketState:
        states = tuple(
            TickerState(math.log(t.price), math.log(t.price), math.log(t.price), 0.0, 0.0, 1.0, t.price)
            for t in self.tickers
        )
        prices = tuple(t.price for t in self.tickers)
        return MarketState(seed, 0, states, tuple((p,) for p in prices), ((0, prices),))

    def prices(self, state: MarketState) -> dict[str, float]:
        return {symbol: ticker.price for symbol, ticker in zip(self.symbols, state.tickers)}

    def day(self, seconds: float) -> int:
        return int((seconds + self.day_offset) // 86400)

    # --- moving time -------------------------------------------------------------------------------

    def advance(self, state: MarketState, to_ms: int) -> MarketState:
        """Step the one-second grid up to `to_ms` (path-independent)."""
        if to_ms <= state.time_ms:
            return state
        first = state.time_ms // 1000 + 1
        last = to_ms // 1000
        logs = [t.log_price for t in state.tickers]
        tickers = list(state.tickers)
        recent = [list(r) for r in state.recent]
        chart = list(state.chart)
        chart_every = state.chart_every
        seed = state.seed
        day = self.day(first - 1)
        for second in range(first, last + 1):
            for i, ticker in enumerate(tickers):
                target = ticker.target(second)
                noise = self._noise[i] * ticker.noise_scale
                logs[i] = target + (logs[i] - target) * self._decay[i] + (noise * gaussian(seed, i, second) if noise else 0.0)
            if self.day(second) != day:
                day = self.day(second)
                tickers = [replace(t, day_open=price_of(x)) for t, x in zip(tickers, logs)]
            if second % SAMPLE_SECONDS == 0:
                for i, x in enumerate(logs):
                    recent[i].append(price_of(x))
            if second % chart_every == 0:
                chart, chart_every = _add_chart_point(chart, chart_every, second, logs)
        tickers = [replace(t, log_price=x) for t, x in zip(tickers, logs)]
        return MarketState(seed, to_ms, tuple(tickers), tuple(tuple(r[-RECENT_SAMPLES:]) for r in recent), tuple(chart), chart_every)

    def jump(self, state: MarketState, to_ms: int) -> MarketState:
        """Cross a long stretch of story time (between scenes) in exact OU steps."""
        if to_ms <= state.time_ms:
            return state
        start = state.time_ms / 1000
        span = to_ms / 1000 - start
        steps = max(1, min(JUMP_MAX_STEPS, math.ceil(span / JUMP_STEP_SECONDS)))
        step_seconds = span / steps
        decay = [math.exp(-t.reversion * step_seconds / HOUR) for t in self.tickers]
        noise = [self._step_noise(t, step_seconds) for t in self.tickers]
        logs = [t.log_price for t in state.tickers]
        tickers = list(state.tickers)
        chart = list(state.chart)
        chart_every = state.chart_every
        day = self.day(start)
        for step in range(1, steps + 1):
            now = start + step * step_seconds
            counter = int(now)
            for i, ticker in enumerate(tickers):
                target = ticker.target(now)
                logs[i] = target + (logs[i] - target) * decay[i] + noise[i] * ticker.noise_scale * gaussian(state.seed, JUMP_STREAM + i, counter)
            if self.day(now) != day:
                day = self.day(now)
                tickers = [replace(t, day_open=price_of(x)) for t, x in zip(tickers, logs)]
            if int(now) // chart_every != int(now - step_seconds) // chart_every:
                chart, chart_every = _add_chart_point(chart, chart_every, int(now), logs)
        tickers = [replace(t, log_price=x) for t, x in zip(tickers, logs)]
        recent = tuple((r + (price_of(x),))[-RECENT_SAMPLES:] for r, x in zip(state.recent, logs))
        return MarketState(state.seed, to_ms, tuple(tickers), recent, tuple(chart), chart_every)

    # --- the story's hands on the market -----------------------------------------------------------

    def apply(self, state: MarketState, directives: Mapping[str, MarketDirective]) -> MarketState:
        """Apply a scene's or a choice's directives at the market's current time."""
        if not directives:
            return state
        now = state.time_ms / 1000
        tickers = list(state.tickers)
        for symbol, directive in directives.items():
            i = self.index[symbol]
            ticker = tickers[i]
            if directive.to is not None:
                current = ticker.keyframe(now)
                ticker = replace(ticker, ramp_from=current, ramp_to=math.log(directive.to),
                                 ramp_start=now, ramp_end=now + directive.over * 60)
            if directive.shock is not None:
                ticker = replace(ticker, log_price=ticker.log_price + math.log1p(directive.shock))
            if directive.volatility is not None:
                ticker = replace(ticker, noise_scale=directive.volatility)
            tickers[i] = ticker
        return replace(state, tickers=tuple(tickers))

    def react(self, state: MarketState, variable: str, delta: float) -> MarketState:
        """Move price and target for good (the bias outlives later keyframes) when a variable changes."""
        tickers = list(state.tickers)
        changed = False
        for i, ticker_model in enumerate(self.tickers):
            sensitivity = ticker_model.reacts.get(variable)
            if not sensitivity or not delta:
                continue
            move = math.log1p(max(-0.9, min(9.0, sensitivity * delta)))
            t = tickers[i]
            tickers[i] = replace(t, log_price=t.log_price + move, bias=t.bias + move)
            changed = True
        return replace(state, tickers=tuple(tickers)) if changed else state


def _add_chart_point(chart: list, every: int, second: int, logs: Sequence[float]) -> tuple[list, int]:
    """Append a chart point; when full, keep every other point and sample half as often (bounded)."""
    chart.append((second, tuple(price_of(x) for x in logs)))
    if len(chart) > CHART_LIMIT:
        chart = chart[::2]
        every *= 2
    return chart, every
