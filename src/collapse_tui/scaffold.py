"""`collapse-tui new DIR`: a small story to start from, copied from the templates in the package — two
languages, a ticker, a variable, a locked choice, an event and two endings; it validates without a
warning, play-tests clean and plays. The story's JSON Schema is written beside it for editors."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Optional

TEMPLATE = "new_story"
SCHEMA_FILE = "story.schema.json"


class ScaffoldError(Exception):
    """The folder cannot take a new story (it is a file, not empty, or cannot be written)."""


def story_id_for(folder: Path) -> str:
    """A story id from a folder's name: letters, digits, _ and -, starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", folder.resolve().name.strip()).strip("-_").lower()
    name = re.sub(r"^[^a-z]+", "", name)
    return name[:80] or "my-story"


def title_for(story_id: str) -> str:
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", story_id) if part) or "My Story"


def _yaml_string(text: str) -> str:
    """Text as a YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def scaffold_story(folder: Path, *, title: Optional[str] = None, author: str = "You") -> list[Path]:
    """Write a new story into `folder` (created if needed; it must be empty). Returns the files written."""
    from collapse_tui.engine.schema import json_schema

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file; give a new or empty folder for the story")
    if folder.is_dir() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; give a new or empty folder so nothing is overwritten")
    story_id = story_id_for(folder)
    values = {
        "{{id}}": story_id,
        "{{title}}": _yaml_string(title or title_for(story_id)),
        "{{author}}": author.replace('"', "'"),
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        template = resources.files("collapse_tui.templates").joinpath(TEMPLATE)
        for entry in sorted(template.iterdir(), key=lambda item: item.name):
            if not entry.name.endswith(".yaml"):
                continue
            text = entry.read_text(encoding="utf-8")
            for placeholder, value in values.items():
                text = text.replace(placeholder, value)
            target = folder / entry.name
            target.write_text(text, encoding="utf-8")
            written.append(target)
        schema = folder / SCHEMA_FILE
        schema.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(schema)
    except OSError as error:
        raise ScaffoldError(f"cannot write the story into {folder}: {error.strerror or error}") from None
    return written
