"""The presenter's screen for a class (`collapse-tui play --classroom`): large, high-contrast, few things on
it. The in-story clock and three tickers in big digits across the top, the scene's text, the choices in
big rows; class votes with a live bar chart; pause-and-discuss (the clock and the prices stop, the scene's
question and teacher's note appear); autoplay along the historical path; the class debrief exported as
Markdown and a standalone HTML page.

It works on any app that holds a `Session`: the app passes it in (or exposes it as `app.session`) and may
expose the language as `app.locale`. The screen drives the story clock itself while it is shown."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from collapse_tui.debrief_export import ClassVote, VoteOption, write_debrief
from collapse_tui.engine.runtime import PlayError, Session
from collapse_tui.engine.views import ChoiceLine, SceneView, scene_view, ticker_views
from collapse_tui.transcript import plain_text
from collapse_tui.ui.screens.classroom_autoplay import AutoplayMixin
from collapse_tui.ui.screens.classroom_strings import tr
from collapse_tui.ui.themes import PROJECTOR_DARK, PROJECTOR_LIGHT, PROJECTOR_THEMES
from collapse_tui.ui.widgets.classroom_clock import ClassroomClock
from collapse_tui.ui.widgets.classroom_ticker import ClassroomTicker
from collapse_tui.ui.widgets.vote_chart import VoteChart

TICK_SECONDS = 0.25
MAX_TICKERS = 3


def _markup(text: str) -> Content:
    """Story text (Rich markup) as Textual content; text whose markup Textual cannot read is shown plain."""
    try:
        return Content.from_markup(text)
    except Exception:
        return Content(plain_text(text))


class ChoiceRow(Static):
    """One choice in big type: its number, its text, and why it is locked when it is."""

    class Picked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number
            """The number shown on the row (1-based)."""

    def __init__(self, line: ChoiceLine, locale: str) -> None:
        self.line = line
        parts: list = [(f" {line.number} ", "reverse bold" if line.available else "reverse"), "  "]
        text = _markup(line.text)
        if line.available:
            parts.append(text.stylize("bold"))
        else:
            parts += [text, (f"  · {tr(locale, 'locked')}: {plain_text(line.reason)}", "italic")]
        if line.timeout and line.available:
            parts.append((f"  ({tr(locale, 'timed', seconds=line.timeout)})", "$text-muted"))
        super().__init__(Content.assemble(*parts), classes="choice-row" + ("" if line.available else " -locked"))

    def on_click(self) -> None:
        self.post_message(self.Picked(self.line.number))


class ClassroomScreen(AutoplayMixin, Screen):
    """The projector view of a game, with class votes, pauses for discussion and the class debrief."""

    CSS_PATH = "../styles/classroom.tcss"

    BINDINGS = [
        *[Binding(str(n), f"choose({n})", f"Choice {n}", show=False) for n in range(1, 10)],
        Binding("v", "vote", "Class vote", id="classroom.vote"),
        Binding("p,space", "pause", "Pause & discuss", id="classroom.pause"),
        Binding("escape", "resume", "Resume", show=False),
        Binding("r", "reveal", "What really happened", show=False),
        Binding("u", "undo", "Undo", id="classroom.undo"),
        Binding("e", "export", "Export debrief", id="classroom.export"),
        Binding("t", "toggle_light", "Light / dark", id="classroom.theme"),
        Binding("question_mark,h", "keys", "Keys", id="classroom.keys"),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll down", show=False),
        Binding("q", "app.quit", "Quit", id="classroom.quit"),
    ]

    paused: reactive[bool] = reactive(False)
    """The class is discussing: the clock and the prices are stopped, the question is on screen."""
    voting: reactive[bool] = reactive(False)
    """A class vote is open (the clock is stopped while hands are counted)."""
    revealed: reactive[bool] = reactive(False)
    """While paused: "what really happened" is shown."""
    showing_keys: reactive[bool] = reactive(False)
    """The key list is shown instead of the scene."""

    def __init__(self, session: Optional[Session] = None, *, locale: Optional[str] = None,
                 autoplay: Optional[float] = None, live: Optional[bool] = None, debrief_dir: Optional[Path] = None,
                 name: Optional[str] = None, id: Optional[str] = None, classes: Optional[str] = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._session = session
        self._locale = locale
        self._autoplay_request = autoplay
        self._live = live
        self.debrief_dir = debrief_dir
        """Where `E` writes the debrief (default: the app's `debrief_dir`, else the current folder)."""
        self.votes: list[ClassVote] = []
        """The votes taken so far, kept for the debrief (a vote is forgotten when its choice is undone)."""
        self.exported: Optional[tuple[Path, Path]] = None
        """The last debrief written (Markdown, HTML)."""
        self._last_tick = time.monotonic()
        self._scene_key: Optional[tuple] = None
        self._choices_shown: Optional[tuple[ChoiceLine, ...]] = None
        self._view: Optional[SceneView] = None
        self._theme_before: Optional[str] = None
        self._error: str = ""
        self._state_shown: Optional[tuple[str, str]] = None
        self._keys_shown: Optional[str] = None

    # --- what the screen shows ----------------------------------------------------------------------

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = self.app.session  # type: ignore[attr-defined]
        return self._session

    @property
    def locale(self) -> str:
        """The app's language when it has one (switching it re-renders the scene), else the one given."""
        story = self.session.story
        for locale in (getattr(self.app, "locale", None), self._locale):
            if locale in story.locales:
                return locale
        return story.default_locale

    @property
    def live(self) -> bool:
        """False freezes the clock for good (snapshots, screenshots for handouts): given, or the app's say."""
        if self._live is not None:
            return self._live
        if hasattr(self.app, "live"):
            return bool(self.app.live)
        options = getattr(self.app, "options", None)
        return not getattr(options, "freeze_market", False)

    @property
    def clock_speed(self) -> float:
        """The app's ticker-speed setting (story time runs this many times faster; 0 stops it), else 1."""
        speed = getattr(getattr(self.app, "settings", None), "ticker_speed", 1.0)
        return speed if isinstance(speed, (int, float)) and speed >= 0 else 1.0

    @property
    def clock_running(self) -> bool:
        return self.live and not self.paused and not self.voting and not self.session.finished

    def compose(self) -> ComposeResult:
        symbols = self.session.engine.market.symbols[:MAX_TICKERS]
        with Horizontal(id="cr-top"):
            yield ClassroomClock(id="cr-clock")
            for i, symbol in enumerate(symbols):
                yield ClassroomTicker(symbol, id=f"cr-ticker-{i}", classes="cr-ticker")
            yield Static("", id="cr-state", markup=False)
        with VerticalScroll(id="cr-scene"):
            yield Static("", id="cr-banner", markup=False)
            yield Static("", id="cr-title")
            yield Static("", id="cr-meta", markup=False)
            yield Static("", id="cr-text")
            yield Static("", id="cr-epilogue")
        with VerticalScroll(id="cr-discuss"):
            yield Static("", id="cr-discuss-body")
        with Vertical(id="cr-choices"):
            yield Static("", id="cr-question", markup=False)
            yield Vertical(id="cr-choice-rows")
        yield VoteChart(id="cr-vote")
        yield Static("", id="cr-keys", markup=False)

    def on_mount(self) -> None:
        self._use_theme(dark=True)
        self.query_one(VoteChart).locale = self.locale
        self._refresh(force=True)
        self.set_interval(TICK_SECONDS, self._tick, name="classroom-clock")
        seconds = self._autoplay_request
        if seconds is None:
            seconds = getattr(self.app, "autoplay", None)
        if seconds is not None and not self.session.finished:
            self.start_autoplay(seconds)
            self._show_keys()
        self.query_one("#cr-scene").focus()

    def on_unmount(self) -> None:
        if self._theme_before is not None:
            try:
                self.app.theme = self._theme_before
            except Exception:
                pass

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(self.size.height < 32, "-compact")
        for i, ticker in enumerate(self.query(ClassroomTicker)):
            ticker.display = i == 0 or (i == 1 and width >= 78) or (i == 2 and width >= 108)

    # --- the clock ----------------------------------------------------------------------------------

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = min(1.0, now - self._last_tick), now
        if self.clock_running:
            try:
                self.session.wait(elapsed * self.clock_speed)
            except PlayError as error:
                self._error = tr(self.locale, "error", message=str(error))
        self._refresh()  # also picks up a change of language, a reload or a move made elsewhere

    def _refresh(self, force: bool = False) -> None:
        """Show the session: the live parts always, the scene when it changed (a choice, an event, undo)."""
        state = self.session.state
        locale = self.locale
        key = (state.scene, len(state.log), state.turns, locale, id(self.session.engine))
        try:
            view = scene_view(self.session.engine, state, locale)
        except (PlayError, KeyError) as error:
            self._error = tr(locale, "error", message=str(error))
            self._show_error()
            return
        self._view = view
        self._show_live(view)
        if force or key != self._scene_key:
            previous = self._scene_key
            self._scene_key = key
            self._show_scene(view)
            if previous is not None and previous[0] != state.scene:
                self._announce_scene(previous[0])
        elif view.choices != self._choices_shown:
            self._show_choices(view)
        self._show_keys()

    def _show_live(self, view: SceneView) -> None:
        engine = self.session.engine
        state = self.session.state
        clock = self.query_one(ClassroomClock)
        clock.show(engine.story_time(state.clock_ms), engine.story.meta.clock.timezone, self.locale, plain_text(view.place))
        clock.frozen = self.paused or self.voting
        words = tr(self.locale, "today")
        for widget, ticker in zip(self.query(ClassroomTicker), ticker_views(engine, state, self.locale)):
            widget.show(ticker, words)
        self._show_state()

    def _show_state(self) -> None:
        locale = self.locale
        if self.autoplay_active:
            state, style = tr(locale, "autoplay"), "-autoplay"
        elif self.voting:
            state, style = tr(locale, "voting"), "-voting"
        elif self.paused:
            state, style = tr(locale, "paused"), "-paused"
        elif self.session.finished:
            state, style = tr(locale, "ended"), "-ended"
        elif not self.live:
            state, style = tr(locale, "frozen"), "-frozen"
        else:
            state, style = tr(locale, "live"), "-live"
        if (state, style) != self._state_shown:
            self._state_shown = (state, style)
            widget = self.query_one("#cr-state", Static)
            widget.update(state)
            widget.set_classes(style)

    def _show_scene(self, view: SceneView) -> None:
        locale = self.locale
        banner = self.query_one("#cr-banner", Static)
        if view.ending_title is not None:
            banner.update(tr(locale, "the_end", title=plain_text(view.ending_title)))
            banner.set_classes("-ending")
        elif view.interrupted_by:
            banner.update(tr(locale, "interrupted", event=plain_text(view.title)))
            banner.set_classes("-interrupted")
        else:
            banner.update("")
            banner.set_classes("-hidden")
        self.query_one("#cr-title", Static).update(_markup(view.title))
        basis = tr(locale, f"basis_{view.basis}") if view.basis in ("history", "mixed", "fiction") else view.basis
        self.query_one("#cr-meta", Static).update(" · ".join(part for part in (view.time, plain_text(view.place), basis) if part))
        paragraphs = [_markup(p) for p in view.paragraphs]
        self.query_one("#cr-text", Static).update(Content("\n\n").join(paragraphs))
        epilogue = self.query_one("#cr-epilogue", Static)
        if view.ending_title is not None:
            parts = []
            if view.ending_title and plain_text(view.ending_title) != plain_text(view.title):
                parts.append(Content(plain_text(view.ending_title)).stylize("bold"))
            if view.epilogue:
                parts += [Content(plain_text(p.strip())) for p in view.epilogue.strip().split("\n\n") if p.strip()]
            if self.votes:
                parts.append(Content(tr(locale, "votes_so_far", count=len(self.votes))).stylize("bold"))
            parts.append(Content(tr(locale, "ending_next")).stylize("italic"))
            epilogue.update(Content("\n\n").join(parts))
            epilogue.display = True
        else:
            epilogue.display = False
        self.query_one("#cr-scene", VerticalScroll).scroll_home(animate=False)
        self._show_choices(view)
        self._show_discussion(view)
        self.revealed = False
        self.set_class(view.ending_title is not None, "-ending")

    def _show_choices(self, view: SceneView) -> None:
        self._choices_shown = view.choices
        locale = self.locale
        self.query_one("#cr-question", Static).update(tr(locale, "question") if view.choices else "")
        rows = self.query_one("#cr-choice-rows", Vertical)
        rows.remove_children()
        rows.mount_all([ChoiceRow(line, locale) for line in view.choices])
        self.query_one("#cr-choices").display = bool(view.choices) and not self.voting

    def _show_discussion(self, view: SceneView) -> None:
        locale = self.locale
        if self.showing_keys:
            body = Content.assemble((tr(locale, "help_heading"), "bold reverse"), "\n\n", tr(locale, "help"))
            self.query_one("#cr-discuss-body", Static).update(body)
            return
        parts: list = [(f" {tr(locale, 'pause_heading')} ", "bold reverse"), "\n\n",
                       (tr(locale, "discuss"), "bold $accent"), "\n",
                       (plain_text(view.discussion) if view.discussion else tr(locale, "no_prompt"), "bold"), "\n"]
        if view.teacher_note:
            parts += ["\n", (tr(locale, "teacher"), "bold $accent"), "\n", plain_text(view.teacher_note), "\n"]
        if view.history_note:
            parts.append("\n")
            if self.revealed:
                parts += [(tr(locale, "history"), "bold $accent"), "\n", plain_text(view.history_note), "\n"]
                if view.source:
                    parts += [(tr(locale, "source", source=view.source), "italic $text-muted"), "\n"]
            else:
                parts.append((tr(locale, "history_hidden"), "italic $text-muted"))
        self.query_one("#cr-discuss-body", Static).update(Content.assemble(*parts))

    def _show_keys(self) -> None:
        locale = self.locale
        if self.autoplay_active:
            text = tr(locale, "keys_autoplay", seconds=self.autoplay_seconds or 0)
        elif self.voting:
            text = tr(locale, "keys_voting")
        elif self.paused:
            text = tr(locale, "keys_paused")
        elif self.session.finished:
            text = tr(locale, "keys_ending")
            if self.exported is not None:
                shown = self.exported[1].name if self.app.is_web else str(self.exported[1])
                text = tr(locale, "exported_short", html=shown) + " · " + text
        else:
            text = tr(locale, "keys")
        if self._error:
            text = f"{self._error} · {text}"
        if text != self._keys_shown:
            self._keys_shown = text
            self.query_one("#cr-keys", Static).update(text)

    def _show_error(self) -> None:
        self.query_one("#cr-banner", Static).update(self._error)
        self.query_one("#cr-banner", Static).set_classes("-interrupted")
        self._show_keys()

    def _announce_scene(self, previous: str) -> None:
        """Tell the app the game is on another scene (it autosaves on this), when the app listens."""
        try:
            from collapse_tui.ui.messages import SceneChanged
        except ImportError:
            return
        last = self.session.state.log[-1] if self.session.state.log else None
        self.app.post_message(SceneChanged(self.session.state.scene, last.via if last else "choice", previous))

    # --- reactive state -----------------------------------------------------------------------------

    def watch_paused(self, paused: bool) -> None:
        self.set_class(paused, "-paused")
        if self.is_mounted:
            if self._view is not None:
                self._show_discussion(self._view)
            self._refresh()

    def watch_voting(self, voting: bool) -> None:
        self.set_class(voting, "-voting")
        if self.is_mounted:
            self.query_one("#cr-choices").display = not voting and bool(self._choices_shown)
            self._refresh()

    def watch_revealed(self) -> None:
        if self.is_mounted and self._view is not None:
            self._show_discussion(self._view)

    def watch_showing_keys(self, showing: bool) -> None:
        self.set_class(showing, "-keys")
        if self.is_mounted and self._view is not None:
            self._show_discussion(self._view)

    # --- actions ------------------------------------------------------------------------------------

    def _take(self, index: int) -> bool:
        try:
            self.session.choose(index)
        except PlayError as error:
            self.notify(tr(self.locale, "error", message=str(error)), severity="error")
            return False
        self._error = ""
        self._refresh()
        return True

    def action_choose(self, number: int) -> None:
        if self.voting:  # the chart lost focus (a click elsewhere): the digit is still a count
            chart = self.query_one(VoteChart)
            chart.focus()
            chart.action_digit(number)
            return
        if self.session.finished:
            return
        view = self._view
        if view is None:
            return
        line = next((c for c in view.choices if c.number == number), None)
        if line is None:
            self.notify(tr(self.locale, "no_such_choice", number=number), severity="warning")
            return
        if not line.available:
            self.notify(tr(self.locale, "locked_choice", reason=plain_text(line.reason)), severity="warning")
            return
        self.paused = False
        self.showing_keys = False
        self._take(line.index)

    @on(ChoiceRow.Picked)
    def _picked(self, message: ChoiceRow.Picked) -> None:
        self.action_choose(message.number)

    def action_vote(self) -> None:
        if self.voting or self.session.finished or self._view is None:
            return
        if not any(c.available for c in self._view.choices):
            self.notify(tr(self.locale, "no_vote"), severity="warning")
            return
        self.paused = False
        self.showing_keys = False
        chart = self.query_one(VoteChart)
        chart.locale = self.locale
        chart.open(self._view.choices)
        self.voting = True
        chart.focus()

    @on(VoteChart.Decided)
    def _vote_decided(self, message: VoteChart.Decided) -> None:
        state = self.session.state
        self.votes.append(ClassVote(state.scene, state.turns, state.clock_ms, tuple(message.options),
                                    message.winner, message.tie_broken))
        self.voting = False
        self.query_one("#cr-scene").focus()
        option: VoteOption = next(o for o in message.options if o.index == message.winner)
        key = "vote_tie" if message.tie_broken else "vote_taken"
        self.notify(tr(self.locale, key, number=option.number, text=plain_text(option.text)), timeout=6)
        if not self._take(message.winner):
            self.votes.pop()

    @on(VoteChart.Cancelled)
    def _vote_cancelled(self) -> None:
        self.voting = False
        self.query_one("#cr-scene").focus()
        self.notify(tr(self.locale, "vote_cancelled"))

    def action_pause(self) -> None:
        if self.voting:
            return
        self.showing_keys = False
        self.paused = not self.paused

    def action_resume(self) -> None:
        if self.voting:
            chart = self.query_one(VoteChart)
            chart.focus()
            chart.action_cancel()
        elif self.showing_keys:
            self.showing_keys = False
        elif self.paused:
            self.paused = False

    def action_reveal(self) -> None:
        if self.paused:
            self.revealed = not self.revealed

    def action_keys(self) -> None:
        if not self.voting:
            self.showing_keys = not self.showing_keys

    def action_undo(self) -> None:
        if self.voting:
            return
        if not self.session.undo():
            self.notify(tr(self.locale, "nothing_to_undo"))
            return
        turns = self.session.state.turns
        self.votes = [vote for vote in self.votes if vote.turn < turns]
        self.paused = False
        self.notify(tr(self.locale, "undone"))
        self._refresh(force=True)

    def action_scroll(self, direction: int) -> None:
        target = "#cr-discuss" if self.paused or self.showing_keys else "#cr-scene"
        scroll = self.query_one(target, VerticalScroll)
        if direction < 0:
            scroll.scroll_page_up(animate=False)
        else:
            scroll.scroll_page_down(animate=False)

    def action_export(self) -> Optional[tuple[Path, Path]]:
        folder = self.debrief_dir or getattr(self.app, "debrief_dir", None)
        if folder is None:
            if self.app.is_web:  # served to a browser: keep the files in this game's own home, then send them
                from collapse_tui.engine.saves import data_dir

                folder = data_dir() / "debriefs"
            else:
                folder = Path.cwd()
        try:
            paths = write_debrief(Path(folder), self.session.engine, self.session.state, self.locale, self.votes)
        except OSError as error:
            self.notify(tr(self.locale, "export_failed", error=str(error)), severity="error", timeout=10)
            return None
        self.exported = paths
        if self.app.is_web:  # played in a browser (collapse-tui serve): hand the page to that browser
            self.app.deliver_text(paths[1], save_filename=paths[1].name, open_method="browser", mime_type="text/html")
            self.notify(tr(self.locale, "exported_web", html=paths[1].name), timeout=15)
        else:
            self.notify(tr(self.locale, "exported", markdown=str(paths[0]), html=str(paths[1])), timeout=15)
        self._show_keys()
        return paths

    def action_toggle_light(self) -> None:
        self._use_theme(dark=not self.app.current_theme.dark)

    def _use_theme(self, dark: bool) -> None:
        """Switch the app to a projector theme (the app's own theme comes back when the screen closes)."""
        for theme in PROJECTOR_THEMES:
            if theme.name not in self.app.available_themes:
                self.app.register_theme(theme)
        if self._theme_before is None:
            self._theme_before = self.app.theme
        self.app.theme = (PROJECTOR_DARK if dark else PROJECTOR_LIGHT).name

    # --- autoplay -----------------------------------------------------------------------------------

    def autoplay_choose(self, index: int) -> None:
        self._take(index)

    def autoplay_ready(self) -> bool:
        return not self.voting and not self.paused

    @on(AutoplayMixin.AutoplayStopped)
    def _autoplay_stopped(self, message: AutoplayMixin.AutoplayStopped) -> None:
        if message.reason == "key":
            self.notify(tr(self.locale, "took_over"))
        elif message.reason == "ending":
            self.notify(tr(self.locale, "autoplay_done"))
        self._show_state()
        self._show_keys()
