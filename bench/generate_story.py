"""Synthetic stories of 1x, 5x and 15x the bundled story's size, for the load and memory benchmarks.

The shape comes from the bundled story itself: its metadata (variables, tickers, glossary), and its
scenes as templates, text, markup, feed, chat, notes, choices, conditions, effects and market directives
included, so the YAML the benchmark parses is the YAML authors write. Scene ids and targets are
rewritten into a graph that validates: each block of scenes (one "1x") runs forward with branches that
rejoin, ends in a fan of endings, and hands on to the next block; a story-wide event interrupts with a
`return: true` scene in every block. When the bundled story cannot be read, a built-in template of the
same shape is used instead.

One "1x" is the bundled story's English word count when it validates, else a nominal 20,000 words a
language (the issue's "15x is about 300k words a language").

    python bench/generate_story.py OUT_DIR --scale 15
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as Dumper, CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper, SafeLoader as Loader  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "story"
NOMINAL_UNIT_WORDS = 20_000
SCENES_PER_FILE = 8
MINUTES_PER_SCENE = 10
SCENE_REF = re.compile(r"visit(?:s|ed)\('([^']*)'\)")
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Shape:
    """What a synthetic story is built from."""

    meta: dict[str, Any]
    scenes: list[dict[str, Any]]  # templates that are not endings
    endings: list[dict[str, Any]]
    unit_words: int  # English words in one "1x"
    source: str  # where the shape came from, for the report


# --- counting -------------------------------------------------------------------------------------

def count_words(data: Any) -> dict[str, int]:
    """English words and Chinese characters in every localised text of a plain YAML document."""
    totals = {"en": 0, "zh": 0}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "en" and isinstance(value, str):
                    totals["en"] += len(value.split())
                elif key == "zh" and isinstance(value, str):
                    totals["zh"] += len(CJK.findall(value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return totals


def story_words(folder: Path) -> dict[str, int]:
    totals = {"en": 0, "zh": 0}
    for path in sorted(folder.rglob("*.yaml")):
        counted = count_words(yaml.load(path.read_bytes(), Loader=Loader))
        totals = {key: totals[key] + counted[key] for key in totals}
    return totals


# --- the shape ------------------------------------------------------------------------------------

def _bundled_validates(folder: Path) -> bool:
    try:
        from collapse_tui.engine import check_story
    except ImportError:  # pragma: no cover
        return False
    story, _ = check_story(folder)
    return story is not None


def read_shape(folder: Path = BUNDLED) -> Shape:
    """The bundled story's metadata and scenes as templates; the built-in template if it cannot be read."""
    meta = None
    scenes: list[dict[str, Any]] = []
    try:
        for path in sorted(folder.rglob("*.yaml")):
            data = yaml.load(path.read_bytes(), Loader=Loader) or {}
            if isinstance(data.get("story"), dict):
                meta = data["story"]
            scenes += [s for s in data.get("scenes") or () if isinstance(s, dict) and isinstance(s.get("text"), dict)]
    except (OSError, yaml.YAMLError):
        meta, scenes = None, []
    endings = [s for s in scenes if s.get("ending")]
    middles = [s for s in scenes if not s.get("ending") and s.get("choices")]
    if meta is None or not middles or not endings:
        return _template_shape()
    if _bundled_validates(folder):
        unit = story_words(folder)["en"]
        source = f"the bundled story ({len(scenes)} scenes, {unit:,} English words)"
    else:
        unit = NOMINAL_UNIT_WORDS
        source = (f"the bundled story's {len(scenes)} scenes as templates; it does not validate yet, so 1x is "
                  f"a nominal {unit:,} words a language")
    return Shape(meta, middles, endings, unit, source)


