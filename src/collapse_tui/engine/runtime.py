"""The rules of play: a `GameState` value and the functions that make the next one (enter a scene, take a
choice, let story time pass, fire events). `Engine` holds no game; `Session` is the host-side holder of
one game with its undo stack, used alike by the app, the line-mode player and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Iterable, Literal, Mapping, Optional

from collapse_tui.engine.expressions import Effect, ExpressionError, Value, apply_operator
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.market import MarketModel, MarketState
from collapse_tui.engine.model import MarketDirective, Variable
from collapse_tui.engine.story import CompiledChoice, CompiledEvent, CompiledScene, Story

MAX_EVENT_CHAIN = 16
UNDO_LIMIT = 200


class PlayError(Exception):
    """A move the rules do not allow (a locked choice, an unknown scene) or a story fault met in play."""


@frozen
class LogEntry:
    """One step of the path: a scene entered (and why), with the story time it happened."""

    scene: str
    time_ms: int
    via: Literal["start", "choice", "event", "return", "jump"] = "start"
    choice: Optional[int] = None  # the index of the choice taken in the previous scene
    event: Optional[str] = None


@frozen
class GameState:
    """Everything about one game at one moment; immutable, so a snapshot is just a reference."""

    story_id: str
    seed: int
    scene: str
    variables: Mapping[str, Value]
    visits: Mapping[str, int]
    taken: frozenset[tuple[str, int]]
    fired: frozenset[str]
    clock_ms: int
    scene_entered_ms: int
    turns: int
    market: MarketState
    return_to: tuple[tuple[str, bool], ...] = ()  # (scene, enter it on return?) for each interruption
    log: tuple[LogEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", MappingProxyType(dict(self.variables)))
        object.__setattr__(self, "visits", MappingProxyType(dict(self.visits)))


@frozen
class ChoiceView:
    """A choice as the player sees it now: open, or locked with the story's reason."""

    index: int
    choice: CompiledChoice
    available: bool
    locked_reason: Optional[Mapping[str, str]] = None

    @property
    def timeout(self) -> Optional[float]:
        return self.choice.model.timeout


class _StateContext:
    """What expressions see in a state: variables, prices, the clock and visit counts."""

    def __init__(self, engine: "Engine", state: GameState, variables: Optional[Mapping[str, Value]] = None):
        self.engine = engine
        self.state = state
        self.variables = state.variables if variables is None else variables
        self._prices: Optional[dict[str, float]] = None

    def lookup(self, name: str) -> Value:
        if name in self.variables:
            return self.variables[name]
        if name in self.engine.market.index:
            if self._prices is None:
                self._prices = self.engine.market.prices(self.state.market)
            return self._prices[name]
        clock = self.engine.story_time(self.state.clock_ms)
        if name == "hour":
            return clock.hour
        if name == "minute":
            return clock.minute
        if name == "day":
            return clock.day
        if name == "elapsed":
            return (self.state.clock_ms - self.state.scene_entered_ms) / 1000
        if name == "turns":
            return self.state.turns
        raise ExpressionError(f"unknown name '{name}'", "unknown-name")

    def visits(self, scene_id: str) -> int:
        return self.state.visits.get(scene_id, 0)


