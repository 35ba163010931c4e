"""The cycle collector while the program starts.

A start makes a few hundred thousand objects that live as long as the program: modules, classes, the story,
the first screen's widgets. The cycle collector would walk them again and again while they pile up, and find
next to nothing to free: some 40 million instructions, a sixth of all a start does beyond a bare Textual app.
So `collapse-tui play` pauses it before it imports anything, and the app lets it run again a second after its
first frame, when the player is reading: one full collection (some 20 ms), then everything still alive is
frozen out of its sight (`gc.freeze`), so that later collections do not walk it again."""

from __future__ import annotations

import gc

_paused = False


def pause_for_start() -> None:
    """Pause the cycle collector until `resume_after_start` (unless it is paused already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_after_start() -> None:
    """Collect once, freeze what lives on, and let the collector run again, if `pause_for_start` paused it."""
    global _paused
    if _paused:
        _paused = False
        gc.collect()
        gc.freeze()
        gc.enable()
