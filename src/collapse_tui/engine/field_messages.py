"""Plain-language messages for the loader's field errors: pydantic's wording ("Input should be a valid
tuple") rewritten for a person editing YAML ("expected a list, one '- ' line per item"), with a
did-you-mean where a close value exists, one error per field for fields that take several types, and no
"the key 'text' is required" next to an "unknown key 'txt' (did you mean 'text'?)" that already says it."""

from __future__ import annotations

import difflib
import re
from typing import Any, Iterable, Iterator

from collapse_tui.engine import model as story_model
from collapse_tui.engine.diagnostics import did_you_mean
from collapse_tui.engine.schema import MISSING_KEY, UNKNOWN_KEY

# Parts of a pydantic error location that name a type inside a union rather than a key of the YAML.
_UNION_MEMBERS = frozenset({"bool", "int", "float", "str", "none", "dict", "list", "tuple"})
_EXPRESSION_KEYS = frozenset({"if", "when", "on_enter", "effects"})
_TYPE_NAMES = {bool: "true/false", int: "a number", float: "a number", str: "text", dict: "a mapping",
               list: "a list", type(None): "nothing"}

_PATTERN_RULES = {
    story_model.IDENTIFIER: ("an id uses letters, digits, _ and -, and starts with a letter", "identifier"),
    story_model.VARIABLE_NAME: ("a variable name uses lower-case letters, digits and _, and starts with a letter", "variable"),
    story_model.TICKER_SYMBOL: ("a ticker symbol uses capital letters and digits, and starts with a letter (like FTT)", "ticker"),
}


def _is_location_part(part: Any) -> bool:
    return not (isinstance(part, str) and ("[" in part or part in ("str", "function-before")))