class Engine:
    """The rules for one story. Every method takes a state and returns a new one."""

    def __init__(self, story: Story):
        self.story = story
        start = story.start_time
        midnight_offset = start.hour * 3600 + start.minute * 60
        self.market = MarketModel(story.meta.tickers, midnight_offset)

    # --- reading a state ---------------------------------------------------------------------------

    def story_time(self, clock_ms: int) -> datetime:
        return self.story.time_at(clock_ms / 1000)

    def scene(self, state: GameState) -> CompiledScene:
        return self.story.scenes[state.scene]

    def prices(self, state: GameState) -> dict[str, float]:
        return self.market.prices(state.market)

    def evaluate(self, state: GameState, expression) -> Value:
        try:
            return expression.evaluate(_StateContext(self, state))
        except ExpressionError as error:
            raise PlayError(f"{expression.source!r}: {error.message}") from None

    def choices(self, state: GameState) -> list[ChoiceView]:
        """The choices to show: open ones, and locked ones that have a reason; hidden ones are left out."""
        views = []
        for choice in self.scene(state).choices:
            if choice.model.once and (state.scene, choice.index) in state.taken:
                continue
            available = choice.condition is None or bool(self.evaluate(state, choice.condition))
            if available:
                views.append(ChoiceView(choice.index, choice, True))
            elif choice.model.locked_reason:
                views.append(ChoiceView(choice.index, choice, False, choice.model.locked_reason))
        return views

    def autoplay_choice(self, state: GameState) -> Optional[int]:
        """The choice autoplay takes: the first open one marked historical, else the first open one."""
        open_views = [view for view in self.choices(state) if view.available]
        if not open_views:
            return None
        return next((v for v in open_views if v.choice.model.historical), open_views[0]).index

    def is_ending(self, state: GameState) -> bool:
        return self.scene(state).is_ending

    # --- making new states -------------------------------------------------------------------------

    def new_game(self, seed: int = 0, scene: Optional[str] = None) -> GameState:
        start = scene or self.story.meta.start
        if start not in self.story.scenes:
            raise PlayError(f"no scene '{start}' in this story")
        variables = {name: variable.initial for name, variable in self.story.meta.variables.items()}
        state = GameState(
            story_id=self.story.meta.id, seed=seed, scene=start, variables=variables, visits={},
            taken=frozenset(), fired=frozenset(), clock_ms=0, scene_entered_ms=0, turns=0,
            market=self.market.initial(seed),
        )
        return self._enter(state, start, LogEntry(start, 0, "start" if scene is None else "jump"))

    def choose(self, state: GameState, index: int) -> GameState:
        """Take choice `index` of the current scene."""
        view = next((v for v in self.choices(state) if v.index == index), None)
        if view is None or not view.available:
            raise PlayError(f"choice {index + 1} is not open in scene '{state.scene}'")
        choice = view.choice
        state = replace(state, turns=state.turns + 1,
                        taken=state.taken | {(state.scene, index)} if choice.model.once else state.taken)
        state = self._apply_effects(state, choice.effects)
        state = self._apply_market(state, choice.model.market)
        if choice.model.return_:
            if not state.return_to:
                raise PlayError(f"scene '{state.scene}' has nothing to return to")
            (back, enter), rest = state.return_to[-1], state.return_to[:-1]
            state = replace(state, return_to=rest)
            if enter:
                return self._enter(state, back, LogEntry(back, 0, "choice", index))
            state = replace(state, scene=back, scene_entered_ms=state.clock_ms,
                            log=state.log + (LogEntry(back, state.clock_ms, "return", index),))
            return self._fire_events(state)
        assert choice.target is not None
        event = self._event_to_fire(state)
        if event is not None:  # the choice itself tripped an event: it interrupts before the next scene
            return self._fire(state, event, resume=(choice.target, True), choice_index=index)
        return self._enter(state, choice.target, LogEntry(choice.target, 0, "choice", index))

    def advance(self, state: GameState, story_ms: int) -> GameState:
        """Let `story_ms` of story time pass on the current scene (live tickers), then watch the events."""
        if story_ms <= 0 or self.is_ending(state):
            return state
        clock = state.clock_ms + story_ms
        state = replace(state, clock_ms=clock, market=self.market.advance(state.market, clock))
        return self._fire_events(state)

    def real_to_story_ms(self, real_seconds: float) -> int:
        return int(round(real_seconds * self.story.meta.clock.rate * 1000))

    def _enter(self, state: GameState, scene_id: str, entry: LogEntry) -> GameState:
        if scene_id not in self.story.scenes:
            raise PlayError(f"no scene '{scene_id}' in this story")
        scene = self.story.scenes[scene_id]
        clock = state.clock_ms
        if scene.time is not None:
            clock = max(clock, scene.time * 1000)
        visits = dict(state.visits)
        visits[scene_id] = visits.get(scene_id, 0) + 1
        state = replace(
            state, scene=scene_id, visits=visits, clock_ms=clock, scene_entered_ms=clock,
            market=self.market.jump(state.market, clock),
            log=state.log + (replace(entry, time_ms=clock),),
        )
        state = self._apply_market(state, scene.model.market)
        state = self._apply_effects(state, scene.on_enter)
        return self._fire_events(state)

    def _apply_market(self, state: GameState, directives: Mapping[str, MarketDirective]) -> GameState:
        return replace(state, market=self.market.apply(state.market, directives)) if directives else state

    def _apply_effects(self, state: GameState, effects: Iterable[Effect]) -> GameState:
        variables = dict(state.variables)
        market = state.market
        for effect in effects:
            context = _StateContext(self, state if market is state.market else replace(state, market=market), variables)
            try:
                value = effect.value.evaluate(context)
                new = apply_operator(effect.operator, variables[effect.target], value)
            except ExpressionError as error:
                raise PlayError(f"{effect.source!r}: {error.message}") from None
            new = _fit(self.story.meta.variables[effect.target], new)
            old = variables[effect.target]
            variables[effect.target] = new
            if not isinstance(new, bool) and isinstance(new, (int, float)) and not isinstance(old, bool):
                market = self.market.react(market, effect.target, new - old)
        return replace(state, variables=variables, market=market)

    def _fire_events(self, state: GameState) -> GameState:
        """Jump to the first event whose condition holds (scene events first, then story-wide)."""
        if len(state.return_to) >= MAX_EVENT_CHAIN or self.is_ending(state):
            return state
        event = self._event_to_fire(state)
        return state if event is None else self._fire(state, event, resume=(state.scene, False))

    def _event_to_fire(self, state: GameState) -> Optional[CompiledEvent]:
        for event in self._watched_events(state):
            if bool(self.evaluate(state, event.condition)):
                return event
        return None

    def _fire(self, state: GameState, event: CompiledEvent, resume: tuple[str, bool], choice_index: Optional[int] = None) -> GameState:
        state = replace(state, fired=state.fired | {event.id}, return_to=state.return_to + (resume,))
        return self._enter(state, event.goto, LogEntry(event.goto, 0, "event", choice_index, event.id))

    def _watched_events(self, state: GameState) -> Iterable[CompiledEvent]:
        busy = {scene for scene, _ in state.return_to} | {state.scene}
        for event in self.scene(state).events + self.story.events:
            if event.once and event.id in state.fired:
                continue
            if event.goto in busy:
                continue
            yield event


