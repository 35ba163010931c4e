"""The headless story engine: model, loader, validator, expressions, runtime and market. No Textual here."""

from collapse_tui.engine.diagnostics import Diagnostic, Severity, SourcePosition, StoryError
from collapse_tui.engine.runtime import ChoiceView, Engine, GameState, PlayError, Session
from collapse_tui.engine.story import Story
from collapse_tui.engine.validate import check_story, load_story

__all__ = [
    "ChoiceView", "Diagnostic", "Engine", "GameState", "PlayError", "Session", "Severity", "SourcePosition",
    "Story", "StoryError", "check_story", "load_story",
]
