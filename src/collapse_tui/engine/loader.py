"""Story files -> typed models, with the source position of every YAML node at hand (found from the
composed nodes when a diagnostic asks) so that each problem is reported at its line and column. YAML is read by the C-accelerated safe loader where available and never
builds Python objects: only plain mappings, lists, text, numbers, booleans and null."""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, get_args, get_origin

import yaml

from collapse_tui.engine.diagnostics import DiagnosticList, SourcePosition, did_you_mean
from collapse_tui.engine.field_messages import friendly_errors, yaml_hint
from collapse_tui.engine.model import (
    Event, GlossaryEntry, Scene, StoryFile, StoryMeta, bare_type, fields_of, is_record_type,
)
from collapse_tui.engine.schema import MISSING_KEY, UNKNOWN_KEY, ValidationError, validate
from collapse_tui.engine.sources import MAX_FILE_BYTES, display_path, story_files

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class YamlLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader with the per-node work it calls back into Python for made cheaper (a seventh of
    the parse time of a large story): no path resolvers, and plain scalars resolved by their first
    character; the tags it gives are exactly the safe loader's."""

    # Path resolvers are not used (none is registered), so these two calls per node do nothing; C
    # callables that ignore their arguments cost less than Python methods that return at once.
    descend_resolver = {}.get
    ascend_resolver = ().__len__

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, regexp in self.yaml_implicit_resolvers.get(value[0] if value else "", ()):
                if regexp.match(value):
                    return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


MAX_NODES = 2_000_000
MAX_DEPTH = 64

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
    node: Optional[yaml.Node] = None  # the composed document, when positions are found on demand
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, repr=False, compare=False)

    def position(self, path: Path_, *, key: bool = False) -> SourcePosition:
        """The position of the node at `path`, or of its nearest ancestor that has one."""
        if self.node is not None:
            return self._position_in_nodes(path, key)
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return SourcePosition(self.path, 1, 1)

    def _position_in_nodes(self, path: Path_, key: bool) -> SourcePosition:
        """Walk the composed nodes along `path` as far as it goes: the same answer as the position tables
        give, found only when a diagnostic needs it (the fast path records no positions while loading)."""
        node = self.node
        mark = node.start_mark
        key_mark = None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                if len(node.value) > 32:  # a long mapping (variables, tickers): its keys indexed once
                    keys = self._keys.get(id(node))
                    if keys is None:
                        keys = self._keys[id(node)] = {k.value: (k, v) for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)}
                    found = keys.get(part)
                else:
                    found = None
                    for pair in node.value:
                        if pair[0].value == part and isinstance(pair[0], yaml.ScalarNode):
                            found = pair
                            break
                if found is None:
                    break
                key_mark, node = found[0].start_mark, found[1]
            elif isinstance(node, yaml.SequenceNode) and type(part) is int and 0 <= part < len(node.value):
                key_mark, node = None, node.value[part]
            else:
                break
            mark = node.start_mark
        if key and key_mark is not None:
            mark = key_mark
        return SourcePosition(self.path, mark.line + 1, mark.column + 1)


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
        if mark is not None:
            problem += yaml_hint(problem, text, mark.line, mark.column)
        diagnostics.error(position, f"YAML syntax: {problem}", "yaml-syntax")
        return None
    except (yaml.YAMLError, RecursionError) as error:
        diagnostics.error(SourcePosition(shown, 1, 1), f"YAML syntax: {error or 'too deeply nested'}", "yaml-syntax")
        return None
    if node is None:
        source.data = {}
        return source
    try:
        source.data = _plain_data(node, aliases=False)
        source.node = node
        return source
    except _UnusualDocument:
        pass
    # Aliases, or something to report. Aliases are measured first, without expanding them: a billion
    # laughs is refused in a moment, not after two million nodes (and half a gigabyte of positions).
    problem = _alias_problem(node)
    if problem is not None:
        at, message = problem
        diagnostics.error(SourcePosition(shown, at.start_mark.line + 1, at.start_mark.column + 1), message, "too-large")
        return None
    try:
        source.data = _plain_data(node, aliases=True)
        source.node = node
        return source
    except _UnusualDocument:
        pass  # something to report: the careful converter finds it and says where
    converter = _NodeConverter(source, diagnostics)
    source.data = converter.convert(node, (), 0)
    return source if not converter.failed else None


class _UnusualDocument(Exception):
    """The fast path met something the careful converter must report (a tag, a merge or duplicate key,
    a non-text key, too many nodes or levels, a scalar that does not fit its tag)."""


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALAR_BUILDERS = {
    _STR_TAG: lambda node: node.value,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    _TIMESTAMP_TAG: lambda node: node.value,
}


