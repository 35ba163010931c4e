"""The history (backlog): every scene of this game so far with its text, and the choice that left it, to
scroll back through; it opens at the end, on the scene being played."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from collapse_tui.engine.runtime import Engine, GameState
from collapse_tui.engine.views import format_time
from collapse_tui.markup import markup_text
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.strings import tr
from collapse_tui.ui.styles import stylesheet
from collapse_tui.ui.widgets.key_footer import KeyFooter


def history_blocks(engine: Engine, state: GameState, locale: str) -> list[Text]:
    """One block per scene entered, with the choice that left it (a log entry's `choice` is the one taken
    in the scene before it, whether it led on, returned, or tripped an event); a return to an interrupted
    scene is a short block of its own (the scene is not told twice)."""
    story = engine.story
    blocks: list[Text] = []
    entries = list(state.log)
    for position, entry in enumerate(entries):
        scene = story.scenes.get(entry.scene)
        if scene is None:
            continue
        block = Text()
        title = markup_text(story.text(scene.model.title, locale) or scene.id).plain
        if entry.via == "return":
            block.append(f"↩ {title}", "bold")
        else:
            block.append(title, "bold")
            block.append("   " + format_time(engine.story_time(entry.time_ms), story.meta.clock.timezone, locale), "dim")
            if entry.via == "event":
                block.append(f"   ⚡ {tr(locale, 'interrupted_short')}", "bold")
            block.append("\n")
            for paragraph in scene.paragraphs(locale, story.fallback_locale):
                block.append("\n")
                block.append_text(markup_text(paragraph))
                block.append("\n")
        following = entries[position + 1] if position + 1 < len(entries) else None
        if following is None:
            block.append(f"\n◂ {tr(locale, 'now')}", "bold")
        elif following.choice is not None and following.choice < len(scene.choices):
            chosen = scene.choices[following.choice]
            block.append(f"\n▸ {tr(locale, 'you_chose')}: ", "bold")
            block.append_text(markup_text(story.text(chosen.model.text, locale)))
        blocks.append(block)
    return blocks


class HistoryScreen(LocaleAware, Screen):
    """Everything read and chosen so far."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [
        Binding("escape,h", "app.pop_screen", "Close", id="close"),
        Binding("home", "scroll('home')", "Top", show=False),
        Binding("end", "scroll('end')", "End", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="page-title", classes="page-title")
        yield VerticalScroll(id="history", classes="page-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._render_words()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    def _render_words(self) -> None:
        session = self.game.session
        self.query_one("#page-title", Static).update(self.tr("history"))
        body = self.query_one("#history", VerticalScroll)
        body.remove_children()
        blocks = history_blocks(session.engine, session.state, self.locale)
        body.mount_all([Static(block, classes="history-entry") for block in blocks])
        body.focus()
        self.call_after_refresh(body.scroll_end, animate=False)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#history", VerticalScroll)
        if where == "home":
            body.scroll_home(animate=False)
        else:
            body.scroll_end(animate=False)
