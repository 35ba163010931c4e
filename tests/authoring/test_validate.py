"""`collapse-tui validate`: every problem at its line and column with a code, a hint where it helps,
`--format json`, and fast enough to run on every save."""

from __future__ import annotations

import json
import time

import pytest

from tests.authoring.conftest import FIXTURES, expected

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_reports_exactly_its_diagnostics_through_the_cli(run, path):
    result = run("validate", path, "--format", "json")
    payload = json.loads(result.stdout)
    found = {(d["line"], d["column"], d["severity"], d["code"]) for d in payload["diagnostics"]}
    assert found == expected(path)
    assert result.exit_code == (1 if payload["errors"] else 0)


@pytest.mark.parametrize("fixture, suggestion", [
    ("panel_typo", "orderbook"),
    ("variable_name", "cash"),
    ("misspelt_required_key", "text"),
    ("locale_swapped", "zh"),
    ("many_problems", "landing"),
])
def test_a_close_miss_gets_a_did_you_mean(run, fixture, suggestion):
    result = run("validate", FIXTURES / "broken" / f"{fixture}.yaml")
    assert f"(did you mean '{suggestion}'?)" in result.stdout


@pytest.mark.parametrize("fixture, hint", [
    ("tab_indent", "tabs"),
    ("colon_in_text", "quotes"),
    ("compare_with_assign", "=="),
    ("effects_not_list", "list"),
])
def test_common_mistakes_get_a_hint(run, fixture, hint):
    assert hint in run("validate", FIXTURES / "broken" / f"{fixture}.yaml").stdout


def test_a_field_that_takes_several_types_fails_once(run):
    result = run("validate", FIXTURES / "broken" / "union_initial.yaml")
    assert result.stdout.count("[type]") == 1
    assert "'initial': expected true/false or a number" in result.stdout


def test_text_output_is_one_compiler_line_per_problem_and_a_summary_on_stderr(run):
    result = run("validate", FIXTURES / "broken" / "many_problems.yaml")
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit()
        assert line.rstrip().endswith("]")
    assert "4 error(s), 0 warning(s)" in result.stderr
    assert result.exit_code == 1


def test_a_clean_story_exits_zero_with_its_statistics(run):
    result = run("validate", FIXTURES / "good" / "hub.yaml", "--stats")
    assert result.exit_code == 0
    assert "6 scenes, 7 choices, 2 endings" in result.stdout


def test_unquoted_yes_or_on_as_text_explains_yaml_booleans(run, tmp_path):
    story = tmp_path / "s.yaml"
    story.write_text("story: {id: s, title: S, start: a}\nscenes:\n  - {id: a, text: yes, ending: {title: E}}\n")
    result = run("validate", story)
    assert result.exit_code == 1
    assert "put text in quotes" in result.stdout


def _large_story(folder, scenes: int) -> None:
    (folder / "story.yaml").write_text(
        "story:\n  id: big\n  title: {en: Big, zh: 大}\n  locales: [en, zh]\n  start: s0\n"
        "  variables:\n    cash: {initial: 0, min: 0, max: 1000}\n    flag: {initial: false}\n"
        "  tickers:\n    FTT: {name: FTT, price: 20}\n")
    for part in range(10):
        lines = ["scenes:"]
        for index in range(part * scenes // 10, (part + 1) * scenes // 10):
            target = f"s{index + 1}" if index + 1 < scenes else "end"
            lines += [
                f"  - id: s{index}",
                f"    title: {{en: 'Scene {index}', zh: '场景 {index}'}}",
                "    text: {en: '[b]Some[/b] text for the scene.\\n\\nA second paragraph.', zh: '一些文字。'}",
                "    on_enter: ['cash += 1']",
                "    choices:",
                f"      - {{text: {{en: Go, zh: 走}}, goto: {target}, if: 'cash > 0 and not flag', locked_reason: {{en: Nope, zh: 不}}}}",
                f"      - {{text: {{en: Other, zh: 另}}, goto: {target}, effects: ['flag = not flag']}}",
            ]
        (folder / f"part{part}.yaml").write_text("\n".join(lines) + "\n")
    (folder / "end.yaml").write_text("scenes:\n  - {id: end, text: {en: End, zh: 完}, ending: {title: {en: End, zh: 完}}}\n")


def test_validate_is_fast_enough_to_run_on_every_save(run, tmp_path):
    _large_story(tmp_path, 600)
    started = time.perf_counter()
    result = run("validate", tmp_path)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stdout
    assert elapsed < 5, f"validating 600 scenes took {elapsed:.1f} s"
