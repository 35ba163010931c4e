"""Automated play-testing for `collapse-tui test`: an exhaustive search over a story's reachable states and
seeded random playthroughs, reporting what an author must fix — scenes never reached, choices never
open, paths that stop outside an ending, loops with no way out, and runtime errors — each with the path
that shows it.

The search plays with `Engine.choose` and tells states apart by what the rest of the game can still read
(see `analysis.scene_futures`): the scene, the scenes waiting for a `return`, the story-wide events that
can still fire, and of the variables, visit counts and once-only choices only those that a later
condition or effect reads. Two games that agree on that key have the same future, so a variable nothing
reads does not multiply the states. Prices follow the market without its noise (`SteadyMarket`); events
that watch a price or the clock are taken out of the engine's hands and set off by the search in every
state where the rest of their condition holds, as if the market could get there. States that answer the
story's conditions in a new way are explored first, so that a search cut short by its limit has been
everywhere. Random playthroughs use the real market, with its noise and random waits."""

from __future__ import annotations

import ast
import math
import random
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Literal, Optional

from collapse_tui.engine.analysis import Reads, event_guards, expression_reads, is_timed, plain_text, scene_futures
from collapse_tui.engine.expressions import ARITHMETIC, COMPARISONS, CONSTANTS, NUMERIC_FUNCTIONS, Expression
from collapse_tui.engine.diagnostics import SourcePosition
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.market import HOUR, MarketModel, MarketState, TickerState
from collapse_tui.engine.runtime import MAX_EVENT_CHAIN, Engine, GameState, PlayError
from collapse_tui.engine.story import CompiledEvent, Story

MAX_STATES = 200_000
RANDOM_MAX_STEPS = 1_000
RANDOM_WAIT_CHANCE = 0.3
RANDOM_WAIT_SECONDS = 40.0
FINDINGS_PER_CODE = 10
_RUNTIME_FAULTS = (PlayError, ArithmeticError, TypeError, ValueError, KeyError)


class SteadyMarket(MarketModel):
    """The market without noise, in a few exact steps: each price follows its target path (the scenes'
    keyframes), shocks fade and reactions stay, as in play, but the same path always gives the same price
    and crossing a day costs eight steps instead of hundreds. Sparklines and charts are not kept."""

    STEPS = 8
    CACHE_LIMIT = 20_000

    def __init__(self, tickers, day_offset_seconds: int = 0):
        super().__init__(tickers, day_offset_seconds)
        self._jumps: dict[tuple, MarketState] = {}  # many paths cross the same hours with the same prices

    def advance(self, state: MarketState, to_ms: int) -> MarketState:
        return self.jump(state, to_ms)

    def jump(self, state: MarketState, to_ms: int) -> MarketState:
        if to_ms <= state.time_ms:
            return state
        key = (state.tickers, state.time_ms, to_ms)
        found = self._jumps.get(key)
        if found is not None and found.seed == state.seed:
            return found
        moved = self._jump(state, to_ms)
        if len(self._jumps) < self.CACHE_LIMIT:
            self._jumps[key] = moved
        return moved

    def _jump(self, state: MarketState, to_ms: int) -> MarketState:
        start = state.time_ms / 1000
        span = to_ms / 1000 - start
        steps = max(1, min(self.STEPS, math.ceil(span / 300)))
        step = span / steps
        tickers = []
        for t, model in zip(state.tickers, self.tickers):
            decay = math.exp(-model.reversion * step / HOUR)
            log_price = t.log_price
            for number in range(1, steps + 1):
                target = t.target(start + number * step)
                log_price = target + (log_price - target) * decay
            tickers.append(TickerState(log_price, t.ramp_from, t.ramp_to, t.ramp_start, t.ramp_end, t.noise_scale, t.day_open))
        return MarketState(state.seed, to_ms, tuple(tickers), state.recent, state.chart, state.chart_every)


# --- what the report says -------------------------------------------------------------------------

@frozen
class Step:
    """One move on a path: a choice (its number as the player sees it) or a wait that let an event fire."""

    scene: str
    kind: Literal["choice", "wait", "event"]
    number: int = 0  # 1-based, as shown in the scene's list of choices
    text: str = ""
    event: str = ""
    seconds: float = 0.0

    def describe(self) -> str:
        if self.kind == "wait":
            return f"wait {self.seconds:g} s (event '{self.event}')"
        if self.kind == "event":
            return f"event '{self.event}' goes off ({self.text})"
        return f"{self.number} \"{self.text}\""


