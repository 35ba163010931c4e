"""Where the program keeps its files, and how it writes them so that a failure never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

HOME_VARIABLE = "COLLAPSE_TUI_HOME"


def user_folder(kind: str) -> Path:
    """The user's `kind` folder (data, config or cache): $COLLAPSE_TUI_HOME/<kind> when that is set (tests,
    portable installs), else the platform's own place for it."""
    home = os.environ.get(HOME_VARIABLE)
    if home:
        return Path(home) / kind
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")("collapse-tui", appauthor=False))


def write_atomically(path: Path, data: bytes, *, durable: bool = True, folder_mode: int = 0o777) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: readers see the old file
    or the new one, never a part. `durable` syncs to disk first (saves); a cache can skip that. Raises
    OSError, after removing the temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=folder_mode)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
