"""`play --plain --watch`: an edit to the story's files between two inputs reloads the story and shows
the scene again; a broken edit prints its diagnostics and play goes on with the last good version."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Callable

from collapse_tui.engine import load_story
from collapse_tui.plain import PlainPlayer
from tests.authoring.conftest import FIXTURES


class EditingInput(io.StringIO):
    """Standard input whose lines can each first change the story on disk, as an author does between
    two key presses."""

    def __init__(self, steps: list[tuple[Callable[[], None] | None, str]]):
        super().__init__()
        self.steps = list(steps)

    def readline(self, *args) -> str:  # type: ignore[override]
        if not self.steps:
            return ""
        edit, line = self.steps.pop(0)
        if edit is not None:
            edit()
        return line


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def apply() -> None:
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))
        stamp = path.stat().st_mtime_ns + 2_000_000_000  # a later mtime even on coarse file systems
        os.utime(path, ns=(stamp, stamp))
    return apply


def _play(story_dir: Path, steps) -> str:
    out = io.StringIO()
    player = PlainPlayer(load_story(story_dir), locale="en", seed=1, story_path=story_dir, watch=True,
                         stdin=EditingInput(steps), stdout=out)
    player.run()
    return out.getvalue()


def _story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "hub.yaml", folder / "hub.yaml")
    return folder


def test_an_edit_between_inputs_re_renders_the_scene(tmp_path):
    folder = _story(tmp_path)
    output = _play(folder, [(_edit(folder / "hub.yaml", "Phones ring.", "Every phone on the floor rings."), "\n")])
    assert "Phones ring." in output
    assert "(story reloaded)" in output
    after = output.split("(story reloaded)", 1)[1]
    assert "Every phone on the floor rings." in after and "== The floor ==" in after


def test_an_edit_applies_to_the_next_scene_too(tmp_path):
    folder = _story(tmp_path)
    output = _play(folder, [(_edit(folder / "hub.yaml", "The bell rings.", "The closing bell rings at last."), "3\n")])
    assert "The closing bell rings at last." in output


def test_a_broken_edit_prints_diagnostics_and_play_goes_on(tmp_path):
    folder = _story(tmp_path)
    story_file = folder / "hub.yaml"
    output = _play(folder, [
        (_edit(story_file, "goto: closing", "goto: closin"), "\n"),
        (None, "3\n"),
    ])
    assert "[unknown-scene]" in output and "(did you mean 'closing'?)" in output
    assert "playing on with the last good version" in output
    assert "The bell rings." in output  # choice 3 still leads to 'closing' in the last good version


def test_fixing_a_broken_edit_reloads_again(tmp_path):
    folder = _story(tmp_path)
    story_file = folder / "hub.yaml"
    output = _play(folder, [
        (_edit(story_file, "Phones ring.", "[b]Phones ring.[/i]"), "\n"),
        (_edit(story_file, "[b]Phones ring.[/i]", "Phones ring twice."), "\n"),
    ])
    assert "[markup]" in output
    assert "Phones ring twice." in output.split("(story reloaded)", 1)[1]
