"""The settings: language, text speed, ticker speed (or paused), theme and reduced motion. Each change is
applied at once (the scene behind re-renders) and kept for the next time."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, Switch

from collapse_tui.ui.config import TEXT_SPEEDS, THEMES, TICKER_SPEEDS
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.strings import language_name
from collapse_tui.ui.styles import stylesheet


class SettingsScreen(LocaleAware, ModalScreen[None]):
    """Change how the game looks and moves."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [Binding("escape", "app.pop_screen", "Close", id="close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self._filling = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(id="dialog-title", classes="dialog-title")
            for name, (options, value) in self._choices().items():
                with Horizontal(classes="setting"):
                    yield Label(id=f"label-{name}", classes="setting-label")
                    yield Select(options, value=value, id=f"select-{name}", allow_blank=False, compact=True)
            with Horizontal(classes="setting"):
                yield Label(id="label-reduced_motion", classes="setting-label")
                yield Switch(id="switch-reduced_motion")
            with Horizontal(classes="dialog-buttons"):
                yield Button(id="close", variant="primary")

    def on_mount(self) -> None:
        self._render_words()
        self.query_one("#select-language", Select).focus()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    def _render_words(self) -> None:
        self._filling = True
        try:
            settings = self.game.settings
            self.query_one("#dialog-title", Static).update(self.tr("settings_title"))
            self.query_one("#label-language", Label).update(self.tr("language_label"))
            self.query_one("#label-text_speed", Label).update(self.tr("text_speed"))
            self.query_one("#label-ticker_speed", Label).update(self.tr("ticker_speed"))
            self.query_one("#label-theme", Label).update(self.tr("theme"))
            self.query_one("#label-reduced_motion", Label).update(self.tr("reduced_motion"))
            self.query_one("#close", Button).label = self.tr("close")
            for name, (options, value) in self._choices().items():
                self._options(name, options, value)
            self.query_one("#switch-reduced_motion", Switch).value = settings.reduced_motion
        finally:
            self.call_after_refresh(self._done_filling)

    def _choices(self) -> dict[str, tuple[list[tuple[str, object]], object]]:
        """Each setting's options, in the player's language, and its current value."""
        settings = self.game.settings
        return {
            "language": ([(language_name(l), l) for l in self.game.session.story.locales], self.locale),
            "text_speed": ([(self.tr(f"speed_{s}"), s) for s in TEXT_SPEEDS], settings.text_speed),
            "ticker_speed": ([(self.tr("ticker_paused") if s == 0 else f"×{s:g}", s) for s in TICKER_SPEEDS],
                             settings.ticker_speed),
            "theme": ([(self.tr(f"theme_{t}"), t) for t in THEMES], settings.theme),
        }

    def _done_filling(self) -> None:
        self._filling = False

    def _options(self, name: str, options: list[tuple[str, object]], value: object) -> None:
        select = self.query_one(f"#select-{name}", Select)
        select.set_options(options)
        select.value = value

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if self._filling or event.value is Select.BLANK:
            return
        name = (event.select.id or "").removeprefix("select-")
        if name == "language":
            self.game.action_set_language(str(event.value))
        elif name in ("text_speed", "ticker_speed", "theme") and getattr(self.game.settings, name) != event.value:
            self.game.update_settings(**{name: event.value})

    @on(Switch.Changed, "#switch-reduced_motion")
    def _switch_changed(self, event: Switch.Changed) -> None:
        if not self._filling and self.game.settings.reduced_motion != event.value:
            self.game.update_settings(reduced_motion=event.value)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.app.pop_screen()
