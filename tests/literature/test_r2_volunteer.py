"""R2 — size cuts the other way: Diekmann's volunteer's dilemma.

Source: MODELS.md section R2 ("Size cuts the other way"); Diekmann, A. (1985), "Volunteer's
Dilemma", Journal of Conflict Resolution 29(4), 605–610. N players, each may volunteer at
cost K; everybody gets U if at least one volunteers. In the symmetric mixed equilibrium
P(nobody acts) = (K/U)^{N/(N−1)}: 0.0625 at N = 2 and 0.1895 at N = 6 for K/U = 0.25.

The engine builds the N-player normal-form game (strategies Volunteer/Ignore) and solves the
one-variable indifference polynomial exactly with sympy; the closed form is only the oracle.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy as sp

from equishift.solver.symmetric import (
    binary_payoff_functions,
    symmetric_equilibria,
    volunteers_dilemma,
)
from equishift.solver.verify import is_equilibrium


def nobody_acts(n: int, benefit: object = 1, cost: object = F(1, 4)) -> sp.Expr:
    res = symmetric_equilibria(volunteers_dilemma(n, benefit=benefit, cost=cost))
    assert res.complete
    mixed = [e for e in res.equilibria if e.kind == "mixed"]
    assert len(mixed) == 1
    return mixed[0].nobody["Volunteer"]


def test_two_players() -> None:
    """MODELS.md R2 / Diekmann 1985: P(nobody acts) = 0.0625 at N = 2, K/U = 0.25."""
    value = nobody_acts(2)
    assert value == sp.Rational(1, 16)
    assert float(value) == 0.0625


def test_six_players() -> None:
    """MODELS.md R2 / Diekmann 1985: P(nobody acts) = 0.1895 at N = 6, K/U = 0.25."""
    value = nobody_acts(6)
    assert round(float(value), 4) == 0.1895
    assert sp.simplify(value - sp.Rational(1, 4) ** sp.Rational(6, 5)) == 0


@pytest.mark.parametrize("n", [2, 3, 4, 5])
@pytest.mark.parametrize(("benefit", "cost"), [(1, F(1, 4)), (10, 3)])
def test_closed_form_for_several_sizes(n: int, benefit: int, cost: F) -> None:
    """Diekmann 1985: (K/U)^{N/(N−1)}, exactly, for each N and K/U."""
    value = nobody_acts(n, benefit, cost)
    ratio = sp.Rational(F(cost).numerator, F(cost).denominator) / benefit
    assert sp.simplify(value - ratio ** sp.Rational(n, n - 1)) == 0


def test_larger_groups_are_less_likely_to_be_helped() -> None:
    """MODELS.md R2: the probability that nobody acts rises with N (why size alone fails)."""
    values = [float(nobody_acts(n)) for n in (2, 3, 4, 6)]
    assert values == sorted(values)


def test_the_equilibrium_is_verified_on_the_encoded_game() -> None:
    game = volunteers_dilemma(6)
    assert game.n_players == 6 and game.shape == (2,) * 6
    assert game.strategies[0] == ("Volunteer", "Ignore")
    a, b = binary_payoff_functions(game)
    assert set(a) == {F(3, 4)} and b == (0, 1, 1, 1, 1, 1)
    eq = next(e for e in symmetric_equilibria(game).equilibria if e.kind == "mixed")
    p = eq.p_float
    assert is_equilibrium(game, [[p, 1 - p]] * 6, tol=1e-9)
    assert sp.simplify((1 - eq.p) ** 5 - sp.Rational(1, 4)) == 0
