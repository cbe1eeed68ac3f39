"""Equilibrium, stability and comparative statics of games with linear best responses.

For a :class:`~equishift.games.continuous.LinearResponseGame` (Richardson form
:math:`\\dot x = J x + g` with :math:`J_{ii} = -m_i`, :math:`J_{ij} = k_{ij}`):

* :func:`equilibrium` solves :math:`J x^* = -g` exactly (Gaussian elimination in
  ``Fraction``); it says when there is no equilibrium or a continuum, and flags negative
  levels instead of clipping them;
* :func:`stability` decides local asymptotic stability two ways, both *exactly*:

  - **continuous time** (Richardson's equations, gradient play): every eigenvalue of
    :math:`J` has a negative real part, decided by the Routh–Hurwitz criterion on the
    characteristic polynomial (all Hurwitz minors positive; for two players
    :math:`\\operatorname{tr} J < 0` and :math:`\\det J > 0`, i.e. :math:`mn > ab`);
  - **discrete time** (simultaneous best-response iteration
    :math:`x_{t+1} = c + K x_t`): the spectral radius of :math:`K` is below 1, decided by
    Routh–Hurwitz on the Möbius transform :math:`(1-s)^N p((1+s)/(1-s))` of
    :math:`p(z) = \\det(zI - K)`, which maps the open unit disc onto the open left half-plane.

  Float games are decided exactly for the binary fractions their floats are. Eigenvalues and the
  spectral radius are also reported (as floats, for reading);
* :func:`simulate` integrates the dynamics with :func:`scipy.integrate.solve_ivp`
  (deterministic), :func:`iterate_best_responses` iterates the best responses exactly;
* :func:`stability_boundary` finds, exactly, the values of one parameter at which stability is
  lost or gained, with the symbolic formula (e.g. :math:`b^* = mn/a`);
  :func:`equilibrium_formula` and :func:`sensitivity` give the equilibrium and its derivatives
  as functions of the parameters; :func:`parameter_shift` compares before and after a change.

Examples
--------
>>> from equishift.games.continuous import LinearResponseGame
>>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1,
...                                     players=["Japan", "China"])
>>> equilibrium(race).levels
{'Japan': Fraction(5, 1), 'China': Fraction(5, 1)}
>>> s = stability(race)
>>> s.continuous_time, s.discrete_time
(True, True)
>>> stability_boundary(race, "b").critical_values
(Fraction(5, 6),)
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.continuous import LinearResponseGame, ParameterRef, ParameterSlot
from ..games.errors import SolverError
from ..games.numbers import Number, format_number, to_number

__all__ = [
    "ContinuousEquilibrium",
    "ParameterShift",
    "Sensitivity",
    "Stability",
    "StabilityBoundary",
    "Trajectory",
    "equilibrium",
    "equilibrium_formula",
    "hurwitz_minors",
    "iterate_best_responses",
    "parameter_shift",
    "sensitivity",
    "simulate",
    "stability",
    "stability_boundary",
]

Matrix = list[list[Fraction]]


# -- exact linear algebra ---------------------------------------------------------------------


def _frac(v: Number) -> Fraction:
    return v if isinstance(v, Fraction) else Fraction(v)


def _out(v: Fraction, exact: bool) -> Number:
    return v if exact else float(v)


def _rank_solve(a: Matrix, rhs: list[Fraction]) -> tuple[list[Fraction] | None, str]:
    """Solve ``a x = rhs`` exactly: ``(x, "unique")``, ``(None, "none")`` or ``(None, "many")``."""
    n = len(a)
    m = [[*row, r] for row, r in zip(a, rhs, strict=True)]
    pivots: list[int] = []
    row = 0
    for col in range(n):
        piv = next((r for r in range(row, n) if m[r][col] != 0), None)
        if piv is None:
            continue
        m[row], m[piv] = m[piv], m[row]
        for r in range(n):
            if r != row and m[r][col] != 0:
                f = m[r][col] / m[row][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[row], strict=True)]
        pivots.append(col)
        row += 1
    if any(m[r][n] != 0 for r in range(row, n)):
        return None, "none"
    if row < n:
        return None, "many"
    x = [Fraction(0)] * n
    for r, col in enumerate(pivots):
        x[col] = m[r][n] / m[r][col]
    return x, "unique"


def _det(a: Matrix) -> Fraction:
    m = [list(r) for r in a]
    n = len(m)
    det = Fraction(1)
    for col in range(n):
        piv = next((r for r in range(col, n) if m[r][col] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != col:
            m[col], m[piv] = m[piv], m[col]
            det = -det
        det *= m[col][col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return det


def _charpoly(a: Sequence[Sequence[Any]]) -> list[Any]:
    """Coefficients of ``det(sI - a)``, highest power first (Faddeev–LeVerrier).

    Works for ``Fraction`` and sympy entries alike.
    """
    n = len(a)
    coeffs: list[Any] = [1]
    mk: list[list[Any]] = [[0] * n for _ in range(n)]
    for k in range(1, n + 1):
        # M_k = A M_{k-1} + c_{k-1} I ; c_k = -tr(A M_k) / k
        prod = [[sum(a[i][t] * mk[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        mk = [[prod[i][j] + (coeffs[-1] if i == j else 0) for j in range(n)] for i in range(n)]
        am = [sum(a[i][t] * mk[t][i] for t in range(n)) for i in range(n)]
        coeffs.append(-sum(am) / k)
    return coeffs


def hurwitz_minors(coeffs: Sequence[Any], *, factor: bool = True) -> list[Any]:
    """Leading principal minors of the Hurwitz matrix of ``a_0 s^n + ... + a_n``.

    With ``a_0 > 0``, every root has a negative real part iff every minor is positive
    (Routh–Hurwitz). Entries may be ``Fraction`` (exact minors) or sympy expressions, whose
    minors are factored unless ``factor=False`` (expanded instead: faster with many symbols).

    Examples
    --------
    >>> hurwitz_minors([1, 1, Fraction(1, 4) - Fraction(27, 100)])
    [Fraction(1, 1), Fraction(-1, 50)]
    """
    n = len(coeffs) - 1

    def a(k: int) -> Any:
        return coeffs[k] if 0 <= k <= n else 0

    h = [[a(2 * (j + 1) - (i + 1)) for j in range(n)] for i in range(n)]
    symbolic = any(not isinstance(c, int | Fraction) for c in coeffs)
    minors: list[Any] = []
    for k in range(1, n + 1):
        sub = [row[:k] for row in h[:k]]
        if symbolic:
            import sympy

            det = sympy.Matrix(sub).det()
            minors.append(sympy.factor(det) if factor else sympy.expand(det))
        else:
            minors.append(_det([[Fraction(v) for v in row] for row in sub]))
    return minors


def _polymul(p: list[Any], q: list[Any]) -> list[Any]:
    out: list[Any] = [0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def _moebius(coeffs: Sequence[Any]) -> list[Any]:
    """``(1 - s)^n p((1 + s)/(1 - s))`` for ``p`` given highest power first; same order out."""
    n = len(coeffs) - 1
    total: list[Any] = [0] * (n + 1)
    for idx, c in enumerate(coeffs):
        k = n - idx  # power of z
        term: list[Any] = [c]
        for _ in range(k):
            term = _polymul(term, [1, 1])  # (s + 1), highest first
        for _ in range(n - k):
            term = _polymul(term, [-1, 1])  # (1 - s) = -s + 1
        total = [x + y for x, y in zip(total, term, strict=True)]
    return total


def _hurwitz_stable(coeffs: Sequence[Fraction]) -> tuple[bool, tuple[Fraction, ...]]:
    lead = coeffs[0]
    if lead == 0:
        return False, ()
    cs = [c if lead > 0 else -c for c in coeffs]
    minors = tuple(hurwitz_minors(cs))
    return all(m > 0 for m in minors), minors


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContinuousEquilibrium:
    """The equilibrium levels of a linear-response game.

    Attributes
    ----------
    levels
        ``{player: level}`` (exact for exact games); empty when there is no unique equilibrium.
    status
        ``"unique"``, ``"none"`` (parallel best responses: no equilibrium) or ``"many"``
        (a continuum of equilibria).
    nonnegative
        True when every level is ``>= 0`` (only then is it a feasible arms level).
    notes
        Plain-language remarks (negative levels, no or many equilibria).
    """

    levels: dict[str, Number]
    status: str
    nonnegative: bool
    notes: tuple[str, ...] = ()

    @property
    def exists(self) -> bool:
        """True when there is exactly one equilibrium."""
        return self.status == "unique"

    def describe(self) -> str:
        """``Japan 5, China 5`` or the reason there is none."""
        if not self.exists:
            return self.notes[0] if self.notes else self.status
        return ", ".join(f"{p} {format_number(v)}" for p, v in self.levels.items())


@dataclass(frozen=True)
class Stability:
    """Local stability of the equilibrium under best-response dynamics.

    Attributes
    ----------
    continuous_time
        Asymptotically stable under :math:`\\dot x = J x + g` (all eigenvalues of J with
        negative real part), decided exactly by Routh–Hurwitz.
    discrete_time
        Asymptotically stable under simultaneous best-response iteration
        :math:`x_{t+1} = c + K x_t` (spectral radius of K below 1), decided exactly.
    jacobian
        J, exact for exact games.
    characteristic_polynomial
        Coefficients of :math:`\\det(sI - J)`, highest power first.
    hurwitz_minors
        Its Hurwitz minors (all positive iff continuous-time stable).
    eigenvalues
        Eigenvalues of J (floats, for reading), largest real part first.
    spectral_radius
        Spectral radius of the best-response slopes K (float, for reading).
    """

    continuous_time: bool
    discrete_time: bool
    jacobian: tuple[tuple[Number, ...], ...]
    characteristic_polynomial: tuple[Number, ...]
    hurwitz_minors: tuple[Number, ...]
    eigenvalues: tuple[complex, ...]
    spectral_radius: float

    @property
    def max_real_part(self) -> float:
        """The largest real part of an eigenvalue of J (negative iff continuous-time stable)."""
        return max(e.real for e in self.eigenvalues)

    def describe(self) -> str:
        """One line for people."""
        ct = "stable" if self.continuous_time else "unstable"
        dt = "stable" if self.discrete_time else "unstable"
        return (
            f"continuous time: {ct} (max Re λ = {self.max_real_part:.4g}); "
            f"discrete best-response iteration: {dt} (spectral radius {self.spectral_radius:.4g})"
        )


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A simulated path of the continuous-time dynamics.

    Attributes
    ----------
    players
        Player labels (columns of ``levels``).
    times
        Sample times, shape ``(T,)``.
    levels
        Levels at the sample times, shape ``(T, N)``.
    equilibrium
        The equilibrium levels (``None`` when there is no unique one).

    The arrays are read-only.
    """

    players: tuple[str, ...]
    times: NDArray[np.float64]
    levels: NDArray[np.float64]
    equilibrium: tuple[float, ...] | None

    def __post_init__(self) -> None:
        self.times.flags.writeable = False
        self.levels.flags.writeable = False

    @property
    def final(self) -> dict[str, float]:
        """Levels at the last sample time."""
        return {p: float(v) for p, v in zip(self.players, self.levels[-1], strict=True)}

    def distance_to_equilibrium(self) -> NDArray[np.float64]:
        """Euclidean distance to the equilibrium at each sample time."""
        if self.equilibrium is None:
            raise SolverError("the game has no unique equilibrium to measure distance to")
        diff = self.levels - np.asarray(self.equilibrium)
        return np.asarray(np.linalg.norm(diff, axis=1), dtype=np.float64)


