"""Result values returned by the solvers: equilibria and solutions.

All are frozen. An :class:`Equilibrium` is a mixed profile of a normal-form
game together with its certificate data (payoffs, maximum regret); a
:class:`BehaviorEquilibrium` is a behaviour-strategy profile of an extensive
game. A :class:`Solution` bundles the equilibria a method found with what the
reader needs to trust them: the method, whether the list is complete, whether
arithmetic was exact, and warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..games.numbers import Number, format_number

__all__ = ["BehaviorEquilibrium", "Equilibrium", "Solution"]


@dataclass(frozen=True)
class Equilibrium:
    """A mixed-strategy Nash equilibrium of a normal-form game.

    Attributes
    ----------
    players, strategies
        Labels of the game it belongs to.
    profile
        Per player, the probability of each of their strategies (``Fraction`` when exact).
    payoffs
        Each player's expected payoff.
    regret
        The largest gain any player could get by deviating: exactly ``0`` when
        exact, at most the solver's stated tolerance in floats.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> eq = Equilibrium(("A", "B"), (("x", "y"), ("u",)), ((F(1, 3), F(2, 3)), (F(1),)),
    ...                  (F(1), F(0)), F(0))
    >>> eq.by_label()
    {'A': {'x': Fraction(1, 3), 'y': Fraction(2, 3)}, 'B': {'u': Fraction(1, 1)}}
    >>> eq.is_pure, eq.support
    (False, (('x', 'y'), ('u',)))
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    profile: tuple[tuple[Number, ...], ...]
    payoffs: tuple[Number, ...]
    regret: Number

    @property
    def is_exact(self) -> bool:
        """True when every probability is a ``Fraction``."""
        return all(isinstance(p, Fraction) for row in self.profile for p in row)

    @property
    def is_pure(self) -> bool:
        """True when every player puts probability one on a single strategy."""
        return all(sum(1 for p in row if p != 0) == 1 for row in self.profile)

    @property
    def support(self) -> tuple[tuple[str, ...], ...]:
        """The strategies played with positive probability, per player."""
        return tuple(
            tuple(lab for lab, p in zip(labs, row, strict=True) if p > 0)
            for labs, row in zip(self.strategies, self.profile, strict=True)
        )

    def by_label(self, *, include_zero: bool = False) -> dict[str, dict[str, Number]]:
        """``{player: {strategy: probability}}``, omitting zeros unless asked."""
        return {
            pl: {lab: p for lab, p in zip(labs, row, strict=True) if include_zero or p != 0}
            for pl, labs, row in zip(self.players, self.strategies, self.profile, strict=True)
        }

    def pure_profile(self) -> tuple[str, ...] | None:
        """The profile's labels when it is pure, else ``None``."""
        if not self.is_pure:
            return None
        return tuple(s[0] for s in self.support)

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``equishift solve --json``."""
        return {
            "strategies": {
                pl: {lab: format_number(p) for lab, p in d.items()}
                for pl, d in self.by_label(include_zero=True).items()
            },
            "payoffs": {
                pl: format_number(v) for pl, v in zip(self.players, self.payoffs, strict=True)
            },
        }

    def describe(self) -> str:
        """One line for people: ``A: x 1/3, y 2/3; B: u`` (pure strategies by name only)."""
        parts = []
        for pl, d in self.by_label().items():
            if len(d) == 1:
                parts.append(f"{pl}: {next(iter(d))}")
            else:
                parts.append(f"{pl}: " + ", ".join(f"{s} {format_number(p)}" for s, p in d.items()))
        return "; ".join(parts)


@dataclass(frozen=True)
class BehaviorEquilibrium:
    """An equilibrium of an extensive-form game in behaviour strategies.

    Attributes
    ----------
    players
        Player labels.
    infosets
        Per player, the labels of their information sets (unique per player).
    actions
        Per player, per information set, the action labels.
    behavior
        Per player, per information set, the probability of each action.
    payoffs
        Each player's expected payoff.
    regret
        Largest gain from a deviation in the game as a whole (0 when exact).
    subgame_perfect
        ``True`` when verified subgame perfect, ``False`` when it is not,
        ``None`` when that was not determined.
    """

    players: tuple[str, ...]
    infosets: tuple[tuple[str, ...], ...]
    actions: tuple[tuple[tuple[str, ...], ...], ...]
    behavior: tuple[tuple[tuple[Number, ...], ...], ...]
    payoffs: tuple[Number, ...]
    regret: Number
    subgame_perfect: bool | None = None

    @property
    def is_exact(self) -> bool:
        """True when every probability is a ``Fraction``."""
        return all(isinstance(p, Fraction) for pl in self.behavior for row in pl for p in row)

    @property
    def is_pure(self) -> bool:
        """True when every information set has one action with probability one."""
        return all(sum(1 for p in row if p != 0) == 1 for pl in self.behavior for row in pl)

    def by_label(self, *, include_zero: bool = False) -> dict[str, dict[str, dict[str, Number]]]:
        """``{player: {information set: {action: probability}}}``."""
        out: dict[str, dict[str, dict[str, Number]]] = {}
        for pl, isets, acts, beh in zip(
            self.players, self.infosets, self.actions, self.behavior, strict=True
        ):
            out[pl] = {
                iset: {a: p for a, p in zip(alabs, probs, strict=True) if include_zero or p != 0}
                for iset, alabs, probs in zip(isets, acts, beh, strict=True)
            }
        return out

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``equishift solve --json``."""
        return {
            "strategies": {
                pl: {iset: {a: format_number(p) for a, p in d.items()} for iset, d in isets.items()}
                for pl, isets in self.by_label(include_zero=True).items()
            },
            "payoffs": {
                pl: format_number(v) for pl, v in zip(self.players, self.payoffs, strict=True)
            },
            "subgame_perfect": self.subgame_perfect,
        }

    def describe(self) -> str:
        """One line for people, information set by information set."""
        parts = []
        for pl, isets in self.by_label().items():
            moves = []
            for iset, d in isets.items():
                if len(d) == 1:
                    moves.append(f"{iset}={next(iter(d))}")
                else:
                    mix = ", ".join(f"{a} {format_number(p)}" for a, p in d.items())
                    moves.append(f"{iset}=({mix})")
            parts.append(f"{pl}: " + " ".join(moves))
        return "; ".join(parts)


