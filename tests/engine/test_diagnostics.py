"""Each broken fixture names the diagnostics it must produce in `# expect: LINE:COL [warning] CODE` lines;
the validator must report exactly those (codes and positions, not wording)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collapse_tui.engine import StoryError, check_story, load_story
from collapse_tui.engine.diagnostics import Severity

BROKEN = sorted((Path(__file__).parent / "fixtures" / "broken").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (?:(warning) )?([a-z-]+)$", re.MULTILINE)


def expected(path: Path) -> set[tuple[int, int, str, str]]:
    return {(int(line), int(col), severity or "error", code) for line, col, severity, code in EXPECT.findall(path.read_text())}


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_story_reports_exactly_its_diagnostics(path):
    wanted = expected(path)
    assert wanted, f"{path.name} has no '# expect:' line"
    _, diagnostics = check_story(path)
    found = {(d.position.line, d.position.column, d.severity.value, d.code) for d in diagnostics.items}
    assert found == wanted


def test_every_diagnostic_line_has_the_compiler_format():
    _, diagnostics = check_story(Path(__file__).parent / "fixtures" / "broken" / "unknown_scene.yaml")
    line = str(diagnostics.items[0])
    assert re.match(r"^\S+\.yaml:\d+:\d+: (error|warning): .+  \[[a-z-]+\]$", line)
    assert "(did you mean 'buy_wall'?)" in line


def test_load_story_raises_story_error_with_all_problems(tmp_path):
    story = tmp_path / "two.yaml"
    story.write_text(
        "story: {id: x, title: X, start: a}\n"
        "scenes:\n"
        "  - {id: a, text: A, choices: [{text: go, goto: nowhere}, {text: again, goto: neither}]}\n"
    )
    with pytest.raises(StoryError) as raised:
        load_story(story)
    codes = [d.code for d in raised.value.diagnostics if d.severity is Severity.ERROR]
    assert codes == ["unknown-scene", "unknown-scene"]


def test_a_folder_story_reports_problems_in_each_file(tmp_path):
    (tmp_path / "story.yaml").write_text("story: {id: x, title: X, start: a}\n")
    (tmp_path / "a.yaml").write_text("scenes:\n  - {id: a, text: A, choices: [{text: go, goto: b}]}\n")
    (tmp_path / "b.yaml").write_text("scenes:\n  - id: b\n    text: B\n    ending: {title: End, kind: 'bad kind'}\n")
    _, diagnostics = check_story(tmp_path)
    assert [(Path(d.position.path).name, d.position.line, d.code) for d in diagnostics.items] == [("b.yaml", 4, "type")]


def test_a_missing_story_is_reported_not_raised(tmp_path):
    _, diagnostics = check_story(tmp_path / "nothing-here")
    assert [d.code for d in diagnostics.items] == ["no-story"]


def test_a_folder_without_metadata_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text("scenes:\n  - {id: a, text: A, ending: {title: End}}\n")
    _, diagnostics = check_story(tmp_path)
    assert [d.code for d in diagnostics.items] == ["no-metadata"]


def test_two_metadata_files_are_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text("story: {id: x, title: X, start: a}\nscenes:\n  - {id: a, text: A, ending: {title: End}}\n")
    (tmp_path / "b.yaml").write_text("story: {id: y, title: Y, start: a}\n")
    _, diagnostics = check_story(tmp_path)
    assert [(Path(d.position.path).name, d.code) for d in diagnostics.items] == [("b.yaml", "duplicate-metadata")]


def test_a_symlink_out_of_the_story_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("scenes:\n  - {id: z, text: Z, ending: {title: End}}\n")
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text("story: {id: x, title: X, start: a}\nscenes:\n  - {id: a, text: A, ending: {title: End}}\n")
    (folder / "link.yaml").symlink_to(outside)
    _, diagnostics = check_story(folder)
    assert [d.code for d in diagnostics.items] == ["outside-story"]


def test_an_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]" for i in range(1, 9)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    _, diagnostics = check_story(bomb)
    assert "too-large" in [d.code for d in diagnostics.items]


def test_deep_nesting_is_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("story: " + "[" * 500 + "]" * 500 + "\n")
    _, diagnostics = check_story(deep)
    assert diagnostics.has_errors
    assert {d.code for d in diagnostics.items} <= {"too-large", "yaml-syntax"}


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    from collapse_tui.engine import loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * 200)
    _, diagnostics = check_story(big)
    assert [d.code for d in diagnostics.items] == ["file-too-large"]


def test_text_that_is_not_utf8_is_reported(tmp_path):
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("story: {id: x, title: 'caf\xe9', start: a}\n".encode("latin-1"))
    _, diagnostics = check_story(bad)
    assert [d.code for d in diagnostics.items] == ["encoding"]


def test_the_complete_example_in_the_format_reference_is_valid(tmp_path):
    reference = Path(__file__).resolve().parents[2] / "docs" / "story-format.md"
    example = reference.read_text().split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.yaml").write_text(example)
    _, diagnostics = check_story(tmp_path / "example.yaml")
    assert [str(d) for d in diagnostics.items] == []
