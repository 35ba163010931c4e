"""The headless story engine: model, loader, validator, expressions, runtime and market. No Textual here.

The validator (YAML, pydantic) is imported only when a story is read from its files, not when it comes
from the cache of compiled stories: that is most of the cost of starting the game."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from collapse_tui.engine.diagnostics import Diagnostic, Severity, SourcePosition, StoryError
from collapse_tui.engine.runtime import ChoiceView, Engine, GameState, PlayError, Session
from collapse_tui.engine.story import Story

if TYPE_CHECKING:
    from collapse_tui.engine.validate import check_story

__all__ = [
    "ChoiceView", "Diagnostic", "Engine", "GameState", "PlayError", "Session", "Severity", "SourcePosition",
    "Story", "StoryError", "check_story", "load_story",
]


def load_story(root: Path | str, *, cache: bool = False) -> Story:
    """Load a story for playing; raises StoryError with every diagnostic if it has errors.

    With `cache`, a story whose files have not changed since it last loaded comes from the cache of
    compiled stories (engine/cache.py), warnings included; a story with errors is never cached, so its
    diagnostics are always found afresh."""
    if cache:
        from collapse_tui.engine.cache import load_story_cached

        return load_story_cached(root, _compile)
    return _compile(root)


def _compile(root: Path | str) -> Story:
    from collapse_tui.engine.validate import compile_story

    return compile_story(root)


def __getattr__(name: str) -> Any:
    if name == "check_story":
        from collapse_tui.engine.validate import check_story

        return check_story
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