@dataclass(frozen=True)
class StabilityBoundary:
    """Where stability changes as one parameter varies, others held at their values.

    Attributes
    ----------
    parameter
        The parameter's name.
    value
        Its current value.
    kind
        ``"continuous"`` or ``"discrete"``.
    critical_values
        The values at which stability changes, increasing (``Fraction`` when rational, else a
        sympy number).
    stable_intervals
        Maximal open intervals of the parameter on which the equilibrium is stable (``None``
        for an infinite end); fatigue parameters are restricted to positive values.
    formulas
        The critical values as symbolic functions of all the parameters (e.g. ``m*n/a``).
    stable_now
        Stability at the current value.
    """

    parameter: str
    value: Number
    kind: str
    critical_values: tuple[Any, ...]
    stable_intervals: tuple[tuple[Any, Any], ...]
    formulas: tuple[Any, ...]
    stable_now: bool

    def is_stable_at(self, value: Any) -> bool:
        """Whether the equilibrium is stable at ``value`` (from the intervals)."""
        v = float(value)
        return any(
            (lo is None or v > float(lo)) and (hi is None or v < float(hi))
            for lo, hi in self.stable_intervals
        )


@dataclass(frozen=True)
class Sensitivity:
    """How the equilibrium moves with one parameter.

    Attributes
    ----------
    parameter
        The parameter's name.
    derivatives
        ``{player: d x*_i / d parameter}`` at the current values (exact for exact games).
    formulas
        The same derivatives as symbolic functions of all the parameters.
    """

    parameter: str
    derivatives: dict[str, Number]
    formulas: dict[str, Any]


