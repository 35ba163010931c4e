"""`@frozen` behaves as `@dataclass(frozen=True)` does, without generating code for each class; instances are
made the same whether by the shared `__init__` (a class's first ones) or by the one written for the class."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from collapse_tui.engine import frozen as frozen_module
from collapse_tui.engine.frozen import frozen


@frozen
class Point:
    x: int
    y: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


@frozen(kw_only=True, slots=True)
class Slotted:
    name: str
    size: float = 1.0


@frozen(order=True)
class Version:
    major: int
    minor: int


@frozen(eq=False)
class Identity:
    value: int


@frozen
class Checked:
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@pytest.fixture(params=["shared", "written"])
def init(request, monkeypatch):
    """Which `__init__` makes the instances: the shared one (a class's first WRITE_AFTER) or the written one."""
    monkeypatch.setattr(frozen_module, "WRITE_AFTER", 10**9 if request.param == "shared" else 0)
    for cls in (Point, Slotted, Version, Identity, Checked):
        monkeypatch.setattr(cls, "__init__", frozen_module._init)
    monkeypatch.setattr(frozen_module, "_MADE", {})
    return request.param


def test_arguments_by_position_and_keyword_with_defaults_and_fresh_factories(init):
    first, second = Point(1), Point(x=2, y=3)
    assert (first.x, first.y, second.x, second.y) == (1, 0, 2, 3)
    assert first.tags == [] and first.tags is not Point(1).tags


@pytest.mark.parametrize("make, message", [
    (lambda: Point(), r"Point.__init__\(\) missing 1 required positional argument: 'x'"),
    (lambda: Point(1, 2, [], 4), r"takes from 2 to 4 positional arguments but 5 were given"),
    (lambda: Point(1, x=1), r"got multiple values for argument 'x'"),
    (lambda: Point(1, z=1), r"got an unexpected keyword argument 'z'"),
    (lambda: Slotted("a"), r"takes 1 positional argument but 2 were given"),
    (lambda: Slotted(size=2.0), r"missing 1 required keyword-only argument: 'name'"),
])
def test_wrong_arguments_are_type_errors(init, make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_fields_cannot_be_set_or_deleted():
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.y
    with pytest.raises(dataclasses.FrozenInstanceError):
        Slotted(name="a").name = "b"


def test_slots_mean_no_instance_dictionary(init):
    assert not hasattr(Slotted(name="a"), "__dict__")
    assert hasattr(Point(1), "__dict__")


def test_equality_and_hash_follow_the_fields(init):
    assert Slotted(name="a") == Slotted(name="a") and hash(Slotted(name="a")) == hash(Slotted(name="a"))
    assert Slotted(name="a") != Slotted(name="b")
    assert Version(1, 2) != (1, 2)
    assert len({Version(1, 2), Version(1, 2), Version(2, 0)}) == 2


def test_eq_false_keeps_identity():
    one = Identity(1)
    assert one == one and one != Identity(1)
    assert hash(one) == object.__hash__(one)


def test_order_compares_fields_in_order():
    assert sorted([Version(2, 0), Version(1, 9), Version(1, 10)]) == [Version(1, 9), Version(1, 10), Version(2, 0)]
    assert Version(1, 0) <= Version(1, 0) < Version(1, 1)
    with pytest.raises(TypeError):
        Version(1, 0) < (1, 0)


def test_repr_names_the_fields():
    assert repr(Slotted(name="a")) == "Slotted(name='a', size=1.0)"


def test_post_init_runs(init):
    with pytest.raises(ValueError, match="low above high"):
        Checked(2, 1)
    assert Checked(1, high=2).high == 2


def test_replace_copy_and_pickle(init):
    point = Point(1, 2, ["a"])
    assert dataclasses.replace(point, y=5) == Point(1, 5, ["a"])
    for value in (point, Slotted(name="a", size=2.0)):
        assert copy.copy(value) == value
        assert copy.deepcopy(value) == value
        assert pickle.loads(pickle.dumps(value)) == value


def test_a_real_dataclass_whose_doc_pydantic_would_skip():
    assert dataclasses.is_dataclass(Point)
    assert [item.name for item in dataclasses.fields(Slotted)] == ["name", "size"]
    assert Slotted.__doc__ == "Slotted(name, size)"


def test_a_field_without_a_default_after_one_with_a_default_is_refused(init):
    @frozen
    class Muddled:
        a: int = 0
        b: int

    with pytest.raises(TypeError, match="a field without a default follows one with a default"):
        Muddled(1, 2)


def test_declaring_a_class_generates_no_code(monkeypatch):
    compiled = []
    monkeypatch.setattr(dataclasses, "exec", lambda *args: compiled.append(args), raising=False)

    @frozen(kw_only=True, slots=True)
    class Fresh:
        a: int
        b: str = ""

    assert compiled == []
    assert Fresh(a=1) == Fresh(a=1, b="")


def test_a_class_made_often_gets_its_own_init_written(monkeypatch):
    monkeypatch.setattr(frozen_module, "WRITE_AFTER", 3)

    @frozen
    class Often:
        a: int
        b: int = 2

    made = [Often(n) for n in range(3)]
    assert Often.__init__ is frozen_module._init  # (three made by the shared one)
    made.append(Often(3, b=4))
    assert Often.__init__ is not frozen_module._init and Often.__init__.__qualname__.endswith("Often.__init__")
    assert [(o.a, o.b) for o in made] == [(0, 2), (1, 2), (2, 2), (3, 4)]
