"""Continuous games with linear best responses: Richardson arms races and quadratic games.

A :class:`LinearResponseGame` has players :math:`i = 1..N` who each choose a level
:math:`x_i` (arms, posture, effort). It is written in the form of Richardson's (1960)
arms-race equations, generalised to N players:

.. math::

    \\dot x_i = g_i - m_i x_i + \\sum_{j \\ne i} k_{ij} x_j

with *fatigue* :math:`m_i > 0` (the cost of one's own level), *reactions* :math:`k_{ij}`
(how much player i responds to player j's level; positive: an arms race) and *grievances*
:math:`g_i`. For two players this is ``dx/dt = a·y − m·x + g``, ``dy/dt = b·x − n·y + h``
(``a = k_12``, ``b = k_21``, ``m = m_1``, ``n = m_2``, ``g = g_1``, ``h = g_2``).

The same object is the game in which each player's payoff is the concave quadratic

.. math::

    u_i(x) = -\\tfrac{1}{2} m_i x_i^2 + x_i \\Big(g_i + \\sum_{j \\ne i} k_{ij} x_j\\Big)
    + (\\text{terms without } x_i),

whose best response is affine in the others' levels,
:math:`BR_i(x_{-i}) = c_i + \\sum_j K_{ij} x_j` with :math:`c_i = g_i / m_i` and
:math:`K_{ij} = k_{ij} / m_i`; Richardson's equations are then gradient play
:math:`\\dot x_i = \\partial u_i / \\partial x_i = m_i (BR_i(x_{-i}) - x_i)`.
:meth:`LinearResponseGame.from_best_responses`, :meth:`LinearResponseGame.from_quadratic` and
:meth:`LinearResponseGame.from_payoff_expressions` build the game from those descriptions.

Levels are not restricted to be non-negative: the linear model is kept as it is, and the solver
(:mod:`equishift.solver.continuous`) reports when the equilibrium has negative levels instead of
clipping them.

Parameters are addressed by name: ``"fatigue[Japan]"``, ``"reaction[China,Japan]"`` (China's
reaction to Japan's level), ``"grievance[China]"``; in two-player games also by Richardson's
letters ``a, b, m, n, g, h``. Games are immutable; :meth:`LinearResponseGame.with_parameter`
returns a new game that records the change in ``provenance``.

Examples
--------
>>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1,
...                                     players=["Japan", "China"])
>>> race.jacobian()
((Fraction(-1, 2), Fraction(3, 10)), (Fraction(3, 10), Fraction(-1, 2)))
>>> race.best_response("China", {"Japan": 5})
Fraction(5, 1)
>>> race.with_parameter("b", "0.9").parameter("reaction[China,Japan]")
Fraction(9, 10)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from .errors import GameError
from .numbers import Number, format_number, to_number

__all__ = ["RICHARDSON_LETTERS", "LinearResponseGame", "ParameterRef", "ParameterSlot"]

ParameterSlot = tuple[str, int, int]
"""A parameter's place: ``("fatigue", i, i)``, ``("grievance", i, i)`` or ``("reaction", i, j)``."""

ParameterRef = str | tuple[str, int | str, int | str]
"""A parameter given by name (``"b"``, ``"reaction[China,Japan]"``) or as a slot whose players
may be indices or labels (``("reaction", "China", "Japan")``)."""

RICHARDSON_LETTERS: dict[str, ParameterSlot] = {
    "a": ("reaction", 0, 1),
    "b": ("reaction", 1, 0),
    "m": ("fatigue", 0, 0),
    "n": ("fatigue", 1, 1),
    "g": ("grievance", 0, 0),
    "h": ("grievance", 1, 1),
}
"""Richardson's letters for two-player games, as parameter slots."""

_NAME = re.compile(
    r"^\s*(fatigue|grievance|reaction)\s*\[\s*([^\],]+?)\s*(?:,\s*([^\]]+?)\s*)?\]\s*$"
)


