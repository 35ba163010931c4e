"""The cache of compiled stories: a cached story is the same story (its warnings too); a changed file, a
changed engine or a damaged, doctored or foreign entry means an ordinary load; entries are JSON, never
anything that could run; a broken story is never cached, so its diagnostics always come fresh."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collapse_tui.engine import StoryError, load_story
from collapse_tui.engine import cache as story_cache
from collapse_tui.engine.cache import CachedScenes, cache_dir, story_key
from collapse_tui.plain import PlainPlayer

from .conftest import FEATURES, MINI

BUNDLED = Path(__file__).resolve().parents[2] / "story"


def compiled(story) -> dict:
    """Everything a story holds, with expressions by their source (compiled closures differ by identity)."""
    def event(e):
        return (e.id, e.condition.source, e.goto, e.once, e.position)

    def scene(s):
        return (s.model, [e.source for e in s.on_enter], s.time, s.position, [event(e) for e in s.events],
                [(c.index, c.model, c.condition and c.condition.source, [e.source for e in c.effects], c.position)
                 for c in s.choices])

    fields = {f.name: getattr(story, f.name) for f in dataclasses.fields(story)}
    fields["scenes"] = [(scene_id, scene(s)) for scene_id, s in story.scenes.items()]
    fields["events"] = [event(e) for e in story.events]
    return fields


def entries() -> list[Path]:
    return sorted(cache_dir().glob("*.json")) if cache_dir().is_dir() else []


def transcript(story, answers: str) -> str:
    out = io.StringIO()
    PlainPlayer(story, locale="en", seed=11, stdin=io.StringIO(answers), stdout=out).run()
    return out.getvalue()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the features story, as a folder that tests may edit."""
    target = tmp_path / "story"
    target.mkdir()
    shutil.copy(FEATURES, target / "story.yaml")
    return target


def test_a_cached_story_is_the_same_story(folder):
    fresh = load_story(folder)
    load_story(folder, cache=True)
    cached = load_story(folder, cache=True)
    assert isinstance(cached.scenes, CachedScenes) and len(entries()) == 1
    assert compiled(cached) == compiled(fresh)
    assert transcript(cached, "1\n2\n3\n1\n") == transcript(fresh, "1\n2\n3\n1\n")


def test_the_bundled_story_comes_back_the_same_when_it_validates():
    try:
        fresh = load_story(BUNDLED)
    except StoryError:
        pytest.skip("the bundled story does not validate yet")
    load_story(BUNDLED, cache=True)
    assert compiled(load_story(BUNDLED, cache=True)) == compiled(fresh)


def test_a_cached_story_keeps_its_warnings(tmp_path):
    path = tmp_path / "warned.yaml"
    path.write_text("story: {id: w, title: W, start: a}\nscenes:\n"
                    "  - {id: a, text: A, choices: [{text: go, goto: b}]}\n"
                    "  - {id: b, text: B, ending: {title: End}}\n"
                    "  - {id: lost, text: L, ending: {title: End}}\n")
    fresh = load_story(path)
    assert [w.code for w in fresh.warnings] == ["unreachable"]
    load_story(path, cache=True)
    assert load_story(path, cache=True).warnings == fresh.warnings


def test_a_broken_story_is_never_cached_and_reports_every_time(folder):
    text = (folder / "story.yaml").read_text().replace("goto: home", "goto: hom")
    (folder / "story.yaml").write_text(text)
    for _ in range(2):
        with pytest.raises(StoryError) as raised:
            load_story(folder, cache=True)
        assert "unknown-scene" in [d.code for d in raised.value.diagnostics]
    assert entries() == []


def test_an_edited_file_is_loaded_afresh(folder):
    load_story(folder, cache=True)
    path = folder / "story.yaml"
    path.write_text(path.read_text().replace("The office.", "The edited office."))
    story = load_story(folder, cache=True)
    assert story.scenes["office"].model.text["en"] == "The edited office."
    assert len(entries()) == 2


def test_a_file_added_to_the_folder_changes_the_key(folder):
    before = story_key(folder)
    (folder / "glossary.yaml").write_text("glossary:\n  - {id: g, term: G, text: T}\n")
    assert story_key(folder) != before
    assert [g.id for g in load_story(folder, cache=True).glossary] == ["g"]