@frozen
class Finding:
    """One problem found by playing: where (a scene or a choice in the files), what, and how to get there."""

    severity: Literal["error", "warning"]
    code: str
    message: str
    position: Optional[SourcePosition] = None
    path: tuple[Step, ...] = ()
    end_scene: str = ""

    def lines(self) -> list[str]:
        where = f"{self.position}: " if self.position else ""
        lines = [f"{where}{self.severity}: {self.message}  [{self.code}]"]
        if self.path or self.end_scene:
            lines.append("    path: " + format_path(self.path, self.end_scene))
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity, "code": self.code, "message": self.message,
            "path": self.position.path if self.position else None,
            "line": self.position.line if self.position else None,
            "column": self.position.column if self.position else None,
            "steps": [{"scene": s.scene, "kind": s.kind, "number": s.number, "text": s.text, "event": s.event,
                       "seconds": s.seconds} for s in self.path],
            "end_scene": self.end_scene,
        }


def format_path(path: Iterable[Step], end: str = "") -> str:
    """`landing: 2 "Call your mother" → taxi_call: 1 "Take the lift" → hotel`; a path that ends in an error
    ends with `→ ✗`."""
    parts = [f"{step.scene}: {step.describe()}" for step in path]
    return " → ".join(parts + [end or "✗"]) if parts else (end or "✗")


@dataclass
class SearchResult:
    states: int = 0
    moves: int = 0
    seconds: float = 0.0
    bounded: bool = False
    max_states: int = MAX_STATES
    reached: set[str] = field(default_factory=set)
    opened: set[tuple[str, int]] = field(default_factory=set)
    endings: Counter = field(default_factory=Counter)  # ending scene -> moves into it
    events: int = 0  # price or clock events set off by the search
    unknown: set[str] = field(default_factory=set)  # scenes whose choices could not be evaluated (an error)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class RandomResult:
    runs: int
    seed: int
    endings: Counter = field(default_factory=Counter)
    scene_runs: Counter = field(default_factory=Counter)  # scene -> runs that saw it
    scene_visits: Counter = field(default_factory=Counter)  # scene -> visits over all runs
    opened: set[tuple[str, int]] = field(default_factory=set)
    steps: list[int] = field(default_factory=list)
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)


@dataclass
class PlaytestReport:
    story: Story
    search: SearchResult
    random: Optional[RandomResult] = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def failed(self) -> bool:
        return self.errors > 0


# --- the exhaustive search ------------------------------------------------------------------------

_UNKNOWN = object()  # a price or a time: anything, as far as the search knows


