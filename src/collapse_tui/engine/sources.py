"""Where a story's files are: the folder walk, the size limit and how paths are shown. Shared by the
loader and by the cache of compiled stories, which keys its entries on the files without parsing them."""

from __future__ import annotations

import os
from pathlib import Path

from collapse_tui.engine.diagnostics import DiagnosticList, SourcePosition

MAX_FILE_BYTES = 8 * 1024 * 1024
STORY_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """Paths relative to the working folder when inside it, as compilers print them."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def story_files(root: Path, diagnostics: DiagnosticList) -> list[Path]:
    """The YAML files of a story: a single file, or every YAML file under a folder, sorted."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        diagnostics.error(SourcePosition(str(root)), "no story here: not a file or a folder", "no-story")
        return []
    base = root.resolve()
    found = []
    # (os.walk, as rglob, does not go into linked folders; only a linked file can lead out of the story, so only
    # those are resolved: resolving every file was most of the time a warm start spent finding a big story's)
    candidates = sorted(Path(folder, name) for folder, _folders, names in os.walk(root) for name in names)
    for path in candidates:
        if path.suffix not in STORY_SUFFIXES or not path.is_file():
            continue
        if path.is_symlink() and base not in path.resolve().parents:
            diagnostics.error(SourcePosition(display_path(path)), "this file links outside the story folder; it is not read", "outside-story")
            continue
        found.append(path)
    if not found:
        diagnostics.error(SourcePosition(display_path(root)), "the folder has no .yaml files", "no-story")
    return found
