"""The scene's text: paragraphs of Rich markup that appear one after another with a short fade (a key or a
click shows them all; the text-speed setting turns it off), glossary terms underlined and clickable."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

FADE_SECONDS = 0.35
FADE_STEPS = 4  # a fade is a few steps of opacity, not an animation at 60 frames a second: each frame
# of a fade repaints the paragraph, and a terminal shows four steps as smoothly as twenty
MAX_PAUSE = 4.0


def paragraph_pause(plain: str, factor: float) -> float:
    """Seconds before the paragraph after this one appears: longer for longer paragraphs, capped."""
    return factor * min(MAX_PAUSE, 0.6 + len(plain) / 120)


def link_terms(text: Text, terms: Mapping[str, str], action: str = "screen.glossary") -> Text:
    """Underline each glossary term in `text` (whole words, any case) and make a click open its entry."""
    plain = text.plain
    for term, entry_id in sorted(terms.items(), key=lambda item: -len(item[0])):
        if not term.strip():
            continue
        boundary = r"\b" if term[:1].isascii() and term[:1].isalnum() else ""
        end = r"\b" if term[-1:].isascii() and term[-1:].isalnum() else ""
        for match in re.finditer(boundary + re.escape(term) + end, plain, flags=re.IGNORECASE):
            text.stylize(Style(underline=True, meta={"@click": f"{action}({entry_id!r})"}), match.start(), match.end())
    return text


class Paragraph(Static):
    """One paragraph of the scene."""

    DEFAULT_CSS = """
    Paragraph {
        margin: 0 0 1 0;
        width: 1fr;
    }
    """


class SceneText(VerticalScroll, can_focus=True):
    """The text of the scene on screen, revealed a paragraph at a time."""

    DEFAULT_CSS = """
    SceneText {
        padding: 1 2 0 2;
        scrollbar-size-vertical: 1;
        &:focus { background-tint: $foreground 3%; }
    }
    """

    reveal_factor: reactive[float] = reactive(1.0)
    """How slowly paragraphs appear (0: all at once)."""
    fade: reactive[bool] = reactive(True)
    """Paragraphs fade in (off with reduced motion)."""

    class Revealed(Message):
        """Every paragraph of the scene is on screen."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._paragraphs: list[Paragraph] = []
        self._plain: list[str] = []
        self._shown = 0
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        """Some paragraphs are still to come."""
        return self._shown < len(self._paragraphs)

    def show_paragraphs(self, paragraphs: Sequence[str], *, instant: bool = False,
                        terms: Mapping[str, str] | None = None) -> None:
        """Replace the text with the scene's paragraphs; reveal them one by one unless `instant`."""
        self._stop_timer()
        self.remove_children()
        self._paragraphs = []
        self._plain = []
        for markup in paragraphs:
            text = Text.from_markup(markup)
            if terms:
                link_terms(text, terms)
            self._paragraphs.append(Paragraph(text))
            self._plain.append(text.plain)
        reveal = not instant and self.reveal_factor > 0 and len(self._paragraphs) > 1
        self._shown = 1 if reveal else len(self._paragraphs)
        for index, paragraph in enumerate(self._paragraphs):
            paragraph.display = index < self._shown
        self.mount_all(self._paragraphs)
        self.scroll_home(animate=False)
        if reveal:
            self._schedule()
        else:
            self.post_message(self.Revealed())

    def reveal_all(self) -> bool:
        """Show every paragraph now; False when there was nothing left to show."""
        if not self.revealing:
            return False
        self._stop_timer()
        for paragraph in self._paragraphs[self._shown:]:
            paragraph.display = True
        self._shown = len(self._paragraphs)
        self.post_message(self.Revealed())
        return True

    def _schedule(self) -> None:
        plain = self._plain[self._shown - 1]
        self._timer = self.set_timer(paragraph_pause(plain, self.reveal_factor), self._reveal_next)

    def _reveal_next(self) -> None:
        self._timer = None
        if not self.revealing:
            return
        paragraph = self._paragraphs[self._shown]
        self._shown += 1
        paragraph.display = True
        if self.fade:
            self._fade_in(paragraph)
        self.call_after_refresh(self.scroll_to_widget, paragraph, animate=False)
        if self.revealing:
            self._schedule()
        else:
            self.post_message(self.Revealed())

    def _fade_in(self, paragraph: Paragraph) -> None:
        step = 1 / FADE_STEPS
        paragraph.styles.opacity = step

        def brighten() -> None:
            opacity = min(1.0, paragraph.styles.opacity + step)
            paragraph.styles.opacity = opacity
            if opacity >= 1.0:
                fade.stop()

        fade = paragraph.set_interval(FADE_SECONDS / FADE_STEPS, brighten, name="fade")

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_click(self, event: events.Click) -> None:
        if event.style.meta.get("@click"):
            return
        self.reveal_all()