@dataclass(frozen=True)
class ParameterShift:
    """The equilibrium and its stability before and after a parameter change.

    Attributes
    ----------
    parameter, old_value, new_value
        The change.
    before, after
        Equilibria of the old and new game.
    stability_before, stability_after
        Their stability.
    crossed
        Critical values (continuous time) between the old and the new value, inclusive of the
        new one: the stability boundaries the change crosses.
    game_after
        The new game.
    """

    parameter: str
    old_value: Number
    new_value: Number
    before: ContinuousEquilibrium
    after: ContinuousEquilibrium
    stability_before: Stability
    stability_after: Stability
    crossed: tuple[Any, ...]
    game_after: LinearResponseGame = field(repr=False)

    def describe(self) -> str:
        """A short plain-language summary."""
        sb = "stable" if self.stability_before.continuous_time else "unstable"
        sa = "stable" if self.stability_after.continuous_time else "unstable"
        text = (
            f"{self.parameter}: {format_number(self.old_value)} -> "
            f"{format_number(self.new_value)}; equilibrium {self.before.describe()} ({sb}) -> "
            f"{self.after.describe()} ({sa})"
        )
        if self.crossed:
            text += "; crosses the stability boundary at " + ", ".join(
                str(c) if not isinstance(c, Fraction) else format_number(c) for c in self.crossed
            )
        return text


