"""The JSON Schema in docs/ is what `collapse-tui schema` prints; it accepts every valid story file we
have (the bundled story, the examples, the fixtures, a new scaffold) and rejects broken keys and types;
every file of the bundled story starts with the modeline that points editors at it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collapse_tui.bundled import bundled_story_path
from collapse_tui.engine.diagnostics import DiagnosticList
from collapse_tui.engine.loader import read_source
from collapse_tui.engine.schema import json_schema
from tests.authoring.conftest import FIXTURES, REPO

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_FILE = REPO / "docs" / "story.schema.json"
MODELINE = "# yaml-language-server: $schema=../docs/story.schema.json"
BUNDLED = sorted(bundled_story_path().rglob("*.yaml"))
EXAMPLES = sorted((REPO / "examples").rglob("*.yaml"))
GOOD = sorted((FIXTURES / "good").glob("*.yaml")) + sorted((FIXTURES / "playtest").glob("*.yaml"))


def _data(path: Path):
    """A story file's data as the loader reads it (timestamps stay text)."""
    diagnostics = DiagnosticList()
    source = read_source(path, diagnostics)
    assert source is not None, [str(d) for d in diagnostics.items]
    return source.data


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_in_docs_is_up_to_date(run):
    printed = json.loads(run("schema").stdout)
    assert printed == json.loads(SCHEMA_FILE.read_text()), "run: collapse-tui schema > docs/story.schema.json"
    assert printed == json_schema()


@pytest.mark.parametrize("path", BUNDLED + EXAMPLES + GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_schema_accepts_every_valid_story_file(validator, path):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_data(path))]
    assert errors == []


@pytest.mark.parametrize("name, where", [
    ("misspelt_required_key.yaml", "scenes/0"),
    ("panel_typo.yaml", "scenes/0/panels/1"),
    ("union_initial.yaml", "story/variables/cash/initial"),
    ("effects_not_list.yaml", "scenes/0/on_enter"),
])
def test_the_schema_rejects_what_the_loader_rejects(validator, name, where):
    def paths(errors):  # an error inside `anyOf` (optional keys) is reported on the key, with its reasons inside
        for error in errors:
            yield "/".join(map(str, error.absolute_path))
            yield from paths(error.context or [])
    assert where in set(paths(validator.iter_errors(_data(FIXTURES / "broken" / name))))


def test_the_scaffold_passes_the_schema_it_ships_with(run, tmp_path, validator):
    run("new", tmp_path / "story")
    for path in sorted((tmp_path / "story").glob("*.yaml")):
        assert not list(validator.iter_errors(_data(path)))
    assert json.loads((tmp_path / "story" / "story.schema.json").read_text()) == json_schema()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_story_file_starts_with_the_schema_modeline(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_file_points_at_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == SCHEMA_FILE.resolve()