def _fit(variable: Variable, value: Value) -> Value:
    """Keep a variable inside its range and of its type."""
    if isinstance(variable.initial, bool):
        return bool(value)
    if isinstance(value, str):
        raise PlayError(f"a number variable cannot hold the text {value!r}")
    if variable.min is not None:
        value = max(value, variable.min)
    if variable.max is not None:
        value = min(value, variable.max)
    if isinstance(variable.initial, int) and float(value).is_integer():
        return int(value)
    return value


@dataclass
class Session:
    """One game being played: the current state, the undo stack and the choices that led here."""

    engine: Engine
    state: GameState
    undo_stack: list[GameState] = field(default_factory=list)

    @classmethod
    def start(cls, story: Story, seed: int = 0, scene: Optional[str] = None) -> "Session":
        engine = Engine(story)
        return cls(engine, engine.new_game(seed, scene))

    @property
    def story(self) -> Story:
        return self.engine.story

    @property
    def scene(self) -> CompiledScene:
        return self.engine.scene(self.state)

    def choices(self) -> list[ChoiceView]:
        return self.engine.choices(self.state)

    def choose(self, index: int) -> GameState:
        new = self.engine.choose(self.state, index)
        self.undo_stack.append(self.state)
        del self.undo_stack[:-UNDO_LIMIT]
        self.state = new
        return new

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.state = self.undo_stack.pop()
        return True

    def wait(self, real_seconds: float) -> GameState:
        self.state = self.engine.advance(self.state, self.engine.real_to_story_ms(real_seconds))
        return self.state

    @property
    def finished(self) -> bool:
        return self.engine.is_ending(self.state)
