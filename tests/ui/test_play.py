"""The play screen and the key path through the app, driven with Pilot: new game → choice → undo → save →
load → ending → debrief, with keys, arrows and the mouse; events, timers, language, pausing."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from collapse_tui.engine.saves import autosave_path, list_saves
from collapse_tui.ui.messages import SceneChanged
from collapse_tui.ui.screens.debrief import DebriefScreen
from collapse_tui.ui.screens.play import PlayScreen
from collapse_tui.ui.screens.saves import SavesScreen
from collapse_tui.ui.screens.title import TitleScreen
from collapse_tui.ui.widgets import (
    ChoiceList, Countdown, InterruptionBanner, KeyFooter, OrderBookView, SceneHeader, SceneText, TickerStrip,
)


async def settle(pilot, times: int = 2) -> None:
    for _ in range(times):
        await pilot.pause()


def scene_text(app) -> str:
    text = app.screen.query_one(SceneText)
    return "\n".join(str(p.render()) for p in text.children)


async def test_new_game_choice_undo_save_load_ending_debrief(app_for):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")  # New game
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.state.scene == "arrival"
        assert "You land at ten to ten" in scene_text(app)

        await pilot.press("2")  # believe the tweet
        await settle(pilot)
        assert app.session.state.scene == "desk"

        await pilot.press("u")
        await settle(pilot)
        assert app.session.state.scene == "arrival"

        await pilot.press("down", "enter")  # arrows + Enter: the second choice again
        await settle(pilot)
        assert app.session.state.scene == "desk"

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SavesScreen)
        await pilot.press("enter")  # slot 1
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert [info.slot for info in list_saves("mini")] == [0, 1]

        await pilot.press("1")  # on to the wall
        await settle(pilot)
        assert app.session.state.scene == "wall"

        await pilot.press("l")
        await settle(pilot)
        menu = app.screen.query_one("#slots", OptionList)
        menu.highlighted = menu.get_option_index("slot-1")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.state.scene == "desk"
        assert app.screen.query_one(SceneHeader).info.title == "The order"

        for key in ("1", "1", "1"):  # wall → tweet → the flight home
            await pilot.press(key)
            await settle(pilot)
        assert app.session.finished
        assert "The end: The flight home" in scene_text(app)
        await pilot.press("enter")  # "Read the debrief"
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)


async def test_clicking_a_choice_takes_it(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList)
        await pilot.click(ChoiceList, offset=(6, 2))  # the second option (the border title is row 0)
        await settle(pilot)
        assert app.session.state.scene == "desk"
        assert choices.is_attached


async def test_locked_choice_shows_its_reason_and_is_not_taken(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lines = app.screen.query_one(ChoiceList).lines
        assert [line.available for line in lines] == [True, True, False]
        option = app.screen.query_one(ChoiceList).get_option_at_index(2)
        assert option.disabled and "no reason to doubt" in str(option.prompt)
        await pilot.press("3")
        await settle(pilot)
        assert app.session.state.scene == "arrival"
        assert any("no reason to doubt" in str(n.message) for n in app._notifications)


async def test_event_interrupts_the_scene_visibly(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "2")  # the order, then dump FTT: the price falls through $14
        await settle(pilot)
        assert app.session.state.scene == "wall_breaks"
        banner = app.screen.query_one(InterruptionBanner)
        assert banner.display and "INTERRUPTED" in banner.message and "The wall breaks" in banner.message
        order = list(app.screen.children)
        assert order.index(banner) == order.index(app.screen.query_one(TickerStrip)) + 1  # under the tickers
        await pilot.press("1")  # go back: on to the scene the choice was heading for
        await settle(pilot)
        assert app.session.state.scene == "wall"
        assert not app.screen.query_one(InterruptionBanner).message


async def test_widgets_few_scenes_show_are_mounted_when_a_scene_first_needs_them(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.query(OrderBookView) and not screen.query(InterruptionBanner)
        assert not screen.query(Countdown)
        await pilot.press("2")  # the desk: its sidebar has the order book, above the gauges
        await settle(pilot)
        book = screen.query_one(OrderBookView)
        assert book.display and book.region.height > 0 and "FTT" in book.heading
        assert list(screen.query_one("#sidebar").children).index(book) == 0
        await pilot.press("u")  # back to the arrival, which has no order book: hidden, not removed
        await settle(pilot)
        assert not book.display and screen.query_one(OrderBookView) is book
        await pilot.press("2")
        await settle(pilot)
        assert book.display and len(screen.query(OrderBookView)) == 1


async def test_scene_changed_is_posted_for_every_move(mini_story):
    from collapse_tui.ui.app import CollapseApp

    from tests.ui.conftest import make_app

    seen: list[tuple[str, str]] = []

    class Recording(CollapseApp):
        def on_scene_changed(self, event: SceneChanged) -> None:
            seen.append((event.scene_id, event.via))

    app = make_app(mini_story, skip_title=True, app_class=Recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
    assert seen == [("arrival", "start"), ("desk", "choice"), ("arrival", "undo")]


async def test_autosave_is_written_at_every_scene_and_continue_resumes_it(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
    assert autosave_path("mini").exists()

    again = app_for()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = again.screen.query_one("#menu", OptionList)
        assert not menu.get_option("continue").disabled
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(again.screen, PlayScreen)
        assert again.session.state.scene == "desk"


async def test_a_damaged_save_is_reported_and_left_alone(app_for):
    from collapse_tui.engine.saves import slot_path

    path = slot_path("mini", 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "collapse-tui-save", "version": 1, "story": "mini", "state": {"scene": 3}}')
    before = path.read_bytes()
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = SavesScreen("load")
        await app.push_screen(screen)
        await settle(pilot)
        screen.load(2)
        await settle(pilot)
        assert isinstance(app.screen, SavesScreen)
        assert any("damaged" in str(n.message) for n in app._notifications)
    assert path.read_bytes() == before


async def test_timed_choice_counts_down_then_is_taken(app_for):
    app = app_for(skip_title=True, freeze_market=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        countdown = screen.query_one(Countdown)
        assert countdown.display and "Help place the order" in countdown.label
        clock_before = app.session.state.clock_ms
        screen._countdown_left = 0.3
        await pilot.pause(0.9)
        await settle(pilot)
        assert app.session.state.scene == "wall"  # the timed choice was taken for the player
        assert app.session.state.log[-1].choice == 0
        assert app.session.state.clock_ms > clock_before


async def test_prices_move_while_reading_and_pause_stops_them(app_for):
    app = app_for(skip_title=True, freeze_market=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        start = app.session.state.clock_ms
        await pilot.pause(1.0)
        assert app.session.state.clock_ms > start and screen.ticks >= 2
        await pilot.press("p")
        await settle(pilot)
        assert "paused" in screen.query_one(SceneHeader).info.status
        paused_at = app.session.state.clock_ms
        await pilot.pause(0.5)
        assert app.session.state.clock_ms == paused_at
        await pilot.press("p")
        await pilot.pause(0.5)
        assert app.session.state.clock_ms > paused_at


async def test_market_clock_stops_while_another_screen_is_on_top(app_for):
    app = app_for(skip_title=True, freeze_market=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        stopped_at = app.session.state.clock_ms
        await pilot.pause(0.5)
        assert app.session.state.clock_ms == stopped_at
        await pilot.press("escape")
        await pilot.pause(0.5)
        assert app.session.state.clock_ms > stopped_at


async def test_language_switch_mid_game_re_renders_the_scene(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.locale == "zh"
        assert "买入 1,000,000 枚 FTT" in scene_text(app)
        assert app.screen.query_one(ChoiceList).heading == "你怎么做？"
        assert app.session.state.scene == "desk"  # same game, same scene
        footer_descriptions = {b.description for _, b in app.screen._bindings}
        assert "撤销" in footer_descriptions


async def test_skip_key_shows_every_paragraph(app_for):
    from collapse_tui.ui.config import Settings

    app = app_for(skip_title=True, instant_text=False, settings=Settings(text_speed="slow"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = app.screen.query_one(SceneText)
        assert text.revealing
        assert sum(1 for p in text.children if p.display) < 3
        await pilot.press("space")
        await settle(pilot)
        assert not text.revealing
        assert all(p.display for p in text.children)


async def test_narrow_terminal_collapses_panels_and_v_shows_them(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        sidebar = screen.query_one("#sidebar")
        assert "-narrow" in screen.classes and not sidebar.display
        assert screen.query_one(ChoiceList).region.height >= 3
        assert screen.query_one(TickerStrip).cells_shown == 4
        await pilot.press("v")
        await settle(pilot)
        assert sidebar.display and not screen.query_one(SceneText).display
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "-wide" in screen.classes
        await pilot.press("v")
        await settle(pilot)
        assert sidebar.display and screen.query_one(SceneText).display


async def test_a_resize_to_the_same_size_does_not_lay_the_screen_out_again(app_for, monkeypatch):
    from textual import events
    from textual.geometry import Size
    from textual.screen import Screen

    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        layouts = []
        original = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout", lambda screen, *a, **k: (layouts.append(a), original(screen, *a, **k))[1])
        app.screen.post_message(events.Resize(Size(80, 24), Size(80, 24)))
        await settle(pilot)
        assert layouts == []
        await pilot.resize_terminal(95, 27)  # a new size with the same breakpoints is laid out
        await settle(pilot)
        assert layouts and app.screen.query_one(ChoiceList).region.width == 95
        await pilot.resize_terminal(60, 40)  # and one with others, with its breakpoints
        await settle(pilot)
        assert app.screen.query_one(ChoiceList).region.width == 60
        assert {"-narrow", "-tall"} <= app.screen.classes and "-normal" not in app.screen.classes


async def test_autoplay_follows_the_historical_path_to_the_debrief(app_for):
    app = app_for(autoplay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, DebriefScreen):
                break
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert app.session.state.scene == "end_home"


async def test_a_key_takes_over_from_autoplay_and_does_nothing_else(app_for):
    app = app_for(autoplay=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.autoplay_active
        await pilot.press("h")  # (History, were autoplay not on)
        await settle(pilot)
        assert not screen.autoplay_active
        assert app.screen is screen
        log = len(app.session.state.log)
        await pilot.pause(0.6)
        assert len(app.session.state.log) == log  # (no step since)
        await pilot.press("h")
        await settle(pilot)
        assert app.screen is not screen  # (now a key is a key again)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit(app_for, key):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
    assert app.return_code == 0
    assert not app.is_running


async def test_footer_keys_are_pressed_with_the_mouse_and_scrolled_into_view(app_for):
    from textual import events
    from textual.command import CommandPalette

    app = app_for(skip_title=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        assert footer.render_line(0).text.startswith(" 1-9 Choose  u Undo ") and "Quit" not in footer.render_line(0).text
        await pilot.click(KeyFooter, offset=(14, 0))  # " u Undo "
        await settle(pilot)
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
        for _ in range(8):  # the wheel brings the keys that do not fit into view
            footer.post_message(events.MouseScrollDown(footer, 5, 0, 0, 1, 0, False, False, False))
            await pilot.pause()
        assert "q Quit" in footer.render_line(0).text
        await pilot.click(KeyFooter, offset=(58, 0))  # the palette's key, at the right
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_story_error_in_play_is_a_message_not_a_crash(app_for):
    from collapse_tui.engine.runtime import PlayError

    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def broken(index: int):
            raise PlayError("'doubt += nope': unknown name 'nope'")

        app.session.choose = broken  # type: ignore[method-assign]
        await pilot.press("1")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, PlayScreen)
        assert any("unknown name" in str(n.message) for n in app._notifications)
