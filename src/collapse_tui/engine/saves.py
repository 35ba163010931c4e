"""Saved games: versioned JSON written atomically (temp file + rename) under the user's data folder, or
under $COLLAPSE_TUI_HOME. A save that is corrupt, from a newer version or for another story is reported
with a clear message and left exactly as it was."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from collapse_tui.engine.files import user_folder, write_atomically
from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.market import MarketState, TickerState
from collapse_tui.engine.runtime import GameState, LogEntry, Session
from collapse_tui.engine.story import Story

SAVE_FORMAT = "collapse-tui-save"
SAVE_VERSION = 1
MAX_SAVE_BYTES = 16 * 1024 * 1024
MAX_CLOCK_MS = 10 * 366 * 24 * 3600 * 1000  # ten years of story time: no game runs longer


class SaveError(Exception):
    """A save that cannot be written or read; the message says why, for the player."""


@frozen
class SaveInfo:
    path: Path
    slot: int  # 0 is the autosave
    scene_id: str
    saved_at: str
    turns: int


def data_dir() -> Path:
    return user_folder("data")


def saves_dir() -> Path:
    return data_dir() / "saves"


def autosave_path(story_id: str) -> Path:
    return saves_dir() / story_id / "autosave.json"


def slot_path(story_id: str, slot: int) -> Path:
    return saves_dir() / story_id / f"slot-{slot}.json"


def state_to_json(state: GameState) -> dict[str, Any]:
    market = state.market
    return {
        "story_id": state.story_id,
        "seed": state.seed,
        "scene": state.scene,
        "variables": dict(state.variables),
        "visits": dict(state.visits),
        "taken": sorted([scene, index] for scene, index in state.taken),
        "fired": sorted(state.fired),
        "clock_ms": state.clock_ms,
        "scene_entered_ms": state.scene_entered_ms,
        "turns": state.turns,
        "return_to": [[scene, enter] for scene, enter in state.return_to],
        "log": [[e.scene, e.time_ms, e.via, e.choice, e.event] for e in state.log],
        "market": {
            "seed": market.seed,
            "time_ms": market.time_ms,
            "tickers": [[t.log_price, t.ramp_from, t.ramp_to, t.ramp_start, t.ramp_end, t.noise_scale, t.day_open, t.bias] for t in market.tickers],
            "recent": [list(r) for r in market.recent],
            "chart": [[t, list(p)] for t, p in market.chart],
            "chart_every": market.chart_every,
        },
    }


def state_from_json(data: dict[str, Any]) -> GameState:
    market = data["market"]
    return GameState(
        story_id=str(data["story_id"]),
        seed=int(data["seed"]),
        scene=str(data["scene"]),
        variables=dict(data["variables"]),
        visits={str(k): int(v) for k, v in data["visits"].items()},
        taken=frozenset((str(scene), int(index)) for scene, index in data["taken"]),
        fired=frozenset(str(e) for e in data["fired"]),
        clock_ms=int(data["clock_ms"]),
        scene_entered_ms=int(data["scene_entered_ms"]),
        turns=int(data["turns"]),
        return_to=tuple((str(scene), bool(enter)) for scene, enter in data["return_to"]),
        log=tuple(LogEntry(str(s), int(t), via, choice, event) for s, t, via, choice, event in data["log"]),
        market=MarketState(
            seed=int(market["seed"]),
            time_ms=int(market["time_ms"]),
            tickers=tuple(TickerState(*(float(x) for x in t)) for t in market["tickers"]),
            recent=tuple(tuple(float(x) for x in r) for r in market["recent"]),
            chart=tuple((int(t), tuple(float(x) for x in p)) for t, p in market["chart"]),
            chart_every=int(market["chart_every"]),
        ),
    )


def save_game(path: Path, session: Session) -> None:
    """Write the session's game atomically: the old file survives any failure."""
    payload = {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "story": session.story.meta.id,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "state": state_to_json(session.state),
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    path = Path(path)
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        raise SaveError(f"could not save to {path}: {error.strerror or error}") from None


def read_save(path: Path) -> dict[str, Any]:
    """The checked payload of a save file, or SaveError; the file is never modified."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path} is too large to be a save file")
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SaveError(f"there is no save at {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SaveError(f"{path} is damaged and cannot be read ({error}); it was left as it is") from None
    if not isinstance(payload, dict) or payload.get("format") != SAVE_FORMAT:
        raise SaveError(f"{path} is not a collapse-tui save; it was left as it is")
    version = payload.get("version")
    if not isinstance(version, int) or version > SAVE_VERSION:
        raise SaveError(f"{path} was written by a newer version of collapse-tui (save format {version}); update to load it")
    return payload


def load_game(path: Path, story: Story) -> GameState:
    """Read a save for this story, or raise SaveError saying why not."""
    payload = read_save(path)
    if payload.get("story") != story.meta.id:
        raise SaveError(f"{path} is a save of another story ('{payload.get('story')}'), not '{story.meta.id}'")
    try:
        state = state_from_json(payload["state"])
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as error:
        raise SaveError(f"{path} is damaged ({type(error).__name__}: {error}); it was left as it is") from None
    if state.scene not in story.scenes:
        raise SaveError(f"{path} is at scene '{state.scene}', which this version of the story no longer has")
    if len(state.market.tickers) != len(story.meta.tickers):
        raise SaveError(f"{path} was saved with other tickers than this version of the story has")
    _check_references(path, state, story)
    # The story's variables, each of its type (a new one starts at its initial value; one the story no
    # longer has is dropped): a doctored save must not carry a list into an expression.
    variables = {}
    for name, variable in story.meta.variables.items():
        value = state.variables.get(name, variable.initial)
        if isinstance(value, bool) != isinstance(variable.initial, bool) or not isinstance(value, (bool, int, float)):
            raise SaveError(f"{path} is damaged (the variable '{name}' holds {value!r}); it was left as it is")
        variables[name] = value
    return replace(state, variables=variables)


def _check_references(path: Path, state: GameState, story: Story) -> None:
    """Every scene and choice a save names must be in the story (the history, the debrief and the
    transcript look them up)."""
    scenes = [scene for scene, _ in state.return_to] + [entry.scene for entry in state.log]
    gone = next((scene for scene in scenes if scene not in story.scenes), None)
    if gone is not None:
        raise SaveError(f"{path} names the scene '{gone}', which this version of the story no longer has")
    clocks = [state.clock_ms, state.scene_entered_ms, state.market.time_ms] + [entry.time_ms for entry in state.log]
    if not all(0 <= clock <= MAX_CLOCK_MS for clock in clocks):
        raise SaveError(f"{path} is damaged (its clock is outside the story's time); it was left as it is")
    for index, entry in enumerate(state.log):
        choice_fits = entry.choice is None or (
            type(entry.choice) is int and index > 0 and 0 <= entry.choice < len(story.scenes[state.log[index - 1].scene].choices))
        if entry.via not in ("start", "choice", "event", "return", "jump") or not choice_fits \
                or not (entry.event is None or isinstance(entry.event, str)):
            raise SaveError(f"{path} is damaged (its history does not fit this story); it was left as it is")


def list_saves(story_id: str) -> list[SaveInfo]:
    """The readable saves of a story, the autosave first, then slots in order."""
    folder = saves_dir() / story_id
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        if path.stem == "autosave":
            slot = 0
        elif path.stem.startswith("slot-") and path.stem[5:].isdigit():
            slot = int(path.stem[5:])
        else:
            continue
        try:
            payload = read_save(path)
            state = payload["state"]
            found.append(SaveInfo(path, slot, str(state["scene"]), str(payload.get("saved_at", "")), int(state["turns"])))
        except (SaveError, KeyError, TypeError, ValueError):
            continue
    return sorted(found, key=lambda info: info.slot)
