"""The story format as typed, immutable models: the one source of truth for loading, checking and the
JSON Schema that editors use (`collapse-tui schema`)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Mapping, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

ALL_LOCALES = "*"
IDENTIFIER = r"^[A-Za-z][A-Za-z0-9_-]*$"
VARIABLE_NAME = r"^[a-z][a-z0-9_]*$"
TICKER_SYMBOL = r"^[A-Z][A-Z0-9]*$"
TIME_FORMAT = "%Y-%m-%d %H:%M"
PANELS = ("tickers", "gauges", "orderbook", "feed", "chat")


def _localised(value: Any) -> Any:
    """Plain text means the same text in every locale; a mapping gives one text per locale."""
    if isinstance(value, str):
        return {ALL_LOCALES: value}
    # (dict first: the check against typing's Mapping alone took most of the time of validating a story)
    if isinstance(value, (dict, Mapping)) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    raise ValueError("expected text, or a mapping from locale to text like {en: '…', zh: '…'}")


LocalText = Annotated[
    dict[str, str],
    BeforeValidator(_localised),
    WithJsonSchema({
        "anyOf": [
            {"type": "string"},
            {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
        ],
        "description": "Text for every locale, or a mapping from locale to text.",
    }),
]
Identifier = Annotated[str, Field(pattern=IDENTIFIER, max_length=80)]


_PLAIN_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")


def _story_time(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, str):
        text = value.strip()
        if _PLAIN_TIME.fullmatch(text):  # the usual spelling: checked without strptime's slow machinery
            try:
                datetime(int(text[:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]))
            except ValueError:
                raise ValueError("expected a time like '2022-11-08 11:45' (YYYY-MM-DD HH:MM)") from None
            return text
        try:
            datetime.strptime(text, TIME_FORMAT)
        except ValueError:
            raise ValueError("expected a time like '2022-11-08 11:45' (YYYY-MM-DD HH:MM)") from None
        return value.strip()
    raise ValueError("expected a time like '2022-11-08 11:45' (YYYY-MM-DD HH:MM)")


StoryTime = Annotated[str, BeforeValidator(_story_time), WithJsonSchema(
    {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", "description": "YYYY-MM-DD HH:MM"})]
ExpressionText = Annotated[str, Field(min_length=1, description="A safe expression (see docs/story-format.md).")]


class Model(BaseModel):
    """Frozen, strict about unknown keys: a typo in a key is an error with a did-you-mean."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class MarketDirective(Model):
    """How a ticker moves when a scene is entered or a choice is taken."""

    to: Optional[float] = Field(None, gt=0, description="The new target price.")
    over: float = Field(0, ge=0, le=100_000, description="Story minutes to reach the target (0: at once).")
    shock: Optional[float] = Field(None, gt=-1, le=10, description="An immediate jump, as a share (-0.3 = 30% down).")
    volatility: Optional[float] = Field(None, ge=0, le=100, description="Noise as a multiple of the ticker's own.")


Market = dict[Annotated[str, Field(pattern=TICKER_SYMBOL)], MarketDirective]


class Variable(Model):
    initial: bool | int | float
    min: Optional[float] = None
    max: Optional[float] = None
    gauge: bool = Field(False, description="Show as a gauge in the app.")
    unit: Optional[str] = Field(None, max_length=12)
    label: Optional[LocalText] = None
    description: Optional[LocalText] = None


class Ticker(Model):
    name: LocalText
    price: float = Field(gt=0)
    volatility: float = Field(0.02, ge=0, le=5, description="Log-noise per square root of a story hour.")
    reversion: float = Field(1.0, ge=0, le=1000, description="Pull towards the target, per story hour.")
    reacts: dict[Annotated[str, Field(pattern=VARIABLE_NAME)], float] = Field(
        default_factory=dict, description="Permanent move of the price per +1 change of a variable (0.01 = 1%).")


class Clock(Model):
    start: StoryTime = "2022-11-07 21:30"
    timezone: str = Field("HKT", max_length=12)
    rate: float = Field(12, gt=0, le=3600, description="Story seconds per real second while a scene is shown.")


class Event(Model):
    id: Identifier
    when: ExpressionText
    goto: Identifier
    once: bool = True


class GlossaryEntry(Model):
    id: Identifier
    term: LocalText
    text: LocalText


class Notes(Model):
    teacher: Optional[LocalText] = None
    discuss: Optional[LocalText] = None
    history: Optional[LocalText] = None
    source: Optional[str] = None


class Post(Model):
    who: str = Field(min_length=1, max_length=60)
    text: LocalText


class Choice(Model):
    text: LocalText
    goto: Optional[Identifier] = None
    return_: bool = Field(False, alias="return", description="Go back to the scene an event interrupted.")
    if_: Optional[ExpressionText] = Field(None, alias="if")
    locked_reason: Optional[LocalText] = None
    effects: tuple[ExpressionText, ...] = ()
    market: Market = Field(default_factory=dict)
    once: bool = False
    timeout: Optional[float] = Field(None, gt=0, le=3600, description="Real seconds before it is taken for the player.")
    historical: bool = False
    note: Optional[LocalText] = None


class Ending(Model):
    kind: Annotated[str, Field(pattern=IDENTIFIER)] = "ending"
    title: LocalText
    epilogue: Optional[LocalText] = None


class Scene(Model):
    id: Identifier
    title: Optional[LocalText] = None
    time: Optional[StoryTime] = None
    place: Optional[LocalText] = None
    basis: Literal["history", "mixed", "fiction"] = "fiction"
    text: LocalText
    on_enter: tuple[ExpressionText, ...] = ()
    market: Market = Field(default_factory=dict)
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


class StoryMeta(Model):
    id: Annotated[str, Field(pattern=IDENTIFIER)]
    title: LocalText
    subtitle: Optional[LocalText] = None
    authors: tuple[str, ...] = ()
    locales: tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")], ...] = Field(("en",), min_length=1)
    default_locale: Optional[str] = None
    start: Identifier
    disclaimer: Optional[LocalText] = None
    clock: Clock = Field(default_factory=Clock)
    variables: dict[Annotated[str, Field(pattern=VARIABLE_NAME)], Variable] = Field(default_factory=dict)
    tickers: dict[Annotated[str, Field(pattern=TICKER_SYMBOL)], Ticker] = Field(default_factory=dict)
    events: tuple[Event, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()

    @field_validator("locales")
    @classmethod
    def _unique_locales(cls, locales: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(locales)) != len(locales):
            raise ValueError("a locale is listed twice")
        return locales


class StoryFile(Model):
    """One YAML file of a story. The loader validates its parts one by one, so a broken scene does not
    hide the problems of the others."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True,
        json_schema_extra={"title": "collapse-tui story file",
                           "description": "A file of a collapse-tui story (see docs/story-format.md)."},
    )

    story: Optional[StoryMeta] = None
    scenes: tuple[Scene, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    events: tuple[Event, ...] = ()


def text_for(text: Optional[Mapping[str, str]], locale: str, fallback: str = "en") -> str:
    """The text for a locale: its own, else the shared text, else the fallback locale's, else any."""
    if not text:
        return ""
    for key in (locale, ALL_LOCALES, fallback):
        if key in text:
            return text[key]
    return next(iter(text.values()))


def json_schema() -> dict[str, Any]:
    schema = StoryFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def parse_story_time(value: str) -> datetime:
    return datetime.strptime(value, TIME_FORMAT)


def identifier_ok(value: str) -> bool:
    return re.match(IDENTIFIER, value) is not None
