"""The panel of gauges: a heading and a gauge per variable the story marks `gauge: true`, each a label and value
over a bar (both on one line when the screen is short of room; with what it measures when there is room), and
for a while after a change, by how much it moved.

The panel draws its heading and gauges itself (Textual's line API), as `KeyFooter` draws its keys: a widget per
gauge cost the first frame a widget each to style, lay out and draw. Each part is drawn as Textual drew the widget
it replaces (a column of padding either side), and kept until it changes."""

from __future__ import annotations

from typing import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.timer import Timer
from textual.visual import Visual, visualize
from textual.widget import Widget

from collapse_tui.engine.views import GaugeView
from collapse_tui.ui.widgets.gauge import GaugeReading, gauge_text

DELTA_SECONDS = 8.0
PADDING = 1  # the columns left blank either side of the heading and the gauges
_PARTS = ("heading", "label", "value", "fill", "track", "description", "overlay", "up", "down")
_STYLE_NAMES = tuple(f"gauge-panel--{part}" for part in _PARTS)


class _Gauge:
    """One gauge: what it shows, its last change, and its lines as drawn."""

    __slots__ = ("reading", "delta", "delta_timer", "lines")

    def __init__(self, reading: GaugeReading) -> None:
        self.reading = reading
        self.delta = 0.0  # the last change, shown for a while after it happened (0: none)
        self.delta_timer: Timer | None = None
        self.lines: list[Strip] | None = None  # as drawn for the panel's width, mode and styles


