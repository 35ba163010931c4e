"""Problems found in a story, reported like a compiler: `path:line:col: severity: message  [code]`."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Sequence

from collapse_tui.engine.frozen import frozen


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@frozen(order=True)
class SourcePosition:
    """Where a YAML node starts: 1-based line and column, as editors count."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@frozen
class Diagnostic:
    """One problem: where, how bad, what, and a stable code that tests and docs refer to."""

    position: SourcePosition
    severity: Severity
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.position}: {self.severity.value}: {self.message}  [{self.code}]"

    def as_json(self) -> dict:
        return {
            "path": self.position.path,
            "line": self.position.line,
            "column": self.position.column,
            "severity": self.severity.value,
            "message": self.message,
            "code": self.code,
        }


@dataclass
class DiagnosticList:
    """Collects diagnostics while a story is loaded and checked, so all of them are reported at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, position: SourcePosition, message: str, code: str) -> None:
        self.items.append(Diagnostic(position, Severity.ERROR, message, code))

    def warning(self, position: SourcePosition, message: str, code: str) -> None:
        self.items.append(Diagnostic(position, Severity.WARNING, message, code))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.position, d.severity.value, d.message))


class StoryError(Exception):
    """A story that cannot be played; carries every diagnostic found, errors and warnings alike."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        super().__init__("\n".join(str(d) for d in errors) or "story error")


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix when a close candidate exists, else ''."""
    candidates = list(candidates)
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not matches:  # the same letters in another order or case: 'hz' for 'zh', 'Cash' for 'cash'
        matches = [c for c in candidates if sorted(c.lower()) == sorted(word.lower()) and c != word][:1]
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def format_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str = "text") -> str:
    if output_format == "json":
        return json.dumps([d.as_json() for d in diagnostics], ensure_ascii=False, indent=2)
    return "\n".join(str(d) for d in diagnostics)
