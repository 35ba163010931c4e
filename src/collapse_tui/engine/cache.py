"""A cache of compiled stories, so that a large story starts as fast as a small one.

An entry holds a story that loaded without errors, as JSON: a header line (the metadata, glossary,
story-wide events, warnings and an index of the scenes) and then each scene's validated model with the
positions the compiler recorded. JSON cannot run code, and what is read back is checked against the
types of the records it becomes (engine/model.py `from_plain`) and its expressions parsed again by the
safe parser, so a damaged or doctored entry can at worst be refused. Reading an entry needs neither YAML
nor the validator (pydantic): that is what makes a cached start fast. Scenes are rebuilt when first
asked for, so a start reads the header and the first scene, whatever the size of the story.

An entry is keyed on everything the compiled story depends on: the bytes and shown paths of the story's
files, the engine's version and the source of the engine itself (the rules of the format are written in
it). The key is stored in the entry as well as in its name, and each scene's checksum is checked before
the scene is read. Any doubt (a missing, damaged, foreign or stale entry, a file owned by someone
else) means an ordinary load, whose result is then stored.

Reading and hashing every file to find the key was a good part of a warm start, so the cache also keeps
an index from what the files look like from outside (path, size, modification and change times, inode:
git's index does the same) to the key their content had. When nothing about the files has changed, the key
is taken from the index and no file is read. A file changed within two seconds of being indexed is not
indexed (its times may not show a second change in the same tick), so an edit always changes what the
index is asked.

Entries live under $COLLAPSE_TUI_HOME/cache when that is set, else the user's cache folder
(platformdirs), a few at most."""

from __future__ import annotations

import json
import mmap
import os
import threading
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

from collapse_tui import __version__
from collapse_tui.engine.diagnostics import Diagnostic, DiagnosticList, Severity, SourcePosition
from collapse_tui.engine.expressions import Effect, Expression, ExpressionError, parse_effect, parse_expression
from collapse_tui.engine.sources import MAX_FILE_BYTES, display_path, story_files
from collapse_tui.engine.model import Event, GlossaryEntry, Scene, StoryMeta, from_plain, to_plain
from collapse_tui.engine.files import user_folder, write_atomically
from collapse_tui.engine.story import CompiledChoice, CompiledEvent, CompiledScene, Story

CACHE_FORMAT = "collapse-tui-story-cache"
CACHE_VERSION = 4  # 3: records, not pydantic models; a digest per scene. 4: a CRC-32 per scene
MAX_ENTRIES = 8
MAX_ENTRY_BYTES = 512 * 1024 * 1024
INDEX_NAME = "files.index"  # (not *.json: the entries are those)
MAX_INDEX_BYTES = 16 * 1024 * 1024
SETTLED_NS = 2_000_000_000  # a file indexed sooner after a change might change again unseen in the same tick
_ENGINE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path:
    return user_folder("cache")


def _engine_sources() -> list[Path]:
    """The engine's source files (none where they are not files, as in a zipped install)."""
    try:
        return sorted(_ENGINE_DIR / entry.name for entry in os.scandir(_ENGINE_DIR) if entry.name.endswith(".py"))
    except OSError:
        return []


def _engine_fingerprint() -> bytes:
    """The engine's own source: a changed compiler must not be served stories compiled by the old one."""
    import hashlib  # (only when the index does not know the files: hashlib takes OpenSSL's time to import)

    digest = hashlib.blake2b(digest_size=16)
    for path in _engine_sources():
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.digest()


