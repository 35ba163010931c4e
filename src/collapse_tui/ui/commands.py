"""The command palette's commands (ctrl+p): every key binding of the screen the palette was opened on (so a
command and its key can never disagree), plus what has no key: language, theme, new game, title screen."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from collapse_tui.ui.strings import language_name, tr

if TYPE_CHECKING:
    from collapse_tui.ui.app import CollapseApp


class Command(NamedTuple):
    title: str
    help: str
    run: Callable[[], object]


class CollapseCommands(Provider):
    """The app's commands, in the player's language."""

    @property
    def game(self) -> "CollapseApp":
        return cast("CollapseApp", self.app)

    def commands(self) -> Iterator[Command]:
        app = self.game
        locale = app.locale
        seen: set[str] = set()
        for _key, active in self.screen.active_bindings.items():
            node, binding, enabled, _tooltip = active
            if not enabled or not binding.description or binding.system or binding.action in seen:
                continue
            if binding.action.startswith("command_palette"):
                continue
            seen.add(binding.action)
            yield Command(binding.description, f"key: {app.get_key_display(binding)}",
                          partial(app.run_action, binding.action, node))
        for other in app.session.story.locales:
            if other != locale:
                yield Command(tr(locale, "cmd_language_to", language=language_name(other)), "",
                              partial(app.action_set_language, other))
        from collapse_tui.ui.config import THEMES

        for theme in THEMES:
            yield Command(tr(locale, "cmd_theme_to", theme=tr(locale, f"theme_{theme}")), "",
                          partial(app.update_settings, theme=theme))
        yield Command(tr(locale, "new_game"), "", app.new_game)
        yield Command(tr(locale, "back_to_title"), "", app.show_title)
        if "settings" not in seen:
            yield Command(tr(locale, "settings"), "", app.action_settings)
        if "help" not in seen:
            yield Command(tr(locale, "key_help"), "", app.action_help)

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, command.run, help=command.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, text=command.title,
                          help=command.help or None)
