"""Fuzzing the line-mode player: whatever lines arrive on its input, it answers, plays on, and ends with
an exit status; it never raises."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collapse_tui.engine import load_story
from collapse_tui.plain import PlainPlayer

from .conftest import FEATURES, MINI

LINES = st.lists(st.one_of(
    st.text(max_size=20),
    st.sampled_from(["1", "2", "3", "4", "5", "0", "-1", "+1", " 2 ", "01", "1.0", "1e3", "９", "²", "١", "߁", "𝟙",
                     "9" * 5000, "u", "U", "undo", "q", "quit", "exit", "h", "help", "?", "", " ", "\t", "\x1b[2J",
                     "\x00", "\r", "\x04", "🙂", "ｑ"]),
), max_size=30)


@pytest.fixture(scope="module")
def stories():
    return {"features": load_story(FEATURES), "mini": load_story(MINI)}


def play(story, lines: list[str], locale: str) -> tuple[int, str]:
    stdin = io.StringIO("".join(line.replace("\n", " ") + "\n" for line in lines))
    stdout = io.StringIO()
    code = PlainPlayer(story, locale=locale, seed=3, stdin=stdin, stdout=stdout).run()
    return code, stdout.getvalue()


@settings(max_examples=150, deadline=None)
@given(lines=LINES, name=st.sampled_from(["features", "mini"]), locale=st.sampled_from(["en", "zh"]))
def test_any_input_lines_never_crash_the_plain_player(stories, lines, name, locale):
    code, output = play(stories[name], lines, locale)
    assert code in (0, 1)
    assert output.rstrip().endswith(("Goodbye.", "再见。")) or "THE END" in output or "完" in output


@pytest.mark.parametrize("line", ["²", "𝟙", "9" * 5000, "1" * 30, "0" * 400 + "1"])
def test_numbers_python_reads_oddly_are_answered_politely(stories, line):
    code, output = play(stories["mini"], [line], "en")
    assert code == 0
    assert "Please type a number from 1 to 2" in output or "== b ==" in output


def test_a_wide_digit_picks_the_choice_it_names(stories):
    code, output = play(stories["mini"], ["１"], "en")  # a full-width 1, as a Chinese input method types it
    assert code == 0 and "== b ==" in output
