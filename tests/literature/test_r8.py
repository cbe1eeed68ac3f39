"""R8 — China as a cooperative power; Russia friendly but no anti-U.S. pact.

Source: MODELS.md section R8. The strategic triangle (Dittmer, L. (1981), "The Strategic
Triangle: An Elementary Game-Theoretical Analysis", World Politics 33(4); Wu, Y.-S. (1996),
"Exploring Dual Triangles: The Development of Taipei–Washington–Beijing Relations", Issues &
Studies 32(10)): a player scores its own relations plus −1 if the other two are friends, +1 if
they are foes. Results reproduced from the engine's scoring:

- 2018 (US–CN −1, US–RU −1, CN–RU +1) is a stable marriage with the U.S. as outcast
  (US −3, CN +1, RU +1; total −1);
- Russia prefers being pivot (+3) to pact partner (+1);
- the change — US–CN → +1, CN–RU kept friendly, US–RU improved — moves the triangle to a ménage
  à trois (+3 total, every player +1); US–CN → +1 alone makes a romantic triangle with China as
  pivot (computed below).

Bargaining view (Fearon, J. D. (1995), "Rationalist Explanations for War", International
Organization 49(3); Powell, R. (1996), "Bargaining in the Shadow of Power", Games and Economic
Behavior 15(2)): with the receiver's war cost c ~ U[0, C̄], P(war) = max{(C̄ − c_S)/(2C̄),
(p − q)/C̄}: 0.375 uncapped vs 0.5 with a cap q = 0.4 (p = 0.6, C̄ = 0.4, c_S = 0.1). The
engine maximises the proposer's payoff piecewise and exactly; the formula is only the oracle.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy as sp

from equishift.games.bargaining import BargainingModel
from equishift.games.triangle import SignedTriangle
from equishift.solver import solve
from equishift.solver.bargaining import interior_solution, solve_bargaining

T2018 = SignedTriangle(
    ["US", "CN", "RU"], {("US", "CN"): -1, ("US", "RU"): -1, ("CN", "RU"): 1}, title="2018"
)


def test_2018_is_a_stable_marriage_with_the_us_as_outcast() -> None:
    assert T2018.configuration == "stable marriage"
    assert T2018.scores == {"US": -3, "CN": 1, "RU": 1}
    assert T2018.total == -1
    assert T2018.roles == {"US": "outcast", "CN": "partner", "RU": "partner"}


def test_russia_prefers_pivot_to_pact_partner() -> None:
    pivot = T2018.with_sign("US", "RU", 1)  # Russia friendly to both, US–CN still hostile
    assert pivot.configuration == "romantic triangle"
    assert pivot.role("RU") == "pivot"
    assert pivot.score("RU") == 3 > T2018.score("RU") == 1
    # Over all eight configurations, Russia's best score is as pivot, its pact score is +1.
    best = max(SignedTriangle.all_configurations(["US", "CN", "RU"]), key=lambda t: t.score("RU"))
    assert best.role("RU") == "pivot" and best.score("RU") == 3


def test_recommended_change_moves_the_triangle() -> None:
    engaged = T2018.with_sign("US", "CN", 1)
    assert engaged.configuration == "romantic triangle"
    assert engaged.roles == {"US": "wing", "CN": "pivot", "RU": "wing"}
    both = engaged.with_sign("US", "RU", 1)
    assert both.configuration == "ménage à trois"
    assert both.scores == {"US": 1, "CN": 1, "RU": 1} and both.total == 3
    assert both.provenance == ("set US–CN to +1 (was -1)", "set US–RU to +1 (was -1)")


def test_triangle_game_equilibria() -> None:
    game = T2018.game()
    sol = solve(game, method="pure")
    profiles = [eq.pure_profile() for eq in sol.equilibria]
    configs = {T2018.outcome(prof).configuration for prof in profiles if prof is not None}
    # Mutual choices are self-enforcing: every configuration is a pure equilibrium ...
    assert len(sol.equilibria) == 8
    assert configs == {"ménage à trois", "romantic triangle", "stable marriage", "unit veto"}
    # ... and the 2018 one among them.
    assert T2018.profile() in [eq.pure_profile() for eq in sol.equilibria]


P, CS, CBAR = F(3, 5), F(1, 10), F(2, 5)


def test_war_probability_uncapped_and_capped() -> None:
    model = BargainingModel(P, CS, CBAR, players=["United States", "China"])
    free = solve_bargaining(model)
    capped = solve_bargaining(model.with_cap(F(2, 5)))
    assert free.war_probability == F(3, 8)
    assert capped.war_probability == F(1, 2)
    assert capped.cap_binds and not free.cap_binds


def test_interior_formula_derived_from_first_order_condition() -> None:
    sol = interior_solution()
    c_bar, c_s = sp.symbols("C c_S", positive=True)
    assert sp.simplify(sol["war_probability"] - (c_bar - c_s) / (2 * c_bar)) == 0
    assert sp.simplify(sol["second_derivative"]).is_negative


@pytest.mark.parametrize(
    ("p", "c_s", "c_bar", "q"),
    [
        ("0.6", "0.1", "0.4", None),
        ("0.6", "0.1", "0.4", "0.4"),
        ("0.6", "0.1", "0.4", "0.5"),
        ("0.5", "0.05", "0.3", "0.45"),
        ("0.7", "0.2", "0.5", "0.3"),
        ("0.4", "0", "0.2", "0.35"),
    ],
)
def test_max_formula(p: str, c_s: str, c_bar: str, q: str | None) -> None:
    model = BargainingModel(p, c_s, c_bar, q)
    pf, csf, cbf = F(p), F(c_s), F(c_bar)
    expected = (cbf - csf) / (2 * cbf)
    if q is not None:
        expected = max(expected, (pf - F(q)) / cbf)
    assert solve_bargaining(model).war_probability == expected
