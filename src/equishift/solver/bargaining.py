"""The proposer's optimal offer and the probability of war in :class:`BargainingModel`.

:func:`solve_bargaining` maximises the proposer's expected payoff exactly, piece by piece: on
each piece of the acceptance rule (:meth:`BargainingModel.pieces`) the payoff is a polynomial in
the offer (quadratic on the interior piece), so its maximisers are among the piece's end points
and the real roots of its derivative inside the piece (found with sympy). Every candidate is
evaluated exactly and the best kept; ties go to the larger offer (the lower war probability).

:func:`interior_solution` derives the unconstrained interior optimum symbolically from the first-
order condition — the formula :math:`P(\\text{war}) = (\\bar C - c_S)/(2\\bar C)` is an output of
the derivation, not an input.

Examples
--------
>>> from equishift.games.bargaining import BargainingModel
>>> m = BargainingModel(p="0.6", proposer_cost="0.1", max_receiver_cost="0.4")
>>> out = solve_bargaining(m)
>>> out.offer, out.war_probability, out.cap_binds
(Fraction(9, 20), Fraction(3, 8), False)
>>> capped = solve_bargaining(m.with_cap("0.4"))
>>> capped.offer, capped.war_probability, capped.cap_binds
(Fraction(2, 5), Fraction(1, 2), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..games.bargaining import BargainingModel
from ..games.numbers import Number, format_number

__all__ = ["BargainingOutcome", "interior_solution", "solve_bargaining"]


@dataclass(frozen=True)
class BargainingOutcome:
    """The proposer's optimal offer and what follows from it.

    Attributes
    ----------
    model
        The model solved.
    offer
        The optimal concession :math:`x^*`.
    war_probability
        :math:`P(\\text{war} \\mid x^*)`.
    proposer_payoff
        The proposer's expected payoff at :math:`x^*`.
    cap_binds
        True when a cap is set and the uncapped optimum would offer more than it.
    uncapped_offer
        The optimum without the cap (equal to ``offer`` when there is none).
    candidates
        Every candidate offer examined with the proposer's payoff there, in increasing offer.
    """

    model: BargainingModel
    offer: Number
    war_probability: Number
    proposer_payoff: Number
    cap_binds: bool
    uncapped_offer: Number
    candidates: tuple[tuple[Number, Number], ...]

    def describe(self) -> str:
        """One line for people."""
        cap = " (the cap binds)" if self.cap_binds else ""
        a, b = self.model.players
        return (
            f"{a} offers {b} x = {format_number(self.offer)}{cap}; "
            f"P(war) = {format_number(self.war_probability)}"
        )


def _sym(v: Number) -> Any:
    import sympy

    f = v if isinstance(v, Fraction) else Fraction(v)
    return sympy.Rational(f.numerator, f.denominator)


def _frac(v: Any) -> Fraction:
    import sympy

    r = sympy.sympify(v)
    if not isinstance(r, sympy.Rational):  # pragma: no cover - quadratic pieces: rational roots
        raise ValueError(f"non-rational optimum {v}")
    return Fraction(int(r.p), int(r.q))


def _maximise(model: BargainingModel) -> tuple[Fraction, list[tuple[Fraction, Fraction]]]:
    import sympy

    x = sympy.Symbol("x", real=True)
    war = _sym(model.war_value(0))
    best: dict[Fraction, Fraction] = {}
    for low, high, icpt, slope in model.pieces():
        pw = _sym(icpt) + _sym(slope) * x
        payoff = sympy.expand((1 - pw) * (1 - x) + pw * war)
        lo, hi = _frac(_sym(low)), _frac(_sym(high))
        points = {lo, hi}
        for root in sympy.solve(sympy.diff(payoff, x), x):
            if root.is_real:
                r = _frac(root)
                if lo <= r <= hi:
                    points.add(r)
        for pt in points:
            best[pt] = _frac(payoff.subs(x, _sym(pt)))
    cands = sorted(best.items())
    top = max(v for _, v in cands)
    offer = max(pt for pt, v in cands if v == top)
    return offer, cands


def solve_bargaining(model: BargainingModel) -> BargainingOutcome:
    """The proposer's optimal offer by exact piecewise maximisation, and the war probability.

    Float inputs are maximised exactly for the binary fractions they are and reported as floats.

    Examples
    --------
    >>> from equishift.games.bargaining import BargainingModel
    >>> solve_bargaining(BargainingModel(p="0.6", proposer_cost="0.5", max_receiver_cost="0.4")
    ...                  ).war_probability
    Fraction(0, 1)
    """
    offer, cands = _maximise(model)
    if model.cap is None:
        uncapped = offer
    else:
        uncapped, _ = _maximise(model.without_cap())
    exact = model.is_exact

    def out(v: Fraction) -> Number:
        return v if exact else float(v)

    fm = BargainingModel(
        _frac(_sym(model.p)),
        _frac(_sym(model.proposer_cost)),
        _frac(_sym(model.max_receiver_cost)),
        None if model.cap is None else _frac(_sym(model.cap)),
    )
    return BargainingOutcome(
        model=model,
        offer=out(offer),
        war_probability=out(Fraction(fm.war_probability(offer))),
        proposer_payoff=out(Fraction(fm.proposer_payoff(offer))),
        cap_binds=model.cap is not None and uncapped > offer,
        uncapped_offer=out(uncapped),
        candidates=tuple((out(a), out(b)) for a, b in cands),
    )


def interior_solution() -> dict[str, Any]:
    """The interior optimum derived symbolically from the first-order condition.

    On the interior piece :math:`P_w(x) = (p - x)/\\bar C`; the proposer's payoff is maximised
    where its derivative in :math:`x` vanishes. Returns sympy expressions in the symbols
    ``p``, ``C`` (:math:`\\bar C`) and ``c_S`` for the ``"offer"``, the ``"war_probability"`` and
    the ``"second_derivative"`` (negative: a maximum).

    Examples
    --------
    >>> sol = interior_solution()
    >>> sol["offer"], sol["war_probability"], sol["second_derivative"]
    (-C/2 + c_S/2 + p, (C - c_S)/(2*C), -2/C)
    """
    import sympy

    p, c_bar, c_s = sympy.symbols("p C c_S", positive=True)
    x = sympy.Symbol("x", real=True)
    pw = (p - x) / c_bar
    payoff = (1 - pw) * (1 - x) + pw * (1 - p - c_s)
    (offer,) = sympy.solve(sympy.diff(payoff, x), x)
    war = sympy.factor(sympy.simplify(pw.subs(x, offer)))
    return {
        "offer": sympy.expand(offer),
        "war_probability": war,
        "second_derivative": sympy.simplify(sympy.diff(payoff, x, 2)),
    }
