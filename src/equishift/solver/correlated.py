"""Correlated equilibria: what a mediator who recommends actions can achieve (Aumann 1974).

A *correlated equilibrium* (CE) of an N-player normal-form game is a probability
distribution :math:`p` over pure profiles such that no player, told only their own
recommended strategy :math:`s_i`, gains by playing another strategy :math:`t_i`:

.. math::

    \\sum_{s_{-i}} p(s_i, s_{-i})\\,[u_i(s_i, s_{-i}) - u_i(t_i, s_{-i})] \\ge 0
    \\quad \\text{for every } i,\\ s_i \\ne t_i .

These *obedience* constraints, with :math:`p \\ge 0` and :math:`\\sum p = 1`, are a
linear system: the CE form a convex polytope (:class:`CorrelatedPolytope`), which
contains every Nash equilibrium (as the product of its mixtures).

- :func:`is_correlated_equilibrium` checks a distribution, exactly in rational arithmetic.
- :func:`correlated_polytope` returns the constraint matrix and vector (``A_ub p <= b_ub``,
  ``A_eq p = b_eq``) so the polytope can be inspected.
- :func:`best_correlated_equilibrium` maximises a welfare objective by linear programming
  (``scipy.optimize.linprog``, HiGHS), rationalises the answer and *verifies obedience
  exactly*; when the rational answer cannot be verified it falls back to an exact simplex
  in ``Fraction`` arithmetic, and only then (large games) to floats with a stated tolerance.
- :func:`correlated_vertices` lists the vertices of the polytope of small games exactly.
- :func:`compare_with_nash` sets the best CE against the best Nash equilibrium from
  :func:`~equishift.solver.solve`: welfare and the probability of an outcome (the crash).

Examples
--------
Chicken from MODELS.md R1: a mediator who never recommends (Escalate, Escalate) gives each
side 3, more than the symmetric mixed Nash equilibrium (38/13) and without its crash risk.

>>> from equishift.games import NormalFormGame
>>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]],
...     players=["DPRK", "US"], strategies=[["Restrain", "Escalate"]] * 2)
>>> ce = best_correlated_equilibrium(chicken, objective="rawlsian")
>>> ce.payoffs, ce.exact
((Fraction(3, 1), Fraction(3, 1)), True)
>>> ce.probability(("Escalate", "Escalate"))
Fraction(0, 1)
>>> is_correlated_equilibrium(chicken, ce.by_label())
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.errors import GameError, SolverError
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, format_number, to_number
from .solution import Equilibrium
from .verify import DEFAULT_TOL

__all__ = [
    "EXACT_SIMPLEX_MAX_PROFILES",
    "MAX_VERTEX_BASES",
    "CorrelatedEquilibrium",
    "CorrelatedPolytope",
    "MediationComparison",
    "best_correlated_equilibrium",
    "compare_with_nash",
    "correlated_polytope",
    "correlated_vertices",
    "is_correlated_equilibrium",
    "obedience_slack",
    "outcome_probability",
]

EXACT_SIMPLEX_MAX_PROFILES = 400
"""The exact simplex fallback is used for games with at most this many pure profiles."""

MAX_VERTEX_BASES = 400_000
""":func:`correlated_vertices` refuses games with more candidate bases than this."""

_ZERO = Fraction(0)
_ONE = Fraction(1)
_OBJECTIVES = ("utilitarian", "rawlsian")


# ---------------------------------------------------------------------------------------------
# The polytope
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class CorrelatedPolytope:
    """The correlated equilibria of a game as a polytope in the space of distributions.

    Variables are the probabilities of the pure profiles, in the order of
    :attr:`profiles` (C order, as :meth:`NormalFormGame.profiles`).

    Attributes
    ----------
    game
        The game.
    profiles
        Pure profiles by label; column ``k`` of every matrix belongs to ``profiles[k]``.
    rows
        ``(player, recommended, deviation)`` for each obedience row.
    obedience
        Matrix ``G`` (one row per entry of :attr:`rows`): ``G @ p`` is the expected gain of
        obeying rather than deviating; ``p`` is a CE iff ``G @ p >= 0``, ``p >= 0``,
        ``sum(p) == 1``. ``Fraction`` entries for exact games, floats otherwise.
    exact
        Whether the game (hence the matrix) is exact.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> poly = correlated_polytope(pd)
    >>> poly.rows[0], poly.obedience[0].tolist()
    (('Player 1', '1', '2'), [Fraction(-2, 1), Fraction(-1, 1), Fraction(0, 1), Fraction(0, 1)])
    >>> poly.A_ub.shape, poly.b_ub.shape, poly.A_eq.shape
    ((8, 4), (8,), (1, 4))
    """

    game: NormalFormGame
    profiles: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, str, str], ...]
    obedience: NDArray[Any]
    exact: bool

    @property
    def n_variables(self) -> int:
        """Number of pure profiles (variables)."""
        return len(self.profiles)

    @property
    def A_ub(self) -> NDArray[Any]:
        """Inequalities ``A_ub @ p <= b_ub``: ``-G`` (obedience) stacked on ``-I`` (``p >= 0``)."""
        n = self.n_variables
        eye = np.empty((n, n), dtype=object if self.exact else np.float64)
        for r in range(n):
            for c in range(n):
                eye[r, c] = (_ONE if r == c else _ZERO) if self.exact else float(r == c)
        return np.vstack([-self.obedience, -eye])

    @property
    def b_ub(self) -> NDArray[Any]:
        """Right-hand side of :attr:`A_ub` (all zeros)."""
        m = self.obedience.shape[0] + self.n_variables
        if self.exact:
            return np.array([_ZERO] * m, dtype=object)
        return np.zeros(m)

    @property
    def A_eq(self) -> NDArray[Any]:
        """The single equality row: probabilities sum to one."""
        if self.exact:
            return np.array([[_ONE] * self.n_variables], dtype=object)
        return np.ones((1, self.n_variables))

    @property
    def b_eq(self) -> NDArray[Any]:
        """Right-hand side of :attr:`A_eq`."""
        return np.array([_ONE], dtype=object) if self.exact else np.ones(1)

    def contains(self, distribution: Any, *, tol: float = DEFAULT_TOL) -> bool:
        """Whether ``distribution`` is a CE (see :func:`is_correlated_equilibrium`)."""
        return is_correlated_equilibrium(self.game, distribution, tol=tol)


def correlated_polytope(game: NormalFormGame) -> CorrelatedPolytope:
    """The obedience constraints of ``game`` as a linear system.

    Parameters
    ----------
    game
        Any finite N-player game.

    Returns
    -------
    CorrelatedPolytope
        With the obedience matrix ``G`` and the full H-representation.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> coord = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> poly = correlated_polytope(coord)
    >>> poly.profiles
    (('1', '1'), ('1', '2'), ('2', '1'), ('2', '2'))
    >>> [[int(v) for v in row] for row in poly.obedience]
    [[1, -1, 0, 0], [0, 0, -1, 1], [1, 0, -1, 0], [0, -1, 0, 1]]
    """
    u = game.payoffs
    shape = game.shape
    profiles = tuple(itertools.product(*(range(n) for n in shape)))
    zero: Number = _ZERO if game.is_exact else 0.0
    rows: list[tuple[str, str, str]] = []
    mat: list[list[Number]] = []
    for i in range(game.n_players):
        for s in range(shape[i]):
            for t in range(shape[i]):
                if s == t:
                    continue
                row: list[Number] = []
                for prof in profiles:
                    if prof[i] != s:
                        row.append(zero)
                        continue
                    dev = (*prof[:i], t, *prof[i + 1 :])
                    row.append(u[(*prof, i)] - u[(*dev, i)])
                rows.append((game.players[i], game.strategies[i][s], game.strategies[i][t]))
                mat.append(row)
    n = len(profiles)
    if game.is_exact:
        g = np.empty((len(mat), n), dtype=object)
        for r, row in enumerate(mat):
            g[r, :] = row
    else:
        g = np.array(mat, dtype=np.float64).reshape(len(mat), n)
    g.flags.writeable = False
    labels = tuple(tuple(game.strategies[i][k] for i, k in enumerate(p)) for p in profiles)
    return CorrelatedPolytope(game, labels, tuple(rows), g, game.is_exact)


# ---------------------------------------------------------------------------------------------
# Distributions and the exact checker
# ---------------------------------------------------------------------------------------------
def _distribution(
    game: NormalFormGame, distribution: Any, *, tol: float = DEFAULT_TOL
) -> list[Number]:
    """A distribution over pure profiles as a flat list in C order (validated)."""
    n = game.n_profiles
    if isinstance(distribution, Mapping):
        probs: list[Number] = [_ZERO] * n
        for key, value in distribution.items():
            labels = (
                tuple(part.strip() for part in key.split(","))
                if isinstance(key, str)
                else tuple(key)
            )
            idx = game.profile_index(labels)
            flat = int(np.ravel_multi_index(idx, game.shape))
            probs[flat] = to_number(value, what=f"probability of {labels}")
    else:
        arr = np.asarray(distribution, dtype=object)
        if arr.shape != game.shape and arr.shape != (n,):
            raise GameError(
                f"distribution has shape {arr.shape}; expected {game.shape} (one probability "
                "per pure profile) or a mapping from profiles to probabilities"
            )
        probs = [to_number(v, what="probability") for v in arr.ravel().tolist()]
    if any(p < 0 for p in probs):
        raise GameError("distribution has a negative probability")
    total = sum(probs, _ZERO)
    if all(isinstance(p, Fraction) for p in probs):
        if total != 1:
            raise GameError(f"distribution sums to {total}, expected 1")
    elif abs(float(total) - 1.0) > max(tol, 1e-12) * n:
        raise GameError(f"distribution sums to {float(total)!r}, expected 1")
    return probs


def obedience_slack(game: NormalFormGame, distribution: Any) -> dict[tuple[str, str, str], Number]:
    """Expected gain from obeying each recommendation rather than deviating, per obedience row.

    Keys are ``(player, recommended, deviation)``; the distribution is a CE iff every value
    is non-negative. Exact for an exact game and distribution.

    >>> from equishift.games import NormalFormGame
    >>> from fractions import Fraction as F
    >>> coord = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> obedience_slack(coord, [[F(1, 2), 0], [0, F(1, 2)]])[("Player 1", "1", "2")]
    Fraction(1, 2)
    """
    probs = _distribution(game, distribution)
    poly = correlated_polytope(game)
    return dict(zip(poly.rows, _times(poly.obedience, probs, game.is_exact), strict=True))


def _times(mat: NDArray[Any], probs: Sequence[Number], exact_game: bool) -> list[Number]:
    if exact_game and all(isinstance(p, Fraction) for p in probs):
        return [sum((a * p for a, p in zip(row, probs, strict=True)), _ZERO) for row in mat]
    fm = np.asarray(mat, dtype=np.float64)
    return [float(v) for v in fm @ np.array([float(p) for p in probs])]


def is_correlated_equilibrium(
    game: NormalFormGame, distribution: Any, *, tol: float = DEFAULT_TOL
) -> bool:
    """Whether ``distribution`` over pure profiles is a correlated equilibrium of ``game``.

    Exact (rational arithmetic, no tolerance) when the game and the probabilities are
    exact; otherwise every obedience gain must be at least ``-tol``.

    Parameters
    ----------
    game
        The game.
    distribution
        An array of shape ``game.shape`` (or flat, in C order), or a mapping from pure
        profiles (label tuples or ``"A, B"`` strings) to probabilities; absent profiles
        have probability 0.
    tol
        Tolerance for float input.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> from fractions import Fraction as F
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]],
    ...     strategies=[["R", "E"]] * 2)
    >>> third = F(1, 3)
    >>> is_correlated_equilibrium(chicken, {("R", "R"): third, ("R", "E"): third,
    ...                                     ("E", "R"): third})
    True
    >>> is_correlated_equilibrium(chicken, {("R", "R"): 1})
    False
    """
    probs = _distribution(game, distribution, tol=tol)
    poly = correlated_polytope(game)
    gains = _times(poly.obedience, probs, game.is_exact)
    if all(isinstance(g, Fraction) for g in gains):
        return all(g >= 0 for g in gains)
    return all(float(g) >= -tol for g in gains)


def outcome_probability(
    game: NormalFormGame, equilibrium: Equilibrium | CorrelatedEquilibrium, profile: Sequence[str]
) -> Number:
    """Probability that ``profile`` is played under a Nash or correlated equilibrium.

    >>> from equishift.games import NormalFormGame
    >>> from equishift.solver import solve
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]],
    ...     strategies=[["R", "E"]] * 2)
    >>> [outcome_probability(chicken, e, ("E", "E")) for e in solve(chicken).equilibria]
    [Fraction(0, 1), Fraction(0, 1), Fraction(1, 169)]
    """
    idx = game.profile_index(profile)
    if isinstance(equilibrium, CorrelatedEquilibrium):
        return equilibrium.probabilities[int(np.ravel_multi_index(idx, game.shape))]
    prob: Number = _ONE
    for i, k in enumerate(idx):
        prob = prob * equilibrium.profile[i][k]
    return prob


# ---------------------------------------------------------------------------------------------
# Welfare-maximising correlated equilibrium
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """A correlated equilibrium: a distribution over pure profiles with its evidence.

    Attributes
    ----------
    players, strategies
        Labels of the game.
    profiles
        Pure profiles by label, C order.
    probabilities
        Probability of each profile (``Fraction`` when exact).
    payoffs
        Each player's expected payoff.
    objective
        What was maximised (``"utilitarian"``, ``"rawlsian"`` or ``"weighted"``).
    value
        The objective's value at this distribution.
    exact
        ``True`` when the probabilities are rational and obedience was verified exactly.
    method
        How the distribution was obtained and verified.
    optimality
        How optimality is known: ``"exact (dual certificate)"``, ``"exact (simplex)"`` or
        ``"numerical (HiGHS)"``.
    tolerance
        ``0.0`` when exact; otherwise the obedience tolerance met.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> coord = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> ce = best_correlated_equilibrium(coord)
    >>> ce.by_label(), ce.payoffs
    ({('1', '1'): Fraction(1, 1)}, (Fraction(1, 1), Fraction(1, 1)))
    >>> ce.describe()
    '(1, 1) 1'
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    profiles: tuple[tuple[str, ...], ...]
    probabilities: tuple[Number, ...]
    payoffs: tuple[Number, ...]
    objective: str
    value: Number
    exact: bool
    method: str
    optimality: str
    tolerance: float = 0.0

    def by_label(self) -> dict[tuple[str, ...], Number]:
        """``{profile: probability}`` for profiles with positive probability."""
        return {
            prof: p for prof, p in zip(self.profiles, self.probabilities, strict=True) if p != 0
        }

    def probability(self, profile: Sequence[str]) -> Number:
        """Probability of one pure profile (by labels)."""
        key = tuple(profile)
        for prof, p in zip(self.profiles, self.probabilities, strict=True):
            if prof == key:
                return p
        raise GameError(f"unknown profile {key}; expected one of {list(self.profiles)}")

    def describe(self) -> str:
        """One line: ``(A, B) 1/2; (C, D) 1/2``."""
        return "; ".join(
            f"({', '.join(prof)}) {format_number(p)}" for prof, p in self.by_label().items()
        )