def test_a_changed_engine_does_not_use_the_old_entries(folder, monkeypatch):
    before = story_key(folder)
    monkeypatch.setattr(story_cache, "_engine_fingerprint", lambda: b"another engine")
    assert story_key(folder) != before


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other key", "body", "pickle", "empty", "header only"])
def test_a_damaged_entry_is_ignored_and_replaced(folder, damage):
    fresh = load_story(folder)
    load_story(folder, cache=True)
    [entry] = entries()
    content = entry.read_bytes()
    header, _, body = content.partition(b"\n")
    damaged = {
        "truncate": content[: len(content) // 2],
        "garbage": b"\x00\xff" * 100,
        "other key": header.replace(entry.stem.encode(), b"0" * 64) + b"\n" + body,
        "body": header + b"\n" + body.replace(b"office", b"offica", 1),
        "pickle": b"\x80\x04\x95" + content,  # a pickle's opening bytes: never unpickled, only refused
        "empty": b"",
        "header only": header,
    }[damage]
    entry.write_bytes(damaged)
    story = load_story(folder, cache=True)
    assert compiled(story) == compiled(fresh)
    assert entry.read_bytes() == content  # written afresh


def test_a_doctored_entry_cannot_smuggle_an_expression(folder):
    load_story(folder, cache=True)
    [entry] = entries()
    header_bytes, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(header_bytes)
    blobs = []
    for item in header["scenes"]:  # every scene re-indexed, with digests that match (as a forger would)
        _, offset, length, _ = item
        blob = body[offset:offset + length].replace(b'"cash > 90"', b'"__import__(\'os\').system(\'x\')"')
        item[1:] = [sum(map(len, blobs)), len(blob), story_cache._blob_digest(blob)]
        blobs.append(blob)
    body = b"".join(blobs)
    assert b"__import__" in body
    header["body"] = len(body)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    story = load_story(folder, cache=True)
    choice = story.scenes["office"].choices[2]  # rebuilt from the files, not from the entry
    assert choice.condition.source == "cash > 90"


def test_a_doctored_entry_with_a_value_of_the_wrong_type_is_refused(folder):
    fresh = load_story(folder)
    load_story(folder, cache=True)
    [entry] = entries()
    header_bytes, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(header_bytes)
    symbol = next(iter(header["meta"]["tickers"]))
    header["meta"]["tickers"][symbol]["price"] = "free"
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert compiled(load_story(folder, cache=True)) == compiled(fresh)


def imported_by_a_cached_start(folder: Path, watched: set[str]) -> list[str]:
    """Which of the `watched` packages a fresh process imports to start the story at `folder`."""
    code = ("import json, sys; from collapse_tui.engine import load_story; "
            f"story = load_story({str(folder)!r}, cache=True); story.scenes[story.meta.start]; "
            f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(watched)!r}))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def test_a_cached_start_imports_neither_yaml_nor_the_validator(folder):
    """What makes a cached start fast: the story comes from JSON, checked by plain Python."""
    load_story(folder, cache=True)
    assert imported_by_a_cached_start(folder, {"pydantic", "pydantic_core", "yaml"}) == []
    assert len(entries()) == 1


# --- the index of what the files look like -------------------------------------------------------------

