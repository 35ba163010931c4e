"""The rules of play, on a fixture story that uses every feature."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from collapse_tui.engine import Engine, PlayError, Session, load_story
from collapse_tui.engine.model import MarketDirective

FEATURES = Path(__file__).parent / "fixtures" / "good" / "features.yaml"


@pytest.fixture(scope="module")
def story():
    return load_story(FEATURES)


def numbers(session):
    return [(view.index, view.available) for view in session.choices()]


def test_a_new_game_starts_at_the_start_scene_with_initial_values(story):
    session = Session.start(story, seed=1)
    assert session.state.scene == "office"
    assert session.state.variables["cash"] == 100
    assert session.state.visits == {"office": 1}
    assert session.engine.story_time(session.state.clock_ms).strftime("%H:%M") == "11:00"


def test_hidden_choices_are_left_out_and_locked_ones_show_their_reason(story):
    session = Session.start(story, seed=1)
    assert numbers(session) == [(0, True), (1, True), (2, True), (4, True)]
    session.choose(0)  # pay the lenders: cash 100 -> 20
    views = {view.index: view for view in session.choices()}
    assert views[2].available is False
    assert views[2].locked_reason["en"] == "Not enough cash."
    assert 0 not in views  # once-only and taken


def test_a_locked_choice_cannot_be_taken(story):
    session = Session.start(story, seed=1)
    session.choose(0)
    with pytest.raises(PlayError):
        session.choose(2)


def test_a_condition_can_reveal_a_hidden_choice(story):
    session = Session.start(story, seed=1)
    session.choose(1)
    assert (3, True) in numbers(session)


def test_effects_are_clamped_to_the_variable_range(story):
    session = Session.start(story, seed=1)
    session.choose(2)  # cash -= 500
    assert session.state.variables["cash"] == 0


def test_undo_steps_back_one_choice(story):
    session = Session.start(story, seed=1)
    before = session.state
    session.choose(0)
    assert session.undo() is True
    assert session.state == before
    assert session.undo() is False


def test_a_variable_change_moves_the_tickers_that_react_to_it(story):
    engine = Engine(story)
    state = engine.new_game(seed=3)
    paid = engine.choose(state, 0)  # patience +30 -> FTT +30%
    warned = engine.choose(state, 1)  # no patience change
    assert engine.prices(paid)["FTT"] == pytest.approx(engine.prices(warned)["FTT"] * 1.3)


def test_an_event_interrupts_and_return_goes_back(story):
    session = Session.start(story, seed=1)
    session.choose(1)  # back to the office, FTT about 15
    state = session.engine.choose(session.state, 4)  # a -50% shock on the way to the night scene
    assert state.scene == "alarm"
    assert state.log[-1].via == "event" and state.log[-1].event == "wall_breaks"
    assert state.variables["patience"] == 10
    assert state.return_to == (("night", True),)
    back = session.engine.choose(state, 0)
    assert back.scene == "night" and back.return_to == ()
    assert back.visits["night"] == 1


def test_returning_to_an_interrupted_scene_does_not_enter_it_again(story):
    engine = Engine(story)
    state = engine.new_game(seed=1)
    shocked = replace(state, market=engine.market.apply(state.market, {"FTT": MarketDirective(shock=-0.5)}))
    interrupted = engine.advance(shocked, 1000)
    assert interrupted.scene == "alarm" and interrupted.return_to == (("office", False),)
    back = engine.choose(interrupted, 0)
    assert back.scene == "office" and back.visits["office"] == 1 and back.log[-1].via == "return"


def test_an_event_fires_once(story):
    engine = Engine(story)
    state = engine.choose(engine.new_game(seed=1), 4)
    state = engine.choose(state, 0)
    assert "wall_breaks" in state.fired
    later = engine.advance(state, 3_600_000)
    assert later.scene == "night"


def test_time_passes_on_a_scene_and_events_watch_it(story):
    engine = Engine(story)
    state = engine.new_game(seed=11)
    assert engine.advance(state, 0) is state
    later = engine.advance(state, 600_000)
    assert later.clock_ms == state.clock_ms + 600_000
    assert later.market != state.market


def test_entering_a_scene_never_moves_the_clock_back(story):
    engine = Engine(story)
    state = engine.new_game(seed=1)
    state = engine.advance(state, 20 * 3_600_000)  # read for 20 story hours
    night = engine.choose(state, 4)
    assert night.clock_ms == state.clock_ms


def test_same_seed_and_choices_give_the_same_game(story):
    def play(seed):
        session = Session.start(story, seed=seed)
        session.choose(1)
        session.wait(2.5)
        session.choose(4)
        return session.state

    assert play(5) == play(5)
    assert play(5).market != play(6).market


def test_starting_at_a_named_scene(story):
    session = Session.start(story, seed=1, scene="night")
    assert session.state.scene == "night"
    with pytest.raises(PlayError):
        Session.start(story, seed=1, scene="nowhere")


def test_an_ending_is_finished_and_time_stops(story):
    session = Session.start(story, seed=1)
    session.choose(2)
    session.choose(0)
    assert session.finished
    assert session.wait(10) == session.state
