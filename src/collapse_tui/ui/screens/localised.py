"""What every screen of the app shares: its words in the player's language (`tr`, `story_text`), key
descriptions in the footer that follow the language, and a hook called when the language changes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping, Optional, cast

from textual.binding import Binding
from textual.dom import DOMNode

from collapse_tui.ui.strings import EN, tr

if TYPE_CHECKING:
    from collapse_tui.ui.app import CollapseApp


def localise_bindings(node: DOMNode, locale: str) -> None:
    """Give the node's key bindings the descriptions of `locale` (bindings with an id that has words).

    Textual keeps a node's bindings in `_bindings` and `Binding` is frozen, so the bindings are swapped for
    copies with the new description; the footer then redraws them."""
    bindings = node._bindings  # noqa: SLF001 - there is no public way to re-describe a binding
    for key, items in list(bindings.key_to_bindings.items()):
        bindings.key_to_bindings[key] = [_described(binding, locale) for binding in items]
    node.refresh_bindings()


def _described(binding: Binding, locale: str) -> Binding:
    if not binding.id or f"key_{binding.id}" not in EN:
        return binding
    return replace(binding, description=tr(locale, f"key_{binding.id}"))


class LocaleAware:
    """Mixed into the app's screens: words in the player's language, re-rendered when it changes."""

    @property
    def game(self) -> "CollapseApp":
        return cast("CollapseApp", self.app)  # type: ignore[attr-defined]

    @property
    def locale(self) -> str:
        return self.game.locale

    def tr(self, key: str, **values: Any) -> str:
        return tr(self.locale, key, **values)

    def story_text(self, text: Optional[Mapping[str, str]]) -> str:
        return self.game.session.story.text(text, self.locale)

    def on_compose(self) -> None:  # Textual calls every class's handler along the MRO, this one before compose()
        # The keys are in the player's language before the screen's footer is built with them.
        localise_bindings(cast(DOMNode, self), self.locale)

    def on_mount(self) -> None:
        cast(DOMNode, self).watch(self.game, "locale", self._locale_changed, init=False)

    def _locale_changed(self, locale: str) -> None:
        localise_bindings(cast(DOMNode, self), locale)
        self.locale_changed(locale)

    def locale_changed(self, locale: str) -> None:
        """Show the screen's words in the new language (screens override this)."""
