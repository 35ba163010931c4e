"""The class debrief as data, Markdown and a standalone HTML page (no screen needed)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pytest

from collapse_tui.debrief_export import (
    ClassVote, VoteOption, build_debrief, debrief_html, debrief_markdown, price_chart_svg, sparkline, terms_met,
    write_debrief,
)

EXPORTED_AT = datetime(2024, 3, 5, 10, 30)


def vote(scene: str, turn: int, counts: dict[int, int], winner: int, tie_broken: bool = False) -> ClassVote:
    options = tuple(VoteOption(index, index + 1, f"Option {index + 1}", votes) for index, votes in counts.items())
    return ClassVote(scene, turn, 0, options, winner, tie_broken)


@pytest.fixture
def played(lesson_session):
    """Arrival -> (check the chain) the order -> (lunch: FTT crashes, the wall breaks) -> back -> the tweet -> home."""
    session = lesson_session
    session.choose(0)
    session.wait(20)
    session.choose(2)
    assert session.state.scene == "wall_breaks"
    session.choose(0)
    assert session.state.scene == "the_tweet"
    session.wait(60)
    session.choose(0)
    assert session.finished
    votes = [vote("arrival", 0, {0: 12, 1: 12}, 0, tie_broken=True), vote("the_tweet", 3, {0: 20, 1: 5}, 0)]
    return session, votes


def test_each_scene_is_paired_with_the_choice_that_left_it_even_across_an_event(played):
    session, votes = played
    debrief = build_debrief(session.engine, session.state, "en", votes, EXPORTED_AT)
    steps = [(s.scene_id, s.choice_text, s.matched_history) for s in debrief.steps]
    assert steps == [
        ("arrival", "Check the on-chain flows", False),
        ("the_order", "Leave for lunch", False),
        ("wall_breaks", "Back to work", None),
        ("the_tweet", "Fly home", True),
        ("end_flight_home", None, None),
    ]
    assert debrief.steps[2].event == "ftt_below_wall"
    assert (debrief.choices_made, debrief.comparable, debrief.matched) == (4, 3, 1)


def test_votes_are_kept_beside_their_choice_and_votes_of_undone_turns_are_dropped(played):
    session, votes = played
    stale = vote("the_order", 7, {0: 1}, 0)
    debrief = build_debrief(session.engine, session.state, "en", votes + [stale], EXPORTED_AT)
    assert debrief.steps[0].vote == votes[0]
    assert debrief.steps[3].vote == votes[1]
    assert debrief.votes == tuple(votes)


def test_the_glossary_terms_met_are_the_ones_in_the_scenes_seen(played):
    session, _ = played
    assert [t.id for t in terms_met(session.engine, session.state, "en")] == ["ftt", "hard_floor", "loi"]
    assert [t.id for t in terms_met(session.engine, session.state, "zh")] == ["ftt", "hard_floor", "loi"]


def test_markdown_shows_choices_votes_history_prices_words_and_prompts(played):
    session, votes = played
    text = debrief_markdown(build_debrief(session.engine, session.state, "en", votes, EXPORTED_AT))
    assert text.startswith("# Lesson fixture: Class debrief\n")
    assert "**Ending: The flight home**" in text
    assert "| 1 | 7 Nov 21:40 | Arrival | Check the on-chain flows | 1: 12 ✔, 2: 12 (24 votes); tie broken by the presenter | Believe the floor (not what happened) |" in text
    assert "> **What really happened:** CZ said Binance would sell its FTT; Caroline offered $22." in text
    assert "> *Source: CoinDesk, 6 Nov 2022*" in text
    assert re.search(r"\| FTT \(FTX Token\) \| 22\.40 \|", text)
    assert "- **LOI (letter of intent)**: A non-binding agreement to negotiate." in text
    assert "1. Who would you believe: a CEO's tweet or a balance sheet? *(Arrival)*" in text
    assert "bankruptcy remote" not in text
    assert "1M x $14" not in text  # teacher notes stay with the teacher


def test_html_is_one_standalone_page_with_an_svg_chart_per_ticker(played):
    session, votes = played
    page = debrief_html(build_debrief(session.engine, session.state, "en", votes, EXPORTED_AT))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from the network
    assert page.count("<svg") == 4
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        ElementTree.fromstring(svg)  # each chart is well-formed XML
    assert "tie broken by the presenter" in page
    assert "Option 1 ✔" in page


def test_text_from_the_story_is_escaped_in_html(lesson_story, lesson_session):
    hostile = ClassVote("arrival", 0, 0, (VoteOption(0, 1, "<script>alert(1)</script>", 3),), 0)
    lesson_session.choose(0)
    page = debrief_html(build_debrief(lesson_session.engine, lesson_session.state, "en", [hostile], EXPORTED_AT))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unfinished_game_says_so(lesson_session):
    debrief = build_debrief(lesson_session.engine, lesson_session.state, "en", (), EXPORTED_AT)
    assert debrief.ending_title is None
    assert "not finished" in debrief_markdown(debrief)
    assert "not finished" in debrief_html(debrief)


def test_the_debrief_speaks_the_class_language(played):
    session, votes = played
    text = debrief_markdown(build_debrief(session.engine, session.state, "zh", votes, EXPORTED_AT))
    assert text.startswith("# 课堂测试: 课堂复盘\n")
    assert "平票，由老师决定" in text
    assert "卡罗琳出价 22 美元" in text


def test_write_debrief_writes_markdown_and_html(played, tmp_path):
    session, votes = played
    markdown, page = write_debrief(tmp_path / "out", session.engine, session.state, "en", votes, EXPORTED_AT)
    assert markdown.name == "lesson-debrief-20240305-103000.md"
    assert page.name == "lesson-debrief-20240305-103000.html"
    assert markdown.read_text(encoding="utf-8").startswith("# Lesson fixture")
    assert "<svg" in page.read_text(encoding="utf-8")


def test_the_chart_spans_the_session_and_marks_choices(played):
    session, votes = played
    debrief = build_debrief(session.engine, session.state, "en", votes, EXPORTED_AT)
    ftt = debrief.series[0]
    assert ftt.symbol == "FTT" and ftt.first == pytest.approx(22.4)
    assert ftt.points[-1][0] == session.state.market.time_ms / 1000
    svg = price_chart_svg(ftt, debrief.start_time, debrief.timezone, "en", debrief.choice_markers)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg.count('class="marker"') == 4
    assert "8 Nov" in svg and "HKT" in svg


def test_the_charts_mark_the_votes_or_else_a_short_path_of_choices(played):
    session, votes = played
    with_votes = build_debrief(session.engine, session.state, "en", votes, EXPORTED_AT)
    assert with_votes.chart_markers == ("votes", ((with_votes.steps[0].time_ms / 1000, 1), (with_votes.steps[3].time_ms / 1000, 4)))
    assert "Dashed lines mark the class votes" in debrief_html(with_votes)
    without = build_debrief(session.engine, session.state, "en", (), EXPORTED_AT)
    assert without.chart_markers[0] == "choices" and len(without.chart_markers[1]) == 4


def test_sparkline_is_bounded_and_flat_for_flat_prices():
    assert len(sparkline(list(range(500)), width=40)) == 40
    assert sparkline([5.0, 5.0, 5.0]) == "▄▄▄"
    assert sparkline([]) == ""
