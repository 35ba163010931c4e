"""The footer of keys, rebuilt only when what it shows changed: Textual's `Footer` rebuilds all its keys
(a widget each, restyled as it mounts) after every change of bindings, focus or language, several times
over while a screen starts; this one rebuilds once per refresh at most, and not at all when the keys,
their words and whether they are enabled are what it already shows."""

from __future__ import annotations

from typing import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """The keys of the screen's bindings, as Textual's footer shows them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pending = False
        self._shown: Hashable = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    def _signature(self) -> Hashable:
        palette = self.app.COMMAND_PALETTE_BINDING
        keys = tuple((binding.key, binding.action, binding.description, binding.key_display, binding.group, enabled,
                      tooltip) for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
                     if binding.show or key == palette)
        return keys, self.show_command_palette, self.compact

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        await self.recompose()