def _shown(value: Any) -> str:
    """A YAML value as the author wrote it, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _keys_of(class_name: str) -> list[str]:
    """The keys of a record, required ones first."""
    owner = getattr(story_model, class_name, None)
    if not story_model.is_record_type(owner):
        return []
    return [spec.key for spec in story_model.fields_of(owner)]


def _suggest(value: Any, rule: str) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    if rule == "variable":
        fixed = re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_")
        fixed = re.sub(r"^[^a-z]+", "", fixed)
    elif rule == "ticker":
        fixed = re.sub(r"[^A-Z0-9]+", "", value.strip().upper())
        fixed = re.sub(r"^[^A-Z]+", "", fixed)
    else:
        fixed = re.sub(r"[^A-Za-z0-9_-]+", "_", value.strip()).strip("_-")
        fixed = re.sub(r"^[^A-Za-z]+", "", fixed)
    return f" (did you mean '{fixed}'?)" if fixed and fixed != value else ""


def friendly_message(item: dict[str, Any], key: Any = "") -> str:
    """The message for one pydantic error item, in the words of the story format."""
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    shown = _shown(value)
    if kind in ("dataclass_type", "dataclass_args_type", "dict_type"):
        fields = _keys_of(ctx.get("class_name", ""))
        keys = f" with keys such as {', '.join(fields[:4])}" if fields else ""
        return f"expected a mapping (key: value lines){keys}, not {shown}"
    if kind in ("tuple_type", "list_type"):
        example = ", like [\"cash += 1\"]" if key in _EXPRESSION_KEYS else ""
        return f"expected a list (one '- ' line per item, or [a, b]){example}, not {shown}"
    if kind == "string_type":
        if key in _EXPRESSION_KEYS:
            return f"expected an expression in quotes, like \"cash > 10\", not {shown}"
        return f"expected text, not {shown}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, not {shown}"
    if kind in ("int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"):
        return f"expected a number, not {shown}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        hint = did_you_mean(str(value), allowed) if isinstance(value, str) else ""
        return f"{shown} is not one of {', '.join(allowed)}{hint}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern in _PATTERN_RULES:
            rule, name = _PATTERN_RULES[pattern]
            return f"{rule}, not {shown}{_suggest(value, name)}"
        if "a-z]{2,3}" in pattern:
            return f"{shown} is not a language code like en, zh or pt-BR"
        return f"{shown} does not match the pattern {pattern}"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return f"needs at least {count} item{'s' if count != 1 else ''}"
    if kind == "too_long":
        return f"has more than {ctx.get('max_length')} items"
    comparisons = {"greater_than": ("gt", "greater than"), "greater_than_equal": ("ge", "at least"),
                   "less_than": ("lt", "less than"), "less_than_equal": ("le", "at most")}
    if kind in comparisons:
        bound_key, words = comparisons[kind]
        bound = ctx.get(bound_key)
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"must be {words} {bound}, not {shown}"
    if kind == "union_type_mismatch" or kind == "union_tag_invalid":
        return f"unexpected {shown}"
    return str(item.get("msg", "")).removeprefix("Value error, ")


def _union_message(items: list[dict[str, Any]]) -> str:
    members = []
    for item in items:
        name = {"bool": "true/false", "int": "a number", "float": "a number", "str": "text"}.get(item["loc"][-1], item["loc"][-1])
        if name not in members:
            members.append(name)
    return f"expected {' or '.join(members)}, not {_shown(items[0].get('input'))}"


def friendly_errors(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rewrite pydantic error items for the loader: one per field, in plain words, minus the noise."""
    items = list(items)
    # Fields that take one of several types (`initial: bool | int | float`) fail once per type: merge.
    unions: dict[tuple, list[dict[str, Any]]] = {}
    for item in items:
        loc = tuple(part for part in item["loc"] if _is_location_part(part))
        if len(loc) >= 2 and loc[-1] in _UNION_MEMBERS and item["type"] not in (UNKNOWN_KEY, MISSING_KEY):
            unions.setdefault(loc[:-1], []).append(item)
    unions = {loc: members for loc, members in unions.items() if len(members) > 1}
    # A missing key that an unknown key beside it is a misspelling of is said once, by the unknown key.
    unknown: dict[tuple, list[str]] = {}
    for item in items:
        if item["type"] == UNKNOWN_KEY:
            loc = tuple(part for part in item["loc"] if _is_location_part(part))
            if loc:  # (a key written with '[' in it looks like one of pydantic's own location parts)
                unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
    done: set[tuple] = set()
    for item in items:
        loc = tuple(part for part in item["loc"] if _is_location_part(part))
        if len(loc) >= 2 and loc[:-1] in unions and loc[-1] in _UNION_MEMBERS:
            if loc[:-1] in done:
                continue
            done.add(loc[:-1])
            members = unions[loc[:-1]]
            yield {**item, "loc": loc[:-1], "type": "union", "msg": _union_message(members)}
            continue
        if item["type"] == MISSING_KEY:
            siblings = unknown.get(loc[:-1], [])
            if any(difflib.get_close_matches(str(loc[-1]), [s], n=1, cutoff=0.6) for s in siblings):
                continue
            yield item
            continue
        if item["type"] == UNKNOWN_KEY:
            yield item
            continue
        key = loc[-1] if loc else ""
        message = friendly_message(item, key)
        value = item.get("input")
        has_boolean = isinstance(value, bool) or (isinstance(value, dict) and any(isinstance(v, bool) for v in value.values()))
        if has_boolean and "true or false" not in message:
            message += " (YAML reads unquoted yes, no, on, off, true and false as true/false: put text in quotes)"
        yield {**item, "loc": loc, "msg": message}


def yaml_hint(problem: str, text: str, line: int, column: int) -> str:
    """A `; hint` for the YAML syntax errors that authors meet most (0-based line and column)."""
    lines = text.splitlines()
    here = lines[line][column:column + 1] if 0 <= line < len(lines) else ""
    if "tab character" in problem:
        return "; indent with spaces: YAML does not allow tabs"
    if "cannot start any token" in problem:
        if here == "\t":
            return "; indent with spaces: YAML does not allow tabs"
        if here in ("@", "`", "%"):
            return f"; text that starts with '{here}' must be in quotes"
    if "mapping values are not allowed" in problem:
        return "; text that contains ': ' must be in quotes, or the indentation of this line is off"
    if "while scanning a quoted scalar" in problem:
        return "; a quote is not closed"
    if "did not find expected ',' or ']'" in problem:
        return "; a [ … ] list is not closed, or an item in it needs quotes"
    if "did not find expected ',' or '}'" in problem:
        return "; a { … } mapping is not closed, or a value in it needs quotes"
    if "did not find expected '-' indicator" in problem:
        return "; list items ('- ') and keys are mixed at the same indentation"
    if "did not find expected key" in problem:
        return "; check the indentation and the quotes here (inside '…' write '' for an apostrophe)"
    if "found undefined alias" in problem:
        return "; text that starts with '*' must be in quotes"
    if "found unhashable key" in problem or "found unexpected ':'" in problem:
        return "; text that contains ':' must be in quotes"
    return ""
