"""`collapse-tui graph`: the scene graph as Mermaid and as Graphviz DOT, with the start and the endings
marked, conditions on locked edges, events dashed and returns dotted; both parse in their own tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from collapse_tui.bundled import bundled_story_path
from collapse_tui.engine import check_story
from tests.authoring.conftest import FIXTURES, HERE, REPO

GOOD = [FIXTURES / "good" / "hub.yaml", FIXTURES / "good" / "awkward_names.yaml", REPO / "examples" / "south-sea"]


def test_mermaid_marks_the_start_the_endings_locked_edges_events_and_returns(run):
    result = run("graph", FIXTURES / "good" / "hub.yaml")
    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[1] == "flowchart TD"
    assert "start_ --> s_floor" in text
    assert 's_end_early(["end_early' in text and "class s_end_early,s_end_close ending" in text
    assert 's_boss -->|"if told_boss"| s_end_early' in text
    assert 's_floor -.->|"too_many_calls: calls #gt;= 3"| s_boss' in text  # a scene's event: dashed
    assert "any_scene -.->|\"flash_crash: XYZ #lt; 40 and not visited('closing')\"| s_crash" in text
    assert 's_crash -.->|"return"| any_scene' in text
    assert 's_floor -->|"once"| s_boss' in text


def test_dot_marks_the_same_things(run):
    text = run("graph", FIXTURES / "good" / "hub.yaml", "--format", "dot").stdout
    assert text.startswith("// ") and "digraph story {" in text
    assert '"__start" -> "floor";' in text
    assert re.search(r'"end_early" \[label="end_early\\nEarly\\n\(ending: early\)", peripheries=2', text)
    assert '"boss" -> "end_early" [label="if told_boss"' in text
    assert '"__any" -> "crash" [label="flash_crash: XYZ < 40 and not visited(\'closing\')", style=dashed' in text
    assert '"crash" -> "__any" [label="return", style=dotted' in text


def test_titles_come_in_the_language_asked_for(run):
    assert "s_floor[\"floor<br/>大厅\"]" in run("graph", FIXTURES / "good" / "hub.yaml", "--lang", "zh").stdout


def test_unknown_language_is_a_usage_error(run):
    assert run("graph", FIXTURES / "good" / "hub.yaml", "--lang", "fr").exit_code == 2


def test_a_broken_story_prints_its_diagnostics_and_exits_1(run):
    result = run("graph", FIXTURES / "broken" / "panel_typo.yaml")
    assert result.exit_code == 1
    assert "[type]" in result.stderr and result.stdout == ""


def test_unreachable_scenes_are_drawn_apart(run, tmp_path):
    story = tmp_path / "s.yaml"
    story.write_text("story: {id: s, title: S, start: a}\nscenes:\n"
                     "  - {id: a, text: A, ending: {title: E}}\n  - {id: lost, text: L, ending: {title: L}}\n")
    assert "class s_lost unreachable" in run("graph", story).stdout


def test_awkward_titles_are_escaped_for_mermaid(run):
    text = run("graph", FIXTURES / "good" / "awkward_names.yaml").stdout
    for line in text.splitlines()[2:]:
        labels = re.findall(r'"([^"]*)"', line.replace("<br/>", " "))
        for label in labels:
            assert not set(label) & set('"<>`|{}'), line
    assert "s_end[" in text  # the scene 'end' does not become Mermaid's `end` keyword


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("story", GOOD + [bundled_story_path()], ids=[p.stem for p in GOOD] + ["bundled"])
def test_dot_output_renders_in_graphviz(run, story, tmp_path):
    if check_story(story)[0] is None:
        pytest.skip(f"{story} does not validate (yet)")
    source = tmp_path / "graph.dot"
    source.write_text(run("graph", story, "--format", "dot").stdout)
    rendered = subprocess.run(["dot", "-Tsvg", str(source)], capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    assert "<svg" in rendered.stdout and not rendered.stderr.strip()


@pytest.mark.skipif(not os.environ.get("COLLAPSE_TUI_MERMAID_DIR") or shutil.which("node") is None,
                    reason="set COLLAPSE_TUI_MERMAID_DIR to a folder with `npm install mermaid jsdom` to parse Mermaid")
def test_mermaid_output_parses_with_mermaid_itself(run, tmp_path):
    files = []
    for story in GOOD:
        path = tmp_path / f"{story.stem}.mmd"
        path.write_text(run("graph", story).stdout)
        files.append(str(path))
    parsed = subprocess.run(["node", str(HERE / "mermaid_parse.mjs"), *files], capture_output=True, text=True, timeout=120)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
