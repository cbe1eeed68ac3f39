"""``solve``: pick a method for a game, run it, verify every equilibrium it returns.

Methods for normal-form games:

``pure``
    All pure-strategy equilibria (any number of players), exact.
``bimatrix``
    All equilibria of a 2-player game: every extreme equilibrium, exact, and
    in degenerate games the maximal convex components they span.
``lemke_howson``
    One equilibrium of a 2-player game (for games too large to enumerate).
``nplayer``
    All isolated equilibria of a small N-player game by support enumeration.

Extensive-form games are passed to :mod:`equishift.solver.extensive`.

Whatever a backend returns is re-checked here: an equilibrium enters a
:class:`~equishift.solver.solution.Solution` only with regret exactly 0
(rational arithmetic) or at most ``tol`` (floats). A backend answer that fails
the check is dropped, the solution is marked incomplete, and a warning says so.

>>> from equishift.games import NormalFormGame
>>> bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]],
...                                  strategies=[["Opera", "Fight"]] * 2)
>>> sol = solve(bos)
>>> sol.method, sol.complete, len(sol.equilibria)
('bimatrix', True, 3)
>>> sol.equilibria[2].describe()
'Player 1: Opera 2/3, Fight 1/3; Player 2: Opera 1/3, Fight 2/3'
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..games.errors import SolverError
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number
from .solution import Equilibrium, Solution
from .verify import DEFAULT_TOL, certificate

__all__ = ["METHODS", "equilibrium_from_profile", "solve"]

METHODS: dict[str, str] = {
    "pure": "all pure-strategy equilibria (N players)",
    "bimatrix": "all equilibria of a 2-player game, exact, with degenerate components",
    "lemke_howson": "one equilibrium of a 2-player game (Lemke–Howson)",
    "nplayer": "all isolated equilibria of a small N-player game (support enumeration)",
    "backward_induction": "subgame-perfect equilibria of a perfect-information tree",
    "subgames": "subgame-perfect equilibria of a tree by solving subgames bottom-up",
    "normal_form": "Nash equilibria of a tree through its reduced normal form",
}
"""Method names accepted by :func:`solve`, with a one-line description."""


def equilibrium_from_profile(
    game: NormalFormGame, profile: Sequence[Sequence[Any]], *, tol: float = DEFAULT_TOL
) -> Equilibrium | None:
    """Verify ``profile`` and wrap it as an :class:`Equilibrium`, or ``None`` if it is not one."""
    cert = certificate(game, profile, tol=tol)
    if not cert.is_equilibrium:
        return None
    prof = tuple(tuple(row) for row in _normalized(game, profile))
    return Equilibrium(
        players=game.players,
        strategies=game.strategies,
        profile=prof,
        payoffs=tuple(p.payoff for p in cert.players),
        regret=cert.max_regret,
    )


def _normalized(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> list[list[Number]]:
    from .verify import normalize_profile

    return [list(r) for r in normalize_profile(game, profile)]


def _sort_key(eq: Equilibrium) -> tuple[Any, ...]:
    size = sum(len(s) for s in eq.support)
    return (size, tuple(tuple(-float(p) for p in row) for row in eq.profile))


def _finish(
    game: NormalFormGame,
    method: str,
    profiles: Sequence[Sequence[Sequence[Any]]],
    *,
    complete: bool,
    scope: str,
    tol: float,
    components: Sequence[Sequence[int]] = (),
    degenerate: bool | None = None,
    warnings: Sequence[str] = (),
    certified: bool = False,
    certificates: Sequence[Any] = (),
) -> Solution:
    verified: list[tuple[int, Equilibrium]] = []
    rejected = 0
    for k, prof in enumerate(profiles):
        eq = equilibrium_from_profile(game, prof, tol=tol)
        if eq is None:
            rejected += 1
        else:
            verified.append((k, eq))
    warns = list(warnings)
    if rejected:
        complete = False
        warns.append(
            f"{rejected} candidate profile(s) from method {method!r} failed verification "
            "and were dropped; the list may be incomplete"
        )
    order = sorted(range(len(verified)), key=lambda j: _sort_key(verified[j][1]))
    new_pos = {verified[j][0]: pos for pos, j in enumerate(order)}
    comps = tuple(tuple(sorted(new_pos[k] for k in comp if k in new_pos)) for comp in components)
    comps = tuple(sorted({c for c in comps if c}))
    eqs = tuple(verified[j][1] for j in order)
    exact = game.is_exact and all(eq.is_exact for eq in eqs)
    certs = tuple(certificates[verified[j][0]] for j in order) if certificates else ()
    return Solution(
        game=game,
        method=method,
        equilibria=eqs,
        complete=complete,
        exact=exact,
        scope=scope,
        components=comps,
        degenerate=degenerate,
        warnings=tuple(warns),
        tolerance=0.0 if exact else tol,
        certified=exact or (certified and not rejected),
        certificates=certs,
    )


def _pure_profiles(game: NormalFormGame, tol: float) -> list[list[list[Fraction]]]:
    from .pure import pure_equilibria

    out = []
    for idx in pure_equilibria(game, tol=tol):
        out.append(
            [
                [Fraction(int(j == k)) for j in range(n)]
                for k, n in zip(idx, game.shape, strict=True)
            ]
        )
    return out


def _solve_one_player(game: NormalFormGame, tol: float) -> Solution:
    profiles = _pure_profiles(game, tol)
    comps = [tuple(range(len(profiles)))] if len(profiles) > 1 else []
    warns = []
    if len(profiles) > 1:
        warns.append(
            "the single player is indifferent between several best strategies: every "
            "mixture of them is an equilibrium"
        )
    return _finish(
        game,
        "pure",
        profiles,
        complete=True,
        scope="all Nash equilibria (extreme points and maximal convex components)",
        tol=tol,
        components=comps,
        degenerate=len(profiles) > 1,
        warnings=warns,
    )


def _solve_normal(
    game: NormalFormGame, method: str | None, tol: float, max_seconds: float
) -> Solution:
    if game.n_players == 1 and method in (None, "pure"):
        return _solve_one_player(game, tol)
    if method is None:
        method = _choose(game)
        auto = True
    else:
        auto = False
    if method == "pure":
        profiles = _pure_profiles(game, tol)
        if auto:
            return _finish(
                game,
                "pure",
                profiles,
                complete=False,
                scope="Nash equilibria",
                tol=tol,
                warnings=[
                    f"game of shape {game.shape} is too large to enumerate mixed equilibria; "
                    "only pure-strategy equilibria were computed"
                ],
            )
        return _finish(
            game, "pure", profiles, complete=True, scope="pure-strategy equilibria", tol=tol
        )
    if method in ("bimatrix", "lemke_howson"):
        if game.n_players != 2:
            raise SolverError(
                f"solve(): method {method!r} is implemented only for 2-player games; "
                f"this game has {game.n_players} players"
            )
        from . import bimatrix

        A, B = game.payoff_array(0), game.payoff_array(1)
        if method == "lemke_howson":
            x, y = bimatrix.lemke_howson(A, B)
            warns = ["Lemke–Howson finds one equilibrium; others may exist"]
            if auto:
                warns.insert(
                    0,
                    f"a {game.shape[0]}x{game.shape[1]} game is beyond the size where all "
                    "equilibria can be enumerated in seconds (up to m+n = 28, or one side "
                    "of 2-4 strategies against up to 40-150); force method='bimatrix' with a "
                    "larger max_seconds to try",
                )
            return _finish(
                game,
                method,
                [[list(x), list(y)]],
                complete=False,
                scope="one Nash equilibrium",
                tol=tol,
                warnings=warns,
            )
        res = bimatrix.all_equilibria(A, B, tol=tol, max_seconds=max_seconds)
        return _finish(
            game,
            method,
            [[list(x), list(y)] for x, y in res.equilibria],
            complete=res.complete,
            scope="all Nash equilibria (extreme points and maximal convex components)",
            tol=tol,
            components=res.components,
            degenerate=res.degenerate,
            warnings=res.warnings,
        )
    if method == "nplayer":
        from . import nplayer

        nres = nplayer.support_enumeration(game, tol=tol, max_seconds=max_seconds)
        return _finish(
            game,
            method,
            nres.equilibria,
            complete=nres.complete,
            scope="all isolated Nash equilibria",
            tol=tol,
            warnings=nres.warnings,
            certified=nres.certified,
            certificates=nres.certificates,
        )
    if method in METHODS:
        raise SolverError(f"solve(): method {method!r} applies to extensive-form games only")
    raise SolverError(f"solve(): unknown method {method!r}; expected one of {sorted(METHODS)}")


def _choose(game: NormalFormGame) -> str:
    if game.n_players == 2:
        from . import bimatrix

        return "bimatrix" if bimatrix.can_enumerate(game.shape) else "lemke_howson"
    from . import nplayer

    return "nplayer" if nplayer.can_enumerate(game.shape) else "pure"


def solve(
    game: Any,
    method: str | None = None,
    *,
    tol: float = DEFAULT_TOL,
    max_seconds: float = 60.0,
) -> Solution:
    """Compute the equilibria of ``game`` and verify each one.

    Parameters
    ----------
    game
        A :class:`~equishift.games.NormalFormGame` or
        :class:`~equishift.games.ExtensiveFormGame`.
    method
        Force a method (see :data:`METHODS`); by default one is chosen from the
        game's form and size.
    tol
        Regret tolerance for float games (exact games are checked exactly).
    max_seconds
        Budget for enumeration methods; past it the solution is returned with
        ``complete=False`` and a warning instead of running on.

    Returns
    -------
    Solution
        Frozen; equilibria in a deterministic order (pure first).

    Raises
    ------
    SolverError
        For an unknown method or one that does not apply to the game.
    """
    if tol < 0:
        raise SolverError("solve(): tol must be non-negative")
    if max_seconds <= 0:
        raise SolverError("solve(): max_seconds must be positive")
    if isinstance(game, NormalFormGame):
        return _solve_normal(game, method, tol, max_seconds)
    from ..games.extensive_form import ExtensiveFormGame

    if isinstance(game, ExtensiveFormGame):
        from .extensive import solve_extensive

        return solve_extensive(game, method=method, tol=tol, max_seconds=max_seconds)
    raise SolverError(
        f"solve(): expected a NormalFormGame or ExtensiveFormGame, got {type(game).__name__}"
    )
