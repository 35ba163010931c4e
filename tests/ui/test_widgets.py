"""Each widget on its own, in a small host app: what it shows, what it repaints, what it posts."""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widget import Widget

from collapse_tui.engine.orderbook import order_book
from collapse_tui.engine.views import ChoiceLine, GaugeView, PostView, TickerView
from collapse_tui.ui.widgets import (
    ChartData, ChoiceList, Countdown, GaugePanel, OrderBookView, PostPanel, PriceChart, SceneText, TickerStrip,
)
from collapse_tui.ui.widgets.gauge import bar
from collapse_tui.ui.widgets.price_chart import resample
from collapse_tui.ui.widgets.scene_text import link_terms
from collapse_tui.ui.widgets.ticker_cell import sparkline


class Host(App[None]):
    def __init__(self, *widgets: Widget) -> None:
        super().__init__()
        self.widgets = widgets
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield from self.widgets

    def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        self.messages.append(message.number)

    def on_scene_text_revealed(self, message: SceneText.Revealed) -> None:
        self.messages.append("revealed")


def ticker(price: float, recent: Iterable[float] = (), day_open: float = 20.0, symbol: str = "FTT") -> TickerView:
    return TickerView(symbol, "FTX Token", price, day_open, tuple(recent) or (day_open, price))


