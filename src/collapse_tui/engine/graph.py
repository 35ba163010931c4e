"""The scene graph of a story, for `collapse-tui graph`: scenes as nodes (the start and the endings marked),
choices as edges (conditions as labels), events as dashed edges and `return: true` choices as edges back
to the interrupted scene; printed as Mermaid (GitHub renders it) or as Graphviz DOT."""

from __future__ import annotations

import re
from typing import Literal, Optional

from collapse_tui.engine.analysis import plain_text, reachable_scenes
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.story import Story

EdgeKind = Literal["choice", "locked", "hidden", "event", "return"]
ANY_SCENE = "__any"  # the source of story-wide events and the target of their returns (not a valid scene id)
START = "__start"
LABEL_LIMIT = 48


@frozen
class SceneNode:
    id: str
    title: str
    file: str
    is_start: bool
    is_ending: bool
    ending_kind: Optional[str]
    reachable: bool


@frozen
class StoryEdge:
    """One arrow: `kind` says how it is taken; `label` is the condition or the event; `count` merges choices
    that go the same way under the same label."""

    source: str
    target: str
    kind: EdgeKind
    label: str = ""
    count: int = 1


@frozen
class StoryGraph:
    title: str
    start: str
    nodes: tuple[SceneNode, ...]
    edges: tuple[StoryEdge, ...]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(node.file for node in self.nodes))

    @property
    def has_any_scene(self) -> bool:
        return any(ANY_SCENE in (edge.source, edge.target) for edge in self.edges)


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def story_graph(story: Story, locale: Optional[str] = None) -> StoryGraph:
    """The graph of a compiled story; titles in `locale` (default: the story's)."""
    locale = locale or story.default_locale
    reached = reachable_scenes(story)
    order = story.scene_order or tuple(story.scenes)
    nodes = []
    for scene_id in order:
        scene = story.scenes[scene_id]
        model = scene.model
        title = plain_text(story.text(model.ending.title if model.ending and not model.title else model.title, locale))
        nodes.append(SceneNode(scene_id, _short(title, 40), scene.position.path, scene_id == story.meta.start,
                               scene.is_ending, model.ending.kind if model.ending else None, scene_id in reached))
    story_wide_targets = {event.goto for event in story.events}
    edges: dict[tuple[str, str, str, str], int] = {}

    def add(source: str, target: str, kind: EdgeKind, label: str = "") -> None:
        key = (source, target, kind, label)
        edges[key] = edges.get(key, 0) + 1

    for scene_id in order:
        scene = story.scenes[scene_id]
        for choice in scene.choices:
            model = choice.model
            tags = ["once"] if model.once else []
            if model.if_ is not None:
                kind: EdgeKind = "locked" if model.locked_reason else "hidden"
                label = "if " + _short(model.if_) + ("" if model.locked_reason else " (hidden)")
            else:
                kind, label = "choice", ""
            label = " · ".join(part for part in [label] + tags if part)
            if model.return_:
                sources = [s.id for s in story.scenes.values() if any(e.goto == scene_id for e in s.events)]
                targets = sources + ([ANY_SCENE] if scene_id in story_wide_targets or not sources else [])
                for target in targets:
                    add(scene_id, target, "return", " · ".join(part for part in ["return", label] if part))
            elif choice.target is not None:
                add(scene_id, choice.target, kind, label)
        for event in scene.events:
            add(scene_id, event.goto, "event", f"{event.id}: {_short(event.condition.source)}")
    for event in story.events:
        add(ANY_SCENE, event.goto, "event", f"{event.id}: {_short(event.condition.source)}")
    return StoryGraph(
        title=plain_text(story.text(story.meta.title, locale)),
        start=story.meta.start,
        nodes=tuple(nodes),
        edges=tuple(StoryEdge(s, t, k, lab, n) for (s, t, k, lab), n in edges.items()),
    )


def _edge_label(edge: StoryEdge) -> str:
    if edge.count > 1:
        return f"{edge.label} ×{edge.count}" if edge.label else f"×{edge.count}"
    return edge.label


# --- Mermaid -----------------------------------------------------------------------------------------

