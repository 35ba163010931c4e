"""Live reload for authors (`--watch`): notices edits to a story's files, reloads, and moves the game onto
the new version; a broken edit is reported and play goes on with the last good version."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from collapse_tui.engine.sources import STORY_SUFFIXES
from collapse_tui.engine.runtime import Engine, GameState, PlayError, Session
from collapse_tui.engine.story import Story
from collapse_tui.engine.validate import check_story


def rebase_state(state: GameState, engine: Engine) -> GameState:
    """The same game on a new version of the story: known variables keep their values, new ones start."""
    story = engine.story
    if state.scene not in story.scenes:
        raise PlayError(f"the scene on screen, '{state.scene}', is gone from the story")
    variables = {name: state.variables.get(name, variable.initial) for name, variable in story.meta.variables.items()}
    market = state.market
    if len(market.tickers) != len(engine.market.symbols):
        market = engine.market.jump(engine.market.initial(state.seed), state.clock_ms)
    return replace(state, variables=variables, market=market, return_to=tuple(r for r in state.return_to if r[0] in story.scenes))


class StoryWatcher:
    def __init__(self, root: Path, session: Session):
        self.root = Path(root)
        self.session = session
        self.stamp = self._stamp()

    def _stamp(self) -> tuple:
        paths = [self.root] if self.root.is_file() else sorted(p for p in self.root.rglob("*") if p.suffix in STORY_SUFFIXES)
        stamp = []
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    def changed(self) -> bool:
        return self._stamp() != self.stamp

    def poll(self) -> list[str]:
        """Reload if the files changed; returns the lines to show the author (empty when nothing changed)."""
        stamp = self._stamp()
        if stamp == self.stamp:
            return []
        self.stamp = stamp
        story, diagnostics = check_story(self.root)
        if story is None:
            return [str(d) for d in diagnostics.items] + ["(the story has errors; playing on with the last good version)"]
        return self.adopt(story)

    def adopt(self, story: Story) -> list[str]:
        engine = Engine(story)
        try:
            state = rebase_state(self.session.state, engine)
        except PlayError as error:
            return [f"(story reloaded, but {error}; playing on with the last good version)"]
        self.session.engine = engine
        self.session.state = state
        self.session.undo_stack = [s for s in self.session.undo_stack if s.scene in story.scenes]
        self.session.undo_stack = [rebase_state(s, engine) for s in self.session.undo_stack]
        return ["(story reloaded)"]
