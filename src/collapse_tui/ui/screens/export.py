"""Export the transcript: a small dialog with the file to write (Markdown), prefilled, and the result."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from collapse_tui.ui.screens.localised import LocaleAware
from collapse_tui.ui.styles import stylesheet


class ExportScreen(LocaleAware, ModalScreen[Path | None]):
    """Ask where to write the transcript, then write it."""

    CSS_PATH = stylesheet("pages.tcss")

    BINDINGS = [Binding("escape", "cancel", "Close", id="close")]

    def __init__(self, path: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static(self.tr("export_title"), classes="dialog-title")
            yield Label(self.tr("export_path"))
            yield Input(str(self.path), id="path")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.tr("export"), id="write", variant="primary")
                yield Button(self.tr("cancel"), id="cancel")

    def on_mount(self) -> None:
        path_input = self.query_one("#path", Input)
        path_input.cursor_blink = self.game.options.animations
        path_input.focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#write")
    def _write(self) -> None:
        from collapse_tui.transcript import write_transcript

        session = self.game.session
        path = Path(self.query_one("#path", Input).value.strip() or str(self.path)).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_transcript(path, session.engine, session.state, self.locale)
        except OSError as error:
            self.notify(self.tr("export_failed", error=error.strerror or error), severity="error", timeout=10)
            return
        self.notify(self.tr("exported", path=path), timeout=8)
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