def _template_shape() -> Shape:
    """A realistic stand-in with the bundled story's shape: long bilingual scenes, posts, notes."""
    paragraph_en = ("The floor is quiet in the way a trading floor is never quiet: screens lit, phones face down, "
                    "a dozen people reading the same thread and pretending not to. FTT is [b]{price}[/b] and the "
                    "bid at twenty-two looks less like a floor with every refresh. Somebody has ordered noodles "
                    "for everyone and nobody has opened them. You count the withdrawals in the queue again.")
    paragraph_zh = ("交易大厅安静得不像交易大厅：屏幕都亮着，手机都扣着，十几个人读着同一条帖子，又装作没在读。"
                    "FTT 报 [b]{price}[/b]，二十二美元的买价每刷新一次，就更不像一个底。有人给大家订了面，谁也没打开。"
                    "你又数了一遍排队等提现的单子。")
    def text(price: str, paragraphs: int) -> dict[str, str]:
        return {"en": "\n\n".join([paragraph_en.format(price=price)] * paragraphs) + "\n",
                "zh": "\n\n".join([paragraph_zh.format(price=price)] * paragraphs) + "\n"}

    post = {"who": "@hk_nightdesk", "text": {"en": "Binance says it will sell all its remaining FTT.", "zh": "币安说要把剩下的 FTT 全卖了。"}}
    note = {"en": "On 6 November 2022 Binance's CEO announced it would sell its remaining FTT.",
            "zh": "2022 年 11 月 6 日，币安 CEO 宣布将卖出手中剩余的 FTT。"}
    scene = {
        "id": "t", "title": {"en": "The floor", "zh": "交易大厅"}, "place": {"en": "Alameda office", "zh": "阿拉米达办公室"},
        "basis": "mixed", "panels": ["tickers", "gauges", "feed", "chat"], "market": {"FTT": {"to": 17, "over": 60}},
        "text": text("$17.20", 8), "feed": [post, post, post], "chat": [{"who": "Daniel", "text": {"en": "you ok?", "zh": "你还好吗？"}}],
        "notes": {"history": note, "source": "CoinDesk, 2 Nov 2022", "teacher": note},
        "choices": [
            {"text": {"en": "Check the chain", "zh": "查链上数据"}, "goto": "x", "effects": ["doubt += 1"], "historical": True},
            {"text": {"en": "Ask Daniel", "zh": "问 Daniel"}, "goto": "x", "if": "doubt >= 3",
             "locked_reason": {"en": "You don't doubt enough yet.", "zh": "你的疑虑还不够。"}, "effects": ["trust += 1"]},
            {"text": {"en": "Say nothing", "zh": "什么也不说"}, "goto": "x", "effects": ["doubt -= 1"]},
        ],
    }
    ending = {k: v for k, v in scene.items() if k != "choices"}
    ending["ending"] = {"kind": "historical", "title": {"en": "The flight home", "zh": "回家的航班"}, "epilogue": note}
    meta = {
        "id": "synthetic", "title": {"en": "Synthetic", "zh": "合成"}, "locales": ["en", "zh"], "start": "x",
        "clock": {"start": "2022-11-07 21:30", "timezone": "HKT", "rate": 12},
        "variables": {"doubt": {"initial": 2, "min": 0, "max": 10, "gauge": True, "label": {"en": "Doubt", "zh": "疑虑"}},
                      "trust": {"initial": 5, "min": 0, "max": 10, "label": {"en": "Trust", "zh": "信任"}},
                      "queue": {"initial": 400, "min": 0, "max": 8000, "gauge": True, "unit": "$M", "label": {"en": "Queue", "zh": "排队"}}},
        "tickers": {"FTT": {"name": {"en": "FTX Token", "zh": "FTX 平台币"}, "price": 22.4, "volatility": 0.06,
                            "reversion": 1.5, "reacts": {"queue": -0.00002}},
                    "BTC": {"name": {"en": "Bitcoin", "zh": "比特币"}, "price": 20600, "volatility": 0.012}},
    }
    return Shape(meta, [scene], [ending], NOMINAL_UNIT_WORDS, "the built-in template (the bundled story could not be read)")


# --- building -------------------------------------------------------------------------------------

def _scene_id(unit: int, index: int) -> str:
    return f"u{unit:02d}_s{index:03d}"


def _time(minutes: int, start: str) -> str:
    from datetime import datetime, timedelta

    moment = datetime.strptime(start, "%Y-%m-%d %H:%M") + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%d %H:%M")


def _rewrite_refs(expression: str, earlier: str) -> str:
    """Scene references in a condition or effect point at an earlier scene of the synthetic story."""
    return SCENE_REF.sub(lambda m: m.group(0).replace(f"'{m.group(1)}'", f"'{earlier}'"), expression)


def _scene_words(template: dict[str, Any]) -> int:
    return max(1, count_words(template)["en"])


