"""The validator of the story format: pydantic, reading the rules written into the records of
engine/model.py. Only loading a story from its files and `collapse-tui schema` need it: a story played
from the cache of compiled stories starts without importing pydantic at all."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from collapse_tui.engine.model import StoryFile

# The kinds of error item pydantic gives for records (dataclasses) that the loader words itself.
UNKNOWN_KEY = "unexpected_keyword_argument"
MISSING_KEY = "missing"

__all__ = ["MISSING_KEY", "UNKNOWN_KEY", "ValidationError", "json_schema", "validate"]


@lru_cache(maxsize=None)
def _validator(record_type: type) -> TypeAdapter:
    return TypeAdapter(record_type)


def validate(record_type: type, data: Any) -> Any:
    """`data` (plain values from YAML) as a record of `record_type`; raises ValidationError."""
    return _validator(record_type).validate_python(data)


def json_schema() -> dict[str, Any]:
    schema = _validator(StoryFile).json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
