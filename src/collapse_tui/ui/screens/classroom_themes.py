"""The two projector themes of the classroom screen: white on black, and black on white for bright rooms.
Pure colours and no translucency, so text stays sharp through a projector's washed-out contrast."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR_DARK = Theme(
    name="classroom-dark",
    primary="#FFFFFF",
    secondary="#C8C8C8",
    accent="#00E5FF",
    warning="#FFD600",
    error="#FF5252",
    success="#00E676",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#141414",
    boost="#FFFFFF",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)

PROJECTOR_LIGHT = Theme(
    name="classroom-light",
    primary="#000000",
    secondary="#3A3A3A",
    accent="#0038A8",
    warning="#8A4B00",
    error="#B00020",
    success="#00662B",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#EDEDED",
    boost="#000000",
    dark=False,
    luminosity_spread=0.0,
    text_alpha=1.0,
)

PROJECTOR_THEMES = (PROJECTOR_DARK, PROJECTOR_LIGHT)
