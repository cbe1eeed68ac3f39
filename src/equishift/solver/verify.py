"""Regret of a profile and the certificate that makes an equilibrium checkable.

The *regret* of player :math:`i` at a mixed profile :math:`\\sigma` is
:math:`\\max_{s_i} u_i(s_i, \\sigma_{-i}) - u_i(\\sigma)`: what they would gain by
their best pure deviation. A profile is a Nash equilibrium iff every regret is 0.
With exact payoffs and probabilities the check is exact; in floats it is
``<= tol``.

>>> from equishift.games import NormalFormGame
>>> from fractions import Fraction as F
>>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> regrets(mp, [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]])
(Fraction(0, 1), Fraction(0, 1))
>>> cert = certificate(mp, [[1, 0], [1, 0]])
>>> cert.max_regret, cert.players[1].best_deviations
(Fraction(2, 1), ('2',))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.errors import GameError
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, to_number

__all__ = [
    "DEFAULT_TOL",
    "Certificate",
    "PlayerCertificate",
    "certificate",
    "is_equilibrium",
    "normalize_profile",
    "regrets",
    "strategy_values",
]

DEFAULT_TOL = 1e-9
"""Regret tolerance for float games."""


@dataclass(frozen=True)
class PlayerCertificate:
    """One player's part of a certificate.

    Attributes
    ----------
    player
        Label.
    payoff
        Expected payoff at the profile.
    best_value
        Expected payoff of the best pure deviation.
    best_deviations
        Labels of the pure strategies attaining ``best_value``.
    regret
        ``best_value - payoff`` (never negative).
    """

    player: str
    payoff: Number
    best_value: Number
    best_deviations: tuple[str, ...]
    regret: Number


@dataclass(frozen=True)
class Certificate:
    """Evidence that a profile is (or is not) an equilibrium."""

    players: tuple[PlayerCertificate, ...]
    exact: bool
    tolerance: float

    @property
    def max_regret(self) -> Number:
        """The largest regret of any player."""
        return max(p.regret for p in self.players)

    @property
    def is_equilibrium(self) -> bool:
        """Regret exactly 0 (exact) or at most ``tolerance`` (floats)."""
        if self.exact:
            return self.max_regret == 0
        return float(self.max_regret) <= self.tolerance


def normalize_profile(
    game: NormalFormGame, profile: Sequence[Sequence[Any]] | Sequence[Any]
) -> tuple[tuple[Number, ...], ...]:
    """Validate a mixed profile: one probability vector per player, non-negative, summing to 1.

    Exact input stays exact. A *pure* profile may be given as labels.

    >>> from equishift.games import NormalFormGame
    >>> g = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> normalize_profile(g, ["2", "1"])
    ((Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1)))
    """
    if len(profile) != game.n_players:
        raise GameError(f"profile has {len(profile)} entries, expected {game.n_players}")
    out: list[tuple[Number, ...]] = []
    for i, row in enumerate(profile):
        n = game.shape[i]
        if isinstance(row, str | int) and not isinstance(row, bool):
            k = game.strategy_index(i, row)
            out.append(tuple(Fraction(int(j == k)) for j in range(n)))
            continue
        vals = [to_number(v, what=f"probability of {game.players[i]}") for v in row]
        if len(vals) != n:
            raise GameError(
                f"{game.players[i]} has {n} strategies but {len(vals)} probabilities were given"
            )
        if any(v < 0 for v in vals):
            raise GameError(f"{game.players[i]} has a negative probability")
        total = sum(vals, Fraction(0))
        exact = all(isinstance(v, Fraction) for v in vals)
        if (exact and total != 1) or (not exact and abs(float(total) - 1.0) > 1e-9):
            raise GameError(f"probabilities of {game.players[i]} sum to {total}, expected 1")
        out.append(tuple(vals))
    return tuple(out)


def _contract(u: NDArray[Any], profile: Sequence[Sequence[Number]], keep: int) -> NDArray[Any]:
    """Expected payoff array over axis ``keep`` with the other axes averaged out."""
    t = u
    for j in reversed(range(u.ndim)):
        if j == keep:
            continue
        p = np.array(profile[j], dtype=u.dtype if u.dtype != object else object)
        t = np.tensordot(t, p, axes=([j], [0]))
    return t


def _integers(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """Fractions as integers over their least common denominator: ``(numerators, d)``."""
    d = math.lcm(*(v.denominator for v in values)) if values else 1
    return [v.numerator * (d // v.denominator) for v in values], d


def _exact_values(
    u: NDArray[Any], profile: Sequence[Sequence[Fraction]], keep: int
) -> NDArray[Any]:
    """:func:`_contract` in exact arithmetic, on integers: payoffs and each mixture are scaled
    to integers over a common denominator, contracted (in int64 when the bound
    ``max |u| * prod(denominators)`` fits, else with Python integers), and divided once."""
    flat, scale = _integers(list(u.flat))
    ints = np.array(flat, dtype=object).reshape(u.shape)
    denominator = scale
    mixtures: list[list[int] | None] = []
    for j, row in enumerate(profile):
        if j == keep:
            mixtures.append(None)
            continue
        nums, d = _integers(list(row))
        mixtures.append(nums)
        denominator *= d
    bound = max((abs(x) for x in flat), default=0) * (denominator // scale)
    t: NDArray[Any] = ints.astype(np.int64) if bound < 2**62 else ints
    for j in reversed(range(u.ndim)):
        if j == keep:
            continue
        weights = mixtures[j]
        assert weights is not None
        t = np.tensordot(t, np.array(weights, dtype=t.dtype), axes=([j], [0]))
    return np.array([Fraction(int(v), denominator) for v in t], dtype=object)


def strategy_values(
    game: NormalFormGame, profile: Sequence[Sequence[Number]], player: int
) -> NDArray[Any]:
    """Expected payoff of each pure strategy of ``player`` against the others' mixtures.

    Exact (``Fraction``) when the game and the profile are; floats otherwise.

    >>> g = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> half, third = Fraction(1, 2), Fraction(1, 3)
    >>> [str(v) for v in strategy_values(g, [[half, half], [third, 1 - third]], 0)]
    ['1', '7/3']
    """
    u = game.payoff_array(player)
    if game.is_exact and all(isinstance(p, Fraction) for r in profile for p in r):
        return _exact_values(u, [[Fraction(p) for p in row] for row in profile], player)
    u = np.asarray(u, dtype=np.float64)
    prof = [[float(p) for p in row] for row in profile]
    return _contract(u, prof, player)


def certificate(
    game: NormalFormGame,
    profile: Sequence[Sequence[Any]] | Sequence[Any],
    *,
    tol: float = DEFAULT_TOL,
) -> Certificate:
    """Each player's payoff, best deviation and regret at ``profile``.

    Exact when the game and the profile are exact.
    """
    prof = normalize_profile(game, profile)
    exact = game.is_exact and all(isinstance(p, Fraction) for r in prof for p in r)
    players = []
    for i in range(game.n_players):
        vals = strategy_values(game, prof, i)
        if exact:
            payoff: Number = sum((v * p for v, p in zip(vals, prof[i], strict=True)), Fraction(0))
            best: Number = max(vals)
            regret: Number = best - payoff
            dev = tuple(game.strategies[i][k] for k, v in enumerate(vals) if v == best)
        else:
            fv = np.asarray(vals, dtype=np.float64)
            payoff = float(fv @ np.array([float(p) for p in prof[i]]))
            best = float(fv.max())
            regret = max(best - payoff, 0.0)
            dev = tuple(
                game.strategies[i][k] for k, v in enumerate(fv) if v >= best - max(tol, 0.0)
            )
        players.append(PlayerCertificate(game.players[i], payoff, best, dev, regret))
    return Certificate(tuple(players), exact, 0.0 if exact else tol)


def regrets(
    game: NormalFormGame,
    profile: Sequence[Sequence[Any]] | Sequence[Any],
) -> tuple[Number, ...]:
    """Each player's regret at ``profile`` (exact when possible)."""
    return tuple(p.regret for p in certificate(game, profile).players)


def is_equilibrium(
    game: NormalFormGame,
    profile: Sequence[Sequence[Any]] | Sequence[Any],
    *,
    tol: float = DEFAULT_TOL,
) -> bool:
    """True when no player gains by deviating (exactly, or within ``tol`` in floats).

    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> is_equilibrium(pd, ["2", "2"]), is_equilibrium(pd, ["1", "1"])
    (True, False)
    """
    return certificate(game, profile, tol=tol).is_equilibrium
