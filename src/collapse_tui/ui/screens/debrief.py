"""The debrief, after an ending: which ending, the path as a timeline (each scene marked history, mixed or
fiction), the player's choices beside what really happened, a chart of the prices during the run, where
things ended, the discussion prompts; export the transcript (Markdown) from here."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from collapse_tui.engine.runtime import Engine, GameState
from collapse_tui.engine.story import CompiledScene
from collapse_tui.engine.views import format_value, gauge_views
from collapse_tui.markup import markup_text
from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.widgets import ChartData, PriceChart
from collapse_tui.ui.styles import stylesheet
from collapse_tui.ui.widgets.key_footer import KeyFooter

BASIS_STYLE = {"history": "$text-success", "mixed": "$text-warning", "fiction": "$text-primary"}


def story_content(markup: str, style: str = "") -> Content:
    """Story text (Rich markup, checked by the validator) as Textual content."""
    content = Content.from_rich_text(markup_text(markup))
    return content.stylize_before(style) if style else content


def short_time(engine: Engine, clock_ms: int) -> str:
    moment = engine.story_time(clock_ms)
    return f"{moment.day} {moment:%b %H:%M}"


def chart_data(engine: Engine, state: GameState) -> ChartData:
    points = state.market.chart
    labels = tuple(short_time(engine, second * 1000) for second, _prices in points)
    prices = tuple(prices for _second, prices in points)
    current = tuple(engine.prices(state)[symbol] for symbol in engine.market.symbols)
    if not points or points[-1][0] * 1000 < state.clock_ms:
        labels += (short_time(engine, state.clock_ms),)
        prices += (current,)
    return ChartData(engine.market.symbols, labels, prices)


class DebriefScreen(LocaleAware, Screen):
    """What happened in this game, and what happened in history."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [
        Binding("e", "export", "Export", id="export"),
        Binding("n", "new_game", "New game", id="new_game"),
        Binding("t", "title", "Title", id="title"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="page-title", classes="page-title")
        with VerticalScroll(id="debrief", classes="page-body"):
            yield Static(id="ending", classes="section")
            yield Static(id="path-title", classes="section-title")
            yield Static(id="timeline", classes="section")
            yield Static(id="comparison-title", classes="section-title")
            yield Vertical(id="comparison", classes="section")
            yield Static(id="chart-title", classes="section-title")
            yield PriceChart(id="chart")
            yield Static(id="final-title", classes="section-title")
            yield Static(id="final", classes="section")
            yield Static(id="discuss-title", classes="section-title")
            yield Static(id="discuss", classes="section")
            with Horizontal(classes="debrief-buttons"):
                yield Button(id="export", variant="primary")
                yield Button(id="new-game")
                yield Button(id="to-title")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._render_words()
        self.query_one("#debrief", VerticalScroll).focus()

    def locale_changed(self, locale: str) -> None:
        self._render_words()

    # --- the sections ------------------------------------------------------------------------------

    def _render_words(self) -> None:
        session = self.game.session
        engine, state = session.engine, session.state
        scene = engine.scene(state)
        ending = scene.model.ending
        ending_title = self.story_text(ending.title) if ending else self.story_text(scene.model.title)
        self.query_one("#page-title", Static).update(f"{self.tr('debrief')} — {markup_text(ending_title).plain}")
        self.query_one("#ending", Static).update(self._ending(scene))
        for section in ("path", "comparison", "chart", "final", "discuss"):
            key = {"path": "path", "comparison": "choices_vs_history", "chart": "chart", "final": "final_state",
                   "discuss": "discuss"}[section]
            self.query_one(f"#{section}-title", Static).update(self.tr(key))
        self.query_one("#timeline", Static).update(self._timeline())
        self._fill_comparison()
        chart = self.query_one(PriceChart)
        chart.data = chart_data(engine, state)
        chart.hint = self.tr("chart_hint")
        self.query_one("#final", Static).update(self._final())
        self.query_one("#discuss", Static).update(self._discussion())
        self.query_one("#export", Button).label = self.tr("export")
        self.query_one("#new-game", Button).label = self.tr("new_game")
        self.query_one("#to-title", Button).label = self.tr("back_to_title")

    def _basis(self, scene: CompiledScene) -> Content:
        basis = scene.model.basis
        return Content.styled(f"[{self.tr(f'basis_{basis}')}]", BASIS_STYLE.get(basis, ""))

    def _ending(self, scene: CompiledScene) -> Content:
        ending = scene.model.ending
        if ending is None:
            return Content("")
        parts = [
            Content.styled(f"{self.tr('ending')}: ", "bold"),
            story_content(self.story_text(ending.title), "bold $text-accent"),
            Content.styled(f"   ({self.tr('ending_kind')}: {ending.kind})", "$text-muted"),
        ]
        epilogue = self.story_text(ending.epilogue)
        if epilogue:
            parts += [Content("\n\n"), Content.styled(f"{self.tr('epilogue')}\n", "bold"), story_content(epilogue.strip())]
        return Content.assemble(*parts)

    def _timeline(self) -> Content:
        session = self.game.session
        engine, state, story = session.engine, session.state, session.story
        lines: list[Content] = []
        for entry in state.log:
            scene = story.scenes.get(entry.scene)
            if scene is None:
                continue
            title = self.story_text(scene.model.title) or scene.id
            if entry.via == "return":
                lines.append(Content.assemble(Content.styled(" " * 13 + "↩ ", "$text-muted"), story_content(title)))
                continue
            marker = "⚡" if entry.via == "event" else "●"
            lines.append(Content.assemble(
                Content.styled(short_time(engine, entry.time_ms).ljust(13), "$text-muted"),
                Content.styled(f"{marker} ", "$text-error" if entry.via == "event" else "$text-accent"),
                story_content(title, "bold"), "  ", self._basis(scene),
            ))
        return Content("\n").join(lines)

    def _fill_comparison(self) -> None:
        session = self.game.session
        state, story = session.state, session.story
        container = self.query_one("#comparison", Vertical)
        container.remove_children()
        rows = []
        entries = list(state.log)
        for position, entry in enumerate(entries):
            if position == 0 or entry.choice is None:
                continue
            scene = story.scenes.get(entries[position - 1].scene)
            if scene is None or entry.choice >= len(scene.choices):
                continue
            rows.append(self._comparison_row(scene, entry.choice))
        if not rows:
            rows.append(Static(self.tr("no_notes"), classes="comparison-you"))
        container.mount_all(rows)

    def _comparison_row(self, scene: CompiledScene, index: int) -> Horizontal:
        choice = scene.choices[index].model
        has_historical = any(c.model.historical for c in scene.choices)
        you = [story_content(self.story_text(scene.model.title) or scene.id, "bold"), Content("  "), self._basis(scene),
               Content("\n"), Content.styled(f"{self.tr('you_chose')}: ", "$text-accent"),
               story_content(self.story_text(choice.text))]
        if has_historical:
            mark = self.tr("historical_choice") if choice.historical else self.tr("other_choice")
            you += [Content("\n"), Content.styled(f"({mark})", "$text-success" if choice.historical else "$text-warning")]
        if choice.note:
            you += [Content("\n"), story_content(self.story_text(choice.note), "italic")]
        notes = scene.model.notes
        history: list[Content] = [Content.styled(f"{self.tr('really_happened')}\n", "bold $text-success")]
        if notes and notes.history:
            history.append(story_content(self.story_text(notes.history)))
            if notes.source:
                history.append(Content.styled(f"\n{self.tr('source')}: {notes.source}", "$text-muted"))
        else:
            history.append(Content.styled(self.tr("no_notes"), "$text-muted"))
        return Horizontal(Static(Content.assemble(*you), classes="comparison-you"),
                          Static(Content.assemble(*history), classes="comparison-history"), classes="comparison-row")

    def _final(self) -> Content:
        session = self.game.session
        lines = [Content.assemble(Content.styled(f"{view.label}: ", "bold"), format_value(view.value, view.unit))
                 for view in gauge_views(session.engine, session.state, self.locale)]
        return Content("\n").join(lines)

    def _discussion(self) -> Content:
        session = self.game.session
        story = session.story
        seen: list[str] = []
        for entry in session.state.log:
            scene = story.scenes.get(entry.scene)
            notes = scene.model.notes if scene else None
            if notes and notes.discuss:
                prompt = self.story_text(notes.discuss)
                if prompt not in seen:
                    seen.append(prompt)
        return Content("\n").join(Content.assemble("• ", story_content(prompt)) for prompt in seen)

    # --- actions -----------------------------------------------------------------------------------

    def action_export(self) -> None:
        from collapse_tui.ui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.default_export_path()))

    def default_export_path(self) -> Path:
        configured: Optional[Path] = getattr(self.game, "transcript_path", None)
        if configured is not None:
            return configured
        story_id = self.game.session.story.meta.id
        return Path.cwd() / f"collapse-tui-{story_id}-seed{self.game.session.state.seed}.md"

    def action_new_game(self) -> None:
        self.game.new_game()

    def action_title(self) -> None:
        self.game.show_title()

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#new-game")
    def _new_game_pressed(self) -> None:
        self.action_new_game()

    @on(Button.Pressed, "#to-title")
    def _title_pressed(self) -> None:
        self.action_title()
