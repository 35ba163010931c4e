"""Snapshots of the presenter view at 120x40 (and one at 80x24), with the market frozen: the seed fixes
the prices and `live=False` stops the clock, so the pictures are stable. Update with --snapshot-update
after a deliberate change, and look at the new SVGs before committing them."""

from __future__ import annotations

from collapse_tui.ui.screens.classroom_app import ClassroomApp

PROJECTOR = (120, 40)


class TestClassroomScreen:
    def test_a_scene_with_choices(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, scene="the_order", live=False)
        assert snap_compare(app, terminal_size=PROJECTOR)

    def test_a_class_vote_with_counts(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, scene="the_order", live=False)
        assert snap_compare(app, terminal_size=PROJECTOR, press=["v", "1", "4", "down", "9", "down", "3"])

    def test_a_tie_waiting_for_the_presenter(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, scene="the_order", live=False)
        assert snap_compare(app, terminal_size=PROJECTOR, press=["v", "6", "down", "6", "enter"])

    def test_paused_for_discussion_with_what_really_happened(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, scene="the_order", live=False)
        assert snap_compare(app, terminal_size=PROJECTOR, press=["p", "r"])

    def test_an_ending(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, live=False)
        assert snap_compare(app, terminal_size=PROJECTOR, press=["2", "1", "1"])

    def test_light_theme_in_chinese(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, scene="the_tweet", locale="zh", live=False)
        assert snap_compare(app, terminal_size=PROJECTOR, press=["t"])

    def test_a_small_terminal(self, snap_compare, lesson_story):
        app = ClassroomApp(lesson_story, seed=7, scene="the_order", live=False)
        assert snap_compare(app, terminal_size=(80, 24))
