"""A class vote at a choice: the presenter types the hands counted for each option, a bar chart follows
every key, Enter takes the winner, and a tie waits for the presenter to pick among the tied options.

The counting rules live in `VoteTally`, a plain value with no Textual in it, so they are tested alone;
`VoteChart` draws a tally and turns keys into tally moves."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Optional, Sequence

from rich.cells import cell_len
from rich.console import RenderableType
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.debrief_export import VoteOption
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.views import ChoiceLine
from collapse_tui.transcript import plain_text

MAX_COUNT = 9999

WORDS_EN: Mapping[str, str] = {
    "heading": "CLASS VOTE",
    "total": "{total} votes",
    "help": "↑ ↓ pick an option · type the number of hands · + − one more / less · ⌫ erase · "
            "Enter: take the winner · Esc: cancel the vote",
    "tie": "TIE between {options}: press the number of the option to take (or ↑ ↓ and Enter) · Esc: recount",
    "tied": "tied",
}
WORDS_ZH: Mapping[str, str] = {
    "heading": "全班投票",
    "total": "共 {total} 票",
    "help": "↑ ↓ 选择选项 · 输入举手人数 · + − 加减一票 · ⌫ 删除 · 回车：采纳得票最多的选项 · Esc：取消投票",
    "tie": "{options} 平票：按选项编号决定（或 ↑ ↓ 加回车） · Esc：重新计票",
    "tied": "平票",
}


def vote_words(locale: str) -> Mapping[str, str]:
    return WORDS_ZH if locale.startswith("zh") else WORDS_EN


@frozen
class VoteTally:
    """The counts of a vote in progress, which option the keys act on, and a tie waiting to be broken."""

    options: tuple[VoteOption, ...]
    selected: int = 0  # position in `options`
    tied: tuple[int, ...] = ()  # positions of tied leaders, while the presenter breaks the tie
    fresh: bool = True  # the next digit typed starts a new count for the selected option

    @classmethod
    def open(cls, choices: Sequence[ChoiceLine]) -> "VoteTally":
        """A vote on the open choices of a scene (locked ones cannot be voted for)."""
        options = tuple(VoteOption(c.index, c.number, c.text, 0, c.historical) for c in choices if c.available)
        return cls(options)

    @property
    def total(self) -> int:
        return sum(option.votes for option in self.options)

    @property
    def leaders(self) -> tuple[int, ...]:
        """Positions with the most votes."""
        if not self.options:
            return ()
        best = max(option.votes for option in self.options)
        return tuple(i for i, option in enumerate(self.options) if option.votes == best)

    def _set(self, position: int, votes: int) -> "VoteTally":
        options = list(self.options)
        options[position] = replace(options[position], votes=max(0, min(MAX_COUNT, votes)))
        return replace(self, options=tuple(options), tied=())

    def move(self, delta: int) -> "VoteTally":
        if not self.options:
            return self
        pool = self.tied or tuple(range(len(self.options)))
        where = pool.index(self.selected) if self.selected in pool else 0
        return replace(self, selected=pool[(where + delta) % len(pool)], fresh=True)

    def select_number(self, number: int) -> "VoteTally":
        """Select the option shown with this number (1-based), if it is in the vote."""
        for i, option in enumerate(self.options):
            if option.number == number:
                return replace(self, selected=i, fresh=True)
        return self

    def type_digit(self, digit: int) -> "VoteTally":
        """Type a digit of the selected option's count (the first digit after a move starts afresh)."""
        if not self.options:
            return self
        current = 0 if self.fresh else self.options[self.selected].votes
        return replace(self._set(self.selected, current * 10 + digit), fresh=False)

    def erase(self) -> "VoteTally":
        if not self.options:
            return self
        return replace(self._set(self.selected, self.options[self.selected].votes // 10), fresh=False)

    def adjust(self, delta: int) -> "VoteTally":
        if not self.options:
            return self
        return replace(self._set(self.selected, self.options[self.selected].votes + delta), fresh=True)

    def close(self) -> tuple["VoteTally", Optional[int]]:
        """Enter: the position of the winner, or a tally waiting for the presenter to break a tie."""
        if self.tied:
            return self, (self.selected if self.selected in self.tied else None)
        leaders = self.leaders
        if len(leaders) == 1:
            return self, leaders[0]
        return replace(self, tied=leaders, selected=leaders[0]), None

    def break_tie(self, number: int) -> Optional[int]:
        """During a tie, the position of the tied option shown with `number`, if it is one."""
        for i in self.tied:
            if self.options[i].number == number:
                return i
        return None

    def recount(self) -> "VoteTally":
        return replace(self, tied=(), fresh=True)


def _fit(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for character in text:
        if cell_len(out + character) > width - 1:
            break
        out += character
    return out + "…" + " " * (width - 1 - cell_len(out))


class VoteChart(Widget, can_focus=True):
    """A live bar chart of a class vote; the presenter types the counts and takes the winner."""

    DEFAULT_CSS = """
    VoteChart {
        height: auto;
        padding: 1 2;
        border: heavy $accent;
        background: $surface;
    }
    VoteChart:focus { border: heavy $accent; }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("plus,equals_sign,right", "adjust(1)", "One more vote", show=False),
        Binding("minus,left", "adjust(-1)", "One vote less", show=False),
        Binding("backspace", "erase", "Erase a digit", show=False),
        Binding("enter", "close", "Take the winner", show=False),
        Binding("escape", "cancel", "Cancel the vote", show=False),
        *[Binding(str(digit), f"digit({digit})", show=False) for digit in range(10)],
    ]

    tally: reactive[Optional[VoteTally]] = reactive(None, layout=True)
    """The vote in progress (None when no vote is open)."""

    class Decided(Message):
        """The vote is over: `options` holds the counts, `winner` the choice index the class takes."""

        def __init__(self, options: tuple[VoteOption, ...], winner: int, tie_broken: bool) -> None:
            super().__init__()
            self.options = options
            """Every option with its count."""
            self.winner = winner
            """The index (in the scene) of the choice taken."""
            self.tie_broken = tie_broken
            """True when the presenter chose among tied options."""

    class Cancelled(Message):
        """The presenter closed the vote without taking an option."""

    def __init__(self, *, locale: str = "en", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.locale = locale
        """The language of the chart's own words."""

    def open(self, choices: Sequence[ChoiceLine]) -> VoteTally:
        self.tally = VoteTally.open(choices)
        return self.tally

    # --- keys --------------------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.tally is not None:
            self.tally = self.tally.move(delta)

    def action_adjust(self, delta: int) -> None:
        if self.tally is not None and not self.tally.tied:
            self.tally = self.tally.adjust(delta)

    def action_erase(self) -> None:
        if self.tally is not None and not self.tally.tied:
            self.tally = self.tally.erase()

    def action_digit(self, digit: int) -> None:
        if self.tally is None:
            return
        if self.tally.tied:
            position = self.tally.break_tie(digit)
            if position is None:
                self.app.bell()
                return
            self._decide(position, tie_broken=True)
            return
        self.tally = self.tally.type_digit(digit)

    def action_close(self) -> None:
        if self.tally is None:
            return
        was_tied = bool(self.tally.tied)
        tally, winner = self.tally.close()
        if winner is None:
            self.tally = tally
            if was_tied:
                self.app.bell()
            return
        self._decide(winner, tie_broken=was_tied)

    def action_cancel(self) -> None:
        if self.tally is None:
            return
        if self.tally.tied:
            self.tally = self.tally.recount()
            return
        self.tally = None
        self.post_message(self.Cancelled())

    def _decide(self, position: int, tie_broken: bool) -> None:
        assert self.tally is not None
        options = self.tally.options
        self.tally = None
        self.post_message(self.Decided(options, options[position].index, tie_broken))

    # --- drawing -----------------------------------------------------------------------------------

    def render(self) -> RenderableType:
        words = vote_words(self.locale)
        tally = self.tally
        if tally is None:
            return Content("")
        width = max(40, self.content_size.width or 80)
        most = max((option.votes for option in tally.options), default=0)
        total = tally.total
        labels = [f"{option.number}  {plain_text(option.text)}" for option in tally.options]
        label_width = min(max((cell_len(label) for label in labels), default=10), max(16, width * 2 // 5))
        tag_width = max(cell_len(words['tied']) + 2, 8)
        bar_width = max(8, width - label_width - 2 - 13 - tag_width)
        leaders = set(tally.leaders) if total else set()
        parts: list[str | tuple[str, str]] = [
            (f" {words['heading']} ", "bold reverse"), (f"   {words['total'].format(total=total)}\n\n", "bold")]
        for i, (option, label) in enumerate(zip(tally.options, labels)):
            selected = i == tally.selected
            leader = i in leaders
            filled = round(option.votes / most * bar_width) if most else 0
            share = f"{option.votes / total:.0%}" if total else "–"
            parts += [
                ("▶ " if selected else "  ", "bold $accent"),
                (_fit(label, label_width), ("reverse " if selected else "") + ("bold" if leader else "")),
                "  ",
                ("█" * filled, "$success" if leader else "$secondary"),
                ("░" * (bar_width - filled), "$text-disabled"),
                (f" {option.votes:>4} {share:>5}", "bold" if leader else ""),
            ]
            if i in tally.tied:
                parts.append((f"  {words['tied']}", "bold $warning"))
            parts.append("\n")
        parts.append("\n")
        if tally.tied:
            numbers = ", ".join(str(tally.options[i].number) for i in tally.tied)
            parts.append((words["tie"].format(options=numbers), "bold $warning"))
        else:
            parts.append((words["help"], "$text-muted"))
        return Content.assemble(*parts)