# -- equilibrium and stability ------------------------------------------------------------------


def _jac(game: LinearResponseGame) -> Matrix:
    return [[_frac(v) for v in row] for row in game.jacobian()]


def equilibrium(game: LinearResponseGame) -> ContinuousEquilibrium:
    """The equilibrium levels: the solution of ``J x = −g``, exactly.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.9", m="0.5", n="0.5", g=1, h=1)
    >>> eq = equilibrium(race)
    >>> eq.levels, eq.nonnegative
    ({'x': Fraction(-40, 1), 'y': Fraction(-70, 1)}, False)
    >>> equilibrium(LinearResponseGame.richardson(a=1, b=1, m=1, n=1, g=1, h=1)).status
    'none'
    """
    j = _jac(game)
    rhs = [-_frac(g) for g in game.grievances]
    x, status = _rank_solve(j, rhs)
    if x is None:
        note = (
            "no equilibrium: the best responses are parallel and never meet"
            if status == "none"
            else "a continuum of equilibria: the best responses coincide"
        )
        return ContinuousEquilibrium({}, status, False, (note,))
    levels = {p: _out(v, game.is_exact) for p, v in zip(game.players, x, strict=True)}
    nonneg = all(v >= 0 for v in x)
    notes: tuple[str, ...] = ()
    if not nonneg:
        neg = [p for p, v in zip(game.players, x, strict=True) if v < 0]
        notes = (
            f"negative equilibrium level for {', '.join(neg)}: not a feasible arms level; "
            "the linear system has no rest point with non-negative levels",
        )
    return ContinuousEquilibrium(levels, status, nonneg, notes)


