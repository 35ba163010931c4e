"""The class debrief as a handout: the class's choices and vote splits beside what really happened, the
price chart of the session, the glossary terms met and the discussion prompts; exported as Markdown and
as one standalone HTML page with the charts inline (SVG). Headless: no Textual here, so it is tested
without a screen and can be produced from any saved game."""

from __future__ import annotations

import html
import math
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Optional, Sequence

from collapse_tui.engine.frozen import frozen
from collapse_tui.engine.runtime import Engine, GameState
from collapse_tui.engine.views import MONTHS_EN, format_price, format_time, format_value
from collapse_tui.transcript import plain_text

SPARK = "▁▂▃▄▅▆▇█"
MAX_CHOICE_MARKERS = 12

LABELS = {
    "en": {
        "debrief": "Class debrief",
        "played": "Played",
        "seed": "Seed",
        "ending": "Ending",
        "path": "The path: the class's choices beside what really happened",
        "step": "#",
        "when": "When",
        "scene": "Scene",
        "chose": "The class chose",
        "vote": "Vote",
        "history_took": "What history took",
        "same": "same as history",
        "different": "not what happened",
        "no_history": "(no historical choice here)",
        "no_vote": "(presenter's choice)",
        "tie": "tie broken by the presenter",
        "votes": "votes",
        "what_happened": "What really happened",
        "source": "Source",
        "interrupted": "Interrupted by",
        "basis": {"history": "history", "mixed": "history and fiction", "fiction": "fiction"},
        "prices": "Prices during the session",
        "prices_note": "Simulated prices (a seeded model anchored on the real November 2022 prices), "
                       "sampled every few story minutes.",
        "markers_votes": "Dashed lines mark the class votes, numbered as in the path above.",
        "markers_choices": "Dashed lines mark the scenes where the class chose, numbered as in the path above.",
        "markers_none": "",
        "ticker": "Ticker",
        "start": "Start",
        "low": "Low",
        "high": "High",
        "end": "End",
        "change": "Change",
        "glossary": "Words met in this session",
        "discuss": "Questions to discuss",
        "final": "Where things stood at the end",
        "summary": "Choices made: {choices} · class votes: {votes} · the same as history: {matched} of {comparable}",
        "not_ended": "The story was not finished when this debrief was exported.",
        "no_votes": "No class votes were taken.",
        "vote_summary": "Class votes",
        "taken": "taken",
        "footer": "Made with collapse-tui. The prices are a simulation anchored on the record; the narrator and "
                  "colleagues are fiction; the notes say what is history and give sources.",
    },
    "zh": {
        "debrief": "课堂复盘",
        "played": "日期",
        "seed": "种子",
        "ending": "结局",
        "path": "全班的选择与真实历史对照",
        "step": "#",
        "when": "时间",
        "scene": "场景",
        "chose": "全班的选择",
        "vote": "投票",
        "history_took": "历史上的走向",
        "same": "与历史相同",
        "different": "与历史不同",
        "no_history": "（此处没有历史选项）",
        "no_vote": "（由老师选择）",
        "tie": "平票，由老师决定",
        "votes": "票",
        "what_happened": "真实情况",
        "source": "来源",
        "interrupted": "插曲",
        "basis": {"history": "史实", "mixed": "史实与虚构", "fiction": "虚构"},
        "prices": "本节课的价格走势",
        "prices_note": "模拟价格（以 2022 年 11 月真实价格为锚点的随机模型），每隔几分钟（故事时间）取样一次。",
        "markers_votes": "虚线标出全班投票的场景，编号与上文一致。",
        "markers_choices": "虚线标出全班做出选择的场景，编号与上文一致。",
        "markers_none": "",
        "ticker": "代码",
        "start": "开始",
        "low": "最低",
        "high": "最高",
        "end": "结束",
        "change": "涨跌",
        "glossary": "本节课遇到的术语",
        "discuss": "讨论题",
        "final": "结束时的状况",
        "summary": "做出选择：{choices} 个 · 全班投票：{votes} 次 · 与历史相同：{matched} / {comparable}",
        "not_ended": "导出复盘时故事尚未结束。",
        "no_votes": "本节课没有进行全班投票。",
        "vote_summary": "全班投票",
        "taken": "采纳",
        "footer": "由 collapse-tui 生成。价格为以史实为锚点的模拟；叙述者与同事为虚构；注释说明哪些是史实并给出来源。",
    },
}


def labels_for(locale: str) -> dict:
    return LABELS.get(locale[:2], LABELS["en"])


