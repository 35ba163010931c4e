"""The line-mode player: the accessible way to play (screen readers, pipes, scripts). One scene at a time,
numbered choices one per line, a number per input line; no box drawing, no colour when stdout is not a
terminal or NO_COLOR is set; end of input quits cleanly."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import IO, Optional

from rich.console import Console

from collapse_tui.engine import PlayError, Session, Story
from collapse_tui.engine.views import SceneView, scene_view
from collapse_tui.transcript import plain_text, write_transcript

MESSAGES = {
    "en": {
        "prompt": "> ",
        "help": "Type the number of a choice and press Enter. u: undo, q: quit, h: this help.",
        "bad": "Please type a number from 1 to {n} (u to undo, q to quit).",
        "locked": "That choice is locked: {reason}",
        "undone": "(Undone: back one choice.)",
        "nothing_to_undo": "(Nothing to undo.)",
        "bye": "Goodbye.",
        "prices": "Prices",
        "choices": "Choices",
        "locked_tag": "locked",
        "interrupted": "Interrupted: {event}",
        "the_end": "THE END",
        "seed": "Seed {seed}. Type h for help.",
        "auto": "(autoplay chooses {n})",
        "error": "Error in the story: {message}",
    },
    "zh": {
        "prompt": "> ",
        "help": "输入选项编号并回车。u：撤销，q：退出，h：帮助。",
        "bad": "请输入 1 到 {n} 之间的数字（u 撤销，q 退出）。",
        "locked": "该选项已锁定：{reason}",
        "undone": "（已撤销上一个选择。）",
        "nothing_to_undo": "（没有可撤销的选择。）",
        "bye": "再见。",
        "prices": "行情",
        "choices": "选项",
        "locked_tag": "已锁定",
        "interrupted": "突发：{event}",
        "the_end": "完",
        "seed": "种子 {seed}。输入 h 查看帮助。",
        "auto": "（自动选择 {n}）",
        "error": "故事出错：{message}",
    },
}


def choice_number(answer: str) -> int:
    """The number an input line names, or 0: decimal digits of any script (a Chinese keyboard's full-width
    ones too), and not so many that they could not name a choice. ("²".isdigit() is true, yet int("²")
    fails; so does int() of thousands of digits.)"""
    return int(answer) if answer.isdecimal() and len(answer) <= 6 else 0


class PlainPlayer:
    def __init__(self, story: Story, *, locale: str, seed: int, scene: Optional[str] = None,
                 transcript: Optional[Path] = None, story_path: Optional[Path] = None, watch: bool = False,
                 autoplay: Optional[float] = None, stdin: Optional[IO[str]] = None, stdout: Optional[IO[str]] = None):
        self.session = Session.start(story, seed, scene)
        self.locale = locale
        self.transcript = transcript
        self.autoplay = autoplay
        self.stdin = stdin or sys.stdin
        out = stdout or sys.stdout
        is_terminal = hasattr(out, "isatty") and out.isatty()
        self.console = Console(file=out, highlight=False, emoji=False, soft_wrap=not is_terminal,
                               no_color=bool(os.environ.get("NO_COLOR")) or not is_terminal,
                               force_terminal=False if not is_terminal else None)
        self.text = MESSAGES.get(locale[:2], MESSAGES["en"])
        self.watcher = None
        if watch and story_path is not None:
            from collapse_tui.engine.watch import StoryWatcher

            self.watcher = StoryWatcher(story_path, self.session)

    def say(self, line: str = "") -> None:
        self.console.print(line, markup=False)

    def run(self) -> int:
        story = self.session.story
        self.say(plain_text(story.text(story.meta.title, self.locale)))
        if story.meta.disclaimer:
            self.say(plain_text(story.text(story.meta.disclaimer, self.locale)))
        self.say(self.text["seed"].format(seed=self.session.state.seed))
        try:
            return self._loop()
        finally:
            if self.transcript is not None:
                write_transcript(self.transcript, self.session.engine, self.session.state, self.locale)

    def _loop(self) -> int:
        show = True
        while True:
            if self.watcher is not None:
                reloaded = self.watcher.poll()
                for line in reloaded:
                    self.say(line)
                show = show or bool(reloaded)  # the story changed under the scene: show it again
            view = scene_view(self.session.engine, self.session.state, self.locale)
            if show:
                self.render(view)
            show = True
            if view.ending_title is not None:
                return 0
            answer = self._next_answer(view)
            if answer is None:
                self.say(self.text["bye"])
                return 0
            answer = answer.strip().lower()
            if answer in ("q", "quit", "exit"):
                self.say(self.text["bye"])
                return 0
            if answer in ("h", "help", "?"):
                self.say(self.text["help"])
                show = False
            elif answer in ("u", "undo"):
                self.say(self.text["undone"] if self.session.undo() else self.text["nothing_to_undo"])
            elif 1 <= choice_number(answer) <= len(view.choices):
                line = view.choices[choice_number(answer) - 1]
                if not line.available:
                    self.say(self.text["locked"].format(reason=plain_text(line.reason)))
                    show = False
                    continue
                try:
                    self.session.choose(line.index)
                except PlayError as error:
                    self.say(self.text["error"].format(message=error))
                    return 1
            elif not answer and self.watcher is not None:
                pass  # --watch: Enter alone reads the story's files again and shows the scene
            else:
                self.say(self.text["bad"].format(n=len(view.choices)))
                show = False

    def _next_answer(self, view: SceneView) -> Optional[str]:
        if self.autoplay is not None:
            index = self.session.engine.autoplay_choice(self.session.state)
            if index is None:
                return None
            pick = next(c for c in view.choices if c.index == index)
            time.sleep(max(0.0, self.autoplay))
            self.say(self.text["auto"].format(n=pick.number))
            return str(pick.number)
        self.console.print(self.text["prompt"], end="", markup=False)
        self.console.file.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        return line

    def render(self, view: SceneView) -> None:
        self.say()
        if view.interrupted_by:
            self.say("*** " + self.text["interrupted"].format(event=view.interrupted_by) + " ***")
        self.say(f"== {plain_text(view.title)} ==")
        self.say(" · ".join(part for part in (view.time, plain_text(view.place)) if part))
        if view.tickers:
            self.say(f"{self.text['prices']}: " + " | ".join(t.line() for t in view.tickers))
        self.say()
        for paragraph in view.paragraphs:
            self.say(plain_text(paragraph))
            self.say()
        if view.gauges:
            self.say(" | ".join(g.line() for g in view.gauges))
        if view.ending_title is not None:
            self.say()
            self.say(f"== {self.text['the_end']}: {plain_text(view.ending_title)} ==")
            if view.epilogue:
                self.say()
                for paragraph in view.epilogue.strip().split("\n\n"):
                    self.say(plain_text(paragraph.strip()))
                    self.say()
            return
        self.say(f"{self.text['choices']}:")
        for line in view.choices:
            text = plain_text(line.text)
            if line.available:
                self.say(f"  {line.number}. {text}")
            else:
                self.say(f"  {line.number}. ({self.text['locked_tag']}) {text} — {plain_text(line.reason)}")
