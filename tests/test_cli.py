"""The command line as a user meets it: the installed `collapse-tui` run as a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "engine" / "fixtures"
MINI = FIXTURES / "good" / "mini.yaml"
FEATURES = FIXTURES / "good" / "features.yaml"


def run(*args: str, stdin: str = "", cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    sibling = Path(sys.executable).with_name("collapse-tui")
    executable = str(sibling) if sibling.exists() else shutil.which("collapse-tui")
    return subprocess.run([executable, *args], input=stdin, capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, **(env or {})})


def test_plain_mode_plays_a_story_with_piped_choices(tmp_path):
    result = run("play", str(MINI), "--plain", "--seed", "1", stdin="2\n1\n1\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "== a ==" in out and "== b ==" in out and "THE END: Done" in out
    assert "(locked) Locked — Need cash" in out
    assert "That choice is locked: Need cash" in out
    assert "\x1b[" not in out  # no colour into a pipe
    assert "Traceback" not in result.stderr


def test_plain_mode_is_deterministic_under_a_seed(tmp_path):
    first = run("play", str(FEATURES), "--plain", "--seed", "4", stdin="1\n2\n3\n", cwd=tmp_path)
    second = run("play", str(FEATURES), "--plain", "--seed", "4", stdin="1\n2\n3\n", cwd=tmp_path)
    assert first.returncode == 0 and first.stdout == second.stdout


def test_plain_mode_repeats_bad_input_politely_and_quits_on_eof(tmp_path):
    result = run("play", str(MINI), "--plain", "--seed", "1", stdin="banana\n9\nh\nu\n", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.count("Please type a number from 1 to 2") == 2
    assert "Type the number of a choice" in result.stdout
    assert "(Nothing to undo.)" in result.stdout
    assert result.stdout.rstrip().endswith("Goodbye.")


def test_plain_mode_in_chinese_and_from_a_named_scene(tmp_path):
    result = run("play", str(MINI), "--plain", "--lang", "zh", "--scene", "b", "--seed", "1", stdin="1\n", cwd=tmp_path)
    assert result.returncode == 0
    assert "2022年11月8日 周二 11:00 HKT" in result.stdout
    assert "完成" in result.stdout


def test_plain_mode_writes_a_transcript(tmp_path):
    transcript = tmp_path / "run.md"
    result = run("play", str(MINI), "--plain", "--seed", "1", "--transcript", str(transcript), stdin="1\n1\n", cwd=tmp_path)
    assert result.returncode == 0
    text = transcript.read_text()
    assert text.startswith("# Mini\n")
    assert "> **You chose:** Go B" in text and "## Ending: Done" in text


@pytest.mark.parametrize("args, code", [
    (["play", "--plain", "--lang", "fr", str(MINI)], 2),
    (["play", "--plain", "--scene", "nowhere", str(MINI)], 2),
    (["play", "--plain", "--seed", "abc", str(MINI)], 2),
    (["no-such-command"], 2),
])
def test_bad_usage_exits_2_without_a_traceback(tmp_path, args, code):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == code
    assert "Traceback" not in result.stderr


def test_a_broken_story_prints_every_error_and_exits_1(tmp_path):
    broken = FIXTURES / "broken" / "forbidden_expression.yaml"
    for command in (["validate", str(broken)], ["play", "--plain", str(broken)]):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert output.count("[forbidden-expression]") == 2
        assert "Traceback" not in output


def test_validate_json_lists_diagnostics(tmp_path):
    result = run("validate", "--format", "json", str(FIXTURES / "broken" / "unknown_scene.yaml"), cwd=tmp_path)
    payload = json.loads(result.stdout)
    assert result.returncode == 1
    assert payload["errors"] == 1
    assert [(d["line"], d["code"]) for d in payload["diagnostics"]] == [(12, "unknown-scene"), (13, "unreachable")]


def test_validate_a_good_story_exits_0_with_stats(tmp_path):
    result = run("validate", "--stats", str(MINI), cwd=tmp_path)
    assert result.returncode == 0
    assert "3 scenes, 3 choices, 1 endings" in result.stdout


def test_schema_is_json_schema_of_the_story_format(tmp_path):
    result = run("schema", cwd=tmp_path)
    schema = json.loads(result.stdout)
    assert result.returncode == 0
    assert {"story", "scenes", "glossary", "events"} <= set(schema["properties"])


def test_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and "collapse-tui" in result.stdout


def test_the_bundled_story_ships_with_the_package():
    from collapse_tui.bundled import bundled_story_path

    assert (bundled_story_path() / "story.yaml").is_file()


def test_the_engine_imports_no_textual():
    code = ("import sys, collapse_tui.engine, collapse_tui.engine.saves, collapse_tui.engine.watch, "
            "collapse_tui.engine.views, collapse_tui.engine.analysis; "
            "bad = [m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('collapse_tui.ui')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_import_contract_holds():
    sibling = Path(sys.executable).with_name("lint-imports")
    linter = str(sibling) if sibling.exists() else shutil.which("lint-imports")
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([linter, str(root / "pyproject.toml")], capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
