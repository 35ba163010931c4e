"""The in-story clock for the classroom: the time in big digits, the day and the place beneath, readable
from the back of a room; it turns to the warning colour while the class has paused the story."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from collapse_tui.engine.views import MONTHS_EN, WEEKDAYS


def day_text(moment: datetime, timezone: str, locale: str) -> str:
    """The day under the big time: 'Tue 8 Nov 2022 · HKT' or '2022年11月8日 周二 · HKT'."""
    if locale.startswith("zh"):
        return f"{moment.year}年{moment.month}月{moment.day}日 {WEEKDAYS['zh'][moment.weekday()]} · {timezone}"
    return f"{WEEKDAYS['en'][moment.weekday()]} {moment.day} {MONTHS_EN[moment.month - 1]} {moment.year} · {timezone}"


class ClassroomClock(Widget):
    """The story's time (HH:MM in big digits), its day and time zone, and where the scene is."""

    DEFAULT_CSS = """
    ClassroomClock {
        width: 26;
        height: auto;
        padding: 0 2 0 1;
        layout: vertical;
    }
    ClassroomClock > Digits { width: auto; color: $text; text-style: bold; }
    ClassroomClock > .clock--day { width: 1fr; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    ClassroomClock > .clock--place { width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    ClassroomClock.-frozen > Digits { color: $warning; }
    """

    frozen: reactive[bool] = reactive(False)
    """True while the story's clock is stopped (pause, vote): the digits take the warning colour."""

    def compose(self) -> ComposeResult:
        yield Digits("--:--", id="clock-digits")
        yield Static("", id="clock-day", classes="clock--day", markup=False)
        yield Static("", id="clock-place", classes="clock--place", markup=False)

    _shown: tuple | None = None

    def show(self, moment: datetime, timezone: str, locale: str, place: str = "") -> None:
        """Show a moment of story time (and the scene's place); cheap when nothing changed."""
        key = (f"{moment:%Y%m%d%H%M}", timezone, locale, place)
        if key == self._shown:
            return
        self._shown = key
        self.query_one(Digits).update(f"{moment:%H:%M}")
        self.query_one("#clock-day", Static).update(day_text(moment, timezone, locale))
        self.query_one("#clock-place", Static).update(place)

    def watch_frozen(self, frozen: bool) -> None:
        self.set_class(frozen, "-frozen")
