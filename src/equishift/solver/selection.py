"""Equilibrium selection and welfare.

Which of several equilibria will players reach, and how good is it?

- **Pareto and payoff dominance** among the equilibria of a :class:`Solution`.
- **Risk dominance** (Harsanyi & Selten 1988, "A General Theory of Equilibrium
  Selection in Games", ch. 3): between two strict equilibria of a 2x2 game,
  :math:`(1,1)` risk-dominates :math:`(2,2)` iff the product of the players'
  deviation losses is larger there:
  :math:`(a_{11} - a_{21})(b_{11} - b_{12}) > (a_{22} - a_{12})(b_{22} - b_{21})`.
  For larger games :func:`risk_dominance` compares two *strict pure*
  equilibria by the same Nash product of unilateral deviation losses (for two
  players: Harsanyi–Selten on the 2x2 game restricted to the two equilibria's
  strategies); this is the pairwise criterion, not the full tracing procedure,
  and the result says so in ``method``.
- **Threshold beliefs** (:func:`threshold_belief`): the belief about the
  opponent at which a player is indifferent, solved from the game's payoffs.
  In a Stag Hunt it is :math:`p^*`, and engaging is a best response iff the
  belief that the other engages is at least :math:`p^*`.
- **Basins of attraction** of pure equilibria under best-response dynamics and
  replicator dynamics, on a grid of initial mixed profiles.
- **Welfare**: utilitarian sum, Rawlsian minimum, price of anarchy and of
  stability.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> from equishift.solver import solve
>>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
...                                   strategies=[["Engage", "Hedge"]] * 2)
>>> threshold_belief(stag, 0, "Engage").p
Fraction(2, 3)
>>> payoff_dominant(solve(stag)).pure_profile()
('Engage', 'Engage')
>>> risk_dominant(stag).dominant
('Hedge', 'Hedge')
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.errors import GameError
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, format_number
from .solution import Equilibrium, Solution

__all__ = [
    "BASIN_TOLERANCE",
    "Basins",
    "BeliefThreshold",
    "Efficiency",
    "RiskComparison",
    "RiskDominance",
    "Welfare",
    "basins_best_response",
    "basins_replicator",
    "pareto_dominates",
    "pareto_efficient",
    "payoff_dominant",
    "price_of_anarchy",
    "rawlsian",
    "risk_dominance",
    "risk_dominant",
    "strict_pure_equilibria",
    "threshold_belief",
    "utilitarian",
    "welfare",
]

BASIN_TOLERANCE = 1e-3
"""Replicator dynamics: a trajectory belongs to a pure equilibrium when, at the end time,
every probability is within this distance of it (max-norm)."""


def _normal_equilibria(solution: Solution) -> tuple[Equilibrium, ...]:
    eqs = tuple(e for e in solution.equilibria if isinstance(e, Equilibrium))
    if len(eqs) != len(solution.equilibria):
        raise GameError("selection works on normal-form equilibria (Solution of a NormalFormGame)")
    return eqs


# -- Pareto and payoff dominance ------------------------------------------------------------


def pareto_dominates(u: Sequence[Number], v: Sequence[Number], *, strict: bool = False) -> bool:
    """Whether payoff vector ``u`` Pareto-dominates ``v``.

    Weakly (the default): nobody is worse off and somebody is better off.
    Strictly (``strict=True``, Harsanyi–Selten's *payoff dominance*): everybody
    is better off.

    >>> pareto_dominates((3, 3), (1, 1)), pareto_dominates((3, 1), (1, 1), strict=True)
    (True, False)
    """
    if len(u) != len(v):
        raise GameError("payoff vectors of different lengths cannot be compared")
    if strict:
        return all(a > b for a, b in zip(u, v, strict=True))
    return all(a >= b for a, b in zip(u, v, strict=True)) and any(
        a > b for a, b in zip(u, v, strict=True)
    )


def pareto_efficient(solution: Solution) -> tuple[Equilibrium, ...]:
    """The equilibria no other equilibrium of ``solution`` weakly Pareto-dominates.

    Among equilibria only: an efficient equilibrium may still be dominated by a
    profile that is not an equilibrium (as in the Prisoner's Dilemma).

    >>> from equishift.games import NormalFormGame
    >>> from equishift.solver import solve
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]])
    >>> [e.describe() for e in pareto_efficient(solve(chicken))]
    ['Player 1: 1; Player 2: 2', 'Player 1: 2; Player 2: 1',
     'Player 1: 1 12/13, 2 1/13; Player 2: 1 12/13, 2 1/13']
    """
    eqs = _normal_equilibria(solution)
    return tuple(e for e in eqs if not any(pareto_dominates(f.payoffs, e.payoffs) for f in eqs))


def payoff_dominant(solution: Solution) -> Equilibrium | None:
    """The equilibrium that payoff-dominates every other one (Harsanyi & Selten 1988), or None.

    An equilibrium payoff-dominates another when *every* player gets strictly
    more. With a single equilibrium, that equilibrium is returned.
    """
    eqs = _normal_equilibria(solution)
    for e in eqs:
        if all(
            f is e or pareto_dominates(e.payoffs, f.payoffs, strict=True) for f in eqs if f is not e
        ):
            return e
    return None


# -- risk dominance ---------------------------------------------------------------------------


def _index_profile(game: NormalFormGame, profile: Sequence[int | str]) -> tuple[int, ...]:
    return game.profile_index(profile)


def _labels(game: NormalFormGame, idx: Sequence[int]) -> tuple[str, ...]:
    return tuple(game.strategies[i][k] for i, k in enumerate(idx))


def _u(game: NormalFormGame, idx: Sequence[int], i: int) -> Any:
    return game.payoffs[(*idx, i)]


def _is_strict_equilibrium(game: NormalFormGame, idx: tuple[int, ...]) -> bool:
    for i in range(game.n_players):
        mine = _u(game, idx, i)
        for k in range(game.shape[i]):
            if k == idx[i]:
                continue
            dev = list(idx)
            dev[i] = k
            if not _u(game, dev, i) < mine:
                return False
    return True


def strict_pure_equilibria(game: NormalFormGame) -> tuple[tuple[str, ...], ...]:
    """Pure equilibria at which every player's strategy is the unique best response.

    >>> from equishift.games import NormalFormGame
    >>> strict_pure_equilibria(NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    (('1', '1'), ('2', '2'))
    """
    out = []
    for idx in itertools.product(*(range(n) for n in game.shape)):
        if _is_strict_equilibrium(game, idx):
            out.append(_labels(game, idx))
    return tuple(out)


_RD_2X2 = (
    "Harsanyi–Selten (1988) risk dominance: Nash product of the players' deviation losses "
    "at each of the two strict equilibria of a 2x2 game"
)
_RD_PAIRWISE = (
    "pairwise Nash-product criterion: product over players of the loss from deviating "
    "unilaterally to the other equilibrium's strategy, compared between two strict pure "
    "equilibria (for 2 players, Harsanyi–Selten on the 2x2 game restricted to their "
    "strategies); not the full tracing procedure"
)


@dataclass(frozen=True)
class RiskComparison:
    """Risk dominance between two strict pure equilibria.

    Attributes
    ----------
    first, second
        The two equilibria, as strategy labels per player.
    products
        Nash products of deviation losses at ``first`` and at ``second``.
    dominant
        The risk-dominant one, or ``None`` when the products are equal.
    method
        How the comparison was made.
    """

    first: tuple[str, ...]
    second: tuple[str, ...]
    products: tuple[Number, Number]
    dominant: tuple[str, ...] | None
    method: str


def risk_dominance(
    game: NormalFormGame, first: Sequence[int | str], second: Sequence[int | str]
) -> RiskComparison:
    """Compare two strict pure equilibria by risk dominance.

    The Nash product at ``first`` is :math:`\\prod_i [u_i(e) - u_i(f_i, e_{-i})]`
    with ``e = first`` and ``f = second``, and symmetrically at ``second``; the
    equilibrium with the larger product risk-dominates. For a 2x2 game this is
    Harsanyi–Selten's criterion; for larger games see ``method``.

    Raises
    ------
    GameError
        When either profile is not a strict pure equilibrium, or they coincide.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]])
    >>> r = risk_dominance(stag, ("1", "1"), ("2", "2"))
    >>> r.products, r.dominant
    ((Fraction(1, 1), Fraction(4, 1)), ('2', '2'))
    """
    e = _index_profile(game, first)
    f = _index_profile(game, second)
    for idx in (e, f):
        if not _is_strict_equilibrium(game, idx):
            raise GameError(
                f"risk dominance compares strict pure equilibria; {_labels(game, idx)} is not one"
            )
    if e == f:
        raise GameError("risk dominance needs two different equilibria")

    def product(x: tuple[int, ...], y: tuple[int, ...]) -> Number:
        prod: Number = Fraction(1) if game.is_exact else 1.0
        for i in range(game.n_players):
            dev = list(x)
            dev[i] = y[i]
            prod = prod * (_u(game, x, i) - _u(game, dev, i))
        return prod

    pe, pf = product(e, f), product(f, e)
    winner = _labels(game, e) if pe > pf else _labels(game, f) if pf > pe else None
    method = _RD_2X2 if game.shape == (2, 2) else _RD_PAIRWISE
    return RiskComparison(_labels(game, e), _labels(game, f), (pe, pf), winner, method)


@dataclass(frozen=True)
class RiskDominance:
    """The risk-dominant equilibrium of a game, if there is one.

    Attributes
    ----------
    dominant
        The strict pure equilibrium that risk-dominates every other strict pure
        equilibrium; the only one when there is exactly one; ``None`` when there is
        none, or no equilibrium beats all the others (a tie or a cycle).
    comparisons
        Every pairwise :class:`RiskComparison`.
    method
        The criterion used.
    notes
        Why ``dominant`` is ``None``, non-strict equilibria left out, and so on.
    """

    dominant: tuple[str, ...] | None
    comparisons: tuple[RiskComparison, ...]
    method: str
    notes: tuple[str, ...] = ()


def risk_dominant(game: NormalFormGame) -> RiskDominance:
    """The strict pure equilibrium that pairwise risk-dominates all the others.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> coord = NormalFormGame.from_arrays([[9, 0], [8, 7]], [[9, 8], [0, 7]])
    >>> risk_dominant(coord).dominant
    ('2', '2')
    """
    strict = strict_pure_equilibria(game)
    method = _RD_2X2 if game.shape == (2, 2) else _RD_PAIRWISE
    notes: list[str] = []
    from .pure import pure_equilibria

    n_pure = len(pure_equilibria(game))
    if n_pure > len(strict):
        notes.append(
            f"{n_pure - len(strict)} non-strict pure equilibrium(s) left out: risk dominance "
            "is defined here between strict equilibria"
        )
    if len(strict) < 2:
        notes.append(f"{len(strict)} strict pure equilibrium(s): nothing to select between")
        return RiskDominance(strict[0] if strict else None, (), method, tuple(notes))
    comps = tuple(risk_dominance(game, a, b) for a, b in itertools.combinations(strict, 2))
    for cand in strict:
        if all(c.dominant == cand for c in comps if cand in (c.first, c.second)):
            return RiskDominance(cand, comps, method, tuple(notes))
    notes.append("no equilibrium risk-dominates all the others (a tie or a cycle)")
    return RiskDominance(None, comps, method, tuple(notes))


# -- threshold beliefs ------------------------------------------------------------------------


@dataclass(frozen=True)
class BeliefThreshold:
    """When is ``strategy`` at least as good as ``alternative`` for ``player``?

    The player believes the opponent plays ``opponent_strategy`` with
    probability ``p`` and ``opponent_alternative`` otherwise; ``strategy`` is a
    best response (against ``alternative``) iff ``p >= threshold``
    (``direction == "at least"``) or iff ``p <= threshold`` (``"at most"``).
    ``direction`` is ``"always"`` or ``"never"`` (``threshold`` is ``None``)
    when the comparison does not depend on the belief, or the indifference
    point lies outside [0, 1].

    Attributes
    ----------
    player, strategy, alternative, opponent_strategy, opponent_alternative
        Labels.
    p
        The indifference belief, solved from the payoffs (may lie outside
        [0, 1]; ``None`` when the payoff difference does not depend on the belief).
    direction
        ``"at least"``, ``"at most"``, ``"always"`` or ``"never"``.
    """

    player: str
    strategy: str
    alternative: str
    opponent_strategy: str
    opponent_alternative: str
    p: Number | None
    direction: str

    @property
    def threshold(self) -> Number | None:
        """``p`` when it lies in [0, 1], else ``None``."""
        if self.p is None or not 0 <= self.p <= 1:
            return None
        return self.p


def _other(labels: Sequence[str], label: str, what: str) -> str:
    rest = [s for s in labels if s != label]
    if len(rest) != 1:
        raise GameError(f"{what}: more than two strategies, name the alternative explicitly")
    return rest[0]


def threshold_belief(
    game: NormalFormGame,
    player: int | str,
    strategy: int | str,
    *,
    alternative: int | str | None = None,
    opponent_strategy: int | str | None = None,
    opponent_alternative: int | str | None = None,
) -> BeliefThreshold:
    """Solve the player's indifference between two strategies for the belief about the opponent.

    With :math:`\\Delta(x) = u(\\text{strategy}, x) - u(\\text{alternative}, x)`,
    the expected difference at belief :math:`p` on ``opponent_strategy`` is
    :math:`p\\,\\Delta(x) + (1-p)\\,\\Delta(y)`, zero at
    :math:`p = \\Delta(y) / (\\Delta(y) - \\Delta(x))` (exact for exact games).

    Parameters
    ----------
    game
        A 2-player game.
    player, strategy
        Whose choice, and the strategy in question (labels or indices).
    alternative
        The strategy compared with; default: the player's other strategy (2 strategies).
    opponent_strategy, opponent_alternative
        The opponent's two strategies the belief is over; default: the
        opponent's strategy with the same index as ``strategy``, and the other one.

    Examples
    --------
    Stag Hunt R=4, T=3, P=2, S=0 (MODELS.md R1): engage iff the belief that the
    other engages is at least 2/3.

    >>> from equishift.games import NormalFormGame
    >>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...                                   strategies=[["Engage", "Hedge"]] * 2)
    >>> t = threshold_belief(stag, 0, "Engage")
    >>> t.p, t.direction, t.opponent_strategy
    (Fraction(2, 3), 'at least', 'Engage')
    """
    if game.n_players != 2:
        raise GameError("threshold_belief() needs a 2-player game")
    i = game.player_index(player)
    j = 1 - i
    s = game.strategy_index(i, strategy)
    labels_i, labels_j = game.strategies[i], game.strategies[j]
    t = game.strategy_index(
        i,
        alternative if alternative is not None else _other(labels_i, labels_i[s], game.players[i]),
    )
    if opponent_strategy is None:
        if s >= len(labels_j):
            raise GameError("name the opponent's strategy the belief is about")
        x = s
    else:
        x = game.strategy_index(j, opponent_strategy)
    y = game.strategy_index(
        j,
        opponent_alternative
        if opponent_alternative is not None
        else _other(labels_j, labels_j[x], game.players[j]),
    )
    if s == t or x == y:
        raise GameError("threshold_belief() compares two different strategies")

    def u(own: int, opp: int) -> Any:
        idx = [0, 0]
        idx[i], idx[j] = own, opp
        return game.payoffs[idx[0], idx[1], i]

    dx = u(s, x) - u(t, x)
    dy = u(s, y) - u(t, y)
    p: Number | None
    if dx == dy:
        p = None
        direction = "always" if dx >= 0 else "never"
    else:
        p = dy / (dy - dx)
        if dx > dy:  # the difference grows with p: best iff p >= p
            direction = "always" if p <= 0 else "never" if p > 1 else "at least"
        else:
            direction = "always" if p >= 1 else "never" if p < 0 else "at most"
    return BeliefThreshold(
        game.players[i],
        labels_i[s],
        labels_i[t],
        labels_j[x],
        labels_j[y],
        p,
        direction,
    )


# -- basins of attraction ---------------------------------------------------------------------


@dataclass(frozen=True)
class Basins:
    """Shares of a grid of initial profiles that end at each pure equilibrium.

    Attributes
    ----------
    dynamics
        ``"best response"`` or ``"replicator"`` (with the variant).
    resolution
        Grid step is ``1/resolution`` on each player's simplex.
    n_points
        Number of initial profiles.
    shares
        ``{pure equilibrium (labels): share of the grid points}`` (exact fractions).
    undecided
        Share of points that reached no pure equilibrium (ties in best responses,
        cycles, convergence to a mixed rest point, or not converged).
    notes
        The rules and tolerances used.
    """

    dynamics: str
    resolution: int
    n_points: int
    shares: dict[tuple[str, ...], Fraction]
    undecided: Fraction
    notes: tuple[str, ...] = field(default=())


def _simplex_grid(n: int, resolution: int, *, interior: bool) -> list[tuple[Fraction, ...]]:
    lo = 1 if interior else 0
    out = []
    for comp in itertools.product(range(lo, resolution + 1), repeat=n - 1):
        last = resolution - sum(comp)
        if last < lo:
            continue
        out.append(tuple(Fraction(k, resolution) for k in (*comp, last)))
    return out


def _check_two_player(game: NormalFormGame, what: str) -> None:
    if game.n_players != 2:
        raise GameError(f"{what} is implemented for 2-player games")


def _best_responses(values: Sequence[Any]) -> list[int]:
    best = max(values)
    return [k for k, v in enumerate(values) if v == best]


def basins_best_response(
    game: NormalFormGame,
    *,
    resolution: int = 20,
    step: Number = Fraction(1, 10),
    max_steps: int = 500,
) -> Basins:
    """Basins of attraction of strict pure equilibria under discrete best-response dynamics.

    Each grid point is a pair of mixed strategies :math:`(x_0, y_0)` (equivalently,
    each player's belief about the other). In every period both players move a
    fraction ``step`` of the way towards their pure best response to the other's
    current mixture:

    .. math:: x_{t+1} = (1 - \\lambda) x_t + \\lambda\\, BR(y_t), \\quad
              y_{t+1} = (1 - \\lambda) y_t + \\lambda\\, BR(x_t)

    (a discretisation of Gilboa & Matsui's best-response dynamics; ``step=1``
    is the classic simultaneous best-reply process, which can cycle). A point
    belongs to the strict pure equilibrium :math:`(i, j)` as soon as
    :math:`i` is the unique best response to :math:`y_t` and :math:`j` to
    :math:`x_t`: the set where that holds is convex and contains the corner, so
    the path never leaves it. A point is *undecided* when a best response is not
    unique on the way (a threshold belief hit exactly) or no equilibrium is
    reached within ``max_steps``. The grid points themselves are checked in the
    game's arithmetic (exactly for exact games); later periods run in floats,
    where payoff differences within 1e-12 times the payoff range count as ties.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...                                   strategies=[["Engage", "Hedge"]] * 2)
    >>> b = basins_best_response(stag, resolution=3)
    >>> b.n_points, b.shares[("Engage", "Engage")], b.shares[("Hedge", "Hedge")]
    (16, Fraction(1, 16), Fraction(1, 2))
    >>> b.undecided
    Fraction(7, 16)
    """
    _check_two_player(game, "basins_best_response()")
    if resolution < 1:
        raise GameError("resolution must be at least 1")
    if not 0 < step <= 1:
        raise GameError("step must be in (0, 1]")
    strict = {game.profile_index(p) for p in strict_pure_equilibria(game)}
    counts: dict[tuple[str, ...], int] = {_labels(game, p): 0 for p in sorted(strict)}
    grid_x = _simplex_grid(game.shape[0], resolution, interior=False)
    grid_y = _simplex_grid(game.shape[1], resolution, interior=False)
    n, m = game.shape
    pairs = list(itertools.product(grid_x, grid_y))
    # Period 0 in the game's own arithmetic (exact for exact games): ties at the grid points
    # themselves (a belief exactly at a threshold) are found exactly.
    A0: NDArray[Any] = np.asarray(game.payoff_array(0))
    B0: NDArray[Any] = np.asarray(game.payoff_array(1))
    if not game.is_exact:
        A0, B0 = A0.astype(np.float64), B0.astype(np.float64)
    kind: Any = object if game.is_exact else np.float64
    row_br = {y: _best_responses(list(A0.dot(np.array(y, dtype=kind)))) for y in grid_y}
    col_br = {x: _best_responses(list(np.array(x, dtype=kind).dot(B0))) for x in grid_x}
    # Later periods in floats, all points at once; |payoff difference| <= 1e-12 x scale is a tie.
    A, B = game.payoff_array(0).astype(np.float64), game.payoff_array(1).astype(np.float64)
    tie = 1e-12 * max(float(np.ptp(A)), float(np.ptp(B)), 1.0)
    X = np.array([[float(t) for t in x] for x, _ in pairs]).reshape(len(pairs), n)
    Y = np.array([[float(t) for t in y] for _, y in pairs]).reshape(len(pairs), m)
    state = np.full(len(pairs), -1)  # -1 running, -2 undecided, k >= 0 index into `eqs`
    eqs = sorted(strict)
    for k, (x0, y0) in enumerate(pairs):
        if len(row_br[y0]) != 1 or len(col_br[x0]) != 1:
            state[k] = -2
    lam = float(step)
    for _ in range(max_steps) if strict else ():
        running = state == -1
        if not running.any():
            break
        vx = Y @ A.T  # row player's payoff of each pure strategy
        vy = X @ B
        br_r, br_c = vx.argmax(axis=1), vy.argmax(axis=1)
        top_r = np.sort(vx, axis=1)[:, -2:] if n > 1 else np.zeros((len(pairs), 2))
        top_c = np.sort(vy, axis=1)[:, -2:] if m > 1 else np.zeros((len(pairs), 2))
        tied = (n > 1) & (top_r[:, 1] - top_r[:, 0] <= tie)
        tied |= (m > 1) & (top_c[:, 1] - top_c[:, 0] <= tie)
        state[running & tied] = -2
        for e_k, (r, c) in enumerate(eqs):
            state[running & ~tied & (br_r == r) & (br_c == c)] = e_k
        move = state == -1
        X[move] *= 1 - lam
        Y[move] *= 1 - lam
        X[move, br_r[move]] += lam
        Y[move, br_c[move]] += lam
    undecided = int(np.sum(state < 0))
    for e_k, e in enumerate(eqs):
        counts[_labels(game, e)] = int(np.sum(state == e_k))
    total = len(grid_x) * len(grid_y)
    return Basins(
        dynamics=f"best response (simultaneous, step {format_number(step)})",
        resolution=resolution,
        n_points=total,
        shares={k: Fraction(v, total) for k, v in counts.items()},
        undecided=Fraction(undecided, total),
        notes=(
            f"grid: every pair of mixed strategies with probabilities in steps of 1/{resolution}",
            "undecided: a best response was not unique on the path, or no strict pure "
            f"equilibrium was reached within {max_steps} periods",
        ),
    )


def basins_replicator(
    game: NormalFormGame,
    *,
    resolution: int = 10,
    t_max: float = 200.0,
    single_population: bool = False,
    tol: float = BASIN_TOLERANCE,
) -> Basins:
    """Basins of attraction of pure equilibria under replicator dynamics.

    Two-population (default): :math:`\\dot x_k = x_k[(Ay)_k - x^\\top A y]`,
    :math:`\\dot y_l = y_l[(B^\\top x)_l - x^\\top B y]`, from every interior grid
    point (probabilities multiples of ``1/resolution``, all positive). With
    ``single_population=True`` (symmetric games only, ``B = A^T``) one
    population plays against itself: :math:`\\dot x_k = x_k[(Ax)_k - x^\\top A x]`.

    Each player's payoffs are divided by their range (max - min) first, which
    rescales time only. All trajectories are integrated together with
    ``scipy.integrate.solve_ivp`` (LSODA, rtol 1e-8, atol 1e-10) up to
    ``t_max``; a point belongs to a pure equilibrium when the final state is within
    ``tol`` of it in every coordinate, otherwise it is undecided (e.g. it lies on
    the separatrix through a mixed rest point).

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...                                   strategies=[["Engage", "Hedge"]] * 2)
    >>> b = basins_replicator(stag, resolution=6, single_population=True)
    >>> b.n_points, b.shares[("Engage", "Engage")], b.shares[("Hedge", "Hedge")]
    (5, Fraction(1, 5), Fraction(3, 5))
    >>> b.undecided
    Fraction(1, 5)
    """
    _check_two_player(game, "basins_replicator()")
    if resolution < 2:
        raise GameError("resolution must be at least 2 (interior grid points)")
    from scipy.integrate import solve_ivp

    A = game.payoff_array(0).astype(np.float64)
    B = game.payoff_array(1).astype(np.float64)
    A = A / (np.ptp(A) or 1.0)
    B = B / (np.ptp(B) or 1.0)
    n, m = game.shape
    from .pure import pure_equilibria

    eqs = [tuple(int(k) for k in p) for p in pure_equilibria(game)]
    if single_population:
        if n != m or not np.array_equal(game.payoff_array(1), game.payoff_array(0).T):
            raise GameError("single_population=True needs a symmetric game (B = A transposed)")
        starts = np.array(
            [[float(t) for t in x] for x in _simplex_grid(n, resolution, interior=True)]
        )
        k = len(starts)

        def rhs1(_t: float, z: NDArray[np.float64]) -> NDArray[np.float64]:
            x = z.reshape(k, n)
            f = x @ A.T
            avg = np.sum(f * x, axis=1, keepdims=True)
            return np.asarray((x * (f - avg)).ravel())

        sol = solve_ivp(rhs1, (0.0, t_max), starts.ravel(), method="LSODA", rtol=1e-8, atol=1e-10)
        final = sol.y[:, -1].reshape(k, n)
        finals = [(row, row) for row in final]
        variant = "replicator (single population, symmetric game)"
    else:
        gx = _simplex_grid(n, resolution, interior=True)
        gy = _simplex_grid(m, resolution, interior=True)
        pairs = list(itertools.product(gx, gy))
        k = len(pairs)
        z0 = np.array([[float(t) for t in (*x, *y)] for x, y in pairs]).ravel()

        def rhs2(_t: float, z: NDArray[np.float64]) -> NDArray[np.float64]:
            st = z.reshape(k, n + m)
            x, y = st[:, :n], st[:, n:]
            fx = y @ A.T
            fy = x @ B
            ax = np.sum(fx * x, axis=1, keepdims=True)
            ay = np.sum(fy * y, axis=1, keepdims=True)
            return np.asarray(np.hstack([x * (fx - ax), y * (fy - ay)]).ravel())

        sol = solve_ivp(rhs2, (0.0, t_max), z0, method="LSODA", rtol=1e-8, atol=1e-10)
        final = sol.y[:, -1].reshape(k, n + m)
        finals = [(row[:n], row[n:]) for row in final]
        variant = "replicator (two populations)"
    if not sol.success:  # pragma: no cover - LSODA on a smooth bounded system
        raise GameError(f"replicator integration failed: {sol.message}")
    counts: dict[tuple[str, ...], int] = {_labels(game, e): 0 for e in eqs}
    undecided = 0
    for x, y in finals:
        hit = None
        for e in eqs:
            if (
                abs(1.0 - float(x[e[0]])) <= tol
                and abs(1.0 - float(y[e[1]])) <= tol
                and (not single_population or e[0] == e[1])
            ):
                hit = e
                break
        if hit is None:
            undecided += 1
        else:
            counts[_labels(game, hit)] += 1
    if single_population:
        counts = {key: v for key, v in counts.items() if key[0] == key[1] or v}
    total = len(finals)
    return Basins(
        dynamics=variant,
        resolution=resolution,
        n_points=total,
        shares={key: Fraction(v, total) for key, v in counts.items()},
        undecided=Fraction(undecided, total),
        notes=(
            f"interior grid with step 1/{resolution}; payoffs divided by each player's range",
            f"solve_ivp LSODA rtol=1e-8 atol=1e-10 to t={t_max}; "
            f"converged = within {tol} of a pure equilibrium",
        ),
    )


# -- welfare ----------------------------------------------------------------------------------


def utilitarian(payoffs: Sequence[Number]) -> Number:
    """Sum of the players' payoffs.

    >>> utilitarian((Fraction(1, 2), Fraction(1, 3)))
    Fraction(5, 6)
    """
    total: Number = Fraction(0) if all(isinstance(v, Fraction) for v in payoffs) else 0.0
    for v in payoffs:
        total = total + v
    return total


def rawlsian(payoffs: Sequence[Number]) -> Number:
    """The worst-off player's payoff (Rawlsian maximin welfare).

    >>> rawlsian((3, -10))
    -10
    """
    return min(payoffs)


_MEASURES = {"utilitarian": utilitarian, "rawlsian": rawlsian}


@dataclass(frozen=True)
class Welfare:
    """Welfare of one equilibrium (expected payoffs for mixed ones).

    Attributes
    ----------
    equilibrium
        Its one-line description.
    payoffs
        Each player's expected payoff.
    utilitarian, rawlsian
        Sum and minimum of ``payoffs``.
    """

    equilibrium: str
    payoffs: tuple[Number, ...]
    utilitarian: Number
    rawlsian: Number


def welfare(solution: Solution) -> tuple[Welfare, ...]:
    """Utilitarian and Rawlsian welfare of every equilibrium, in the solution's order.

    For a mixed equilibrium both use the expected payoffs (ex ante).

    >>> from equishift.games import NormalFormGame
    >>> from equishift.solver import solve
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]])
    >>> [format_number(w.utilitarian) for w in welfare(solve(chicken))]
    ['6', '6', '76/13']
    """
    out = []
    for e in _normal_equilibria(solution):
        out.append(Welfare(e.describe(), e.payoffs, utilitarian(e.payoffs), rawlsian(e.payoffs)))
    return tuple(out)


@dataclass(frozen=True)
class Efficiency:
    """Price of anarchy and of stability.

    Attributes
    ----------
    measure
        ``"utilitarian"`` or ``"rawlsian"``.
    optimum
        Best welfare over *pure* profiles.
    optimal_profiles
        The pure profiles attaining it.
    worst_equilibrium, best_equilibrium
        Worst and best welfare over the solution's equilibria (mixed included,
        expected payoffs).
    price_of_anarchy, price_of_stability
        ``optimum / worst`` and ``optimum / best`` when every payoff of the game
        is positive (so every welfare is); ``None`` otherwise.
    anarchy_gap, stability_gap
        ``optimum - worst`` and ``optimum - best``: always reported.
    kind
        ``"ratio"`` when the prices are defined, else ``"difference"``.
    notes
        Assumptions and caveats.
    """

    measure: str
    optimum: Number
    optimal_profiles: tuple[tuple[str, ...], ...]
    worst_equilibrium: Number
    best_equilibrium: Number
    price_of_anarchy: Number | None
    price_of_stability: Number | None
    anarchy_gap: Number
    stability_gap: Number
    kind: str
    notes: tuple[str, ...] = ()


def price_of_anarchy(
    game: NormalFormGame, solution: Solution | None = None, *, measure: str = "utilitarian"
) -> Efficiency:
    """Price of anarchy and of stability of ``game``.

    The optimum is taken over pure profiles; the equilibria are those of
    ``solution`` (computed with :func:`~equishift.solver.solve` when not given).
    Ratios need positive welfare, so they are reported only when every payoff
    of the game is positive; differences are always reported. In degenerate
    2-player games only the extreme equilibria are listed, which suffices:
    expected welfare is linear in each player's mixture, so on a convex
    component of equilibria its extremes are attained at extreme points.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> eff = price_of_anarchy(pd)
    >>> eff.kind, eff.price_of_anarchy, eff.optimum, eff.optimal_profiles
    ('difference', None, Fraction(6, 1), (('1', '1'),))
    >>> eff.anarchy_gap
    Fraction(4, 1)
    >>> price_of_anarchy(pd.with_payoffs(np.asarray(pd.payoffs) + 1)).price_of_anarchy
    Fraction(2, 1)
    """
    if measure not in _MEASURES:
        raise GameError(f"unknown welfare measure {measure!r}; expected one of {list(_MEASURES)}")
    f = _MEASURES[measure]
    if solution is None:
        from .api import solve

        solution = solve(game)
    eqs = _normal_equilibria(solution)
    if not eqs:
        raise GameError("the solution has no equilibria to compare with the optimum")
    values: dict[tuple[int, ...], Number] = {}
    for idx in itertools.product(*(range(k) for k in game.shape)):
        values[idx] = f(tuple(game.payoffs[idx].tolist()))
    optimum = max(values.values())
    optimal = tuple(_labels(game, idx) for idx, v in values.items() if v == optimum)
    eq_values = [f(e.payoffs) for e in eqs]
    worst, best = min(eq_values), max(eq_values)
    notes = ["optimum over pure profiles; equilibrium welfare uses expected payoffs"]
    if not solution.complete:
        notes.append("the equilibrium list may be incomplete: worst/best are over those found")
    positive = bool(all(v > 0 for v in game.payoffs.ravel().tolist()))
    if positive:
        poa: Number | None = optimum / worst
        pos: Number | None = optimum / best
        kind = "ratio"
    else:
        poa = pos = None
        kind = "difference"
        notes.append("some payoffs are not positive: ratios undefined, differences reported")
    return Efficiency(
        measure=measure,
        optimum=optimum,
        optimal_profiles=optimal,
        worst_equilibrium=worst,
        best_equilibrium=best,
        price_of_anarchy=poa,
        price_of_stability=pos,
        anarchy_gap=optimum - worst,
        stability_gap=optimum - best,
        kind=kind,
        notes=tuple(notes),
    )
