"""The counting rules of a class vote, without a screen."""

from __future__ import annotations

from collapse_tui.engine.views import ChoiceLine
from collapse_tui.ui.widgets.vote_chart import MAX_COUNT, VoteTally


def lines(*available: bool) -> tuple[ChoiceLine, ...]:
    return tuple(ChoiceLine(n, n - 1, f"Option {n}", ok, historical=(n == 2)) for n, ok in enumerate(available, start=1))


def test_a_vote_has_only_the_open_choices():
    tally = VoteTally.open(lines(True, True, False))
    assert [o.number for o in tally.options] == [1, 2]
    assert tally.options[1].historical


def test_typed_digits_make_the_count_and_a_move_starts_a_new_one():
    tally = VoteTally.open(lines(True, True)).type_digit(1).type_digit(7)
    assert tally.options[0].votes == 17
    tally = tally.move(1).type_digit(4).move(-1).type_digit(3)
    assert [o.votes for o in tally.options] == [3, 4]


def test_plus_minus_and_erase_adjust_the_selected_count():
    tally = VoteTally.open(lines(True, True)).adjust(1).adjust(1).adjust(1).adjust(-1)
    assert tally.options[0].votes == 2
    tally = tally.type_digit(5)  # after + or -, typing starts afresh
    assert tally.options[0].votes == 5
    tally = tally.type_digit(2).erase()
    assert tally.options[0].votes == 5
    assert tally.adjust(-10).options[0].votes == 0


def test_counts_are_capped():
    tally = VoteTally.open(lines(True))
    for _ in range(6):
        tally = tally.type_digit(9)
    assert tally.options[0].votes == MAX_COUNT


def test_the_option_with_most_votes_wins():
    tally = VoteTally.open(lines(True, True, True)).type_digit(3).move(1).type_digit(9).move(1).type_digit(2)
    _, winner = tally.close()
    assert winner == 1
    assert tally.total == 14


def test_a_tie_waits_for_the_presenter():
    tally = VoteTally.open(lines(True, True, True)).type_digit(5).move(1).type_digit(5).move(1).type_digit(1)
    waiting, winner = tally.close()
    assert winner is None
    assert waiting.tied == (0, 1)
    assert waiting.break_tie(3) is None  # not one of the tied options
    assert waiting.break_tie(2) == 1
    assert waiting.move(1).selected == 1  # moving stays among the tied options
    assert waiting.move(1).close()[1] == 1
    assert waiting.recount().tied == ()


def test_no_votes_at_all_is_a_tie_between_everyone():
    waiting, winner = VoteTally.open(lines(True, True)).close()
    assert winner is None and waiting.tied == (0, 1)


def test_select_number_picks_the_option_shown_with_that_number():
    tally = VoteTally.open(lines(False, True, True)).select_number(3)
    assert tally.options[tally.selected].number == 3