def _labels(players: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if players is None:
        return tuple(f"Player {i + 1}" for i in range(n))
    if isinstance(players, str):
        raise GameError("players must be a list of labels, not a single string")
    labs = tuple(players)
    if len(labs) != n:
        raise GameError(f"{len(labs)} player labels given for a game with {n} players")
    for k, lab in enumerate(labs):
        if not isinstance(lab, str) or not lab.strip():
            raise GameError(f"player {k + 1} has label {lab!r}; expected a non-empty string")
    if len(set(labs)) != n:
        raise GameError(f"duplicate player labels in {list(labs)}")
    return labs


def _vector(values: Any, n: int | None, what: str) -> tuple[Number, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise GameError(f"{what} must be a sequence of numbers, one per player")
    if n is not None and len(values) != n:
        raise GameError(f"{what} has {len(values)} entries; expected {n} (one per player)")
    return tuple(to_number(v, what=f"{what} of player {k + 1}") for k, v in enumerate(values))


def _matrix(values: Any, n: int, what: str) -> tuple[tuple[Number, ...], ...]:
    if isinstance(values, str) or not isinstance(values, Sequence) or len(values) != n:
        raise GameError(f"{what} must be a {n}x{n} matrix (one row per player)")
    rows = []
    for i, row in enumerate(values):
        if isinstance(row, str) or not isinstance(row, Sequence) or len(row) != n:
            raise GameError(f"row {i + 1} of {what} must have {n} entries")
        rows.append(tuple(to_number(v, what=f"{what}[{i + 1},{j + 1}]") for j, v in enumerate(row)))
    for i in range(n):
        if rows[i][i] != 0:
            raise GameError(
                f"{what}[{i + 1},{i + 1}] is {format_number(rows[i][i])}; a player's response to "
                "its own level must be 0 (own costs go into the fatigue coefficient)"
            )
    return tuple(rows)


@dataclass(frozen=True, init=False)
class LinearResponseGame:
    """A continuous N-player game whose best responses are affine (Richardson form).

    Parameters
    ----------
    fatigue
        :math:`m_i > 0` per player: the coefficient of :math:`-x_i` in :math:`\\dot x_i`
        (equivalently the curvature of the quadratic payoff).
    reactions
        N x N matrix :math:`k_{ij}` with a zero diagonal: the weight of player j's level in
        player i's rate of change.
    grievances
        :math:`g_i` per player: the constant term.
    players
        Player labels; default ``"Player 1"``, ...
    title, provenance
        Description, and what produced this value (oldest first).

    Raises
    ------
    GameError
        On fewer than two players, sizes that do not match, a non-positive fatigue (no best
        response exists), a non-zero diagonal reaction, or a value that is not a finite number.

    Examples
    --------
    >>> LinearResponseGame([1, 2], [[0, 1], [1, 0]], [0, 0]).players
    ('Player 1', 'Player 2')
    >>> LinearResponseGame([1, 0], [[0, 1], [1, 0]], [0, 0])
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: fatigue of Player 2 is 0; expected a positive number ...
    """

    fatigue: tuple[Number, ...]
    reactions: tuple[tuple[Number, ...], ...]
    grievances: tuple[Number, ...]
    players: tuple[str, ...]
    title: str = ""
    provenance: tuple[str, ...] = field(default=())

    def __init__(
        self,
        fatigue: Sequence[Any],
        reactions: Sequence[Sequence[Any]],
        grievances: Sequence[Any],
        *,
        players: Sequence[str] | None = None,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        m = _vector(fatigue, None, "fatigue")
        n = len(m)
        if n < 2:
            raise GameError(f"a linear-response game needs at least 2 players, got {n}")
        labs = _labels(players, n)
        for lab, v in zip(labs, m, strict=True):
            if v <= 0:
                raise GameError(
                    f"fatigue of {lab} is {format_number(v)}; expected a positive number "
                    "(with m <= 0 the player's payoff is not concave and has no best response)"
                )
        object.__setattr__(self, "fatigue", m)
        object.__setattr__(self, "reactions", _matrix(reactions, n, "reactions"))
        object.__setattr__(self, "grievances", _vector(grievances, n, "grievances"))
        object.__setattr__(self, "players", labs)
        object.__setattr__(self, "title", str(title))
        object.__setattr__(self, "provenance", tuple(provenance))

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def richardson(
        cls,
        *,
        a: Any,
        b: Any,
        m: Any,
        n: Any,
        g: Any = 0,
        h: Any = 0,
        players: Sequence[str] = ("x", "y"),
        title: str = "Richardson arms race",
    ) -> LinearResponseGame:
        """Richardson's two-player race ``dx/dt = a·y − m·x + g``, ``dy/dt = b·x − n·y + h``.

        Examples
        --------
        >>> g = LinearResponseGame.richardson(a=1, b=2, m=3, n=4, g=5, h=6)
        >>> g.parameters()
        {'a': Fraction(1, 1), 'b': Fraction(2, 1), 'm': Fraction(3, 1), 'n': Fraction(4, 1), \
'g': Fraction(5, 1), 'h': Fraction(6, 1)}
        """
        return cls([m, n], [[0, a], [b, 0]], [g, h], players=players, title=title)

    @classmethod
    def from_best_responses(
        cls,
        intercepts: Sequence[Any],
        slopes: Sequence[Sequence[Any]],
        *,
        speeds: Sequence[Any] | None = None,
        players: Sequence[str] | None = None,
        title: str = "",
    ) -> LinearResponseGame:
        """The game with best responses ``x_i = c_i + Σ_j K_ij x_j``.

        ``speeds`` (default 1) are the adjustment rates :math:`s_i` of the continuous-time
        dynamics :math:`\\dot x_i = s_i (BR_i - x_i)`: fatigue :math:`m_i = s_i`, reactions
        :math:`k_{ij} = s_i K_{ij}`, grievances :math:`g_i = s_i c_i`. The equilibrium does not
        depend on the speeds; continuous-time stability may.

        Examples
        --------
        >>> g = LinearResponseGame.from_best_responses([10, 10], [[0, "0.6"], ["0.6", 0]])
        >>> g.best_response_slopes()
        ((Fraction(0, 1), Fraction(3, 5)), (Fraction(3, 5), Fraction(0, 1)))
        """
        c = _vector(intercepts, None, "intercepts")
        n = len(c)
        k = _matrix(slopes, n, "slopes")
        s = (Fraction(1),) * n if speeds is None else _vector(speeds, n, "speeds")
        for i, v in enumerate(s):
            if v <= 0:
                raise GameError(f"speed of player {i + 1} is {format_number(v)}; expected > 0")
        return cls(
            list(s),
            [[s[i] * k[i][j] for j in range(n)] for i in range(n)],
            [s[i] * c[i] for i in range(n)],
            players=players,
            title=title,
        )

    @classmethod
    def from_quadratic(
        cls,
        curvature: Sequence[Any],
        interaction: Sequence[Sequence[Any]],
        linear: Sequence[Any],
        *,
        players: Sequence[str] | None = None,
        title: str = "",
    ) -> LinearResponseGame:
        """The game ``u_i = −q_i x_i²/2 + x_i (c_i + Σ_j K_ij x_j) + (terms without x_i)``.

        ``curvature`` is :math:`q_i > 0` (concavity), ``interaction`` :math:`K_{ij}`, ``linear``
        :math:`c_i`. Gradient play on these payoffs is the Richardson system with
        :math:`m_i = q_i`, :math:`k_{ij} = K_{ij}`, :math:`g_i = c_i`.

        Examples
        --------
        >>> g = LinearResponseGame.from_quadratic([2, 2], [[0, 1], [1, 0]], [4, 4])
        >>> g.best_response(0, [0, 2])
        Fraction(3, 1)
        """
        q = _vector(curvature, None, "curvature")
        for i, v in enumerate(q):
            if v <= 0:
                raise GameError(
                    f"curvature of player {i + 1} is {format_number(v)}; expected > 0 "
                    "(the payoff must be strictly concave in the player's own level)"
                )
        return cls(list(q), interaction, linear, players=players, title=title)

    @classmethod
    def from_payoff_expressions(
        cls,
        payoffs: Sequence[Any],
        levels: Sequence[Any],
        *,
        players: Sequence[str] | None = None,
        title: str = "",
    ) -> LinearResponseGame:
        """Read the game from sympy payoff expressions, one per player, in the level symbols.

        Each payoff must be a polynomial of degree at most 2 in the levels, strictly concave in
        the player's own level, with a marginal payoff :math:`\\partial u_i/\\partial x_i` that is
        affine in the levels and has rational (or float) coefficients.

        Raises
        ------
        GameError
            When a payoff is not quadratic and concave in the player's own level, or its
            marginal payoff is not affine with numeric coefficients.

        Examples
        --------
        >>> import sympy
        >>> x, y = sympy.symbols("x y")
        >>> g = LinearResponseGame.from_payoff_expressions(
        ...     [-x**2 / 2 + x * (1 + y / 2), -y**2 + y * (3 + x) - x**2], [x, y])
        >>> g.fatigue, g.reactions, g.grievances
        ((Fraction(1, 1), Fraction(2, 1)), ((Fraction(0, 1), Fraction(1, 2)), \
(Fraction(1, 1), Fraction(0, 1))), (Fraction(1, 1), Fraction(3, 1)))
        >>> LinearResponseGame.from_payoff_expressions([x**2, -y**2], [x, y])
        Traceback (most recent call last):
        ...
        equishift.games.errors.GameError: payoff of player 1 is not strictly concave in x ...
        """
        import sympy

        syms = [sympy.sympify(s) for s in levels]
        n = len(syms)
        if len(payoffs) != n:
            raise GameError(f"{len(payoffs)} payoffs given for {n} levels; expected one each")

        def number(expr: Any, what: str) -> Number:
            if isinstance(expr, sympy.Rational):
                return Fraction(int(expr.p), int(expr.q))
            if isinstance(expr, sympy.Float):
                return float(expr)
            raise GameError(f"{what} is {expr}; expected a number (no free symbols)")

        fatigue: list[Number] = []
        reactions: list[list[Number]] = []
        grievances: list[Number] = []
        for i, (u, xi) in enumerate(zip(payoffs, syms, strict=True)):
            marginal = sympy.expand(sympy.diff(sympy.sympify(u), xi))
            try:
                poly = sympy.Poly(marginal, *syms)
            except sympy.PolynomialError:
                raise GameError(
                    f"payoff of player {i + 1} is not a polynomial in the levels {syms}"
                ) from None
            if poly.total_degree() > 1:
                raise GameError(
                    f"marginal payoff of player {i + 1} (d u/d {xi} = {marginal}) is not affine "
                    "in the levels; best responses would not be linear"
                )
            coeffs = [poly.coeff_monomial(s) for s in syms]
            const = poly.coeff_monomial(1)
            own = number(-coeffs[i], f"curvature of player {i + 1}")
            if own <= 0:
                raise GameError(
                    f"payoff of player {i + 1} is not strictly concave in {xi} "
                    f"(coefficient of {xi}**2/2 is {-own}); it has no best response"
                )
            fatigue.append(own)
            reactions.append(
                [
                    Fraction(0) if j == i else number(coeffs[j], f"reaction[{i + 1},{j + 1}]")
                    for j in range(n)
                ]
            )
            grievances.append(number(const, f"constant of player {i + 1}"))
        return cls(fatigue, reactions, grievances, players=players, title=title)

    # -- views --------------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def is_exact(self) -> bool:
        """True when every coefficient is a ``Fraction``."""
        values = [*self.fatigue, *self.grievances, *(v for r in self.reactions for v in r)]
        return all(isinstance(v, Fraction) for v in values)

    def player_index(self, player: int | str) -> int:
        """The index of a player given by label or index."""
        if isinstance(player, int) and not isinstance(player, bool):
            if 0 <= player < self.n_players:
                return player
            raise GameError(f"player index {player} out of range 0..{self.n_players - 1}")
        if player in self.players:
            return self.players.index(str(player))
        raise GameError(f"unknown player {player!r}; expected one of {list(self.players)}")

    def jacobian(self) -> tuple[tuple[Number, ...], ...]:
        """The matrix of the continuous-time dynamics, ``J_ii = −m_i``, ``J_ij = k_ij``."""
        return tuple(
            tuple(-self.fatigue[i] if i == j else self.reactions[i][j] for j in range(len(row)))
            for i, row in enumerate(self.reactions)
        )

    def best_response_slopes(self) -> tuple[tuple[Number, ...], ...]:
        """``K_ij = k_ij / m_i``: the slope of player i's best response in player j's level."""
        return tuple(
            tuple(v / self.fatigue[i] for v in row) for i, row in enumerate(self.reactions)
        )

    def best_response_intercepts(self) -> tuple[Number, ...]:
        """``c_i = g_i / m_i``: player i's best response when every other level is 0."""
        return tuple(g / m for g, m in zip(self.grievances, self.fatigue, strict=True))

    def _levels(self, levels: Mapping[str, Any] | Sequence[Any]) -> list[Number]:
        if isinstance(levels, Mapping):
            out: list[Number] = [Fraction(0)] * self.n_players
            for key, v in levels.items():
                out[self.player_index(key)] = to_number(v, what=f"level of {key}")
            return out
        return list(_vector(levels, self.n_players, "levels"))

    def best_response(self, player: int | str, levels: Mapping[str, Any] | Sequence[Any]) -> Number:
        """Player's best response to the others' levels (its own entry is ignored).

        ``levels`` is a sequence with one entry per player, or a mapping from labels to levels
        (missing players at 0).
        """
        i = self.player_index(player)
        x = self._levels(levels)
        total = self.grievances[i] + sum(
            (self.reactions[i][j] * x[j] for j in range(self.n_players) if j != i), Fraction(0)
        )
        return total / self.fatigue[i]

    def payoffs(self, levels: Mapping[str, Any] | Sequence[Any]) -> tuple[Number, ...]:
        """The canonical quadratic payoffs ``−m_i x_i²/2 + x_i (g_i + Σ_j k_ij x_j)``.

        >>> LinearResponseGame([1, 1], [[0, 1], [1, 0]], [1, 1]).payoffs([1, 2])
        (Fraction(5, 2), Fraction(2, 1))
        """
        x = self._levels(levels)
        out: list[Number] = []
        for i in range(self.n_players):
            inner = self.grievances[i] + sum(
                (self.reactions[i][j] * x[j] for j in range(self.n_players) if j != i),
                Fraction(0),
            )
            out.append(-self.fatigue[i] * x[i] * x[i] / 2 + x[i] * inner)
        return tuple(out)

    # -- parameters ---------------------------------------------------------------------------
    def slot(self, name: ParameterRef) -> ParameterSlot:
        """The slot of a parameter name (``"b"``, ``"reaction[China,Japan]"``, ``"fatigue[x]"``).

        >>> LinearResponseGame.richardson(a=1, b=1, m=1, n=1).slot("reaction[y,x]")
        ('reaction', 1, 0)
        """
        if isinstance(name, tuple):
            kind, first, second = name
            if kind not in ("fatigue", "grievance", "reaction"):
                raise GameError(f"unknown parameter kind {kind!r}")
            i, j = self.player_index(first), self.player_index(second)
            if kind == "reaction" and i == j:
                raise GameError("a player's reaction to itself is fixed at 0; use fatigue")
            return (kind, i, i if kind != "reaction" else j)
        if self.n_players == 2 and name in RICHARDSON_LETTERS:
            return RICHARDSON_LETTERS[name]
        m = _NAME.match(name)
        if not m:
            letters = ", Richardson's a, b, m, n, g, h" if self.n_players == 2 else ""
            raise GameError(
                f"unknown parameter {name!r}; expected 'fatigue[P]', 'grievance[P]' or "
                f"'reaction[P,Q]' with player labels{letters}"
            )
        kind, first, second = m.group(1), m.group(2), m.group(3)
        if (kind == "reaction") != (second is not None):
            raise GameError(f"parameter {name!r}: reaction takes two players, the others one")
        i = self.player_index(first)
        j = self.player_index(second) if second is not None else i
        return self.slot((kind, i, j))

    def parameter_name(self, slot: ParameterSlot) -> str:
        """The name of a slot: Richardson's letter in two-player games, else the long form."""
        if self.n_players == 2:
            for letter, s in RICHARDSON_LETTERS.items():
                if s == slot:
                    return letter
        kind, i, j = slot
        if kind == "reaction":
            return f"reaction[{self.players[i]},{self.players[j]}]"
        return f"{kind}[{self.players[i]}]"

    def parameter_slots(self) -> tuple[ParameterSlot, ...]:
        """Every parameter slot, in a fixed order: reactions, fatigue, grievances."""
        n = self.n_players
        reac = [("reaction", i, j) for i in range(n) for j in range(n) if i != j]
        return (
            *reac,
            *[("fatigue", i, i) for i in range(n)],
            *[("grievance", i, i) for i in range(n)],
        )

    def parameter(self, name: ParameterRef) -> Number:
        """The value of one parameter."""
        kind, i, j = self.slot(name)
        if kind == "reaction":
            return self.reactions[i][j]
        return self.fatigue[i] if kind == "fatigue" else self.grievances[i]

    def parameters(self) -> dict[str, Number]:
        """Every parameter by name (Richardson's letters for two players)."""
        return {self.parameter_name(s): self.parameter(s) for s in self.parameter_slots()}

    def with_parameter(self, name: ParameterRef, value: Any) -> LinearResponseGame:
        """A new game with one parameter changed; the change is recorded in ``provenance``.

        >>> g = LinearResponseGame.richardson(a=1, b=1, m=2, n=2)
        >>> g.with_parameter("m", 3).provenance
        ('set m = 3 (was 2)',)
        """
        kind, i, j = self.slot(name)
        label = self.parameter_name((kind, i, j))
        v = to_number(value, what=f"parameter {label}")
        old = self.parameter((kind, i, j))
        fatigue, grievances = list(self.fatigue), list(self.grievances)
        reactions = [list(r) for r in self.reactions]
        if kind == "reaction":
            reactions[i][j] = v
        elif kind == "fatigue":
            fatigue[i] = v
        else:
            grievances[i] = v
        note = f"set {label} = {format_number(v)} (was {format_number(old)})"
        new = LinearResponseGame(
            fatigue,
            reactions,
            grievances,
            players=self.players,
            title=self.title,
            provenance=(*self.provenance, note),
        )
        return new

    def with_title(self, title: str) -> LinearResponseGame:
        """The same game with another title."""
        return replace(self, title=title)

    def describe(self) -> str:
        """The dynamics as text, one line per player.

        >>> print(LinearResponseGame.richardson(a="0.3", b="0.9", m="0.5", n="0.5", g=1, h=1,
        ...       players=["Japan", "China"]).describe())
        d Japan/dt = 1 - 1/2·Japan + 3/10·China
        d China/dt = 1 - 1/2·China + 9/10·Japan
        """
        lines = []
        for i, p in enumerate(self.players):
            terms = [format_number(self.grievances[i]), f"- {format_number(self.fatigue[i])}·{p}"]
            for j, q in enumerate(self.players):
                if j != i and self.reactions[i][j] != 0:
                    v = self.reactions[i][j]
                    sign = "+" if v > 0 else "-"
                    terms.append(f"{sign} {format_number(v if v > 0 else -v)}·{q}")
            lines.append(f"d {p}/dt = " + " ".join(terms))
        return "\n".join(lines)
