"""Facts about a story as a whole: statistics for `validate --stats`, the scenes a path can reach, and what
the story's conditions read (which tells the play-test which states are the same)."""

from __future__ import annotations

import ast
import re
from collections import deque
from typing import Any

from collapse_tui.engine.expressions import Expression
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.model import ALL_LOCALES
from collapse_tui.engine.story import CompiledEvent, Story

_MARKUP = re.compile(r"\[/?[a-zA-Z#][^\]]*\]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Words as a reader counts them: space-separated words, plus one per CJK character."""
    text = _MARKUP.sub("", text)
    cjk = len(_CJK.findall(text))
    return cjk + len(_CJK.sub(" ", text).split())


def _texts(story: Story):
    """Every localised text of every scene: titles, places, texts, choices, notes, posts, endings."""
    for scene in story.scenes.values():
        model = scene.model
        yield from (t for t in (model.title, model.place, model.text) if t)
        for choice in model.choices:
            yield from (t for t in (choice.text, choice.locked_reason, choice.note) if t)
        if model.notes:
            yield from (t for t in (model.notes.teacher, model.notes.discuss, model.notes.history) if t)
        yield from (post.text for post in model.feed + model.chat)
        if model.ending:
            yield from (t for t in (model.ending.title, model.ending.epilogue) if t)
    for entry in story.glossary:
        yield entry.term
        yield entry.text


def story_statistics(story: Story) -> dict[str, Any]:
    words = {locale: 0 for locale in story.locales}
    texts = translated = 0
    for text in _texts(story):
        texts += 1
        if ALL_LOCALES in text or all(locale in text for locale in story.locales):
            translated += 1
        for locale in story.locales:
            words[locale] += count_words(text.get(locale) or text.get(ALL_LOCALES, ""))
    scenes = story.scenes.values()
    return {
        "scenes": len(story.scenes),
        "choices": sum(len(scene.choices) for scene in scenes),
        "endings": sum(1 for scene in scenes if scene.is_ending),
        "events": len(story.events) + sum(len(scene.events) for scene in scenes),
        "glossary": len(story.glossary),
        "words": words,
        "translated": round(translated / texts, 4) if texts else 1.0,
    }


def format_statistics(stats: dict[str, Any]) -> str:
    words = ", ".join(f"{locale} {count:,}" for locale, count in stats["words"].items())
    return (f"{stats['scenes']} scenes, {stats['choices']} choices, {stats['endings']} endings, "
            f"{stats['events']} events, {stats['glossary']} glossary terms; words: {words}; "
            f"translated: {stats['translated']:.0%}")


def plain_text(markup: str) -> str:
    """Rich markup -> the words a reader sees (for labels in graphs and reports)."""
    return _MARKUP.sub("", markup).replace("\\[", "[")


def reachable_scenes(story: Story) -> set[str]:
    """Scenes that some path of choices and events leads to from the start, ignoring conditions."""
    story_wide = [event.goto for event in story.events]
    reached = {story.meta.start}
    queue = deque([story.meta.start])
    while queue:
        scene = story.scenes[queue.popleft()]
        targets = [c.target for c in scene.choices if c.target] + [e.goto for e in scene.events] + story_wide
        for target in targets:
            if target in story.scenes and target not in reached:
                reached.add(target)
                queue.append(target)
    return reached


TIME_NAMES = frozenset({"hour", "minute", "day", "elapsed"})


@frozen
class Reads:
    """What an expression, a scene or the rest of a game reads of a state."""

    variables: frozenset[str] = frozenset()
    visit_counts: frozenset[str] = frozenset()  # scenes read by visits('…')
    visited: frozenset[str] = frozenset()  # scenes read by visited('…')
    tickers: frozenset[str] = frozenset()
    time: bool = False  # hour, minute, day or elapsed
    turns: bool = False

    def __or__(self, other: "Reads") -> "Reads":
        return Reads(self.variables | other.variables, self.visit_counts | other.visit_counts,
                     self.visited | other.visited, self.tickers | other.tickers, self.time or other.time,
                     self.turns or other.turns)


def _visit_calls(source: str) -> tuple[set[str], set[str]]:
    """The scene ids read by visits('…') and by visited('…') in an expression or effect."""
    counts: set[str] = set()
    flags: set[str] = set()
    try:
        tree = ast.parse(source.strip(), mode="exec")
    except SyntaxError:  # pragma: no cover - the validator has parsed it already
        return counts, flags
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            (counts if node.func.id == "visits" else flags).add(node.args[0].value)
    return counts, flags


def expression_reads(story: Story, expression: Expression) -> Reads:
    counts, flags = _visit_calls(expression.source)
    names = expression.names
    return Reads(frozenset(n for n in names if n in story.meta.variables), frozenset(counts), frozenset(flags),
                 frozenset(n for n in names if n in story.meta.tickers), bool(names & TIME_NAMES), "turns" in names)


def is_timed(event: CompiledEvent, story: Story) -> bool:
    """An event that a price or the clock can set off while the player only looks at the scene."""
    names = event.condition.names
    return bool(names & TIME_NAMES) or any(name in story.meta.tickers for name in names)


def event_guards(event: CompiledEvent) -> frozenset[str]:
    """Scenes whose first visit turns the event off for good: `… and not visited('the_tweet')`."""
    try:
        body = ast.parse(event.condition.source.strip(), mode="eval").body
    except SyntaxError:  # pragma: no cover - the validator has parsed it already
        return frozenset()
    terms = body.values if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And) else [body]
    guards = set()
    for term in terms:
        if (isinstance(term, ast.UnaryOp) and isinstance(term.op, ast.Not) and isinstance(term.operand, ast.Call)
                and isinstance(term.operand.func, ast.Name) and term.operand.func.id == "visited"
                and term.operand.args and isinstance(term.operand.args[0], ast.Constant)):
            guards.add(str(term.operand.args[0].value))
    return frozenset(guards)


