"""The Textual app: wiring only. It holds the game (`app.session`), the language (`app.locale`, reactive)
and the settings (`app.settings`, reactive), puts up the screens, autosaves on every `SceneChanged`,
reloads the story under --watch, and `run_app` is what the command line calls."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any, Optional

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.reactive import reactive
from textual.screen import Screen

from collapse_tui.collector import pause_for_start, resume_after_start
from collapse_tui.engine import Session, Story
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.runtime import GameState
from collapse_tui.ui.config import Settings, load_settings, save_settings
from collapse_tui.ui.messages import SceneChanged
from collapse_tui.ui.screens.localised import localise_bindings
from collapse_tui.ui.strings import tr
from collapse_tui.ui.themes import THEMES
from collapse_tui.ui.styles import stylesheet
from collapse_tui.ui.stylesheet_cache import StylesheetCache, cache_path
from collapse_tui.ui.stylesheet_cache import use as use_stylesheet_cache

__all__ = ["AppOptions", "CollapseApp", "SceneChanged", "run_app"]

WATCH_SECONDS = 1.0
COLLECTOR_RESUME_SECONDS = 1.0  # after the app's mount: its first frame is long drawn, the player is reading
HANG_UP_EXIT = 129  # 128 + SIGHUP, as a shell reports a process ended by a hang-up


@frozen
class AppOptions:
    """How the app runs, beyond the game: for tests, benchmarks and demos."""

    freeze_market: bool = False  # no story time passes on its own (stable snapshots)
    instant_text: bool = False  # paragraphs appear at once whatever the setting
    skip_title: bool = False  # start on the play screen
    autosave: bool = True
    persist_settings: bool = True  # write settings.json when the player changes a setting
    animations: bool = True
    stylesheet_cache: bool = True  # keep parsed stylesheets for the next start (see ui/stylesheet_cache.py)

    @classmethod
    def for_tests(cls, **changes: object) -> "AppOptions":
        values = dict(freeze_market=True, instant_text=True, animations=False, stylesheet_cache=False)
        values.update(changes)
        return cls(**values)  # type: ignore[arg-type]


def collapse_commands() -> type[Provider]:
    """The game's commands for the palette, imported when the palette first opens (Textual takes a callable)."""
    from collapse_tui.ui.commands import CollapseCommands

    return CollapseCommands


