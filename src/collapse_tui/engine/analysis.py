"""Facts about a story as a whole: statistics for `validate --stats`."""

from __future__ import annotations

import re
from typing import Any

from collapse_tui.engine.model import ALL_LOCALES
from collapse_tui.engine.story import Story

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
