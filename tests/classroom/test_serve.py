"""`collapse-tui serve`: the app for web browsers answers HTTP on loopback, and is stopped cleanly."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.classroom.conftest import LESSON

pytest.importorskip("textual_serve")

from collapse_tui.serve import browser_home, play_command, public_url_for  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_http_on_loopback_and_stops():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "collapse_tui", "serve", str(LESSON), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        page = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.1)
        assert page is not None, f"no answer; server said: {server.stdout.read() if server.poll() is not None else ''}"
        assert f"ws://127.0.0.1:{port}/ws" in page  # browsers are sent back to the same loopback address
        assert "collapse-tui" in page
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode is not None


def test_a_bad_story_is_reported_before_serving(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("story: {id: x, title: X, start: nowhere}\nscenes: []\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "collapse_tui", "serve", str(broken), "--port", str(free_port())],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "nowhere" in result.stderr


def test_each_browser_runs_this_python_playing_the_story(tmp_path):
    story = tmp_path / "my story"
    command = play_command(story, "zh")
    assert shlex.split(command) == [sys.executable, "-m", "collapse_tui.serve", "play", str(story), "--lang", "zh"]
    assert shlex.split(play_command(None, None, classroom=True))[-2:] == ["play", "--classroom"]


def test_each_browser_gets_a_home_of_its_own_that_is_removed_afterwards(monkeypatch):
    monkeypatch.setenv("COLLAPSE_TUI_HOME", "/the/teachers/home")
    with browser_home() as first, browser_home() as second:
        assert first != second
        assert os.environ["COLLAPSE_TUI_HOME"] == str(second)
        (second / "data").mkdir()
    assert not first.exists() and not second.exists()
    assert os.environ["COLLAPSE_TUI_HOME"] == "/the/teachers/home"


def test_a_browser_game_plays(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "collapse_tui.serve", "play", str(LESSON), "--plain", "--seed", "1", "--autoplay", "0"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "COLLAPSE_TUI_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "THE END: The flight home" in result.stdout


def test_the_public_url_is_reachable_by_the_browsers():
    assert public_url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url_for("0.0.0.0", 8000).endswith(":8000")
    assert not public_url_for("0.0.0.0", 8000).startswith("http://0.0.0.0")
    assert public_url_for("::1", 8000) == "http://[::1]:8000"
    assert public_url_for("0.0.0.0", 8000, "https://class.example/") == "https://class.example"
