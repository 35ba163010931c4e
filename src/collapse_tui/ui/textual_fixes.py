"""Work-arounds for Textual bugs that cost the app something measurable; each undoes itself (does nothing)
on a Textual that no longer has the bug.

`SteadyResize`: a Screen lays itself out whole for every Resize it is sent, even of the size it is laid out
at already. It is sent three as it first appears (the app's first Resize, the driver's, and its own, posted
by its first layout), so a screen of many widgets was laid out four times before its first frame settled.

`StylesCache.get_inner_outer` (textual/_styles_cache.py) is an instance method under `@lru_cache(1024)`:
the cache's keys hold the `StylesCache` of every widget that was ever painted, and each of those holds
the rendered lines (`Strip`s, with caches of their own) of its widget's last frame. A removed widget is
freed, its `StylesCache` is not: in this app every scene replaces its paragraphs, choices and posts, so
about three `StylesCache`s and 0.15 MiB were kept per scene, up to 1024 of them (Textualize/textual#6665).
The cached value is two `Style`s made from two colours: emptying the cache costs a few microseconds on
the next frame.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size


def release_styles_caches() -> None:
    """Let go of the rendering caches of widgets that are gone (call it when a scene's widgets are replaced)."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:  # pragma: no cover - a Textual without the module has no such cache either
        return
    cache_clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if cache_clear is not None:
        cache_clear()


class SteadyResize:
    """A Screen mixin: a Resize to the size the screen is laid out at already does not lay it out again (what
    changed in it meanwhile is laid out by Textual's own update, as ever); its breakpoint classes are still
    brought up to date, as Screen's own handler would."""

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self.outer_size:  # (the size of its last layout; a screen's `size` is the app's)
            event.prevent_default()
            self.update_classes(self.breakpoint_classes(event.size), animate=False)  # type: ignore[attr-defined]

    def breakpoint_classes(self, size: Size) -> dict[str, bool]:
        """The breakpoint classes Textual gives the screen at `size`."""
        app = self.app  # type: ignore[attr-defined]
        own_horizontal, own_vertical = self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS  # type: ignore[attr-defined]
        horizontal = (app.HORIZONTAL_BREAKPOINTS if own_horizontal is None else own_horizontal) or []
        vertical = (app.VERTICAL_BREAKPOINTS if own_vertical is None else own_vertical) or []
        classes = {name: False for _, name in (*horizontal, *vertical)}
        for dimension, breakpoints in ((size.width, horizontal), (size.height, vertical)):
            for name in self._get_breakpoint_classes(dimension, breakpoints):  # type: ignore[attr-defined]
                classes[name] = True
        return classes
