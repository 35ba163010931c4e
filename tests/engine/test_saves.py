"""Saves: a round trip gives the same game; bad saves are reported and left exactly as they were."""

from __future__ import annotations

import json
import os

import pytest

from collapse_tui.engine import Session
from collapse_tui.engine.saves import (
    SaveError, autosave_path, list_saves, load_game, save_game, saves_dir, slot_path,
)


def test_saves_live_under_the_overridden_home(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLAPSE_TUI_HOME", str(tmp_path))
    assert saves_dir() == tmp_path / "data" / "saves"
    assert autosave_path("mini").parent == tmp_path / "data" / "saves" / "mini"


def test_a_saved_game_loads_as_the_same_state(mini, mini_story):
    mini.choose(0)
    mini.wait(3.25)
    path = slot_path("mini", 1)
    save_game(path, mini)
    assert load_game(path, mini_story) == mini.state
    restored = Session(mini.engine, load_game(path, mini_story))
    assert restored.choices() == mini.choices()


def test_list_saves_shows_autosave_then_slots(mini):
    save_game(slot_path("mini", 2), mini)
    save_game(autosave_path("mini"), mini)
    (saves_dir() / "mini" / "notes.json").write_text("{}")
    assert [info.slot for info in list_saves("mini")] == [0, 2]


@pytest.mark.parametrize("content, words", [
    ('{"format": "collapse-tui-save", "version": 1, "story": "mini", "state": {"sc', "damaged"),
    ("not json at all", "damaged"),
    ('{"format": "something-else"}', "not a collapse-tui save"),
    ('{"format": "collapse-tui-save", "version": 99, "story": "mini"}', "newer version"),
    ('{"format": "collapse-tui-save", "version": 1, "story": "other", "state": {}}', "another story"),
    ('{"format": "collapse-tui-save", "version": 1, "story": "mini", "state": {"scene": 3}}', "damaged"),
])
def test_a_bad_save_is_reported_and_left_untouched(tmp_path, mini_story, content, words):
    path = tmp_path / "save.json"
    path.write_text(content)
    before = path.read_bytes(), os.stat(path).st_mtime_ns
    with pytest.raises(SaveError) as raised:
        load_game(path, mini_story)
    assert words in str(raised.value)
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_a_truncated_save_is_reported(tmp_path, mini, mini_story):
    path = tmp_path / "save.json"
    save_game(path, mini)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(SaveError, match="damaged"):
        load_game(path, mini_story)


def test_a_save_at_a_scene_the_story_lost_is_reported(tmp_path, mini, mini_story):
    path = tmp_path / "save.json"
    save_game(path, mini)
    payload = json.loads(path.read_text())
    payload["state"]["scene"] = "deleted_scene"
    path.write_text(json.dumps(payload))
    with pytest.raises(SaveError, match="no longer has"):
        load_game(path, mini_story)


def test_a_failed_write_keeps_the_old_save(tmp_path, mini, mini_story, monkeypatch):
    path = tmp_path / "save.json"
    save_game(path, mini)
    old = path.read_bytes()
    mini.choose(0)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SaveError, match="No space left"):
        save_game(path, mini)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["save.json"]


def test_a_missing_save_is_a_clear_error(tmp_path, mini_story):
    with pytest.raises(SaveError, match="no save"):
        load_game(tmp_path / "nothing.json", mini_story)
