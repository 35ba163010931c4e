"""The footer of keys: the screen's key bindings, and the command palette's key at the right, drawn as Textual's
`Footer` draws them (its theme variables, hover, tooltips, a click presses the key, the wheel scrolls keys that
do not fit), by one widget. Textual's footer is a container and a widget per key (ten widgets on the play
screen), each styled, laid out and drawn on its own, built after the screen's first frame and built again at
every change of bindings, focus or language; this one is drawn with the first frame and then only repaints.
(Textual's groups of bindings, `Binding.Group`, are not used in this app and not drawn here.)"""

from __future__ import annotations


from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from collapse_tui.engine.frozen import frozen

PALETTE_EDGE = "▏"  # the left edge of the palette's key (Textual's "vkey" border)


@frozen
class FooterKey:
    """One key as the footer shows it."""

    key: str  # what a click presses
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    palette: bool = False  # the command palette's key, at the right, drawn compact

    @property
    def width(self) -> int:
        words = cell_len(self.key_display) + (cell_len(self.description) + 1 if self.description else 0)
        if self.palette:
            return words + 2  # the edge and a cell of padding
        return words + 2 if self.description else words  # a space either side of the key


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen's bindings; click one to press it."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--item { background: $footer-item-background; }
        & > .key-footer--hover { background: $block-hover-background; }
        & > .key-footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--edge { color: $foreground 20%; }
    }
    """

    COMPONENT_CLASSES = {"key-footer--item", "key-footer--hover", "key-footer--key", "key-footer--description",
                         "key-footer--edge"}

    keys: reactive[tuple[FooterKey, ...]] = reactive(())
    """What the footer shows (the same keys again do not repaint)."""
    hovered: reactive[int | None] = reactive(None)
    """The index of the key under the mouse."""
    scrolled: reactive[int] = reactive(0)
    """How many cells the keys are scrolled by, when they do not all fit."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.keys = self._active_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.keys = self._active_keys()

    def _active_keys(self) -> tuple[FooterKey, ...]:
        """The screen's bindings as Textual's footer picks them: one key per action, the palette's last."""
        app = self.app
        active = self.screen.active_bindings
        keys: dict[str, FooterKey] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = FooterKey(binding.key, app.get_key_display(binding), binding.description,
                                                 enabled, tooltip)
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if palette is None or not app.ENABLE_COMMAND_PALETTE:
            return tuple(keys.values())
        _, binding, enabled, _ = palette
        return (*keys.values(), FooterKey(binding.key, app.get_key_display(binding), binding.description, enabled,
                                          binding.tooltip or binding.description, palette=True))

    def watch_hovered(self, hovered: int | None) -> None:
        key = self.keys[hovered] if hovered is not None and hovered < len(self.keys) else None
        self.tooltip = key.tooltip if key is not None and key.tooltip else None
        self.styles.pointer = "default" if key is None else "pointer"

    # --- drawing -----------------------------------------------------------------------------------

    def _room(self) -> tuple[int, int]:
        """The cells left of the palette's key, and how far the keys may be scrolled in them."""
        room = max(0, self.size.width - sum(key.width for key in self.keys if key.palette))
        return room, max(0, sum(key.width for key in self.keys if not key.palette) - room)

    def _segments(self, index: int, key: FooterKey, under: Color) -> list[Segment]:
        """A key drawn as Textual's footer draws it on the footer's colour `under`: its colours laid on the key's
        background (the hover colour under the mouse), dimmed when disabled."""
        background = under + self.get_component_styles("key-footer--item").background
        if index == self.hovered:
            background += self.get_component_styles("key-footer--hover").background
        dim = Style(dim=not key.enabled or None)
        key_style, description_style = (
            self.get_component_rich_style(part) + dim
            + Style(bgcolor=(background + self.get_component_styles(part).background).rich_color)
            for part in ("key-footer--key", "key-footer--description")
        )
        if not key.palette:
            if not key.description:
                return [Segment(key.key_display, key_style)]
            return [Segment(f" {key.key_display} ", key_style), Segment(f"{key.description} ", description_style)]
        edge = under + self.get_component_styles("key-footer--edge").color
        words = [Segment(key.key_display, key_style)]
        if key.description:
            words.append(Segment(f" {key.description}", description_style))
        return [Segment(PALETTE_EDGE, Style(color=edge.rich_color, bgcolor=background.rich_color)), *words,
                Segment(" ", Style(bgcolor=background.rich_color))]

    def render_line(self, y: int) -> Strip:
        room, most = self._room()
        under = self.background_colors[1]
        background = Style(bgcolor=under.rich_color)
        row: list[Segment] = []
        palette: list[Segment] = []
        for index, key in enumerate(self.keys):
            (palette if key.palette else row).extend(self._segments(index, key, under))
        scrolled = min(self.scrolled, most)
        line = Strip.join([Strip(row).crop_extend(scrolled, scrolled + room, background), Strip(palette)])
        return line.crop_extend(0, self.size.width, background).simplify()

    # --- the mouse ---------------------------------------------------------------------------------

    def _key_at(self, x: int) -> int | None:
        room, most = self._room()
        if x >= room:
            return next((index for index, key in enumerate(self.keys) if key.palette), None)
        left = -min(self.scrolled, most)
        for index, key in enumerate(self.keys):
            if not key.palette:
                if left <= x < left + key.width:
                    return index
                left += key.width
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self._key_at(event.x)

    def on_leave(self) -> None:
        self.hovered = None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._key_at(event.x)
        if index is None:
            return
        key = self.keys[index]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def _scroll_by(self, cells: int) -> bool:
        """Scroll the keys, as far as some are out of sight; False when they did not move."""
        _, most = self._room()
        before = min(self.scrolled, most)
        self.scrolled = max(0, min(before + cells, most))
        return self.scrolled != before

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._scroll_by(round(self.app.scroll_sensitivity_x)):
            event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._scroll_by(-round(self.app.scroll_sensitivity_x)):
            event.stop()
