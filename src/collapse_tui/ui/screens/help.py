"""The help screen: what is on the play screen and every key, in the player's language (the key list is
made from the bindings themselves, so it cannot drift from them)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.strings import EN, tr
from collapse_tui.ui.styles import stylesheet

KEY_NAMES = {"question_mark": "?", "pageup": "PgUp", "pagedown": "PgDn", "space": "Space", "escape": "Esc",
             "ctrl+z": "Ctrl+Z", "ctrl+c": "Ctrl+C", "ctrl+p": "Ctrl+P", "f1": "F1"}


def key_lines(locale: str) -> list[tuple[str, str]]:
    """(keys, what they do) for the play screen and the app, in `locale`."""
    from collapse_tui.ui.app import CollapseApp
    from collapse_tui.ui.screens.play import PlayScreen

    rows: dict[str, list[str]] = {}
    order: list[str] = []
    for binding in Binding.make_bindings([*PlayScreen.BINDINGS, *CollapseApp.BINDINGS]):
        description_key = f"key_{binding.id}" if binding.id else ""
        if binding.action.startswith("choose"):
            description_key = "key_choose"
        if binding.action == "quit":
            description_key = "key_quit"
        if binding.action.startswith("scroll_text"):
            description_key = "key_scroll"
        if description_key not in EN:
            continue
        if description_key not in rows:
            rows[description_key] = []
            order.append(description_key)
        key = KEY_NAMES.get(binding.key, binding.key)
        if description_key == "key_choose":
            key = "1-9"
        if key not in rows[description_key]:
            rows[description_key].append(key)
    lines = [(" / ".join(rows[k]), tr(locale, k)) for k in order]
    lines.append(("↑ ↓ Enter", tr(locale, "key_choose")))
    lines.append(("Ctrl+P", tr(locale, "ctrl_p")))
    return lines


class HelpScreen(LocaleAware, ModalScreen[None]):
    """What the screen shows and which keys do what."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [Binding("escape,question_mark,f1", "app.pop_screen", "Close", id="close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog -wide -tall"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Markdown(id="help-text")
            yield Static(id="dialog-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self._render_words()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    def _render_words(self) -> None:
        self.query_one("#dialog-title", Static).update(self.tr("help_title"))
        rows = "\n".join(f"| `{keys}` | {what} |" for keys, what in key_lines(self.locale))
        text = (f"{self.tr('help_intro')}\n\n## {self.tr('help_keys')}\n\n| | |\n|---|---|\n{rows}\n\n"
                f"{self.tr('help_about', seed=self.game.seed)}\n")
        self.query_one("#help-text", Markdown).update(text)
        self.query_one("#dialog-hint", Static).update("Esc: " + self.tr("close"))
