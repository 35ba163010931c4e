"""`@frozen`: immutable dataclasses that cost next to nothing to define.

`dataclasses.dataclass(frozen=True)` writes and compiles six methods for every class it makes (`__init__`,
`__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`), some 0.7 ms a class on the machines we
measure; with the fifty-odd value classes of the engine and the app, that was some 30 ms of every start.
Here the class is still a real dataclass (`fields`, `replace`, `asdict` and pydantic's dataclass support
all work), but comparing, hashing, printing and refusing assignment are shared functions that read the
fields from a table made once per class. `__init__` is hot (the play-tester makes a million states), so a
class that is made often gets one written for it, as dataclasses writes it; but compiling one costs as much
as making some fifty instances without it, and a start makes fewer than that of most of the thirty-odd
classes it uses, so the first instances of a class are made by a shared `__init__` that binds the
arguments itself (and hands anything unusual, such as a wrong argument, to the written one)."""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, Callable, NamedTuple, Optional, TypeVar

T = TypeVar("T", bound=type)
_MISSING = dataclasses.MISSING
_FACTORY = object()  # (a parameter left to its default factory)
WRITE_AFTER = 64  # instances of a class made before its own `__init__` is written


class _Layout(NamedTuple):
    """What the shared methods need to know about a class, worked out at its first use."""

    fields: tuple[str, ...]
    compared: Callable[[Any], tuple[Any, ...]]  # the values of ==, hash and ordering
    shown: tuple[str, ...]  # the fields of repr
    post_init: bool
    positional: tuple[str, ...]  # (for the shared `__init__`: the fields that are not keyword-only, in order)
    defaults: dict[str, Any]  # a field's default, or _FACTORY
    factories: dict[str, Callable[[], Any]]
    muddled: bool  # a field without a default follows one with a default (as dataclass, refused when made)


_LAYOUTS: dict[type, _Layout] = {}
_MADE: dict[type, int] = {}


def _layout(cls: type) -> _Layout:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        items = dataclasses.fields(cls)
        positional = [item for item in items if not item.kw_only]
        has_default = [item.default is not _MISSING or item.default_factory is not _MISSING for item in positional]
        layout = _LAYOUTS[cls] = _Layout(
            fields=tuple(item.name for item in items),
            compared=_getter(*(item.name for item in items if item.compare)),
            shown=tuple(item.name for item in items if item.repr),
            post_init=hasattr(cls, "__post_init__"),
            positional=tuple(item.name for item in positional),
            defaults={item.name: item.default if item.default is not _MISSING else _FACTORY for item in items
                      if item.default is not _MISSING or item.default_factory is not _MISSING},
            factories={item.name: item.default_factory for item in items if item.default_factory is not _MISSING},
            muddled=any(later and not own for later, own in zip(has_default, has_default[1:])),
        )
    return layout


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    """Every class's `__init__` until it has made WRITE_AFTER instances: binds the arguments itself; after that,
    or for arguments it does not simply bind (the written one says what is wrong with them), the class's own."""
    cls = type(self)
    made = _MADE.get(cls, 0)
    if made < WRITE_AFTER:
        _MADE[cls] = made + 1
        layout = _layout(cls)
        if layout.muddled:
            raise _muddled(cls)
        if _bound(self, layout, args, kwargs):
            return
    cls.__init__ = _written_init(cls)  # type: ignore[misc]
    cls.__init__(self, *args, **kwargs)


