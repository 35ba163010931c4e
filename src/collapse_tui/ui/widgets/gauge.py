"""One of the story's key variables as a gauge, as text: a label a newcomer understands, the value with its unit,
a bar for where it sits in its range, and for a while after a change, by how much it moved (the gauge panel
draws the gauges; the countdown's bar is drawn as a gauge's is)."""

from __future__ import annotations

from typing import Callable

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.views import GaugeView, format_value

BLOCKS = " ▏▎▍▌▋▊▉█"


@frozen
class GaugeReading:
    """What a gauge shows, as shown."""

    name: str
    label: str
    value: float
    value_text: str
    share: float
    description: str
    unit: str | None

    @classmethod
    def from_view(cls, view: GaugeView) -> "GaugeReading":
        return cls(view.name, view.label, float(view.value), format_value(view.value, view.unit),
                   round(view.share, 3), view.description, view.unit)


def bar(share: float, width: int) -> tuple[str, str]:
    """A bar `width` cells wide filled to `share`: the filled part (with an eighth-block edge) and the rest."""
    if width <= 0:
        return "", ""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (BLOCKS[part] if part and full < width else "")
    return filled, " " * (width - len(filled))


def gauge_text(reading: GaugeReading, delta: float, width: int, style: Callable[[str], Style], *,
               one_line: bool = False, detailed: bool = False) -> Text:
    """The gauge `width` cells wide: label and value, then the bar with the last change (`delta`, 0 for none) and,
    `detailed`, what the variable measures; or `one_line`, the label on a bar whose filled part is the share. The
    parts are styled with `style(part)`: label, value, fill, track, overlay, up, down, description."""
    width = max(1, width)
    delta_text = _delta_text(reading, delta, style)
    if detailed or not one_line:
        head = Text(no_wrap=True, overflow="crop")
        label = _fit(reading.label, width - cell_len(reading.value_text) - 1)
        head.append(label, style("label"))
        head.append(" " * max(1, width - cell_len(label) - cell_len(reading.value_text)))
        head.append(reading.value_text, style("value"))
        filled, rest = bar(reading.share, max(1, width - delta_text.cell_len))
        line = Text(no_wrap=True, overflow="crop")
        line.append(filled, style("fill"))
        line.append("░" * len(rest), style("track"))
        line.append_text(delta_text)
        lines = [head, line]
        if detailed and reading.description:
            lines.append(Text(reading.description, style("description")))
        return Text("\n").join(lines)
    value = Text(reading.value_text, style("value"))
    value.append_text(delta_text)
    room = max(1, width - value.cell_len - 1)
    label = _fit(reading.label, room)
    line = Text(label + " " * (room - cell_len(label) + 1), style("label"), no_wrap=True, overflow="crop")
    line.append_text(value)
    fill = round(reading.share * width)
    if fill:
        line.stylize(style("overlay"), 0, _offset_of_cell(line.plain, fill))
    return line


def _delta_text(reading: GaugeReading, delta: float, style: Callable[[str], Style]) -> Text:
    if not delta:
        return Text()
    sign = "▲ +" if delta > 0 else "▼ −"
    amount = format_value(abs(delta) if not float(abs(delta)).is_integer() else int(abs(delta)), reading.unit)
    return Text(f" {sign}{amount}", style("up" if delta > 0 else "down"))


def _fit(text: str, width: int) -> str:
    """The text cut to `width` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def _offset_of_cell(text: str, cells: int) -> int:
    """The index of the first character past `cells` cells of `text`."""
    used = 0
    for index, character in enumerate(text):
        if used >= cells:
            return index
        used += cell_len(character)
    return len(text)
