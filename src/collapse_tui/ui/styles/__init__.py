"""The app's stylesheets (.tcss): the layout of the app and of each screen. `stylesheet(name)` is the
absolute path of one, so subclasses of the app's screens (tests, benchmarks) find it too."""

from __future__ import annotations

from pathlib import Path

STYLES_DIR = Path(__file__).parent


def stylesheet(name: str) -> Path:
    return STYLES_DIR / name
