"""Story files -> typed models, keeping the source position of every YAML node so that each problem is
reported at its line and column. YAML is read by the C-accelerated safe loader where available and never
builds Python objects: only plain mappings, lists, text, numbers, booleans and null."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from collapse_tui.engine.diagnostics import DiagnosticList, SourcePosition, did_you_mean
from collapse_tui.engine.model import Event, GlossaryEntry, Scene, StoryFile, StoryMeta

try:
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 64
STORY_SUFFIXES = (".yaml", ".yml")

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:str",
}
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_COLLECTION_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}
_constructor = yaml.constructor.SafeConstructor()

Path_ = tuple[Any, ...]


@dataclass
class SourceFile:
    """One story file: its display path, its plain data, and where each of its nodes starts."""

    path: str
    data: Any = None
    positions: dict[Path_, SourcePosition] = field(default_factory=dict)
    key_positions: dict[Path_, SourcePosition] = field(default_factory=dict)
    rejected: set[Path_] = field(default_factory=set)  # nodes already reported (e.g. a forbidden tag)

    def position(self, path: Path_, *, key: bool = False) -> SourcePosition:
        """The position of the node at `path`, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return SourcePosition(self.path, 1, 1)


@dataclass
class LoadedFile:
    """A file's models: the parts that validated, with their index in the file for positions."""

    source: SourceFile
    meta: Optional[StoryMeta] = None
    scenes: list[tuple[int, Scene]] = field(default_factory=list)
    glossary: list[tuple[Path_, GlossaryEntry]] = field(default_factory=list)
    events: list[tuple[Path_, Event]] = field(default_factory=list)
    broken_scene_ids: set[str] = field(default_factory=set)
    had_meta: bool = False


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
    for path in sorted(p for p in root.rglob("*") if p.suffix in STORY_SUFFIXES and p.is_file()):
        resolved = path.resolve()
        if base not in resolved.parents:
            diagnostics.error(SourcePosition(display_path(path)), "this file links outside the story folder; it is not read", "outside-story")
            continue
        found.append(path)
    if not found:
        diagnostics.error(SourcePosition(display_path(root)), "the folder has no .yaml files", "no-story")
    return found


