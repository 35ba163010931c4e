"""Where the bundled story is: inside the installed package, or in the checkout when run from source."""

from __future__ import annotations

from pathlib import Path


def bundled_story_path() -> Path:
    packaged = Path(__file__).parent / "story"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "story"