def stability(game: LinearResponseGame) -> Stability:
    """Local asymptotic stability in continuous and discrete time, decided exactly.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.9", m="0.5", n="0.5", g=1, h=1)
    >>> s = stability(race)
    >>> s.continuous_time, s.characteristic_polynomial, s.hurwitz_minors
    (False, (Fraction(1, 1), Fraction(1, 1), Fraction(-1, 50)), (Fraction(1, 1), Fraction(-1, 50)))
    >>> round(s.max_real_part, 4), round(s.spectral_radius, 4)
    (0.0196, 1.0392)
    """
    j = _jac(game)
    exact = game.is_exact
    cp = [Fraction(c) for c in _charpoly(j)]
    ct, minors = _hurwitz_stable(cp)
    k = [[_frac(v) for v in row] for row in game.best_response_slopes()]
    dt, _ = _hurwitz_stable([Fraction(c) for c in _moebius(_charpoly(k))])
    eig = np.linalg.eigvals(np.array([[float(v) for v in row] for row in j]))
    eigs = tuple(sorted((complex(e) for e in eig), key=lambda e: (-e.real, -e.imag)))
    rho = float(max(abs(np.linalg.eigvals(np.array([[float(v) for v in r] for r in k])))))
    return Stability(
        continuous_time=ct,
        discrete_time=dt,
        jacobian=tuple(tuple(_out(v, exact) for v in row) for row in j),
        characteristic_polynomial=tuple(_out(c, exact) for c in cp),
        hurwitz_minors=tuple(_out(m, exact) for m in minors),
        eigenvalues=eigs,
        spectral_radius=rho,
    )


# -- dynamics ---------------------------------------------------------------------------------


def _initial(game: LinearResponseGame, initial: Mapping[str, Any] | Sequence[Any] | None) -> Any:
    if initial is None:
        return [Fraction(0)] * game.n_players
    if isinstance(initial, Mapping):
        x: list[Number] = [Fraction(0)] * game.n_players
        for key, v in initial.items():
            x[game.player_index(key)] = to_number(v, what=f"initial level of {key}")
        return x
    if isinstance(initial, str) or len(initial) != game.n_players:
        raise SolverError(
            f"initial levels have {len(initial)} entries; expected {game.n_players} "
            "(one per player)"
        )
    return [to_number(v, what=f"initial level {k + 1}") for k, v in enumerate(initial)]


