"""The story's records: frozen data that turns into JSON values and back (the cache of compiled stories
relies on it), and that pydantic validates only through the rules written into them."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from collapse_tui.engine import load_story
from collapse_tui.engine.model import Choice, MarketDirective, Scene, StoryMeta, fields_of, from_plain, to_plain

BUNDLED = Path(__file__).resolve().parents[2] / "story"


@pytest.fixture(scope="module")
def bundled():
    return load_story(BUNDLED)


def test_every_part_of_the_bundled_story_comes_back_from_json_values_the_same(bundled):
    assert from_plain(StoryMeta, to_plain(bundled.meta)) == bundled.meta
    for scene in bundled.scenes.values():
        assert from_plain(Scene, to_plain(scene.model)) == scene.model


def test_json_values_use_the_yaml_keys_and_leave_defaults_out():
    choice = Choice(text={"*": "Run"}, goto="exit", return_=False, if_="cash > 1",
                    market={"FTT": MarketDirective(shock=-0.2)})
    assert to_plain(choice) == {"text": {"*": "Run"}, "goto": "exit", "if": "cash > 1",
                                "market": {"FTT": {"shock": -0.2}}}


@pytest.mark.parametrize("plain", [
    {"text": {"*": "Run"}, "goto": 3},  # a number for text
    {"text": {"*": "Run"}, "gotto": "exit"},  # an unknown key
    {"goto": "exit"},  # a required key missing
    {"text": {"*": "Run"}, "once": "yes"},  # text for a boolean
    {"text": {"*": "Run"}, "effects": "cash += 1"},  # text for a list
    {"text": {"*": "Run"}, "market": {"FTT": {"shock": True}}},  # a boolean for a number
    ["not", "a", "mapping"],
])
def test_json_values_of_the_wrong_shape_are_refused(plain):
    with pytest.raises((TypeError, ValueError, KeyError)):
        from_plain(Choice, plain)


def test_records_are_frozen_and_their_fields_list_required_keys_first():
    choice = Choice(text={"*": "Run"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        choice.goto = "elsewhere"  # type: ignore[misc]
    keys = [spec.key for spec in fields_of(Scene)]
    assert keys[:2] == ["id", "text"] and "if" in [spec.key for spec in fields_of(Choice)]


def test_the_model_imports_neither_pydantic_nor_yaml():
    code = ("import sys, collapse_tui.engine.model, collapse_tui.engine.runtime; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_core', 'yaml'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