def read_source(path: Path, diagnostics: DiagnosticList) -> Optional[SourceFile]:
    """Parse one file into plain data with positions; problems go to `diagnostics`."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diagnostics.error(SourcePosition(shown, 1, 1), f"the file is {size // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB", "file-too-large")
            return None
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        diagnostics.error(SourcePosition(shown, 1, 1), f"the file is not UTF-8 text ({error.reason} at byte {error.start})", "encoding")
        return None
    except OSError as error:
        diagnostics.error(SourcePosition(shown), f"cannot read the file: {error.strerror}", "io")
        return None
    return parse_source(text, shown, diagnostics)


def parse_source(text: str, shown: str, diagnostics: DiagnosticList) -> Optional[SourceFile]:
    source = SourceFile(shown)
    try:
        node = yaml.compose(text, Loader=YamlLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = SourcePosition(shown, mark.line + 1, mark.column + 1) if mark else SourcePosition(shown, 1, 1)
        problem = error.problem or str(error)
        context = error.context_mark
        if error.context and context is not None and context is not mark:
            problem += f" ({error.context} at line {context.line + 1}, column {context.column + 1})"
        elif error.context:
            problem = f"{error.context}: {problem}"
        diagnostics.error(position, f"YAML syntax: {problem}", "yaml-syntax")
        return None
    except (yaml.YAMLError, RecursionError) as error:
        diagnostics.error(SourcePosition(shown, 1, 1), f"YAML syntax: {error or 'too deeply nested'}", "yaml-syntax")
        return None
    if node is None:
        source.data = {}
        return source
    converter = _NodeConverter(source, diagnostics)
    source.data = converter.convert(node, (), 0)
    return source if not converter.failed else None


class _NodeConverter:
    """Turns composed YAML nodes into plain data, recording positions, rejecting object-building tags,
    duplicate keys, and alias bombs."""

    def __init__(self, source: SourceFile, diagnostics: DiagnosticList):
        self.source = source
        self.diagnostics = diagnostics
        self.count = 0
        self.failed = False

    def _position(self, node: yaml.Node) -> SourcePosition:
        return SourcePosition(self.source.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if not self.failed:
                self.diagnostics.error(self._position(node), "the document is too large (aliases expand beyond the limit)", "too-large")
            self.failed = True
            return None
        if depth > MAX_DEPTH:
            if not self.failed:
                self.diagnostics.error(self._position(node), f"nesting deeper than {MAX_DEPTH} levels", "too-large")
            self.failed = True
            return None
        self.source.positions.setdefault(path, self._position(node))
        expected_tag = _COLLECTION_TAGS.get(type(node))
        if expected_tag is not None and node.tag != expected_tag:
            self.diagnostics.error(self._position(node), f"the YAML tag '{node.tag}' is not allowed in a story", "yaml-tag")
            self.source.rejected.add(path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.diagnostics.error(self._position(key_node), "a key must be plain text", "yaml-key")
                continue
            key = key_node.value
            if key == "<<":
                self.diagnostics.error(self._position(key_node), "YAML merge keys (<<) are not supported; write the keys out", "yaml-key")
                continue
            if key in result:
                first = self.source.key_positions.get(path + (key,))
                where = f" (first at line {first.line})" if first else ""
                self.diagnostics.error(self._position(key_node), f"duplicate key '{key}'{where}", "duplicate-key")
                continue
            self.source.key_positions[path + (key,)] = self._position(key_node)
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.diagnostics.error(self._position(node), f"the YAML tag '{node.tag}' is not allowed in a story", "yaml-tag")
            self.source.rejected.add(path)
            return None
        try:
            return _constructor.construct_object(node)
        except yaml.constructor.ConstructorError as error:  # pragma: no cover - resolvers keep tags valid
            self.diagnostics.error(self._position(node), str(error.problem), "yaml-syntax")
            return None


_CODES = {
    "missing": ("missing-field", "the key '{key}' is required"),
    "extra_forbidden": ("unknown-key", "unknown key '{key}'{hint}"),
}


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: Any, loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that holds the last element of `loc` (for did-you-mean on unknown keys)."""
    current = model
    for part in loc[:-1]:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            if part not in fields:
                return None
            current = fields[part].annotation
        else:
            origin = get_origin(current)
            args = [a for a in get_args(current) if a is not Ellipsis]
            if origin in (tuple, list) and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Optional[X] -> X; Annotated[X, ...] -> X."""
    while True:
        args = [a for a in get_args(annotation) if a is not type(None)]
        origin = get_origin(annotation)
        if origin is not None and str(origin).endswith("Annotated"):
            annotation = args[0]
        elif origin is not None and "Union" in str(origin) and len(args) == 1:
            annotation = args[0]
        elif type(annotation).__name__ == "UnionType" and len(args) == 1:
            annotation = args[0]
        else:
            return annotation


def validate_part(model: type[BaseModel], data: Any, source: SourceFile, path: Path_, diagnostics: DiagnosticList) -> Any:
    """Validate one part of a file; each problem becomes a diagnostic at its node."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and ("[" in part or part in ("str", "function-before"))))
            full = path + loc
            if any(full[:end] in source.rejected for end in range(len(full) + 1)):
                continue
            key = loc[-1] if loc else ""
            if item["type"] == "extra_forbidden":
                owner = _model_at(model, loc)
                hint = did_you_mean(str(key), _field_names(owner)) if owner else ""
                diagnostics.error(source.position(full, key=True), f"unknown key '{key}'{hint}", "unknown-key")
            elif item["type"] == "missing":
                diagnostics.error(source.position(full[:-1]), f"the key '{key}' is required", "missing-field")
            else:
                message = item["msg"].removeprefix("Value error, ")
                where = f"'{key}': " if isinstance(key, str) and key else ""
                diagnostics.error(source.position(full), f"{where}{message}", "type")
        return None


def _parts(source: SourceFile, key: str, diagnostics: DiagnosticList) -> Iterator[tuple[int, Any]]:
    value = source.data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        diagnostics.error(source.position((key,)), f"'{key}' must be a list", "type")
        return
    yield from enumerate(value)


def load_file(source: SourceFile, diagnostics: DiagnosticList) -> LoadedFile:
    """Validate a file part by part: the metadata, each scene, each glossary entry and event."""
    loaded = LoadedFile(source)
    if not isinstance(source.data, dict):
        diagnostics.error(source.position(()), "a story file must be a mapping with 'story', 'scenes', 'glossary' or 'events'", "type")
        return loaded
    allowed = _field_names(StoryFile)
    for key in source.data:
        if key not in allowed:
            diagnostics.error(source.position((key,), key=True), f"unknown key '{key}'{did_you_mean(str(key), allowed)}", "unknown-key")
    if source.data.get("story") is not None:
        loaded.had_meta = True
        loaded.meta = validate_part(StoryMeta, source.data["story"], source, ("story",), diagnostics)
    for index, raw in _parts(source, "scenes", diagnostics):
        scene = validate_part(Scene, raw, source, ("scenes", index), diagnostics)
        if scene is not None:
            loaded.scenes.append((index, scene))
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
            loaded.broken_scene_ids.add(raw["id"])
    for index, raw in _parts(source, "glossary", diagnostics):
        entry = validate_part(GlossaryEntry, raw, source, ("glossary", index), diagnostics)
        if entry is not None:
            loaded.glossary.append((("glossary", index), entry))
    for index, raw in _parts(source, "events", diagnostics):
        event = validate_part(Event, raw, source, ("events", index), diagnostics)
        if event is not None:
            loaded.events.append((("events", index), event))
    if loaded.meta is not None:
        loaded.glossary += [(("story", "glossary", i), entry) for i, entry in enumerate(loaded.meta.glossary)]
        loaded.events += [(("story", "events", i), event) for i, event in enumerate(loaded.meta.events)]
    return loaded


def load_files(root: Path, diagnostics: DiagnosticList) -> list[LoadedFile]:
    loaded = []
    for path in story_files(root, diagnostics):
        source = read_source(path, diagnostics)
        if source is not None:
            loaded.append(load_file(source, diagnostics))
    return loaded
