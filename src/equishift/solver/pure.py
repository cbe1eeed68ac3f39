"""Pure-strategy equilibria, dominance and iterated elimination for N players.

A pure profile :math:`s` is a Nash equilibrium when every :math:`s_i` is a best
response: :math:`u_i(s) = \\max_{t_i} u_i(t_i, s_{-i})` for all :math:`i`. This
is computed for all profiles at once with one ``max`` per player over its own
axis, in integers when the game is exact (payoffs are scaled by the lcm of
their denominators, which preserves order and ties), so the test is exact.

>>> from equishift.games import NormalFormGame
>>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]],
...                                      strategies=[["Restrain", "Escalate"]] * 2)
>>> pure_equilibria(chicken)
[(0, 1), (1, 0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.normal_form import NormalFormGame

__all__ = [
    "Elimination",
    "best_response_mask",
    "dominated_strategies",
    "iterated_elimination",
    "pure_equilibria",
]


def _comparable(game: NormalFormGame) -> NDArray[Any]:
    """Payoffs in a dtype where ``==`` and ``max`` are exact (ints) or plain floats."""
    return game.comparable_payoffs()


def best_response_mask(game: NormalFormGame, *, tol: float = 0.0) -> NDArray[np.bool_]:
    """Boolean array of shape ``(n_1, ..., n_N, N)``: is player i's strategy a best response?

    ``tol`` applies to float games only (a strategy within ``tol`` of the best counts).
    """
    u = _comparable(game)
    mask = np.empty(u.shape, dtype=bool)
    for i in range(game.n_players):
        ui = u[..., i]
        best = ui.max(axis=i, keepdims=True)
        if game.is_exact:
            mask[..., i] = ui == best
        else:
            mask[..., i] = ui >= best - tol
    return mask


def pure_equilibria(game: NormalFormGame, *, tol: float = 0.0) -> list[tuple[int, ...]]:
    """All pure-strategy Nash equilibria as index tuples, in lexicographic order.

    Parameters
    ----------
    game
        Any finite normal-form game.
    tol
        For float games: a deviation must gain more than ``tol`` to count.
    """
    mask = best_response_mask(game, tol=tol).all(axis=-1)
    return [tuple(int(k) for k in idx) for idx in np.argwhere(mask)]


def _dominated(u: NDArray[Any], axis: int, k: int, strict: bool) -> int | None:
    """Index of a pure strategy dominating strategy ``k`` on ``axis``, or ``None``."""
    uk = np.take(u, k, axis=axis)
    for j in range(u.shape[axis]):
        if j == k:
            continue
        uj = np.take(u, j, axis=axis)
        if strict:
            if bool(np.all(uj > uk)):
                return j
        elif bool(np.all(uj >= uk)) and bool(np.any(uj > uk)):
            return j
    return None


def dominated_strategies(
    game: NormalFormGame, player: int | str, *, strict: bool = True
) -> dict[str, str]:
    """Strategies of ``player`` dominated by another pure strategy: ``{dominated: dominator}``.

    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"], ["C", "D"]])
    >>> dominated_strategies(pd, 0)
    {'C': 'D'}
    """
    i = game.player_index(player)
    u = _comparable(game)[..., i]
    out: dict[str, str] = {}
    for k in range(game.shape[i]):
        j = _dominated(u, i, k, strict)
        if j is not None:
            out[game.strategies[i][k]] = game.strategies[i][j]
    return out


@dataclass(frozen=True)
class Elimination:
    """Result of iterated elimination of dominated strategies.

    Attributes
    ----------
    game
        The reduced game.
    steps
        ``(player, eliminated strategy, dominating strategy)`` in order of removal.
    strict
        Whether strict (order-independent) or weak dominance was used.
    """

    game: NormalFormGame
    steps: tuple[tuple[str, str, str], ...]
    strict: bool


def iterated_elimination(game: NormalFormGame, *, strict: bool = True) -> Elimination:
    """Remove dominated pure strategies until none is left.

    With ``strict=True`` the result does not depend on the order of removal and
    keeps every Nash equilibrium. With weak dominance one strategy is removed at a
    time (lowest player, then lowest index), and equilibria may be lost; the
    order is fixed so the result is reproducible.

    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"], ["C", "D"]])
    >>> r = iterated_elimination(pd)
    >>> r.game.strategies, r.steps
    ((('D',), ('D',)), (('Player 1', 'C', 'D'), ('Player 2', 'C', 'D')))
    """
    current = game
    steps: list[tuple[str, str, str]] = []
    while True:
        removed = False
        for i in range(current.n_players):
            if current.shape[i] == 1:
                continue
            dom = dominated_strategies(current, i, strict=strict)
            if not dom:
                continue
            victims: Sequence[str] = list(dom) if strict else [next(iter(dom))]
            # Keep at least one strategy (strict dominance never removes all of them).
            keep = [s for s in current.strategies[i] if s not in victims]
            for v in victims:
                steps.append((current.players[i], v, dom[v]))
            new_keep: list[list[str]] = [list(s) for s in current.strategies]
            new_keep[i] = keep
            current = current.restrict(new_keep)
            removed = True
            if not strict:
                break
        if not removed:
            return Elimination(current, tuple(steps), strict)
