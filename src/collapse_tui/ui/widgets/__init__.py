"""The app's widgets, one per module, each with its own DEFAULT_CSS."""

from collapse_tui.ui.widgets.choice_list import ChoiceList
from collapse_tui.ui.widgets.countdown import Countdown
from collapse_tui.ui.widgets.gauge import Gauge
from collapse_tui.ui.widgets.gauge_panel import GaugePanel
from collapse_tui.ui.widgets.interruption_banner import InterruptionBanner
from collapse_tui.ui.widgets.order_book import OrderBookView
from collapse_tui.ui.widgets.post_panel import PostPanel
from collapse_tui.ui.widgets.price_chart import ChartData, PriceChart
from collapse_tui.ui.widgets.scene_header import HeaderInfo, SceneHeader
from collapse_tui.ui.widgets.scene_text import SceneText
from collapse_tui.ui.widgets.ticker_cell import TickerCell
from collapse_tui.ui.widgets.ticker_strip import TickerStrip

__all__ = [
    "ChartData", "ChoiceList", "Countdown", "Gauge", "GaugePanel", "HeaderInfo", "InterruptionBanner",
    "OrderBookView", "PostPanel", "PriceChart", "SceneHeader", "SceneText", "TickerCell", "TickerStrip",
]
