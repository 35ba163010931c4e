"""Fuzzing the loader: random YAML text and random story documents either load or come back as
diagnostics with positions; nothing else ever escapes. A story that loads can be played at random with no
error but the rules' own (PlayError)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collapse_tui.engine import PlayError, Session
from collapse_tui.engine.views import scene_view
from collapse_tui.transcript import transcript_markdown

from .conftest import FEATURES, MINI, check_file

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    "story:", "scenes:", "glossary:", "events:", "id:", "text:", "choices:", "goto:", "title:", "start:", "en:",
    "- ", "  ", "    ", "\n", "\n", ": ", " ", "[", "]", "{", "}", ", ", "'", '"', "&a ", "*a", "&b ", "*b",
    "!!python/object/apply:os.system ", "!!python/name:os.system ", "!!binary ", "!!set ", "!!omap ", "!tag ",
    "!!int ", "!!float ", "!!bool ", "!!str ", "!!timestamp ", "<<: ", "? ", "|\n", ">-\n", "# note\n",
    "%YAML 1.1\n", "---\n", "...\n", '"\\e[2J"', '"\\x9b"', "\t", "1e400", "0x1F", "9" * 5000, ".inf", ".nan", "~",
    "null", "yes", "2022-11-08", "2022-11-08 11:45", "[b]", "[/]", "[@click=app.quit]", "visited('a')",
    "__import__('os')", "cash += 1", "FTT < 14", "é", "中文", "\x85", "\u2028", "\ufeff", "a", "b", "x", "0", "-1",
]
YAML_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=80).map("".join),
)

BASE: dict[str, Any] = yaml.safe_load(FEATURES.read_text(encoding="utf-8"))
STRINGS = [
    "office", "night", "alarm", "home", "nowhere", "cash > 90", "FTT < 14", "cash += 1", "cash = 'text'",
    "warned = 3", "cash /= 0", "cash *= 1e14", "patience -= cash * cash * cash", "visited('home')",
    "visits('nowhere') > 1", "__import__('os').system('echo hacked')", "().__class__", "[b]bold", "[/]",
    "[@click=app.quit]click[/]", "[link=https://example.org]x[/link]", "2022-11-08 10:00", "2022-02-30 10:00",
    "en", "zh", "fr", "*", "", " ", "\u202e", "x" * 600, "FTT", "BTC", "hour", "turns", "true", "false",
]
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), st.sampled_from(STRINGS),
    st.lists(st.sampled_from(STRINGS), max_size=3), st.dictionaries(st.sampled_from(STRINGS), st.integers(), max_size=3),
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, prefix + (index,))
    return found


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def mutate(data: st.DataObject, document: dict) -> dict:
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not _paths(document)[1:]:
            break
        path = data.draw(st.sampled_from(_paths(document)[1:]), label="path")
        parent, key = _at(document, path[:-1]), path[-1]
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "rename", "copy"]), label="action")
        if action == "replace":
            parent[key] = data.draw(JUNK, label="value")
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(STRINGS + ["if", "return", "once", "market"]), label="key")] = parent.pop(key)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[key] = copy.deepcopy(document)  # a document inside itself
    return document


def play_at_random(data: st.DataObject, story) -> None:
    """Random choices, waits and undos; the rules may refuse (PlayError), nothing else may go wrong."""
    session = Session.start(story, seed=data.draw(st.integers(0, 2**32), label="seed"))
    for _ in range(12):
        for locale in story.locales:
            scene_view(session.engine, session.state, locale)
        open_choices = [view for view in session.choices() if view.available]
        if session.finished or not open_choices:
            break
        move = data.draw(st.sampled_from(["choose", "choose", "wait", "undo"]), label="move")
        try:
            if move == "choose":
                session.choose(data.draw(st.sampled_from(open_choices), label="choice").index)
            elif move == "wait":
                session.wait(data.draw(st.floats(0, 30), label="seconds"))
            else:
                session.undo()
        except PlayError:
            break
    transcript_markdown(session.engine, session.state, story.default_locale)


@FUZZ
@given(text=YAML_TEXT)
def test_random_yaml_text_loads_or_is_reported_with_positions(scratch, text):
    path = scratch / "random.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    check_file(path)


@FUZZ
@given(content=st.binary(max_size=200))
def test_random_bytes_load_or_are_reported_with_positions(scratch, content):
    path = scratch / "bytes.yaml"
    path.write_bytes(content)
    check_file(path)


@FUZZ
@given(data=st.data())
def test_mutated_story_documents_load_or_are_reported_and_loaded_ones_play(scratch, data):
    document = mutate(data, BASE)
    path = scratch / "mutated.yaml"
    try:
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    except (yaml.YAMLError, RecursionError):  # pragma: no cover - a document PyYAML itself cannot write
        return
    story, _ = check_file(path)
    if story is not None:
        play_at_random(data, story)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_fixture_stories_play_at_random(data):
    from collapse_tui.engine import load_story

    play_at_random(data, load_story(data.draw(st.sampled_from([FEATURES, MINI]))))


def test_a_story_made_of_every_token_at_once_is_reported_not_raised(scratch):
    path: Path = scratch / "tokens.yaml"
    path.write_text("".join(TOKENS), encoding="utf-8")
    check_file(path)
