"""The loader's fast paths say exactly what the careful ones say: the plain-data converter and its
positions found on demand agree with the converter that records every position; aliases measured without
expanding them stop where expanding them would; the tag check of markup agrees with Rich's render()."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.errors import MarkupError
from rich.markup import render

from collapse_tui.engine import loader
from collapse_tui.engine.diagnostics import DiagnosticList
from collapse_tui.engine.validate import markup_problem

# --- markup -----------------------------------------------------------------------------------------

MARKUP = st.lists(st.sampled_from([
    "[b]", "[/b]", "[i]", "[/i]", "[/]", "[bold red]", "[/red bold]", "[/bold red]", "[B]", "[ b ]", "[/ b]",
    "[link=https://x.org]", "[/link]", "[on blue]", "[/on blue]", "\\[b]", "\\\\[b]", "\\", "[", "]", "[1]",
    "[not a style]", "[/not a style]", "[#ff0000]", "[/#ff0000]", "text", " ", "中文", ":smile:", "[x=1]", "[/x]",
]), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=MARKUP)
def test_the_markup_check_agrees_with_rich(text):
    try:
        render(text)
        expected = None
    except MarkupError as error:
        expected = str(error)
    assert markup_problem(text) == expected


@pytest.mark.parametrize("text", ["[@click=app.quit]x[/]", "a [@click]b", "[b][@click=x]y[/][/b]"])
def test_the_markup_check_refuses_actions_that_rich_would_accept(text):
    render(text)
    assert "binds an action" in markup_problem(text)


def test_an_escaped_action_is_only_text():
    assert markup_problem("\\[@click=app.quit]") is None


# --- the plain-data converter and positions on demand -----------------------------------------------

KEYS = st.sampled_from(["a", "b", "text", "id", "scenes", "x y", "1", "true", "null", "[b]", "é", "-"])
SCALARS = st.one_of(st.text(max_size=6), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)


def both_ways(text: str):
    """The careful converter's source and the fast one's (None when the fast path hands over: then the
    careful converter must have something to report)."""
    node = yaml.compose(text, Loader=loader.YamlLoader)
    careful = loader.SourceFile("f.yaml")
    diagnostics = DiagnosticList()
    converter = loader._NodeConverter(careful, diagnostics)
    careful.data = converter.convert(node, (), 0)
    fast = loader.SourceFile("f.yaml", node=node)
    try:
        fast.data = loader._plain_data(node, aliases=True)
    except loader._UnusualDocument:
        assert diagnostics.has_errors
        return careful, None
    assert not diagnostics.items
    return careful, fast


@settings(max_examples=300, deadline=None)
@given(data=DATA, style=st.sampled_from([None, True, False]))
def test_the_fast_converter_gives_the_same_data_and_positions(data, style):
    text = yaml.safe_dump({"root": data}, default_flow_style=style, allow_unicode=True)
    careful, fast = both_ways(text)
    if fast is None:
        return
    assert fast.data == careful.data
    paths = set(careful.positions) | set(careful.key_positions)
    probes = paths | {path + ("missing",) for path in paths} | {path + (7,) for path in paths}
    for path in probes:
        for key in (False, True):
            assert fast.position(path, key=key) == careful.position(path, key=key), (path, key)


def test_positions_on_demand_point_at_keys_and_values():
    _, fast = both_ways("story:\n  id: x\nscenes:\n  - id: a\n    text: A\n")
    assert (fast.position(("scenes", 0, "text")).line, fast.position(("scenes", 0, "text")).column) == (5, 11)
    assert (fast.position(("scenes", 0, "text"), key=True).column) == 5
    assert fast.position(("scenes", 3, "nothing")).line == 4  # the nearest node that exists: the list


# --- aliases measured, not expanded -----------------------------------------------------------------

@st.composite
def alias_documents(draw) -> str:
    """Flow YAML whose nodes may alias any anchor written before them, their own ancestors included."""
    anchors: list[str] = []

    def node(depth: int) -> str:
        choice = draw(st.integers(0, 9))
        if anchors and choice < 4:
            return f"*{draw(st.sampled_from(anchors))}"
        if depth > 3 or choice < 6:
            return "x"
        name = f"n{len(anchors)}"
        anchors.append(name)
        items = [node(depth + 1) for _ in range(draw(st.integers(1, 4)))]
        if draw(st.booleans()):
            return f"&{name} [" + ", ".join(items) + "]"
        return f"&{name} {{" + ", ".join(f"k{i}: {item}" for i, item in enumerate(items)) + "}"

    return "root: " + node(0) + "\n"


@settings(max_examples=300, deadline=None)
@given(text=alias_documents(), nodes=st.integers(3, 60), depth=st.integers(1, 8))
def test_measuring_aliases_stops_where_expanding_them_would(text, nodes, depth):
    node = yaml.compose(text, Loader=loader.YamlLoader)
    diagnostics = DiagnosticList()
    with pytest.MonkeyPatch.context() as patch:  # small limits, so that small documents pass them
        patch.setattr(loader, "MAX_NODES", nodes)
        patch.setattr(loader, "MAX_DEPTH", depth)
        loader._NodeConverter(loader.SourceFile("f.yaml"), diagnostics).convert(node, (), 0)
        found = loader._alias_problem(node)
    careful = [(d.position.line, d.position.column, d.message) for d in diagnostics.items if d.code == "too-large"]
    measured = [] if found is None else [(found[0].start_mark.line + 1, found[0].start_mark.column + 1, found[1])]
    assert measured == careful[:1]


def test_the_aliases_of_a_story_are_allowed_when_small():
    node = yaml.compose("a: &x [1, 2]\nb: *x\n", Loader=loader.YamlLoader)
    assert loader._alias_problem(node) is None
    assert loader._plain_data(node, aliases=True) == {"a": [1, 2], "b": [1, 2]}
