"""The app's stylesheets (.tcss): the layout of the app and of each screen. `stylesheet(name)` is the
absolute path of one, so subclasses of the app's screens (tests, benchmarks) find it too."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

STYLES_DIR = Path(__file__).parent


def stylesheet(name: str) -> Path:
    return STYLES_DIR / name


def add_stylesheet(app: App, name: str) -> None:
    """Give the app's stylesheet a screen's own sheet, when the screen is made: only that sheet is parsed, and
    the screen and its widgets are styled with it as they are mounted. (A screen's CSS_PATH has Textual parse
    every sheet again from scratch, and restyle every widget, when the screen is first pushed.) For sheets
    whose every rule names its screen, as title.tcss and play.tcss do: nothing already mounted needs them."""
    path = stylesheet(name)
    if not app.stylesheet.has_source(str(path)):
        app.stylesheet.read(path)
        if app.css_monitor is not None:  # (`textual run --dev`: edits to it show at once, as Textual does for screens)
            app.css_monitor.add_paths([path])