@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (a test's files are seconds old at most)."""
    monkeypatch.setattr(story_cache, "SETTLED_NS", 0)


def no_content_keys(monkeypatch) -> list:
    made = []
    real = story_cache.story_key
    monkeypatch.setattr(story_cache, "story_key", lambda root: made.append(root) or real(root))
    return made


def test_unchanged_files_find_their_entry_without_being_read(folder, settled, monkeypatch):
    fresh = load_story(folder)
    load_story(folder, cache=True)
    made = no_content_keys(monkeypatch)
    assert compiled(load_story(folder, cache=True)) == compiled(fresh)
    assert made == []  # the key came from the index: no file was read or hashed


def test_files_just_changed_are_not_indexed(folder):
    load_story(folder, cache=True)  # (the copy is a moment old: it might change again in the same tick)
    assert not (cache_dir() / story_cache.INDEX_NAME).exists()
    assert len(entries()) == 1


def test_an_edit_of_the_same_size_is_seen(folder, settled, monkeypatch):
    path = folder / "story.yaml"
    os.utime(path, ns=(10**18, 10**18))  # written long ago (as far as its times say)
    load_story(folder, cache=True)
    path.write_text(path.read_text().replace("The office.", "The offices"))
    made = no_content_keys(monkeypatch)
    assert load_story(folder, cache=True).scenes["office"].model.text["en"] == "The offices"
    assert made  # the files no longer looked as indexed: their content was read


def test_the_index_tells_working_folders_apart(folder, settled, monkeypatch):
    """The shown paths of a story depend on the working folder, and so does what the index is asked."""
    monkeypatch.chdir(folder.parent)
    assert load_story(folder, cache=True).files == (os.path.join("story", "story.yaml"),)
    monkeypatch.chdir(folder)  # (the same absolute path to the same files)
    assert load_story(folder, cache=True).files == ("story.yaml",)


@pytest.mark.parametrize("damage", ["garbage", "wrong shape", "missing entry", "someone else's"])
def test_a_damaged_or_foreign_index_is_ignored(folder, settled, monkeypatch, damage):
    fresh = load_story(folder)
    load_story(folder, cache=True)
    index = cache_dir() / story_cache.INDEX_NAME
    if damage == "garbage":
        index.write_bytes(b"\x00[[")
    elif damage == "wrong shape":
        index.write_text(json.dumps({"a": 1}))
    elif damage == "missing entry":
        [entry] = entries()
        entry.unlink()
    else:
        monkeypatch.setattr(os, "getuid", lambda: os.stat(index).st_uid + 1)
    made = no_content_keys(monkeypatch)
    assert compiled(load_story(folder, cache=True)) == compiled(fresh)
    assert made  # the key was made from the files again


def test_an_indexed_start_imports_no_hash_function(folder, settled):
    """Only finding the key from the files' content needs hashlib (and its OpenSSL), or reads them."""
    load_story(folder, cache=True)
    assert imported_by_a_cached_start(folder, {"hashlib", "_hashlib", "yaml"}) == []


def test_an_entry_owned_by_someone_else_is_not_read(folder, monkeypatch):
    load_story(folder, cache=True)
    monkeypatch.setattr(os, "getuid", lambda: 12345)
    read = []
    monkeypatch.setattr(story_cache, "story_from_entry", lambda *args: read.append(args))
    load_story(folder, cache=True)
    assert read == []


def test_entries_are_plain_json_in_the_cache_folder_under_the_home(folder, tmp_path):
    load_story(folder, cache=True)
    assert cache_dir() == Path(os.environ["COLLAPSE_TUI_HOME"]) / "cache"
    [entry] = entries()
    header, _, body = entry.read_bytes().partition(b"\n")
    assert json.loads(header)["format"] == "collapse-tui-story-cache"
    assert oct(entry.stat().st_mode & 0o777) == "0o600"


def test_only_a_few_entries_are_kept(tmp_path):
    for number in range(story_cache.MAX_ENTRIES + 3):
        path = tmp_path / f"s{number}.yaml"
        path.write_text(MINI.read_text().replace("id: mini", f"id: mini{number}"))
        load_story(path, cache=True)
    assert len(entries()) == story_cache.MAX_ENTRIES


def test_scenes_are_rebuilt_only_when_asked_for(folder):
    load_story(folder, cache=True)
    story = load_story(folder, cache=True)
    assert repr(story.scenes) == "CachedScenes(0 of 4 built)"
    story.scene("office")
    assert repr(story.scenes) == "CachedScenes(1 of 4 built)"
    assert "night" in story.scenes and len(story.scenes) == 4 and "nowhere" not in story.scenes
    with pytest.raises(KeyError):
        story.scenes["nowhere"]


def test_a_scene_that_fails_to_rebuild_is_taken_from_the_files(folder, monkeypatch):
    load_story(folder, cache=True)
    story = load_story(folder, cache=True)
    monkeypatch.setattr(story_cache._Compiler, "scene", lambda self, item: (_ for _ in ()).throw(ValueError("bad")))
    assert story.scenes["night"].model.id == "night"


def test_an_unwritable_cache_folder_still_plays(folder, monkeypatch):
    monkeypatch.setattr(story_cache, "cache_dir", lambda: Path("/proc/no-such-place"))
    assert load_story(folder, cache=True).meta.id == "features"


def test_the_play_command_uses_the_cache(tmp_path):
    command = [str(Path(sys.executable).with_name("collapse-tui")), "play", str(MINI), "--plain", "--seed", "3"]
    first = subprocess.run(command, input="1\n1\n", capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert len(entries()) == 1
    second = subprocess.run(command, input="1\n1\n", capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert second.stdout == first.stdout and len(entries()) == 1
