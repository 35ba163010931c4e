"""Parsed stylesheets kept between starts, as Python keeps compiled modules in __pycache__.

Textual parses every stylesheet a screen uses (the app's and the screen's sheets, and the DEFAULT_CSS of each
kind of widget on it) again at every start: tokenising, putting in the theme's variables, building the rules.
For the play screen that is a good part of the time to its first frame. This keeps the parsed rules of each
sheet from one start to the next, keyed on everything the parse reads: the CSS itself and where it was read
from, the theme's variables, and the files of Textual's parser (an upgraded Textual parses afresh).

Textual has no hook for it, so `use` wraps `Stylesheet._parse_rules` (every stylesheet's, including those
Textual makes when it parses everything again, as after a change of theme). The file is written when the app
ends, and only if a sheet was parsed that the file did not have (the first start, a new theme, an edited
sheet). It is a cache: a file that is missing, damaged or from another Textual is read as empty.

The rules are stored with pickle, read back through an unpickler that knows the few classes a parsed rule
is made of and nothing else (see `_RulesUnpickler`): the file is the user's own, like the story cache, but
even a file put there by someone else could not make the app run code."""

from __future__ import annotations

import functools
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Callable, Optional

from textual.css.model import (
    CombinatorType, RuleSet, SelectorType, _check_class, _check_id, _check_type, _check_universal,
)
from textual.css.styles import Styles
from textual.css.stylesheet import Stylesheet

from collapse_tui.engine.files import user_folder, write_atomically

CACHE_NAME = "stylesheets.pickle"
CACHE_VERSION = 1
MAX_FILE_BYTES = 8 * 1024 * 1024  # a bigger file was not written by us: it is not read
MAX_ENTRIES = 512  # sheets kept (each sheet once per theme it was parsed for); the ones used last are kept
PARSER_MODULES = ("textual.css.parse", "textual.css.tokenize", "textual.css.tokenizer",
                  "textual.css._styles_builder", "textual.css.model", "textual.css.styles")

SourceKey = tuple[str, Any, bool, int, str]  # the arguments of `_parse_rules`: css, read_from, default, tie, scope
Variables = tuple[tuple[str, str], ...]


def cache_path() -> Path:
    return user_folder("cache") / CACHE_NAME


def _parser_fingerprint() -> Optional[tuple[Any, ...]]:
    """What says which parser made the rules: our format, Python's version and the size and time of the files
    of Textual's parser (None where they are not files: nothing is cached then)."""
    files = []
    for name in PARSER_MODULES:
        path = getattr(sys.modules.get(name), "__file__", None)
        if path is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        files.append((path, status.st_size, status.st_mtime_ns))
    return (CACHE_VERSION, sys.version_info[:2], tuple(files))


# --- reading rules back: only what a parsed rule is made of --------------------------------------------

def _styles(rules: dict[str, object], updates: int, important: set[str]) -> Styles:
    """A parsed rule's styles, made again as Textual makes them (which binds a few of the dict's methods)."""
    if not isinstance(rules, dict) or type(updates) is not int or not isinstance(important, set):
        raise pickle.UnpicklingError("not the styles of a rule")
    return Styles(_rules=rules, _updates=updates, important=important)  # type: ignore[arg-type]


_CHECKS = {_check_universal, _check_type, _check_class, _check_id}  # (what a selector's checks call)


def _selector_check(function: Callable[..., bool], *arguments: object) -> functools.partial:
    """Stands in for `functools.partial`, which a selector's checks are: of the selector check functions only."""
    if function not in _CHECKS:
        raise pickle.UnpicklingError(f"not a selector check: {function!r}")
    return functools.partial(function, *arguments)


@functools.lru_cache(maxsize=None)
def _allowed() -> dict[tuple[str, str], object]:
    """The names a pickled rule may use, and what each stands for."""
    from textual.color import Color
    from textual.css.model import Selector, SelectorSet
    from textual.css.scalar import Scalar, ScalarOffset, Unit
    from textual.geometry import Spacing
    from textual.layouts.grid import GridLayout
    from textual.layouts.horizontal import HorizontalLayout
    from textual.layouts.vertical import VerticalLayout

    allowed: dict[tuple[str, str], object] = {
        (kind.__module__, kind.__qualname__): kind
        for kind in (Color, CombinatorType, RuleSet, Selector, SelectorSet, SelectorType, Scalar, ScalarOffset,
                     Unit, Spacing, GridLayout, HorizontalLayout, VerticalLayout)
    }
    allowed.update({(check.__module__, check.__qualname__): check for check in _CHECKS})
    allowed[("functools", "partial")] = _selector_check
    allowed[(__name__, "_styles")] = _styles
    return allowed


class _RulesUnpickler(pickle.Unpickler):
    """An unpickler for parsed rules: the classes rules are made of, and no other name (no function to call,
    no module to reach)."""

    def find_class(self, module: str, name: str) -> Any:
        found = _allowed().get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"not part of a stylesheet: {module}.{name}")
        return found


