"""The bundled story: complete, consistent, in both languages, and every ending replays as stored."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

from collapse_tui.bundled import bundled_story_path
from collapse_tui.engine import Engine, check_story
from collapse_tui.engine.analysis import count_words, story_statistics
from collapse_tui.engine.model import ALL_LOCALES
from collapse_tui.plain import PlainPlayer

HERE = Path(__file__).parent
PLAYTHROUGHS = yaml.safe_load((HERE / "playthroughs.yaml").read_text())["playthroughs"]
KEY_SCENES = [
    "taxi_twitter", "hotel_checkin", "the_order", "first_recall", "floor_breaks", "group_chat", "second_routing",
    "last_chance", "third_routing", "reaction", "allhands_start", "allhands_questions", "decision",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def story():
    loaded, diagnostics = check_story(bundled_story_path())
    assert loaded is not None, "\n".join(str(d) for d in diagnostics.items)
    return loaded


def test_the_story_validates_without_errors_or_warnings():
    _, diagnostics = check_story(bundled_story_path())
    assert [str(d) for d in diagnostics.items] == []


def test_the_story_has_the_promised_scale(story):
    stats = story_statistics(story)
    assert stats["scenes"] >= 45
    assert stats["endings"] >= 6
    scene_words = sum(count_words(scene.model.text["en"]) for scene in story.scenes.values())
    assert scene_words >= 20_000


def test_both_languages_cover_every_text(story):
    assert story.locales == ("en", "zh")
    assert story_statistics(story)["translated"] == 1.0
    untranslated = []
    for scene in story.scenes.values():
        texts = [scene.model.text] + [c.model.text for c in scene.choices]
        for text in filter(None, texts):
            assert ALL_LOCALES not in text
            if not CJK.search(text["zh"]) and re.search(r"[A-Za-z]{3}", text["zh"]):
                untranslated.append((scene.id, text["zh"][:40]))
    assert untranslated == []


def test_every_reported_fact_has_a_note_and_a_source(story):
    for scene in story.scenes.values():
        if scene.model.basis in ("history", "mixed"):
            notes = scene.model.notes
            assert notes and notes.history and notes.source, scene.id


def test_key_choices_carry_a_discussion_prompt_and_a_teacher_note(story):
    for scene_id in KEY_SCENES:
        notes = story.scenes[scene_id].model.notes
        assert notes and notes.discuss and notes.teacher, scene_id


def test_the_glossary_explains_the_terms_a_newcomer_meets(story):
    ids = {entry.id for entry in story.glossary}
    assert {"ftt", "collateral", "liquidation", "buy_wall", "loi", "chapter_11", "customer_funds", "bank_run"} <= ids


def test_endings_include_the_historical_one_with_an_epilogue(story):
    endings = [scene for scene in story.scenes.values() if scene.is_ending]
    assert "historical" in {scene.model.ending.kind for scene in endings}
    assert all(scene.model.ending.epilogue for scene in endings)
    assert {p["ending"] for p in PLAYTHROUGHS} == {scene.id for scene in endings}


QUANTITY = r"(?P<q>\d[\d,.]*)(?P<qm> million)? FTT"
PRICE = r"(?:x|×|at) (?:about )?\$(?P<p>\d[\d.]*)"
VALUE = r"\$(?P<v>\d[\d,.]*) ?(?P<vm>million|billion|M|B)\b"
ORDER = re.compile(QUANTITY + r" " + PRICE + r"[^$]{0,40}?" + VALUE)
SCALE = {None: 1, " million": 1e6, "million": 1e6, "M": 1e6, "billion": 1e9, "B": 1e9}


def english_texts(story):
    for scene in story.scenes.values():
        model = scene.model
        yield scene.id, "text", model.text["en"]
        for choice in model.choices:
            yield scene.id, "choice", choice.text["en"]
        for post in model.feed + model.chat:
            yield scene.id, "post", post.text["en"]
        if model.notes:
            for kind in ("teacher", "history"):
                note = getattr(model.notes, kind)
                if note:
                    yield scene.id, kind, note["en"]


def test_the_story_numbers_add_up(story):
    """An order's size times its price is the value the text gives (within rounding)."""
    checked = 0
    for scene_id, kind, text in english_texts(story):
        for match in ORDER.finditer(text):
            quantity = float(match["q"].replace(",", "")) * SCALE[match["qm"]]
            value = float(match["v"].replace(",", "")) * SCALE[match["vm"]]
            assert quantity * float(match["p"]) == pytest.approx(value, rel=0.08), (scene_id, match.group(0))
            checked += 1
        if "$140 million" in text or "$140M" in text:
            assert kind == "teacher", f"{scene_id}: the account's wrong $140M may appear only in a teacher note"
    assert checked >= 3


def test_the_historical_path_reaches_the_historical_ending_for_many_seeds(story):
    engine = Engine(story)
    for seed in range(8):
        state = engine.new_game(seed)
        while not engine.is_ending(state):
            open_views = [v for v in engine.choices(state) if v.available]
            view = next((v for v in open_views if v.choice.model.historical), open_views[0])
            state = engine.choose(state, view.index)
        assert story.scenes[state.scene].model.ending.kind == "historical"


@pytest.mark.parametrize("playthrough", PLAYTHROUGHS, ids=[p["name"] for p in PLAYTHROUGHS])
def test_each_ending_replays_as_its_stored_transcript(story, playthrough, tmp_path, request):
    transcript = tmp_path / "run.md"
    stdin = io.StringIO("".join(f"{n}\n" for n in playthrough["inputs"]))
    player = PlainPlayer(story, locale=playthrough["lang"], seed=playthrough["seed"], transcript=transcript,
                         stdin=stdin, stdout=io.StringIO())
    assert player.run() == 0
    assert player.session.state.scene == playthrough["ending"]
    stored = HERE / "transcripts" / f"{playthrough['name']}.md"
    if request.config.getoption("--update-transcripts"):
        stored.write_text(transcript.read_text(encoding="utf-8"), encoding="utf-8")
    assert transcript.read_text(encoding="utf-8") == stored.read_text(encoding="utf-8")