def story_key(root: Path) -> Optional[str]:
    """The cache key of the story at `root`, or None when it cannot be cached (problems finding or
    reading its files: an ordinary load reports them)."""
    import hashlib

    found = DiagnosticList()
    paths = story_files(root, found)
    if found.items or not paths:
        return None
    digest = hashlib.sha256()  # (the CPU's own instructions where it has them: twice blake2b's speed here)
    for part in (CACHE_FORMAT, str(CACHE_VERSION), __version__, display_path(root)):
        digest.update(part.encode() + b"\0")
    digest.update(_engine_fingerprint())
    for path in paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            content = path.read_bytes()
        except OSError:
            return None
        digest.update(f"\0{display_path(path)}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _blob_digest(blob: bytes) -> str:
    """A scene's checksum, for damage (whoever could doctor an entry could as well write its checksums)."""
    return f"{zlib.crc32(blob):08x}"


# --- the index: what the files look like, to the key of their content --------------------------------

Signature = tuple[str, int]  # the files as seen from outside; the newest of their times (ns)


def files_signature(root: Path) -> Optional[Signature]:
    """What the story's files and the engine's sources look like from outside, without reading them; None
    when they cannot all be seen (an ordinary load reports why)."""
    found = DiagnosticList()
    paths = story_files(root, found)
    if found.items or not paths:
        return None
    # (The working folder is part of it as the shown paths in the key are relative to it.)
    lines = [CACHE_FORMAT, str(CACHE_VERSION), __version__, os.getcwd(), os.fspath(root)]
    newest = 0
    try:
        for path in (*_engine_sources(), *paths):
            status = os.stat(path)
            if status.st_size > MAX_FILE_BYTES:
                return None
            lines.append(f"{os.fspath(path)}\0{status.st_size}\0{status.st_mtime_ns}\0{status.st_ctime_ns}"
                         f"\0{status.st_ino}\0{status.st_dev}")
            newest = max(newest, status.st_mtime_ns, status.st_ctime_ns)
    except OSError:
        return None
    return "\n".join(lines), newest


def _read_index(folder: Path) -> list[list[str]]:
    path = folder / INDEX_NAME
    try:
        status = path.stat()
        if (hasattr(os, "getuid") and status.st_uid != os.getuid()) or status.st_size > MAX_INDEX_BYTES:
            return []
        pairs = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []
    if not isinstance(pairs, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in pairs):
        return []
    return pairs


def indexed_key(signature: Signature, folder: Path) -> Optional[str]:
    """The key of the files' content when they were indexed looking exactly as they do now."""
    return next((key for seen, key in _read_index(folder) if seen == signature[0]), None)


def _index(signature: Signature, key: str, folder: Path) -> None:
    """Remember the key of files that look like `signature`, unless one of them changed too recently to tell
    a second change from its times."""
    if time.time_ns() - signature[1] < SETTLED_NS:
        return
    pairs = [[signature[0], key], *(pair for pair in _read_index(folder) if pair[0] != signature[0])]
    try:
        write_atomically(folder / INDEX_NAME, _json(pairs[:MAX_ENTRIES]), durable=False, folder_mode=0o700)
    except OSError:
        pass


# --- writing --------------------------------------------------------------------------------------

def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def story_to_bytes(story: Story, key: str) -> bytes:
    """An entry: a header line, then the scenes (each a JSON document at the offset the index gives)."""
    paths: dict[str, int] = {}

    def where(position: SourcePosition) -> list:
        return [paths.setdefault(position.path, len(paths)), position.line, position.column]

    index, blobs, offset = [], [], 0
    for scene_id in story.scene_order or tuple(story.scenes):
        scene = story.scenes[scene_id]
        blob = _json({
            "model": to_plain(scene.model),
            "time": scene.time,
            "at": where(scene.position),
            "choices": [where(choice.position) for choice in scene.choices],
            "events": [where(event.position) for event in scene.events],
        })
        index.append([scene_id, offset, len(blob), _blob_digest(blob)])
        blobs.append(blob)
        offset += len(blob)
    body = b"".join(blobs)
    header = {
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "key": key,
        "body": len(body),
        "meta": to_plain(story.meta),
        "root": story.root,
        "files": list(story.files),
        "scenes": index,
        "events": [{"model": {"id": e.id, "when": e.condition.source, "goto": e.goto, "once": e.once}, "at": where(e.position)}
                   for e in story.events],
        "glossary": [to_plain(entry) for entry in story.glossary],
        "warnings": [{"at": where(d.position), "severity": d.severity.value, "message": d.message, "code": d.code}
                     for d in story.warnings],
    }
    header["paths"] = list(paths)
    return _json(header) + b"\n" + body


def store(story: Story, key: str, folder: Optional[Path] = None) -> None:
    """Write the entry atomically; a cache that cannot be written is simply not written."""
    folder = folder or cache_dir()
    data = story_to_bytes(story, key)
    try:
        write_atomically(folder / f"{key}.json", data, durable=False, folder_mode=0o700)
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Keep the few most recently used entries."""
    entries = []
    for path in folder.glob("*.json"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        try:
            path.unlink()
        except OSError:
            pass


# --- reading --------------------------------------------------------------------------------------

class _Refused(Exception):
    """A cache entry that is not used."""


class _Compiler:
    """Rebuilds compiled parts from their cached form: positions, and expressions parsed once per text."""

    def __init__(self, paths: list[str]):
        self.paths = paths
        self.parsed: dict[tuple[bool, str], Union[Expression, Effect]] = {}

    def at(self, where: list) -> SourcePosition:
        index, line, column = where
        return SourcePosition(self.paths[index], int(line), int(column))

    def effect(self, text: str) -> Effect:
        found = self.parsed.get((True, text))
        if found is None:
            found = self.parsed[(True, text)] = parse_effect(text)
        return found  # type: ignore[return-value]

    def condition(self, text: str) -> Expression:
        found = self.parsed.get((False, text))
        if found is None:
            found = self.parsed[(False, text)] = parse_expression(text)
        return found  # type: ignore[return-value]

    def events(self, models: tuple[Event, ...], positions: list) -> tuple[CompiledEvent, ...]:
        if len(models) != len(positions):
            raise _Refused
        return tuple(CompiledEvent(e.id, self.condition(e.when), e.goto, e.once, self.at(p)) for e, p in zip(models, positions))

    def scene(self, item: dict[str, Any]) -> CompiledScene:
        model = from_plain(Scene, item["model"])
        if len(model.choices) != len(item["choices"]):
            raise _Refused
        choices = tuple(
            CompiledChoice(index, choice, self.condition(choice.if_) if choice.if_ is not None else None,
                           tuple(self.effect(text) for text in choice.effects), self.at(where))
            for index, (choice, where) in enumerate(zip(model.choices, item["choices"])))
        time = item["time"]
        return CompiledScene(model, tuple(self.effect(text) for text in model.on_enter), choices,
                             self.events(model.events, item["events"]), None if time is None else int(time),
                             self.at(item["at"]))


class CachedScenes(Mapping):
    """A story's scenes, read-only, each rebuilt from the cache entry the first time it is asked for.
    Each scene's digest is checked before it is read (not the whole entry's when it is opened: that was
    a fifth of the start of a large story); a scene that fails to rebuild makes the story compiled afresh
    from its files (`recompile`, which stores it anew) and that scene taken from there."""

    def __init__(self, index: dict[str, tuple[int, int, str]], body: memoryview, compiler: _Compiler,
                 recompile: Callable[[], Story]):
        self._index = index
        self._body: Optional[memoryview] = body
        self._compiler = compiler
        self._recompile = recompile
        self._built: dict[str, CompiledScene] = {}
        self._lock = threading.Lock()

    def __getitem__(self, scene_id: str) -> CompiledScene:
        scene = self._built.get(scene_id)
        if scene is not None:
            return scene
        place = self._index[scene_id]  # KeyError for an unknown scene, as a dict would
        with self._lock:
            scene = self._built.get(scene_id)
            if scene is None:
                scene = self._build(scene_id, *place)
                self._built[scene_id] = scene
                if len(self._built) == len(self._index):
                    self._body = None  # all built: the entry's bytes are no longer needed
        return scene

    def _build(self, scene_id: str, offset: int, length: int, digest: str) -> CompiledScene:
        try:
            assert self._body is not None
            blob = bytes(self._body[offset:offset + length])
            if _blob_digest(blob) != digest:
                raise _Refused
            return self._compiler.scene(json.loads(blob))
        except (_Refused, AssertionError, KeyError, IndexError, TypeError, ValueError, ExpressionError):
            fresh = self._recompile()
            self._built.update(fresh.scenes)
            return fresh.scenes[scene_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._index

    def __repr__(self) -> str:
        return f"CachedScenes({len(self._built)} of {len(self._index)} built)"


def _read_entry(path: Path, key: str) -> tuple[dict[str, Any], memoryview]:
    try:
        status = path.stat()
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            raise _Refused  # written by someone else
        if status.st_size > MAX_ENTRY_BYTES:
            raise _Refused
        with path.open("rb") as file:  # mapped, not read: a start reads the header and one scene
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        newline = data.find(b"\n")
        if newline < 0:
            raise _Refused
        header = json.loads(data[:newline])
    except (OSError, ValueError):
        raise _Refused from None
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT \
            or header.get("version") != CACHE_VERSION or header.get("key") != key:
        raise _Refused
    body = memoryview(data)[newline + 1:]
    if header.get("body") != len(body):
        raise _Refused
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return header, body


def story_from_entry(header: dict[str, Any], body: memoryview, recompile: Callable[[], Story]) -> Story:
    """The story of an opened entry; anything unexpected in the header raises (the caller then loads the
    story afresh)."""
    compiler = _Compiler([str(p) for p in header["paths"]])
    meta = from_plain(StoryMeta, header["meta"])
    index: dict[str, tuple[int, int, str]] = {}
    for scene_id, offset, length, digest in header["scenes"]:
        if not (isinstance(scene_id, str) and type(offset) is int and type(length) is int and isinstance(digest, str)
                and 0 <= offset and offset + length <= len(body)) or scene_id in index:
            raise _Refused
        index[scene_id] = (offset, length, digest)
    if meta.start not in index:
        raise _Refused
    story_events = tuple(from_plain(Event, item["model"]) for item in header["events"])
    return Story(
        meta=meta,
        scenes=CachedScenes(index, body, compiler, recompile),
        events=compiler.events(story_events, [item["at"] for item in header["events"]]),
        glossary=tuple(from_plain(GlossaryEntry, entry) for entry in header["glossary"]),
        root=str(header["root"]),
        files=tuple(str(f) for f in header["files"]),
        warnings=tuple(Diagnostic(compiler.at(w["at"]), Severity(w["severity"]), str(w["message"]), str(w["code"]))
                       for w in header["warnings"]),
        scene_order=tuple(index),
    )


def load(key: str, recompile: Callable[[], Story], folder: Optional[Path] = None) -> Optional[Story]:
    """The cached story for `key`, or None."""
    folder = folder or cache_dir()
    try:
        header, body = _read_entry(folder / f"{key}.json", key)
        return story_from_entry(header, body, recompile)
    except (_Refused, KeyError, IndexError, TypeError, ValueError, ExpressionError):
        return None


def load_story_cached(root: Union[Path, str], compile_story: Callable[[Path], Story]) -> Story:
    """The story at `root` from the cache when its files have not changed, else compiled by
    `compile_story` (which raises StoryError for a broken story: those are never cached) and stored."""
    root = Path(root)
    folder = cache_dir()

    def compile_and_store(key: Optional[str]) -> Story:
        story = compile_story(root)
        if key is not None and story_key(root) == key:  # the files did not change while it was compiled
            store(story, key, folder)
        return story

    seen = files_signature(root)
    known = indexed_key(seen, folder) if seen is not None else None
    if known is not None:
        story = load(known, lambda: compile_and_store(story_key(root)), folder)
        if story is not None:
            return story
    key = story_key(root)
    if key is None:
        return compile_story(root)
    story = load(key, lambda: compile_and_store(key), folder) or compile_and_store(key)
    if seen is not None and files_signature(root) == seen:  # (nothing changed while the key was made)
        _index(seen, key, folder)
    return story
