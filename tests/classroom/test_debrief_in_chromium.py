"""The exported HTML debrief opened in headless Chromium: it loads standalone, the charts are in the DOM,
and a full-page screenshot is produced (set COLLAPSE_TUI_SCREENSHOTS=DIR to keep it and look at it).
Skipped when no Chromium is installed (`apt-get install chromium`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from collapse_tui.debrief_export import ClassVote, VoteOption, write_debrief

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((path for path in map(shutil.which, BROWSERS) if path), None)

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed")


def headless(*arguments: str, profile: Path) -> subprocess.CompletedProcess:
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


@pytest.fixture
def debrief_page(lesson_session, tmp_path) -> Path:
    session = lesson_session
    session.choose(1)
    session.wait(30)
    session.choose(0)
    session.wait(30)
    session.choose(0)
    votes = [
        ClassVote("arrival", 0, 0, (VoteOption(0, 1, "Check the on-chain flows", 11), VoteOption(1, 2, "Believe the floor", 14, True)), 1),
        ClassVote("the_order", 1, 0, (VoteOption(0, 1, "Help place the order", 9, True), VoteOption(1, 2, "Question the order", 9),
                                      VoteOption(2, 3, "Leave for lunch", 7)), 0, tie_broken=True),
        ClassVote("the_tweet", 2, 0, (VoteOption(0, 1, "Fly home", 18, True), VoteOption(1, 2, "Call a journalist", 7)), 0),
    ]
    assert session.finished
    _, page = write_debrief(tmp_path, session.engine, session.state, "en", votes, datetime(2024, 3, 5, 10, 30))
    return page


def test_the_debrief_page_loads_in_chromium_with_its_charts(debrief_page, tmp_path):
    result = headless("--dump-dom", debrief_page.as_uri(), profile=tmp_path / "profile-dom")
    dom = result.stdout
    assert "<h1>Lesson fixture: Class debrief</h1>" in dom
    assert dom.count("<svg") == 4
    assert dom.count('class="vote"') == 3
    assert "tie broken by the presenter" in dom


def test_a_screenshot_of_the_debrief_page(debrief_page, tmp_path):
    shot = tmp_path / "debrief.png"
    headless(f"--screenshot={shot}", "--window-size=900,3000", debrief_page.as_uri(), profile=tmp_path / "profile-shot")
    assert shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 30_000  # a blank page compresses to a few kilobytes
    keep = os.environ.get("COLLAPSE_TUI_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "debrief.png")
        shutil.copy(debrief_page, Path(keep) / "debrief.html")