def plain(widget: Widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


# --- pure helpers -----------------------------------------------------------------------------------


def test_sparkline_scales_between_low_and_high():
    assert sparkline((1.0, 2.0, 3.0), 3) == "▁▅█"
    assert sparkline((5.0, 5.0), 4) == "▄▄"
    assert sparkline(tuple(range(100)), 5) == "▁▃▅▆█"
    assert sparkline((), 5) == ""


def test_bar_fills_to_the_share_with_an_eighth_block_edge():
    assert bar(0.5, 10) == ("█████", "     ")
    filled, rest = bar(0.55, 10)
    assert filled == "█████▌" and len(filled + rest) == 10
    assert bar(0.0, 4) == ("", "    ")
    assert bar(1.2, 4) == ("████", "")


def test_resample_keeps_the_shape_of_a_series():
    assert resample([1.0, 2.0, 3.0, 4.0], 2) == [1.5, 3.5]
    assert resample([1.0, 2.0], 4) == [1.0, 1.0, 2.0, 2.0]


def test_glossary_terms_become_clickable():
    text = link_terms(Text("FTT fell. Collateral, collateral!"), {"collateral": "collateral", "FTT": "ftt"})
    clicks = [span.style.meta.get("@click") for span in text.spans]
    assert clicks.count("screen.glossary('collateral')") == 2 and "screen.glossary('ftt')" in clicks


def test_overlapping_glossary_terms_link_the_longer_one_once():
    text = link_terms(Text("The order book, an order, 资产负债表 and FTTx."),
                      {"order": "order", "order book": "book", "资产负债表": "sheet", "FTT": "ftt"})
    links = [(text.plain[span.start:span.end], span.style.meta["@click"]) for span in text.spans]
    assert links == [("order book", "screen.glossary('book')"), ("order", "screen.glossary('order')"),
                     ("资产负债表", "screen.glossary('sheet')")]
    text = link_terms(Text("A Bank Run on deposits; a run_on"), {"bank run": "run", "run on deposits": "deposits",
                                                                  "run on": "on"})
    assert [(text.plain[span.start:span.end], span.style.meta["@click"]) for span in text.spans] == [
        ("Bank Run", "screen.glossary('run')")]  # the leftmost, whatever its case; "run_on" is one word


# --- ticker ---------------------------------------------------------------------------------------


def strip_line(strip: TickerStrip, y: int) -> str:
    return strip.render_line(y).text.strip()


def cell_background(strip: TickerStrip) -> object:
    """The background of the first cell (its padding), as drawn."""
    return next(iter(strip.render_line(0))).style.bgcolor


async def test_ticker_cell_shows_price_change_arrow_and_trend():
    strip = TickerStrip()
    async with Host(strip).run_test(size=(30, 4)) as pilot:
        strip.update_tickers([ticker(16.0, recent=(20.0, 18.0, 17.0, 16.0))])
        await pilot.pause()
        assert strip_line(strip, 0) == "FTT ▼ 16.00"
        assert strip_line(strip, 1) == "-20.0% █▅▃▁"


async def test_ticker_cell_repaints_only_the_line_whose_text_changed():
    strip = TickerStrip()
    views = [ticker(16.0), ticker(30.0, symbol="BTC")]
    async with Host(strip).run_test(size=(60, 4)) as pilot:
        strip.update_tickers(views)
        await pilot.pause()
        repaints = []
        original = strip.refresh
        strip.refresh = lambda *a, **k: (repaints.extend(a or ["all"]), original(*a, **k))[1]  # type: ignore
        strip.update_tickers([ticker(16.001), views[1]])  # shown as 16.00 either way
        assert not repaints
        strip.update_tickers([ticker(15.995), views[1]])  # the price shown moves, the change shown does not
        assert [(region.x, region.y, region.height) for region in repaints] == [(0, 0, 1)]
        assert repaints[0].width == 30  # the first cell only


async def test_ticker_cell_flashes_on_a_big_move_unless_motion_is_reduced():
    strip = TickerStrip()
    async with Host(strip).run_test(size=(30, 4)) as pilot:
        strip.update_tickers([ticker(16.0)])
        normal = cell_background(strip)
        strip.update_tickers([ticker(16.05)])
        assert cell_background(strip) == normal
        strip.update_tickers([ticker(14.0)])
        down = cell_background(strip)
        assert down != normal
        await pilot.pause(1.5)
        assert cell_background(strip) == normal
        strip.update_tickers([ticker(16.0)])
        assert cell_background(strip) not in (normal, down)  # up, not down
        await pilot.pause(1.5)
        strip.flashes = False
        strip.update_tickers([ticker(10.0)])
        assert cell_background(strip) == normal


async def test_ticker_strip_shows_as_many_cells_as_fit():
    strip = TickerStrip()
    views = [ticker(1.0 + i, symbol=s) for i, s in enumerate(["FTT", "BTC", "ETH", "SOL", "SRM"])]
    async with Host(strip).run_test(size=(60, 4)) as pilot:
        strip.update_tickers(views)
        await pilot.pause()
        assert strip.cells_shown == 4
        assert "SOL" in strip_line(strip, 0) and "SRM" not in strip_line(strip, 0)
        await pilot.resize_terminal(100, 4)
        await pilot.pause()
        assert strip.cells_shown == 5 and "SRM" in strip_line(strip, 0)


# --- gauge ----------------------------------------------------------------------------------------


def panel_lines(panel: GaugePanel) -> list[str]:
    return [panel.render_line(y).text.strip() for y in range(panel.size.height)]


async def test_gauge_shows_label_value_bar_and_the_last_change():
    view = GaugeView("lender_patience", "Lenders' patience", 60, 0, 100, "%", "How long lenders wait.")
    panel = GaugePanel([view])
    panel.heading = "Where things stand"
    async with Host(panel).run_test(size=(32, 6)) as pilot:
        await pilot.pause()
        heading, head, line = panel_lines(panel)
        assert heading == "Where things stand"
        assert head.startswith("Lenders' patience") and head.endswith("60%")
        assert line.startswith("█" * 18)
        await pilot.hover(GaugePanel, offset=(3, 2))
        assert panel.tooltip == "How long lenders wait."
        panel.update_gauges([GaugeView("lender_patience", "Lenders' patience", 45, 0, 100, "%", "")])
        await pilot.pause()
        assert panel_lines(panel)[2].endswith("▼ −15%")


async def test_gauge_on_one_line_keeps_the_label_and_value():
    panel = GaugePanel([GaugeView("savings", "Your savings on FTX", 42, 0, 100, "$k", "")])
    panel.compact = True
    async with Host(panel).run_test(size=(24, 3)) as pilot:
        await pilot.pause()
        assert panel_lines(panel)[1:] == ["Your savings on…  $42k"]


async def test_detailed_gauges_say_what_they_measure_a_line_apart():
    views = [GaugeView(name, name.title(), 42, 0, 100, "%", f"What {name} means.") for name in ("trust", "cash")]
    panel = GaugePanel(views)
    panel.heading = "Gauges"
    async with Host(panel).run_test(size=(32, 12)) as pilot:
        await pilot.pause()
        assert [line[:5] for line in panel_lines(panel)] == ["Gauge", "Trust", "█████", "Cash ", "█████"]
        panel.detailed = True
        await pilot.pause()
        lines = panel_lines(panel)
        assert [line[:5] for line in lines] == ["Gauge", "Trust", "█████", "What ", "", "Cash ", "█████", "What ", ""]
        assert lines[3] == "What trust means." and lines[7] == "What cash means."


# --- choices, text, countdown ---------------------------------------------------------------------


async def test_choice_list_shows_locked_choices_with_their_reason_and_posts_chosen():
    choices = ChoiceList()
    lines = [ChoiceLine(1, 0, "Help place the order", True, timeout=30),
             ChoiceLine(2, 1, "Withdraw", False, "You have no reason to doubt FTX yet.")]
    host = Host(choices)
    async with host.run_test(size=(70, 8)) as pilot:
        choices.show_choices(lines, locked_word="locked", timed_word="timed")
        choices.focus()
        await pilot.pause()
        assert "◷ timed" in str(choices.get_option_at_index(0).prompt)
        locked = choices.get_option_at_index(1)
        assert locked.disabled and "(locked) Withdraw — You have no reason" in str(locked.prompt)
        await pilot.press("down", "enter")  # the locked one cannot be highlighted: still the first
        await pilot.pause()
        assert host.messages == [1]
        choices.show_ending("Read the debrief")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert host.messages == [1, 0]


def shown_paragraphs(text: SceneText) -> list[str]:
    return [str(paragraph.render()) for paragraph in text.children if paragraph.display]


async def test_scene_text_reveals_paragraphs_one_by_one_and_skips():
    text = SceneText()
    host = Host(text)
    async with host.run_test(size=(60, 12)) as pilot:
        text.reveal_factor = 1.0  # about 0.6 s per paragraph
        text.show_paragraphs(["One.", "Two.", "Three."])
        await pilot.pause()
        assert shown_paragraphs(text) == ["One."]
        await pilot.pause(2.0)
        assert shown_paragraphs(text) == ["One.", "Two.", "Three."] and host.messages == ["revealed"]
        text.reveal_factor = 5
        text.show_paragraphs(["Four.", "Five."])
        await pilot.pause()
        assert text.revealing and text.reveal_all() and not text.revealing
        await pilot.pause()
        assert host.messages == ["revealed", "revealed"]
        assert shown_paragraphs(text) == ["Four.", "Five."]


async def test_countdown_says_what_happens_at_zero_and_turns_urgent():
    countdown = Countdown()
    async with Host(countdown).run_test(size=(70, 3)) as pilot:
        assert not countdown.display
        countdown.start(30)
        countdown.label = "30 s left: then “Help” is chosen for you"
        await pilot.pause()
        assert countdown.display and plain(countdown).startswith("30 s left")
        countdown.remaining = 5
        assert countdown.has_class("-urgent")
        countdown.stop()
        await pilot.pause()
        assert not countdown.display


# --- panels ---------------------------------------------------------------------------------------


async def test_order_book_shows_the_wall_and_then_that_it_broke():
    view = OrderBookView()
    view.styles.height = 12
    async with Host(view).run_test(size=(34, 14)) as pilot:
        view.heading, view.wall_word = "FTT order book", "the wall"
        view.wall_label, view.broken_label = "wall $14: standing", "WALL BROKEN"
        view.book = order_book(15.2, seed=1, time_ms=0)
        await pilot.pause()
        shown = plain(view)
        assert shown.splitlines()[0] == "FTT order book"
        assert "14.00" in shown and "← the wall" in shown and shown.rstrip().endswith("wall $14: standing")
        view.book = order_book(13.1, seed=1, time_ms=0)
        await pilot.pause()
        assert plain(view).rstrip().endswith("WALL BROKEN") and "← the wall" not in plain(view)


async def test_post_panel_posts_arrive_one_by_one():
    panel = PostPanel("chat")
    posts = [PostView("Daniel", "Just place it."), PostView("Priya", "Fourteen million.")]
    async with Host(panel).run_test(size=(40, 8)) as pilot:
        panel.heading = "Office chat"
        panel.show_posts(posts, arrive=True)
        await pilot.pause()
        assert "Daniel: Just place it." in plain(panel) and "Priya" not in plain(panel)
        panel.show_all()
        assert "Priya: Fourteen million." in plain(panel)


async def test_price_chart_draws_one_symbol_and_switches():
    chart = PriceChart()
    data = ChartData(("FTT", "BTC"), ("7 Nov 21:30", "8 Nov 09:00", "8 Nov 23:30"),
                     ((22.4, 20600.0), (17.0, 20000.0), (5.0, 17600.0)))
    async with Host(chart).run_test(size=(50, 14)) as pilot:
        chart.data = data
        chart.focus()
        await pilot.pause()
        lines = plain(chart).splitlines()
        assert "22.40 → 5.00" in lines[0] and "(-77.7%)" in lines[0]
        assert lines[1].strip().startswith("22.40") and "5.00" in lines[-2]
        assert lines[-1].strip().startswith("7 Nov 21:30") and lines[-1].endswith("8 Nov 23:30")
        await pilot.press("right")
        assert chart.symbol_index == 1 and "20,600 → 17,600" in plain(chart)