def _objective_rows(
    game: NormalFormGame, objective: str, weights: Sequence[Any] | None
) -> tuple[str, list[list[Number]]]:
    """One row of payoffs per term: the sum of the rows (utilitarian) or their minimum."""
    u = game.payoffs
    profiles = list(itertools.product(*(range(n) for n in game.shape)))
    per_player = [[u[(*p, i)] for p in profiles] for i in range(game.n_players)]
    if weights is not None:
        if len(weights) != game.n_players:
            raise SolverError(
                f"best_correlated_equilibrium(): weights has {len(weights)} entries, expected "
                f"{game.n_players} (one per player)"
            )
        w = [to_number(x, what="weight") for x in weights]
        row = [
            sum((wi * r[k] for wi, r in zip(w, per_player, strict=True)), _ZERO)
            for k in range(len(profiles))
        ]
        return "weighted", [row]
    if objective == "utilitarian":
        return objective, [[sum((r[k] for r in per_player), _ZERO) for k in range(len(profiles))]]
    if objective == "rawlsian":
        return objective, per_player
    raise SolverError(
        f"best_correlated_equilibrium(): unknown objective {objective!r}; expected one of "
        f"{list(_OBJECTIVES)} or weights"
    )


@dataclass
class _LP:
    """max c @ x  s.t.  A @ x <= b,  E @ x == f,  x >= 0  (exact entries)."""

    c: list[Fraction]
    A: list[list[Fraction]]
    b: list[Fraction]
    E: list[list[Fraction]]
    f: list[Fraction]


