"""Perfect Bayesian equilibria: the checker, enumeration, belief sets, parameter regions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from equishift.games import SolverError
from equishift.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from equishift.solver import solve
from equishift.solver.pbe import (
    BeliefSet,
    behavior_from_labels,
    belief_vertices,
    check_assessment,
    pbe_region,
    perfect_bayesian_equilibria,
    pure_profiles,
)

F = Fraction

ENTRY = ExtensiveFormGame.build(
    players=["E", "I"],
    root=Decision(
        "E",
        {
            "Out": Terminal((0, 2)),
            "In": Decision(
                "I", {"Fight": Terminal((-1, -1)), "Share": Terminal((1, 1))}, infoset="I"
            ),
        },
        infoset="E",
    ),
)


def imperfect_entry(out: Fraction | int = 2) -> ExtensiveFormGame:
    """Entrant: Out, or enter with L or R; the incumbent sees entry but not L/R."""

    def inc(fight: tuple[int, int], share: tuple[int, int]) -> Decision:
        return Decision("I", {"u": Terminal(fight), "d": Terminal(share)}, infoset="I")

    return ExtensiveFormGame.build(
        players=["E", "I"],
        root=Decision(
            "E",
            {"Out": Terminal((out, 0)), "L": inc((3, 1), (0, 0)), "R": inc((0, 0), (1, 1))},
            infoset="E",
        ),
    )


def test_incredible_threat_is_not_a_pbe() -> None:
    nash = solve(ENTRY, "normal_form")
    assert len(nash.equilibria) >= 2  # (Out, Fight) is a Nash equilibrium ...
    sol = perfect_bayesian_equilibria(ENTRY)
    assert sol.complete and sol.scope == "pure PBE"
    assert [eq.describe() for eq in sol.equilibria] == ["E: E=In; I: I=Share"]  # ... but not PBE


def test_checker_can_fail() -> None:
    g = imperfect_entry()
    good = behavior_from_labels(g, {"E": {"E": "Out"}, "I": {"I": "d"}})
    assert check_assessment(g, good, [[(1,)], [(F(1, 5), F(4, 5))]]) == []
    # the same play with a belief making d irrational off the path
    bad = check_assessment(g, good, [[(1,)], [(F(4, 5), F(1, 5))]])
    assert len(bad) == 1 and "plays 'd' but 'u' gains" in bad[0]
    # a belief that is not a distribution
    assert "not a distribution" in check_assessment(g, good, [[(1,)], [(F(1), F(1))]])[0]
    # Bayes' rule applies on the path: E plays L, so the belief must be (1, 0)
    on = behavior_from_labels(g, {"E": {"E": "L"}, "I": {"I": "u"}})
    assert check_assessment(g, on, [[(1,)], [(1, 0)]]) == []
    msgs = check_assessment(g, on, [[(1,)], [(F(1, 2), F(1, 2))]])
    assert any("Bayes' rule" in m for m in msgs)
    # sequential rationality on the path: E could do better than Out against u
    worse = behavior_from_labels(g, {"E": {"E": "Out"}, "I": {"I": "u"}})
    assert any(
        "'E'" in m and "'L' gains 1" in m for m in check_assessment(g, worse, [[(1,)], [(1, 0)]])
    )


def test_off_path_belief_interval() -> None:
    sol = perfect_bayesian_equilibria(imperfect_entry(out=2))
    descr = [eq.describe() for eq in sol.equilibria]
    assert descr == ["E: E=Out; I: I=d {P(L) in [0, 1/2]}", "E: E=L; I: I=u [1, 0]"]
    outs = [eq for eq in sol.equilibria if eq.action("E", "E") == "Out"]
    assert len(outs) == 1  # Out supported by d, with beliefs that make d optimal
    eq = outs[0]
    assert eq.action("I", "I") == "d" and not eq.on_path[1][0]
    b = eq.belief("I", "I")
    assert isinstance(b, BeliefSet)
    assert b.interval(0) == (0, F(1, 2))  # u pays P(L), d pays P(R): d needs P(L) <= 1/2
    assert b.contains((F(1, 2), F(1, 2))) and not b.contains((F(3, 4), F(1, 4)))
    assert b.describe() == "P(L) in [0, 1/2]"
    assert b.representative() == (F(1, 4), F(3, 4))
    for e in sol.equilibria:
        assert check_assessment(sol.game, e.behavior, e.representative_beliefs()) == []


def test_belief_vertices() -> None:
    assert belief_vertices([(1, -1), (-1, 1)], 2) == ((F(1, 2), F(1, 2)),)
    assert belief_vertices([(-1, -1)], 2) == ()
    three = belief_vertices([(1, -1, 0)], 3)
    assert (F(0), F(0), F(1)) in three and (F(1, 2), F(1, 2), F(0)) in three
    with pytest.raises(SolverError, match="empty"):
        BeliefSet(("a", "b"), ((F(-1), F(-1)),), ()).interval()
    assert BeliefSet(("a", "b"), (), ()).describe() == "no supporting belief"


def pennies() -> ExtensiveFormGame:
    def b(x: int) -> Decision:
        return Decision("B", {"H": Terminal((x, -x)), "T": Terminal((-x, x))}, infoset="B")

    return ExtensiveFormGame.build(
        players=["A", "B"], root=Decision("A", {"H": b(1), "T": b(-1)}, infoset="A")
    )


def test_mixed_pbe_from_normal_form() -> None:
    assert not perfect_bayesian_equilibria(pennies()).equilibria
    sol = perfect_bayesian_equilibria(pennies(), mixed=True)
    assert not sol.complete and len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.probability("A", "A", "H") == F(1, 2) and eq.action("A", "A") is None
    assert eq.belief("B", "B") == (F(1, 2), F(1, 2))
    assert not eq.is_pure
    assert "(H 1/2, T 1/2)" in eq.describe()


def random_tree(rng: np.random.Generator) -> ExtensiveFormGame:
    """Chance, a sender-like mover with two types, a receiver who sees only the move."""

    def leaf() -> Terminal:
        return Terminal(tuple(int(x) for x in rng.integers(-3, 4, size=2)))

    def rec(m: str) -> Decision:
        return Decision("R", {"a": leaf(), "b": leaf(), "c": leaf()}, infoset=f"R|{m}")

    def snd(t: str) -> Decision:
        return Decision("S", {"m": rec("m"), "n": rec("n")}, infoset=f"S|{t}")

    p = F(int(rng.integers(1, 5)), 5)
    return ExtensiveFormGame.build(
        players=["S", "R"], root=Chance({"x": (p, snd("x")), "y": (1 - p, snd("y"))})
    )


@pytest.mark.parametrize("seed", range(15))
def test_every_reported_pbe_passes_the_checker_and_is_nash(seed: int) -> None:
    g = random_tree(np.random.default_rng(seed))
    sol = perfect_bayesian_equilibria(g, mixed=seed % 3 == 0)
    from equishift.solver.extensive import behavior_regrets

    for eq in sol.equilibria:
        assert check_assessment(g, eq.behavior, eq.representative_beliefs()) == []
        _, regrets = behavior_regrets(g, eq.behavior)
        assert all(r == 0 for r in regrets)  # every PBE is a Nash equilibrium
        for i, row in enumerate(eq.beliefs):
            for k, b in enumerate(row):
                if isinstance(b, BeliefSet):
                    assert not eq.on_path[i][k]
                    for v in b.vertices:  # every vertex of a reported set supports the play
                        beliefs = [list(r) for r in eq.representative_beliefs()]
                        beliefs[i][k] = v
                        assert check_assessment(g, eq.behavior, beliefs) == []


def test_pure_pbe_are_exactly_the_pure_profiles_passing_some_belief() -> None:
    g = imperfect_entry(out=2)
    found = {eq.behavior for eq in perfect_bayesian_equilibria(g).equilibria}
    grid = [(F(k, 4), 1 - F(k, 4)) for k in range(5)]
    for prof in pure_profiles(g):
        beh = behavior_from_labels(g, prof)
        ok = any(check_assessment(g, beh, [[(1,)], [b]]) == [] for b in grid)
        assert ok == (beh in found)


def test_pbe_region_and_errors() -> None:
    def fam(x: Fraction) -> ExtensiveFormGame:
        return ExtensiveFormGame.build(
            players=["A"],
            root=Decision("A", {"s": Terminal((1,)), "r": Terminal((x * x * 4,))}, infoset="h"),
        )

    assert pbe_region(fam, {"A": {"h": "r"}}, degree=2) == sympy.Interval(F(1, 2), 1)
    with pytest.raises(SolverError, match="not a polynomial"):
        pbe_region(fam, {"A": {"h": "r"}}, degree=1)
    with pytest.raises(SolverError, match="no choice"):
        pbe_region(fam, {"A": {}}, degree=2)
    with pytest.raises(SolverError, match="no action"):
        behavior_from_labels(fam(F(1)), {"A": {"h": "zz"}})
    # Out is a PBE iff the outside option x pays at least 1 (what R earns against d);
    # the off-path belief is checked inside the region found.
    out_d = {"E": {"E": "Out"}, "I": {"I": "d"}}
    region = pbe_region(lambda x: imperfect_entry(out=x), out_d, lo=0, hi=3, degree=1)
    assert region == sympy.Interval(1, 3)


def test_limits() -> None:
    forgetful = ExtensiveFormGame.build(
        players=["A"],
        root=Decision(
            "A",
            {
                "x": Decision("A", {"u": Terminal((1,)), "v": Terminal((0,))}, infoset="h"),
                "y": Decision("A", {"u": Terminal((0,)), "v": Terminal((1,))}, infoset="h"),
            },
        ),
    )
    with pytest.raises(SolverError, match="perfect recall"):
        perfect_bayesian_equilibria(forgetful)
    with pytest.raises(SolverError, match="max_profiles"):
        perfect_bayesian_equilibria(ENTRY, max_profiles=3)


def test_bayes_rule_below_an_off_path_deviation() -> None:
    """After A's deviation (In), chance still moves: B's belief is pinned by the chance odds."""

    def b(x: int) -> Decision:
        return Decision("B", {"l": Terminal((-1, x)), "r": Terminal((-1, -x))}, infoset="B")

    g = ExtensiveFormGame.build(
        players=["A", "B"],
        root=Decision(
            "A",
            {"Out": Terminal((0, 0)), "In": Chance({"x": ("1/3", b(1)), "y": ("2/3", b(-1))})},
            infoset="A",
        ),
    )
    sol = perfect_bayesian_equilibria(g)
    assert [eq.describe() for eq in sol.equilibria] == ["A: A=Out; B: B=r [1/3, 2/3]"]
    eq = sol.equilibria[0]
    assert eq.belief("B", "B") == (F(1, 3), F(2, 3)) and not eq.on_path[1][0]
    wrong = check_assessment(g, eq.behavior, [[(1,)], [(F(1), F(0))]])
    assert any("Bayes' rule (expected 1/3, 2/3)" in m for m in wrong)
    region = pbe_region(lambda x: g, {"A": {"A": "Out"}, "B": {"B": "r"}}, degree=0)
    assert region == sympy.Interval(0, 1)


@pytest.mark.parametrize("seed", range(5))
def test_positive_affine_payoff_changes_keep_the_pbe(seed: int) -> None:
    """MODELS.md cross-cutting check: scaling or shifting a player's payoffs changes nothing."""
    from equishift.games.extensive_form import Node

    g = random_tree(np.random.default_rng(seed))

    def affine(node: Node) -> Node:
        if isinstance(node, Terminal):
            assert node.payoffs is not None
            x, y = node.payoffs
            return Terminal((3 * x + 1, F(1, 2) * y - 7))
        if isinstance(node, Chance):
            return Chance({a: (p, affine(c)) for a, (p, c) in node.actions.items()})
        return Decision(
            node.player, {a: affine(c) for a, c in node.actions.items()}, infoset=node.infoset
        )

    h = ExtensiveFormGame.build(players=["S", "R"], root=affine(g.to_tree()))
    a = perfect_bayesian_equilibria(g)
    b = perfect_bayesian_equilibria(h)
    assert [e.behavior for e in a.equilibria] == [e.behavior for e in b.equilibria]
    assert [e.representative_beliefs() for e in a.equilibria] == [
        e.representative_beliefs() for e in b.equilibria
    ]