class _RulesPickler(pickle.Pickler):
    """Writes a rule's styles as the arguments to make them again (`_styles`), not as the bound methods of a
    dict that Textual keeps in them, which would take `getattr` to read back."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Styles:
            if obj.node is not None:
                raise pickle.PicklingError("styles of a node are not a stylesheet's")
            return _styles, (obj._rules, obj._updates, obj.important)
        return NotImplemented


def _rules_to_bytes(rules: list[RuleSet]) -> Optional[bytes]:
    buffer = io.BytesIO()
    try:
        _RulesPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(rules)
    except Exception:  # (what cannot be written is parsed again next time)
        return None
    data = buffer.getvalue()
    return data if _rules_from_bytes(data) is not None else None  # (what cannot be read back is not kept)


def _rules_from_bytes(data: bytes) -> Optional[list[RuleSet]]:
    try:
        rules = _RulesUnpickler(io.BytesIO(data)).load()
    except Exception:  # (a damaged entry: pickle raises errors of many kinds)
        return None
    if not isinstance(rules, list) or not all(isinstance(rule, RuleSet) for rule in rules):
        return None
    return rules


class _PlainUnpickler(pickle.Unpickler):
    """For the file's outer layer: dicts, tuples, strings, numbers and bytes, no class at all."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected in the stylesheet cache: {module}.{name}")


# --- the cache ----------------------------------------------------------------------------------------

class StylesheetCache:
    """The parsed sheets of one file: read when the first sheet is asked for, written by `save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fingerprint: Optional[tuple[Any, ...]] = None
        self._entries: Optional[dict[tuple[Variables, SourceKey], bytes]] = None
        self._used: dict[tuple[Variables, SourceKey], bytes] = {}
        self._added = False
        self._variables: tuple[Optional[dict[str, str]], dict[str, str], Variables] = (None, {}, ())
        self.hits = 0
        self.misses = 0

    def _load(self) -> dict[tuple[Variables, SourceKey], bytes]:
        self._fingerprint = _parser_fingerprint()
        entries: dict[tuple[Variables, SourceKey], bytes] = {}
        if self._fingerprint is None:
            return entries
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                return entries
            stored = _PlainUnpickler(io.BytesIO(data)).load()
        except Exception:  # (missing, unreadable, damaged: an empty cache)
            return entries
        if (isinstance(stored, dict) and stored.get("parser") == self._fingerprint
                and isinstance(stored.get("entries"), dict)):
            entries = stored["entries"]
        return entries

    def _variables_key(self, variables: dict[str, str]) -> Variables:
        """The theme's variables as a key, made again only when they change (they are the same for every sheet)."""
        seen, copy, key = self._variables
        if variables is not seen or variables != copy:
            key = tuple(sorted(variables.items()))
            self._variables = (variables, dict(variables), key)
        return key

    def rules(self, stylesheet: Stylesheet, source: SourceKey, parse: Callable[[], list[RuleSet]]) -> list[RuleSet]:
        """The rules of `source` for `stylesheet`'s variables: from the file, or `parse()`d (and kept)."""
        if self._entries is None:
            self._entries = self._load()
        key = (self._variables_key(stylesheet._variables), source)
        data = self._entries.get(key)
        rules = _rules_from_bytes(data) if data is not None else None
        if rules is not None:
            self.hits += 1
            self._used[key] = data  # type: ignore[assignment]
            return rules
        self.misses += 1
        rules = parse()
        if self._fingerprint is not None and not any(rule.errors for rule in rules):
            data = _rules_to_bytes(rules)
            if data is not None:
                self._used[key] = data
                self._added = True
        return rules

    def save(self) -> None:
        """Write the file if a sheet was parsed that it did not have: the sheets used in this run first, then the
        others it had, up to MAX_ENTRIES. A failure to write is no error (the next start parses again)."""
        if not self._added or self._entries is None:
            return
        entries = dict(self._used)
        for key, data in self._entries.items():
            if len(entries) >= MAX_ENTRIES:
                break
            entries.setdefault(key, data)
        stored = {"parser": self._fingerprint, "entries": entries}
        try:
            write_atomically(self.path, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except OSError:
            return
        self._entries, self._added = entries, False


_active: Optional[StylesheetCache] = None
_parse_rules = Stylesheet._parse_rules  # (Textual's own)


def _cached_parse_rules(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                        tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
    """`Stylesheet._parse_rules` through the active cache. A sheet with no place it was read from is named by
    its hash, which changes from run to run: it is parsed as Textual would."""
    source = (css, read_from, is_default_rules, tie_breaker, scope)
    if _active is None or not read_from[0]:
        return _parse_rules(self, *source)
    known = self._parse_cache.get(source)  # (the stylesheet's own memory of what it parsed, as Textual's)
    if known is None:
        known = self._parse_cache[source] = _active.rules(self, source, lambda: _parse_rules(self, *source))
    return known


def use(cache: Optional[StylesheetCache]) -> None:
    """Parse stylesheets through `cache` from now on in this process (None: parse every one afresh)."""
    global _active
    _active = cache
    Stylesheet._parse_rules = _cached_parse_rules if cache is not None else _parse_rules  # type: ignore[method-assign]
