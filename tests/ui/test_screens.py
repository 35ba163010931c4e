"""The other screens, driven with Pilot: title, history, glossary, help, settings, the command palette,
the debrief and its export, --watch reloads, and the classroom fallback."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from textual.widgets import Input, Markdown, OptionList, Select, Static, Switch

from collapse_tui.ui.screens.debrief import DebriefScreen
from collapse_tui.ui.screens.export import ExportScreen
from collapse_tui.ui.screens.glossary import GlossaryScreen
from collapse_tui.ui.screens.help import HelpScreen
from collapse_tui.ui.screens.history import HistoryScreen
from collapse_tui.ui.screens.play import PlayScreen
from collapse_tui.ui.screens.settings import SettingsScreen
from collapse_tui.ui.screens.title import TitleScreen
from collapse_tui.ui.widgets import PriceChart, SceneText
from tests.ui.conftest import MINI, make_app


async def settle(pilot, times: int = 2) -> None:
    for _ in range(times):
        await pilot.pause()


async def play_to_the_end(pilot) -> None:
    for key in ("2", "1", "1", "1"):
        await pilot.press(key)
        await settle(pilot)


async def open_the_debrief(pilot) -> None:
    """From a fresh game: play to the ending, then open its debrief."""
    await settle(pilot)
    await play_to_the_end(pilot)
    await pilot.press("d")
    await settle(pilot)


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


# --- title ------------------------------------------------------------------------------------------


async def test_title_shows_both_titles_the_seed_and_the_menu(app_for):
    app = app_for(seed=4242)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        titles = static_text(screen, "#titles")
        assert "Two Days in November" in titles and "十一月的两天" in titles
        assert "Seed 4242" in static_text(screen, "#seed")
        ids = [option.id for option in screen.query_one("#menu", OptionList).options]
        assert ids == ["new", "continue", "load", "language", "settings", "quit"]
        assert screen.query_one("#menu", OptionList).get_option("continue").disabled  # no autosave yet


async def test_title_language_item_switches_the_language(app_for):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.locale == "zh"
        assert "新游戏" in str(app.screen.query_one("#menu", OptionList).get_option("new").prompt)
        await pilot.press("enter")  # 新游戏
        await settle(pilot)
        assert "晚上九点五十" in "".join(str(p.render()) for p in app.screen.query_one(SceneText).children)


async def test_title_quit_item_quits(app_for):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        menu.highlighted = menu.get_option_index("quit")
        await pilot.press("enter")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


# --- history, glossary, help ----------------------------------------------------------------------


async def test_history_lists_every_scene_and_choice_so_far(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "2")  # the order, then dump: the event interrupts
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        entries = [str(entry.render()) for entry in app.screen.query(".history-entry")]
        assert len(entries) == 3
        assert "You chose: Believe Caroline's tweet" in entries[0]
        assert "You chose: Dump your own FTT first" in entries[1]
        assert "interrupted" in entries[2] and "now" in entries[2]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)


async def test_glossary_opens_from_the_scene_and_filters(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        terms = screen.query_one("#terms", OptionList)
        assert terms.get_option_at_index(0).id == "ftt"  # used in this scene: listed first
        assert "collateral for loans" in static_text(screen, "#definition")
        screen.query_one("#filter", Input).value = "liquid"
        await settle(pilot)
        assert [option.id for option in terms.options] == ["liquidation"]
        assert "pledged collateral" in static_text(screen, "#definition")


async def test_glossary_term_in_the_text_is_clickable(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        paragraph = list(app.screen.query_one(SceneText).children)[1]  # "Binance says it will sell its FTT. …"
        await pilot.click(paragraph, offset=(31, 0))
        await settle(pilot)
        assert isinstance(app.screen, GlossaryScreen)
        assert app.screen.query_one("#terms", OptionList).highlighted_option.id == "ftt"
        await pilot.press("escape")
        await settle(pilot)
        await app.screen.run_action("glossary('collateral')")
        await settle(pilot)
        assert app.screen.query_one("#terms", OptionList).highlighted_option.id == "collateral"


async def test_help_lists_the_keys_in_the_players_language(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        for words in ("`1-9` | Choose", "`u / Ctrl+Z` | Undo", "`h` | History", "`g` | Glossary", "`p` | Pause prices",
                      "`q / Ctrl+C` | Quit", "Seed 1"):
            assert words in source
        await pilot.press("escape")
        await settle(pilot)
        await app.run_action("set_language('zh')")
        await pilot.press("question_mark")
        await settle(pilot)
        assert "| 撤销 |" in app.screen.query_one(Markdown).source


# --- settings -------------------------------------------------------------------------------------


async def test_settings_change_theme_speed_and_motion_at_once(app_for):
    app = app_for(skip_title=True, persist_settings=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#select-theme", Select).value = "collapse-contrast"
        screen.query_one("#select-ticker_speed", Select).value = 0.0
        screen.query_one("#select-text_speed", Select).value = "instant"
        screen.query_one("#switch-reduced_motion", Switch).value = True
        await settle(pilot)
        assert app.theme == "collapse-contrast"
        assert app.settings.ticker_speed == 0.0 and app.settings.text_speed == "instant"
        assert app.settings.reduced_motion and app.animation_level == "none"
        screen.query_one("#select-language", Select).value = "zh"
        await settle(pilot)
        assert app.locale == "zh"
        await pilot.press("escape")
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert "暂停" in play.query_one("#header").info.status  # ticker speed 0: paused
    from collapse_tui.ui.config import load_settings

    assert load_settings().theme == "collapse-contrast"  # kept for next time


async def test_light_and_high_contrast_themes_are_registered(app_for):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert {"collapse-dark", "collapse-light", "collapse-contrast"} <= set(app.available_themes)
        app.update_settings(theme="collapse-light")
        await settle(pilot)
        assert app.theme == "collapse-light" and not app.current_theme.dark


@pytest.mark.parametrize("theme", ["collapse-light", "collapse-contrast"])
async def test_the_saved_theme_is_there_from_the_first_frame_without_a_css_reparse(mini_story, theme, monkeypatch):
    from textual.css.stylesheet import Stylesheet

    from collapse_tui.ui.config import Settings

    switched = make_app(mini_story, skip_title=True)  # the theme set the usual way, while the app runs
    async with switched.run_test(size=(80, 24)) as pilot:
        switched.theme = theme
        await settle(pilot)
        expected_variables, expected_classes = dict(switched.stylesheet._variables), set(switched.classes)
    reparses = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda sheet: (reparses.append(sheet), original(sheet))[1])
    started = make_app(mini_story, skip_title=True, settings=Settings(theme=theme))
    async with started.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert started.theme == theme
        assert dict(started.stylesheet._variables) == expected_variables
        assert {name for name in started.classes if name.startswith("-")} == {
            name for name in expected_classes if name.startswith("-")}
        assert reparses == []  # (each one parses every stylesheet again from scratch)


async def test_each_game_screen_brings_its_sheet_when_made_and_nothing_is_parsed_again(app_for, monkeypatch):
    from textual.css.stylesheet import Stylesheet

    from collapse_tui.ui.screens.play import PlayScreen
    from collapse_tui.ui.styles import stylesheet

    reparses = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda sheet: (reparses.append(sheet), original(sheet))[1])

    def sheets(app) -> set[str]:
        return {Path(path).name for path, _ in app.stylesheet.source if path.startswith(str(stylesheet("")))}

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert sheets(app) == {"app.tcss", "title.tcss"}  # a start parses the sheet of the screen it shows
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and sheets(app) == {"app.tcss", "title.tcss", "play.tcss"}
        assert app.screen.query_one("#sidebar").outer_size.width == 32  # styled by play.tcss from its mount
        assert reparses == []


def test_a_screen_sheet_added_when_made_is_watched_in_dev_mode(mini_story):
    from textual.file_monitor import FileMonitor

    from collapse_tui.ui.styles import add_stylesheet, stylesheet

    app = make_app(mini_story)
    app.css_monitor = FileMonitor(list(app.css_path), lambda: None)  # (as `textual run --dev` has it)
    add_stylesheet(app, "play.tcss")
    assert stylesheet("play.tcss") in app.css_monitor._paths and app.stylesheet.has_source(str(stylesheet("play.tcss")))


def test_no_color_is_respected(mini_story, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(mini_story)
    assert app.no_color
    assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)


# --- command palette ------------------------------------------------------------------------------


async def test_every_key_is_also_a_command(app_for):
    from collapse_tui.ui.commands import CollapseCommands

    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        provider = CollapseCommands(app.screen)
        titles = {command.title for command in provider.commands()}
        for title in ("Undo", "History", "Glossary", "Save", "Load", "Help", "Pause prices", "Panels", "Settings",
                      "Language", "Quit", "New game", "Language: switch to 中文", "Theme: High contrast"):
            assert title in titles, title


async def test_palette_runs_undo(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"undo")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await settle(pilot, 3)
        assert app.session.state.scene == "arrival"


# --- debrief --------------------------------------------------------------------------------------


async def test_debrief_sets_choices_beside_history_and_charts_the_run(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_the_debrief(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        assert "The flight home" in static_text(screen, "#ending") and "historical" in static_text(screen, "#ending")
        assert "FTX filed for bankruptcy" in static_text(screen, "#ending")
        timeline = static_text(screen, "#timeline")
        assert timeline.index("Arrival") < timeline.index("The order") < timeline.index("The flight home")
        assert "[history]" in timeline and "[fiction]" in timeline and "[history + fiction]" in timeline
        rows = screen.query(".comparison-row")
        assert len(rows) == 4
        first = [str(part.render()) for part in rows.first().query(Static)]
        assert "You chose: Believe Caroline's tweet" in first[0] and "the path history took" in first[0]
        assert "Caroline Ellison tweeted" in first[1] and "Twitter, 6 Nov 2022" in first[1]
        assert "Who is a buy wall for?" in static_text(screen, "#discuss")
        chart = screen.query_one(PriceChart)
        assert chart.data.symbols == ("FTT", "BTC", "ETH", "SOL", "SRM") and len(chart.data.prices) > 10
        chart.focus()
        await pilot.press("right")
        assert chart.symbol_index == 1


async def test_debrief_exports_the_transcript(app_for, tmp_path):
    target = tmp_path / "out" / "run.md"
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_the_debrief(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Two Days in November") and "## Ending: The flight home" in text


async def test_debrief_new_game_starts_again(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_the_debrief(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.state.scene == "arrival" and not app.session.undo_stack


async def test_debrief_to_title_then_a_new_game(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_the_debrief(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert not app.screen.query_one("#menu", OptionList).get_option("continue").disabled  # the autosave
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.session.state.scene == "arrival"
        assert app.screen_stack == [app.screen]  # the title closed, the play screen taken up again


async def test_resizing_with_dialogs_open_keeps_everything_usable(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, size in (("o", (60, 20)), ("escape", (80, 24)), ("g", (60, 20)), ("escape", (120, 40)),
                          ("h", (61, 21)), ("escape", (80, 24))):
            await pilot.press(key)
            await pilot.resize_terminal(*size)
            await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("2")
        await settle(pilot)
        assert app.session.state.scene == "desk"


# --- --watch and --classroom ----------------------------------------------------------------------


async def test_watch_reports_a_broken_edit_and_plays_on(mini_story, tmp_path):
    folder = tmp_path / "story"
    shutil.copytree(MINI, folder)
    app = make_app(mini_story, skip_title=True, story_path=folder, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story_file = folder / "story.yaml"
        story_file.write_text(story_file.read_text(encoding="utf-8").replace("goto: desk", "goto: dessk", 1),
                              encoding="utf-8")
        app._poll_story()
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("dessk" in m and "error" in m for m in messages)
        assert app.is_running and app.session.state.scene == "arrival"
        await pilot.press("2")
        await settle(pilot)
        assert app.session.state.scene == "desk"  # the last good version plays on


async def test_watch_reload_when_the_scene_on_screen_is_removed(mini_story, tmp_path):
    folder = tmp_path / "story"
    shutil.copytree(MINI, folder)
    app = make_app(mini_story, skip_title=True, story_path=folder, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story_file = folder / "story.yaml"
        text = story_file.read_text(encoding="utf-8")
        text = text.replace("Hong Kong airport", "Chek Lap Kok airport")
        story_file.write_text(text, encoding="utf-8")
        app._poll_story()
        await settle(pilot)
        assert "Chek Lap Kok" in app.screen.query_one("#header").info.place  # reloaded and re-rendered
        start = text.index("  - id: arrival")
        end = text.index("  - id: desk")
        story_file.write_text(text[:start] + text[end:].replace("start: arrival", "start: desk"), encoding="utf-8")
        app._poll_story()
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("arrival" in m for m in messages[1:])
        assert app.is_running and app.session.state.scene == "arrival"


async def test_classroom_without_its_screen_shows_a_notice_and_plays(mini_story, monkeypatch):
    monkeypatch.setitem(sys.modules, "collapse_tui.ui.screens.classroom", None)  # as if it were not there
    app = make_app(mini_story, classroom=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert any("Classroom mode is not available" in str(n.message) for n in app._notifications)


async def test_classroom_pushes_the_classroom_screen_when_there_is_one(mini_story):
    import pytest

    classroom = pytest.importorskip("collapse_tui.ui.screens.classroom")
    app = make_app(mini_story, classroom=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, classroom.ClassroomScreen)


def test_run_app_returns_an_exit_code_and_writes_the_transcript(mini_story, tmp_path, monkeypatch):
    from collapse_tui.ui import app as app_module

    def fake_run(self, *args, **kwargs):
        self.session.choose(1)
        return None

    monkeypatch.setattr(app_module.CollapseApp, "run", fake_run)
    target = tmp_path / "t.md"
    code = app_module.run_app(mini_story, seed=3, locale="en", transcript=target)
    assert code == 0
    assert "> **You chose:** Believe Caroline's tweet" in target.read_text(encoding="utf-8")