class CollapseApp(App[int]):
    """Two Days in November, in the terminal."""

    # The game's screens (title, play) add their own sheets when they are made (`add_stylesheet`), so that a start
    # parses the sheet of the screen it shows, and no screen makes Textual parse every sheet again.
    CSS_PATH = stylesheet("app.tcss")
    TITLE = "collapse-tui"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-normal"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    COMMANDS = App.COMMANDS | {collapse_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, system=True),
    ]

    locale: reactive[str] = reactive("en")
    """The language of the story and of the app's own words; switching it re-renders every screen."""
    settings: reactive[Settings] = reactive(Settings)
    """The player's settings (text speed, ticker speed, theme, reduced motion)."""
    _theme_chosen = False  # (set in `__init__`, once the app's theme is chosen)

    def __init__(self, story: Story, *, seed: int = 0, locale: Optional[str] = None, scene: Optional[str] = None,
                 story_path: Optional[Path] = None, watch: bool = False, classroom: bool = False,
                 autoplay: Optional[float] = None, transcript: Optional[Path] = None,
                 settings: Optional[Settings] = None, options: AppOptions = AppOptions()) -> None:
        stylesheet_cache = StylesheetCache(cache_path()) if options.stylesheet_cache else None
        use_stylesheet_cache(stylesheet_cache)  # (before Textual's `__init__`, which reads the app's sheets)
        super().__init__()
        self.options = options
        self.stylesheet_cache = stylesheet_cache
        self.seed = seed
        self.start_scene = scene
        self.story_path = story_path
        self.classroom = classroom
        self.autoplay = autoplay
        self.transcript_path = Path(transcript) if transcript is not None else None
        self.session = Session.start(story, seed, scene)
        """The game being played: one session for the app's lifetime (new games and loads replace its state)."""
        self._played = False  # a scene has been on screen in this run (so the autosave may be replaced)
        self.watcher = None
        if watch and story_path is not None:
            from collapse_tui.engine.watch import StoryWatcher

            self.watcher = StoryWatcher(story_path, self.session)
        for theme in THEMES:
            self.register_theme(theme)
        self.set_reactive(CollapseApp.settings, settings if settings is not None else load_settings())
        self.set_reactive(CollapseApp.locale, locale if locale in story.locales else story.default_locale)
        self._start_with_theme(self.settings.theme)
        if not options.animations:
            self.animation_level = "none"

    # --- start-up ----------------------------------------------------------------------------------

    def _start_with_theme(self, name: str) -> None:
        """Set the theme before the app runs without Textual's theme watcher, which would queue a reparse of
        every stylesheet from scratch for the first frame: the stylesheet takes the theme's variables now,
        and the app its theme classes (as the watcher gives them)."""
        if name not in self.available_themes:
            name = self.theme
        self.set_reactive(App.theme, name)
        self._theme_chosen = True
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.update_classes({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables; none while Textual's `__init__` builds the stylesheet, before the app's theme
        is chosen (the variables of a theme take some 1 ms to make, and those of Textual's default theme
        would be thrown away at once)."""
        return super().get_css_variables() if self._theme_chosen else {}

    def run(self, **options: Any) -> Optional[int]:
        """Run in the terminal (Textual's `App.run`), with the cycle collector paused until the first screen has
        been up for a moment (`collapse_tui.collector`; `collapse-tui play` paused it already, before its
        imports): it would walk all that was just loaded, and free next to nothing, while the screen is built."""
        pause_for_start()
        return super().run(**options)

    def on_mount(self) -> None:
        self.set_timer(COLLECTOR_RESUME_SECONDS, resume_after_start, name="collector")
        self._catch_hang_up()
        localise_bindings(self, self.locale)
        self._apply_motion(self.settings)
        if self.watcher is not None:
            self.set_interval(WATCH_SECONDS, self._poll_story, name="watch")
        if self.classroom and not self._push_classroom():  # (the game's first screen in its stead)
            self.push_screen(self._first_screen())

    def get_default_screen(self) -> Screen:
        """The screen the game starts on (title or play) is the first on the stack, not pushed over a blank one
        once the app is up: it is composed with the app and drawn in its first frame. (The classroom's screen
        goes over a blank one.)"""
        return super().get_default_screen() if self.classroom else self._first_screen()

    def _first_screen(self) -> Screen:
        if self.options.skip_title or self.start_scene is not None or self.autoplay is not None:
            from collapse_tui.ui.screens.play import PlayScreen

            return PlayScreen()
        from collapse_tui.ui.screens.title import TitleScreen

        return TitleScreen()

    def _push_classroom(self) -> bool:
        try:
            from collapse_tui.ui.screens.classroom import ClassroomScreen  # owned by the classroom mode
        except ImportError:
            self.notify(tr(self.locale, "classroom_missing"), severity="warning")
            return False
        try:
            screen = ClassroomScreen(session=self.session, locale=self.locale, autoplay=self.autoplay)
        except TypeError:  # an older classroom screen that takes only the session
            screen = ClassroomScreen(session=self.session)
        self.push_screen(screen)
        return True

    # --- the game ----------------------------------------------------------------------------------

    def new_game(self) -> None:
        """Start again from the story's start (same seed: same prices for the same choices)."""
        self.adopt_state(self.session.engine.new_game(self.seed, None))

    def adopt_state(self, state: GameState) -> None:
        """Play on from `state` (a new game or a loaded save): the undo history starts afresh."""
        self.session.state = state
        self.session.undo_stack.clear()
        self.show_play()

    def show_play(self) -> None:
        """Put the play screen on top, showing the session's current scene."""
        from collapse_tui.ui.screens.play import PlayScreen

        play = self._back_to(PlayScreen)
        if play is None:
            self.push_screen(PlayScreen())
        else:
            state = self.session.state
            play.post_message(SceneChanged(state.scene, "load" if state.log else "start"))  # (a new game starts)

    def show_title(self) -> None:
        from collapse_tui.ui.screens.title import TitleScreen

        if self._back_to(TitleScreen) is None:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(TitleScreen())

    def _back_to(self, kind: type[Screen]) -> Optional[Screen]:
        """Close the screens over the one of `kind` in the stack, if there is one (the game's screens, title
        and play, are each on the stack at most once: the one asked for comes back or goes on top)."""
        found = next((screen for screen in self.screen_stack if isinstance(screen, kind)), None)
        while found is not None and self.screen is not found:
            self.pop_screen()
        return found

    @on(SceneChanged)
    def _autosave(self, event: SceneChanged) -> None:
        self._played = True
        self.autosave()

    def autosave(self, *, quiet: bool = False) -> bool:
        """Save the game in the autosave slot (unless autosaves are off); False when it could not be written."""
        if not self.options.autosave:
            return False
        from collapse_tui.engine.saves import SaveError, autosave_path, save_game

        try:
            save_game(autosave_path(self.session.story.meta.id), self.session)
        except (SaveError, OSError) as error:
            if not quiet:
                self.notify(tr(self.locale, "autosave_failed", error=error), severity="warning")
            return False
        return True

    # --- the terminal going away -------------------------------------------------------------------

    def _catch_hang_up(self) -> None:
        """Closing the terminal sends SIGHUP, whose default is to kill the process on the spot: the game is
        autosaved and the app ends as if the player had quit. (Not in headless runs: tests own their signals.)"""
        hang_up = getattr(signal, "SIGHUP", None)
        if hang_up is None or self.is_headless:
            return
        try:
            asyncio.get_running_loop().add_signal_handler(hang_up, self._hung_up)
        except (RuntimeError, ValueError, NotImplementedError):  # not the main thread, or no such support
            return
        self._hang_up_signal = hang_up

    def _hung_up(self) -> None:
        if self._played:  # on the title screen, before any play, the autosave on disk is the one to keep
            self.autosave(quiet=True)
        self.exit(return_code=HANG_UP_EXIT)

    def on_unmount(self) -> None:
        if self.stylesheet_cache is not None:
            self.stylesheet_cache.save()
        hang_up = getattr(self, "_hang_up_signal", None)
        if hang_up is not None:
            try:
                asyncio.get_running_loop().remove_signal_handler(hang_up)
            except (RuntimeError, ValueError):
                pass

    def _poll_story(self) -> None:
        """--watch: reload the story when its files change; a broken edit is shown, never raised."""
        assert self.watcher is not None
        try:
            lines = self.watcher.poll()
        except Exception as error:  # a reload must never take the game down
            lines = [f"(could not reload the story: {error})"]
        if not lines:
            return
        reloaded = lines == ["(story reloaded)"]
        self.notify("\n".join(lines[:12]) + ("\n…" if len(lines) > 12 else ""),
                    title="--watch", severity="information" if reloaded else "error", timeout=8 if reloaded else 20)
        if reloaded:
            from collapse_tui.ui.screens.play import PlayScreen

            for screen in self.screen_stack:
                if isinstance(screen, PlayScreen):
                    screen.post_message(SceneChanged(self.session.state.scene, "reload"))

    # --- language and settings ---------------------------------------------------------------------

    def watch_locale(self, locale: str) -> None:
        localise_bindings(self, locale)

    def action_next_language(self) -> None:
        locales = self.session.story.locales
        self.locale = locales[(locales.index(self.locale) + 1) % len(locales)] if self.locale in locales else locales[0]

    def action_set_language(self, locale: str) -> None:
        if locale in self.session.story.locales:
            self.locale = locale

    def update_settings(self, **changes: object) -> None:
        """Change settings, apply them at once, and keep them for next time."""
        self.settings = self.settings.with_changes(**changes)

    def watch_settings(self, settings: Settings) -> None:
        if self.theme != settings.theme:
            self.theme = settings.theme
        self._apply_motion(settings)
        if self.options.persist_settings and self.is_running:
            try:
                save_settings(settings)
            except OSError as error:
                self.notify(str(error), severity="warning")

    def _apply_motion(self, settings: Settings) -> None:
        if not self.options.animations or settings.reduced_motion:
            self.animation_level = "none"
        else:
            self.animation_level = os.environ.get("TEXTUAL_ANIMATIONS", "full")  # type: ignore[assignment]

    def action_settings(self) -> None:
        from collapse_tui.ui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from collapse_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())


def run_app(story: Story, *, story_path: Optional[Path] = None, watch: bool = False, classroom: bool = False,
            autoplay: Optional[float] = None, locale: Optional[str] = None, seed: int = 0,
            scene: Optional[str] = None, transcript: Optional[Path] = None) -> int:
    """Play `story` in the terminal; returns the exit code. The terminal is restored however the app ends."""
    app = CollapseApp(story, seed=seed, locale=locale, scene=scene, story_path=story_path, watch=watch,
                      classroom=classroom, autoplay=autoplay, transcript=transcript)
    try:
        app.run()
    finally:
        if transcript is not None:
            from collapse_tui.transcript import write_transcript

            try:
                write_transcript(Path(transcript), app.session.engine, app.session.state, app.locale)
            except OSError as error:
                print(f"collapse-tui: could not write the transcript: {error}")
    return app.return_code or 0
