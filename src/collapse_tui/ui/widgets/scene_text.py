"""The scene's text: paragraphs of Rich markup that appear one after another with a short fade (a key or a
click shows them all; the text-speed setting turns it off), glossary terms underlined and clickable."""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import Static

from collapse_tui.markup import markup_text

FADE_SECONDS = 0.35
FADE_STEPS = 4  # a fade is a few steps of opacity, not an animation at 60 frames a second: each frame
# of a fade repaints the paragraph, and a terminal shows four steps as smoothly as twenty
MAX_PAUSE = 4.0


def paragraph_pause(plain: str, factor: float) -> float:
    """Seconds before the paragraph after this one appears: longer for longer paragraphs, capped."""
    return factor * min(MAX_PAUSE, 0.6 + len(plain) / 120)


def link_terms(text: Text, terms: Mapping[str, str], action: str = "screen.glossary") -> Text:
    """Underline each glossary term in `text` (whole words, any case) and make a click open its entry. Where
    terms overlap, the leftmost is linked, and of those the longest ("order book" before "order")."""
    plain = _fold(text.plain)
    found = []
    for term, entry_id, whole_start, whole_end in _search_terms(tuple(terms.items())):
        start = plain.find(term)
        while start >= 0:
            end = start + len(term)
            if not ((whole_start and start > 0 and _is_word(plain[start - 1]))
                    or (whole_end and end < len(plain) and _is_word(plain[end]))):
                found.append((start, -len(term), entry_id))
            start = plain.find(term, start + 1)
    reached = 0
    for start, minus_length, entry_id in sorted(found):
        if start >= reached:
            reached = start - minus_length
            text.stylize(Style(underline=True, meta={"@click": f"{action}({entry_id!r})"}), start, reached)
    return text


@lru_cache(maxsize=8)
def _search_terms(terms: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, bool, bool], ...]:
    """Each term as searched for: folded, its entry, and whether it must start and end on a word's edge (a term
    that starts or ends with a letter or digit, in ASCII)."""
    return tuple((_fold(term), entry_id, term[:1].isascii() and term[:1].isalnum(),
                  term[-1:].isascii() and term[-1:].isalnum()) for term, entry_id in terms if term.strip())


def _fold(text: str) -> str:
    """Lower case, a character for a character (the few that lower to two stay as they are)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


class Paragraph(Static):
    """One paragraph of the scene."""

    DEFAULT_CSS = """
    Paragraph {
        margin: 0 0 1 0;
        width: 1fr;
    }
    """


class SceneText(VerticalScroll, can_focus=True):
    """The text of the scene on screen, revealed a paragraph at a time. A paragraph is made (its markup read,
    its glossary terms found) and mounted when it is first shown: most of a scene's wait their turn, and the
    first frame need not pay for them (some 0.5 ms a paragraph to make, more to mount)."""

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

    def __init__(self, paragraphs: Sequence[str] = (), *, terms: Mapping[str, str] | None = None,
                 instant: bool = False, reveal_factor: float = 1.0, id: str | None = None) -> None:
        """`paragraphs`: the first scene's, those its first frame shows built with the text (not mounted after
        that frame); the first `show_paragraphs` of the same paragraphs reveals them."""
        super().__init__(id=id)
        self.set_reactive(SceneText.reveal_factor, reveal_factor)
        self._source: tuple[tuple[str, ...], dict[str, str]] = (tuple(paragraphs), dict(terms or {}))
        self._paragraphs: list[Paragraph] = []  # those made so far, in order
        self._plain: list[str] = []
        self._shown = 0
        self._timer: Timer | None = None
        self._composed = False  # (until then, the paragraphs made are mounted by `compose`)
        self._show(self._shown_at_first(len(paragraphs), instant))

    def compose(self) -> ComposeResult:
        self._composed = True
        yield from self._paragraphs

    @property
    def revealing(self) -> bool:
        """Some paragraphs are still to come."""
        return self._shown < len(self._source[0])

    def show_paragraphs(self, paragraphs: Sequence[str], *, instant: bool = False,
                        terms: Mapping[str, str] | None = None) -> None:
        """Replace the text with the scene's paragraphs (the same ones are kept); reveal them one by one unless
        `instant`."""
        self._stop_timer()
        source = (tuple(paragraphs), dict(terms or {}))
        if source != self._source:
            self.remove_children()
            self._source, self._paragraphs, self._plain = source, [], []
        shown = self._shown_at_first(len(paragraphs), instant)
        for paragraph in self._paragraphs[shown:]:
            if paragraph.display:  # setting it, even unchanged, lays the text out again
                paragraph.display = False
        self._shown = 0
        self._show(shown)
        self.scroll_home(animate=False)
        if self.revealing:
            self._schedule()
        else:
            self.post_message(self.Revealed())

    def _shown_at_first(self, count: int, instant: bool) -> int:
        """How many of `count` paragraphs are shown at once: the first, or all of them if `instant`."""
        return count if instant or self.reveal_factor <= 0 else min(1, count)

    def _show(self, count: int) -> AwaitMount | None:
        """Show the first `count` paragraphs, making those not made yet; their mounting, if any."""
        markups, terms = self._source
        for paragraph in self._paragraphs[self._shown:count]:
            if not paragraph.display:
                paragraph.display = True
        made = []
        for markup in markups[len(self._paragraphs):count]:
            text = markup_text(markup)
            if terms:
                link_terms(text, terms)
            made.append(Paragraph(text))
            self._plain.append(text.plain)
        self._paragraphs += made
        self._shown = max(self._shown, count)
        return self.mount_all(made) if made and self._composed else None

    def reveal_all(self) -> bool:
        """Show every paragraph now; False when there was nothing left to show."""
        if not self.revealing:
            return False
        self._stop_timer()
        self._show(len(self._source[0]))
        self.post_message(self.Revealed())
        return True

    def _schedule(self) -> None:
        plain = self._plain[self._shown - 1]
        self._timer = self.set_timer(paragraph_pause(plain, self.reveal_factor), self._reveal_next)

    async def _reveal_next(self) -> None:
        self._timer = None
        if not self.revealing:
            return
        mounting = self._show(self._shown + 1)
        paragraph = self._paragraphs[self._shown - 1]
        if self.fade:
            paragraph.styles.opacity = 1 / FADE_STEPS  # from its first frame on
        if self.revealing:
            self._schedule()
        else:
            self.post_message(self.Revealed())
        if mounting is not None:  # made just now: it can brighten and be scrolled to once it is mounted
            await mounting
            if not paragraph.is_attached:  # the scene changed meanwhile
                return
        if self.fade:
            self._fade_in(paragraph)
        self.call_after_refresh(self.scroll_to_widget, paragraph, animate=False)

    def _fade_in(self, paragraph: Paragraph) -> None:
        step = 1 / FADE_STEPS

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
