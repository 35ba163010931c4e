"""Save and load: a modal list of slots (and, for loading, the autosave) with the scene, the number of
choices and when each was saved. Saving writes the slot at once; loading returns the loaded game, or
reports why a save cannot be read (and leaves the file alone)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Optional

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from collapse_tui.engine.runtime import GameState
from collapse_tui.markup import markup_text
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.styles import stylesheet

SLOTS = 6


def when(saved_at: str) -> str:
    """A save's time, in the local time zone, short."""
    try:
        return datetime.fromisoformat(saved_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return saved_at


class SavesScreen(LocaleAware, ModalScreen[Optional[GameState]]):
    """Pick a slot to save into, or a save to load."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [Binding("escape", "dismiss_none", "Close", id="close")]

    def __init__(self, mode: Literal["save", "load"]) -> None:
        super().__init__(classes="dialog-screen")
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield OptionList(id="slots")
            yield Static(id="dialog-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self._render_words()
        self.query_one("#slots", OptionList).focus()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    def _render_words(self) -> None:
        from collapse_tui.engine.saves import list_saves

        story = self.game.session.story
        self.query_one("#dialog-title", Static).update(self.tr("save_title" if self.mode == "save" else "load_title"))
        self.query_one("#dialog-hint", Static).update("Esc: " + self.tr("close"))
        saves = {info.slot: info for info in list_saves(story.meta.id)}
        slots = range(1, SLOTS + 1) if self.mode == "save" else [0, *range(1, SLOTS + 1)]
        options = []
        for slot in slots:
            info = saves.get(slot)
            name = self.tr("autosave") if slot == 0 else self.tr("slot", slot=slot)
            prompt = Text(name.ljust(12), "bold")
            if info is None:
                prompt.append(self.tr("empty"), "dim")
            else:
                scene = story.scenes.get(info.scene_id)
                title = markup_text(story.text(scene.model.title, self.locale)).plain if scene else info.scene_id
                prompt.append(f"{title} · {self.tr('turns', turns=info.turns)} · {when(info.saved_at)}")
            options.append(Option(prompt, id=f"slot-{slot}", disabled=self.mode == "load" and info is None))
        slots_list = self.query_one("#slots", OptionList)
        slots_list.set_options(options)
        slots_list.highlighted = next((i for i, option in enumerate(options) if not option.disabled), None)

    def _slot_name(self, slot: int) -> str:
        return self.tr("autosave") if slot == 0 else self.tr("slot", slot=slot)

    @on(OptionList.OptionSelected, "#slots")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        slot = int((event.option.id or "slot-1").removeprefix("slot-"))
        if self.mode == "save":
            self.save(slot)
        else:
            self.load(slot)

    def save(self, slot: int) -> None:
        from collapse_tui.engine.saves import SaveError, save_game, slot_path

        session = self.game.session
        try:
            save_game(slot_path(session.story.meta.id, slot), session)
        except SaveError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.notify(self.tr("saved", slot=self._slot_name(slot)))
        self.dismiss(None)

    def load(self, slot: int) -> None:
        from collapse_tui.engine.saves import SaveError, autosave_path, load_game, slot_path

        story = self.game.session.story
        path = autosave_path(story.meta.id) if slot == 0 else slot_path(story.meta.id, slot)
        try:
            state = load_game(path, story)
        except SaveError as error:
            self.notify(str(error), severity="error", timeout=12)
            return
        self.notify(self.tr("loaded", slot=self._slot_name(slot)))
        self.dismiss(state)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