# --- what the class did: votes -----------------------------------------------------------------------


@frozen
class VoteOption:
    """One option of a class vote, with the hands counted for it."""

    index: int  # the choice's index in the scene
    number: int  # 1-based, as shown on screen
    text: str  # Rich markup, as the story wrote it
    votes: int
    historical: bool = False


@frozen
class ClassVote:
    """A vote the class took at a choice: the split, and the option taken (ties broken by the presenter)."""

    scene_id: str
    turn: int  # choices made before this one (GameState.turns when the vote closed)
    time_ms: int  # story time when the vote closed
    options: tuple[VoteOption, ...]
    winner: int  # the index of the choice taken
    tie_broken: bool = False

    @property
    def total(self) -> int:
        return sum(option.votes for option in self.options)

    def share(self, option: VoteOption) -> float:
        return option.votes / self.total if self.total else 0.0

    def leaders(self) -> tuple[int, ...]:
        """The choice indexes with the most votes (several when tied)."""
        return vote_leaders(self.options)


def vote_leaders(options: Sequence[VoteOption]) -> tuple[int, ...]:
    if not options:
        return ()
    best = max(option.votes for option in options)
    return tuple(option.index for option in options if option.votes == best)


# --- the debrief as data -----------------------------------------------------------------------------


@frozen
class DebriefStep:
    """One scene on the class's path, with the choice that left it and what history did there."""

    number: int
    scene_id: str
    title: str
    time_ms: int
    time_text: str
    short_time: str
    place: str
    basis: str
    event: Optional[str]
    choice_text: Optional[str]
    choice_note: str
    historical_text: Optional[str]
    matched_history: Optional[bool]
    vote: Optional[ClassVote]
    history_note: str
    source: str
    discussion: str


@frozen
class PriceSeries:
    symbol: str
    name: str
    points: tuple[tuple[float, float], ...]  # (story seconds, price)

    @property
    def prices(self) -> tuple[float, ...]:
        return tuple(price for _, price in self.points)

    @property
    def first(self) -> float:
        return self.points[0][1]

    @property
    def last(self) -> float:
        return self.points[-1][1]

    @property
    def change(self) -> float:
        return self.last / self.first - 1 if self.first else 0.0


@frozen
class Term:
    id: str
    term: str
    text: str


@frozen
class Debrief:
    locale: str
    title: str
    subtitle: str
    disclaimer: str
    seed: int
    exported_at: datetime
    steps: tuple[DebriefStep, ...]
    votes: tuple[ClassVote, ...]
    ending_title: Optional[str]
    ending_kind: Optional[str]
    epilogue: str
    series: tuple[PriceSeries, ...]
    start_time: datetime
    timezone: str
    terms: tuple[Term, ...]
    prompts: tuple[tuple[str, str], ...]  # (scene title, prompt)
    final_state: tuple[tuple[str, str], ...]  # (label, value)

    @property
    def choices_made(self) -> int:
        return sum(1 for step in self.steps if step.choice_text is not None)

    @property
    def comparable(self) -> int:
        return sum(1 for step in self.steps if step.matched_history is not None)

    @property
    def matched(self) -> int:
        return sum(1 for step in self.steps if step.matched_history)

    @property
    def choice_markers(self) -> tuple[tuple[float, int], ...]:
        """(story seconds, step number) of the scenes where the class made a choice, for the charts."""
        return tuple((step.time_ms / 1000, step.number) for step in self.steps if step.choice_text is not None)

    @property
    def chart_markers(self) -> tuple[str, tuple[tuple[float, int], ...]]:
        """What the charts mark, and where: the class votes; or, with no votes, every choice when there are
        few enough to read (a long path marked choice by choice is a comb, not a chart)."""
        votes = tuple((step.time_ms / 1000, step.number) for step in self.steps if step.vote is not None)
        if votes:
            return "votes", votes
        choices = self.choice_markers
        return ("choices", choices) if len(choices) <= MAX_CHOICE_MARKERS else ("none", ())


def short_time(moment: datetime, locale: str) -> str:
    if locale.startswith("zh"):
        return f"{moment.month}月{moment.day}日 {moment:%H:%M}"
    return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment:%H:%M}"


