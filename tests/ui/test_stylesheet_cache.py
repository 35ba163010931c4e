"""The cache of parsed stylesheets: every sheet the app can show reads back as Textual parses it, for every
theme; a warm start parses no sheet and draws the same screen; a file that is damaged, foreign, too big or
made to run code is read as empty (and runs nothing); a sheet with errors is never kept."""

from __future__ import annotations

import importlib
import os
import pickle
import pkgutil
from pathlib import Path

import pytest
import textual.css.parse
import textual.widgets
from textual.app import App
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.dom import DOMNode

import collapse_tui.ui.screens
import collapse_tui.ui.widgets
from collapse_tui.ui import stylesheet_cache
from collapse_tui.ui.styles import STYLES_DIR
from collapse_tui.ui.stylesheet_cache import MAX_FILE_BYTES, StylesheetCache, cache_path, use
from collapse_tui.ui.themes import THEMES

from .conftest import make_app

TINY_SHEET = "Label { color: $text-accent; padding: 0 1; }"


@pytest.fixture(autouse=True)
def _textual_parser_after():
    yield
    use(None)


def _subclasses(kind: type) -> set[type]:
    found = set(kind.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def every_sheet() -> list[tuple[str, tuple[str, str], bool]]:
    """(css, where it was read from, is default CSS) of every sheet the app may use: each DEFAULT_CSS of Textual's
    widgets and ours, and our .tcss files."""
    for name in textual.widgets.__all__:
        getattr(textual.widgets, name)
    for package in (collapse_tui.ui.widgets, collapse_tui.ui.screens):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    sheets = [(kind.__dict__["DEFAULT_CSS"], (kind.__module__, f"{kind.__qualname__}.DEFAULT_CSS"), True)
              for kind in _subclasses(DOMNode) | {App} if kind.__dict__.get("DEFAULT_CSS")]
    sheets += [(path.read_text(), (str(path), ""), False) for path in sorted(STYLES_DIR.glob("*.tcss"))]
    return sorted(sheets, key=lambda sheet: sheet[1])


def described(rules) -> list[tuple]:
    """All a parsed rule holds (a layout by its kind: Textual makes a new one for each rule). (Not `rule.css`:
    Textual fails to write some of its own rules back as CSS.)"""
    def value(name, item):
        return type(item).__name__ if name == "layout" else item

    return [(rule.selector_set, sorted(rule.selector_names), sorted(rule.pseudo_classes),
             rule.is_default_rules, rule.tie_breaker, sorted(rule.styles.important), rule.errors,
             {name: value(name, item) for name, item in rule.styles.get_rules().items()})
            for rule in rules]


def theme_variables(theme_name: str) -> dict[str, str]:
    app = App()
    for theme in THEMES:
        app.register_theme(theme)
    app.theme = theme_name
    return app.get_css_variables()


@pytest.mark.parametrize("theme", [theme.name for theme in THEMES] + ["textual-dark"])
def test_every_sheet_of_the_app_reads_back_as_textual_parses_it(theme, tmp_path):
    variables = theme_variables(theme)
    sheets = every_sheet()
    assert len(sheets) > 50
    cache = StylesheetCache(tmp_path / "sheets")
    use(cache)
    parsed = {}
    for css, read_from, is_default in sheets:
        parsed[read_from] = Stylesheet(variables=variables)._parse_rules(css, read_from, is_default)
    cache.save()
    assert cache.misses == len(sheets) and cache.hits == 0

    cache = StylesheetCache(tmp_path / "sheets")
    use(cache)
    for css, read_from, is_default in sheets:
        again = Stylesheet(variables=variables)._parse_rules(css, read_from, is_default)
        assert described(again) == described(parsed[read_from]), read_from
    assert cache.hits == len(sheets) and cache.misses == 0  # (so every sheet could be kept and read back)


class CountingTokenizer:
    def __init__(self, monkeypatch):
        self.calls = 0
        tokenize = textual.css.parse.tokenize

        def counted(*arguments, **keywords):
            self.calls += 1
            return tokenize(*arguments, **keywords)

        monkeypatch.setattr(textual.css.parse, "tokenize", counted)


async def _first_scene(app_for) -> tuple[str, StylesheetCache]:
    app = app_for(skip_title=True, stylesheet_cache=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.export_screenshot()
        cache = app.stylesheet_cache
    return screen, cache


async def test_a_warm_start_parses_no_sheet_and_draws_the_same_screen(app_for, monkeypatch):
    cold_screen, cold = await _first_scene(app_for)
    assert cold.misses > 10 and cold.hits == 0
    assert cache_path().is_file()  # (written as the app ended)

    tokenizer = CountingTokenizer(monkeypatch)
    warm_screen, warm = await _first_scene(app_for)
    assert tokenizer.calls == 0
    assert warm.hits == cold.misses and warm.misses == 0
    assert warm_screen == cold_screen


async def test_the_cache_is_off_for_an_app_that_says_so(app_for):
    app = app_for(skip_title=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.stylesheet_cache is None
        assert Stylesheet._parse_rules is stylesheet_cache._parse_rules  # (Textual's own)
    assert not cache_path().exists()


def _parse_tiny(path: Path, variables: dict[str, str]) -> StylesheetCache:
    cache = StylesheetCache(path)
    use(cache)
    Stylesheet(variables=variables)._parse_rules(TINY_SHEET, ("tiny.tcss", ""))
    return cache


def test_other_theme_variables_are_other_entries(tmp_path):
    path = tmp_path / "sheets"
    dark, light = theme_variables("collapse-dark"), theme_variables("collapse-light")
    _parse_tiny(path, dark).save()
    assert _parse_tiny(path, light).misses == 1
    cache = StylesheetCache(path)
    use(cache)
    rules = {name: Stylesheet(variables=variables)._parse_rules(TINY_SHEET, ("tiny.tcss", ""))
             for name, variables in (("dark", dark), ("light", light))}
    assert cache.misses == 1 and cache.hits == 1  # (the light one was not saved)
    assert rules["dark"][0].styles.color != rules["light"][0].styles.color


def test_a_sheet_with_errors_is_never_kept(tmp_path):
    path = tmp_path / "sheets"
    for _ in range(2):
        cache = StylesheetCache(path)
        use(cache)
        stylesheet = Stylesheet(variables=theme_variables("collapse-dark"))
        stylesheet.add_source("Label { colour: red; }", read_from=("broken.tcss", ""))
        with pytest.raises(StylesheetParseError):
            stylesheet.parse()
        cache.save()
        assert cache.misses == 1 and cache.hits == 0
    assert not path.exists()


class RunsCode:
    """What a doctored file would hold: unpickled by a plain pickle.load, it would create `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _valid_file(path: Path, variables: dict[str, str]) -> dict:
    _parse_tiny(path, variables).save()
    with open(path, "rb") as handle:
        return pickle.load(handle)


def _doctored_files(tmp_path: Path, variables: dict[str, str]) -> dict[str, bytes]:
    stored = _valid_file(tmp_path / "valid", variables)
    marker = tmp_path / "ran"
    doctored_entry = {**stored, "entries": {key: pickle.dumps([RunsCode(marker)]) for key in stored["entries"]}}
    foreign = {**stored, "parser": ("another parser",)}
    valid = (tmp_path / "valid").read_bytes()
    return {
        "garbage": b"\x80\x05not a pickle at all",
        "truncated": valid[: len(valid) // 2],
        "not a dict": pickle.dumps(["entries"]),
        "runs code itself": pickle.dumps(RunsCode(marker)),
        "an entry that runs code": pickle.dumps(doctored_entry),
        "another parser's": pickle.dumps(foreign),
        "an entry that is not rules": pickle.dumps({**stored, "entries": {
            key: pickle.dumps({"not": "rules"}) for key in stored["entries"]}}),
    }


@pytest.mark.parametrize("kind", ["garbage", "truncated", "not a dict", "runs code itself", "an entry that runs code",
                                  "another parser's", "an entry that is not rules"])
def test_a_damaged_foreign_or_doctored_file_is_read_as_empty(kind, tmp_path):
    variables = theme_variables("collapse-dark")
    files = _doctored_files(tmp_path, variables)
    path = tmp_path / "sheets"
    path.write_bytes(files[kind])
    cache = _parse_tiny(path, variables)
    assert cache.misses == 1 and cache.hits == 0
    assert not (tmp_path / "ran").exists()
    cache.save()  # (and the next start finds it mended)
    assert _parse_tiny(path, variables).hits == 1


def test_a_file_too_big_to_be_ours_is_not_read(tmp_path):
    variables = theme_variables("collapse-dark")
    path = tmp_path / "sheets"
    valid = _valid_file(tmp_path / "valid", variables)
    path.write_bytes(pickle.dumps({**valid, "padding": b"\0" * MAX_FILE_BYTES}))
    assert _parse_tiny(path, variables).misses == 1


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    cache = _parse_tiny(blocked / "sheets", theme_variables("collapse-dark"))
    cache.save()
    assert cache.misses == 1 and not (blocked / "sheets").exists()


def test_the_app_keeps_its_sheets_in_the_user_cache_folder(mini_story, tmp_path):
    app = make_app(mini_story, stylesheet_cache=True)
    assert app.stylesheet_cache is not None
    assert app.stylesheet_cache.path == cache_path()
    assert Path(os.environ["COLLAPSE_TUI_HOME"]) in cache_path().parents
