"""What a player sees at one moment, as plain data: the app, the line-mode player, the classroom view and
the tests all render these views, so everything on screen can be checked without a screen."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from collapse_tui.engine.expressions import Value
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.runtime import Engine, GameState

WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_time(moment: datetime, timezone: str, locale: str) -> str:
    if locale.startswith("zh"):
        weekday = WEEKDAYS["zh"][moment.weekday()]
        return f"{moment.year}年{moment.month}月{moment.day}日 {weekday} {moment:%H:%M} {timezone}"
    weekday = WEEKDAYS["en"][moment.weekday()]
    return f"{weekday} {moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}, {moment:%H:%M} {timezone}"


def format_price(price: float) -> str:
    if price >= 1000:
        return f"{price:,.0f}"
    if price >= 1:
        return f"{price:,.2f}"
    return f"{price:.4f}"


def format_value(value: Value, unit: Optional[str]) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = f"{value:,.0f}" if isinstance(value, float) and abs(value) >= 100 else f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if not unit:
        return text
    if unit.startswith("$"):
        return f"${text}{unit[1:]}"
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@frozen
class TickerView:
    symbol: str
    name: str
    price: float
    day_open: float
    recent: tuple[float, ...]

    @property
    def change(self) -> float:
        """Change since the story day opened, as a share (-0.2 = 20% down)."""
        return self.price / self.day_open - 1 if self.day_open else 0.0

    @property
    def direction(self) -> int:
        if len(self.recent) < 2 or self.recent[-1] == self.recent[-2]:
            return 0
        return 1 if self.recent[-1] > self.recent[-2] else -1

    def line(self) -> str:
        return f"{self.symbol} {format_price(self.price)} ({self.change:+.1%})"


@frozen
class GaugeView:
    name: str
    label: str
    value: float
    minimum: float
    maximum: float
    unit: Optional[str]
    description: str

    @property
    def share(self) -> float:
        span = self.maximum - self.minimum
        return 0.0 if span <= 0 else max(0.0, min(1.0, (self.value - self.minimum) / span))

    def line(self) -> str:
        return f"{self.label}: {format_value(self.value, self.unit)}"


@frozen
class ChoiceLine:
    number: int  # 1-based, as shown and typed
    index: int  # the choice's index in the scene
    text: str
    available: bool
    reason: str = ""
    timeout: Optional[float] = None
    historical: bool = False


@frozen
class PostView:
    who: str
    text: str


@frozen
class SceneView:
    scene_id: str
    title: str
    time: str
    place: str
    paragraphs: tuple[str, ...]
    choices: tuple[ChoiceLine, ...]
    tickers: tuple[TickerView, ...]
    gauges: tuple[GaugeView, ...]
    panels: tuple[str, ...]
    feed: tuple[PostView, ...]
    chat: tuple[PostView, ...]
    teacher_note: str
    discussion: str
    history_note: str
    source: str
    basis: str
    interrupted_by: Optional[str]
    ending_title: Optional[str] = None
    ending_kind: Optional[str] = None
    epilogue: str = ""


def ticker_views(engine: Engine, state: GameState, locale: str) -> tuple[TickerView, ...]:
    story = engine.story
    return tuple(
        TickerView(symbol, story.text(model.name, locale), ticker.price, ticker.day_open, recent)
        for symbol, model, ticker, recent in zip(engine.market.symbols, engine.market.tickers, state.market.tickers, state.market.recent)
    )


def gauge_views(engine: Engine, state: GameState, locale: str) -> tuple[GaugeView, ...]:
    story = engine.story
    gauges = []
    for name, variable in story.meta.variables.items():
        if not variable.gauge or isinstance(variable.initial, bool):
            continue
        value = state.variables[name]
        gauges.append(GaugeView(
            name, story.text(variable.label, locale) or name, value,
            variable.min if variable.min is not None else 0.0,
            variable.max if variable.max is not None else max(1.0, float(value)),
            variable.unit, story.text(variable.description, locale),
        ))
    return tuple(gauges)


def scene_view(engine: Engine, state: GameState, locale: str) -> SceneView:
    story = engine.story
    scene = engine.scene(state)
    model = scene.model
    choices = tuple(
        ChoiceLine(number, view.index, story.text(view.choice.model.text, locale), view.available,
                   story.text(view.locked_reason, locale) if view.locked_reason else "",
                   view.choice.model.timeout, view.choice.model.historical)
        for number, view in enumerate(engine.choices(state), start=1)
    )
    notes = model.notes
    last = state.log[-1] if state.log else None
    ending = model.ending
    return SceneView(
        scene_id=scene.id,
        title=story.text(model.title, locale) or scene.id,
        time=format_time(engine.story_time(state.clock_ms), story.meta.clock.timezone, locale),
        place=story.text(model.place, locale),
        paragraphs=tuple(scene.paragraphs(locale, story.fallback_locale)),
        choices=choices,
        tickers=ticker_views(engine, state, locale),
        gauges=gauge_views(engine, state, locale),
        panels=model.shown_panels,
        feed=tuple(PostView(p.who, story.text(p.text, locale)) for p in model.feed),
        chat=tuple(PostView(p.who, story.text(p.text, locale)) for p in model.chat),
        teacher_note=story.text(notes.teacher, locale) if notes else "",
        discussion=story.text(notes.discuss, locale) if notes else "",
        history_note=story.text(notes.history, locale) if notes else "",
        source=(notes.source or "") if notes else "",
        basis=model.basis,
        interrupted_by=last.event if last is not None and last.via == "event" and last.scene == scene.id else None,
        ending_title=story.text(ending.title, locale) if ending else None,
        ending_kind=ending.kind if ending else None,
        epilogue=story.text(ending.epilogue, locale) if ending else "",
    )