def _build_lp(game: NormalFormGame, terms: list[list[Number]]) -> tuple[_LP, Fraction]:
    """The LP over (p, t); for several terms ``t`` is the minimum, shifted to be >= 0."""
    poly = correlated_polytope(game)
    n = poly.n_variables
    g = [[Fraction(v) for v in row] for row in poly.obedience]
    a_rows = [[-v for v in row] for row in g]
    b = [_ZERO] * len(a_rows)
    if len(terms) == 1:
        c = [Fraction(v) for v in terms[0]]
        return _LP(c, a_rows, b, [[_ONE] * n], [_ONE]), _ZERO
    # max t with t <= u_i . p; t = m + t', t' >= 0 where m is the smallest payoff.
    m = min(Fraction(v) for row in terms for v in row)
    a_rows = [[*row, _ZERO] for row in a_rows]
    for row in terms:
        a_rows.append([-(Fraction(v) - m) for v in row] + [_ONE])
        b.append(_ZERO)
    c = [_ZERO] * n + [_ONE]
    return _LP(c, a_rows, b, [[_ONE] * n + [_ZERO]], [_ONE]), m


def _solve_float(lp: _LP) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    from scipy.optimize import linprog

    res = linprog(
        -np.array([float(v) for v in lp.c]),
        A_ub=np.array([[float(v) for v in r] for r in lp.A]),
        b_ub=np.array([float(v) for v in lp.b]),
        A_eq=np.array([[float(v) for v in r] for r in lp.E]),
        b_eq=np.array([float(v) for v in lp.f]),
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:
        raise SolverError(f"best_correlated_equilibrium(): linprog failed: {res.message}")
    return (
        np.asarray(res.x, dtype=np.float64),
        np.asarray(res.ineqlin.marginals, dtype=np.float64),
        np.asarray(res.eqlin.marginals, dtype=np.float64),
    )


def _feasible(lp: _LP, x: Sequence[Fraction]) -> bool:
    if any(v < 0 for v in x):
        return False
    for row, rhs in zip(lp.A, lp.b, strict=True):
        if sum((a * v for a, v in zip(row, x, strict=True) if a), _ZERO) > rhs:
            return False
    for row, rhs in zip(lp.E, lp.f, strict=True):
        if sum((a * v for a, v in zip(row, x, strict=True) if a), _ZERO) != rhs:
            return False
    return True


def _dot(c: Sequence[Fraction], x: Sequence[Fraction]) -> Fraction:
    return sum((a * v for a, v in zip(c, x, strict=True) if a), _ZERO)


def _solve_exact_system(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve a square-or-taller system exactly; ``None`` unless it has a unique solution."""
    n = len(rows[0]) if rows else 0
    aug = [[*r, v] for r, v in zip(rows, rhs, strict=True)]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        piv = next((k for k in range(r, len(aug)) if aug[k][col] != 0), None)
        if piv is None:
            continue
        aug[r], aug[piv] = aug[piv], aug[r]
        inv = 1 / aug[r][col]
        aug[r] = [v * inv for v in aug[r]]
        for k in range(len(aug)):
            if k != r and aug[k][col] != 0:
                fac = aug[k][col]
                aug[k] = [a - fac * b for a, b in zip(aug[k], aug[r], strict=True)]
        pivots.append(col)
        r += 1
    if len(pivots) < n:
        return None
    if any(row[-1] != 0 for row in aug[r:]):
        return None
    return [aug[k][-1] for k in range(n)]


def _rationalize(
    lp: _LP, x: NDArray[np.float64], max_den: int
) -> tuple[list[Fraction], str] | None:
    # 1. Round each coordinate to a nearby fraction with a small denominator.
    cand = [Fraction(float(v)).limit_denominator(max_den) for v in x]
    cand = [v if v > 0 else _ZERO for v in cand]
    if _feasible(lp, cand):
        return cand, "linprog (HiGHS), rationalised with limit_denominator"
    # 2. Re-solve exactly on the constraints active at the float optimum.
    scale = max(1.0, float(np.max(np.abs(x))))
    rows: list[list[Fraction]] = [list(r) for r in lp.E]
    rhs: list[Fraction] = list(lp.f)
    for row, b in zip(lp.A, lp.b, strict=True):
        slack = float(b) - sum(float(a) * float(v) for a, v in zip(row, x, strict=True))
        if abs(slack) <= 1e-9 * scale * max(1.0, max(abs(float(a)) for a in row)):
            rows.append(list(row))
            rhs.append(b)
    n = len(x)
    for j in range(n):
        if abs(float(x[j])) <= 1e-9 * scale:
            rows.append([_ONE if k == j else _ZERO for k in range(n)])
            rhs.append(_ZERO)
    sol = _solve_exact_system(rows, rhs)
    if sol is not None and _feasible(lp, sol):
        return sol, "linprog (HiGHS), re-solved exactly on the active constraints"
    return None


def _dual_feasible_bound(
    lp: _LP, x: Sequence[Fraction], yq: Sequence[Fraction], zq: Sequence[Fraction]
) -> bool:
    """Whether ``(yq, zq)`` is dual feasible and its bound equals the objective at ``x``."""
    if any(v > 0 for v in yq):
        return False
    for j in range(len(x)):
        col = sum((lp.A[k][j] * yq[k] for k in range(len(yq)) if yq[k] and lp.A[k][j]), _ZERO)
        col += sum((lp.E[k][j] * zq[k] for k in range(len(zq))), _ZERO)
        if col > -lp.c[j]:
            return False
    return _dot(lp.b, yq) + _dot(lp.f, zq) == -_dot(lp.c, x)


def _dual_certificate(
    lp: _LP, x: Sequence[Fraction], y: NDArray[np.float64], z: NDArray[np.float64], max_den: int
) -> bool:
    """Exact check that ``x`` is optimal, from HiGHS's duals.

    For ``min -c x`` with ``A x <= b``, ``E x = f``, ``x >= 0``, any ``y <= 0`` and ``z`` with
    ``A^T y + E^T z <= -c`` give the lower bound ``b y + f z``; equality with ``-c x`` proves
    optimality. The duals are first rationalised one by one; failing that, they are
    re-solved exactly from the dual constraints that are tight in floats, with the duals
    HiGHS sets to zero kept at zero.
    """
    yq = [min(Fraction(float(v)).limit_denominator(max_den), _ZERO) for v in y]
    zq = [Fraction(float(v)).limit_denominator(max_den) for v in z]
    if _dual_feasible_bound(lp, x, yq, zq):
        return True
    scale = max(1.0, float(np.max(np.abs(y), initial=0.0)), float(np.max(np.abs(z), initial=0.0)))
    support = [k for k in range(len(y)) if abs(float(y[k])) > 1e-9 * scale]
    m_eq = len(z)
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for j in range(len(x)):
        red = -float(lp.c[j]) - sum(float(lp.A[k][j]) * float(y[k]) for k in support)
        red -= sum(float(lp.E[k][j]) * float(z[k]) for k in range(m_eq))
        if abs(red) <= 1e-9 * scale * 10:
            rows.append([lp.A[k][j] for k in support] + [lp.E[k][j] for k in range(m_eq)])
            rhs.append(-lp.c[j])
    if not rows:
        return False
    sol = _solve_exact_system(rows, rhs)
    if sol is None:
        return False
    yfull = [_ZERO] * len(y)
    for k, v in zip(support, sol[: len(support)], strict=True):
        yfull[k] = v
    return _dual_feasible_bound(lp, x, yfull, list(sol[len(support) :]))


def _exact_simplex(lp: _LP) -> list[Fraction]:
    """Two-phase simplex with Bland's rule in ``Fraction`` arithmetic (small LPs)."""
    n = len(lp.c)
    m_ub, m_eq = len(lp.A), len(lp.E)
    # Standard form: A x + s = b (b >= 0 here: all b are 0), E x = f with f >= 0.
    # Variables: x (n), slacks (m_ub), artificials (m_eq).
    n_tot = n + m_ub + m_eq
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    basis: list[int] = []
    for k in range(m_ub):
        sign = _ONE if lp.b[k] >= 0 else -_ONE
        row = [sign * v for v in lp.A[k]] + [_ZERO] * (m_ub + m_eq)
        row[n + k] = sign
        rows.append(row)
        rhs.append(sign * lp.b[k])
        basis.append(n + k)
        if sign < 0:  # pragma: no cover - the CE LP has b == 0
            raise SolverError("exact simplex: negative right-hand side not supported")
    for k in range(m_eq):
        row = list(lp.E[k]) + [_ZERO] * (m_ub + m_eq)
        row[n + m_ub + k] = _ONE
        rows.append(row)
        rhs.append(lp.f[k])
        basis.append(n + m_ub + k)

    def run(cost: list[Fraction], allowed: int) -> None:
        while True:
            # reduced costs for maximisation of cost @ x
            dual = [cost[b] for b in basis]
            enter = -1
            for j in range(allowed):
                if j in basis:
                    continue
                red = cost[j] - sum((d * rows[i][j] for i, d in enumerate(dual) if d), _ZERO)
                if red > 0:
                    enter = j
                    break
            if enter < 0:
                return
            best: tuple[Fraction, int, int] | None = None
            for i, row in enumerate(rows):
                if row[enter] > 0:
                    ratio = rhs[i] / row[enter]
                    key = (ratio, basis[i], i)
                    if best is None or key[:2] < best[:2]:
                        best = key
            if best is None:
                raise SolverError("exact simplex: the LP is unbounded")
            i = best[2]
            piv = rows[i][enter]
            rows[i] = [v / piv for v in rows[i]]
            rhs[i] = rhs[i] / piv
            for k in range(len(rows)):
                if k != i and rows[k][enter] != 0:
                    fac = rows[k][enter]
                    rows[k] = [a - fac * b for a, b in zip(rows[k], rows[i], strict=True)]
                    rhs[k] = rhs[k] - fac * rhs[i]
            basis[i] = enter

    phase1 = [_ZERO] * (n + m_ub) + [-_ONE] * m_eq
    run(phase1, n_tot)
    if any(basis[i] >= n + m_ub and rhs[i] != 0 for i in range(len(rows))):
        raise SolverError("exact simplex: the LP is infeasible")
    # Drive remaining (zero-level) artificials out of the basis where possible.
    for i in range(len(rows)):
        if basis[i] >= n + m_ub:
            j = next((j for j in range(n + m_ub) if rows[i][j] != 0 and j not in basis), None)
            if j is None:
                continue
            piv = rows[i][j]
            rows[i] = [v / piv for v in rows[i]]
            rhs[i] = rhs[i] / piv
            for k in range(len(rows)):
                if k != i and rows[k][j] != 0:
                    fac = rows[k][j]
                    rows[k] = [a - fac * b for a, b in zip(rows[k], rows[i], strict=True)]
                    rhs[k] = rhs[k] - fac * rhs[i]
            basis[i] = j
    phase2 = list(lp.c) + [_ZERO] * (m_ub + m_eq)
    run(phase2, n + m_ub)
    x = [_ZERO] * n
    for i, b in enumerate(basis):
        if b < n:
            x[b] = rhs[i]
    return x


def best_correlated_equilibrium(
    game: NormalFormGame,
    *,
    objective: str = "utilitarian",
    weights: Sequence[Any] | None = None,
    tol: float = DEFAULT_TOL,
    max_denominator: int = 10**6,
    exact: bool | None = None,
) -> CorrelatedEquilibrium:
    """The correlated equilibrium that maximises a welfare objective.

    Solves the LP with ``scipy.optimize.linprog`` (HiGHS). For an exact game the float
    optimum is rationalised (``Fraction.limit_denominator``, then an exact re-solve on the
    constraints active at the optimum) and obedience is **verified exactly**; optimality is
    certified exactly by a dual solution built from HiGHS's duals (rationalised, or re-solved
    exactly on the tight dual constraints), else by the exact simplex (small games). If no
    rational point passes,
    an exact simplex in ``Fraction`` arithmetic is run (games with at most
    :data:`EXACT_SIMPLEX_MAX_PROFILES` profiles); past that, the float answer is returned with
    ``exact=False`` and the obedience tolerance it meets. An unverified CE is never reported
    as exact.

    Parameters
    ----------
    game
        Any N-player game.
    objective
        ``"utilitarian"`` (sum of expected payoffs) or ``"rawlsian"`` (the smallest expected
        payoff).
    weights
        One weight per player: maximise the weighted sum instead (overrides ``objective``).
    tol
        Obedience tolerance for float results.
    max_denominator
        Largest denominator tried when rationalising.
    exact
        ``None`` (default): exact for exact games. ``False`` skips rationalisation.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> coord = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> ce = best_correlated_equilibrium(coord)
    >>> ce.value, ce.exact, ce.optimality
    (Fraction(3, 1), True, 'exact (dual certificate)')
    """
    name, terms = _objective_rows(game, objective, weights)
    lp, _ = _build_lp(game, terms)  # the value is recomputed from the payoffs below
    n = game.n_profiles
    x, y, z = _solve_float(lp)
    want_exact = game.is_exact if exact is None else (exact and game.is_exact)
    probs: list[Number]
    if want_exact:
        found = _rationalize(lp, x, max_denominator)
        if found is not None:
            xq, method = found
            if _dual_certificate(lp, xq, y, z, max_denominator):
                optimality = "exact (dual certificate)"
            elif n <= EXACT_SIMPLEX_MAX_PROFILES:
                # No exact dual certificate: settle optimality with the exact simplex.
                xs = _exact_simplex(lp)
                if _dot(lp.c, xs) > _dot(lp.c, xq):
                    xq, method = xs, "exact simplex (HiGHS's point was not optimal)"
                optimality = "exact (simplex)"
            else:
                optimality = "numerical (HiGHS)"
            probs = list(xq[:n])
            is_exact = True
        elif n <= EXACT_SIMPLEX_MAX_PROFILES:
            xq = _exact_simplex(lp)
            probs = list(xq[:n])
            method = "exact simplex (Fraction arithmetic, Bland's rule)"
            optimality = "exact (simplex)"
            is_exact = True
        else:
            probs, method, optimality, is_exact = [], "", "", False
        if is_exact and not is_correlated_equilibrium(game, _as_array(game, probs)):
            # Never report an unverified CE as exact.
            is_exact = False  # pragma: no cover - _feasible checked the same constraints
    else:
        is_exact = False
    tolerance = 0.0
    if not is_exact:
        fx = np.clip(x[:n], 0.0, None)
        fx = fx / fx.sum()
        probs = [float(v) for v in fx]
        poly = correlated_polytope(game)
        worst = min(_times(poly.obedience, probs, False), default=0.0)
        tolerance = max(tol, -float(worst))
        method = "linprog (HiGHS), floats"
        optimality = "numerical (HiGHS)"
    payoffs = _expected_payoffs(game, probs)
    value = _objective_value(terms, probs, name)
    return CorrelatedEquilibrium(
        players=game.players,
        strategies=game.strategies,
        profiles=tuple(game.profiles()),
        probabilities=tuple(probs),
        payoffs=payoffs,
        objective=name,
        value=value,
        exact=is_exact,
        method=method,
        optimality=optimality,
        tolerance=tolerance,
    )


def _as_array(game: NormalFormGame, probs: Sequence[Number]) -> NDArray[Any]:
    arr = np.empty(game.n_profiles, dtype=object)
    arr[:] = list(probs)
    return arr.reshape(game.shape)


def _expected_payoffs(game: NormalFormGame, probs: Sequence[Number]) -> tuple[Number, ...]:
    flat = game.payoffs.reshape(game.n_profiles, game.n_players)
    if game.is_exact and all(isinstance(p, Fraction) for p in probs):
        return tuple(
            sum((flat[k, i] * p for k, p in enumerate(probs) if p), _ZERO)
            for i in range(game.n_players)
        )
    fl = np.asarray(flat, dtype=np.float64)
    return tuple(float(v) for v in np.array([float(p) for p in probs]) @ fl)


def _objective_value(terms: list[list[Number]], probs: Sequence[Number], name: str) -> Number:
    vals: list[Number] = []
    for row in terms:
        if all(isinstance(p, Fraction) for p in probs) and all(
            isinstance(v, Fraction) for v in row
        ):
            vals.append(sum((v * p for v, p in zip(row, probs, strict=True)), _ZERO))
        else:
            vals.append(float(sum(float(v) * float(p) for v, p in zip(row, probs, strict=True))))
    return min(vals) if name == "rawlsian" else vals[0]


# ---------------------------------------------------------------------------------------------
# Vertices
# ---------------------------------------------------------------------------------------------
def correlated_vertices(
    game: NormalFormGame, *, max_bases: int = MAX_VERTEX_BASES
) -> tuple[CorrelatedEquilibrium, ...]:
    """Every vertex of the correlated-equilibrium polytope of a small exact game, exactly.

    A vertex is a CE at which ``n - 1`` linearly independent inequalities (obedience rows
    or ``p_s >= 0``) are tight, ``n`` being the number of profiles. Every choice of
    ``n - 1`` inequalities is tried (vectorised in floats to discard singular and clearly
    infeasible choices; the integer-scaled matrices make a determinant of magnitude below
    1/2 an exact zero while the Hadamard bound stays below 2^40, else the choice is
    re-checked exactly); each candidate is then re-solved and verified in rational
    arithmetic (obedience, non-negativity and the sum, all exact). Feasible for 2x2 (56
    choices) and 3x3 (203,490 choices, a few seconds) games. Each vertex is returned as a
    :class:`CorrelatedEquilibrium` with ``objective="vertex"`` and ``value`` the sum of the
    expected payoffs.

    Raises
    ------
    SolverError
        For float games, or when there are more than ``max_bases`` choices.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]],
    ...     strategies=[["R", "E"]] * 2)
    >>> for v in correlated_vertices(chicken):
    ...     print(v.describe())
    (R, R) 6/7; (R, E) 1/14; (E, R) 1/14
    (R, R) 144/169; (R, E) 12/169; (E, R) 12/169; (E, E) 1/169
    (R, E) 1
    (R, E) 12/25; (E, R) 12/25; (E, E) 1/25
    (E, R) 1
    """
    if not game.is_exact:
        raise SolverError("correlated_vertices(): the game must be exact (rational payoffs)")
    poly = correlated_polytope(game)
    n = poly.n_variables
    g_rows = [[Fraction(v) for v in row] for row in poly.obedience]
    # Inequalities as rows h with h @ p >= 0: obedience, then p_j >= 0.
    ineq = g_rows + [[_ONE if k == j else _ZERO for k in range(n)] for j in range(n)]
    ints = []
    for row in ineq:
        den = math.lcm(*(v.denominator for v in row))
        ints.append([int(v * den) for v in row])
    m = len(ineq)
    n_bases = math.comb(m, n - 1)
    if n_bases > max_bases:
        raise SolverError(
            f"correlated_vertices(): {n_bases} candidate bases exceed max_bases={max_bases}; "
            "the game is too large for vertex enumeration"
        )
    h = np.array(ints, dtype=np.float64)
    row_norms = np.sqrt((h * h).sum(axis=1))
    hadamard = float(np.prod(np.sort(row_norms)[-(n - 1) :])) * math.sqrt(n)
    trust_det = hadamard < 2.0**40
    found: dict[tuple[Fraction, ...], None] = {}
    near: dict[tuple[float, ...], tuple[Fraction, ...]] = {}
    combos = itertools.combinations(range(m), n - 1)
    chunk = 20_000
    while True:
        block = np.array(list(itertools.islice(combos, chunk)), dtype=np.int64)
        if block.size == 0:
            break
        mats = np.empty((len(block), n, n))
        mats[:, : n - 1, :] = h[block]
        mats[:, n - 1, :] = 1.0
        dets = np.linalg.det(mats)
        ok = np.abs(dets) >= 0.5
        maybe = np.flatnonzero(~ok) if not trust_det else np.empty(0, dtype=np.int64)
        rhs = np.zeros(n)
        rhs[-1] = 1.0
        idx = np.flatnonzero(ok)
        cands: list[tuple[int, tuple[float, ...] | None]] = []
        if idx.size:
            sols = np.linalg.solve(mats[idx], np.broadcast_to(rhs, (idx.size, n))[..., None])[
                ..., 0
            ]
            vals = sols @ h.T
            good = np.flatnonzero(np.all(vals >= -1e-7, axis=1))
            keys = np.round(sols[good], 9)
            cands.extend(
                (int(idx[g]), tuple(float(v) for v in key))
                for g, key in zip(good, keys, strict=True)
            )
        cands.extend((int(k), None) for k in maybe)
        for k, key in cands:
            basis = [ineq[r] for r in block[k]]
            known = near.get(key) if key is not None else None
            # A basis has a unique solution: if a vertex already found makes its rows tight,
            # it is that vertex (exact check; the float key only picks the vertex to try).
            if known is not None and all(_dot(row, known) == 0 for row in basis):
                continue
            sol = _solve_exact_system([*basis, [_ONE] * n], [_ZERO] * (n - 1) + [_ONE])
            if sol is None:
                continue
            if all(_dot(row, sol) >= 0 for row in ineq):
                found[tuple(sol)] = None
                if key is not None:
                    near[key] = tuple(sol)
    out = []
    for vertex in sorted(found, key=lambda v: tuple(-p for p in v)):
        probs = list(vertex)
        pay = _expected_payoffs(game, probs)
        out.append(
            CorrelatedEquilibrium(
                players=game.players,
                strategies=game.strategies,
                profiles=tuple(game.profiles()),
                probabilities=tuple(probs),
                payoffs=pay,
                objective="vertex",
                value=sum(pay, _ZERO),
                exact=True,
                method="vertex enumeration, verified exactly",
                optimality="not applicable",
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Comparison with Nash equilibria
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MediationComparison:
    """What a mediator adds: the best correlated equilibrium against the best Nash equilibrium.

    Attributes
    ----------
    objective
        The welfare measure (``"utilitarian"`` or ``"rawlsian"``).
    correlated
        The best correlated equilibrium.
    nash
        The best Nash equilibrium (by the same measure; the first in the solver's order
        among ties).
    correlated_value, nash_value
        The measure at each.
    gain
        ``correlated_value - nash_value`` (never negative: every Nash equilibrium is a CE).
    outcome
        The pure profile whose probability is reported (e.g. the crash), or ``None``.
    correlated_outcome_probability, nash_outcome_probability
        Its probability under the best CE and under the best Nash equilibrium.
    nash_outcome_probabilities
        Its probability under every Nash equilibrium, in the solver's order.
    nash_complete
        Whether the Nash list is complete (from :class:`~equishift.solver.Solution`).
    notes
        Caveats on the comparison.
    """

    objective: str
    correlated: CorrelatedEquilibrium
    nash: Equilibrium
    correlated_value: Number
    nash_value: Number
    gain: Number
    outcome: tuple[str, ...] | None
    correlated_outcome_probability: Number | None
    nash_outcome_probability: Number | None
    nash_outcome_probabilities: tuple[Number, ...]
    nash_complete: bool
    notes: tuple[str, ...] = ()


def compare_with_nash(
    game: NormalFormGame,
    *,
    objective: str = "utilitarian",
    outcome: Sequence[str] | None = None,
) -> MediationComparison:
    """Best correlated equilibrium against the best Nash equilibrium of ``game``.

    The Nash equilibria are those listed by :func:`equishift.solver.solve`. In a
    degenerate 2-player game these are the extreme points of convex components. That
    suffices for the utilitarian measure (expected welfare is bilinear, so its maximum
    over a component is attained at an extreme point) but not for the Rawlsian one (a
    minimum of bilinear functions may peak inside a component): ``notes`` then says that
    the Nash value is a lower bound and ``gain`` an upper bound.

    Parameters
    ----------
    game
        Any N-player game.
    objective
        ``"utilitarian"`` or ``"rawlsian"``.
    outcome
        A pure profile (labels) whose probability is reported under both, e.g. the crash.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]],
    ...     strategies=[["R", "E"]] * 2)
    >>> cmp = compare_with_nash(chicken, objective="rawlsian", outcome=("E", "E"))
    >>> cmp.correlated_value, cmp.nash_value, cmp.gain
    (Fraction(3, 1), Fraction(38, 13), Fraction(1, 13))
    >>> cmp.correlated_outcome_probability, cmp.nash_outcome_probability
    (Fraction(0, 1), Fraction(1, 169))
    """
    from .api import solve

    ce = best_correlated_equilibrium(game, objective=objective)
    sol = solve(game)
    eqs = [e for e in sol.equilibria if isinstance(e, Equilibrium)]
    if not eqs:
        raise SolverError("compare_with_nash(): the solver found no Nash equilibrium")

    def measure(e: Equilibrium) -> Number:
        return min(e.payoffs) if ce.objective == "rawlsian" else sum(e.payoffs, _ZERO)

    best = eqs[0]
    for e in eqs[1:]:
        if measure(e) > measure(best):
            best = e
    out = tuple(outcome) if outcome is not None else None
    ce_p = outcome_probability(game, ce, out) if out is not None else None
    ne_p = outcome_probability(game, best, out) if out is not None else None
    all_p = tuple(outcome_probability(game, e, out) for e in eqs) if out is not None else ()
    notes: list[str] = []
    if not sol.complete:
        notes.append("the Nash list may be incomplete: the best Nash value is over those found")
    if sol.degenerate and ce.objective == "rawlsian":
        notes.append(
            "degenerate game: the Rawlsian value of Nash equilibria inside a component may "
            "exceed that of its extreme points; the Nash value is a lower bound"
        )
    if not ce.exact:
        notes.append(f"the correlated equilibrium is a float answer (tolerance {ce.tolerance:g})")
    return MediationComparison(
        objective=ce.objective,
        correlated=ce,
        nash=best,
        correlated_value=ce.value,
        nash_value=measure(best),
        gain=ce.value - measure(best),
        outcome=out,
        correlated_outcome_probability=ce_p,
        nash_outcome_probability=ne_p,
        nash_outcome_probabilities=all_p,
        nash_complete=sol.complete,
        notes=tuple(notes),
    )
