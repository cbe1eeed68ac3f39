"""Symmetric equilibria of symmetric N-player games with two actions.

In a symmetric game with two actions, a player's payoff depends only on their
own action and on how many of the other :math:`N - 1` players choose the first
action: :math:`a(k)` when playing the first action and :math:`b(k)` when
playing the second, with :math:`k` others on the first action. When every
other player takes the first action with probability :math:`p`, the advantage
of the first action is the one-variable polynomial

.. math:: D(p) = \\sum_{k=0}^{N-1} \\binom{N-1}{k} p^k (1-p)^{N-1-k} \\,[a(k) - b(k)].

The symmetric equilibria are :math:`p = 1` if :math:`D(1) \\ge 0`, :math:`p = 0`
if :math:`D(0) \\le 0`, and every root of :math:`D` in :math:`(0, 1)`. The roots
are found exactly with sympy (rational, in radicals when sympy can, otherwise as
an exact ``CRootOf``), and every equilibrium is re-checked with
:func:`equishift.solver.verify.certificate` on the game itself.

Diekmann's volunteer's dilemma (1985, "Volunteer's Dilemma", J. Conflict
Resolution 29(4)): each of N players can volunteer at cost K; everybody gets U
if at least one volunteers, 0 otherwise. Built here as an N-player
:class:`~equishift.games.NormalFormGame` by :func:`volunteers_dilemma`, its
symmetric mixed equilibrium gives P(nobody volunteers) :math:`= (K/U)^{N/(N-1)}`:

>>> from fractions import Fraction
>>> res = symmetric_equilibria(volunteers_dilemma(2, benefit=1, cost=Fraction(1, 4)))
>>> mixed = res.equilibria[-1]
>>> mixed.p, mixed.nobody["Volunteer"]
(3/4, 1/16)
>>> res6 = symmetric_equilibria(volunteers_dilemma(6, benefit=1, cost=Fraction(1, 4)))
>>> round(float(res6.equilibria[-1].nobody["Volunteer"]), 4)
0.1895
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..games.errors import GameError
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, to_number
from .verify import DEFAULT_TOL, certificate

__all__ = [
    "SymmetricBinaryResult",
    "SymmetricEquilibrium",
    "binary_payoff_functions",
    "symmetric_equilibria",
    "volunteers_dilemma",
]


def volunteers_dilemma(
    n: int,
    *,
    benefit: Any = 1,
    cost: Any = Fraction(1, 4),
    strategies: Sequence[str] = ("Volunteer", "Ignore"),
) -> NormalFormGame:
    """Diekmann's volunteer's dilemma as an N-player normal-form game.

    A volunteer gets ``benefit - cost``; a player who ignores gets ``benefit``
    when somebody volunteers and 0 when nobody does.

    Raises
    ------
    GameError
        Unless ``n >= 2`` and ``0 < cost < benefit``.

    Examples
    --------
    >>> from equishift.games.numbers import format_number
    >>> g = volunteers_dilemma(3)
    >>> g.shape
    (2, 2, 2)
    >>> [format_number(v) for v in g.payoff(("Volunteer", "Ignore", "Ignore"))]
    ['3/4', '1', '1']
    >>> [format_number(v) for v in g.payoff(("Ignore", "Ignore", "Ignore"))]
    ['0', '0', '0']
    """
    if n < 2:
        raise GameError("the volunteer's dilemma needs at least 2 players")
    u = to_number(benefit, what="benefit")
    k = to_number(cost, what="cost")
    if not 0 < k < u:
        raise GameError(f"the volunteer's dilemma needs 0 < cost < benefit; got {k} and {u}")
    payoffs = np.empty((2,) * n + (n,), dtype=object)
    for prof in itertools.product((0, 1), repeat=n):
        anyone = any(s == 0 for s in prof)
        for i, s in enumerate(prof):
            payoffs[(*prof, i)] = u - k if s == 0 else (u if anyone else u * 0)
    return NormalFormGame(
        payoffs,
        players=[f"Player {i + 1}" for i in range(n)],
        strategies=[list(strategies)] * n,
        title=f"Volunteer's dilemma, N = {n}",
    )


def binary_payoff_functions(
    game: NormalFormGame,
) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
    """``(a, b)``: payoff of the first / second action when ``k`` others take the first.

    Raises
    ------
    GameError
        Unless every player has two strategies and the game is symmetric: every
        player's payoff is the same function of their own action and the number
        of others taking the first action.

    Examples
    --------
    >>> a, b = binary_payoff_functions(volunteers_dilemma(3))
    >>> [str(v) for v in a], [str(v) for v in b]
    (['3/4', '3/4', '3/4'], ['0', '1', '1'])
    """
    n = game.n_players
    if n < 2 or game.shape != (2,) * n:
        raise GameError(
            f"symmetric binary-action games need >= 2 players with 2 strategies each; "
            f"this game has shape {game.shape}"
        )
    f: dict[tuple[int, int], Number] = {}
    for prof in itertools.product((0, 1), repeat=n):
        for i in range(n):
            k = sum(1 for j, s in enumerate(prof) if j != i and s == 0)
            key = (prof[i], k)
            v = game.payoffs[(*prof, i)]
            if key not in f:
                f[key] = v
            elif f[key] != v:
                raise GameError(
                    "the game is not symmetric: payoffs depend on more than a player's own "
                    f"action and how many others take {game.strategies[0][0]!r}"
                )
    a = tuple(f[(0, k)] for k in range(n))
    b = tuple(f[(1, k)] for k in range(n))
    return a, b


@dataclass(frozen=True)
class SymmetricEquilibrium:
    """A symmetric equilibrium: every player takes the first action with probability ``p``.

    Attributes
    ----------
    p
        Exact probability of the first action (a sympy number: rational,
        radical or ``CRootOf``).
    kind
        ``"pure"`` or ``"mixed"``.
    payoff
        Each player's expected payoff (sympy, exact).
    nobody
        ``{action: probability that no player takes it}`` (sympy, exact).
    regret
        Largest gain from deviating, checked on the game: exactly 0 for rational
        ``p``, at most the tolerance otherwise.
    """

    p: Any
    kind: str
    payoff: Any
    nobody: dict[str, Any]
    regret: Number

    @property
    def p_float(self) -> float:
        """``p`` as a float."""
        return float(self.p)

    @property
    def is_rational(self) -> bool:
        """True when ``p`` is a rational number."""
        return bool(self.p.is_Rational)


@dataclass(frozen=True)
class SymmetricBinaryResult:
    """All symmetric equilibria of a symmetric binary-action game.

    Attributes
    ----------
    strategies
        The two action labels (``p`` is the probability of the first).
    polynomial
        :math:`D(p)`, the first action's expected advantage, as text.
    equilibria
        Pure ones first (``p = 0`` then ``p = 1``), then mixed by increasing ``p``.
    complete
        False when :math:`D \\equiv 0` (every ``p`` is an equilibrium; only the
        pure ones are listed).
    notes
        Method and caveats.
    """

    strategies: tuple[str, str]
    polynomial: str
    equilibria: tuple[SymmetricEquilibrium, ...]
    complete: bool
    notes: tuple[str, ...]


def _sympy_number(v: Number) -> Any:
    import sympy

    f = Fraction(v)  # floats are read as their exact binary value
    return sympy.Rational(f.numerator, f.denominator)


def _radical(root: Any) -> Any:
    """An equivalent radical expression for a real ``CRootOf`` when sympy finds one."""
    import sympy

    if root.is_Rational or not isinstance(root, sympy.CRootOf):
        return root
    poly = root.poly
    x = poly.gen
    n = poly.degree()
    coeffs = poly.all_coeffs()
    shift = -coeffs[1] / (n * coeffs[0])
    depressed = sympy.Poly(poly.as_expr().subs(x, x + shift).expand(), x)
    target = sympy.N(root, 40)
    for cand in sympy.roots(depressed, filter="R"):
        expr = cand + shift
        if abs(sympy.N(expr, 40) - target) < sympy.Float(10) ** -30:
            return expr
    return root


def symmetric_equilibria(
    game: NormalFormGame, *, tol: float = DEFAULT_TOL
) -> SymmetricBinaryResult:
    """Every symmetric equilibrium of a symmetric N-player game with two actions.

    Parameters
    ----------
    game
        A symmetric game, N >= 2 players, two strategies each (see
        :func:`binary_payoff_functions`).
    tol
        Regret tolerance for irrational equilibria (checked in floats).

    Examples
    --------
    Pure coordination among three players has symmetric equilibria p = 0, 1 and 1/2:

    >>> from equishift.games import NormalFormGame
    >>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]
    >>> res = symmetric_equilibria(NormalFormGame.from_arrays(u, u, u))
    >>> [(e.kind, e.p) for e in res.equilibria]
    [('pure', 0), ('pure', 1), ('mixed', 1/2)]
    """
    import sympy

    a, b = binary_payoff_functions(game)
    n = game.n_players
    p = sympy.Symbol("p")
    d_expr = sum(
        (
            math.comb(n - 1, k)
            * p**k
            * (1 - p) ** (n - 1 - k)
            * (_sympy_number(a[k]) - _sympy_number(b[k]))
            for k in range(n)
        ),
        sympy.Integer(0),
    )
    poly = sympy.Poly(sympy.expand(d_expr), p)
    labels = (game.strategies[0][0], game.strategies[0][1])
    notes = [
        "D(p) = expected payoff of the first action minus the second when every other player "
        "takes the first with probability p; roots in (0, 1) solved exactly with sympy"
    ]
    candidates: list[tuple[Any, str]] = []
    complete = True
    if poly.is_zero:
        complete = False
        notes.append("D(p) is identically 0: every p is a symmetric equilibrium; pure ones listed")
        candidates = [(sympy.Integer(0), "pure"), (sympy.Integer(1), "pure")]
    else:
        if poly.eval(0) <= 0:
            candidates.append((sympy.Integer(0), "pure"))
        if poly.eval(1) >= 0:
            candidates.append((sympy.Integer(1), "pure"))
        seen: list[Any] = []
        for r in poly.real_roots():
            if 0 < r < 1 and all(r != s for s in seen):
                seen.append(r)
                candidates.append((_radical(r), "mixed"))
    out = []
    for value, kind in candidates:
        out.append(_equilibrium(game, value, kind, a, b, labels, tol))
    return SymmetricBinaryResult(
        strategies=labels,
        polynomial=str(poly.as_expr()),
        equilibria=tuple(e for e in out if e is not None),
        complete=complete,
        notes=tuple(notes),
    )


def _compact(expr: Any) -> Any:
    """``expr`` or its expansion, whichever has fewer operations (cheap, unlike simplify)."""
    import sympy

    expanded = sympy.expand(expr)
    return expanded if sympy.count_ops(expanded) <= sympy.count_ops(expr) else expr


def _equilibrium(
    game: NormalFormGame,
    value: Any,
    kind: str,
    a: Sequence[Number],
    b: Sequence[Number],
    labels: tuple[str, str],
    tol: float,
) -> SymmetricEquilibrium | None:
    import sympy

    n = game.n_players
    q = sympy.expand(1 - value)

    def expected(values: Sequence[Number]) -> Any:
        terms = (
            math.comb(n - 1, k) * value**k * q ** (n - 1 - k) * _sympy_number(values[k])
            for k in range(n)
        )
        return sum(terms, sympy.Integer(0))

    payoff = sympy.expand(value * expected(a) + q * expected(b))
    nobody = {labels[0]: _compact(q**n), labels[1]: _compact(value**n)}
    if value.is_Rational:
        pr = Fraction(int(value.p), int(value.q))
        profile: list[list[Number]] = [[pr, 1 - pr] for _ in range(n)]
    else:
        pf = float(value)
        profile = [[pf, 1.0 - pf] for _ in range(n)]
    cert = certificate(game, profile, tol=tol)
    if not cert.is_equilibrium:  # pragma: no cover - roots of D are equilibria by construction
        return None
    return SymmetricEquilibrium(value, kind, payoff, nobody, cert.max_regret)
