"""Checks a loaded story as a whole (references, expressions, texts, reachability) and compiles it into a
`Story`. Every problem is collected, so an author sees all of them at once."""

from __future__ import annotations

import gc
import re
from collections import deque
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Union

from rich.errors import MarkupError
from rich.markup import _parse as parse_markup, render as render_markup
from rich.style import Style

from collapse_tui.engine.diagnostics import DiagnosticList, SourcePosition, StoryError, did_you_mean
from collapse_tui.engine.expressions import CLOCK_NAMES, Effect, Expression, ExpressionError, parse_effect, parse_expression
from collapse_tui.engine.loader import LoadedFile, SourceFile, load_files
from collapse_tui.engine.sources import display_path
from collapse_tui.engine.model import (
    ALL_LOCALES, Choice, Ending, GlossaryEntry, Notes, Post, Record, Scene, StoryMeta, Ticker, Variable, fields_of,
    parse_story_time, record_types_in,
)
from collapse_tui.engine.story import CompiledChoice, CompiledEvent, CompiledScene, Story

# The fields of each model that hold text for the player, checked for every locale and for Rich markup.
LOCALISED_FIELDS: dict[type[Record], tuple[str, ...]] = {
    StoryMeta: ("title", "subtitle", "disclaimer"),
    Variable: ("label", "description"),
    Ticker: ("name",),
    Scene: ("title", "place", "text"),
    Choice: ("text", "locked_reason", "note"),
    Notes: ("teacher", "discuss", "history"),
    Post: ("text",),
    Ending: ("title", "epilogue"),
    GlossaryEntry: ("term", "text"),
}
Path_ = tuple[Any, ...]


@lru_cache(maxsize=None)
def _holds_text(record_type: type[Record]) -> bool:
    """Whether a record, or a record inside it, has localised text."""
    return record_type in LOCALISED_FIELDS or any(
        _holds_text(inner) for spec in fields_of(record_type) for inner in record_types_in(spec.annotation))


@lru_cache(maxsize=None)
def _fields_with_text(record_type: type[Record]) -> tuple[tuple[str, str], ...]:
    """(attribute, key in the YAML) of the fields that can hold records with localised text."""
    return tuple((spec.name, spec.key) for spec in fields_of(record_type)
                 if any(_holds_text(inner) for inner in record_types_in(spec.annotation)))


def _models_with_text(model: Record, path: Path_) -> Iterator[tuple[Record, Path_]]:
    """Every record, this one or nested, that holds localised text, with their paths in the file."""
    if type(model) in LOCALISED_FIELDS:
        yield model, path
    for name, key in _fields_with_text(type(model)):
        value = getattr(model, name)
        if isinstance(value, Record):
            yield from _models_with_text(value, path + (key,))
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, Record):
                    yield from _models_with_text(item, path + (key, index))
        elif isinstance(value, dict):
            for item_key, item in value.items():
                if isinstance(item, Record):
                    yield from _models_with_text(item, path + (key, item_key))


# Where Rich's tag pattern (`(\\*)\[([a-z#/@][^[]*?)]`) can match: found from the '[' (a literal first
# character lets the regex engine skip ahead), the backslashes before it added back by hand.
_MARKUP_TAG = re.compile(r"\[[a-z#/@][^[]*?]")


def markup_problem(text: str) -> Optional[str]:
    """What is wrong with the Rich markup of a text, or None.

    Rich's render() is the judge, but rendering every long scene text was the costliest part of loading,
    so the tags are checked as render() checks them (a closing tag must match an open one, by the
    normalised style name) and the whole text is rendered only when they fail, for Rich's own message.
    Tags that bind actions (`[@click=…]`, which Textual runs when clicked) are refused: story text shows,
    it never acts."""
    if "[" not in text:
        return None
    pieces = []
    for match in _MARKUP_TAG.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] == "\\":
            start -= 1
        pieces.append(text[start:match.end()])
    if not pieces:
        return None
    open_styles: list[str] = []
    failed = False
    for _, _, tag in parse_markup("".join(pieces)):
        if tag is None:
            continue  # text, or an escaped tag
        name = tag.name
        if name.startswith("@"):
            return f"the tag '{tag.markup}' binds an action; story text cannot run actions"
        if not name.startswith("/"):
            open_styles.append(Style.normalize(name))
            continue
        closing = name[1:].strip()
        if closing:
            closing = Style.normalize(closing)
            if closing not in open_styles:
                failed = True
                break
            del open_styles[len(open_styles) - 1 - open_styles[::-1].index(closing)]
        elif open_styles:
            open_styles.pop()
        else:
            failed = True
            break
    if not failed:
        return None
    try:
        render_markup(text, emoji=False)
    except MarkupError as error:
        return str(error)
    return None  # pragma: no cover - the check above follows render(); render has the last word