@dataclass(frozen=True)
class Solution:
    """What a solver found, with everything needed to judge it.

    Attributes
    ----------
    game
        The game solved.
    method
        Name of the method (``"pure"``, ``"bimatrix"``, ``"lemke_howson"``, ...).
    equilibria
        Verified equilibria, in a deterministic order.
    complete
        ``True`` when the method provably found all equilibria of the kind it
        promises (see ``scope``); ``False`` when some may be missing.
    exact
        ``True`` when arithmetic was exact (rational).
    scope
        What ``complete`` refers to, e.g. ``"all Nash equilibria (extreme points
        and maximal convex components)"`` or ``"pure equilibria"``.
    components
        For degenerate 2-player games: the maximal convex sets of equilibria
        (maximal Nash subsets), each as indices into ``equilibria`` of its
        extreme points. Every convex combination of the points of one subset
        is an equilibrium.
    degenerate
        Whether the game was found degenerate (``None`` when not checked).
    warnings
        Plain-language caveats (degeneracy, budgets reached, tolerances).
    tolerance
        Regret tolerance used for float results (``0`` when exact).
    certified
        ``True`` when every equilibrium is exact or proved: for an equilibrium in floats
        (an irrational one), a certificate proves, in exact rational arithmetic, that exactly
        one equilibrium of the game lies in a small box around it; and the method's
        completeness claim rests only on proved steps. ``exact`` implies ``certified``.
    certificates
        One per equilibrium when the method gives them (``None`` for an exact one), e.g.
        :class:`~equishift.solver.nplayer.EquilibriumCertificate`; empty otherwise.
    """

    game: Any
    method: str
    equilibria: tuple[Equilibrium | BehaviorEquilibrium, ...]
    complete: bool
    exact: bool
    scope: str = "Nash equilibria"
    components: tuple[tuple[int, ...], ...] = ()
    degenerate: bool | None = None
    warnings: tuple[str, ...] = field(default=())
    tolerance: float = 0.0
    certified: bool = False
    certificates: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if self.exact and not self.certified:  # exact arithmetic is its own proof
            object.__setattr__(self, "certified", True)

    def __len__(self) -> int:
        return len(self.equilibria)

    def to_json(self) -> dict[str, Any]:
        """The JSON document printed by ``equishift solve --json``."""
        doc: dict[str, Any] = {
            "game": getattr(self.game, "title", "") or "",
            "method": self.method,
            "complete": self.complete,
            "exact": self.exact,
            "certified": self.certified,
            "scope": self.scope,
            "equilibria": [eq.to_json() for eq in self.equilibria],
        }
        if any(c is not None for c in self.certificates):
            doc["certificates"] = [_certificate_json(c) for c in self.certificates]
        if self.degenerate is not None:
            doc["degenerate"] = self.degenerate
        if self.components:
            doc["components"] = [list(c) for c in self.components]
        doc["warnings"] = list(self.warnings)
        if not self.exact:
            doc["tolerance"] = self.tolerance
        return doc


def _certificate_json(cert: Any) -> dict[str, Any] | None:
    """A certificate's box as exact fractions written ``"p/q"`` (``None`` stays ``None``)."""
    if cert is None:
        return None
    return {
        "method": cert.method,
        "supports": [list(s) for s in cert.supports],
        "lower": [[str(v) for v in row] for row in cert.lower],
        "upper": [[str(v) for v in row] for row in cert.upper],
    }