def _mermaid_ids(graph: StoryGraph) -> dict[str, str]:
    ids: dict[str, str] = {ANY_SCENE: "any_scene"}
    used = set(ids.values()) | {"start_"}
    for node in graph.nodes:
        base = "s_" + re.sub(r"[^A-Za-z0-9_]", "_", node.id)
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}_{number}", number + 1
        used.add(candidate)
        ids[node.id] = candidate
    return ids


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for the characters Mermaid would read."""
    text = text.replace("#", "#35;")
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"), ("`", "#96;"),
                       ("[", "#91;"), ("]", "#93;"), ("{", "#123;"), ("}", "#125;"), ("|", "#124;")):
        text = text.replace(char, code)
    return text


def to_mermaid(graph: StoryGraph) -> str:
    ids = _mermaid_ids(graph)
    lines = [f"%% {_mermaid_text(graph.title)}: scene graph (collapse-tui graph)", "flowchart TD"]
    lines.append('    start_(("start"))')
    if graph.has_any_scene:
        lines.append(f'    {ids[ANY_SCENE]}{{{{"any scene"}}}}')

    def node_line(node: SceneNode) -> str:
        label = _mermaid_text(node.id)
        if node.title and node.title != node.id:
            label += "<br/>" + _mermaid_text(node.title)
        if node.is_ending:
            label += "<br/>" + _mermaid_text(f"(ending: {node.ending_kind})")
            return f'{ids[node.id]}(["{label}"])'
        return f'{ids[node.id]}["{label}"]'

    files = graph.files
    if len(files) > 1:
        for index, file in enumerate(files):
            lines.append(f'    subgraph file_{index}["{_mermaid_text(file)}"]')
            lines += [f"        {node_line(node)}" for node in graph.nodes if node.file == file]
            lines.append("    end")
    else:
        lines += [f"    {node_line(node)}" for node in graph.nodes]
    lines.append(f"    start_ --> {ids[graph.start]}")
    arrows = {"choice": "-->", "locked": "-->", "hidden": "-->", "event": "-.->", "return": "-.->"}
    for edge in graph.edges:
        label = _edge_label(edge)
        arrow = arrows[edge.kind]
        middle = f'{arrow}|"{_mermaid_text(label)}"|' if label else arrow
        lines.append(f"    {ids[edge.source]} {middle} {ids[edge.target]}")
    lines += [
        "    classDef start fill:#2e7d32,stroke:#1b5e20,color:#ffffff",
        "    classDef ending fill:#fde2e2,stroke:#b71c1c,stroke-width:2px",
        "    classDef unreachable fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4 4,color:#757575",
        "    classDef anyscene fill:#fff8e1,stroke:#f9a825",
        "    class start_ start",
    ]
    endings = [ids[n.id] for n in graph.nodes if n.is_ending]
    unreachable = [ids[n.id] for n in graph.nodes if not n.reachable]
    if endings:
        lines.append(f"    class {','.join(endings)} ending")
    if unreachable:
        lines.append(f"    class {','.join(unreachable)} unreachable")
    if graph.has_any_scene:
        lines.append(f"    class {ids[ANY_SCENE]} anyscene")
    return "\n".join(lines) + "\n"


# --- Graphviz DOT ------------------------------------------------------------------------------------

def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: StoryGraph) -> str:
    lines = [
        f"// {graph.title}: scene graph (collapse-tui graph)".replace("\n", " "),
        "digraph story {",
        f"    graph [rankdir=TB, fontname=\"Helvetica\", label={_dot(graph.title)}, labelloc=t];",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9];',
        '    "__start" [label="start", shape=circle, fillcolor="#2e7d32", fontcolor="#ffffff", style=filled];',
    ]
    if graph.has_any_scene:
        lines.append(f'    {_dot(ANY_SCENE)} [label="any scene", shape=hexagon, fillcolor="#fff8e1", color="#f9a825"];')

    def node_line(node: SceneNode) -> str:
        label = node.id + (f"\n{node.title}" if node.title and node.title != node.id else "")
        if node.is_ending:
            label += f"\n(ending: {node.ending_kind})"
        attributes = [f"label={_dot(label)}"]
        if node.is_ending:
            attributes += ["peripheries=2", 'fillcolor="#fde2e2"', 'color="#b71c1c"']
        if not node.reachable:
            attributes += ['style="rounded,filled,dashed"', 'fillcolor="#eeeeee"', 'fontcolor="#757575"']
        return f"{_dot(node.id)} [{', '.join(attributes)}];"

    files = graph.files
    if len(files) > 1:
        for index, file in enumerate(files):
            lines.append(f"    subgraph cluster_{index} {{")
            lines.append(f'        label={_dot(file)}; style="rounded,dashed"; color="#9e9e9e"; fontcolor="#616161";')
            lines += [f"        {node_line(node)}" for node in graph.nodes if node.file == file]
            lines.append("    }")
    else:
        lines += [f"    {node_line(node)}" for node in graph.nodes]
    lines.append(f"    {_dot(START)} -> {_dot(graph.start)};")
    styles = {
        "choice": [],
        "locked": ['color="#a0522d"', 'fontcolor="#a0522d"'],
        "hidden": ['color="#a0522d"', 'fontcolor="#a0522d"', "style=bold"],
        "event": ["style=dashed", 'color="#f9a825"', 'fontcolor="#8d6e00"'],
        "return": ["style=dotted", 'color="#616161"', 'fontcolor="#616161"'],
    }
    for edge in graph.edges:
        attributes = list(styles[edge.kind])
        label = _edge_label(edge)
        if label:
            attributes.insert(0, f"label={_dot(label)}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"    {_dot(edge.source)} -> {_dot(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


FORMATS = {"mermaid": to_mermaid, "dot": to_dot}
