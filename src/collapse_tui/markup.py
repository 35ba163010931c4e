"""Story text, written in Rich markup, made into Rich text. Rich also reads emoji codes (`:warning:`) in
markup, and the first time it does, imports its table of every emoji (some 3.5 ms of start-up); markup in
which no emoji code can be, as most of a story's, is read without them (the same text either way)."""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

_EMOJI_CODE = re.compile(r":\S*?:")  # what Rich takes for an emoji code: colon, no space, colon


def markup_text(markup: str, style: str | Style = "") -> Text:
    """`Text.from_markup(markup, style=style)`, without Rich's emoji table when it would find no code."""
    return Text.from_markup(markup, style=style, emoji=_EMOJI_CODE.search(markup) is not None)
