"""The title screen: the story's title in every language it has, what it is about, the seed, and the menu:
New game, Continue (the latest autosave), Load, Language, Settings, Quit."""

from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from collapse_tui.engine.runtime import GameState
from collapse_tui.markup import markup_text
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.strings import language_name
from collapse_tui.ui.styles import add_stylesheet
from collapse_tui.ui.textual_fixes import SteadyResize
from collapse_tui.ui.widgets.key_footer import KeyFooter


class TitleScreen(LocaleAware, SteadyResize, Screen):
    """Where the app starts."""

    BINDINGS = [
        Binding("n", "menu('new')", "New game", id="new_game"),
        Binding("c", "menu('continue')", "Continue", show=False),
        Binding("t", "menu('language')", "Language", id="language"),
        Binding("o", "app.settings", "Settings", id="settings"),
        Binding("question_mark,f1", "app.help", "Help", key_display="?", id="help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        add_stylesheet(self.app, "title.tcss")

    def compose(self) -> ComposeResult:
        with Center(id="title-box"):
            with Vertical(id="title-card"):
                yield Static(id="titles")
                yield Static(id="subtitle")
                yield OptionList(id="menu")
                yield Static(id="seed")
                yield Static(id="disclaimer")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._render_words()
        self.query_one("#menu", OptionList).focus()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    def _autosave(self) -> Optional[GameState]:
        from collapse_tui.engine.saves import SaveError, autosave_path, load_game

        story = self.game.session.story
        path = autosave_path(story.meta.id)
        if not path.exists():
            return None
        try:
            return load_game(path, story)
        except SaveError:
            return None

    def _render_words(self) -> None:
        story = self.game.session.story
        meta = story.meta
        titles = Text()
        own = story.text(meta.title, self.locale)
        titles.append(own, "bold")
        for locale in story.locales:
            other = story.text(meta.title, locale)
            if other != own:
                titles.append("\n" + other)
        self.query_one("#titles", Static).update(titles)
        self.query_one("#subtitle", Static).update(markup_text(story.text(meta.subtitle, self.locale)))
        self.query_one("#disclaimer", Static).update(markup_text(story.text(meta.disclaimer, self.locale)))
        self.query_one("#seed", Static).update(Text(f"{self.tr('seed', seed=self.game.seed)}  ·  {self.tr('title_hint')}"))
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        has_autosave = self._autosave_exists()
        languages = " / ".join(language_name(other) for other in story.locales)
        menu.set_options([
            Option(Text(self.tr("new_game")), id="new"),
            Option(Text(self.tr("continue") if has_autosave else self.tr("continue_none")), id="continue",
                   disabled=not has_autosave),
            Option(Text(self.tr("load")), id="load"),
            Option(Text(self.tr("language", language=language_name(self.locale)) + f"  ({languages})"), id="language"),
            Option(Text(self.tr("settings")), id="settings"),
            Option(Text(self.tr("quit")), id="quit"),
        ])
        menu.highlighted = highlighted if highlighted is not None else 0

    def _autosave_exists(self) -> bool:
        from collapse_tui.engine.saves import autosave_path

        return autosave_path(self.game.session.story.meta.id).exists()

    @on(OptionList.OptionSelected, "#menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_menu(event.option.id or "")

    def action_menu(self, item: str) -> None:
        if item == "new":
            self.game.new_game()
        elif item == "continue":
            state = self._autosave()
            if state is None:
                self._continue_failed()
            else:
                self.game.adopt_state(state)
        elif item == "load":
            from collapse_tui.ui.screens.saves import SavesScreen

            self.app.push_screen(SavesScreen("load"), self._loaded)
        elif item == "language":
            self.game.action_next_language()
        elif item == "settings":
            self.game.action_settings()
        elif item == "quit":
            self.app.exit()

    def _continue_failed(self) -> None:
        from collapse_tui.engine.saves import SaveError, autosave_path, load_game

        try:
            load_game(autosave_path(self.game.session.story.meta.id), self.game.session.story)
        except SaveError as error:
            self.notify(str(error), severity="error", timeout=10)

    def _loaded(self, state: Optional[GameState]) -> None:
        if state is not None:
            self.game.adopt_state(state)