def simulate(
    game: LinearResponseGame,
    initial: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    t_end: float = 50.0,
    points: int = 101,
) -> Trajectory:
    """Integrate ``dx/dt = J x + g`` from ``initial`` (default: all levels 0) over ``[0, t_end]``.

    Uses :func:`scipy.integrate.solve_ivp` (RK45, ``rtol=1e-10``, ``atol=1e-12``), which is
    deterministic; samples at ``points`` equally spaced times.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1)
    >>> path = simulate(race, t_end=100)
    >>> {p: round(v, 4) for p, v in path.final.items()}
    {'x': 5.0, 'y': 5.0}
    """
    if not t_end > 0:
        raise SolverError(f"simulate(): t_end must be positive, got {t_end}")
    if points < 2:
        raise SolverError(f"simulate(): points must be at least 2, got {points}")
    from scipy.integrate import solve_ivp

    x0 = np.array([float(v) for v in _initial(game, initial)], dtype=np.float64)
    jm = np.array([[float(v) for v in row] for row in game.jacobian()], dtype=np.float64)
    gv = np.array([float(v) for v in game.grievances], dtype=np.float64)
    times = np.linspace(0.0, float(t_end), points)

    def rhs(_t: float, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(jm @ x + gv, dtype=np.float64)

    sol = solve_ivp(rhs, (0.0, float(t_end)), x0, t_eval=times, rtol=1e-10, atol=1e-12)
    if not sol.success:  # pragma: no cover - linear systems integrate fine
        raise SolverError(f"simulate(): integration failed: {sol.message}")
    eq = equilibrium(game)
    eq_t = tuple(float(v) for v in eq.levels.values()) if eq.exists else None
    return Trajectory(
        game.players,
        np.array(sol.t, dtype=np.float64),
        np.array(sol.y.T, dtype=np.float64),
        eq_t,
    )


def iterate_best_responses(
    game: LinearResponseGame,
    initial: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    steps: int = 10,
) -> tuple[tuple[Number, ...], ...]:
    """Simultaneous best-response iteration ``x_{t+1} = c + K x_t``, exactly; ``steps + 1`` rows.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1)
    >>> [tuple(map(str, row)) for row in iterate_best_responses(race, steps=2)]
    [('0', '0'), ('2', '2'), ('16/5', '16/5')]
    """
    if steps < 0:
        raise SolverError(f"iterate_best_responses(): steps must be >= 0, got {steps}")
    x = list(_initial(game, initial))
    rows = [tuple(x)]
    for _ in range(steps):
        x = [game.best_response(i, x) for i in range(game.n_players)]
        rows.append(tuple(x))
    return tuple(rows)


# -- parameters -------------------------------------------------------------------------------


def _sym(v: Number) -> Any:
    import sympy

    f = _frac(v)
    return sympy.Rational(f.numerator, f.denominator)


def _symbols(game: LinearResponseGame) -> dict[ParameterSlot, Any]:
    import sympy

    return {s: sympy.Symbol(game.parameter_name(s), real=True) for s in game.parameter_slots()}


def _symbolic_jacobian(game: LinearResponseGame, values: Mapping[ParameterSlot, Any]) -> Any:
    n = game.n_players
    return [
        [-values[("fatigue", i, i)] if i == j else values[("reaction", i, j)] for j in range(n)]
        for i in range(n)
    ]


def equilibrium_formula(game: LinearResponseGame) -> dict[str, Any]:
    """The equilibrium levels as symbolic functions of all the parameters.

    Parameters are sympy symbols named as :meth:`LinearResponseGame.parameter_name` says
    (Richardson's letters for two players).

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> f = equilibrium_formula(LinearResponseGame.richardson(a=1, b=1, m=2, n=2))
    >>> f["x"]
    (a*h + g*n)/(-a*b + m*n)
    """
    import sympy

    syms = _symbols(game)
    jm = sympy.Matrix(_symbolic_jacobian(game, syms))
    g = sympy.Matrix([-syms[("grievance", i, i)] for i in range(game.n_players)])
    sol = jm.LUsolve(g)
    return {p: _tidy(e) for p, e in zip(game.players, sol, strict=True)}


def _tidy(expr: Any) -> Any:
    """A rational function as factored numerator over denominator, numerator sign-normalised."""
    import sympy

    num, den = sympy.fraction(sympy.cancel(expr))

    def negatives(e: Any) -> int:
        return sum(1 for t in sympy.Add.make_args(sympy.expand(e)) if t.could_extract_minus_sign())

    keep = (negatives(num) + negatives(den), negatives(den))
    flip = (negatives(-num) + negatives(-den), negatives(-den))
    if flip < keep:
        num, den = -num, -den
    return sympy.factor(num) / sympy.factor(den)


def _values(game: LinearResponseGame) -> dict[Any, Any]:
    syms = _symbols(game)
    return {syms[s]: _sym(game.parameter(s)) for s in game.parameter_slots()}


def sensitivity(game: LinearResponseGame, parameter: ParameterRef) -> Sensitivity:
    """Derivatives of the equilibrium levels with respect to one parameter.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1,
    ...                                     players=["Japan", "China"])
    >>> sensitivity(race, "b").derivatives
    {'Japan': Fraction(75, 8), 'China': Fraction(125, 8)}
    """
    import sympy

    slot = game.slot(parameter)
    sym = _symbols(game)[slot]
    formulas = equilibrium_formula(game)
    vals = _values(game)
    derivs: dict[str, Number] = {}
    dforms: dict[str, Any] = {}
    for p, expr in formulas.items():
        d = _tidy(sympy.diff(expr, sym))
        dforms[p] = d
        at = d.subs(vals)
        if at.has(sympy.zoo, sympy.nan) or not isinstance(at, sympy.Rational):
            raise SolverError(
                f"sensitivity(): the equilibrium is not differentiable in "
                f"{game.parameter_name(slot)} at the current values (no unique equilibrium)"
            )
        derivs[p] = _out(Fraction(int(at.p), int(at.q)), game.is_exact)
    return Sensitivity(game.parameter_name(slot), derivs, dforms)


def _conditions(game: LinearResponseGame, values: Mapping[ParameterSlot, Any], kind: str) -> Any:
    import sympy

    jm = _symbolic_jacobian(game, values)
    if kind == "continuous":
        cp = [sympy.expand(c) for c in _charpoly(jm)]
    else:
        k = [
            [jm[i][j] / values[("fatigue", i, i)] if i != j else 0 for j in range(len(jm))]
            for i in range(len(jm))
        ]
        cp = [sympy.together(sympy.expand(c)) for c in _moebius(_charpoly(k))]
    return cp


def _stable_at(game: LinearResponseGame, slot: ParameterSlot, value: Fraction, kind: str) -> bool:
    if slot[0] == "fatigue" and value <= 0:
        return False
    s = stability(game.with_parameter(slot, value))
    return s.continuous_time if kind == "continuous" else s.discrete_time


def _to_number(v: Any) -> Any:
    import sympy

    if isinstance(v, sympy.Rational):
        return Fraction(int(v.p), int(v.q))
    return v


def _between(lo: Any, hi: Any) -> Fraction:
    """An exact rational strictly between two real numbers (None = infinite)."""
    if lo is None and hi is None:
        return Fraction(0)
    if lo is None:
        return Fraction(int(np.floor(float(hi)))) - 1
    if hi is None:
        return Fraction(int(np.ceil(float(lo)))) + 1
    if isinstance(lo, Fraction) and isinstance(hi, Fraction):
        return (lo + hi) / 2
    return Fraction((float(lo) + float(hi)) / 2)


def stability_boundary(
    game: LinearResponseGame,
    parameter: ParameterRef,
    *,
    kind: str = "continuous",
    formulas: bool = True,
) -> StabilityBoundary:
    """The values of ``parameter`` where the equilibrium gains or loses stability.

    The Hurwitz minors (of :math:`\\det(sI - J)` for ``kind="continuous"``, of the Möbius
    transform of :math:`\\det(zI - K)` for ``kind="discrete"``) are computed with the parameter
    as a symbol and the others at their values; their real roots split the line into intervals,
    and each interval's stability is decided exactly at a rational point inside it. The same
    roots solved with *every* parameter symbolic give :attr:`StabilityBoundary.formulas` (from
    the factors of the minors that are linear or quadratic in the parameter); ``formulas=False``
    skips that step, which grows quickly with the number of players.

    Raises
    ------
    SolverError
        For an unknown ``kind``.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1)
    >>> sb = stability_boundary(race, "b")
    >>> sb.critical_values, sb.formulas, sb.stable_intervals
    ((Fraction(5, 6),), (m*n/a,), ((None, Fraction(5, 6)),))
    >>> stability_boundary(race, "b", kind="discrete").critical_values
    (Fraction(-5, 6), Fraction(5, 6))
    """
    import sympy

    if kind not in ("continuous", "discrete"):
        raise SolverError(
            f"stability_boundary(): kind must be 'continuous' or 'discrete', got {kind!r}"
        )
    formulas_wanted = formulas
    slot = game.slot(parameter)
    name = game.parameter_name(slot)
    syms = _symbols(game)
    p = syms[slot]
    partial = {s: (p if s == slot else _sym(game.parameter(s))) for s in game.parameter_slots()}
    roots: set[Any] = set()
    for c in _minors_of(_conditions(game, partial, kind)):
        num, den = sympy.fraction(sympy.together(c))
        for part in (num, den):
            if not part.has(p):
                continue
            poly = sympy.Poly(part, p)
            for r in poly.real_roots():
                roots.add(r)
    ordered = sorted(roots, key=lambda r: float(r))
    if slot[0] == "fatigue":
        ordered = [r for r in ordered if r > 0]
        edges: list[Any] = [Fraction(0), *(_to_number(r) for r in ordered), None]
    else:
        edges = [None, *(_to_number(r) for r in ordered), None]
    flags = [_stable_at(game, slot, _between(lo, hi), kind) for lo, hi in itertools.pairwise(edges)]
    critical = tuple(edges[k + 1] for k in range(len(flags) - 1) if flags[k] != flags[k + 1])
    intervals: list[tuple[Any, Any]] = []
    for k, ok in enumerate(flags):
        if not ok:
            continue
        lo, hi = edges[k], edges[k + 1]
        if intervals and intervals[-1][1] == lo and lo not in critical:
            intervals[-1] = (intervals[-1][0], hi)
        else:
            intervals.append((lo, hi))
    # symbolic formulas: roots in p of the minors with every parameter symbolic
    found: list[Any] = []
    full = {s: syms[s] for s in game.parameter_slots()}
    vals = _values(game)
    if critical and formulas_wanted:
        factors: list[Any] = []
        for c in _minors_of(_conditions(game, full, kind)):
            num, _den = sympy.fraction(sympy.together(c))
            for fac in sympy.Mul.make_args(num):
                base = fac.base if isinstance(fac, sympy.Pow) else fac
                if base.has(p) and base not in factors:
                    factors.append(base)
        for base in factors:
            poly = sympy.Poly(base, p)
            if poly.degree() > 2:  # pragma: no cover - closed forms kept to quadratics
                continue
            for cand in _closed_roots(poly):
                at = cand.subs(vals)
                if not any(_same(at, cv) for cv in critical):
                    continue
                tidy = _tidy(cand)
                if not any(sympy.cancel(tidy - f) == 0 for f in found):
                    found.append(tidy)
    current = game.parameter(slot)
    return StabilityBoundary(
        parameter=name,
        value=current,
        kind=kind,
        critical_values=critical,
        stable_intervals=tuple(intervals),
        formulas=tuple(found),
        stable_now=_stable_at(game, slot, _frac(current), kind),
    )


def _sym_any(v: Any) -> Any:
    return _sym(v) if isinstance(v, Fraction | float) else v


def _minors_of(coeffs: list[Any], *, factor: bool = True) -> list[Any]:
    """Hurwitz minors of a symbolic polynomial, plus its leading coefficient (sign changes)."""
    return [coeffs[0], *hurwitz_minors(coeffs, factor=factor)]


def _closed_roots(poly: Any) -> list[Any]:
    """Roots of a polynomial with symbolic coefficients; linear and quadratic in closed form."""
    import sympy

    cs = poly.all_coeffs()
    if len(cs) == 2:
        return [-cs[1] / cs[0]]
    if len(cs) == 3:
        a, b, c = cs
        disc = sympy.sqrt(b**2 - 4 * a * c)
        return [(-b - disc) / (2 * a), (-b + disc) / (2 * a)]
    return []  # pragma: no cover - not reached: callers keep to quadratics


def _same(a: Any, b: Any) -> bool:
    import sympy

    a, b = _sym_any(a), _sym_any(b)
    if isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational):
        return bool(a == b)
    return bool(sympy.simplify(a - b) == 0)


