"""Work-arounds for Textual bugs that cost the app something measurable; each undoes itself (does nothing)
on a Textual that no longer has the bug.

`StylesCache.get_inner_outer` (textual/_styles_cache.py) is an instance method under `@lru_cache(1024)`:
the cache's keys hold the `StylesCache` of every widget that was ever painted, and each of those holds
the rendered lines (`Strip`s, with caches of their own) of its widget's last frame. A removed widget is
freed, its `StylesCache` is not: in this app every scene replaces its paragraphs, choices and posts, so
about three `StylesCache`s and 0.15 MiB were kept per scene, up to 1024 of them (Textualize/textual#6665).
The cached value is two `Style`s made from two colours: emptying the cache costs a few microseconds on
the next frame.
"""

from __future__ import annotations


def release_styles_caches() -> None:
    """Let go of the rendering caches of widgets that are gone (call it when a scene's widgets are replaced)."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:  # pragma: no cover - a Textual without the module has no such cache either
        return
    cache_clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
