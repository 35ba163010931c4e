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
from collapse_tui.collector import pause_for_start, resume_after_start

EXIT_BAD_INPUT = 1


def _story_path(story: Optional[str]) -> Path:
    return Path(story) if story else bundled_story_path()


def _load_or_exit(story: Optional[str], *, cache: bool = False):
    """Load a story or print its diagnostics and exit 1; with `cache`, from the cache of compiled stories
    when its files have not changed (a story with errors is never cached)."""
    from collapse_tui.engine import StoryError, load_story

    try:
        return load_story(_story_path(story), cache=cache)
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
    if not plain:  # (before the imports; the app lets the collector run again once its first frame is up)
        pause_for_start()
    try:
        loaded = _load_or_exit(story, cache=True)
        if lang is not None and lang not in loaded.locales:
            raise click.BadParameter(f"'{lang}' is not one of this story's languages: {', '.join(loaded.locales)}",
                                     param_hint="--lang")
        if scene_id is not None and scene_id not in loaded.scenes:
            from collapse_tui.engine.diagnostics import did_you_mean

            raise click.BadParameter(f"no scene '{scene_id}'{did_you_mean(scene_id, loaded.scenes)}",
                                     param_hint="--scene")
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
    finally:
        resume_after_start()  # (if the app did not, or never ran: a bad story, a bad option)


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
    from collapse_tui.engine.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@cli.command()
@STORY_ARGUMENT
@click.option("--format", "output_format", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True,
              help="Mermaid (GitHub renders it in ```mermaid blocks) or Graphviz DOT (dot -Tsvg).")
@click.option("--lang", help="Language of the scene titles; default: the story's.")
def graph(story: Optional[str], output_format: str, lang: Optional[str]) -> None:
    """Print the scene graph: the start and the endings marked, locked choices with their conditions,
    events dashed, returns dotted."""
    from collapse_tui.engine.graph import FORMATS, story_graph

    loaded = _load_or_exit(story)
    if lang is not None and lang not in loaded.locales:
        raise click.BadParameter(f"'{lang}' is not one of this story's languages: {', '.join(loaded.locales)}", param_hint="--lang")
    click.echo(FORMATS[output_format](story_graph(loaded, lang)), nl=False)


@cli.command("test")
@STORY_ARGUMENT
@click.option("--random", "runs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also play N seeded random playthroughs (random choices and waits).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the market and the random playthroughs.")
@click.option("--max-states", type=click.IntRange(min=1), default=200_000, show_default=True,
              help="Stop the exhaustive search after this many distinct states.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", help="Language of the choice texts in the report; default: the story's.")
def test_command(story: Optional[str], runs: int, seed: int, max_states: int, output_format: str,
                 lang: Optional[str]) -> None:
    """Play-test a story: search every reachable state (every scene reached? every choice open? every
    path ends?) and play N random games; exit 1 on any failure."""
    from collapse_tui.engine.playtest import format_report, playtest, report_json

    loaded = _load_or_exit(story)
    if lang is not None and lang not in loaded.locales:
        raise click.BadParameter(f"'{lang}' is not one of this story's languages: {', '.join(loaded.locales)}", param_hint="--lang")
    report = playtest(loaded, runs=runs, seed=seed, max_states=max_states, locale=lang)
    if output_format == "json":
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    sys.exit(EXIT_BAD_INPUT if report.failed else 0)


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--title", help="The story's title (default: from the folder's name).")
def new(directory: str, title: Optional[str]) -> None:
    """Scaffold a new story in DIR (new or empty): two languages, a ticker, a variable, a locked
    choice, an event and two endings; it validates, tests clean and plays."""
    from collapse_tui.scaffold import ScaffoldError, scaffold_story

    try:
        written = scaffold_story(Path(directory), title=title)
    except ScaffoldError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"""
Next:
  collapse-tui validate {directory}
  collapse-tui test {directory}
  collapse-tui graph {directory}
  collapse-tui play {directory} --plain --watch
(docs/authoring.md walks through it)""")


@cli.command()
@STORY_ARGUMENT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other devices on the local network connect.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--public-url", help="The address browsers are given (default: http://HOST:PORT, or this "
                                   "machine's local-network address when HOST is 0.0.0.0).")
@click.option("--lang", help="Language of the story text (e.g. en, zh); default: the story's.")
@click.option("--classroom", is_flag=True, help="Every browser gets the presenter layout (a projector on a browser).")
def serve(story: Optional[str], host: str, port: int, public_url: Optional[str], lang: Optional[str],
          classroom: bool) -> None:
    """Serve the app to web browsers (textual-serve): each browser gets its own game."""
    try:
        import textual_serve  # noqa: F401

        from collapse_tui.serve import serve_app
    except ImportError:
        click.echo("serving needs textual-serve: pip install 'collapse-tui[serve]'", err=True)
        sys.exit(EXIT_BAD_INPUT)
    loaded = _load_or_exit(story)
    if lang is not None and lang not in loaded.locales:
        raise click.BadParameter(f"'{lang}' is not one of this story's languages: {', '.join(loaded.locales)}", param_hint="--lang")
    serve_app(Path(story).resolve() if story else None, host=host, port=port, public_url=public_url, lang=lang,
              classroom=classroom)


def main() -> None:
    cli(prog_name="collapse-tui")
