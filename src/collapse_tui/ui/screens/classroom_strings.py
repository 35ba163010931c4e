"""The classroom screen's own words in each language it speaks (the story's words come from the story)."""

from __future__ import annotations

from typing import Mapping

EN: Mapping[str, str] = {
    "keys": "1–9 choose · V class vote · P pause & discuss · U undo · E export debrief · T light/dark · ? keys · Q quit",
    "keys_paused": "P / Esc resume · R what really happened · 1–9 choose · V class vote · E export debrief",
    "keys_voting": "↑ ↓ option · type the count · + − · Enter take the winner · Esc cancel",
    "keys_ending": "E export the class debrief (Markdown + HTML) · U undo · T light/dark · Q quit",
    "keys_autoplay": "AUTOPLAY: one step every {seconds:g} s · press any key to take over",
    "live": "● LIVE",
    "paused": "❚❚ PAUSED",
    "voting": "VOTE: clock stopped",
    "frozen": "■ FROZEN",
    "ended": "■ THE END",
    "autoplay": "▶ AUTOPLAY",
    "today": "today",
    "question": "What does the class do?",
    "locked": "locked",
    "timed": "timed in solo play: {seconds:g} s",
    "interrupted": "INTERRUPTED · {event}",
    "the_end": "THE END · {title}",
    "basis_history": "history",
    "basis_mixed": "history and fiction",
    "basis_fiction": "fiction",
    "pause_heading": "PAUSED · DISCUSS",
    "discuss": "Question for the class",
    "no_prompt": "This scene has no question of its own. Ask: what would you do now, and why?",
    "teacher": "Teacher's note",
    "history": "What really happened",
    "history_hidden": "What really happened: press R to show it (after the discussion).",
    "source": "Source: {source}",
    "vote_taken": "The class chose {number}: {text}",
    "vote_tie": "The presenter broke the tie: {number}: {text}",
    "vote_cancelled": "Vote cancelled.",
    "no_vote": "There is nothing to vote on here.",
    "undone": "Undone: back one choice.",
    "nothing_to_undo": "Nothing to undo yet.",
    "locked_choice": "Locked: {reason}",
    "no_such_choice": "There is no choice {number} here.",
    "exported": "Debrief exported:\n{markdown}\n{html}",
    "exported_short": "Debrief: {html}",
    "exported_web": "Debrief sent to this browser: {html} (it opens in a new tab; allow pop-ups if it does not).",
    "export_failed": "Could not export the debrief: {error}",
    "took_over": "Autoplay stopped: you have control.",
    "autoplay_done": "Autoplay reached an ending.",
    "error": "Error in the story: {message}",
    "ending_next": "Press E to export the class debrief: the class's choices and votes beside what really happened, "
                   "the price chart, the words met and the questions. Hand out the HTML page.",
    "votes_so_far": "Class votes so far: {count}",
    "help_heading": "KEYS",
    "help": (
        "1–9        take a choice now (the presenter decides)\n"
        "V          open a class vote on this choice\n"
        "             ↑ ↓ pick an option · type the number of hands · + − one more / less\n"
        "             Enter takes the winner · a tie waits for you to press the option's number\n"
        "P / space  pause: the clock and the prices stop; the scene's question and teacher's note appear\n"
        "R          (while paused) show what really happened\n"
        "U          undo the last choice (its vote is forgotten too)\n"
        "E          export the class debrief (Markdown + a standalone HTML page)\n"
        "T          switch between dark and light (for bright rooms)\n"
        "PgUp PgDn  scroll the scene text\n"
        "Q          quit"
    ),
}

ZH: Mapping[str, str] = {
    "keys": "1–9 选择 · V 全班投票 · P 暂停讨论 · U 撤销 · E 导出复盘 · T 明/暗 · ? 按键 · Q 退出",
    "keys_paused": "P / Esc 继续 · R 真实情况 · 1–9 选择 · V 全班投票 · E 导出复盘",
    "keys_voting": "↑ ↓ 选项 · 输入人数 · + − · 回车 采纳 · Esc 取消",
    "keys_ending": "E 导出课堂复盘（Markdown + HTML） · U 撤销 · T 明/暗 · Q 退出",
    "keys_autoplay": "自动播放：每 {seconds:g} 秒一步 · 按任意键接管",
    "live": "● 实时",
    "paused": "❚❚ 已暂停",
    "voting": "投票中：时钟停止",
    "frozen": "■ 冻结",
    "ended": "■ 完",
    "autoplay": "▶ 自动播放",
    "today": "今日",
    "question": "全班怎么选？",
    "locked": "已锁定",
    "timed": "单人游戏中限时 {seconds:g} 秒",
    "interrupted": "突发 · {event}",
    "the_end": "完 · {title}",
    "basis_history": "史实",
    "basis_mixed": "史实与虚构",
    "basis_fiction": "虚构",
    "pause_heading": "暂停 · 讨论",
    "discuss": "讨论题",
    "no_prompt": "本场景没有专门的讨论题。可以问：换作是你，现在会怎么做？为什么？",
    "teacher": "教师备注",
    "history": "真实情况",
    "history_hidden": "真实情况：讨论之后按 R 显示。",
    "source": "来源：{source}",
    "vote_taken": "全班选择了 {number}：{text}",
    "vote_tie": "平票，由老师决定：{number}：{text}",
    "vote_cancelled": "已取消投票。",
    "no_vote": "这里没有可以投票的选项。",
    "undone": "已撤销上一个选择。",
    "nothing_to_undo": "还没有可撤销的选择。",
    "locked_choice": "已锁定：{reason}",
    "no_such_choice": "这里没有第 {number} 个选项。",
    "exported": "复盘已导出：\n{markdown}\n{html}",
    "exported_short": "复盘：{html}",
    "exported_web": "复盘已发送到浏览器：{html}（在新标签页中打开；如未打开，请允许弹出窗口）。",
    "export_failed": "无法导出复盘：{error}",
    "took_over": "自动播放已停止：由你接管。",
    "autoplay_done": "自动播放已到达结局。",
    "error": "故事出错：{message}",
    "ending_next": "按 E 导出课堂复盘：全班的选择和投票与真实历史对照、价格图、遇到的术语和讨论题。把 HTML 页面发给学生。",
    "votes_so_far": "已进行的全班投票：{count}",
    "help_heading": "按键",
    "help": (
        "1–9        立即选择（由老师决定）\n"
        "V          就当前选择发起全班投票\n"
        "             ↑ ↓ 选择选项 · 输入举手人数 · + − 加减一票\n"
        "             回车采纳得票最多的选项 · 平票时按选项编号决定\n"
        "P / 空格   暂停：时钟和价格停止，显示讨论题和教师备注\n"
        "R          （暂停时）显示真实情况\n"
        "U          撤销上一个选择（对应的投票也一并删除）\n"
        "E          导出课堂复盘（Markdown 和独立 HTML 页面）\n"
        "T          切换明暗主题（适合明亮的教室）\n"
        "PgUp PgDn  滚动场景文字\n"
        "Q          退出"
    ),
}


def tr(locale: str, key: str, **values: object) -> str:
    table = ZH if locale.startswith("zh") else EN
    text = table.get(key, EN.get(key, key))
    return text.format(**values) if values else text