class _StoryChecker:
    def __init__(self, files: list[LoadedFile], diagnostics: DiagnosticList, root: str):
        self.files = files
        self.diagnostics = diagnostics
        self.root = root
        self.meta: Optional[StoryMeta] = None
        self.meta_file: Optional[LoadedFile] = None
        self.scene_sources: dict[str, tuple[LoadedFile, int, Scene]] = {}
        self.known_scene_ids: set[str] = set()
        # parsed expressions by their text: a story says `doubt += 1` a hundred times; parse it once
        self._parsed: dict[tuple[str, str], Union[Expression, Effect, ExpressionError]] = {}
        self._clock_start = None
        self._names: Optional[set[str]] = None

    # --- helpers -----------------------------------------------------------------------------------

    def error(self, source: SourceFile, path: Path_, message: str, code: str, *, key: bool = False) -> None:
        self.diagnostics.error(source.position(path, key=key), message, code)

    def warning(self, source: SourceFile, path: Path_, message: str, code: str) -> None:
        self.diagnostics.warning(source.position(path), message, code)

    @property
    def locales(self) -> tuple[str, ...]:
        return self.meta.locales if self.meta else ("en",)

    @property
    def names(self) -> set[str]:
        if not self.meta:
            return set(CLOCK_NAMES)
        if self._names is None:  # the metadata is found once, before anything asks
            self._names = set(self.meta.variables) | set(self.meta.tickers) | set(CLOCK_NAMES)
        return self._names

    # --- the whole story ----------------------------------------------------------------------------

    def run(self) -> Optional[Story]:
        self._find_metadata()
        self._collect_scenes()
        if self.meta is None:
            return None
        self._check_metadata()
        events = tuple(self._compile_events(file, path, event) for file in self.files for path, event in file.events)
        self._check_unique_ids(((file, path, event.id) for file in self.files for path, event in file.events), "event", "duplicate-event")
        glossary = [(file, path, entry) for file in self.files for path, entry in file.glossary]
        self._check_unique_ids(((file, path, entry.id) for file, path, entry in glossary), "glossary entry", "duplicate-glossary")
        for file in self.files:
            for model, path in self._text_models(file):
                self._check_texts(file.source, model, path)
        scenes = {scene_id: self._compile_scene(file, index, scene) for scene_id, (file, index, scene) in self.scene_sources.items()}
        compiled_events = tuple(event for event in events if event is not None)
        self._check_graph(scenes, compiled_events)
        if self.diagnostics.has_errors:
            return None
        return Story(
            meta=self.meta,
            scenes=scenes,
            events=compiled_events,
            glossary=tuple(entry for _, _, entry in glossary),
            root=self.root,
            files=tuple(file.source.path for file in self.files),
            warnings=tuple(d for d in self.diagnostics.items if d.severity.value == "warning"),
            scene_order=tuple(self.scene_sources),
        )

    def _text_models(self, file: LoadedFile) -> Iterator[tuple[Record, Path_]]:
        if file.meta is not None:
            yield from _models_with_text(file.meta, ("story",))
        for index, scene in file.scenes:
            yield from _models_with_text(scene, ("scenes", index))
        for path, entry in file.glossary:
            if path[0] == "glossary":
                yield from _models_with_text(entry, path)

    def _find_metadata(self) -> None:
        with_meta = [file for file in self.files if file.had_meta]
        if not with_meta and self.files:
            self.diagnostics.error(SourcePosition(self.files[0].source.path, 1, 1),
                                   "no file of the story has the 'story' metadata (id, title, locales, start …)", "no-metadata")
        for extra in with_meta[1:]:
            self.error(extra.source, ("story",), f"a second 'story' metadata; the first is in {with_meta[0].source.path}", "duplicate-metadata", key=True)
        if with_meta:
            self.meta_file = with_meta[0]
            self.meta = with_meta[0].meta

    def _collect_scenes(self) -> None:
        for file in self.files:
            self.known_scene_ids |= file.broken_scene_ids
            for index, scene in file.scenes:
                self.known_scene_ids.add(scene.id)
                if scene.id in self.scene_sources:
                    first_file, first_index, _ = self.scene_sources[scene.id]
                    first = first_file.source.position(("scenes", first_index, "id"))
                    self.error(file.source, ("scenes", index, "id"), f"duplicate scene id '{scene.id}' (first at {first})", "duplicate-scene")
                    continue
                self.scene_sources[scene.id] = (file, index, scene)

    def _check_unique_ids(self, items: Iterable[tuple[LoadedFile, Path_, str]], what: str, code: str) -> None:
        seen: dict[str, SourcePosition] = {}
        for file, path, item_id in items:
            if item_id in seen:
                self.error(file.source, path + ("id",), f"duplicate {what} id '{item_id}' (first at {seen[item_id]})", code)
            else:
                seen[item_id] = file.source.position(path + ("id",))

    def _check_metadata(self) -> None:
        assert self.meta is not None and self.meta_file is not None
        meta, source = self.meta, self.meta_file.source
        if meta.start not in self.known_scene_ids:
            hint = did_you_mean(meta.start, self.known_scene_ids)
            self.error(source, ("story", "start"), f"the start scene '{meta.start}' does not exist{hint}", "unknown-start")
        if meta.default_locale and meta.default_locale not in meta.locales:
            self.error(source, ("story", "default_locale"), f"default_locale '{meta.default_locale}' is not one of the story's locales {list(meta.locales)}", "unknown-locale")
        for name, variable in meta.variables.items():
            path = ("story", "variables", name)
            if name in CLOCK_NAMES or name in ("true", "false"):
                self.error(source, path, f"'{name}' is a reserved name", "reserved-name", key=True)
            if isinstance(variable.initial, bool):
                if variable.min is not None or variable.max is not None:
                    self.error(source, path, f"'{name}' is true/false and cannot have min or max", "variable-range")
                continue
            low = variable.min if variable.min is not None else float("-inf")
            high = variable.max if variable.max is not None else float("inf")
            if low > high:
                self.error(source, path + ("min",), f"'{name}': min {variable.min} is above max {variable.max}", "variable-range")
            elif not low <= variable.initial <= high:
                self.error(source, path + ("initial",), f"'{name}': initial {variable.initial} is outside [{variable.min}, {variable.max}]", "variable-range")
        for symbol, ticker in meta.tickers.items():
            for variable_name in ticker.reacts:
                variable = meta.variables.get(variable_name)
                path = ("story", "tickers", symbol, "reacts", variable_name)
                if variable is None:
                    self.error(source, path, f"ticker {symbol} reacts to unknown variable '{variable_name}'{did_you_mean(variable_name, meta.variables)}", "unknown-name", key=True)
                elif isinstance(variable.initial, bool):
                    self.error(source, path, f"ticker {symbol} can react only to a number, and '{variable_name}' is true/false", "type", key=True)

    def _check_texts(self, source: SourceFile, model: Record, path: Path_) -> None:
        locales = self.locales
        for field_name in LOCALISED_FIELDS.get(type(model), ()):
            text = getattr(model, field_name)
            if not text:
                continue
            field_path = path + (field_name,)
            if ALL_LOCALES not in text and (len(text) != len(locales) or any(locale not in text for locale in locales)):
                for locale in locales:
                    if locale not in text:
                        self.error(source, field_path, f"'{field_name}' has no text for locale '{locale}'", "missing-text")
                for locale in text:
                    if locale not in locales:
                        self.error(source, field_path + (locale,), f"'{locale}' is not one of the story's locales {list(self.locales)}{did_you_mean(locale, self.locales)}", "unknown-locale", key=True)
            for locale, value in text.items():
                problem = markup_problem(value)
                if problem:
                    where = field_path if locale == ALL_LOCALES else field_path + (locale,)
                    self.error(source, where, f"bad Rich markup in '{field_name}': {problem}", "markup")

    # --- expressions --------------------------------------------------------------------------------

    def _parse(self, kind: str, text: str) -> Union[Expression, Effect]:
        """parse_expression or parse_effect, once per distinct text; raises its ExpressionError."""
        parsed = self._parsed.get((kind, text))
        if parsed is None:
            try:
                parsed = parse_expression(text) if kind == "expression" else parse_effect(text)
            except ExpressionError as error:
                parsed = error
            self._parsed[(kind, text)] = parsed
        if isinstance(parsed, ExpressionError):
            raise parsed
        return parsed

    def _expression(self, source: SourceFile, path: Path_, text: str) -> Optional[Expression]:
        try:
            expression = self._parse("expression", text)
        except ExpressionError as error:
            self.error(source, path, f"{error.message}: {text[:80]!r}", error.code)
            return None
        self._check_names(source, path, expression.names, expression.scene_refs)
        return expression

    def _effect(self, source: SourceFile, path: Path_, text: str) -> Optional[Effect]:
        try:
            effect = self._parse("effect", text)
        except ExpressionError as error:
            self.error(source, path, f"{error.message}: {text[:80]!r}", error.code)
            return None
        assert self.meta is not None
        self._check_names(source, path, effect.value.names, effect.scene_refs)
        variable = self.meta.variables.get(effect.target)
        if variable is None:
            if effect.target in self.meta.tickers or effect.target in CLOCK_NAMES:
                self.error(source, path, f"'{effect.target}' cannot be assigned; only story variables can (move prices with 'market')", "assign-readonly")
            else:
                hint = did_you_mean(effect.target, self.meta.variables)
                self.error(source, path, f"unknown variable '{effect.target}'{hint}", "unknown-name")
            return None
        if isinstance(variable.initial, bool) and effect.operator != "=":
            self.error(source, path, f"'{effect.target}' is true/false; use '=' rather than '{effect.operator}'", "effect-type")
            return None
        return effect

    def _check_names(self, source: SourceFile, path: Path_, names: Iterable[str], scene_refs: Iterable[str]) -> None:
        known = self.names
        for name in sorted(name for name in names if name not in known):
            self.error(source, path, f"unknown name '{name}'{did_you_mean(name, known)}", "unknown-name")
        for scene_id in sorted(scene_refs):
            if scene_id not in self.known_scene_ids:
                self.error(source, path, f"unknown scene '{scene_id}'{did_you_mean(scene_id, self.known_scene_ids)}", "unknown-scene")

    def _check_market(self, source: SourceFile, path: Path_, market: Mapping[str, Any]) -> None:
        assert self.meta is not None
        for symbol in market:
            if symbol not in self.meta.tickers:
                self.error(source, path + (symbol,), f"unknown ticker '{symbol}'{did_you_mean(symbol, self.meta.tickers)}", "unknown-ticker", key=True)

    def _target(self, source: SourceFile, path: Path_, target: str) -> None:
        if target not in self.known_scene_ids:
            hint = did_you_mean(target, self.known_scene_ids)
            self.error(source, path, f"goes to unknown scene '{target}'{hint}", "unknown-scene")

    # --- scenes -------------------------------------------------------------------------------------

    def _compile_events(self, file: LoadedFile, path: Path_, event: Any) -> Optional[CompiledEvent]:
        self._target(file.source, path + ("goto",), event.goto)
        condition = self._expression(file.source, path + ("when",), event.when)
        if condition is None:
            return None
        return CompiledEvent(event.id, condition, event.goto, event.once, file.source.position(path))

    def _compile_scene(self, file: LoadedFile, index: int, scene: Scene) -> CompiledScene:
        assert self.meta is not None
        source, base = file.source, ("scenes", index)
        time = None
        if scene.time is not None:
            if self._clock_start is None:
                self._clock_start = parse_story_time(self.meta.clock.start)
            time = int((parse_story_time(scene.time) - self._clock_start).total_seconds())
            if time < 0:
                self.error(source, base + ("time",), f"the scene's time is before the story's clock starts ({self.meta.clock.start})", "scene-time")
        on_enter = tuple(e for i, text in enumerate(scene.on_enter) if (e := self._effect(source, base + ("on_enter", i), text)))
        self._check_market(source, base + ("market",), scene.market)
        if scene.notes and scene.notes.history and not scene.notes.source:
            self.warning(source, base + ("notes", "history"), "a 'what really happened' note needs a source", "missing-source")
        choices = []
        timers = 0
        for choice_index, choice in enumerate(scene.choices):
            path = base + ("choices", choice_index)
            if (choice.goto is None) == (not choice.return_):
                self.error(source, path, "a choice needs exactly one of 'goto' and 'return: true'", "choice-target")
            if choice.goto is not None:
                self._target(source, path + ("goto",), choice.goto)
            if choice.locked_reason and choice.if_ is None:
                self.warning(source, path + ("locked_reason",), "'locked_reason' without an 'if' is never shown", "unused-reason")
            condition = self._expression(source, path + ("if",), choice.if_) if choice.if_ is not None else None
            effects = tuple(e for i, text in enumerate(choice.effects) if (e := self._effect(source, path + ("effects", i), text)))
            self._check_market(source, path + ("market",), choice.market)
            if choice.timeout is not None:
                timers += 1
                if timers > 1:
                    self.error(source, path + ("timeout",), "a scene can have at most one timed choice", "timer")
            choices.append(CompiledChoice(choice_index, choice, condition, effects, source.position(path)))
        if scene.ending is not None and scene.choices:
            self.error(source, base + ("ending",), "an ending cannot have choices", "ending-with-choices", key=True)
        events = tuple(e for i, event in enumerate(scene.events) if (e := self._compile_events(file, base + ("events", i), event)))
        return CompiledScene(scene, on_enter, tuple(choices), events, time, source.position(base))

    def _check_graph(self, scenes: Mapping[str, CompiledScene], events: tuple[CompiledEvent, ...]) -> None:
        """Warn about scenes that cannot be reached and scenes that lead nowhere."""
        assert self.meta is not None
        event_targets = {event.goto for event in events} | {e.goto for s in scenes.values() for e in s.events}
        for scene in scenes.values():
            file, index, _ = self.scene_sources[scene.id]
            if not scene.choices and not scene.is_ending:
                self.warning(file.source, ("scenes", index, "id"), f"scene '{scene.id}' has no choices and is not an ending (a dead end)", "dead-end")
            if any(c.model.return_ for c in scene.choices) and scene.id not in event_targets:
                self.warning(file.source, ("scenes", index, "id"), f"scene '{scene.id}' has a 'return' choice but no event leads to it", "return-without-event")
        if self.meta.start not in scenes:
            return
        reached = {self.meta.start}
        queue = deque([self.meta.start])
        while queue:
            scene = scenes[queue.popleft()]
            targets = [c.target for c in scene.choices if c.target] + [e.goto for e in scene.events]
            if len(reached) == 1:
                targets += [event.goto for event in events]
            for target in targets:
                if target in scenes and target not in reached:
                    reached.add(target)
                    queue.append(target)
        for scene_id, (file, index, _) in self.scene_sources.items():
            if scene_id not in reached:
                self.warning(file.source, ("scenes", index, "id"), f"scene '{scene_id}' is unreachable from the start scene", "unreachable")


def _load_and_check(root: Path, diagnostics: DiagnosticList) -> Optional[Story]:
    files = load_files(root, diagnostics)
    return _StoryChecker(files, diagnostics, display_path(root)).run() if files else None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of objects (YAML nodes, data, models) and frees them by
    reference counting; the cycle collector would scan them again and again while they grow (it took
    half of the load time of a large story). Nothing here makes cycles worth collecting mid-load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_story(root: Path | str) -> tuple[Optional[Story], DiagnosticList]:
    """Load and check a story; returns the story (None when it has errors) and every diagnostic."""
    root = Path(root)
    diagnostics = DiagnosticList()
    with _collector_paused():
        story = _load_and_check(root, diagnostics)  # its garbage is freed before the collector resumes
    if diagnostics.has_errors:
        story = None
    diagnostics.items = diagnostics.sorted()
    return story, diagnostics


def compile_story(root: Path | str) -> Story:
    """Load, check and compile a story; raises StoryError with every diagnostic if it has errors."""
    story, diagnostics = check_story(root)
    if story is None:
        raise StoryError(diagnostics.items)
    return story
