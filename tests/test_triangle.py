"""SignedTriangle: Dittmer's scores, roles and configurations, and the amity/enmity game."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from equishift.games import GameError
from equishift.games.triangle import CONFIGURATIONS, SignedGraph, SignedTriangle
from equishift.solver import solve

PLAYERS = ["A", "B", "C"]

EXPECTED = {
    "ménage à trois": (3, {"friend": 3}),
    "romantic triangle": (1, {"pivot": 1, "wing": 2}),
    "stable marriage": (-1, {"partner": 2, "outcast": 1}),
    "unit veto": (-3, {"foe": 3}),
}


def test_all_eight_configurations() -> None:
    all8 = SignedTriangle.all_configurations(PLAYERS)
    assert len(all8) == 8
    assert Counter(t.configuration for t in all8) == {
        "ménage à trois": 1,
        "romantic triangle": 3,
        "stable marriage": 3,
        "unit veto": 1,
    }
    for t in all8:
        total, roles = EXPECTED[t.configuration]
        assert t.total == total
        assert Counter(t.roles.values()) == roles
        assert set(t.scores.values()) <= {3, 1, -1, -3}
    assert set(CONFIGURATIONS.values()) == set(EXPECTED)


def test_score_rule() -> None:
    t = SignedTriangle(PLAYERS, {("B", "A"): 1, ("C", "A"): -1, ("B", "C"): -1})
    # A: own +1 - 1, others B–C foes: +1
    assert t.score("A") == 1
    assert t.sign("A", "B") == t.sign("B", "A") == 1
    assert t.signs == {("A", "B"): 1, ("A", "C"): -1, ("B", "C"): -1}


@pytest.mark.parametrize(
    ("players", "signs", "message"),
    [
        (["A", "B"], {}, "exactly 3 players"),
        (["A", "A", "B"], {}, "duplicate"),
        (["A", "", "B"], {}, "non-empty"),
        (PLAYERS, {("A", "B"): 1, ("A", "C"): 1}, "no sign given for the relation B–C"),
        (PLAYERS, {("A", "B"): 1, ("B", "A"): 1}, "given twice"),
        (PLAYERS, {("A", "D"): 1}, "not a pair"),
        (PLAYERS, {("A", "A"): 1}, "not a pair"),
        (PLAYERS, {("A", "B"): 0, ("A", "C"): 1, ("B", "C"): 1}, "expected \\+1"),
        (PLAYERS, {("A", "B"): True, ("A", "C"): 1, ("B", "C"): 1}, "expected \\+1"),
    ],
)
def test_validation(players: list[str], signs: dict[tuple[str, str], int], message: str) -> None:
    with pytest.raises(GameError, match=message):
        SignedTriangle(players, signs)


def test_lookups_validate() -> None:
    t = SignedTriangle.all_configurations(PLAYERS)[0]
    with pytest.raises(GameError, match="unknown player"):
        t.score("D")
    with pytest.raises(GameError, match="itself"):
        t.sign("A", "A")
    with pytest.raises(GameError, match="unknown strategy"):
        t.outcome(["x", "y", "z"])
    with pytest.raises(GameError, match="one strategy per player"):
        t.outcome(["x"])


def test_with_sign_returns_new_value() -> None:
    t = SignedTriangle.all_configurations(PLAYERS)[-1]
    u = t.with_sign("C", "B", 1)
    assert t.configuration == "unit veto" and u.configuration == "stable marriage"
    assert u.role("A") == "outcast"
    assert u.provenance == ("set C–B to +1 (was -1)",)


def test_game_payoffs_and_equilibria() -> None:
    t = SignedTriangle.all_configurations(PLAYERS)[0]
    game = t.game()
    assert game.shape == (4, 4, 4)
    assert game.strategies[0] == (
        "amity B, amity C",
        "amity B, enmity C",
        "enmity B, amity C",
        "enmity B, enmity C",
    )
    # every cell's payoffs are the scores of the triangle the profile produces
    for profile in game.profiles():
        assert game.payoff(profile) == tuple(t.outcome(profile).scores.values())
    # amity toward both weakly dominates every other strategy, for every player
    for i in range(3):
        u = np.moveaxis(game.payoff_array(i), i, 0)
        assert all((u[0] >= u[k]).all() and (u[0] > u[k]).any() for k in range(1, 4))
    sol = solve(game, method="pure")
    assert sol.complete and len(sol.equilibria) == 8
    outcomes = [t.outcome(eq.pure_profile() or ()) for eq in sol.equilibria]
    assert sorted(o.configuration for o in outcomes) == sorted(
        c.configuration for c in SignedTriangle.all_configurations(PLAYERS)
    )
    for c in SignedTriangle.all_configurations(PLAYERS):
        assert c.outcome(c.profile()).signs == c.signs


def test_balance_of_triangles() -> None:
    balanced = {t.configuration for t in SignedTriangle.all_configurations(PLAYERS) if t.balanced}
    assert balanced == {"ménage à trois", "stable marriage"}


def test_signed_graph_reduces_to_the_triangle() -> None:
    for t in SignedTriangle.all_configurations(PLAYERS):
        g = SignedGraph(PLAYERS, t.signs)
        assert g.scores == t.scores and g.total == t.total
        assert g.triads() == (t,)
        assert g.is_balanced == t.balanced


def test_signed_graph_four_players() -> None:
    g = SignedGraph(["US", "JP", "CN", "RU"], {("US", "JP"): 1, ("CN", "RU"): 1}, default=-1)
    assert len(g.triads()) == 4
    assert g.total == sum(g.scores.values()) == -4
    assert g.is_balanced  # two camps
    h = g.with_sign("US", "CN", 1)
    assert not h.is_balanced
    assert h.provenance == ("set US–CN to +1 (was -1)",)
    assert h.configurations()["romantic triangle"] == 2
    assert h.sign("CN", "US") == 1


@pytest.mark.parametrize(
    ("players", "signs", "default", "message"),
    [
        (["A", "B"], {}, 1, "at least 3"),
        (["A", "B", "B"], {}, 1, "duplicate"),
        (["A", "B", "C"], {}, 0, "default sign"),
        (["A", "B", "C"], {("A", "B"): 1}, None, "no sign given"),
        (["A", "B", "C"], {("A", "B"): 1, ("B", "A"): 1}, 1, "given twice"),
        (["A", "B", "C"], {("A", "Z"): 1}, 1, "not a pair"),
        (["A", "B", "C"], {("A", "B"): 3}, 1, "expected \\+1"),
    ],
)
def test_signed_graph_validation(
    players: list[str], signs: dict[tuple[str, str], int], default: int | None, message: str
) -> None:
    with pytest.raises(GameError, match=message):
        SignedGraph(players, signs, default=default)
    graph = SignedGraph(["A", "B", "C"], {}, default=1)
    with pytest.raises(GameError, match="unknown player"):
        graph.score("Z")
    with pytest.raises(GameError, match="itself"):
        graph.sign("A", "A")
