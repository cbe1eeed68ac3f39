"""Cheap talk before a coordination game: the transform, and the equilibria it adds."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from equishift.games import ExtensiveFormGame, GameError, NormalFormGame
from equishift.games.cheap_talk import message_infoset, play_infoset, with_cheap_talk
from equishift.solver import solve
from equishift.solver.cheap_talk import talk_equilibria

ACTS = ["Engage", "Hedge"]
EE, HH = ("Engage", "Engage"), ("Hedge", "Hedge")


def stag() -> NormalFormGame:
    """MODELS.md R1 engagement stage: R=4, T=3, P=2, S=0."""
    return NormalFormGame.from_arrays(
        [[4, 0], [3, 2]],
        [[4, 3], [0, 2]],
        players=["DPRK", "US"],
        strategies=[ACTS, ACTS],
        title="Stag Hunt",
    )


def test_tree_shape_and_labels() -> None:
    talk = with_cheap_talk(stag(), ["engage", "hedge"])
    assert isinstance(talk, ExtensiveFormGame)
    assert talk.title == "Stag Hunt with cheap talk"
    assert talk.has_perfect_recall and not talk.is_perfect_information
    labels = [h.label for h in talk.infosets[1]]
    assert labels == [play_infoset("US", ["engage"]), play_infoset("US", ["hedge"])]
    us_after_engage = talk.infosets[1][0]
    assert len(us_after_engage.members) == 2  # the US does not see the DPRK's action
    assert talk.infosets[0][0].label == message_infoset("DPRK")
    # Messages are costless: every leaf pays exactly what the base game pays.
    payoffs = {tuple(v) for v in talk.terminal_payoffs().values()}
    assert payoffs == {tuple(stag().payoff(p)) for p in stag().profiles()}


def test_reduced_normal_form_has_the_expected_size() -> None:
    rnf = with_cheap_talk(stag(), ["engage", "hedge"]).reduced_normal_form()
    assert rnf.game.shape == (4, 4)  # DPRK: message x action after it; US: a plan per message


def test_cheap_talk_adds_coordinating_equilibria_and_keeps_babbling() -> None:
    """Messages followed by coordination are new; babbling equilibria remain."""
    base = solve(stag())
    talk = with_cheap_talk(stag(), ["engage", "hedge"])
    sol = solve(talk)
    assert sol.complete
    found = talk_equilibria(stag(), talk, sol)
    assert len(found) > len(base.equilibria)

    # New: the US conditions on the message, the DPRK says "engage" and engages.
    responsive = [t for t in found if t.responsive]
    assert responsive
    coordinated = [
        t
        for t in responsive
        if t.outcome == {EE: 1} and t.response("US") == {("engage",): "Engage", ("hedge",): "Hedge"}
    ]
    assert coordinated
    t = coordinated[0]
    assert t.messages == {("engage",): 1}
    assert t.play[("engage",)] == ((1, 0), (1, 0))
    assert t.payoffs == (4, 4)

    # Babbling equilibria reproduce each equilibrium of the base game, whatever is said.
    babbling_outcomes = [t.outcome for t in found if t.babbling]
    assert {EE: 1} in babbling_outcomes
    assert {HH: 1} in babbling_outcomes
    third = F(1, 3)
    mixed = {EE: 4 * third * third, ("Engage", "Hedge"): 2 * third * third}
    mixed |= {("Hedge", "Engage"): 2 * third * third, HH: third * third}
    assert mixed in babbling_outcomes


def test_two_sided_talk_is_solvable() -> None:
    talk = with_cheap_talk(stag(), {"DPRK": ["e", "h"], "US": ["e", "h"]})
    assert talk.infosets[1][0].label == "US talks"
    assert len(talk.infosets[1][0].members) == 2  # the US talks without hearing the DPRK
    sol = solve(talk)
    found = talk_equilibria(stag(), talk, sol)
    assert any(t.responsive and t.outcome == {EE: 1} for t in found)
    assert any(t.babbling and t.outcome == {HH: 1} for t in found)


def test_errors() -> None:
    with pytest.raises(GameError, match="non-empty"):
        with_cheap_talk(stag(), [])
    with pytest.raises(GameError, match="duplicate"):
        with_cheap_talk(stag(), ["a", "a"])
    with pytest.raises(GameError, match="string"):
        with_cheap_talk(stag(), "ab")
    with pytest.raises(GameError, match="unknown player"):
        with_cheap_talk(stag(), {"China": ["a"]})
    with pytest.raises(GameError, match="message stage"):
        talk_equilibria(stag(), solve(stag()).game, solve(stag()))  # type: ignore[arg-type]
