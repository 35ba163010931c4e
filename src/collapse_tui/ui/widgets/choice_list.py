"""The scene's choices as a list: numbered, chosen with number keys (the screen's bindings), arrows and
Enter, or the mouse; locked choices stay visible, greyed, with the story's reason."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from collapse_tui.engine.views import ChoiceLine
from collapse_tui.markup import markup_text

DEBRIEF_OPTION = "debrief"
TIMER_MARK = "◷"


class ChoiceList(OptionList):
    """The choices of the scene on screen (or, at an ending, the way to the debrief)."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        max-height: 50%;
        border: none;
        border-top: solid $primary;
        border-title-color: $text-primary;
        border-title-style: bold;
        padding: 0 1;
        background: $surface;
        &:focus { border: none; border-top: solid $accent; background-tint: transparent; }
        & > .option-list--option-disabled { color: $text-disabled; }
        & > .choice-list--number { text-style: bold; color: $text-accent; }
        & > .choice-list--locked { color: $text-muted; text-style: italic; }
        & > .choice-list--timed { color: $text-warning; }
    }
    """

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | {"choice-list--number", "choice-list--locked", "choice-list--timed"}

    heading: reactive[str] = reactive("")
    """The question above the choices."""

    class Chosen(Message):
        """The player picked a choice (by key, Enter or click)."""

        def __init__(self, choice_list: "ChoiceList", number: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.number = number
            """The choice's number as shown (1-based); 0 for the debrief at an ending."""

        @property
        def control(self) -> "ChoiceList":
            return self.choice_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: tuple[ChoiceLine, ...] = ()

    def watch_heading(self, heading: str) -> None:
        self.border_title = heading

    def show_choices(self, lines: Sequence[ChoiceLine], *, locked_word: str, timed_word: str) -> None:
        """Replace the options with the scene's choices; keeps the highlight on the first open one."""
        self.lines = tuple(lines)
        options = [Option(self._prompt(line, locked_word, timed_word), id=f"choice-{line.number}",
                          disabled=not line.available) for line in lines]
        self.set_options(options)
        first_open = next((i for i, line in enumerate(self.lines) if line.available), None)
        self.highlighted = first_open

    def show_ending(self, prompt: str) -> None:
        """At an ending, one option leads to the debrief."""
        self.lines = ()
        self.set_options([Option(Text.assemble(("→ ", self.get_component_rich_style("choice-list--number")), prompt),
                                 id=DEBRIEF_OPTION)])
        self.highlighted = 0

    def _prompt(self, line: ChoiceLine, locked_word: str, timed_word: str) -> Text:
        number_style = self.get_component_rich_style("choice-list--number")
        text = Text.assemble((f"{line.number}", number_style), "  ")
        if line.available:
            text.append_text(markup_text(line.text))
            if line.timeout:
                text.append(f"  {TIMER_MARK} {timed_word}", self.get_component_rich_style("choice-list--timed"))
            return text
        locked_style = self.get_component_rich_style("choice-list--locked")
        text.append(f"({locked_word}) ", locked_style)
        text.append_text(markup_text(line.text))
        if line.reason:
            text.append(" — ", locked_style)
            text.append_text(markup_text(line.reason, style=locked_style))
        return text

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id == DEBRIEF_OPTION:
            self.post_message(self.Chosen(self, 0))
        elif option_id.startswith("choice-"):
            self.post_message(self.Chosen(self, int(option_id.removeprefix("choice-"))))