def build_debrief(engine: Engine, state: GameState, locale: str, votes: Iterable[ClassVote] = (),
                  exported_at: Optional[datetime] = None) -> Debrief:
    """Everything the handout shows, as plain data, from a game's state and the class's votes."""
    story = engine.story
    text = lambda value: plain_text(story.text(value, locale)) if value else ""  # noqa: E731
    votes = tuple(votes)
    vote_at = {(vote.scene_id, vote.turn): vote for vote in votes}

    # Pair each scene on the path (returns excluded) with the choice that left it. Every log entry that
    # names a choice says "the current scene was left by this choice": a plain move, an event tripped by
    # the choice, a `return` to the interrupted scene, or a return that resumes into the choice's target.
    entries = [entry for entry in state.log if entry.via != "return"]
    leaving: dict[int, tuple[int, int]] = {}  # position in `entries` -> (choice index, turn)
    interrupted: list[int] = []
    current = position = -1
    turn = 0
    for entry in state.log:
        left_by_return = False
        if entry.choice is not None:
            if current >= 0:
                leaving.setdefault(current, (entry.choice, turn))
                choices = story.scenes[entries[current].scene].choices
                left_by_return = entry.choice < len(choices) and choices[entry.choice].model.return_
            turn += 1
        if entry.via == "return":
            current = interrupted.pop() if interrupted else current
            continue
        if left_by_return and interrupted:
            interrupted.pop()  # resumed into the next scene: the interrupted one is behind us
        position += 1
        if entry.via == "event":
            interrupted.append(current)
        current = position
    steps = []
    kept_votes = []
    for position, entry in enumerate(entries):
        scene = story.scenes[entry.scene]
        model = scene.model
        notes = model.notes
        moment = engine.story_time(entry.time_ms)
        choice_text = choice_note = historical_text = None
        matched = None
        vote = None
        if position in leaving:
            index, turn = leaving[position]
            choice = scene.choices[index].model
            choice_text = text(choice.text)
            choice_note = text(choice.note)
            historical = [c for c in scene.choices if c.model.historical]
            if historical:
                historical_text = text(historical[0].model.text)
                matched = any(c.index == index for c in historical)
            vote = vote_at.get((entry.scene, turn))
            if vote is not None:
                kept_votes.append(vote)
        elif scene.choices and not scene.is_ending:
            historical = [c for c in scene.choices if c.model.historical]
            historical_text = text(historical[0].model.text) if historical else None
        steps.append(DebriefStep(
            number=position + 1, scene_id=entry.scene, title=text(model.title) or entry.scene,
            time_ms=entry.time_ms, time_text=format_time(moment, story.meta.clock.timezone, locale),
            short_time=short_time(moment, locale), place=text(model.place), basis=model.basis,
            event=entry.event if entry.via == "event" else None,
            choice_text=choice_text, choice_note=choice_note or "", historical_text=historical_text,
            matched_history=matched, vote=vote,
            history_note=text(notes.history) if notes else "", source=(notes.source or "") if notes else "",
            discussion=text(notes.discuss) if notes else "",
        ))

    scene = engine.scene(state)
    ending = scene.model.ending
    prompts = []
    seen_prompts = set()
    for step in steps:
        if step.discussion and step.discussion not in seen_prompts:
            seen_prompts.add(step.discussion)
            prompts.append((step.title, step.discussion))
    final_state = []
    for name, variable in story.meta.variables.items():
        if variable.gauge:
            final_state.append((text(variable.label) or name, format_value(state.variables[name], variable.unit)))
    return Debrief(
        locale=locale,
        title=text(story.meta.title),
        subtitle=text(story.meta.subtitle),
        disclaimer=text(story.meta.disclaimer),
        seed=state.seed,
        exported_at=exported_at or datetime.now(),
        steps=tuple(steps),
        votes=tuple(kept_votes),
        ending_title=text(ending.title) if ending else None,
        ending_kind=ending.kind if ending else None,
        epilogue=text(ending.epilogue) if ending else "",
        series=price_series(engine, state, locale),
        start_time=story.start_time,
        timezone=story.meta.clock.timezone,
        terms=terms_met(engine, state, locale),
        prompts=tuple(prompts),
        final_state=tuple(final_state),
    )


def price_series(engine: Engine, state: GameState, locale: str) -> tuple[PriceSeries, ...]:
    """The run's price history per ticker (the market's bounded chart, plus the price now)."""
    market = state.market
    points = [(second, prices) for second, prices in market.chart]
    now = market.time_ms / 1000
    current = tuple(ticker.price for ticker in market.tickers)
    if not points or now > points[-1][0]:
        points.append((now, current))
    series = []
    for i, (symbol, ticker) in enumerate(zip(engine.market.symbols, engine.market.tickers)):
        series.append(PriceSeries(symbol, plain_text(engine.story.text(ticker.name, locale)),
                                  tuple((float(second), prices[i]) for second, prices in points)))
    return tuple(series)


