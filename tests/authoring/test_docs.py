"""The authoring docs keep up with the code: docs/diagnostics.md has a section for every code the
validator and the play-test can report."""

from __future__ import annotations

import re

from tests.authoring.conftest import REPO

ENGINE = REPO / "src" / "collapse_tui" / "engine"
NOT_CODES = {"function-before"}  # a pydantic location part, not one of ours
SINGLE_WORD_CODES = re.compile(r'(?:error|warning|ExpressionError)\((?:[^()]|\([^()]*\))*?,\s*"([a-z]+)"\s*\)', re.S)


def _codes() -> set[str]:
    codes: set[str] = set()
    for name in ("loader.py", "validate.py", "expressions.py", "field_messages.py"):
        source = (ENGINE / name).read_text()
        codes |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
        codes |= set(SINGLE_WORD_CODES.findall(source))
    playtest = (ENGINE / "playtest.py").read_text()
    codes |= set(re.findall(r'Finding\(\s*(?:"(?:error|warning)"|[a-z]+),\s*"([a-z-]+)"', playtest))
    return codes - NOT_CODES


def test_every_diagnostic_code_has_a_section_in_the_docs():
    documented = set(re.findall(r"^### `([a-z-]+)`", (REPO / "docs" / "diagnostics.md").read_text(), re.MULTILINE))
    codes = _codes()
    assert {"type", "markup", "unknown-key", "never-open", "dead-end-path", "search-limit"} <= codes
    assert codes - documented == set()


def test_the_tutorial_uses_every_authoring_command():
    text = (REPO / "docs" / "authoring.md").read_text()
    for command in ("collapse-tui new", "collapse-tui validate", "collapse-tui graph", "collapse-tui test",
                    "--watch", "--scene"):
        assert command in text
