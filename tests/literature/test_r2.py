"""R2 — institutionalised talks: imperfect monitoring, lapse hazard, pooled enforcement.

Source: MODELS.md section R2; Green, E. J. & Porter, R. H. (1984), "Noncooperative Collusion
under Imperfect Price Information", Econometrica 52(1) (trigger strategies under public signals);
Bernheim, B. D. & Whinston, M. D. (1990), "Multimarket Contact and Collusive Behavior", RAND J.
Econ. 21(1), and Maggi, G. (1999), AER 89(1) (pooled incentive constraints).
Cooperation is sustainable iff δ(1 − λ) ≥ (T − R)/[(q − ε)(R − P) + (1 − ε)(T − R)]:
δ* = 0.5 at (q,ε)=(1,0); 0.5236 at (0.95,0.02); 0.625 at (0.8,0.1); with λ = 0.2 and perfect
monitoring δ ≥ 0.625 (PD 5,3,1,0). Pooled threshold Σ(T_j − R_j)/Σ(T_j − P_j).

The engine derives the threshold from the value recursion of the trigger strategy; the formula
above is used here only as the oracle.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from equishift.games import NormalFormGame
from equishift.games.repeated import LinkedGame, RepeatedGame
from equishift.solver.repeated import critical_delta, linked_threshold, trigger_condition


def pd(t: object, r: object, p: object, s: object) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[r, s], [t, p]], [[r, t], [s, p]], players=["DPRK", "US"], strategies=[["C", "D"]] * 2
    )


PD = pd(5, 3, 1, 0)


@pytest.mark.parametrize(
    ("q", "eps", "expected", "rounded"),
    [
        ("1", "0", Fraction(1, 2), 0.5),
        ("0.95", "0.02", Fraction(100, 191), 0.5236),
        ("0.8", "0.1", Fraction(5, 8), 0.625),
    ],
)
def test_monitoring_thresholds(q: str, eps: str, expected: Fraction, rounded: float) -> None:
    game = RepeatedGame(PD).with_monitoring(detection=q, false_alarm=eps)
    star = critical_delta(game, ("C", "C")).delta_star
    assert star == expected
    assert round(float(star), 4) == rounded


def test_lapse_hazard() -> None:
    """lambda = 0.2, perfect monitoring: delta >= 0.625."""
    th = critical_delta(RepeatedGame(PD, lapse="0.2"), ("C", "C"))
    assert th.delta_star == Fraction(5, 8)
    assert th.lapse == Fraction(1, 5)


def test_derived_condition_matches_published_formula() -> None:
    """The engine's derived constraint solves to the Green–Porter style formula of MODELS R2."""
    delta, u, d, v, q, e, lam = sp.symbols("delta u d v q epsilon lambda")
    cond = trigger_condition()
    root = sp.solve(cond.lhs, delta)[0]
    T, R, P = d, u, v
    published = (T - R) / ((q - e) * (R - P) + (1 - e) * (T - R)) / (1 - lam)
    assert sp.simplify(root - published) == 0


@pytest.mark.parametrize(
    ("q", "eps", "lam"),
    [("0.9", "0.05", "0.1"), ("0.7", "0", "0.3"), ("1", "0.2", "0")],
)
def test_general_monitoring_formula(q: str, eps: str, lam: str) -> None:
    Q, E, L = Fraction(q), Fraction(eps), Fraction(lam)
    T, R, P = 5, 3, 1
    expected = Fraction(T - R) / ((Q - E) * (R - P) + (1 - E) * (T - R)) / (1 - L)
    got = critical_delta(PD, ("C", "C"), detection=q, false_alarm=eps, lapse=lam).delta_star
    assert got == (expected if expected < 1 else None)


def test_uninformative_signals_never_sustain() -> None:
    assert critical_delta(PD, ("C", "C"), detection="0.3", false_alarm="0.3").delta_star is None


def test_pooled_threshold_across_relationships() -> None:
    """Pooling three bilateral relationships: sum(T_j - R_j) / sum(T_j - P_j)."""
    games = (pd(5, 3, 1, 0), pd(4, 3, 0, -1), pd(6, 2, 1, 0))
    linked = LinkedGame(games, issues=("DPRK-US", "DPRK-China", "DPRK-Russia"))
    targets = [("C", "C")] * 3
    expected = Fraction((5 - 3) + (4 - 3) + (6 - 2), (5 - 1) + (4 - 0) + (6 - 1))
    assert linked_threshold(linked, targets).delta_star == expected
