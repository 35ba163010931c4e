"""A panel of short posts: the market's mood as a Twitter-like feed (`kind="feed"`) or colleagues on the
office chat (`kind="chat"`). Posts arrive one after another while the player reads, unless told to show
them all at once."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.timer import Timer
from textual.visual import visualize
from textual.widget import Widget

from collapse_tui.engine.views import PostView
from collapse_tui.markup import markup_text

ARRIVAL_SECONDS = 2.5


class PostPanel(Widget):
    """A heading and the posts that have arrived so far."""

    DEFAULT_CSS = """
    PostPanel {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        & > .post-panel--heading { color: $text-accent; text-style: bold; }
        & > .post-panel--who { color: $text-primary; text-style: bold; }
        & > .post-panel--text { color: $text; }
        & > .post-panel--rule { color: $foreground 20%; }
    }
    """

    COMPONENT_CLASSES = {"post-panel--heading", "post-panel--who", "post-panel--text", "post-panel--rule"}
    _PARTS = tuple(sorted(COMPONENT_CLASSES))

    heading: reactive[str] = reactive("", layout=True)
    """The panel's title."""
    shown: reactive[int] = reactive(0, layout=True)
    """How many posts have arrived."""

    def __init__(self, kind: str = "feed", *, id: str | None = None) -> None:
        super().__init__(id=id, classes=f"-{kind}")
        self.kind = kind
        self.posts: tuple[PostView, ...] = ()
        self._timer: Timer | None = None
        # The text last made: what it was made for (the styles by identity: a restyle makes new ones), the text,
        # and its height at each width it was measured at.
        self._made: tuple[tuple[object, ...], tuple[object, ...], Text, dict[int, int]] = ((), (), Text(), {})

    def show_posts(self, posts: Sequence[PostView], *, arrive: bool) -> None:
        """Replace the posts; with `arrive`, they appear one by one."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        same = tuple(posts) == self.posts
        self.posts = tuple(posts)
        if same and not arrive:
            self.shown = len(self.posts)
            self.refresh(layout=True)
            return
        if arrive and len(self.posts) > 1:
            self.shown = 1
            self._timer = self.set_interval(ARRIVAL_SECONDS, self._arrive)
        else:
            self.shown = len(self.posts)
        self.refresh(layout=True)

    def show_all(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.shown = len(self.posts)

    def _arrive(self) -> None:
        self.shown = min(len(self.posts), self.shown + 1)
        if self.shown >= len(self.posts) and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The posts' height at `width`, measured with the rules between posts made for that width (the text
        last drawn may be for another: a rule one cell too wide wraps to two lines)."""
        if not width:
            return 0
        text = self._text(width)
        heights = self._made[3]
        if width not in heights:
            heights[width] = visualize(self, text).get_height(self.styles, width)
        return heights[width]

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def _text(self, width: int) -> Text:
        """The panel's text at `width`, kept until the posts, the heading, the width or the styles change (each
        layout measures the panel again, and each measure made it anew)."""
        made_for = (width, self.shown, self.posts, self.heading)
        styles = tuple(map(self._component_styles.get, self._PARTS))
        if made_for != self._made[0] or any(new is not old for new, old in zip(styles, self._made[1])):
            self._made = (made_for, styles, self._make_text(width), {})
        return self._made[2]

    def _make_text(self, width: int) -> Text:
        lines = [Text(self.heading, self.get_component_rich_style("post-panel--heading"))]
        who_style = self.get_component_rich_style("post-panel--who")
        text_style = self.get_component_rich_style("post-panel--text")
        rule = self.get_component_rich_style("post-panel--rule")
        for index, post in enumerate(self.posts[: self.shown]):
            if self.kind == "feed":
                if index:
                    lines.append(Text("─" * max(1, width), rule, no_wrap=True, overflow="crop"))
                lines.append(Text(post.who, who_style))
                lines.append(markup_text(post.text, style=text_style))
            else:
                line = Text.assemble((post.who, who_style), ": ")
                line.append_text(markup_text(post.text, style=text_style))
                lines.append(line)
        return Text("\n").join(lines)