class GaugePanel(Widget):
    """Where things stand: the story's key variables as labelled gauges."""

    DEFAULT_CSS = """
    GaugePanel {
        height: auto;
        margin-bottom: 1;
        & > .gauge-panel--heading { color: $text-accent; text-style: bold; }
        & > .gauge-panel--label { color: $text; }
        & > .gauge-panel--value { text-style: bold; color: $text; }
        & > .gauge-panel--fill { color: $primary; }
        & > .gauge-panel--track { color: $foreground 25%; }
        & > .gauge-panel--description { color: $text-muted; }
        & > .gauge-panel--overlay { background: $primary 35%; }
        & > .gauge-panel--up { color: $text-success; text-style: bold; }
        & > .gauge-panel--down { color: $text-error; text-style: bold; }
    }
    """

    COMPONENT_CLASSES = set(_STYLE_NAMES)

    heading: reactive[str] = reactive("", layout=True)
    """The panel's title, in the player's language."""
    detailed: reactive[bool] = reactive(False, layout=True)
    """Gauges also say what they measure, a blank line apart (when the screen has room)."""
    compact: reactive[bool] = reactive(False, layout=True)
    """Gauges take a line each, the label on the bar (when the screen is short of room)."""

    def __init__(self, views: Sequence[GaugeView] = (), *, id: str | None = None) -> None:
        """`views`: the first values, drawn with the panel's first frame."""
        super().__init__(id=id)
        self._names: tuple[str, ...] = ()
        self._gauges: list[_Gauge] = []
        self._heading_lines: list[Strip] | None = None
        self._lines: list[Strip] | None = None  # every line of the panel, for `_drawn_for`
        self._drawn_for: tuple[object, ...] = ()  # the width, mode and styles the lines were drawn for
        if views:
            self.update_gauges(views)

    def update_gauges(self, views: Sequence[GaugeView], *, show_change: bool = True) -> None:
        """Show the variables' current values; a gauge whose value moved shows by how much for a while."""
        names = tuple(view.name for view in views)
        if names != self._names:
            for gauge in self._gauges:
                if gauge.delta_timer is not None:
                    gauge.delta_timer.stop()
            self._names = names
            self._gauges = [_Gauge(GaugeReading.from_view(view)) for view in views]
            self._changed(layout=True)
            return
        changed = relayout = False
        for gauge, view in zip(self._gauges, views):
            new = GaugeReading.from_view(view)
            old, gauge.reading = gauge.reading, new
            if show_change and old.value != new.value:
                gauge.delta = new.value - old.value
                if gauge.delta_timer is not None:
                    gauge.delta_timer.stop()
                gauge.delta_timer = self.set_timer(DELTA_SECONDS, lambda gauge=gauge: self._clear_delta(gauge))
            elif new == old:
                continue
            gauge.lines = None
            changed = True
            relayout = relayout or (self.detailed and new.description != old.description)
        if changed:
            self._changed(layout=relayout)

    def _clear_delta(self, gauge: _Gauge) -> None:
        gauge.delta, gauge.delta_timer, gauge.lines = 0.0, None, None
        self._changed()

    def watch_heading(self) -> None:
        self._heading_lines = None
        self._lines = None

    def _changed(self, *, layout: bool = False) -> None:
        self._lines = None
        if self.is_mounted:
            self.refresh(layout=layout)

    # --- drawing -----------------------------------------------------------------------------------

    def _drawing_for(self, width: int) -> None:
        """Let go of the lines kept if they were drawn for another width, mode or styles (a restyled widget has
        new component styles: their identities are part of the key)."""
        get = self._component_styles.get
        drawn_for = (width, self.detailed, self.compact, *[get(name) for name in _STYLE_NAMES])
        if len(drawn_for) != len(self._drawn_for) or any(a is not b for a, b in zip(drawn_for, self._drawn_for)):
            self._drawn_for = drawn_for
            self._heading_lines = self._lines = None
            for gauge in self._gauges:
                gauge.lines = None

    def _heading(self, width: int) -> list[Strip]:
        self._drawing_for(width)
        if self._heading_lines is None:
            self._heading_lines = self._draw(Content.from_markup(self.heading), width, None,
                                             self.get_visual_style("gauge-panel--heading"))
        return self._heading_lines

    def _all_lines(self, width: int) -> list[Strip]:
        """Every line of the panel at `width`: the heading, then each gauge (a blank line after each, detailed)."""
        heading = self._heading(width)
        if self._lines is not None:
            return self._lines
        lines = list(heading)
        blank = Strip.blank(width, Style(bgcolor=self.background_colors[1].rich_color))
        for gauge in self._gauges:
            if gauge.lines is None:
                text = gauge_text(gauge.reading, gauge.delta, width - 2 * PADDING, self._part_style,
                                  one_line=self.compact, detailed=self.detailed)
                height = None if self.detailed else 1 if self.compact else 2
                gauge.lines = self._draw(visualize(self, text), width, height, self.visual_style)
            lines += gauge.lines
            if self.detailed:
                lines.append(blank)
        self._lines = lines
        return lines

    def _part_style(self, part: str) -> Style:
        return self.get_component_rich_style(f"gauge-panel--{part}")

    def _draw(self, visual: Visual, width: int, height: int | None, style: VisualStyle) -> list[Strip]:
        """`visual` drawn as Textual draws a widget `width` columns wide with a column of padding either side,
        `height` lines high (`None`: as many as it takes)."""
        content = max(0, width - 2 * PADDING)
        strips = Visual.to_strips(self, visual, content, height, style)
        if height is not None:
            blank = Strip.blank(content, style.rich_style)
            strips = [strips[y] if y < len(strips) else blank for y in range(height)]
        inner = Style(bgcolor=self.background_colors[1].rich_color)
        pad = Segment(" " * PADDING, inner)
        return [Strip([pad, *strip.adjust_cell_length(content, inner), pad], width) for strip in strips]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.detailed:  # what the gauges measure takes the lines it wraps to
            return len(self._all_lines(width))
        return len(self._heading(width)) + len(self._gauges) * (1 if self.compact else 2)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._all_lines(width)
        return lines[y] if y < len(lines) else Strip.blank(width, self.visual_style.rich_style)

    # --- the mouse ---------------------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The tooltip says what the gauge under the mouse measures."""
        top = len(self._heading_lines or ())
        tooltip = None
        for gauge in self._gauges:
            bottom = top + len(gauge.lines or ()) + self.detailed
            if top <= event.y < bottom:
                tooltip = gauge.reading.description or gauge.reading.label
                break
            top = bottom
        if tooltip != self.tooltip:
            self.tooltip = tooltip
