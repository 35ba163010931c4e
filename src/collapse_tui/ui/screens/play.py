"""The play screen: the scene (header, text, choices) with the live market around it. It is the host of the
game in the app: it sends the player's choices to the session, lets story time pass a few times a second
(prices move, events may interrupt), and posts `SceneChanged` whenever the game is on another scene."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.timer import Timer

from collapse_tui.engine.runtime import GameState, PlayError, Session
from collapse_tui.engine.views import ChoiceLine, SceneView, format_time, scene_view, ticker_views
from collapse_tui.ui.config import REVEAL_FACTOR, Settings
from collapse_tui.ui.messages import SceneChanged
from collapse_tui.ui.screens.classroom_autoplay import AutoplayMixin
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.styles import add_stylesheet
from collapse_tui.ui.textual_fixes import SteadyResize, release_styles_caches
from collapse_tui.ui.widgets import (
    ChoiceList, GaugePanel, HeaderInfo, KeyFooter, PostPanel, SceneHeader, SceneText, TickerStrip,
)

if TYPE_CHECKING:
    from collapse_tui.ui.widgets import Countdown, InterruptionBanner, OrderBookView

TICK_SECONDS = 0.24  # the market is sampled a little over four times a second (4+ even when a tick runs late)
MAX_TICK_GAP = 1.0  # a stalled tick (a slow machine, a suspended terminal) counts as at most one second
ORDERBOOK_SYMBOL = "FTT"
DETAILED_GAUGES_HEIGHT = 32
INSTANT_VIAS = {"undo", "load", "reload", "return", "locale"}


def marker(state: GameState) -> tuple[str, int]:
    """What identifies "the scene on screen": a new scene, or the same one entered again, changes it."""
    return state.scene, len(state.log)


class PlayScreen(AutoplayMixin, LocaleAware, SteadyResize, Screen):
    """The scene, the choices, the live prices and the panels the scene asks for."""


    AUTO_FOCUS = "#choices"  # from the start (not the scene text, the first focusable, then moved: two restyles)

    BINDINGS = [
        Binding("1", "choose(1)", "Choose", key_display="1-9", id="choose"),
        *[Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)],
        Binding("space", "skip", "Show all", show=False, id="skip"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo"),
        Binding("h", "history", "History", id="history"),
        Binding("g", "glossary", "Glossary", id="glossary"),
        Binding("s", "save", "Save", id="save"),
        Binding("l", "load", "Load", id="load"),
        Binding("d", "debrief", "Debrief", id="debrief"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("p", "pause", "Pause prices", show=False, id="pause"),
        Binding("v", "panels", "Panels", show=False, id="panels"),
        Binding("o", "settings", "Settings", show=False, id="settings"),
        Binding("t", "language", "Language", show=False, id="language"),
        Binding("pageup", "scroll_text(-1)", "Scroll", show=False, id="scroll"),
        Binding("pagedown", "scroll_text(1)", "Scroll", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        add_stylesheet(self.app, "play.tcss")
        self._marker: tuple[str, int] = ("", -1)
        self._view: Optional[SceneView] = None
        self._viewed: tuple[Optional[tuple[object, ...]], Optional[SceneView]] = (None, None)
        self._tick_timer: Optional[Timer] = None
        self._last_tick = time.monotonic()
        self.user_paused = False
        self._suspended = False
        self._stalled = False  # a story error stopped the clock until the scene changes
        self._timed: Optional[ChoiceLine] = None
        self._countdown_left = 0.0
        self._text_done = False
        self.ticks = 0  # market samples taken (for the benchmark and the tests)
        self._resumed_once = False
        # Widgets few scenes show (an interruption's banner, a timed choice's countdown, the order book) are
        # mounted when a scene first needs one: the first frame does not build, style and lay them out hidden.
        self._banner: Optional[InterruptionBanner] = None
        self._countdown: Optional[Countdown] = None
        self._book: Optional[OrderBookView] = None

    # --- building the screen -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The classes that lay the screen out (breakpoints, which panels the first scene shows) are set
        # before the children are styled, so that the first frame is styled once, not restyled whole.
        session = self.game.session
        first = self._scene_view(session.state)
        instant = self._instant(_last_via(session.state))
        self.update_classes({**self.breakpoint_classes(self.app.size), **self._layout_classes(first)}, update=False)
        # The first scene's tickers, gauges and text are given to their widgets here, so that they are built
        # with the screen and drawn in its first frame (not mounted after it; on mount they only update).
        # (In the order play.tcss splits them off the screen's edges: see there.)
        yield SceneHeader(id="header")
        yield TickerStrip(first.tickers, id="tickers")
        yield SceneText(self._paragraphs(first), terms=self._glossary_terms(), instant=instant,
                        reveal_factor=REVEAL_FACTOR[self.game.settings.text_speed], id="text")
        yield KeyFooter()
        yield ChoiceList(id="choices")
        with VerticalScroll(id="sidebar"):
            yield GaugePanel(first.gauges, id="gauges")
            yield PostPanel("feed", id="feed")
            yield PostPanel("chat", id="chat")

    def on_mount(self) -> None:
        self._apply_settings(self.game.settings)
        self.watch(self.game, "settings", self._apply_settings, init=False)
        self._set_headings()
        if not self.game.options.freeze_market:
            self._tick_timer = self.set_interval(TICK_SECONDS, self._tick, name="market")
        state = self.app_state
        self._marker = marker(state)
        via = _last_via(state)
        self.show_state(via)
        self.app.post_message(SceneChanged(state.scene, via))  # to the app only: the scene is already shown
        if self.game.autoplay is not None:
            self.notify(self.tr("autoplay_on", seconds=self.game.autoplay))
            self.start_autoplay(self.game.autoplay)

    @property
    def app_state(self) -> GameState:
        return self.game.session.state

    def _set_headings(self) -> None:
        self.query_one(ChoiceList).heading = self.tr("choices_heading")
        self.query_one(GaugePanel).heading = self.tr("gauges")
        self.query_one("#feed", PostPanel).heading = self.tr("feed")
        self.query_one("#chat", PostPanel).heading = self.tr("chat")
        if self._book is not None:
            self._label_book(self._book)

    def _label_book(self, book: OrderBookView) -> None:
        book.heading = self.tr("orderbook", symbol=ORDERBOOK_SYMBOL)
        book.wall_word = self.tr("wall")

    def _motion(self) -> bool:
        """Widgets move (tickers flash, the banner pulses, the text fades in)."""
        return not self.game.settings.reduced_motion and self.game.options.animations

    def _apply_settings(self, settings: Settings) -> None:
        motion = self._motion()
        self.query_one(TickerStrip).flashes = motion
        if self._banner is not None:
            self._banner.pulse = motion
        text = self.query_one(SceneText)
        text.fade = motion
        text.reveal_factor = REVEAL_FACTOR[settings.text_speed]
        if self._view is not None:
            self._update_header()

    # --- showing the game --------------------------------------------------------------------------

    def show_state(self, via: str) -> None:
        """Render the scene the game is on (a new one, or the same one after undo/load/reload)."""
        session = self.game.session
        state = session.state
        view = self._scene_view(state)
        self._view = view
        self._marker = marker(state)
        self._stalled = False
        instant = self._instant(via)
        self._update_header()
        strip = self.query_one(TickerStrip)
        strip.display = "tickers" in self._shown_panels(view)
        strip.update_tickers(view.tickers)
        if view.interrupted_by:
            self._needed_banner().message = f"⚡ {self.tr('interrupted')} — {self.tr('interrupted_by', title=view.title)}"
        elif self._banner is not None:
            self._banner.message = ""
        self._text_done = False
        self.query_one(SceneText).show_paragraphs(self._paragraphs(view), instant=instant, terms=self._glossary_terms())
        self._show_panels(view, arrive=not instant)
        self._show_choices(view)
        self.refresh_bindings()  # "Debrief" appears at an ending, "Choose" goes
        release_styles_caches()  # the last scene's widgets are gone: their rendered lines may go too

    def _scene_view(self, state: GameState) -> SceneView:
        """What the screen shows of `state`, made once for a state (a value), story and language: composing the
        screen and showing its first scene both ask for it."""
        engine = self.game.session.engine
        made_for, view = self._viewed
        if made_for is None or made_for[0] is not state or made_for[1] is not engine or made_for[2] != self.locale:
            view = scene_view(engine, state, self.locale)
            self._viewed = ((state, engine, self.locale), view)
        return view

    def _instant(self, via: str) -> bool:
        """The scene's text appears at once (not a paragraph at a time) when the scene was arrived at `via`."""
        return via in INSTANT_VIAS or self.game.options.instant_text

    def _paragraphs(self, view: SceneView) -> list[str]:
        paragraphs = list(view.paragraphs)
        if view.ending_title is not None:
            paragraphs.append(f"[b]— {self.tr('the_end', title=view.ending_title)} —[/b]")
        return paragraphs

    def _glossary_terms(self) -> dict[str, str]:
        story = self.game.session.story
        return {self.story_text(entry.term): entry.id for entry in story.glossary}

    def _show_panels(self, view: SceneView, *, arrive: bool) -> None:
        shown = self._shown_panels(view)
        gauges = self.query_one(GaugePanel)
        gauges.display = "gauges" in shown
        gauges.update_gauges(view.gauges)
        if "orderbook" in shown:
            self._needed_book().display = True
            self._update_book()
        elif self._book is not None:
            self._book.display = False
        arrive = arrive and not self.game.settings.reduced_motion and self.game.settings.reveal
        for kind, posts in (("feed", view.feed), ("chat", view.chat)):
            panel = self.query_one(f"#{kind}", PostPanel)
            panel.display = kind in shown
            panel.show_posts(posts, arrive=arrive)
        self.update_classes(self._layout_classes(view))
        self._fit_gauges()

    def _shown_panels(self, view: SceneView) -> set[str]:
        """The panels the scene asks for that have something to show."""
        asked = set(view.panels)
        has = {"tickers": bool(view.tickers), "gauges": bool(view.gauges), "feed": bool(view.feed),
               "chat": bool(view.chat), "orderbook": ORDERBOOK_SYMBOL in self.game.session.engine.market.index}
        return {panel for panel in asked if has.get(panel, False)}

    def _layout_classes(self, view: SceneView) -> dict[str, bool]:
        shown = self._shown_panels(view)
        others = bool(shown & {"orderbook", "feed", "chat"})
        gauges = "gauges" in shown
        return {"-no-sidebar": not (others or gauges), "-crowded": others and gauges}

    def _fit_gauges(self) -> None:
        """Gauges explain themselves when the sidebar has the room (a tall screen and no other panel), and take a
        line each when it has little (a short screen and other panels)."""
        gauges = self.query_one(GaugePanel)
        crowded = self.has_class("-crowded")
        gauges.detailed = self.size.height >= DETAILED_GAUGES_HEIGHT and not crowded
        gauges.compact = crowded and self.has_class("-short")

    def on_resize(self) -> None:
        self._fit_gauges()

    def _show_choices(self, view: SceneView) -> None:
        choices = self.query_one(ChoiceList)
        self._timed = None
        if self._countdown is not None:
            self._countdown.stop()
        if view.ending_title is not None:
            choices.show_ending(self.tr("read_debrief"))
            return
        choices.show_choices(view.choices, locked_word=self.tr("locked"), timed_word=self.tr("timed"))
        self._timed = next((line for line in view.choices if line.available and line.timeout), None)
        if self._timed is not None:
            self._countdown_left = float(self._timed.timeout or 0)
            self._needed_countdown().start(self._countdown_left)
            self._update_countdown()

    def _update_header(self) -> None:
        view = self._view
        if view is None:
            return
        session = self.game.session
        clock = format_time(session.engine.story_time(session.state.clock_ms), session.story.meta.clock.timezone,
                            self.locale)
        self.query_one(SceneHeader).info = HeaderInfo(view.title, clock, view.place, *self._clock_status())

    def _clock_status(self) -> tuple[str, bool]:
        settings = self.game.settings
        if self.user_paused or settings.ticker_speed <= 0:
            return "⏸ " + self.tr("paused"), False
        if self.game.options.freeze_market:
            return self.tr("frozen"), False
        if settings.ticker_speed != 1.0:
            return "● " + self.tr("live_speed", speed=f"{settings.ticker_speed:g}"), True
        return "● " + self.tr("live"), True

    def _update_book(self) -> None:
        from collapse_tui.engine.orderbook import order_book
        from collapse_tui.ui.widgets.order_book import format_size

        engine = self.game.session.engine
        state = self.game.session.state
        index = engine.market.index.get(ORDERBOOK_SYMBOL)
        view = self._book
        if index is None or view is None:
            return
        price = state.market.tickers[index].price
        book = order_book(price, seed=state.seed, time_ms=state.clock_ms)
        view.book = book
        view.wall_label = self.tr("wall_left", price=book.wall_price, left=format_size(book.wall_left),
                                  share=book.wall_share)
        view.broken_label = "⚠ " + self.tr("wall_broken", price=book.wall_price)

    def _update_countdown(self) -> None:
        if self._timed is None:
            return
        key = "countdown" if self.clock_running else "countdown_paused"
        countdown = self._needed_countdown()
        countdown.label = self.tr(key, seconds=max(0.0, self._countdown_left) + 0.49, choice=_plain(self._timed.text))
        countdown.remaining = self._countdown_left

    def _needed_banner(self) -> InterruptionBanner:
        if self._banner is None:
            from collapse_tui.ui.widgets import InterruptionBanner

            self._banner = InterruptionBanner(id="banner")
            self._banner.pulse = self._motion()
            self.mount(self._banner, after=self.query_one(TickerStrip))
        return self._banner

    def _needed_countdown(self) -> Countdown:
        if self._countdown is None:
            from collapse_tui.ui.widgets import Countdown

            self._countdown = Countdown(id="countdown")
            self.mount(self._countdown, after=self.query_one(ChoiceList))  # (split off above the choices)
        return self._countdown

    def _needed_book(self) -> OrderBookView:
        if self._book is None:
            from collapse_tui.ui.widgets import OrderBookView

            self._book = OrderBookView(id="orderbook")
            self._label_book(self._book)
            self.query_one("#sidebar").mount(self._book, before=0)
        return self._book

    def locale_changed(self, locale: str) -> None:
        self._set_headings()
        self.show_state("locale")

    # --- the clock ---------------------------------------------------------------------------------

    @property
    def clock_running(self) -> bool:
        """Story time passes: not paused, not frozen, no other screen on top, not at an ending."""
        return (not self.user_paused and not self._suspended and not self._stalled
                and not self.game.options.freeze_market and self.game.settings.ticker_speed > 0
                and not self.game.session.finished)

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed = min(MAX_TICK_GAP, now - self._last_tick)
        self._last_tick = now
        if not self.clock_running:
            return
        session = self.game.session
        previous = session.state.scene
        try:
            session.wait(elapsed * self.game.settings.ticker_speed)
        except PlayError as error:
            self._story_failed(error)
            return
        self.ticks += 1
        if marker(session.state) != self._marker:
            self._moved(previous)
            return
        self._update_live()
        if self._timed is not None and self._text_done:
            self._countdown_left -= elapsed
            if self._countdown_left <= 0:
                timed, self._timed = self._timed, None
                self._needed_countdown().stop()
                self.take_choice(timed.number)
            else:
                self._update_countdown()

    def _update_live(self) -> None:
        """Repaint what moves with the clock: prices, the header's time, the order book."""
        session = self.game.session
        strip = self.query_one(TickerStrip)
        if strip.display:
            strip.update_tickers(ticker_views(session.engine, session.state, self.locale))
        self._update_header()
        if self._book is not None and self._book.display:
            self._update_book()

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        self._suspended = True

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls one handler per class, the subclass's first). The
        # first resume follows the screen's mount, which styled every widget already: restyling the whole
        # screen again would only delay the first frame.
        if not self._resumed_once:
            self._resumed_once = True
            event.refresh_styles = False
        self._suspended = False
        self._last_tick = time.monotonic()

    # --- moves -------------------------------------------------------------------------------------

    def take_choice(self, number: int) -> None:
        """Take the choice shown with `number` (1-based), as a key press, a click or a timer would."""
        session = self.game.session
        if session.finished:
            self.action_debrief()
            return
        view = self._view
        line = next((c for c in view.choices if c.number == number), None) if view else None
        if line is None:
            self.notify(self.tr("no_such_choice", number=number), severity="warning")
            return
        if not line.available:
            self.notify(self.tr("choice_locked", reason=_plain(line.reason)), severity="warning")
            return
        previous = session.state.scene
        try:
            session.choose(line.index)
        except PlayError as error:
            self._story_failed(error)
            return
        self._moved(previous)

    def _moved(self, previous: Optional[str], via: Optional[str] = None) -> None:
        state = self.app_state
        self._marker = marker(state)
        via = via or _last_via(state)
        self.post_message(SceneChanged(state.scene, via, previous))

    @on(SceneChanged)
    def _scene_changed(self, event: SceneChanged) -> None:
        self.show_state(event.via)

    def _story_failed(self, error: Exception) -> None:
        self._stalled = True
        self.notify(self.tr("story_error", error=error), severity="error", timeout=12)

    @on(SceneText.Revealed)
    def _text_revealed(self) -> None:
        self._text_done = True
        self._update_countdown()

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        if event.number == 0:
            self.action_debrief()
        else:
            self.take_choice(event.number)

    # --- actions -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        finished = self.game.session.finished
        if action == "debrief":
            return True if finished else False
        if action == "choose":
            return not finished
        return True

    def action_choose(self, number: int) -> None:
        self.take_choice(number)

    def action_skip(self) -> None:
        self.query_one(SceneText).reveal_all()
        for panel in self.query(PostPanel):
            panel.show_all()

    def action_undo(self) -> None:
        previous = self.app_state.scene
        if not self.game.session.undo():
            self.notify(self.tr("nothing_to_undo"))
            return
        self.notify(self.tr("undone"))
        self._moved(previous, "undo")

    def action_history(self) -> None:
        from collapse_tui.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_glossary(self, entry_id: str = "") -> None:
        from collapse_tui.ui.screens.glossary import GlossaryScreen

        scene_terms = [entry for term, entry in self._glossary_terms().items()
                       if term and any(term.lower() in p.lower() for p in (self._view.paragraphs if self._view else ()))]
        self.app.push_screen(GlossaryScreen(selected=entry_id or None, in_scene=scene_terms))

    def action_save(self) -> None:
        from collapse_tui.ui.screens.saves import SavesScreen

        self.app.push_screen(SavesScreen("save"))

    def action_load(self) -> None:
        from collapse_tui.ui.screens.saves import SavesScreen

        self.app.push_screen(SavesScreen("load"), self._loaded)

    def _loaded(self, state: Optional[GameState]) -> None:
        if state is not None:
            self.game.adopt_state(state)

    def action_debrief(self) -> None:
        if not self.game.session.finished:
            return
        self.stop_autoplay()
        from collapse_tui.ui.screens.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen())

    def action_help(self) -> None:
        self.app.action_help()  # type: ignore[attr-defined]

    def action_settings(self) -> None:
        self.app.action_settings()  # type: ignore[attr-defined]

    def action_language(self) -> None:
        self.game.action_next_language()

    def action_pause(self) -> None:
        self.user_paused = not self.user_paused
        self._last_tick = time.monotonic()
        self._update_header()
        self._update_countdown()

    def action_panels(self) -> None:
        self.toggle_class("-panels-toggled")

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one(SceneText)
        if direction < 0:
            text.scroll_page_up()
        else:
            text.scroll_page_down()

    # --- autoplay (--autoplay SECS: AutoplayMixin, as in the classroom) ------------------------------

    def autoplay_session(self) -> Session:
        return self.game.session

    def autoplay_ready(self) -> bool:
        """A step first shows the rest of the scene's text, if it is still appearing; the next one chooses."""
        return not self.query_one(SceneText).reveal_all()

    def autoplay_choose(self, index: int) -> None:
        pick = next((line for line in self._view.choices if line.index == index), None) if self._view else None
        if pick is None:
            self.stop_autoplay("stuck")
            return
        self.take_choice(pick.number)

    @on(AutoplayMixin.AutoplayStopped)
    def _autoplay_stopped(self, message: AutoplayMixin.AutoplayStopped) -> None:
        if message.reason == "ending":  # the ending is read for a step, as every scene was, then the debrief
            self._debrief_after_a_step()

    def _debrief_after_a_step(self) -> None:
        self.set_timer(self.autoplay_seconds or 0, self._autoplay_debrief, name="autoplay-debrief")

    def _autoplay_debrief(self) -> None:
        if not self.is_current or not self.game.session.finished:  # (someone took over meanwhile)
            return
        if self.autoplay_ready():
            self.action_debrief()
        else:
            self._debrief_after_a_step()


def _last_via(state: GameState) -> str:
    """How the game came to the scene it is on."""
    return state.log[-1].via if state.log else "start"


def _plain(markup: str) -> str:
    from collapse_tui.transcript import plain_text

    return plain_text(markup)