def parameter_shift(
    game: LinearResponseGame, parameter: ParameterRef, value: Any
) -> ParameterShift:
    """Equilibrium and stability before and after setting ``parameter`` to ``value``.

    Examples
    --------
    >>> from equishift.games.continuous import LinearResponseGame
    >>> race = LinearResponseGame.richardson(a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1,
    ...                                     players=["Japan", "China"])
    >>> print(parameter_shift(race, "b", "0.9").describe())
    b: 3/10 -> 9/10; equilibrium Japan 5, China 5 (stable) -> Japan -40, China -70 (unstable);
    crosses the stability boundary at 5/6
    """
    slot = game.slot(parameter)
    after_game = game.with_parameter(slot, value)
    old, new = game.parameter(slot), after_game.parameter(slot)
    boundary = stability_boundary(game, slot, formulas=False)
    lo, hi = (old, new) if old <= new else (new, old)
    crossed = tuple(
        c for c in boundary.critical_values if float(lo) < float(c) <= float(hi) and c != old
    )
    return ParameterShift(
        parameter=game.parameter_name(slot),
        old_value=old,
        new_value=new,
        before=equilibrium(game),
        after=equilibrium(after_game),
        stability_before=stability(game),
        stability_after=stability(after_game),
        crossed=crossed,
        game_after=after_game,
    )
