"""The story format as typed, immutable records (frozen dataclasses): the one source of truth for the
loader, the validator, the compiled story, the cache of compiled stories and the JSON Schema that editors
use (`collapse-tui schema`).

This module imports nothing heavy, so that a story played from the cache starts without the validator.
The rules a field must follow are plain metadata (`Check`, `Convert`) that pydantic reads through its
`__get_pydantic_core_schema__` protocol when engine/schema.py builds the validator; until then they are
inert."""

# (Not `from __future__ import annotations`: the records' annotations are objects from the start, so
# reading records from the cache does not compile and evaluate every annotation string first.)
import dataclasses
import re
from dataclasses import field
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Callable, Literal, Mapping, Optional, Union, get_args, get_origin, get_type_hints

from collapse_tui.engine.frozen import frozen

ALL_LOCALES = "*"
IDENTIFIER = r"^[A-Za-z][A-Za-z0-9_-]*$"
VARIABLE_NAME = r"^[a-z][a-z0-9_]*$"
TICKER_SYMBOL = r"^[A-Z][A-Z0-9]*$"
LOCALE_CODE = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"
TIME_FORMAT = "%Y-%m-%d %H:%M"
PANELS = ("tickers", "gauges", "orderbook", "feed", "chat")


# --- the rules of a field, as metadata --------------------------------------------------------------

@frozen
class Check:
    """Bounds, lengths, a pattern and a description for the value it annotates."""

    gt: Optional[float] = None
    ge: Optional[float] = None
    le: Optional[float] = None
    min_length: Optional[int] = None
    max_length: Optional[int] = None
    pattern: Optional[str] = None
    description: Optional[str] = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        for name in ("gt", "ge", "le", "min_length", "max_length", "pattern"):
            value = getattr(self, name)
            if value is not None:
                schema[name] = value
        return schema

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        if self.description is not None:
            schema["description"] = self.description
        return schema


@frozen(eq=False)  # (hashed by identity: typing hashes the metadata of Annotated)
class Convert:
    """A function that reads the value before it is checked (`before`) or checks it after; it raises
    ValueError with the message the author sees. `json_schema` is what editors are told to expect."""

    function: Callable[[Any], Any]
    before: bool = True
    json_schema: Optional[Mapping[str, Any]] = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        wrap = (core_schema.no_info_before_validator_function if self.before
                else core_schema.no_info_after_validator_function)
        return wrap(self.function, handler(source))

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        return dict(self.json_schema) if self.json_schema is not None else handler(core_schema)


def _localised(value: Any) -> Any:
    """Plain text means the same text in every locale; a mapping gives one text per locale."""
    if isinstance(value, str):
        return {ALL_LOCALES: value}
    # (dict first: the check against typing's Mapping alone took most of the time of validating a story)
    if isinstance(value, (dict, Mapping)) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    raise ValueError("expected text, or a mapping from locale to text like {en: '…', zh: '…'}")


LocalText = Annotated[dict[str, str], Convert(_localised, json_schema={
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
    ],
    "description": "Text for every locale, or a mapping from locale to text.",
})]
Identifier = Annotated[str, Check(pattern=IDENTIFIER, max_length=80)]
Name = Annotated[str, Check(pattern=IDENTIFIER)]
VariableName = Annotated[str, Check(pattern=VARIABLE_NAME)]
TickerSymbol = Annotated[str, Check(pattern=TICKER_SYMBOL)]


_PLAIN_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")
_TIME_PROBLEM = "expected a time like '2022-11-08 11:45' (YYYY-MM-DD HH:MM)"