def _three_valued(node: ast.AST, state: GameState, story: Story) -> Any:
    """Evaluate a checked condition with prices and times unknown: True, False or _UNKNOWN (or a value)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in state.variables:
            return state.variables[node.id]
        if node.id == "turns":
            return state.turns
        return _UNKNOWN
    if isinstance(node, ast.BoolOp):
        values = [_three_valued(value, state, story) for value in node.values]
        if isinstance(node.op, ast.And):
            if any(v is not _UNKNOWN and not v for v in values):
                return False
            return _UNKNOWN if any(v is _UNKNOWN for v in values) else True
        if any(v is not _UNKNOWN and v for v in values):
            return True
        return _UNKNOWN if any(v is _UNKNOWN for v in values) else False
    if isinstance(node, ast.UnaryOp):
        value = _three_valued(node.operand, state, story)
        if value is _UNKNOWN:
            return _UNKNOWN
        if isinstance(node.op, ast.Not):
            return not value
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _three_valued(node.left, state, story), _three_valued(node.right, state, story)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        try:
            return ARITHMETIC[type(node.op)](left, right)
        except Exception:  # the real evaluation reports it; here it is just not known
            return _UNKNOWN
    if isinstance(node, ast.Compare):
        values = [_three_valued(node.left, state, story)] + [_three_valued(c, state, story) for c in node.comparators]
        unknown = False
        for op, left, right in zip(node.ops, values, values[1:]):
            if left is _UNKNOWN or right is _UNKNOWN:
                unknown = True
                continue
            try:
                if not COMPARISONS[type(op)](left, right):
                    return False
            except TypeError:
                return _UNKNOWN
        return _UNKNOWN if unknown else True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in ("visits", "visited"):
            count = state.visits.get(node.args[0].value, 0)  # type: ignore[attr-defined]
            return count if name == "visits" else count > 0
        arguments = [_three_valued(argument, state, story) for argument in node.args]
        if any(argument is _UNKNOWN for argument in arguments) or name not in NUMERIC_FUNCTIONS:
            return _UNKNOWN
        try:
            return NUMERIC_FUNCTIONS[name][0](*arguments)
        except Exception:
            return _UNKNOWN
    return _UNKNOWN


def _without_timed_events(story: Story) -> Story:
    """The story with its price and clock events taken out: the search sets them off itself."""
    scenes = {scene_id: replace(scene, events=tuple(e for e in scene.events if not is_timed(e, story)))
              for scene_id, scene in story.scenes.items()}
    return replace(story, scenes=scenes, events=tuple(e for e in story.events if not is_timed(e, story)))


class _StateModel:
    """The search's view of a story: the engine it plays with, and the key that tells states apart — the
    scene, the scenes waiting for a `return`, the story-wide events that can still fire, and of the
    variables, visit counts and once-only choices only those that the rest of the game can still read."""

    def __init__(self, story: Story):
        self.story = story
        self.engine = Engine(_without_timed_events(story))
        self.engine.market = SteadyMarket(story.meta.tickers, self.engine.market.day_offset)
        self.futures = scene_futures(story)
        self.story_events = story.events
        self.guards = {event.id: event_guards(event) for event in story.events}
        self.event_reads = {event.id: expression_reads(story, event.condition) for event in story.events}
        self.scene_once_events = frozenset(e.id for scene in story.scenes.values() for e in scene.events if e.once)
        self.timed = {scene_id: tuple(e for e in scene.events if is_timed(e, story)) for scene_id, scene in story.scenes.items()}
        self.timed_story_events = tuple(e for e in story.events if is_timed(e, story))
        self.trees = {id(e): ast.parse(e.condition.source.strip(), mode="eval").body
                      for e in list(self.timed_story_events) + [e for events in self.timed.values() for e in events]}
        # Prices read by choices or effects depend on the variables the tickers react to.
        everything = Reads()
        for own, _ in self.futures.values():
            everything |= own.reads
        for _, entering in self.futures.values():
            everything |= entering.reads
        reacting = {name for symbol in everything.tickers for name in story.meta.tickers[symbol].reacts}
        self.always = Reads(variables=frozenset(reacting))
        self._conditions: dict[str, tuple[Expression, ...]] = {}
        self._live: dict[tuple, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], frozenset[str], bool, bool]] = {}

    def future_conditions(self, scene_id: str) -> tuple[Expression, ...]:
        """The conditions of the choices and events a game in this scene may still meet."""
        found = self._conditions.get(scene_id)
        if found is None:
            future, _ = self.futures[scene_id]
            scenes = [s for s in self.story.scenes if s in future.scenes or s == scene_id]
            expressions: dict[str, Expression] = {}
            for other in scenes:
                scene = self.story.scenes[other]
                for choice in scene.choices:
                    if choice.condition is not None:
                        expressions.setdefault(choice.condition.source, choice.condition)
            for event in self.engine.story.events:
                expressions.setdefault(event.condition.source, event.condition)
            found = self._conditions[scene_id] = tuple(expressions.values())
        return found

    def alive_events(self, state: GameState) -> tuple[str, ...]:
        alive = []
        for event in self.story_events:
            if event.once and event.id in state.fired:
                continue
            if any(state.visits.get(scene, 0) for scene in self.guards[event.id]):
                continue
            alive.append(event.id)
        return tuple(alive)

    def _live_parts(self, scene: str, stack: tuple, alive: tuple[str, ...]):
        cache_key = (scene, stack, alive)
        found = self._live.get(cache_key)
        if found is not None:
            return found
        future, _ = self.futures[scene]
        reads, scenes = future.reads | self.always, set(future.scenes) | {scene}
        for back, _enter in stack:
            _, entering = self.futures[back]
            reads |= entering.reads
            scenes |= entering.scenes
        events = {event.id: event for event in self.story_events}
        for event_id in alive:
            reads |= self.event_reads[event_id]
            _, entering = self.futures[events[event_id].goto]
            reads |= entering.reads
            scenes |= entering.scenes
        variables = tuple(name for name in self.story.meta.variables if name in reads.variables)
        found = (variables, tuple(sorted(reads.visit_counts)), tuple(sorted(reads.visited - reads.visit_counts)),
                 frozenset(scenes), reads.time, reads.turns)
        self._live[cache_key] = found
        return found

    def key(self, state: GameState) -> tuple:
        alive = self.alive_events(state)
        variables, counts, flags, scenes, time_read, turns_read = self._live_parts(state.scene, state.return_to, alive)
        values = state.variables
        visits = state.visits
        return (
            state.scene,
            state.return_to,
            alive,
            state.fired & self.scene_once_events,
            tuple(values[name] for name in variables),
            tuple(visits.get(scene, 0) for scene in counts),
            tuple(visits.get(scene, 0) > 0 for scene in flags),
            frozenset(taken for taken in state.taken if taken[0] in scenes),
            state.clock_ms // 60_000 if time_read else 0,
            state.clock_ms - state.scene_entered_ms if time_read else 0,
            state.turns if turns_read else 0,
        )

    def timed_events(self, state: GameState) -> list[CompiledEvent]:
        """Price and clock events that may go off in this state (their other conditions hold)."""
        if len(state.return_to) >= MAX_EVENT_CHAIN:
            return []
        busy = {scene for scene, _ in state.return_to} | {state.scene}
        found = []
        for event in self.timed[state.scene] + self.timed_story_events:
            if (event.once and event.id in state.fired) or event.goto in busy:
                continue
            if _three_valued(self.trees[id(event)], state, self.story) is not False:
                found.append(event)
        return found


def _expression_at(story: Story, message: str) -> tuple[str, Optional[SourcePosition]]:
    """Where the expression that a runtime error quotes is written: ('on entering …', its position)."""
    for scene in story.scenes.values():
        for effect in scene.on_enter:
            if message.startswith(repr(effect.source)):
                return f"on entering '{scene.id}'", scene.position
        for event in scene.events:
            if message.startswith(repr(event.condition.source)):
                return f"in event '{event.id}' of scene '{scene.id}'", event.position
        for choice in scene.choices:
            sources = [e.source for e in choice.effects] + ([choice.condition.source] if choice.condition else [])
            if any(message.startswith(repr(source)) for source in sources):
                return f"in choice {choice.index + 1} of scene '{scene.id}'", choice.position
    for event in story.events:
        if message.startswith(repr(event.condition.source)):
            return f"in event '{event.id}'", event.position
    return "", None


def _choice_text(story: Story, scene_id: str, index: int, locale: str) -> str:
    text = plain_text(story.text(story.scenes[scene_id].choices[index].model.text, locale))
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:49] + "…"


def _lean(state: GameState) -> GameState:
    """The state without its log: the search keeps its own paths, and long logs cost memory."""
    return replace(state, log=()) if state.log else state


class _Search:
    def __init__(self, story: Story, *, max_states: int, seed: int, locale: str):
        self.story = story
        self.model = _StateModel(story)
        self.engine = self.model.engine
        self.max_states = max_states
        self.seed = seed
        self.locale = locale
        self.result = SearchResult(max_states=max_states)
        self.parents: list[tuple[int, Optional[Step]]] = []
        self.scenes: list[str] = []
        self.successors: list[list[int]] = []
        self.ending_ids: list[int] = []
        self.stuck: dict[int, Finding] = {}
        self.unexpanded: set[int] = set()
        self.failing: set[int] = set()
        self.errors: dict[tuple[str, str], Finding] = {}
        self.ids: dict[tuple, int] = {}
        self.signatures: set[tuple] = set()
        # States that show something new (a scene, a set of open choices) are expanded first, breadth first;
        # the others depth first, so that a search cut short by its limit has still been everywhere.
        self.fresh: deque[tuple[int, GameState]] = deque()
        self.queue: list[tuple[int, GameState]] = []

    def path(self, state_id: int) -> tuple[Step, ...]:
        steps = []
        while state_id > 0:
            parent, step = self.parents[state_id]
            if step is not None:
                steps.append(step)
            state_id = parent
        return tuple(reversed(steps))

    def _signature(self, state: GameState) -> tuple:
        """How the state answers every condition it can still meet: a new answer is worth exploring first."""
        answers = []
        for condition in self.model.future_conditions(state.scene):
            try:
                answers.append(bool(self.engine.evaluate(state, condition)))
            except _RUNTIME_FAULTS:
                answers.append(None)
        return state.scene, state.return_to, tuple(answers), tuple(e.id for e in self.model.timed_events(state))

    def _add(self, state: GameState, parent: int, step: Optional[Step]) -> Optional[int]:
        key = self.model.key(state)
        known = self.ids.get(key)
        if known is not None:
            return known
        if len(self.parents) >= self.max_states:
            self.result.bounded = True
            return None
        state_id = len(self.parents)
        self.ids[key] = state_id
        self.parents.append((parent, step))
        self.scenes.append(state.scene)
        self.successors.append([])
        self.result.reached.add(state.scene)
        signature = self._signature(state)
        entry = (state_id, _lean(state))
        if signature not in self.signatures:
            self.signatures.add(signature)
            self.fresh.append(entry)
        else:
            self.queue.append(entry)
        return state_id

    def _runtime_error(self, state_id: int, step: Optional[Step], scene: str, error: Exception) -> None:
        self.failing.add(state_id)
        message = str(error) if isinstance(error, PlayError) else f"{type(error).__name__}: {error}"
        key = (scene, message)
        if key in self.errors:
            return
        path = self.path(state_id) + ((step,) if step else ())
        where, position = _expression_at(self.story, message)
        if position is None:
            where = f"in scene '{scene}'"
            position = self.story.scenes[scene].position if scene in self.story.scenes else None
        self.errors[key] = Finding("error", "play-error", f"the story fails {where}: {message}",
                                   position, path, "" if step else scene)

    def run(self) -> SearchResult:
        started = time.perf_counter()
        try:
            first = self.engine.new_game(self.seed)
        except _RUNTIME_FAULTS as error:
            self._runtime_error(0, None, self.story.meta.start, error)
            self.result.findings = list(self.errors.values())
            return self.result
        self._add(first, -1, None)
        while self.fresh or self.queue:
            state_id, state = self.fresh.pop() if self.fresh else self.queue.pop()
            self._expand(state_id, state)
        self.result.states = len(self.parents)
        self.result.seconds = time.perf_counter() - started
        self._analyse()
        return self.result

    def _follow(self, state_id: int, following: GameState, step: Step) -> None:
        self.result.moves += 1
        target = self._add(following, state_id, step)
        if target is None:
            self.unexpanded.add(state_id)
            return
        self.successors[state_id].append(target)
        if self.story.scenes[self.scenes[target]].is_ending:
            self.result.endings[self.scenes[target]] += 1

    def _expand(self, state_id: int, state: GameState) -> None:
        engine = self.engine
        scene = engine.scene(state)
        if scene.is_ending:
            self.ending_ids.append(state_id)
            return
        moves = 0
        try:
            views = engine.choices(state)
        except _RUNTIME_FAULTS as error:
            self._runtime_error(state_id, None, state.scene, error)
            self.result.unknown.add(state.scene)
            return
        for number, view in enumerate(views, start=1):
            if not view.available:
                continue
            self.result.opened.add((state.scene, view.index))
            step = Step(state.scene, "choice", number, _choice_text(self.story, state.scene, view.index, self.locale))
            moves += 1
            try:
                following = engine.choose(state, view.index)
            except _RUNTIME_FAULTS as error:
                self._runtime_error(state_id, step, state.scene, error)
                continue
            self._follow(state_id, following, step)
        for event in self.model.timed_events(state):
            step = Step(state.scene, "event", event=event.id, text=event.condition.source)
            moves += 1
            try:
                following = engine._fire(state, event, resume=(state.scene, False))  # as Engine._fire_events does
            except _RUNTIME_FAULTS as error:
                self._runtime_error(state_id, step, state.scene, error)
                continue
            self.result.events += 1
            self._follow(state_id, following, step)
        if moves == 0:
            locked = sum(1 for view in views if not view.available)
            gone = sum(1 for c in scene.choices if c.model.once and (state.scene, c.index) in state.taken)
            hidden = len(scene.choices) - len(views) - gone
            parts = [f"{n} {what}" for n, what in ((locked, "locked"), (hidden, "hidden"), (gone, "already taken")) if n]
            why = "no choice is open" + (f" ({', '.join(parts)})" if parts else "")
            self.stuck[state_id] = Finding(
                "error", "dead-end-path",
                f"a path stops in scene '{state.scene}', which is not an ending: {why}",
                scene.position, self.path(state_id), state.scene)

    # --- after the search -------------------------------------------------------------------------

    def _analyse(self) -> None:
        count = len(self.parents)
        predecessors: list[list[int]] = [[] for _ in range(count)]
        for source, targets in enumerate(self.successors):
            for target in targets:
                predecessors[target].append(source)
        # States from which an ending (or the unexplored edge of a bounded search) can be reached.
        hopeful = _can_reach(self.ending_ids + sorted(self.unexpanded), predecessors)
        # States that can reach a dead end: their trap is reported as that dead end, not as a loop.
        to_dead_end = _can_reach(sorted(set(self.stuck) | self.failing), predecessors)
        findings: list[Finding] = list(self.errors.values())
        findings += self._limit(list(self.stuck.values()), "dead-end-path")
        loops = []
        covered = [False] * count
        for state_id in range(count):
            if hopeful[state_id] or to_dead_end[state_id] or covered[state_id]:
                continue
            if not self.successors[state_id]:
                continue  # a state whose only moves failed: reported as a play error
            region = self._region(state_id, hopeful)
            for member in region:
                covered[member] = True
            scenes = sorted({self.scenes[m] for m in region})
            scene = self.story.scenes[self.scenes[state_id]]
            loops.append(Finding(
                "error", "no-way-out",
                f"from scene '{scene.id}' no ending can be reached: play goes round "
                + ", ".join(f"'{s}'" for s in scenes),
                scene.position, self.path(state_id), scene.id))
        findings += self._limit(loops, "no-way-out")
        self.result.findings = findings

    def _region(self, start: int, hopeful: list[bool]) -> list[int]:
        seen = {start}
        stack = [start]
        while stack:
            for target in self.successors[stack.pop()]:
                if target not in seen and not hopeful[target]:
                    seen.add(target)
                    stack.append(target)
        return sorted(seen)

    @staticmethod
    def _limit(findings: list[Finding], code: str) -> list[Finding]:
        if len(findings) <= FINDINGS_PER_CODE:
            return findings
        kept = findings[:FINDINGS_PER_CODE]
        extra = len(findings) - FINDINGS_PER_CODE
        first = kept[0]
        kept.append(Finding(first.severity, code, f"… and {extra} more like these"))
        return kept


def explore(story: Story, *, max_states: int = MAX_STATES, seed: int = 0, locale: Optional[str] = None) -> SearchResult:
    """Search every reachable state of a story (up to `max_states`)."""
    return _Search(story, max_states=max_states, seed=seed, locale=locale or story.default_locale).run()


# --- random playthroughs --------------------------------------------------------------------------

def random_playthroughs(story: Story, runs: int, seed: int = 0, *, locale: Optional[str] = None,
                        max_steps: int = RANDOM_MAX_STEPS) -> RandomResult:
    """`runs` games with random choices and random waits, each seeded from `seed` (the same seed, the
    same games)."""
    locale = locale or story.default_locale
    engine = Engine(story)
    result = RandomResult(runs, seed)
    started = time.perf_counter()
    errors: dict[tuple[str, str], Finding] = {}
    stuck: dict[str, Finding] = {}
    endless = 0
    for run in range(runs):
        rng = random.Random(f"collapse-tui test {seed} {run}")
        path: list[Step] = []
        try:
            state = engine.new_game(seed + run)
        except _RUNTIME_FAULTS as error:
            errors.setdefault((story.meta.start, str(error)), Finding(
                "error", "play-error", f"the story fails at the start: {error}", None))
            break
        steps = 0
        while True:
            scene = engine.scene(state)
            if scene.is_ending:
                result.endings[scene.id] += 1
                break
            try:
                if rng.random() < RANDOM_WAIT_CHANCE:
                    seconds = round(rng.uniform(1, RANDOM_WAIT_SECONDS), 1)
                    waited = engine.advance(state, engine.real_to_story_ms(seconds))
                    if waited.fired != state.fired:
                        fired = next(iter(waited.fired - state.fired), "")
                        path.append(Step(state.scene, "wait", event=fired, seconds=seconds))
                    state = waited
                    if engine.is_ending(state):
                        continue
                views = engine.choices(state)
                numbered = [(number, view) for number, view in enumerate(views, start=1) if view.available]
                if not numbered:
                    stuck.setdefault(state.scene, Finding(
                        "error", "dead-end-path",
                        f"a random playthrough (run {run + 1}) stops in scene '{state.scene}', which is not an ending",
                        scene.position, tuple(path), state.scene))
                    break
                number, view = rng.choice(numbered)
                result.opened.add((state.scene, view.index))
                path.append(Step(state.scene, "choice", number, _choice_text(story, state.scene, view.index, locale)))
                state = engine.choose(state, view.index)
            except _RUNTIME_FAULTS as error:
                message = str(error) if isinstance(error, PlayError) else f"{type(error).__name__}: {error}"
                where, position = _expression_at(story, message)
                if position is None:
                    where, position = f"in scene '{state.scene}'", scene.position
                errors.setdefault((state.scene, message), Finding(
                    "error", "play-error", f"the story fails {where} (random run {run + 1}): {message}",
                    position, tuple(path), ""))
                break
            steps += 1
            if steps >= max_steps:
                endless += 1
                break
        result.steps.append(steps)
        for scene_id, visits in state.visits.items():
            result.scene_runs[scene_id] += 1
            result.scene_visits[scene_id] += visits
    result.findings = list(errors.values()) + list(stuck.values())
    if endless:
        result.findings.append(Finding(
            "warning", "endless-run",
            f"{endless} of {runs} random playthrough(s) did not reach an ending in {max_steps} choices"))
    result.seconds = time.perf_counter() - started
    return result


# --- the whole play-test --------------------------------------------------------------------------

def playtest(story: Story, *, runs: int = 0, seed: int = 0, max_states: int = MAX_STATES,
             locale: Optional[str] = None) -> PlaytestReport:
    search = explore(story, max_states=max_states, seed=seed, locale=locale)
    randomly = random_playthroughs(story, runs, seed, locale=locale) if runs > 0 else None
    report = PlaytestReport(story, search, randomly)
    reached = set(search.reached) | (set(randomly.scene_runs) if randomly else set())
    opened = set(search.opened) | (randomly.opened if randomly else set())
    within = f" in the {search.states:,} states searched" if search.bounded else ""
    findings: list[Finding] = list(search.findings)
    if randomly:  # what the random games found and the search did not (the same problem is said once)
        known = {(f.code, f.position) for f in findings}
        findings += [f for f in randomly.findings if f.position is None or (f.code, f.position) not in known]
    if search.bounded:
        findings.append(Finding(
            "warning", "search-limit",
            f"the search stopped at its limit of {search.max_states:,} states: it has been in every part of the "
            "story it reports on, but has not tried every combination of variables (raise --max-states to "
            "search further)"))
    failed_at = {f.position for f in findings if f.code == "play-error"}
    for scene_id in story.scene_order or story.scenes:
        scene = story.scenes[scene_id]
        if scene_id not in reached:
            if scene.position not in failed_at:  # a scene that fails as it is entered is reported once
                findings.append(Finding("error", "never-reached", f"scene '{scene_id}' is never reached{within}", scene.position))
            continue
        for choice in scene.choices:
            if (scene_id, choice.index) not in opened and scene_id not in search.unknown:
                text = _choice_text(story, scene_id, choice.index, locale or story.default_locale)
                why = f" (if: {choice.model.if_})" if choice.model.if_ else ""
                findings.append(Finding("error", "never-open",
                                        f"choice {choice.index + 1} of scene '{scene_id}', \"{text}\", is never open{why}{within}",
                                        choice.position))
    report.findings = findings
    return report


def _bar(count: int, most: int, width: int = 24) -> str:
    if most <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / most))


def format_report(report: PlaytestReport) -> str:
    story = report.story
    search = report.search
    scenes = story.scene_order or tuple(story.scenes)
    endings = [s for s in scenes if story.scenes[s].is_ending]
    choices = sum(len(story.scenes[s].choices) for s in scenes)
    lines = [f"Play-testing {story.root}: {len(scenes)} scenes, {choices} choices, {len(endings)} endings", ""]
    limit = " (stopped at the limit)" if search.bounded else ""
    lines.append(f"Exhaustive search: {search.states:,} states{limit}, {search.moves:,} moves, "
                 f"{search.seconds:.2f} s")
    reached_endings = [e for e in endings if search.endings[e]]
    lines.append(f"  scenes reached {len(search.reached)}/{len(scenes)}, choices open {len(search.opened)}/{choices}, "
                 f"endings reached {len(reached_endings)}/{len(endings)}"
                 + (f", {search.events:,} price or clock events set off" if search.events else ""))
    if reached_endings:
        most = max(search.endings[e] for e in reached_endings)
        width = max(len(e) for e in endings)
        lines.append("  endings (moves that end there):")
        for ending in endings:
            count = search.endings[ending]
            lines.append(f"    {ending:<{width}}  {count:>7,}  {_bar(count, most)}")
    randomly = report.random
    if randomly is not None:
        lines.append("")
        average = sum(randomly.steps) / len(randomly.steps) if randomly.steps else 0
        lines.append(f"Random playthroughs: {randomly.runs} runs with seed {randomly.seed}, "
                     f"{average:.1f} choices on average, {randomly.seconds:.2f} s")
        width = max((len(s) for s in scenes), default=10)
        most = max(randomly.endings.values(), default=0)
        lines.append("  endings:")
        for ending in endings:
            count = randomly.endings[ending]
            lines.append(f"    {ending:<{width}}  {count:>5}  {_bar(count, most)}")
        lines.append("  scene visits (runs that saw the scene, total visits):")
        most = max(randomly.scene_runs.values(), default=0)
        for scene_id in scenes:
            runs = randomly.scene_runs[scene_id]
            lines.append(f"    {scene_id:<{width}}  {runs:>5} {randomly.scene_visits[scene_id]:>6}  {_bar(runs, most)}")
    lines.append("")
    if report.findings:
        for finding in report.findings:
            lines += finding.lines()
        lines.append("")
    if report.failed:
        lines.append(f"FAILED: {report.errors} error(s), {report.warnings} warning(s)")
    else:
        warned = f" ({report.warnings} warning(s))" if report.warnings else ""
        if report.search.bounded:
            lines.append(f"OK within the limit: every scene reached, every choice open, and no dead end, loop or "
                         f"error in the {report.search.states:,} states searched{warned}")
        else:
            lines.append(f"OK: every scene reached, every choice open, every path ends{warned}")
    return "\n".join(lines)


def report_json(report: PlaytestReport) -> dict[str, Any]:
    search = report.search
    payload: dict[str, Any] = {
        "errors": report.errors,
        "warnings": report.warnings,
        "search": {"states": search.states, "moves": search.moves, "seconds": round(search.seconds, 3),
                   "bounded": search.bounded, "max_states": search.max_states, "events": search.events,
                   "scenes_reached": sorted(search.reached), "endings": dict(search.endings)},
        "findings": [f.as_json() for f in report.findings],
    }
    if report.random is not None:
        randomly = report.random
        payload["random"] = {"runs": randomly.runs, "seed": randomly.seed, "endings": dict(randomly.endings),
                             "scene_runs": dict(randomly.scene_runs), "scene_visits": dict(randomly.scene_visits),
                             "steps": randomly.steps, "seconds": round(randomly.seconds, 3)}
    return payload


def _can_reach(targets: list[int], predecessors: list[list[int]]) -> list[bool]:
    """For each state, whether some path leads from it to one of `targets` (a backwards search)."""
    reached = [False] * len(predecessors)
    queue = deque(targets)
    for state_id in queue:
        reached[state_id] = True
    while queue:
        for source in predecessors[queue.popleft()]:
            if not reached[source]:
                reached[source] = True
                queue.append(source)
    return reached
