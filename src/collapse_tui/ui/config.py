"""The player's settings (text speed, ticker speed, theme, reduced motion) as a typed value, and where they
are kept: settings.json in the user's config folder ($COLLAPSE_TUI_HOME/config in tests). A damaged file
is ignored (the defaults are used) and never overwritten until the player changes a setting."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any, Literal, Optional

from collapse_tui.engine.frozen import frozen

TextSpeed = Literal["instant", "fast", "normal", "slow"]
TEXT_SPEEDS: tuple[TextSpeed, ...] = ("instant", "fast", "normal", "slow")
TICKER_SPEEDS: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 4.0)
THEMES: tuple[str, ...] = ("collapse-dark", "collapse-light", "collapse-contrast")
REVEAL_FACTOR: dict[str, float] = {"instant": 0.0, "fast": 0.45, "normal": 1.0, "slow": 1.8}


@frozen
class Settings:
    """What the player can change in the settings screen; the defaults suit a first-time player."""

    text_speed: TextSpeed = "normal"
    ticker_speed: float = 1.0  # 0 pauses the market clock (and the timers of timed choices)
    theme: str = "collapse-dark"
    reduced_motion: bool = False

    @property
    def reveal(self) -> bool:
        """Paragraphs appear one after another (a key shows them all at once)."""
        return self.text_speed != "instant"

    def with_changes(self, **changes: Any) -> "Settings":
        return checked(replace(self, **changes))


def checked(settings: Settings) -> Settings:
    """The same settings with every unknown value replaced by its default."""
    default = Settings()
    text_speed = settings.text_speed if settings.text_speed in TEXT_SPEEDS else default.text_speed
    try:
        ticker_speed = float(settings.ticker_speed)
    except (TypeError, ValueError):
        ticker_speed = default.ticker_speed
    ticker_speed = ticker_speed if ticker_speed in TICKER_SPEEDS else default.ticker_speed
    theme = settings.theme if settings.theme in THEMES else default.theme
    return Settings(text_speed, ticker_speed, theme, bool(settings.reduced_motion))


def settings_path() -> Path:
    from collapse_tui.engine.files import user_folder

    return user_folder("config") / "settings.json"


def load_settings(path: Optional[Path] = None) -> Settings:
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    try:
        return checked(Settings(**{k: v for k, v in data.items() if k in known}))
    except TypeError:
        return Settings()


def save_settings(settings: Settings, path: Optional[Path] = None) -> None:
    """Write atomically; raises OSError when the folder cannot be written."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".settings.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, indent=2)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