def build_story(shape: Shape, scale: float) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
    """The metadata and the scenes of a synthetic story, in files of SCENES_PER_FILE scenes."""
    mean_words = sum(_scene_words(t) for t in shape.scenes + shape.endings) / len(shape.scenes + shape.endings)
    per_unit = max(len(shape.endings) + 3, round(shape.unit_words / mean_words))
    units = max(1, round(scale))
    per_unit = max(len(shape.endings) + 3, round(per_unit * scale / units))
    endings_per_unit = len(shape.endings)
    middles_per_unit = per_unit - endings_per_unit - 1  # one interruption scene per unit
    meta = copy.deepcopy(shape.meta)
    clock_start = (meta.get("clock") or {}).get("start", "2022-11-07 21:30")
    meta["start"] = _scene_id(0, 0)
    meta["events"] = []
    glossary = meta.get("glossary") or []
    meta["glossary"] = [dict(entry, id=f"{entry['id']}_{unit}") for unit in range(units) for entry in glossary]
    numeric = [name for name, v in (meta.get("variables") or {}).items() if not isinstance(v.get("initial"), bool)]
    first_symbol = next(iter(meta.get("tickers") or {"FTT": None}))
    files: list[list[dict[str, Any]]] = []
    minute = 0
    template_index = 0
    for unit in range(units):
        scenes: list[dict[str, Any]] = []
        ending_ids = [_scene_id(unit, middles_per_unit + k) for k in range(endings_per_unit)]
        interrupt_id = _scene_id(unit, per_unit - 1)
        next_unit = _scene_id(unit + 1, 0) if unit + 1 < units else None
        for index in range(middles_per_unit):
            template = copy.deepcopy(shape.scenes[template_index % len(shape.scenes)])
            template_index += 1
            scene_id = _scene_id(unit, index)
            earlier = _scene_id(unit, max(0, index - 1))
            template["id"] = scene_id
            template["time"] = _time(minute, clock_start)
            minute += MINUTES_PER_SCENE
            template.pop("events", None)
            template["on_enter"] = [_rewrite_refs(e, earlier) for e in template.get("on_enter") or ()]
            if index == middles_per_unit - 1:
                targets = ending_ids + ([next_unit] if next_unit else [])
                base = next((c for c in template["choices"] if "if" not in c), template["choices"][0])
                template["choices"] = [dict(copy.deepcopy(base), goto=target) for target in targets]
                for choice in template["choices"]:
                    choice.pop("return", None)
            else:
                last_middle = middles_per_unit - 1
                for k, choice in enumerate(template["choices"]):
                    choice.pop("return", None)
                    choice["goto"] = _scene_id(unit, min(last_middle, index + 1 + k % 2))
            for choice in template["choices"]:
                if "if" in choice:
                    choice["if"] = _rewrite_refs(choice["if"], earlier)
                choice["effects"] = [_rewrite_refs(e, earlier) for e in choice.get("effects") or ()]
                choice.pop("timeout", None)
            if index == 1 and numeric:
                template["choices"][0]["timeout"] = 45
            scenes.append(template)
        for k, ending_id in enumerate(ending_ids):
            ending = copy.deepcopy(shape.endings[k % len(shape.endings)])
            ending["id"] = ending_id
            ending["time"] = _time(minute, clock_start)
            ending.pop("events", None)
            ending.pop("on_enter", None)
            scenes.append(ending)
        interrupt = copy.deepcopy(shape.scenes[template_index % len(shape.scenes)])
        template_index += 1
        interrupt.update(id=interrupt_id, time=None, on_enter=[f"{numeric[0]} += 1"] if numeric else [])
        interrupt.pop("time")
        interrupt.pop("events", None)
        interrupt["choices"] = [{"text": {"en": "Back to the desk", "zh": "回到座位"}, "return": True}]
        scenes.append(interrupt)
        meta["events"].append({
            "id": f"shock_{unit}", "goto": interrupt_id,
            "when": f"{first_symbol} < 14 and visited('{_scene_id(unit, 1)}') and not visited('{_scene_id(unit, middles_per_unit - 1)}')",
        })
        files += [scenes[i:i + SCENES_PER_FILE] for i in range(0, len(scenes), SCENES_PER_FILE)]
    return meta, files


def write_story(out: Path, scale: float, shape: Shape | None = None) -> dict[str, Any]:
    """Write a synthetic story of `scale` times the bundled one into `out` (replaced); returns its size."""
    shape = shape or read_shape()
    meta, files = build_story(shape, scale)
    if out.exists():
        shutil.rmtree(out)
    (out / "scenes").mkdir(parents=True)
    header = "# yaml-language-server: $schema=../docs/story.schema.json\n# A synthetic story for the benchmarks.\n"
    (out / "story.yaml").write_text(header + yaml.dump({"story": meta}, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    for number, scenes in enumerate(files):
        text = yaml.dump({"scenes": scenes}, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)
        (out / "scenes" / f"{number:03d}.yaml").write_text(header + text, encoding="utf-8")
    words = story_words(out)
    paths = sorted(out.rglob("*.yaml"))
    return {"scale": scale, "scenes": sum(len(f) for f in files), "files": len(paths),
            "bytes": sum(p.stat().st_size for p in paths), "words_en": words["en"], "chars_zh": words["zh"],
            "source": shape.source}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    info = write_story(args.out, args.scale)
    print(f"{args.out}: {info['scenes']} scenes in {info['files']} files, {info['bytes'] / 1e6:.1f} MB, "
          f"{info['words_en']:,} English words, {info['chars_zh']:,} Chinese characters (shape: {info['source']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
