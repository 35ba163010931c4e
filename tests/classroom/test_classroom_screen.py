"""The presenter view driven through Pilot: class votes, pause and discuss, undo, export, autoplay."""

from __future__ import annotations

import time

import pytest

from textual.widgets import Digits, Static

from collapse_tui.ui.screens.classroom import ChoiceRow, ClassroomScreen
from tests.classroom.conftest import pilot_test
from collapse_tui.ui.widgets.classroom_ticker import ClassroomTicker
from collapse_tui.ui.widgets.vote_chart import VoteChart

SIZE = (120, 40)


def screen_of(app) -> ClassroomScreen:
    assert isinstance(app.screen, ClassroomScreen)
    return app.screen


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pilot_test
async def test_the_presenter_view_shows_the_clock_three_tickers_the_scene_and_the_choices(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.query_one("#cr-clock Digits", Digits).value == "21:40"
        tickers = list(screen.query(ClassroomTicker))
        assert [t.symbol for t in tickers] == ["FTT", "BTC", "SOL"]  # the first three of four
        assert all(t.display for t in tickers)
        assert "Arrival" in text_of(app, "#cr-title")
        assert "hard floor" in text_of(app, "#cr-text")
        rows = list(screen.query(ChoiceRow))
        assert [r.line.number for r in rows] == [1, 2]


@pilot_test
async def test_a_class_vote_takes_the_winner_and_is_kept_for_the_debrief(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # the presenter takes "Believe the floor": now at the order, 3 open choices
        screen = screen_of(app)
        assert app.session.state.scene == "the_order"
        await pilot.press("v")
        assert screen.voting
        chart = screen.query_one(VoteChart)
        assert chart.has_focus
        clock = app.session.state.clock_ms
        await pilot.press("1", "2", "down", "1", "7", "down", "plus", "plus")
        assert [o.votes for o in chart.tally.options] == [12, 17, 2]
        assert "17" in str(chart.render()) and "CLASS VOTE" in str(chart.render())
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.voting
        assert app.session.state.scene == "the_tweet"
        assert app.session.state.log[-1].choice == 1  # "Question the order"
        assert app.session.state.clock_ms >= clock
        [vote] = screen.votes
        assert (vote.scene_id, vote.turn, vote.winner, vote.tie_broken) == ("the_order", 1, 1, False)
        assert [(o.number, o.votes) for o in vote.options] == [(1, 12), (2, 17), (3, 2)]


@pilot_test
async def test_a_tie_is_broken_by_the_presenter(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("v", "8", "down", "8", "enter")
        assert screen.voting and screen.query_one(VoteChart).tally.tied == (0, 1)
        assert app.session.state.scene == "arrival"
        await pilot.press("2")
        await pilot.pause()
        assert app.session.state.scene == "the_order"
        assert screen.votes[0].tie_broken and screen.votes[0].winner == 1


@pilot_test
async def test_a_cancelled_vote_takes_nothing(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("v", "5", "escape")
        assert not screen.voting
        assert screen.votes == []
        assert app.session.state.scene == "arrival"


@pilot_test
async def test_the_clock_runs_and_stops_while_voting(classroom_app):
    app = classroom_app(live=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        start = app.session.state.clock_ms
        await pilot.pause(0.6)
        assert app.session.state.clock_ms > start
        await pilot.press("v")
        during = app.session.state.clock_ms
        await pilot.pause(0.6)
        assert app.session.state.clock_ms == during
        assert screen.query_one("#cr-clock").frozen


@pilot_test
async def test_pause_freezes_clock_and_tickers_and_shows_the_question_and_teacher_note(classroom_app):
    app = classroom_app(live=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("2")
        await pilot.pause(0.5)
        await pilot.press("p")
        assert screen.paused
        clock, market = app.session.state.clock_ms, app.session.state.market
        price = screen.query_one("#cr-ticker-0 Digits", Digits).value
        await pilot.pause(0.8)
        assert app.session.state.clock_ms == clock and app.session.state.market == market
        assert screen.query_one("#cr-ticker-0 Digits", Digits).value == price
        assert screen.query_one("#cr-discuss").display and not screen.query_one("#cr-scene").display
        body = text_of(app, "#cr-discuss-body")
        assert "Is a buy wall a promise or a bluff?" in body
        assert "1M x $14 = $14M, not $140M." in body
        assert "about $14.68" not in body  # what really happened waits for R
        await pilot.press("r")
        assert "about $14.68" in text_of(app, "#cr-discuss-body")
        await pilot.press("p")
        assert not screen.paused
        await pilot.pause(0.6)
        assert app.session.state.clock_ms > clock
        await pilot.press("space", "escape")  # space pauses too, Esc resumes
        assert not screen.paused


@pilot_test
async def test_a_scene_without_a_question_offers_a_general_one(classroom_app):
    app = classroom_app(scene="wall_breaks")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert "what would you do now, and why?" in text_of(app, "#cr-discuss-body")


@pilot_test
async def test_locked_choices_are_shown_with_their_reason_and_cannot_be_taken(classroom_app):
    app = classroom_app(scene="the_order")
    async with app.run_test(size=SIZE) as pilot:
        row = screen_of(app).query(ChoiceRow).last()
        assert row.has_class("-locked") and "There is no such money." in str(row.render())
        await pilot.press("4")
        assert app.session.state.scene == "the_order"
        await pilot.press("9")
        assert app.session.state.scene == "the_order"


@pilot_test
async def test_clicking_a_choice_takes_it(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(ChoiceRow)
        assert app.session.state.scene == "the_order"


@pilot_test
async def test_undo_steps_back_and_forgets_the_vote_of_the_undone_choice(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("v", "3", "down", "4", "enter")
        await pilot.pause()
        assert app.session.state.scene == "the_order" and len(screen.votes) == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.session.state.scene == "arrival" and screen.votes == []
        assert "Arrival" in text_of(app, "#cr-title")


@pilot_test
async def test_an_event_interrupts_the_scene_visibly(classroom_app):
    app = classroom_app(scene="the_order")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")  # lunch: the queue jumps, FTT falls through $14
        await pilot.pause()
        assert app.session.state.scene == "wall_breaks"
        assert "INTERRUPTED" in text_of(app, "#cr-banner")
        await pilot.press("1")  # back to work: on to the tweet
        assert app.session.state.scene == "the_tweet"


@pilot_test
async def test_three_votes_an_ending_and_the_exported_debrief(classroom_app, tmp_path):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("v", "4", "down", "9", "enter")
        await pilot.press("v", "1", "1", "down", "3", "enter")
        await pilot.press("v", "2", "0", "down", "2", "enter")
        await pilot.pause()
        assert app.session.finished and app.session.state.scene == "end_flight_home"
        assert "THE END" in text_of(app, "#cr-banner")
        assert len(screen.votes) == 3
        await pilot.press("e")
        await pilot.pause()
        markdown, page = screen.exported
        assert markdown.parent == tmp_path / "debriefs"
        text = markdown.read_text(encoding="utf-8")
        assert "class votes: 3" in text and "the same as history: 3 of 3" in text
        assert "| 2 | 8 Nov 11:45 | The order | Help place the order | 1: 11 ✔, 2: 3, 3: 0 (14 votes) |" in text
        assert page.read_text(encoding="utf-8").count("<svg") == 4
        assert "Debrief:" in text_of(app, "#cr-keys")


@pilot_test
async def test_autoplay_follows_history_to_an_ending(classroom_app):
    app = classroom_app(live=True, autoplay=0.05)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        deadline = time.monotonic() + 5
        while not app.session.finished and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert app.session.state.scene == "end_flight_home"
        assert [e.scene for e in app.session.state.log] == ["arrival", "the_order", "the_tweet", "end_flight_home"]
        await pilot.pause(0.1)
        assert not screen.autoplay_active


@pilot_test
async def test_any_key_takes_over_from_autoplay(classroom_app):
    app = classroom_app(autoplay=30)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        assert screen.autoplay_active
        assert "AUTOPLAY" in text_of(app, "#cr-keys")
        await pilot.press("2")  # takes over; the key does nothing else
        assert not screen.autoplay_active
        assert app.session.state.scene == "arrival"
        assert "AUTOPLAY" not in text_of(app, "#cr-keys")
        await pilot.press("2")  # now the presenter is in control
        assert app.session.state.scene == "the_order"


@pilot_test
async def test_the_app_autoplay_setting_is_used_when_the_screen_is_pushed_without_one(lesson_story):
    from textual.app import App

    from collapse_tui.engine import Session

    class Host(App):
        def __init__(self):
            super().__init__()
            self.session = Session.start(lesson_story, 3)
            self.locale = "zh"
            self.autoplay = 0.05

        def on_mount(self):
            self.push_screen(ClassroomScreen(session=self.session, live=False))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 5
        while not app.session.finished and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert app.session.finished
        assert "完" in text_of(app, "#cr-banner")  # the app's language


@pilot_test
async def test_help_lists_the_keys(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        body = text_of(app, "#cr-discuss-body")
        assert "open a class vote" in body and "export the class debrief" in body
        await pilot.press("escape")
        assert not screen_of(app).showing_keys


@pilot_test
async def test_light_and_dark_switch_for_bright_rooms(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.current_theme.dark
        await pilot.press("t")
        assert not app.current_theme.dark
        await pilot.press("t")
        assert app.current_theme.dark


@pilot_test
async def test_narrow_terminals_show_fewer_tickers(classroom_app):
    app = classroom_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [t.symbol for t in screen_of(app).query(ClassroomTicker) if t.display]
        assert shown == ["FTT", "BTC"]


@pilot_test
async def test_the_bundled_story_fits_the_projector_layout():
    from collapse_tui.bundled import bundled_story_path
    from collapse_tui.engine import StoryError, load_story
    from collapse_tui.ui.screens.classroom_app import ClassroomApp

    try:
        story = load_story(bundled_story_path())
    except StoryError:
        pytest.skip("the bundled story does not load right now")
    app = ClassroomApp(story, seed=1, live=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tickers = [t for t in screen_of(app).query(ClassroomTicker)]
        assert len(tickers) == 3
        for ticker in tickers:  # a long place name under the clock must not push a ticker off screen
            assert ticker.display and ticker.region.width >= 16 and ticker.region.right <= SIZE[0]
        await pilot.press("p")
        assert text_of(app, "#cr-discuss-body").strip()


@pilot_test
async def test_a_vote_keeps_counting_after_a_click_elsewhere(classroom_app):
    app = classroom_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("v", "4")
        screen.query_one("#cr-scene").focus()
        await pilot.press("2")
        assert screen.voting and screen.query_one(VoteChart).tally.options[0].votes == 42
        await pilot.press("escape")
        assert not screen.voting and app.session.state.scene == "arrival"
