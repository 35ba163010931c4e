"""`collapse-tui new DIR`: a small story that validates without a warning, play-tests clean and plays;
a folder that is not empty is refused."""

from __future__ import annotations

import subprocess
import sys

from collapse_tui.engine import check_story


def test_new_story_validates_without_a_warning(run, tmp_path):
    result = run("new", tmp_path / "tulips")
    assert result.exit_code == 0
    assert "collapse-tui validate" in result.stdout
    story, diagnostics = check_story(tmp_path / "tulips")
    assert story is not None and diagnostics.items == []
    assert story.meta.id == "tulips" and story.meta.title["en"] == "Tulips"
    assert story.locales == ("en", "zh")
    assert story.meta.tickers and story.meta.variables and story.events
    assert any(c.model.locked_reason for s in story.scenes.values() for c in s.choices)
    assert sum(1 for s in story.scenes.values() if s.is_ending) == 2


def test_new_story_tests_clean(run, tmp_path):
    run("new", tmp_path / "story")
    result = run("test", tmp_path / "story", "--random", "20")
    assert result.exit_code == 0, result.stdout
    assert "OK: every scene reached" in result.stdout


def test_new_story_plays_to_an_ending(tmp_path):
    folder = tmp_path / "story"
    subprocess.run([sys.executable, "-m", "collapse_tui", "new", str(folder)], check=True, capture_output=True)
    played = subprocess.run([sys.executable, "-m", "collapse_tui", "play", str(folder), "--plain", "--seed", "1"],
                            input="1\n1\n2\n", capture_output=True, text=True, timeout=60)
    assert played.returncode == 0, played.stderr
    assert "Interrupted: margin_call" in played.stdout  # the event fires after buying
    assert "(locked) Buy the dip" in played.stdout  # the locked choice, with its reason
    assert "THE END: Home early" in played.stdout


def test_the_title_can_be_given(run, tmp_path):
    run("new", tmp_path / "s", "--title", 'The "Tulip" Mania')
    story, _ = check_story(tmp_path / "s")
    assert story is not None and story.meta.title["en"] == 'The "Tulip" Mania'


def test_an_empty_folder_is_fine(run, tmp_path):
    assert run("new", tmp_path).exit_code == 0


def test_a_folder_that_is_not_empty_is_refused(run, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("new", tmp_path)
    assert result.exit_code == 1
    assert "not empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_file_is_refused(run, tmp_path):
    target = tmp_path / "story.yaml"
    target.write_text("x")
    result = run("new", target)
    assert result.exit_code == 1 and "is a file" in result.stderr


def test_the_story_id_comes_from_the_folder_name(run, tmp_path):
    from collapse_tui.scaffold import story_id_for, title_for

    assert story_id_for(tmp_path / "2024 Crash!") == "crash"
    assert story_id_for(tmp_path / "South_Sea-1720") == "south_sea-1720"
    assert story_id_for(tmp_path / "123") == "my-story"
    assert title_for("south_sea-1720") == "South Sea 1720"
    run("new", tmp_path / "2024 Crash!")
    story, _ = check_story(tmp_path / "2024 Crash!")
    assert story is not None and story.meta.id == "crash"
