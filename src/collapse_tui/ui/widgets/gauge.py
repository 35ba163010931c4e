"""One of the story's key variables as a gauge: a label a newcomer understands, the value with its unit, a
bar for where it sits in its range, and for a while after a change, by how much it moved."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.engine.views import GaugeView, format_value

BLOCKS = " ▏▎▍▌▋▊▉█"
DELTA_SECONDS = 8.0


@dataclass(frozen=True)
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


class Gauge(Widget):
    """A labelled gauge: label and value, a bar, and the last change for a few seconds."""

    DEFAULT_CSS = """
    Gauge {
        height: 2;
        padding: 0 1;
        &.-detailed { height: auto; margin-bottom: 1; }
        & > .gauge--label { color: $text; }
        & > .gauge--value { text-style: bold; color: $text; }
        & > .gauge--fill { color: $primary; }
        & > .gauge--track { color: $foreground 25%; }
        & > .gauge--description { color: $text-muted; }
        & > .gauge--overlay { background: $primary 35%; }
        & > .gauge--up { color: $text-success; text-style: bold; }
        & > .gauge--down { color: $text-error; text-style: bold; }
    }
    """

    COMPONENT_CLASSES = {"gauge--label", "gauge--value", "gauge--fill", "gauge--track", "gauge--overlay",
                         "gauge--up", "gauge--down", "gauge--description"}

    reading: reactive[GaugeReading | None] = reactive(None, layout=False)
    """The variable's label, value and share of its range."""
    delta: reactive[float] = reactive(0.0)
    """The last change, shown for a few seconds after it happened (0: none)."""
    detailed: reactive[bool] = reactive(False, toggle_class="-detailed", layout=True)
    """Also show the variable's description under the bar (when there is room)."""

    def __init__(self, name: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.variable = name
        self._delta_timer = None

    def update_view(self, view: GaugeView, *, show_change: bool = True) -> None:
        new = GaugeReading.from_view(view)
        old = self.reading
        if show_change and old is not None and old.value != new.value:
            self.delta = new.value - old.value
            if self._delta_timer is not None:
                self._delta_timer.stop()
            self._delta_timer = self.set_timer(DELTA_SECONDS, self._clear_delta)
        self.reading = new

    def _clear_delta(self) -> None:
        self.delta = 0.0
        self._delta_timer = None

    def watch_reading(self, reading: GaugeReading | None) -> None:
        if reading is not None:
            self.tooltip = reading.description or reading.label

    def _delta_text(self) -> Text:
        if not self.delta or self.reading is None:
            return Text()
        sign = "▲ +" if self.delta > 0 else "▼ −"
        amount = format_value(abs(self.delta) if not float(abs(self.delta)).is_integer() else int(abs(self.delta)),
                              self.reading.unit)
        return Text(f" {sign}{amount}", self.get_component_rich_style("gauge--up" if self.delta > 0 else "gauge--down"))

    def render(self) -> Text:
        reading = self.reading
        if reading is None:
            return Text(self.variable)
        width = max(1, self.content_size.width)
        label_style = self.get_component_rich_style("gauge--label")
        value_style = self.get_component_rich_style("gauge--value")
        delta = self._delta_text()
        if self.detailed or self.content_size.height >= 2:
            head = Text(no_wrap=True, overflow="crop")
            label = _fit(reading.label, width - cell_len(reading.value_text) - 1)
            head.append(label, label_style)
            head.append(" " * max(1, width - cell_len(label) - cell_len(reading.value_text)))
            head.append(reading.value_text, value_style)
            filled, rest = bar(reading.share, max(1, width - delta.cell_len))
            line = Text(no_wrap=True, overflow="crop")
            line.append(filled, self.get_component_rich_style("gauge--fill"))
            line.append("░" * len(rest), self.get_component_rich_style("gauge--track"))
            line.append_text(delta)
            lines = [head, line]
            if self.detailed and reading.description:
                lines.append(Text(reading.description, self.get_component_rich_style("gauge--description")))
            return Text("\n").join(lines)
        # One line: the label on a bar whose filled part is the share, the value at the right.
        value = Text(reading.value_text, value_style)
        value.append_text(delta)
        room = max(1, width - value.cell_len - 1)
        label = _fit(reading.label, room)
        line = Text(label + " " * (room - cell_len(label) + 1), label_style, no_wrap=True, overflow="crop")
        line.append_text(value)
        fill = round(reading.share * width)
        if fill:
            line.stylize(self.get_component_rich_style("gauge--overlay"), 0, _offset_of_cell(line.plain, fill))
        return line


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