# Characters that would reach the player's terminal as commands (C0 but tab and newline, DEL, C1): only
# a double-quoted YAML scalar can hold them (as escapes like "\e[2J"); the YAML reader refuses them raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _control_problem(node: yaml.ScalarNode) -> Optional[str]:
    if node.style != '"':
        return None
    found = _CONTROL.search(node.value)
    if found is None:
        return None
    return (f"the text has the control character U+{ord(found.group()):04X}, which would reach the player's "
            "terminal as a command; write the text without it")


def _plain_data(root: yaml.Node, *, aliases: bool) -> Any:
    """Composed nodes -> plain data, for the common case of a document with nothing to report: no position
    tables (positions are found from the nodes when a diagnostic needs one), no paths built. Raises
    _UnusualDocument on anything the careful converter would report, so the diagnostics stay its own,
    and, unless `aliases`, on the second sight of a node (an alias), so that aliases are measured first."""
    count = 0
    seen: set[int] = set()
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    builders = _SCALAR_BUILDERS
    key_tags = _SCALAR_TAGS
    control = _CONTROL

    def convert(node: yaml.Node, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise _UnusualDocument
        kind = node.__class__
        if kind is scalar:
            if node.tag == _STR_TAG:
                if node.style == '"' and control.search(node.value):
                    raise _UnusualDocument
                return node.value
            builder = builders.get(node.tag)
            if builder is None:
                raise _UnusualDocument
            try:
                return builder(node)
            except Exception:  # a value that does not fit its tag: the careful converter reports it
                raise _UnusualDocument from None
        if not aliases:
            if id(node) in seen:
                raise _UnusualDocument
            seen.add(id(node))
        depth += 1
        if kind is mapping and node.tag == _MAP_TAG:
            result = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not scalar or key_node.tag not in key_tags or key_node.value == "<<" \
                        or (key_node.style == '"' and control.search(key_node.value)):
                    raise _UnusualDocument
                result[key_node.value] = convert(value_node, depth)
            if len(result) != len(node.value):
                raise _UnusualDocument  # a duplicate key
            return result
        if kind is sequence and node.tag == _SEQ_TAG:
            return [convert(item, depth) for item in node.value]
        raise _UnusualDocument

    return convert(root, 0)


def _children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes the converters descend into: a mapping's values, a sequence's items."""
    if isinstance(node, yaml.MappingNode):
        return [value for _, value in node.value]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def _alias_problem(root: yaml.Node) -> Optional[tuple[yaml.Node, str]]:
    """Where the converters would stop if aliases were expanded: the node at which the count of nodes
    passes MAX_NODES or the nesting passes MAX_DEPTH (an alias inside its own anchor nests endlessly),
    with the converters' message; None when the expanded document is within both limits.

    Each distinct node is measured once (its expanded size and height, capped), so this costs as much as
    the document as written, however far its aliases would expand; then only the subtrees that hold a
    problem are walked, in the converters' order."""
    size_cap, height_cap = MAX_NODES + 1, MAX_DEPTH + 2
    endless = (size_cap, height_cap)
    measured: dict[int, tuple[int, int]] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # post-order without recursion: a document may nest deeper than Python's stack allows
        node, finished = stack.pop()
        key = id(node)
        if not finished:
            if key in measured or isinstance(node, yaml.ScalarNode):
                continue
            measured[key] = endless  # until finished: met again on the way down, it contains itself
            stack.append((node, True))
            stack += [(child, False) for child in _children(node) if id(child) not in measured]
            continue
        size, height = 1, 1
        for child in _children(node):
            child_size, child_height = (1, 1) if isinstance(child, yaml.ScalarNode) else measured[id(child)]
            size = min(size + child_size, size_cap)
            height = min(max(height, child_height + 1), height_cap)
        measured[key] = (size, height)

    def shape(node: yaml.Node) -> tuple[int, int]:
        return (1, 1) if isinstance(node, yaml.ScalarNode) else measured[id(node)]

    size, height = shape(root)
    if size <= MAX_NODES and height <= MAX_DEPTH + 1:
        return None
    count = 0

    def walk(node: yaml.Node, depth: int) -> Optional[tuple[yaml.Node, str]]:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            return node, "the document is too large (aliases expand beyond the limit)"
        if depth > MAX_DEPTH:
            return node, f"nesting deeper than {MAX_DEPTH} levels"
        for child in _children(node):
            child_size, child_height = shape(child)
            if count + child_size <= MAX_NODES and depth + child_height <= MAX_DEPTH:
                count += child_size  # no problem inside: passed over whole
                continue
            found = walk(child, depth + 1)
            if found is not None:
                return found
        return None  # pragma: no cover - the measures said there is a problem below

    return walk(root, 0)


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
            control = _control_problem(key_node)
            if control is not None:
                self.diagnostics.error(self._position(key_node), control, "control-character")
                continue
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
        control = _control_problem(node) if node.tag == _STR_TAG else None
        if control is not None:  # reported, and the text kept, so that nothing else is said about it
            self.diagnostics.error(self._position(node), control, "control-character")
        try:
            # the tag's own builder, not construct_object: that one remembers every node it has seen
            return _SCALAR_BUILDERS[node.tag](node)
        except (yaml.YAMLError, ValueError, LookupError, OverflowError):
            # an explicit tag the value does not fit (`!!int abc`), or an integer too long to convert
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "…"
            self.diagnostics.error(self._position(node), f"the value {shown!r} is not a valid {node.tag.rsplit(':', 1)[-1]}", "yaml-tag")
            self.source.rejected.add(path)
            return None


def _field_names(record_type: type) -> list[str]:
    return [spec.key for spec in fields_of(record_type)]


def _record_at(record_type: type, loc: tuple) -> Optional[type]:
    """The record class that holds the last element of `loc` (for did-you-mean on unknown keys)."""
    current: Any = record_type
    for part in loc[:-1]:
        current = bare_type(current)
        if is_record_type(current):
            fields = {spec.key: spec for spec in fields_of(current)}
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
    current = bare_type(current)
    return current if is_record_type(current) else None


def _is_location_part(part: Any) -> bool:
    """Whether a part of a pydantic error location is a key or index of the YAML (not the name of a type
    in a union, or of a validator)."""
    return not (isinstance(part, str) and ("[" in part or part in ("str", "function-before")))


def validate_part(record_type: type, data: Any, source: SourceFile, path: Path_, diagnostics: DiagnosticList) -> Any:
    """Validate one part of a file; each problem becomes a diagnostic at its node."""
    try:
        return validate(record_type, data)
    except ValidationError as error:
        for item in friendly_errors(error.errors(include_url=False)):
            raw = tuple(item["loc"])
            if item["type"] == UNKNOWN_KEY and raw:  # the last part is the author's key, whatever it holds
                loc = tuple(part for part in raw[:-1] if _is_location_part(part)) + raw[-1:]
            else:
                loc = tuple(part for part in raw if _is_location_part(part))
            full = path + loc
            if any(full[:end] in source.rejected for end in range(len(full) + 1)):
                continue
            key = loc[-1] if loc else ""
            if item["type"] == UNKNOWN_KEY:
                owner = _record_at(record_type, loc)
                hint = did_you_mean(str(key), _field_names(owner)) if owner else ""
                diagnostics.error(source.position(full, key=True), f"unknown key '{key}'{hint}", "unknown-key")
            elif item["type"] == MISSING_KEY:
                diagnostics.error(source.position(full[:-1]), f"the key '{key}' is required", "missing-field")
            else:
                message = item["msg"].removeprefix("Value error, ")
                where = f"'{key}': " if isinstance(key, str) and key else ""
                diagnostics.error(source.position(full), f"{where}{message}", "type")
        return None


def salvage_part(record_type: type, data: Any) -> Any:
    """The part as it would be with its misspelt keys corrected (`gotto` read as `goto`) and its other
    unknown keys left out, when nothing else is wrong with it; else None. Its errors are reported already:
    this only lets the checks that follow see the rest of the part, so that every problem shows at once."""
    try:
        validate(record_type, data)
        return None
    except ValidationError as error:
        items = error.errors(include_url=False)
    unknown = [item for item in items if item["type"] == UNKNOWN_KEY]
    if not unknown:
        return None
    fixed = copy.deepcopy(data)
    for item in unknown:
        raw = tuple(item["loc"])
        loc = tuple(part for part in raw[:-1] if _is_location_part(part))
        container = fixed
        for part in loc:
            try:
                container = container[part]
            except (KeyError, IndexError, TypeError):
                return None
        key = raw[-1]
        if not isinstance(container, dict) or key not in container:
            return None
        owner = _record_at(record_type, loc + (key,))
        close = difflib.get_close_matches(str(key), _field_names(owner), n=1, cutoff=0.6) if owner else []
        value = container.pop(key)
        if close and close[0] not in container:
            container[close[0]] = value
    try:
        return validate(record_type, fixed)
    except ValidationError:
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
        scene = validate_part(Scene, raw, source, ("scenes", index), diagnostics) or salvage_part(Scene, raw)
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
