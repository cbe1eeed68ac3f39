"""R4 — linking the Korean talks with U.S.–Russia risk-reduction dialogue.

Source: MODELS.md section R4; Bernheim, B. D. & Whinston, M. D. (1990), "Multimarket Contact and
Collusive Behavior", RAND J. Econ. 21(1); Spagnolo, G. (1999), "On Interdependent Supergames",
J. Econ. Theory 89(1). Separate δ* = 0.5 for Korea K (T=5, R=3, P=1) and ≈ 0.0667 for the dialogue
G (T=3, R=2.8, P=0); linked δ* = Σ(T_i − R_i)/Σ(T_i − P_i) = 11/35 ≈ 0.3143, so at δ = 0.4 both
are sustained only when linked; linking identical games gains nothing. Jervis, R. (1978),
"Cooperation under the Security Dilemma", World Politics 30(2): raising R or S favours
cooperation (lowers δ*), raising T or P hurts it.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import NormalFormGame
from equishift.games.repeated import LinkedGame
from equishift.solver.repeated import critical_delta, delinked_thresholds, linked_threshold


def pd(t: object, r: object, p: object, s: object = 0) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[r, s], [t, p]], [[r, t], [s, p]], players=["US", "Russia"], strategies=[["C", "D"]] * 2
    )


KOREA = pd(5, 3, 1, 0)
DIALOGUE = pd(3, "2.8", 0, 0)
COOP = ("C", "C")


def test_separate_and_linked_thresholds() -> None:
    game = LinkedGame((KOREA, DIALOGUE), issues=("Korea", "dialogue"), delta="0.4")
    k, g = delinked_thresholds(game.delinked(), [COOP, COOP])
    assert k.delta_star == Fraction(1, 2)
    assert g.delta_star == Fraction(1, 15)
    assert round(float(g.delta_star), 4) == 0.0667
    linked = linked_threshold(game, [COOP, COOP])
    assert linked.delta_star == Fraction(11, 35)
    assert round(float(linked.delta_star), 4) == 0.3143
    # at delta = 0.4 only the dialogue survives separately; both survive linked
    assert not k.sustainable("0.4") and g.sustainable("0.4")
    assert linked.sustainable("0.4")


def test_linking_identical_games_gains_nothing() -> None:
    alone = critical_delta(KOREA, COOP).delta_star
    assert linked_threshold(LinkedGame((KOREA, KOREA)), [COOP, COOP]).delta_star == alone


# T > R > P > S, small integers
pds = st.tuples(st.integers(-3, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)).map(
    lambda x: (x[0] + x[1] + x[2] + x[3], x[0] + x[1] + x[2], x[0] + x[1], x[0])
)


def star(game: NormalFormGame) -> Fraction:
    value = critical_delta(game, COOP).delta_star
    assert isinstance(value, Fraction)
    return value


@settings(max_examples=25, deadline=None)
@given(pds, pds)
def test_linked_threshold_between_separate(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    ga, gb = pd(*a[:3], a[3]), pd(*b[:3], b[3])
    linked = linked_threshold(LinkedGame((ga, gb)), [COOP, COOP]).delta_star
    lo, hi = sorted((star(ga), star(gb)))
    assert lo <= linked <= hi


@settings(max_examples=15, deadline=None)
@given(pds)
def test_linked_identical_equals_separate(a: tuple[int, ...]) -> None:
    g = pd(*a[:3], a[3])
    assert linked_threshold(LinkedGame((g, g, g)), [COOP] * 3).delta_star == star(g)


@settings(max_examples=25, deadline=None)
@given(pds, st.integers(1, 3))
def test_jervis_levers(a: tuple[int, ...], step: int) -> None:
    t, r, p, s = a
    base = star(pd(t, r, p, s))
    if r + step < t:  # raising R (still a PD) lowers delta*
        assert star(pd(t, r + step, p, s)) < base
    assert star(pd(t + step, r, p, s)) > base  # raising T raises it
    if p + step < r:  # raising P raises it
        assert star(pd(t, r, p + step, s)) > base
    if s + step < p:  # raising S: never raises it (grim trigger does not use S)
        assert star(pd(t, r, p, s + step)) <= base
