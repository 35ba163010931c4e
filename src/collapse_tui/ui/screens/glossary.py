"""The glossary: the story's terms (FTT, collateral, liquidation …), those used in the scene on screen
first, with a filter and the explanation of the highlighted term."""

from __future__ import annotations

from typing import Optional, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from collapse_tui.markup import markup_text
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.styles import stylesheet


class GlossaryScreen(LocaleAware, ModalScreen[None]):
    """Terms and what they mean."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [Binding("escape", "app.pop_screen", "Close", id="close")]

    def __init__(self, *, selected: Optional[str] = None, in_scene: Sequence[str] = ()) -> None:
        super().__init__(classes="dialog-screen")
        self.selected = selected
        self.in_scene = tuple(in_scene)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Input(id="filter")
            with Horizontal(id="glossary-body"):
                yield OptionList(id="terms")
                yield Static(id="definition")
            yield Static(id="dialog-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#filter", Input).cursor_blink = self.game.options.animations
        self._render_words()
        terms = self.query_one("#terms", OptionList)
        if self.selected:
            try:
                terms.highlighted = terms.get_option_index(self.selected)
            except Exception:
                pass
        terms.focus()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    def _render_words(self) -> None:
        self.query_one("#dialog-title", Static).update(self.tr("glossary"))
        self.query_one("#filter", Input).placeholder = self.tr("glossary_filter")
        self.query_one("#dialog-hint", Static).update("Esc: " + self.tr("close"))
        self._fill(self.query_one("#filter", Input).value)

    def _fill(self, query: str) -> None:
        story = self.game.session.story
        entries = sorted(story.glossary, key=lambda e: (e.id not in self.in_scene, self.story_text(e.term).lower()))
        query = query.strip().lower()
        options = []
        for entry in entries:
            term = self.story_text(entry.term)
            if query and query not in term.lower() and query not in self.story_text(entry.text).lower():
                continue
            prompt = Text(term, "bold" if entry.id in self.in_scene else "")
            if entry.id in self.in_scene:
                prompt.append(f"  · {self.tr('in_this_scene')}", "dim")
            options.append(Option(prompt, id=entry.id))
        terms = self.query_one("#terms", OptionList)
        terms.set_options(options)
        if options:
            terms.highlighted = 0
        else:
            self.query_one("#definition", Static).update(self.tr("glossary_empty") if not story.glossary else "")

    @on(Input.Changed, "#filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionHighlighted, "#terms")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.game.session.story.glossary_entry(event.option.id or "")
        if entry is None:
            return
        text = Text(self.story_text(entry.term) + "\n\n", "bold")
        text.append_text(markup_text(self.story_text(entry.text)))
        self.query_one("#definition", Static).update(text)