def _term_patterns(term: str) -> list[re.Pattern]:
    """A glossary term and its alias in parentheses ("LOI (letter of intent)"), matched as whole words."""
    names = [term]
    match = re.match(r"^(.*?)\s*[(（](.*?)[)）]\s*$", term)
    if match:
        names = [match.group(1), match.group(2)]
    patterns = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        if name.isascii():
            patterns.append(re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE))
        else:
            patterns.append(re.compile(re.escape(name), re.IGNORECASE))
    return patterns


def terms_met(engine: Engine, state: GameState, locale: str) -> tuple[Term, ...]:
    """Glossary entries whose term appears in the scenes the class saw or the choices it read."""
    story = engine.story
    seen: list[str] = []
    for scene_id in dict.fromkeys(entry.scene for entry in state.log):
        scene = story.scenes[scene_id]
        seen.append(plain_text(story.text(scene.model.title, locale)) if scene.model.title else "")
        seen.extend(plain_text(p) for p in scene.paragraphs(locale, story.fallback_locale))
        seen.extend(plain_text(story.text(c.model.text, locale)) for c in scene.choices)
        if scene.model.ending and scene.model.ending.epilogue:
            seen.append(plain_text(story.text(scene.model.ending.epilogue, locale)))
    corpus = "\n".join(seen)
    found = []
    for entry in story.glossary:
        term = plain_text(story.text(entry.term, locale))
        if any(pattern.search(corpus) for pattern in _term_patterns(term)):
            found.append(Term(entry.id, term, plain_text(story.text(entry.text, locale))))
    return tuple(found)


# --- Markdown ----------------------------------------------------------------------------------------


def sparkline(values: Sequence[float], width: int = 40) -> str:
    if not values:
        return ""
    if len(values) > width:
        step = len(values) / width
        values = [values[min(len(values) - 1, int(i * step))] for i in range(width - 1)] + [values[-1]]
    low, high = min(values), max(values)
    span = high - low
    if span <= 0:
        return SPARK[3] * len(values)
    return "".join(SPARK[min(7, int((value - low) / span * 7.999))] for value in values)


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ").strip()


def vote_split_text(vote: ClassVote, words: dict) -> str:
    parts = []
    for option in vote.options:
        mark = " ✔" if option.index == vote.winner else ""
        parts.append(f"{option.number}: {option.votes}{mark}")
    text = ", ".join(parts) + f" ({vote.total} {words['votes']})"
    if vote.tie_broken:
        text += f"; {words['tie']}"
    return text


