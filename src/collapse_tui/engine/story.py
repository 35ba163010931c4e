"""The compiled story: validated models with their expressions parsed, ready for the runtime. Immutable."""

from __future__ import annotations

from collections.abc import Mapping as AbcMapping, MutableMapping
from dataclasses import field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Mapping, Optional

from collapse_tui.engine.diagnostics import Diagnostic, SourcePosition
from collapse_tui.engine.expressions import Effect, Expression
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.model import Choice, GlossaryEntry, Scene, StoryMeta, parse_story_time, text_for


@frozen
class CompiledChoice:
    index: int
    model: Choice
    condition: Optional[Expression]
    effects: tuple[Effect, ...]
    position: SourcePosition

    @property
    def target(self) -> Optional[str]:
        return self.model.goto


@frozen
class CompiledEvent:
    id: str
    condition: Expression
    goto: str
    once: bool
    position: SourcePosition


@frozen
class CompiledScene:
    model: Scene
    on_enter: tuple[Effect, ...]
    choices: tuple[CompiledChoice, ...]
    events: tuple[CompiledEvent, ...]
    time: Optional[int]  # story seconds since the clock's start
    position: SourcePosition

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def is_ending(self) -> bool:
        return self.model.ending is not None

    def paragraphs(self, locale: str, fallback: str = "en") -> list[str]:
        text = text_for(self.model.text, locale, fallback).strip()
        return [part.strip() for part in text.split("\n\n") if part.strip()]


@frozen
class Story:
    meta: StoryMeta
    scenes: Mapping[str, CompiledScene]
    events: tuple[CompiledEvent, ...]
    glossary: tuple[GlossaryEntry, ...]
    root: str
    files: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    scene_order: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        scenes = self.scenes
        # A read-only mapping of its own kind (the cache's, which compiles each scene when first asked
        # for) is kept; anything else is copied into a read-only view.
        if not isinstance(scenes, AbcMapping) or isinstance(scenes, (dict, MutableMapping, MappingProxyType)):
            object.__setattr__(self, "scenes", MappingProxyType(dict(scenes)))

    @property
    def locales(self) -> tuple[str, ...]:
        return self.meta.locales

    @property
    def fallback_locale(self) -> str:
        return self.meta.locales[0]

    @property
    def default_locale(self) -> str:
        return self.meta.default_locale or self.meta.locales[0]

    @property
    def start_time(self) -> datetime:
        return parse_story_time(self.meta.clock.start)

    def time_at(self, seconds: float) -> datetime:
        return self.start_time + timedelta(seconds=seconds)

    def text(self, text: Optional[Mapping[str, str]], locale: str) -> str:
        return text_for(text, locale, self.fallback_locale)

    def scene(self, scene_id: str) -> CompiledScene:
        return self.scenes[scene_id]

    def glossary_entry(self, entry_id: str) -> Optional[GlossaryEntry]:
        return next((entry for entry in self.glossary if entry.id == entry_id), None)
