"""The command line (a contract, see docs): play, validate, schema … Exit codes: 0 success, 1 the story or
the input is bad (a clear message, never a traceback), 2 bad usage."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Optional

import click

from collapse_tui import __version__
from collapse_tui.bundled import bundled_story_path

EXIT_BAD_INPUT = 1


def _story_path(story: Optional[str]) -> Path:
    return Path(story) if story else bundled_story_path()


def _load_or_exit(story: Optional[str]):
    """Load a story or print its diagnostics and exit 1."""
    from collapse_tui.engine import StoryError, load_story

    try:
        return load_story(_story_path(story))
    except StoryError as error:
        for diagnostic in error.diagnostics:
            click.echo(str(diagnostic), err=True)
        errors = sum(1 for d in error.diagnostics if d.severity.value == "error")
        click.echo(f"{errors} error(s): the story cannot be played", err=True)
        sys.exit(EXIT_BAD_INPUT)


STORY_ARGUMENT = click.argument("story", required=False, type=click.Path())


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="collapse-tui")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Two Days in November: the FTX/Alameda collapse as an interactive story, and its engine.

    Without a command, plays the bundled story in the terminal app."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(play)


@cli.command()
@STORY_ARGUMENT
@click.option("--lang", help="Language of the story text (e.g. en, zh); default: the story's.")
@click.option("--seed", type=int, default=None, help="Seed of the market and every random event.")
@click.option("--scene", "scene_id", help="Start at this scene (authors).")
@click.option("--plain", is_flag=True, help="Line mode on stdin/stdout: no TUI (screen readers, pipes).")
@click.option("--transcript", type=click.Path(dir_okay=False), help="Write the playthrough as Markdown at the end.")
@click.option("--watch", is_flag=True, help="Reload the story when its files change.")
@click.option("--classroom", is_flag=True, help="Presenter layout for a projector.")
@click.option("--autoplay", type=float, default=None, is_flag=False, flag_value=4.0,
              help="Play along the historical path, one step every SECS (default 4).")
def play(story: Optional[str], lang: Optional[str], seed: Optional[int], scene_id: Optional[str], plain: bool,
         transcript: Optional[str], watch: bool, classroom: bool, autoplay: Optional[float]) -> None:
    """Play a story (a folder or a .yaml file; default: the bundled story)."""
    loaded = _load_or_exit(story)
    if lang is not None and lang not in loaded.locales:
        raise click.BadParameter(f"'{lang}' is not one of this story's languages: {', '.join(loaded.locales)}", param_hint="--lang")
    if scene_id is not None and scene_id not in loaded.scenes:
        from collapse_tui.engine.diagnostics import did_you_mean

        raise click.BadParameter(f"no scene '{scene_id}'{did_you_mean(scene_id, loaded.scenes)}", param_hint="--scene")
    if seed is None:
        seed = random.randrange(1_000_000)
    options = dict(locale=lang or loaded.default_locale, seed=seed, scene=scene_id,
                   transcript=Path(transcript) if transcript else None)
    if plain:
        from collapse_tui.plain import PlainPlayer

        player = PlainPlayer(loaded, story_path=_story_path(story), watch=watch, autoplay=autoplay, **options)
        sys.exit(player.run())
    try:
        from collapse_tui.ui.app import run_app
    except ImportError:
        click.echo("The terminal app is not available in this build; use --plain.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(run_app(loaded, story_path=_story_path(story), watch=watch, classroom=classroom, autoplay=autoplay,
                     **options))


@cli.command()
@STORY_ARGUMENT
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--stats", is_flag=True, help="Also print scenes, choices, endings, words per language.")
def validate(story: Optional[str], output_format: str, stats: bool) -> None:
    """Check a story; print every problem as path:line:col: error|warning: message."""
    from collapse_tui.engine import check_story
    from collapse_tui.engine.diagnostics import format_diagnostics

    loaded, diagnostics = check_story(_story_path(story))
    errors = sum(1 for d in diagnostics.items if d.severity.value == "error")
    warnings = len(diagnostics.items) - errors
    if output_format == "json":
        payload = {"errors": errors, "warnings": warnings, "diagnostics": [d.as_json() for d in diagnostics.items]}
        if stats and loaded is not None:
            from collapse_tui.engine.analysis import story_statistics

            payload["stats"] = story_statistics(loaded)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if diagnostics.items:
            click.echo(format_diagnostics(diagnostics.items))
        if stats and loaded is not None:
            from collapse_tui.engine.analysis import format_statistics, story_statistics

            click.echo(format_statistics(story_statistics(loaded)))
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(EXIT_BAD_INPUT if errors else 0)


@cli.command()
def schema() -> None:
    """Print the story format's JSON Schema (for editors' YAML completion)."""
    from collapse_tui.engine.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="collapse-tui")