def debrief_markdown(debrief: Debrief) -> str:
    words = labels_for(debrief.locale)
    lines = [f"# {debrief.title}: {words['debrief']}", ""]
    if debrief.subtitle:
        lines += [f"*{debrief.subtitle}*", ""]
    lines += [f"{words['played']}: {debrief.exported_at:%Y-%m-%d %H:%M} · {words['seed']}: {debrief.seed}", ""]
    if debrief.ending_title is not None:
        lines += [f"**{words['ending']}: {debrief.ending_title}**", ""]
    else:
        lines += [f"*{words['not_ended']}*", ""]
    lines += [words["summary"].format(choices=debrief.choices_made, votes=len(debrief.votes),
                                      matched=debrief.matched, comparable=debrief.comparable), ""]

    lines += [f"## {words['path']}", ""]
    lines += [f"| {words['step']} | {words['when']} | {words['scene']} | {words['chose']} | {words['vote']} | {words['history_took']} |",
              "|---|---|---|---|---|---|"]
    for step in debrief.steps:
        if step.choice_text is None:
            continue
        vote = vote_split_text(step.vote, words) if step.vote else words["no_vote"]
        history = step.historical_text or words["no_history"]
        if step.matched_history is True:
            history = f"{history} ({words['same']})"
        elif step.matched_history is False:
            history = f"{history} ({words['different']})"
        lines.append(f"| {step.number} | {step.short_time} | {_md_cell(step.title)} | {_md_cell(step.choice_text)} | "
                     f"{_md_cell(vote)} | {_md_cell(history)} |")
    lines.append("")

    for step in debrief.steps:
        basis = words["basis"].get(step.basis, step.basis)
        lines += [f"### {step.number}. {step.title}", "", f"*{step.time_text}*" + (f" · {step.place}" if step.place else "")
                  + f" · {basis}", ""]
        if step.event:
            lines += [f"*{words['interrupted']}: {step.event}*", ""]
        if step.choice_text is not None:
            lines.append(f"- **{words['chose']}:** {step.choice_text}")
            if step.choice_note:
                lines.append(f"  - {step.choice_note}")
            if step.vote is not None:
                lines.append(f"- **{words['vote']}:**")
                for option in step.vote.options:
                    share = step.vote.share(option)
                    bar = "█" * round(share * 20)
                    taken = f" ← {words['taken']}" if option.index == step.vote.winner else ""
                    lines.append(f"  - {option.number}. {plain_text(option.text)}: {option.votes} ({share:.0%}) `{bar}`{taken}")
                if step.vote.tie_broken:
                    lines.append(f"  - *{words['tie']}*")
            if step.historical_text is not None:
                verdict = words["same"] if step.matched_history else words["different"]
                lines.append(f"- **{words['history_took']}:** {step.historical_text} ({verdict})")
            lines.append("")
        if step.history_note:
            lines += [f"> **{words['what_happened']}:** {step.history_note}"]
            if step.source:
                lines += [">", f"> *{words['source']}: {step.source}*"]
            lines.append("")

    if debrief.ending_title is not None:
        lines += [f"## {words['ending']}: {debrief.ending_title}", ""]
        if debrief.epilogue:
            lines += [debrief.epilogue.strip(), ""]

    lines += [f"## {words['prices']}", "", words["prices_note"], ""]
    lines += [f"| {words['ticker']} | {words['start']} | {words['low']} | {words['high']} | {words['end']} | {words['change']} | |",
              "|---|---|---|---|---|---|---|"]
    for series in debrief.series:
        prices = series.prices
        lines.append(f"| {series.symbol} ({_md_cell(series.name)}) | {format_price(series.first)} | {format_price(min(prices))} | "
                     f"{format_price(max(prices))} | {format_price(series.last)} | {series.change:+.1%} | `{sparkline(prices)}` |")
    lines.append("")

    if debrief.final_state:
        lines += [f"## {words['final']}", ""]
        lines += [f"- {label}: {value}" for label, value in debrief.final_state]
        lines.append("")
    if debrief.terms:
        lines += [f"## {words['glossary']}", ""]
        lines += [f"- **{term.term}**: {term.text}" for term in debrief.terms]
        lines.append("")
    if debrief.prompts:
        lines += [f"## {words['discuss']}", ""]
        lines += [f"{i}. {prompt} *({title})*" for i, (title, prompt) in enumerate(debrief.prompts, start=1)]
        lines.append("")
    if debrief.disclaimer:
        lines += ["---", "", f"*{debrief.disclaimer}*", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- the price chart as SVG --------------------------------------------------------------------------


def _nice_step(span: float, target_ticks: int = 4) -> float:
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _axis_label(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if value >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3f}".rstrip("0").rstrip(".")


def price_chart_svg(series: PriceSeries, start_time: datetime, timezone: str, locale: str = "en",
                    markers: Sequence[tuple[float, int]] = (), width: int = 720, height: int = 220) -> str:
    """A line chart of one ticker over the session: price axis, story-time axis, the class's choices."""
    left, right, top, bottom = 62, 16, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    points = list(series.points)
    if len(points) == 1:
        points.append((points[0][0] + 60, points[0][1]))
    t0, t1 = points[0][0], points[-1][0]
    if t1 <= t0:
        t1 = t0 + 60
    prices = [p for _, p in points]
    low, high = min(prices), max(prices)
    if high - low < high * 0.02:
        pad = max(high * 0.02, 1e-6)
        low, high = low - pad, high + pad
    step = _nice_step(high - low)
    y_low = math.floor(low / step) * step
    y_high = math.ceil(high / step) * step
    if y_low < 0 <= low:
        y_low = 0.0

    def x_of(seconds: float) -> float:
        return left + (seconds - t0) / (t1 - t0) * plot_w

    def y_of(price: float) -> float:
        return top + (1 - (price - y_low) / (y_high - y_low)) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'role="img" aria-label="{html.escape(series.symbol)} price chart" class="chart">']
    title = (f"{series.symbol} · {series.name}: {format_price(series.first)} → {format_price(series.last)} "
             f"({series.change:+.1%})")
    out.append(f'<text x="{left}" y="18" class="chart-title">{html.escape(title)}</text>')
    # price grid
    value = y_low
    while value <= y_high + step / 1000:
        y = y_of(value)
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{html.escape(_axis_label(value))}</text>')
        value += step
    # time grid: a label every 1, 2, 3, 6, 12 or 24 story hours
    span_hours = (t1 - t0) / 3600
    every = next((h for h in (1, 2, 3, 6, 12, 24, 48) if span_hours / h <= 7), 96)
    first_tick = start_time + timedelta(seconds=t0)
    tick = first_tick.replace(minute=0, second=0, microsecond=0)
    while tick.hour % every:
        tick += timedelta(hours=1)
    if tick < first_tick:
        tick += timedelta(hours=every)
    while (tick - start_time).total_seconds() <= t1:
        x = x_of((tick - start_time).total_seconds())
        label = short_time(tick, locale) if tick.hour == 0 or every >= 24 or tick == first_tick else f"{tick:%H:%M}"
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" class="grid"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" class="axis" text-anchor="middle">{html.escape(label)}</text>')
        tick += timedelta(hours=every)
    out.append(f'<text x="{left + plot_w}" y="{height - 3}" class="axis" text-anchor="end">{html.escape(timezone)}</text>')
    # the class's choices
    last_label_x, row = -100.0, 0
    for seconds, number in markers:
        if t0 <= seconds <= t1:
            x = x_of(seconds)
            row = row + 1 if x - last_label_x < 14 else 0  # stagger the numbers of choices made close together
            last_label_x = x
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" class="marker"/>')
            out.append(f'<text x="{x + 2:.1f}" y="{top + 10 + 11 * (row % 4)}" class="marker-label">{number}</text>')
    # the price line
    path = " ".join(f"{x_of(t):.1f},{y_of(p):.1f}" for t, p in points)
    colour = "down" if series.change < 0 else "up"
    out.append(f'<polyline points="{path}" class="price {colour}" fill="none"/>')
    last_t, last_p = points[-1]
    out.append(f'<circle cx="{x_of(last_t):.1f}" cy="{y_of(last_p):.1f}" r="3.5" class="dot {colour}"/>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" class="frame" fill="none"/>')
    out.append("</svg>")
    return "\n".join(out)