@frozen
class SceneFuture:
    """What can still be read, and which scenes can still be reached, from a scene on (its own choices and
    events and everything after them; story-wide events and the scenes waiting for a `return` are added by
    the caller, as they depend on the state)."""

    reads: Reads
    scenes: frozenset[str]


def scene_futures(story: Story) -> dict[str, tuple[SceneFuture, SceneFuture]]:
    """For each scene, (its future once entered, its future from just before entering it: with on_enter)."""
    own: dict[str, Reads] = {}
    entering: dict[str, Reads] = {}
    successors: dict[str, set[str]] = {}
    for scene_id, scene in story.scenes.items():
        reads = Reads()
        for choice in scene.choices:
            if choice.condition is not None:
                reads |= expression_reads(story, choice.condition)
            for effect in choice.effects:
                reads |= expression_reads(story, effect.value)
        for event in scene.events:
            reads |= expression_reads(story, event.condition)
        own[scene_id] = reads
        entry = Reads()
        for effect in scene.on_enter:
            entry |= expression_reads(story, effect.value)
        entering[scene_id] = entry
        successors[scene_id] = {c.target for c in scene.choices if c.target} | {e.goto for e in scene.events}
    after = {scene_id: SceneFuture(own[scene_id], frozenset()) for scene_id in story.scenes}
    changed = True
    while changed:
        changed = False
        for scene_id in story.scenes:
            reads, scenes = own[scene_id], set()
            for target in successors[scene_id]:
                if target in story.scenes:
                    reads |= entering[target] | after[target].reads
                    scenes |= {target} | after[target].scenes
            future = SceneFuture(reads, frozenset(scenes))
            if future != after[scene_id]:
                after[scene_id] = future
                changed = True
    return {
        scene_id: (after[scene_id],
                   SceneFuture(entering[scene_id] | after[scene_id].reads, after[scene_id].scenes | {scene_id}))
        for scene_id in story.scenes
    }