def _story_time(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if not isinstance(value, str):
        raise ValueError(_TIME_PROBLEM)
    text = value.strip()
    try:
        parse_story_time(text)
    except ValueError:
        raise ValueError(_TIME_PROBLEM) from None
    return text


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError("a locale is listed twice")
    return values


StoryTime = Annotated[str, Convert(_story_time, json_schema={
    "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", "description": "YYYY-MM-DD HH:MM"})]
ExpressionText = Annotated[str, Check(min_length=1, description="A safe expression (see docs/story-format.md).")]


# --- the records -------------------------------------------------------------------------------------

def yaml_key(name: str) -> str:
    """A field's key in the YAML: `if_` and `return_` are written `if` and `return` (Python keywords)."""
    return name.rstrip("_")


class Record:
    """A part of a story: frozen, keyword-only, strict about unknown keys (a typo in a key is an error
    with a did-you-mean)."""

    __slots__ = ()


def record(cls: Optional[type] = None, **config: Any) -> Any:
    """Makes a class a record; `config` adds to what pydantic is told about it (its schema title)."""

    def make(cls: type) -> type:
        cls.__pydantic_config__ = {"extra": "forbid", "alias_generator": yaml_key, **config}  # type: ignore[attr-defined]
        return frozen(cls, kw_only=True, slots=True)

    return make if cls is None else make(cls)


@record
class MarketDirective(Record):
    """How a ticker moves when a scene is entered or a choice is taken."""

    to: Annotated[Optional[Annotated[float, Check(gt=0)]], Check(description="The new target price.")] = None
    over: Annotated[float, Check(ge=0, le=100_000, description="Story minutes to reach the target (0: at once).")] = 0
    shock: Annotated[Optional[Annotated[float, Check(gt=-1, le=10)]], Check(
        description="An immediate jump, as a share (-0.3 = 30% down).")] = None
    volatility: Annotated[Optional[Annotated[float, Check(ge=0, le=100)]], Check(
        description="Noise as a multiple of the ticker's own.")] = None


Market = dict[TickerSymbol, MarketDirective]


@record
class Variable(Record):
    initial: Union[bool, int, float]
    min: Optional[float] = None
    max: Optional[float] = None
    gauge: Annotated[bool, Check(description="Show as a gauge in the app.")] = False
    unit: Optional[Annotated[str, Check(max_length=12)]] = None
    label: Optional[LocalText] = None
    description: Optional[LocalText] = None


@record
class Ticker(Record):
    name: LocalText
    price: Annotated[float, Check(gt=0)]
    volatility: Annotated[float, Check(ge=0, le=5, description="Log-noise per square root of a story hour.")] = 0.02
    reversion: Annotated[float, Check(ge=0, le=1000, description="Pull towards the target, per story hour.")] = 1.0
    reacts: Annotated[dict[VariableName, float], Check(
        description="Permanent move of the price per +1 change of a variable (0.01 = 1%).")] = field(default_factory=dict)


@record
class Clock(Record):
    start: StoryTime = "2022-11-07 21:30"
    timezone: Annotated[str, Check(max_length=12)] = "HKT"
    rate: Annotated[float, Check(gt=0, le=3600, description="Story seconds per real second while a scene is shown.")] = 12


@record
class Event(Record):
    id: Identifier
    when: ExpressionText
    goto: Identifier
    once: bool = True


@record
class GlossaryEntry(Record):
    id: Identifier
    term: LocalText
    text: LocalText


@record
class Notes(Record):
    teacher: Optional[LocalText] = None
    discuss: Optional[LocalText] = None
    history: Optional[LocalText] = None
    source: Optional[str] = None


@record
class Post(Record):
    who: Annotated[str, Check(min_length=1, max_length=60)]
    text: LocalText


@record
class Choice(Record):
    text: LocalText
    goto: Optional[Identifier] = None
    return_: Annotated[bool, Check(description="Go back to the scene an event interrupted.")] = False
    if_: Optional[ExpressionText] = None
    locked_reason: Optional[LocalText] = None
    effects: tuple[ExpressionText, ...] = ()
    market: Market = field(default_factory=dict)
    once: bool = False
    timeout: Annotated[Optional[Annotated[float, Check(gt=0, le=3600)]], Check(
        description="Real seconds before it is taken for the player.")] = None
    historical: bool = False
    note: Optional[LocalText] = None


@record
class Ending(Record):
    kind: Name = "ending"
    title: LocalText
    epilogue: Optional[LocalText] = None


@record
class Scene(Record):
    id: Identifier
    title: Optional[LocalText] = None
    time: Optional[StoryTime] = None
    place: Optional[LocalText] = None
    basis: Literal["history", "mixed", "fiction"] = "fiction"
    text: LocalText
    on_enter: tuple[ExpressionText, ...] = ()
    market: Market = field(default_factory=dict)
    panels: Optional[tuple[Literal[PANELS], ...]] = None  # type: ignore[valid-type]
    feed: tuple[Post, ...] = ()
    chat: tuple[Post, ...] = ()
    notes: Optional[Notes] = None
    events: tuple[Event, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: Optional[Ending] = None

    @property
    def shown_panels(self) -> tuple[str, ...]:
        return self.panels if self.panels is not None else ("tickers", "gauges")


@record
class StoryMeta(Record):
    id: Name
    title: LocalText
    subtitle: Optional[LocalText] = None
    authors: tuple[str, ...] = ()
    locales: Annotated[tuple[Annotated[str, Check(pattern=LOCALE_CODE)], ...], Check(min_length=1), Convert(_unique, before=False)] = ("en",)
    default_locale: Optional[str] = None
    start: Identifier
    disclaimer: Optional[LocalText] = None
    clock: Clock = field(default_factory=Clock)
    variables: dict[VariableName, Variable] = field(default_factory=dict)
    tickers: dict[TickerSymbol, Ticker] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()


@record(title="collapse-tui story file")
class StoryFile(Record):
    """A file of a collapse-tui story (see docs/story-format.md)."""

    # (The docstring is the schema's description. The loader validates a file's parts one by one, so
    # that a broken scene does not hide the problems of the others.)

    story: Optional[StoryMeta] = None
    scenes: tuple[Scene, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    events: tuple[Event, ...] = ()



# --- fields, and records to and from JSON values -------------------------------------------------------

@frozen
class FieldSpec:
    name: str  # the attribute
    key: str  # the key in the YAML
    annotation: Any  # resolved, Annotated parts kept
    required: bool
    default: Any  # (a field with a default factory: a value it made, to compare with)
    factory: Optional[Callable[[], Any]]

    def fresh_default(self) -> Any:
        return self.factory() if self.factory is not None else self.default


@lru_cache(maxsize=None)
def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """A record's fields, required ones first in their written order."""
    hints = get_type_hints(cls, include_extras=True)
    specs = []
    for item in dataclasses.fields(cls):
        required = item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
        factory = None if item.default_factory is dataclasses.MISSING else item.default_factory
        default = item.default if factory is None else factory()
        specs.append(FieldSpec(item.name, yaml_key(item.name), hints[item.name], required, default, factory))
    return tuple(sorted(specs, key=lambda spec: not spec.required))


def is_record_type(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, Record)


def bare_type(annotation: Any) -> Any:
    """Annotated[X, …] -> X; Optional[X] -> X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin is Union or type(annotation).__name__ == "UnionType":
            rest = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(rest) == 1:
                annotation = rest[0]
                continue
        return annotation


def record_types_in(annotation: Any) -> tuple[type, ...]:
    """The record classes an annotation mentions (inside Optional, tuple, dict …)."""
    if is_record_type(annotation):
        return (annotation,)
    return tuple(found for argument in get_args(annotation) for found in record_types_in(argument))


def to_plain(value: Any) -> Any:
    """A record (or anything in one) as JSON values: keys as in the YAML, defaults left out."""
    if isinstance(value, Record):
        return {spec.key: to_plain(getattr(value, spec.name)) for spec in fields_of(type(value))
                if spec.required or getattr(value, spec.name) != spec.default}
    if isinstance(value, tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return value


def from_plain(annotation: Any, value: Any) -> Any:
    """The inverse of `to_plain`, for data this engine wrote: every value is checked against its type
    (TypeError or ValueError otherwise), the rules of the format are not (the data passed them once)."""
    return _decoder(annotation)(value)


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decoder(annotation: Any) -> Callable[[Any], Any]:
    """The function that reads values of `annotation`, worked out once for each annotation (a story's start
    reads a thousand values of some thirty types: asking each value's annotation what it is cost a good
    part of it)."""
    try:
        return _DECODERS[annotation]
    except KeyError:
        decoder = _DECODERS[annotation] = _make_decoder(annotation)
        return decoder
    except TypeError:  # (an annotation that cannot be a key)
        return _make_decoder(annotation)


def _make_decoder(annotation: Any) -> Callable[[Any], Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _decoder(get_args(annotation)[0])
    if is_record_type(annotation):
        return _record_decoder(annotation)
    if origin is Union or type(annotation).__name__ == "UnionType":
        return _union_decoder(get_args(annotation))
    if origin is tuple:
        return _tuple_decoder(_decoder(get_args(annotation)[0]))
    if origin is dict:
        key_type, item_type = get_args(annotation)
        return _dict_decoder(_decoder(key_type), _decoder(item_type))
    if origin is Literal:
        return _literal_decoder(get_args(annotation))
    if annotation is float:
        return _float
    if annotation in (bool, int, str):
        return _exactly(annotation)
    return _unreadable(annotation)


def _record_decoder(cls: type) -> Callable[[Any], Any]:
    name = cls.__name__
    layout: list[Any] = []  # (worked out at the first value: a record may contain its own kind)

    def decode(value: Any) -> Any:
        if not layout:
            specs = fields_of(cls)
            layout[:] = [tuple((spec.name, spec.key, _decoder(spec.annotation), spec) for spec in specs),
                         frozenset(spec.key for spec in specs), frozenset(spec.key for spec in specs if spec.required)]
        fields, keys, required = layout
        if not isinstance(value, dict):
            raise TypeError(f"{name}: expected a mapping")
        if not (value.keys() <= keys and required <= value.keys()):
            unknown, missing = set(value) - keys, required - set(value)
            raise ValueError(f"{name}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
        return cls(**{attribute: read(value[key]) if key in value else spec.fresh_default()
                      for attribute, key, read, spec in fields})

    return decode


def _union_decoder(options: tuple[Any, ...]) -> Callable[[Any], Any]:
    optional = type(None) in options
    readers = [_decoder(option) for option in options if option is not type(None)]

    def decode(value: Any) -> Any:
        if value is None and optional:
            return None
        for read in readers:
            try:
                return read(value)
            except (TypeError, ValueError):
                continue
        raise TypeError(f"{value!r} fits none of {options}")

    return decode


def _tuple_decoder(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return tuple(map(read, value))

    return decode


def _dict_decoder(read_key: Callable[[Any], Any], read_item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError("expected a mapping")
        return {read_key(key): read_item(item) for key, item in value.items()}

    return decode


def _literal_decoder(allowed: tuple[Any, ...]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {allowed}")
        return value

    return decode


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("expected a number")
    return float(value)


def _exactly(kind: type) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}")
        return value

    return decode


def _unreadable(annotation: Any) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        raise TypeError(f"cannot read {annotation!r}")

    return decode


# --- helpers ---------------------------------------------------------------------------------------------

def text_for(text: Optional[Mapping[str, str]], locale: str, fallback: str = "en") -> str:
    """The text for a locale: its own, else the shared text, else the fallback locale's, else any."""
    if not text:
        return ""
    for key in (locale, ALL_LOCALES, fallback):
        if key in text:
            return text[key]
    return next(iter(text.values()))


def parse_story_time(value: str) -> datetime:
    """A story time as a datetime; the usual spelling without strptime, whose first call alone (it
    imports and sets up its locale machinery) was most of the cost of starting a game."""
    if _PLAIN_TIME.fullmatch(value):
        return datetime(int(value[:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]), int(value[14:16]))
    return datetime.strptime(value, TIME_FORMAT)


def identifier_ok(value: str) -> bool:
    return re.match(IDENTIFIER, value) is not None