def _bound(self: Any, binding: _Layout, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Set the fields from the arguments, as the written `__init__` would; False if they do not fit."""
    if len(args) > len(binding.positional):
        return False
    values = dict(zip(binding.positional, args))
    for name, value in kwargs.items():
        if name in values:
            return False
        values[name] = value
    if len(values) > len(binding.fields):  # (an unknown keyword)
        return False
    for name in binding.fields:
        value = values.pop(name, _MISSING)
        if value is _MISSING:
            value = binding.defaults.get(name, _MISSING)
            if value is _MISSING:
                return False
            if value is _FACTORY:
                value = binding.factories[name]()
        object.__setattr__(self, name, value)
    if values:  # (an unknown keyword)
        return False
    if binding.post_init:
        self.__post_init__()
    return True


def _muddled(cls: type) -> TypeError:
    return TypeError(f"{cls.__name__}: a field without a default follows one with a default")


def _written_init(cls: type) -> Callable[..., None]:
    """The `__init__` dataclass would write: the same parameters, defaults and factories."""
    layout = _layout(cls)
    names: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    positional, keywords, body = [], [], []
    for item in dataclasses.fields(cls):
        if item.default is not _MISSING:
            names[f"_default_{item.name}"] = item.default
            parameter, value = f"{item.name}=_default_{item.name}", item.name
        elif item.default_factory is not _MISSING:
            names[f"_factory_{item.name}"] = item.default_factory
            parameter = f"{item.name}=_FACTORY"
            value = f"_factory_{item.name}() if {item.name} is _FACTORY else {item.name}"
        else:
            parameter, value = item.name, item.name
        (keywords if item.kw_only else positional).append(parameter)
        body.append(f"    _set(self, {item.name!r}, {value})")
    if layout.post_init:
        body.append("    self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
    code = f"def __init__({signature}):\n" + ("\n".join(body) or "    pass") + "\n"
    try:
        exec(code, names)  # (the one piece of generated code, as in dataclasses; every name in it is ours)
    except SyntaxError:
        raise _muddled(cls) from None
    written = names["__init__"]
    written.__qualname__ = f"{cls.__qualname__}.__init__"
    return written


def _getter(*names: str) -> Callable[[Any], tuple[Any, ...]]:
    """The named attributes as a tuple (attrgetter gives a bare value for one name, and needs one)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    return (lambda value: ()) if not names else (lambda value, name=names[0]: (getattr(value, name),))


def _values(self: Any) -> tuple[Any, ...]:
    return _layout(type(self)).compared(self)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _layout(type(self)).shown)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in _layout(type(self)).fields)


def _setstate(self: Any, state: tuple[Any, ...]) -> None:
    for name, value in zip(_layout(type(self)).fields, state):
        object.__setattr__(self, name, value)  # (copy and pickle restore through here: __setattr__ refuses)


def _ordered(compare: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Callable[[Any, Any], Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compare(_values(self), _values(other))

    return method


_METHODS = {"__init__": _init, "__repr__": _repr, "__setattr__": _setattr, "__delattr__": _delattr,
            "__getstate__": _getstate, "__setstate__": _setstate}
_EQUALITY = {"__eq__": _eq, "__hash__": _hash}
_ORDER = {"__lt__": _ordered(lambda a, b: a < b), "__le__": _ordered(lambda a, b: a <= b),
          "__gt__": _ordered(lambda a, b: a > b), "__ge__": _ordered(lambda a, b: a >= b)}


def frozen(cls: Optional[T] = None, /, *, kw_only: bool = False, slots: bool = False, eq: bool = True,
           order: bool = False) -> Any:
    """Like `@dataclass(frozen=True, …)` with the same options; `eq=False` keeps identity for == and hash."""

    def make(cls: T) -> T:
        methods = {**_METHODS, **(_EQUALITY if eq else {}), **(_ORDER if order else {})}
        for name, method in methods.items():
            if name not in cls.__dict__:  # (a class may write its own)
                setattr(cls, name, method)
        if cls.__doc__ is None:  # (as dataclass would write it, without asking inspect for a signature)
            cls.__doc__ = f"{cls.__name__}({', '.join(cls.__dict__.get('__annotations__', {}))})"
        return dataclasses.dataclass(cls, init=False, repr=False, eq=False, kw_only=kw_only, slots=slots)

    return make if cls is None else make(cls)
