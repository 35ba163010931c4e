"""The example stories in examples/ use the engine for other market episodes: each validates without a
warning, play-tests clean and plays in both languages."""

from __future__ import annotations

import pytest

from collapse_tui.engine import check_story
from tests.authoring.conftest import REPO

EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if p.is_dir())


def test_there_is_an_example():
    assert EXAMPLES


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_without_a_warning(folder):
    story, diagnostics = check_story(folder)
    assert story is not None and [str(d) for d in diagnostics.items] == []
    assert set(story.locales) >= {"en", "zh"}


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_tests_clean(run, folder):
    result = run("test", folder, "--random", "30", "--seed", "5")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_south_sea_plays_to_an_ending(run, lang):
    result = run("play", REPO / "examples" / "south-sea", "--plain", "--seed", "2", "--lang", lang,
                 input="1\n3\n1\n3\n2\n1\n3\n")
    assert result.exit_code == 0
    assert ("THE END" if lang == "en" else "完") in result.stdout
