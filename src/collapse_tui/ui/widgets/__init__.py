"""The app's widgets, one per module, each with its own DEFAULT_CSS. They are imported when first used
(`from collapse_tui.ui.widgets import Countdown` imports only the countdown's modules), so that a screen pays
at start-up only for the widgets it shows."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_MODULES = {
    "ChartData": "price_chart", "ChoiceList": "choice_list", "Countdown": "countdown",
    "GaugePanel": "gauge_panel", "HeaderInfo": "scene_header", "InterruptionBanner": "interruption_banner",
    "KeyFooter": "key_footer", "OrderBookView": "order_book", "PostPanel": "post_panel", "PriceChart": "price_chart",
    "SceneHeader": "scene_header", "SceneText": "scene_text", "TickerStrip": "ticker_strip",
}

__all__ = [
    "ChartData", "ChoiceList", "Countdown", "GaugePanel", "HeaderInfo", "InterruptionBanner", "KeyFooter",
    "OrderBookView", "PostPanel", "PriceChart", "SceneHeader", "SceneText", "TickerStrip",
]

if TYPE_CHECKING:
    from collapse_tui.ui.widgets.choice_list import ChoiceList
    from collapse_tui.ui.widgets.countdown import Countdown
    from collapse_tui.ui.widgets.gauge_panel import GaugePanel
    from collapse_tui.ui.widgets.interruption_banner import InterruptionBanner
    from collapse_tui.ui.widgets.key_footer import KeyFooter
    from collapse_tui.ui.widgets.order_book import OrderBookView
    from collapse_tui.ui.widgets.post_panel import PostPanel
    from collapse_tui.ui.widgets.price_chart import ChartData, PriceChart
    from collapse_tui.ui.widgets.scene_header import HeaderInfo, SceneHeader
    from collapse_tui.ui.widgets.scene_text import SceneText
    from collapse_tui.ui.widgets.ticker_strip import TickerStrip


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
