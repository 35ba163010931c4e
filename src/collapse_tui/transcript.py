"""A playthrough as Markdown: every scene's text and the choice that left it, then the ending. Written by
`--transcript`, exported from the debrief, and compared in the story's regression tests."""

from __future__ import annotations

from pathlib import Path


from collapse_tui.engine.runtime import Engine, GameState, LogEntry
from collapse_tui.engine.views import format_time, format_value
from collapse_tui.markup import markup_text


def plain_text(markup: str) -> str:
    """Rich markup -> the text a reader sees."""
    return markup_text(markup).plain


def _choice_taken(engine: Engine, scene_id: str, entry: LogEntry, locale: str) -> str:
    if entry.choice is None:
        return ""
    choice = engine.story.scenes[scene_id].choices[entry.choice]
    return plain_text(engine.story.text(choice.model.text, locale))


def transcript_markdown(engine: Engine, state: GameState, locale: str) -> str:
    story = engine.story
    labels = {"zh": ("种子", "你选择了", "插曲", "结局", "最终状态")}.get(locale[:2], ("Seed", "You chose", "Interrupted by", "Ending", "Final state"))
    seed_label, chose_label, event_label, ending_label, final_label = labels
    lines = [f"# {plain_text(story.text(story.meta.title, locale))}", "", f"{seed_label}: {state.seed}", ""]
    previous: str | None = None
    for entry in state.log:
        if previous is not None:
            if entry.via in ("choice", "return"):
                lines += [f"> **{chose_label}:** {_choice_taken(engine, previous, entry, locale)}", ""]
        scene = story.scenes[entry.scene]
        if entry.via == "return":
            previous = entry.scene
            continue
        title = plain_text(story.text(scene.model.title, locale)) or scene.id
        lines.append(f"## {title}")
        lines.append("")
        lines.append(f"*{format_time(engine.story_time(entry.time_ms), story.meta.clock.timezone, locale)}*")
        lines.append("")
        if entry.via == "event":
            lines += [f"*{event_label}: {entry.event}*", ""]
        for paragraph in scene.paragraphs(locale, story.fallback_locale):
            lines += [plain_text(paragraph), ""]
        previous = entry.scene
    scene = engine.scene(state)
    if scene.model.ending is not None:
        lines += [f"## {ending_label}: {plain_text(story.text(scene.model.ending.title, locale))}", ""]
        epilogue = story.text(scene.model.ending.epilogue, locale)
        if epilogue:
            lines += [plain_text(epilogue).strip(), ""]
    lines += [f"## {final_label}", ""]
    for name, variable in story.meta.variables.items():
        if variable.gauge:
            label = plain_text(story.text(variable.label, locale)) or name
            lines.append(f"- {label}: {format_value(state.variables[name], variable.unit)}")
    prices = engine.prices(state)
    lines.append("- " + ", ".join(f"{symbol} {price:,.2f}" for symbol, price in prices.items()))
    return "\n".join(lines).rstrip() + "\n"


def write_transcript(path: Path, engine: Engine, state: GameState, locale: str) -> None:
    path.write_text(transcript_markdown(engine, state, locale), encoding="utf-8")
