"""The app's themes as data: a calm dark one (the default), a light one for bright rooms and projectors, a
high-contrast one, and the classroom screen's two projector themes. Widgets use only theme variables ($success, $error, $accent …), so a
theme changes every colour at once; NO_COLOR is honoured by Textual itself (monochrome output)."""

from __future__ import annotations

from textual.theme import Theme

COLLAPSE_DARK = Theme(
    name="collapse-dark",
    primary="#4C9BE8",
    secondary="#7A8CA3",
    accent="#E3B341",
    warning="#D9A21B",
    error="#F0605A",
    success="#3FB96E",
    foreground="#D9DEE5",
    background="#0E1217",
    surface="#151B22",
    panel="#1C242E",
    dark=True,
)

COLLAPSE_LIGHT = Theme(
    name="collapse-light",
    primary="#0B5CAD",
    secondary="#4D5B6B",
    accent="#8A4B00",
    warning="#9A6700",
    error="#C4242D",
    success="#1A7F37",
    foreground="#1F2328",
    background="#F6F5F1",
    surface="#FFFFFF",
    panel="#E9E7E1",
    dark=False,
)

COLLAPSE_CONTRAST = Theme(
    name="collapse-contrast",
    primary="#FFFF00",
    secondary="#FFFFFF",
    accent="#00FFFF",
    warning="#FFFF00",
    error="#FF4040",
    success="#00FF5F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#FFFFFF",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "footer-key-foreground": "#FFFF00",
        "border": "#FFFFFF",
        "border-blurred": "#FFFFFF",
        "scrollbar": "#FFFFFF",
    },
)

THEMES: tuple[Theme, ...] = (COLLAPSE_DARK, COLLAPSE_LIGHT, COLLAPSE_CONTRAST)

# The classroom screen's two projector themes: white on black, and black on white for bright rooms.
# Pure colours and no translucency, so text stays sharp through a projector's washed-out contrast.
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
