"""The line above the scene: its title, the in-story date and time (HKT) and the place, and on the right
whether the prices are live or paused."""

from __future__ import annotations


from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from collapse_tui.engine.frozen import frozen


@frozen
class HeaderInfo:
    title: str
    time: str
    place: str
    status: str = ""
    status_live: bool = True


class SceneHeader(Widget):
    """Scene title, story time and place; the market clock's state at the right."""

    DEFAULT_CSS = """
    SceneHeader {
        height: 1;
        padding: 0 1;
        background: $panel;
        & > .scene-header--title { text-style: bold; color: $text; }
        & > .scene-header--time { color: $text-accent; }
        & > .scene-header--place { color: $text-muted; }
        & > .scene-header--live { color: $text-success; }
        & > .scene-header--paused { color: $text-warning; text-style: bold; }
    }
    """

    COMPONENT_CLASSES = {"scene-header--title", "scene-header--time", "scene-header--place", "scene-header--live",
                         "scene-header--paused"}

    info: reactive[HeaderInfo | None] = reactive(None)
    """What the header shows; equal values do not repaint."""

    def render(self) -> Text:
        info = self.info
        if info is None:
            return Text()
        width = self.content_size.width
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append(info.title, self.get_component_rich_style("scene-header--title"))
        if info.time:
            left.append("  ")
            left.append(info.time, self.get_component_rich_style("scene-header--time"))
        if info.place:
            left.append("  ")
            left.append(info.place, self.get_component_rich_style("scene-header--place"))
        status = info.status
        if status and width - cell_len(status) - 2 >= 20:
            room = width - cell_len(status) - 2
            if left.cell_len > room:
                left.truncate(room, overflow="ellipsis")
            left.append(" " * (width - left.cell_len - cell_len(status)))
            style = "scene-header--live" if info.status_live else "scene-header--paused"
            left.append(status, self.get_component_rich_style(style))
        elif left.cell_len > width:
            left.truncate(width, overflow="ellipsis")
        return left
