"""R7 — Japan keeps its exclusively defense-oriented posture: arms race and posture game.

Source: MODELS.md section R7. Japan (x) – China (y) arms race as best-response dynamics of a
continuous game (Richardson, L. F. (1960), "Arms and Insecurity", Boxwood Press; Simaan, M. &
Cruz, J. B. (1975), "Formulation of Richardson's model of arms race from a differential game
viewpoint", Review of Economic Studies 42(1)):

    dx/dt = a·y − m·x + g,   dy/dt = b·x − n·y + h,   m = n = 0.5, a = 0.3, g = h = 1.

Results reproduced from the engine (never typed into the code):

- equilibrium x* = (ng + ah)/(mn − ab), y* = (mh + bg)/(mn − ab) — the engine solves the linear
  system symbolically and exactly;
- asymptotically stable iff mn > ab (Routh–Hurwitz on the Jacobian's characteristic polynomial):
  (5, 5) stable at b = 0.3; at b = 0.9, mn − ab = −0.02 < 0: the rest point of the linear system
  is (−40, −70), infeasible and a saddle, and the race from (0, 0) runs away;
- the critical reaction is b* = mn/a = 5/6.

Discrete posture game, Japan {Defensive, Strike-capable} × China {Restraint, Build-up} (Jervis,
R. (1978), "Cooperation under the Security Dilemma", World Politics 30(2)): a Stag Hunt when
postures are distinguishable, a Prisoner's Dilemma when not.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import sympy as sp

from equishift.games import NormalFormGame
from equishift.games.continuous import LinearResponseGame
from equishift.games.taxonomy import classify
from equishift.solver import solve
from equishift.solver.continuous import (
    equilibrium,
    equilibrium_formula,
    parameter_shift,
    simulate,
    stability,
    stability_boundary,
)

PLAYERS = ["Japan", "China"]


def race(b: str) -> LinearResponseGame:
    return LinearResponseGame.richardson(a="3/10", b=b, m="1/2", n="1/2", g=1, h=1, players=PLAYERS)


def test_equilibrium_formula_is_richardsons() -> None:
    f = equilibrium_formula(race("3/10"))
    a, b, m, n, g, h = sp.symbols("a b m n g h", real=True)
    assert sp.simplify(f["Japan"] - (n * g + a * h) / (m * n - a * b)) == 0
    assert sp.simplify(f["China"] - (m * h + b * g) / (m * n - a * b)) == 0


def test_low_reaction_gives_stable_five_five() -> None:
    game = race("3/10")
    eq = equilibrium(game)
    assert eq.levels == {"Japan": F(5), "China": F(5)}
    assert eq.nonnegative
    s = stability(game)
    assert s.continuous_time and s.discrete_time
    # 2x2 Routh–Hurwitz: trace < 0 and det > 0, det = mn - ab = 4/25
    assert s.characteristic_polynomial == (1, 1, F(4, 25))
    path = simulate(game, t_end=100)
    assert np.allclose(path.levels[-1], [5.0, 5.0], atol=1e-6)


def test_high_reaction_runaway_race() -> None:
    game = race("9/10")
    s = stability(game)
    assert s.characteristic_polynomial[-1] == F(-1, 50)  # mn - ab < 0
    assert not s.continuous_time and not s.discrete_time
    assert s.max_real_part > 0
    eq = equilibrium(game)
    # what the engine finds: the linear system's rest point exists but is negative (infeasible)
    assert eq.levels == {"Japan": F(-40), "China": F(-70)}
    assert not eq.nonnegative
    path = simulate(game, t_end=200)
    dist = path.distance_to_equilibrium()
    assert np.all(np.diff(dist) > 0)  # trajectories from (0, 0) diverge
    assert np.all(np.diff(path.levels, axis=0) > 0)  # both arms levels keep rising
    assert path.final["Japan"] > 1000 and path.final["China"] > 1000


def test_stability_lost_at_b_star_equals_mn_over_a() -> None:
    sb = stability_boundary(race("3/10"), "b")
    assert sb.critical_values == (F(5, 6),)
    a, m, n = sp.symbols("a m n", real=True)
    assert len(sb.formulas) == 1 and sp.simplify(sb.formulas[0] - m * n / a) == 0
    assert sb.is_stable_at("0.3") and not sb.is_stable_at("0.9")
    shift = parameter_shift(race("3/10"), "b", "9/10")
    assert shift.crossed == (F(5, 6),)
    assert shift.stability_before.continuous_time and not shift.stability_after.continuous_time


# Posture game. Japan's "cooperative" move is Defensive, China's is Restraint.
# Distinguishable postures (Jervis's "security dilemma but compatible requirements" world):
# each side can see that the other's forces are defensive, so mutual restraint is best for both
# (R = 4); adding strike capability against a restrained China buys little extra security at a
# real cost (T = 3 < R); mutual build-up is costly but safe (P = 2); being the only one to hold
# back against an offensive posture is worst (S = 0). R > T > P > S: a Stag Hunt.
DISTINGUISHABLE = NormalFormGame.from_mapping(
    {
        ("Defensive", "Restraint"): (4, 4),
        ("Defensive", "Build-up"): (0, 3),
        ("Strike-capable", "Restraint"): (3, 0),
        ("Strike-capable", "Build-up"): (2, 2),
    },
    players=PLAYERS,
)
# Indistinguishable postures (strike capability makes Japan's posture look offensive): restraint
# cannot be verified, so exploiting a restrained opponent pays most (T = 5) and mutual restraint
# (R = 3) is no longer the first choice; mutual build-up (P = 1) beats being exploited (S = 0).
# T > R > P > S: a Prisoner's Dilemma.
INDISTINGUISHABLE = NormalFormGame.from_mapping(
    {
        ("Defensive", "Restraint"): (3, 3),
        ("Defensive", "Build-up"): (0, 5),
        ("Strike-capable", "Restraint"): (5, 0),
        ("Strike-capable", "Build-up"): (1, 1),
    },
    players=PLAYERS,
)


def test_distinguishable_postures_are_a_stag_hunt() -> None:
    assert classify(DISTINGUISHABLE).name == "Stag Hunt"
    sol = solve(DISTINGUISHABLE)
    pure = [eq.pure_profile() for eq in sol.equilibria if eq.is_pure]
    assert pure == [("Defensive", "Restraint"), ("Strike-capable", "Build-up")]
    assert sol.complete and len(sol.equilibria) == 3


def test_indistinguishable_postures_are_a_prisoners_dilemma() -> None:
    assert classify(INDISTINGUISHABLE).name == "Prisoner's Dilemma"
    sol = solve(INDISTINGUISHABLE)
    assert sol.complete
    assert [eq.pure_profile() for eq in sol.equilibria] == [("Strike-capable", "Build-up")]