# --- HTML --------------------------------------------------------------------------------------------

HTML_STYLE = """
:root { --ink: #111; --muted: #555; --line: #d0d0d0; --accent: #0b4ea2; --up: #0a7a32; --down: #b3121b;
        --hist: #6b4e00; --paper: #fff; --soft: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 28px 22px 60px; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 34px 0 10px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 0; }
.subtitle { color: var(--muted); margin: 0 0 10px; font-style: italic; }
.meta { color: var(--muted); font-size: .9rem; }
.ending { background: var(--ink); color: #fff; padding: 10px 14px; border-radius: 6px; margin: 14px 0; font-size: 1.1rem; }
.ending.none { background: var(--soft); color: var(--ink); }
.summary { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.same { color: var(--up); font-weight: 600; }
.different { color: var(--down); font-weight: 600; }
.step { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 12px 0; break-inside: avoid; }
.step .when { color: var(--muted); font-size: .88rem; }
.badge { display: inline-block; font-size: .75rem; padding: 1px 7px; border-radius: 10px; border: 1px solid currentColor; margin-left: 6px; }
.badge.history { color: var(--hist); } .badge.mixed { color: var(--accent); } .badge.fiction { color: var(--muted); }
.chose { margin: 8px 0 4px; }
.note { color: var(--muted); font-size: .9rem; margin: 2px 0 6px 0; }
.vote { margin: 6px 0; }
.vote .row { display: grid; grid-template-columns: minmax(0, 1fr) 200px 70px; gap: 8px; align-items: center; font-size: .9rem; margin: 3px 0; }
.vote .bar { height: 14px; background: var(--soft); border: 1px solid var(--line); position: relative; }
.vote .bar span { display: block; height: 100%; background: #8aa5c8; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.vote .row.winner .bar span { background: var(--accent); }
.vote .row.winner .label { font-weight: 700; }
.vote .tie { font-size: .85rem; color: var(--muted); font-style: italic; }
.history-note { background: #fbf6e9; border-left: 4px solid var(--hist); padding: 8px 12px; margin-top: 8px; font-size: .93rem;
                -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.history-note .source { color: var(--muted); font-size: .85rem; font-style: italic; }
.chart { display: block; margin: 8px 0 18px; font-family: inherit; }
.chart .chart-title { font-size: 14px; font-weight: 700; fill: var(--ink); }
.chart .axis { font-size: 11px; fill: var(--muted); }
.chart .grid { stroke: #e4e4e4; stroke-width: 1; }
.chart .frame { stroke: #999; stroke-width: 1; }
.chart .marker { stroke: var(--accent); stroke-width: 1; stroke-dasharray: 3 3; opacity: .7; }
.chart .marker-label { font-size: 10px; fill: var(--accent); }
.chart .price { stroke-width: 2.2; stroke-linejoin: round; }
.chart .price.down { stroke: var(--down); } .chart .price.up { stroke: var(--up); }
.chart .dot.down { fill: var(--down); } .chart .dot.up { fill: var(--up); }
dl.terms dt { font-weight: 700; margin-top: 8px; } dl.terms dd { margin: 0 0 0 18px; }
ol.prompts li { margin: 6px 0; } ol.prompts .from { color: var(--muted); font-size: .85rem; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: 10px; }
@media print { body { font-size: 12pt; } main { padding: 0; max-width: none; } h2 { break-after: avoid; } .chart { break-inside: avoid; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(part.strip())}</p>" for part in text.strip().split("\n\n") if part.strip())


def _vote_html(vote: ClassVote, words: dict) -> str:
    most = max((option.votes for option in vote.options), default=0) or 1
    rows = []
    for option in vote.options:
        share = vote.share(option)
        winner = option.index == vote.winner
        rows.append(
            f'<div class="row{" winner" if winner else ""}"><span class="label">{option.number}. {_e(plain_text(option.text))}'
            f'{" ✔" if winner else ""}</span><span class="bar"><span style="width:{option.votes / most * 100:.1f}%"></span></span>'
            f'<span class="num">{option.votes} · {share:.0%}</span></div>')
    tie = f'<div class="tie">{_e(words["tie"])}</div>' if vote.tie_broken else ""
    return (f'<div class="vote" aria-label="{_e(words["vote"])}"><strong>{_e(words["vote"])}</strong> '
            f'<span class="meta">({vote.total} {_e(words["votes"])})</span>{"".join(rows)}{tie}</div>')


def debrief_html(debrief: Debrief) -> str:
    """One self-contained page: inline CSS and SVG, no scripts, no network; prints well."""
    words = labels_for(debrief.locale)
    lang = "zh-Hans" if debrief.locale.startswith("zh") else debrief.locale
    out = [f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f'<title>{_e(debrief.title)}: {_e(words["debrief"])}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n<main>']
    out.append(f'<h1>{_e(debrief.title)}: {_e(words["debrief"])}</h1>')
    if debrief.subtitle:
        out.append(f'<p class="subtitle">{_e(debrief.subtitle)}</p>')
    out.append(f'<p class="meta">{_e(words["played"])}: {debrief.exported_at:%Y-%m-%d %H:%M} · {_e(words["seed"])}: {debrief.seed}</p>')
    if debrief.ending_title is not None:
        out.append(f'<div class="ending">{_e(words["ending"])}: <strong>{_e(debrief.ending_title)}</strong></div>')
    else:
        out.append(f'<div class="ending none">{_e(words["not_ended"])}</div>')
    out.append(f'<p class="summary">{_e(words["summary"].format(choices=debrief.choices_made, votes=len(debrief.votes), matched=debrief.matched, comparable=debrief.comparable))}</p>')

    # the table of choices
    out.append(f'<h2>{_e(words["path"])}</h2>')
    out.append(f'<table><thead><tr><th>{_e(words["step"])}</th><th>{_e(words["when"])}</th><th>{_e(words["scene"])}</th>'
               f'<th>{_e(words["chose"])}</th><th>{_e(words["history_took"])}</th></tr></thead><tbody>')
    for step in debrief.steps:
        if step.choice_text is None:
            continue
        if step.historical_text is None:
            history = f'<span class="meta">{_e(words["no_history"])}</span>'
        else:
            verdict = "same" if step.matched_history else "different"
            history = f'{_e(step.historical_text)}<br><span class="{verdict}">{_e(words[verdict])}</span>'
        vote = ""
        if step.vote is not None:
            vote = f'<br><span class="meta">{_e(words["vote"])}: {_e(vote_split_text(step.vote, words))}</span>'
        out.append(f'<tr><td class="num">{step.number}</td><td>{_e(step.short_time)}</td><td>{_e(step.title)}</td>'
                   f'<td>{_e(step.choice_text)}{vote}</td><td>{history}</td></tr>')
    out.append('</tbody></table>')

    # scene by scene
    for step in debrief.steps:
        basis = words["basis"].get(step.basis, step.basis)
        out.append(f'<section class="step" id="step-{step.number}">')
        out.append(f'<h3>{step.number}. {_e(step.title)}<span class="badge {_e(step.basis)}">{_e(basis)}</span></h3>')
        where = step.time_text + (f" · {step.place}" if step.place else "")
        if step.event:
            where += f" · {words['interrupted']}: {step.event}"
        out.append(f'<div class="when">{_e(where)}</div>')
        if step.choice_text is not None:
            out.append(f'<div class="chose"><strong>{_e(words["chose"])}:</strong> {_e(step.choice_text)}</div>')
            if step.choice_note:
                out.append(f'<div class="note">{_e(step.choice_note)}</div>')
            if step.vote is not None:
                out.append(_vote_html(step.vote, words))
            if step.historical_text is not None:
                verdict = "same" if step.matched_history else "different"
                out.append(f'<div><strong>{_e(words["history_took"])}:</strong> {_e(step.historical_text)} '
                           f'<span class="{verdict}">({_e(words[verdict])})</span></div>')
        if step.history_note:
            source = f'<div class="source">{_e(words["source"])}: {_e(step.source)}</div>' if step.source else ""
            out.append(f'<div class="history-note"><strong>{_e(words["what_happened"])}:</strong> {_e(step.history_note)}{source}</div>')
        out.append('</section>')

    if debrief.ending_title is not None:
        out.append(f'<h2>{_e(words["ending"])}: {_e(debrief.ending_title)}</h2>')
        if debrief.epilogue:
            out.append(_paragraphs(debrief.epilogue))

    marked, markers = debrief.chart_markers
    out.append(f'<h2>{_e(words["prices"])}</h2><p class="meta">{_e(words["prices_note"])} {_e(words["markers_" + marked])}</p>')
    for series in debrief.series:
        out.append(price_chart_svg(series, debrief.start_time, debrief.timezone, debrief.locale, markers))
    out.append(f'<table><thead><tr><th>{_e(words["ticker"])}</th><th>{_e(words["start"])}</th><th>{_e(words["low"])}</th>'
               f'<th>{_e(words["high"])}</th><th>{_e(words["end"])}</th><th>{_e(words["change"])}</th></tr></thead><tbody>')
    for series in debrief.series:
        prices = series.prices
        out.append(f'<tr><td>{_e(series.symbol)} <span class="meta">{_e(series.name)}</span></td>'
                   f'<td class="num">{format_price(series.first)}</td><td class="num">{format_price(min(prices))}</td>'
                   f'<td class="num">{format_price(max(prices))}</td><td class="num">{format_price(series.last)}</td>'
                   f'<td class="num {"different" if series.change < 0 else "same"}">{series.change:+.1%}</td></tr>')
    out.append('</tbody></table>')

    if debrief.final_state:
        out.append(f'<h2>{_e(words["final"])}</h2><ul>')
        out.extend(f'<li>{_e(label)}: <strong>{_e(value)}</strong></li>' for label, value in debrief.final_state)
        out.append('</ul>')
    if debrief.terms:
        out.append(f'<h2>{_e(words["glossary"])}</h2><dl class="terms">')
        out.extend(f'<dt>{_e(term.term)}</dt><dd>{_e(term.text)}</dd>' for term in debrief.terms)
        out.append('</dl>')
    if debrief.prompts:
        out.append(f'<h2>{_e(words["discuss"])}</h2><ol class="prompts">')
        out.extend(f'<li>{_e(prompt)} <span class="from">({_e(title)})</span></li>' for title, prompt in debrief.prompts)
        out.append('</ol>')
    footer = _e(words["footer"])
    if debrief.disclaimer:
        footer = f'{_e(debrief.disclaimer)}<br>{footer}'
    out.append(f'<footer>{footer}</footer>\n</main>\n</body>\n</html>\n')
    return "\n".join(out)


# --- files -------------------------------------------------------------------------------------------


def debrief_stem(debrief: Debrief, story_id: str) -> str:
    return f"{story_id}-debrief-{debrief.exported_at:%Y%m%d-%H%M%S}"


def write_debrief(folder: Path, engine: Engine, state: GameState, locale: str, votes: Iterable[ClassVote] = (),
                  exported_at: Optional[datetime] = None, stem: Optional[str] = None) -> tuple[Path, Path]:
    """Write the debrief as `<stem>.md` and `<stem>.html` into `folder`; returns both paths."""
    debrief = build_debrief(engine, state, locale, votes, exported_at)
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or debrief_stem(debrief, engine.story.meta.id)
    markdown_path = folder / f"{stem}.md"
    html_path = folder / f"{stem}.html"
    markdown_path.write_text(debrief_markdown(debrief), encoding="utf-8")
    html_path.write_text(debrief_html(debrief), encoding="utf-8")
    return markdown_path, html_path
