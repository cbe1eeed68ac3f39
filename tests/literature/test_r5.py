"""R5 — regular summits: contact frequency and collective stability of reciprocity.

Source: MODELS.md section R5; Axelrod, R. (1984), The Evolution of Cooperation, ch. 7 ("enlarge
the shadow of the future") and Proposition 2 (TFT is collectively stable iff
w ≥ max{(T − R)/(T − P), (T − R)/(R − S)}). With per-contact discount δ = e^{−rΔ}, cooperation
holds iff Δ ≤ ln[(T − P)/(T − R)]/r: 2.773, 1.386, 0.693 years at r = 0.25, 0.5, 1 for (5,3,1);
TFT collectively stable iff w ≥ 2/3 for (5,3,1,0).

The collective-stability threshold is computed from the automata's discounted payoffs against
every mutant policy (ALLD and alternation among them), not from the proposition's formula.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy as sp

from equishift.games import NormalFormGame
from equishift.games.repeated import RepeatedGame
from equishift.solver.reciprocity import collective_stability, tit_for_tat
from equishift.solver.repeated import critical_delta, max_contact_interval


def pd(t: int, r: int, p: int, s: int) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[r, s], [t, p]], [[r, t], [s, p]], strategies=[["C", "D"]] * 2
    )


PD = pd(5, 3, 1, 0)


@pytest.mark.parametrize(("rate", "years"), [("0.25", 2.773), ("0.5", 1.386), ("1", 0.693)])
def test_max_contact_interval(rate: str, years: float) -> None:
    dmax = max_contact_interval(critical_delta(PD, ("C", "C")), rate)
    assert round(float(dmax), 3) == years
    assert sp.simplify(dmax - sp.log(2) / sp.Rational(rate)) == 0


@pytest.mark.parametrize("interval", ["1", "2.7", "2.8", "4"])
def test_contact_interval_decides_cooperation(interval: str) -> None:
    game = RepeatedGame(PD, rate="0.25", contact_interval=interval)
    th = critical_delta(game, ("C", "C"))
    assert game.discount is not None
    assert th.sustainable(game.discount) == (float(interval) <= 4 * math.log(2))


def test_tft_collectively_stable_from_two_thirds() -> None:
    res = collective_stability(tit_for_tat(), PD)
    assert res.threshold == Fraction(2, 3)
    names = {r.invader: r.threshold for r in res.invaders}
    assert names["ALLD"] == Fraction(1, 2)  # (T - R)/(T - P)
    assert res.binding == ("c→D d→C",)  # alternation D, C, D, ...: (T - R)/(R - S)


@pytest.mark.parametrize(("t", "r", "p", "s"), [(5, 3, 1, 0), (6, 4, 1, 0), (4, 3, 2, 0)])
def test_axelrod_proposition_2(t: int, r: int, p: int, s: int) -> None:
    expected = max(Fraction(t - r, t - p), Fraction(t - r, r - s))
    assert collective_stability(tit_for_tat(), pd(t, r, p, s)).threshold == expected


def test_invasion_below_threshold() -> None:
    """Below 2/3 some mutant earns more against TFT than TFT earns against itself."""
    res = collective_stability(tit_for_tat(), PD)
    w = sp.Symbol("w", positive=True)
    at = {r.invader: r.advantage for r in res.invaders}
    assert any(adv.subs(w, sp.Rational(3, 5)) > 0 for adv in at.values())
    assert all(adv.subs(w, sp.Rational(7, 10)) <= 0 for adv in at.values())
