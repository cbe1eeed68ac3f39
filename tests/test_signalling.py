"""Signalling games: tree form, classification, intuitive criterion, separating ranges.

Beer–quiche is Cho & Kreps (1987), "Signaling Games and Stable Equilibria", QJE 102(2): two
pooling equilibria, only the one on beer survives the intuitive criterion.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from equishift.games import GameError, SolverError
from equishift.games.signalling import SignallingGame, costly_signal_game
from equishift.solver.pbe import BeliefSet
from equishift.solver.signalling import (
    classify,
    intuitive_criterion,
    least_cost_separating,
    separating_range,
    signalling_equilibria,
)

F = Fraction


def beer_quiche(p_strong: str = "0.9") -> SignallingGame:
    def u(t: str, m: str, a: str) -> tuple[int, int]:
        likes = 1 if (t == "strong") == (m == "beer") else 0
        spared = 2 if a == "Not" else 0
        right = 1 if (a == "Duel") == (t == "weak") else 0
        return likes + spared, right

    return SignallingGame(
        types={"strong": p_strong, "weak": 1 - F(p_strong)},
        messages=["beer", "quiche"],
        actions=["Duel", "Not"],
        payoffs=u,
        sender="Sender",
        receiver="Receiver",
    )


def test_tree_form() -> None:
    g = beer_quiche()
    tree = g.to_extensive()
    assert tree.n_nodes == 1 + 2 + 4 + 8
    assert [h.label for h in tree.infosets[0]] == ["Sender|strong", "Sender|weak"]
    assert [h.label for h in tree.infosets[1]] == ["Receiver|beer", "Receiver|quiche"]
    assert g.payoff("weak", "quiche", "Not") == (3, 0)
    assert "SignallingGame" in repr(g)


def test_beer_quiche_pooling_and_intuitive_criterion() -> None:
    eqs, complete = signalling_equilibria(beer_quiche(), mixed=False)
    assert complete
    kinds = sorted((eq.kind, next(iter(eq.sender["strong"])), eq.intuitive) for eq in eqs)
    assert kinds == [("pooling", "beer", True), ("pooling", "quiche", False)]
    beer = next(eq for eq in eqs if eq.sender["strong"] == {"beer": 1})
    assert beer.posterior["beer"] == {"strong": F(9, 10), "weak": F(1, 10)}
    off = beer.posterior["quiche"]
    assert isinstance(off, BeliefSet)
    assert off.interval(0) == (0, F(1, 2))  # duel after quiche needs P(strong) <= 1/2
    assert beer.payoffs == {"strong": 3, "weak": 2, "receiver": F(9, 10)}
    assert beer.describe() == "pooling: strong→beer, weak→beer; beer→Not, quiche→Duel"


def test_semi_separating_when_the_prior_is_low() -> None:
    """With P(strong) = 0.1 < 1/2 there is no pure equilibrium; the mixed one is a hybrid."""
    eqs, complete = signalling_equilibria(beer_quiche("0.1"), mixed=True)
    assert not complete
    assert eqs and all(eq.kind == "semi-separating" for eq in eqs)
    eq = eqs[0]
    assert eq.sender["strong"] == {"beer": 1}
    assert eq.sender["weak"] == {"beer": F(1, 9), "quiche": F(8, 9)}
    assert eq.posterior["beer"] == {"strong": F(1, 2), "weak": F(1, 2)}
    assert "(" in eq.describe()


def test_classify_ignores_zero_probability_types() -> None:
    g = SignallingGame(
        types={"a": 1, "b": 0}, messages=["x", "y"], actions=["u"], payoffs=lambda t, m, a: (0, 0)
    )
    assert classify(g, {"a": {"x": F(1)}, "b": {"y": F(1)}}) == "pooling"


def test_intuitive_criterion_without_off_path_messages() -> None:
    g = beer_quiche()
    sep = {"strong": {"beer": F(1)}, "weak": {"quiche": F(1)}}
    assert intuitive_criterion(g, sep, {"strong": F(1), "weak": F(1)})


def test_costly_signal_range() -> None:
    def fam(s: Fraction) -> SignallingGame:
        return costly_signal_game(
            types={"H": "1/2", "L": "1/2"},
            actions=["hire", "pass"],
            value=lambda t, a: (
                4 if a == "hire" else 0,
                (1 if t == "H" else -1) if a == "hire" else 0,
            ),
            cost={"H": 1, "L": 2},
            size=s,
        )

    assert separating_range(fam, lo=0, hi=10) == sympy.Interval(2, 4)
    assert least_cost_separating(fam, lo=0, hi=10) == 2
    assert least_cost_separating(fam, lo=5, hi=10) is None


def test_validation() -> None:
    with pytest.raises(GameError, match="sums to"):
        SignallingGame(types={"a": "1/2"}, messages=["m"], actions=["x"], payoffs=lambda *k: (0, 0))
    with pytest.raises(GameError, match="float"):
        SignallingGame(types={"a": 1.0}, messages=["m"], actions=["x"], payoffs=lambda *k: (0, 0))
    with pytest.raises(GameError, match="unique"):
        SignallingGame(
            types={"a": 1}, messages=["m", "m"], actions=["x"], payoffs=lambda *k: (0, 0)
        )
    with pytest.raises(GameError, match="2 entries"):
        SignallingGame(types={"a": 1}, messages=["m"], actions=["x"], payoffs=lambda *k: (0,))
    with pytest.raises(GameError, match="different labels"):
        SignallingGame(
            types={"a": 1},
            messages=["m"],
            actions=["x"],
            payoffs=lambda *k: (0, 0),
            sender="P",
            receiver="P",
        )
    with pytest.raises(GameError, match="one entry per type"):
        costly_signal_game(
            types={"a": 1}, actions=["x"], value=lambda t, a: (0, 0), cost={}, size=1
        )
    with pytest.raises(GameError, match="unknown"):
        beer_quiche().payoff("mild", "beer", "Duel")
    with pytest.raises(SolverError):
        separating_range(lambda s: beer_quiche(), lo=1.5, hi=2)
