"""How the equilibria shift between two solutions: :func:`compare` and :class:`EquilibriumShift`.

Equilibria are matched by *labels*, never by index, so the two games may differ in strategies
or players (a strategy added, a player added, payoffs changed):

* **persisted** -- the same probabilities on the same labels (payoffs may have changed);
* **moved** -- the same support (strategies played with positive probability), other
  probabilities: a mixed equilibrium that persists but shifts;
* **vanished** -- in the first solution, unmatched in the second;
* **appeared** -- in the second solution, unmatched in the first.

For 2x2 games the class of the game before and after comes from
:func:`equishift.games.taxonomy.classify` ("Prisoner's Dilemma → Stag Hunt"). Welfare is
reported over the equilibria (utilitarian sum and minimum payoff, best and worst equilibrium),
with each player's best and worst equilibrium payoff. Given a pure target profile, each
player's incentive constraint there (the gain from the best deviation) is compared: a negative
gain is *slack*, zero *binding*, positive *violated*.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> from equishift.solver import solve
>>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
...                                   strategies=[["Engage", "Hedge"]] * 2)
>>> safer = NormalFormGame.from_arrays([[4, "3/2"], [3, 2]], [[4, 3], ["3/2", 2]],
...                                    strategies=[["Engage", "Hedge"]] * 2)
>>> shift = compare(solve(stag), solve(safer), target=("Engage", "Engage"))
>>> for m in shift.matches:
...     print(m.status, "|", m.describe())
persisted | Player 1: Engage; Player 2: Engage
persisted | Player 1: Hedge; Player 2: Hedge
moved | Player 1: Engage 1/3, Hedge 2/3; Player 2: Engage 1/3, Hedge 2/3
>>> m = shift.matches[2]
>>> m.before.by_label()["Player 1"]["Engage"], m.after.by_label()["Player 1"]["Engage"]
(Fraction(2, 3), Fraction(1, 3))
>>> shift.class_change
'Stag Hunt → Stag Hunt'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..games.errors import GameError
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, format_number
from ..games.taxonomy import classify
from .solution import BehaviorEquilibrium, Equilibrium, Solution

__all__ = [
    "EquilibriumMatch",
    "EquilibriumShift",
    "IncentiveChange",
    "PlayerChange",
    "WelfareSummary",
    "compare",
]

AnyEquilibrium = Equilibrium | BehaviorEquilibrium


def _n(x: Any) -> str:
    return format_number(x) if isinstance(x, Fraction | float) else str(x)


def _support(eq: AnyEquilibrium) -> Any:
    if isinstance(eq, Equilibrium):
        return tuple(sorted((pl, tuple(sorted(d))) for pl, d in eq.by_label().items()))
    return tuple(
        sorted(
            (pl, tuple(sorted((h, tuple(sorted(a))) for h, a in d.items())))
            for pl, d in eq.by_label().items()
        )
    )


def _probabilities(eq: AnyEquilibrium) -> Any:
    return repr(eq.by_label())


def _describe(eq: AnyEquilibrium) -> str:
    return eq.describe()


@dataclass(frozen=True)
class EquilibriumMatch:
    """One equilibrium followed from the first solution to the second.

    Attributes
    ----------
    status
        ``"persisted"``, ``"moved"``, ``"vanished"`` or ``"appeared"``.
    before, after
        The equilibrium in each solution (``None`` where absent).
    """

    status: str
    before: AnyEquilibrium | None
    after: AnyEquilibrium | None

    def describe(self) -> str:
        """The profile (the newer one when both exist)."""
        eq = self.after if self.after is not None else self.before
        assert eq is not None
        return _describe(eq)

    def to_json(self) -> dict[str, Any]:
        """Labels, probabilities and payoffs before and after, numbers as strings."""
        out: dict[str, Any] = {"status": self.status, "profile": self.describe()}
        out["before"] = None if self.before is None else self.before.to_json()
        out["after"] = None if self.after is None else self.after.to_json()
        return out


@dataclass(frozen=True)
class WelfareSummary:
    """Welfare over a solution's equilibria (expected payoffs for mixed ones).

    ``None`` everywhere when there is no equilibrium.
    """

    best_utilitarian: Number | None
    worst_utilitarian: Number | None
    best_minimum: Number | None
    worst_minimum: Number | None

    def to_json(self) -> dict[str, Any]:
        return {k: None if v is None else _n(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class PlayerChange:
    """A player's best and worst equilibrium payoff before and after (``None`` if absent)."""

    player: str
    best_before: Number | None
    worst_before: Number | None
    best_after: Number | None
    worst_after: Number | None

    def to_json(self) -> dict[str, Any]:
        return {k: (v if k == "player" or v is None else _n(v)) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class IncentiveChange:
    """A player's incentive constraint at the target profile before and after.

    ``gain_*`` is the best deviation payoff minus the target payoff (``None`` when the profile
    does not exist in that game, or the player has a single strategy). Status: ``"slack"``
    (gain < 0), ``"binding"`` (= 0), ``"violated"`` (> 0).
    """

    player: str
    gain_before: Number | None
    gain_after: Number | None

    @staticmethod
    def _status(gain: Number | None) -> str | None:
        if gain is None:
            return None
        return "slack" if gain < 0 else "binding" if gain == 0 else "violated"

    @property
    def status_before(self) -> str | None:
        return self._status(self.gain_before)

    @property
    def status_after(self) -> str | None:
        return self._status(self.gain_after)

    @property
    def change(self) -> str:
        """``"became slack"``, ``"became binding"``, ``"became violated"`` or ``"unchanged"``."""
        if self.status_before == self.status_after:
            return "unchanged"
        return f"became {self.status_after}"

    def to_json(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "gain_before": None if self.gain_before is None else _n(self.gain_before),
            "gain_after": None if self.gain_after is None else _n(self.gain_after),
            "status_before": self.status_before,
            "status_after": self.status_after,
            "change": self.change,
        }


@dataclass(frozen=True)
class EquilibriumShift:
    """What changed between two solutions; see the module docstring.

    Attributes
    ----------
    matches
        The equilibria followed by labels: persisted and moved first (in the order of the
        first solution), then vanished, then appeared.
    class_before, class_after
        Names of the 2x2 classes (``None`` for games that are not 2x2 normal form).
    welfare_before, welfare_after
        :class:`WelfareSummary` of each solution.
    players
        One :class:`PlayerChange` per player present in both games.
    target, incentives
        The target profile, and each player's :class:`IncentiveChange` there.
    complete
        Whether both solutions are complete (otherwise "vanished" may be "not found").
    """

    matches: tuple[EquilibriumMatch, ...]
    class_before: str | None
    class_after: str | None
    welfare_before: WelfareSummary
    welfare_after: WelfareSummary
    players: tuple[PlayerChange, ...]
    target: tuple[str, ...] | None = None
    incentives: tuple[IncentiveChange, ...] = ()
    complete: bool = True
    notes: tuple[str, ...] = field(default=())

    def by_status(self, status: str) -> tuple[EquilibriumMatch, ...]:
        """The matches with the given status."""
        return tuple(m for m in self.matches if m.status == status)

    @property
    def class_change(self) -> str | None:
        """``"Prisoner's Dilemma → Stag Hunt"`` (``None`` unless both games are 2x2)."""
        if self.class_before is None or self.class_after is None:
            return None
        return f"{self.class_before} → {self.class_after}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; exact numbers as strings (``"1/3"``)."""
        return {
            "matches": [m.to_json() for m in self.matches],
            "class_before": self.class_before,
            "class_after": self.class_after,
            "welfare_before": self.welfare_before.to_json(),
            "welfare_after": self.welfare_after.to_json(),
            "players": [p.to_json() for p in self.players],
            "target": None if self.target is None else list(self.target),
            "incentives": [i.to_json() for i in self.incentives],
            "complete": self.complete,
            "notes": list(self.notes),
        }


def _match(
    before: tuple[AnyEquilibrium, ...], after: tuple[AnyEquilibrium, ...]
) -> tuple[EquilibriumMatch, ...]:
    left = list(after)
    paired: list[EquilibriumMatch] = []
    vanished: list[EquilibriumMatch] = []
    for eq in before:
        hit = next(
            (k for k, o in enumerate(left) if _probabilities(o) == _probabilities(eq)),
            None,
        )
        status = "persisted"
        if hit is None:
            hit = next((k for k, o in enumerate(left) if _support(o) == _support(eq)), None)
            status = "moved"
        if hit is None:
            vanished.append(EquilibriumMatch("vanished", eq, None))
        else:
            paired.append(EquilibriumMatch(status, eq, left.pop(hit)))
    appeared = [EquilibriumMatch("appeared", None, eq) for eq in left]
    return (*paired, *vanished, *appeared)


def _welfare(sol: Solution) -> WelfareSummary:
    if not sol.equilibria:
        return WelfareSummary(None, None, None, None)
    util = [_sum(e.payoffs) for e in sol.equilibria]
    mins = [min(e.payoffs) for e in sol.equilibria]
    return WelfareSummary(max(util), min(util), max(mins), min(mins))


def _sum(values: tuple[Number, ...]) -> Number:
    total: Number = Fraction(0)
    for v in values:
        total = total + v
    return total


def _class(game: Any) -> str | None:
    if isinstance(game, NormalFormGame) and game.shape == (2, 2):
        return classify(game).name
    return None


def _players(before: Solution, after: Solution) -> tuple[PlayerChange, ...]:
    def players_of(sol: Solution) -> tuple[str, ...]:
        return tuple(getattr(sol.game, "players", ()))

    def payoffs(sol: Solution, pl: str) -> list[Number]:
        names = players_of(sol)
        if pl not in names:
            return []
        i = names.index(pl)
        return [e.payoffs[i] for e in sol.equilibria]

    out = []
    for pl in players_of(before):
        if pl not in players_of(after):
            continue
        b, a = payoffs(before, pl), payoffs(after, pl)
        out.append(
            PlayerChange(
                pl,
                max(b) if b else None,
                min(b) if b else None,
                max(a) if a else None,
                min(a) if a else None,
            )
        )
    return tuple(out)


def _gains(game: Any, target: tuple[str, ...]) -> dict[str, Number] | None:
    if not isinstance(game, NormalFormGame) or len(target) != game.n_players:
        return None
    try:
        game.profile_index(target)
    except GameError:
        return None
    # A player with a single strategy has no deviation, hence no constraint.
    return {
        pl: _own_gain(game, target, pl)
        for pl, labels in zip(game.players, game.strategies, strict=True)
        if len(labels) > 1
    }


def _own_gain(game: NormalFormGame, target: tuple[str, ...], player: str) -> Number:
    """Best deviation payoff minus the target payoff (negative when the constraint is slack)."""
    i = game.player_index(player)
    here = game.payoff(target)[i]
    others = [
        game.payoff((*target[:i], s, *target[i + 1 :]))[i]
        for s in game.strategies[i]
        if s != target[i]
    ]
    return max(others) - here


def compare(
    before: Solution, after: Solution, *, target: tuple[str, ...] | None = None
) -> EquilibriumShift:
    """The :class:`EquilibriumShift` from ``before`` to ``after``.

    Parameters
    ----------
    before, after
        Solutions of the baseline and the changed game (any forms; equilibria matched by labels).
    target
        Optional pure profile (labels) whose incentive constraints are compared.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> from equishift.solver import solve
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"]] * 2)
    >>> fined = NormalFormGame.from_arrays([[3, 0], [2, -2]], [[3, 2], [0, -2]],
    ...                                    strategies=[["C", "D"]] * 2)
    >>> s = compare(solve(pd), solve(fined), target=("C", "C"))
    >>> s.class_change, [m.status for m in s.matches]
    ("Prisoner's Dilemma → Harmony", ['vanished', 'appeared'])
    >>> [(i.player, i.change) for i in s.incentives]
    [('Player 1', 'became slack'), ('Player 2', 'became slack')]
    """
    notes = []
    complete = before.complete and after.complete
    if not complete:
        notes.append("a solution may be incomplete: 'vanished' may mean 'not found'")
    incentives: tuple[IncentiveChange, ...] = ()
    if target is not None:
        target = tuple(target)
        gb, ga = _gains(before.game, target), _gains(after.game, target)
        names = list(getattr(before.game, "players", ()))
        names += [p for p in getattr(after.game, "players", ()) if p not in names]
        incentives = tuple(
            IncentiveChange(
                pl,
                None if gb is None else gb.get(pl),
                None if ga is None else ga.get(pl),
            )
            for pl in names
        )
    return EquilibriumShift(
        matches=_match(before.equilibria, after.equilibria),
        class_before=_class(before.game),
        class_after=_class(after.game),
        welfare_before=_welfare(before),
        welfare_after=_welfare(after),
        players=_players(before, after),
        target=target,
        incentives=incentives,
        complete=complete,
        notes=tuple(notes),
    )
