"""Repeated games: a stage game played again and again, and several stage games played together.

A :class:`RepeatedGame` is a finite stage game (a :class:`~equishift.games.NormalFormGame`) together
with everything that decides whether cooperation can be sustained by the threat of future
punishment:

* the per-contact discount factor ``delta`` -- given directly, or through the political
  discount rate ``rate`` and the interval between contacts ``contact_interval``,
  :math:`\\delta = e^{-r\\Delta}`;
* imperfect public monitoring: a deviation is detected with probability ``detection`` (q) and
  compliance is mistaken for a deviation with probability ``false_alarm`` (ε);
* a per-period ``lapse`` hazard λ: the deal ends for reasons outside the players' control;
* a relative-gains weight ``relative_gains`` (r): each player values
  :math:`U_i = a_i - r \\cdot \\bar a_{-i}` (the mean payoff of the others; :math:`a_i - r a_j`
  with two players).

A :class:`LinkedGame` is several stage games ("issues") played by the same players in every period,
each with a per-period breakdown probability β; whether punishments are pooled across issues
(``linked=True``) or kept separate is part of the value.

Both are immutable: every ``with_*`` method returns a new value that records what changed in
``provenance``. The thresholds themselves are computed in :mod:`equishift.solver.repeated`.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                 strategies=[["C", "D"], ["C", "D"]])
>>> g = RepeatedGame(pd, delta="0.9").with_monitoring(detection="0.95", false_alarm="0.02")
>>> g.delta, g.detection, g.false_alarm
(Fraction(9, 10), Fraction(19, 20), Fraction(1, 50))
>>> g.provenance
('monitoring: detection 19/20, false alarm 1/50',)
>>> g.with_relative_gains("1/2").effective_stage().payoff(("D", "C"))
(Fraction(5, 1), Fraction(-5, 2))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import GameError
from .normal_form import NormalFormGame
from .numbers import Number, format_number, to_number

__all__ = ["LinkedGame", "RepeatedGame"]


def _probability(value: Any, what: str, *, open_top: bool = False) -> Number:
    x = to_number(value, what=what)
    if x < 0 or x > 1 or (open_top and x == 1):
        bound = "[0, 1)" if open_top else "[0, 1]"
        raise GameError(f"{what} is {format_number(x)}; expected a number in {bound}")
    return x


def _optional(value: Any, what: str, *, positive: bool = True) -> Number | None:
    if value is None:
        return None
    x = to_number(value, what=what)
    if positive and x <= 0:
        raise GameError(f"{what} is {format_number(x)}; expected a positive number")
    return x


@dataclass(frozen=True, init=False)
class RepeatedGame:
    """A stage game repeated indefinitely, with discounting, monitoring, lapse and relative gains.

    Parameters
    ----------
    stage
        The stage game, played every period.
    delta
        Per-contact discount factor in ``[0, 1)``; ``None`` when it is given by ``rate`` and
        ``contact_interval`` (then :attr:`discount` is :math:`e^{-r\\Delta}`) or left open.
    detection
        Probability q that a deviation is publicly detected (1: perfect monitoring).
    false_alarm
        Probability ε that compliance is publicly read as a deviation (0: no false alarms).
    lapse
        Per-period probability λ that the arrangement lapses (cooperation ends, punishment follows).
    contact_interval
        Time Δ between contacts (e.g. years); with ``rate`` it fixes the discount factor.
    rate
        Political discount rate r per unit of time.
    relative_gains
        Weight r on the others' payoffs: :math:`U_i = a_i - r \\bar a_{-i}`.
    title, provenance
        Description, and what produced this value (oldest first).

    Raises
    ------
    GameError
        On probabilities outside ``[0, 1]``, a discount factor outside ``[0, 1)``, a non-positive
        rate or interval, or a ``delta`` given together with ``rate`` and ``contact_interval``.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> g = RepeatedGame(pd, rate="0.5", contact_interval=1)
    >>> round(g.discount, 4)
    0.6065
    >>> RepeatedGame(pd, detection="1.2")
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: detection probability is 6/5; expected a number in [0, 1]
    """

    stage: NormalFormGame
    delta: Number | None = None
    detection: Number = Fraction(1)
    false_alarm: Number = Fraction(0)
    lapse: Number = Fraction(0)
    contact_interval: Number | None = None
    rate: Number | None = None
    relative_gains: Number = Fraction(0)
    title: str = ""
    provenance: tuple[str, ...] = field(default=())

    def __init__(
        self,
        stage: NormalFormGame,
        delta: Any = None,
        detection: Any = 1,
        false_alarm: Any = 0,
        lapse: Any = 0,
        contact_interval: Any = None,
        rate: Any = None,
        relative_gains: Any = 0,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        for name, value in (
            ("stage", stage),
            ("delta", delta),
            ("detection", detection),
            ("false_alarm", false_alarm),
            ("lapse", lapse),
            ("contact_interval", contact_interval),
            ("rate", rate),
            ("relative_gains", relative_gains),
            ("title", str(title)),
            ("provenance", provenance),
        ):
            object.__setattr__(self, name, value)
        self._validate()

    def _validate(self) -> None:
        if not isinstance(self.stage, NormalFormGame):
            raise GameError(
                f"the stage game must be a NormalFormGame, got {type(self.stage).__name__}"
            )
        if self.delta is not None:
            object.__setattr__(
                self, "delta", _probability(self.delta, "discount factor", open_top=True)
            )
        object.__setattr__(self, "detection", _probability(self.detection, "detection probability"))
        object.__setattr__(
            self, "false_alarm", _probability(self.false_alarm, "false-alarm probability")
        )
        object.__setattr__(self, "lapse", _probability(self.lapse, "lapse hazard", open_top=True))
        object.__setattr__(
            self, "contact_interval", _optional(self.contact_interval, "contact interval")
        )
        object.__setattr__(self, "rate", _optional(self.rate, "discount rate"))
        object.__setattr__(
            self, "relative_gains", to_number(self.relative_gains, what="relative-gains weight")
        )
        object.__setattr__(self, "provenance", tuple(self.provenance))
        if self.delta is not None and self.rate is not None and self.contact_interval is not None:
            raise GameError(
                "give either delta or (rate, contact_interval), not both: "
                "delta = exp(-rate * contact_interval)"
            )

    # -- derived values -----------------------------------------------------------------------
    @property
    def discount(self) -> Number | None:
        """The per-contact discount factor: ``delta``, or :math:`e^{-r\\Delta}` (float), or None."""
        if self.delta is not None:
            return self.delta
        if self.rate is not None and self.contact_interval is not None:
            return math.exp(-float(self.rate) * float(self.contact_interval))
        return None

    @property
    def perfect_monitoring(self) -> bool:
        """True when every deviation is seen and there are no false alarms."""
        return self.detection == 1 and self.false_alarm == 0

    def effective_stage(self) -> NormalFormGame:
        """The stage game in the players' own terms, relative gains applied.

        With weight r each player's payoff becomes :math:`a_i - r \\bar a_{-i}`; with r = 0 this
        is the stage game itself.

        Examples
        --------
        >>> from equishift.games import NormalFormGame
        >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> RepeatedGame(pd, relative_gains="0.25").effective_stage().payoff(("1", "1"))
        (Fraction(9, 4), Fraction(9, 4))
        """
        r = self.relative_gains
        if r == 0 or self.stage.n_players < 2:
            return self.stage
        u = self.stage.payoffs
        n = self.stage.n_players
        exact = self.stage.is_exact and isinstance(r, Fraction)
        if exact:
            total = u.sum(axis=-1, keepdims=True)
            others = (total - u) / Fraction(n - 1)
            new = u - others * r
        else:
            uf = self.stage.float_payoffs()
            others_f = (uf.sum(axis=-1, keepdims=True) - uf) / (n - 1)
            new = uf - float(r) * others_f
        return self.stage.with_payoffs(
            np.asarray(new), provenance=f"relative gains r = {format_number(r)}"
        )

    # -- changes ------------------------------------------------------------------------------
    def _changed(self, note: str, **changes: Any) -> RepeatedGame:
        return replace(self, provenance=(*self.provenance, note), **changes)

    def with_delta(self, delta: Any) -> RepeatedGame:
        """A copy with another per-contact discount factor (rate and interval dropped)."""
        d = _probability(delta, "discount factor", open_top=True)
        return self._changed(
            f"discount factor {format_number(d)}", delta=d, rate=None, contact_interval=None
        )

    def with_monitoring(self, *, detection: Any = 1, false_alarm: Any = 0) -> RepeatedGame:
        """A copy with detection probability q and false-alarm probability ε."""
        q = _probability(detection, "detection probability")
        e = _probability(false_alarm, "false-alarm probability")
        return self._changed(
            f"monitoring: detection {format_number(q)}, false alarm {format_number(e)}",
            detection=q,
            false_alarm=e,
        )

    def with_lapse(self, lapse: Any) -> RepeatedGame:
        """A copy with per-period lapse hazard λ."""
        lam = _probability(lapse, "lapse hazard", open_top=True)
        return self._changed(f"lapse hazard {format_number(lam)}", lapse=lam)

    def with_contact(self, *, rate: Any, contact_interval: Any) -> RepeatedGame:
        """A copy whose discount factor is :math:`e^{-r\\Delta}` (``delta`` dropped)."""
        r = _optional(rate, "discount rate")
        dt = _optional(contact_interval, "contact interval")
        assert r is not None and dt is not None
        return self._changed(
            f"contact every {format_number(dt)} at rate {format_number(r)}",
            delta=None,
            rate=r,
            contact_interval=dt,
        )

    def with_relative_gains(self, weight: Any) -> RepeatedGame:
        """A copy in which each player weighs the others' payoffs by ``-weight``."""
        w = to_number(weight, what="relative-gains weight")
        return self._changed(f"relative gains r = {format_number(w)}", relative_gains=w)


@dataclass(frozen=True, init=False)
class LinkedGame:
    """Several stage games ("issues") played by the same players in every period.

    Parameters
    ----------
    games
        The stage games; all have the same players (labels and order).
    issues
        A name per issue; default ``"issue 1"``, ``"issue 2"``, ...
    breakdown
        Per issue, the per-period probability β that cooperation on it breaks down for reasons
        outside the players' control (default 0 for every issue).
    linked
        ``True``: punishments are pooled (a deviation or a breakdown on one issue ends cooperation
        on all of them). ``False``: each issue is enforced on its own.
    delta, detection, false_alarm
        Discount factor and public monitoring, common to all issues.
    title, provenance
        Description and history.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> k = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> g = NormalFormGame.from_arrays([["2.8", 0], [3, 0]], [["2.8", 3], [0, 0]])
    >>> lg = LinkedGame((k, g), issues=("Korea", "dialogue"), delta="0.4")
    >>> lg.combined_stage().shape
    (4, 4)
    >>> lg.delinked().linked, lg.delinked().provenance
    (False, ('punishments separated by issue',))
    """

    games: tuple[NormalFormGame, ...]
    issues: tuple[str, ...] = ()
    breakdown: tuple[Number, ...] = ()
    linked: bool = True
    delta: Number | None = None
    detection: Number = Fraction(1)
    false_alarm: Number = Fraction(0)
    title: str = ""
    provenance: tuple[str, ...] = field(default=())

    def __init__(
        self,
        games: Sequence[NormalFormGame],
        issues: Sequence[str] = (),
        breakdown: Sequence[Any] = (),
        linked: bool = True,
        delta: Any = None,
        detection: Any = 1,
        false_alarm: Any = 0,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        for name, value in (
            ("games", games),
            ("issues", issues),
            ("breakdown", breakdown),
            ("linked", linked),
            ("delta", delta),
            ("detection", detection),
            ("false_alarm", false_alarm),
            ("title", str(title)),
            ("provenance", provenance),
        ):
            object.__setattr__(self, name, value)
        self._validate()

    def _validate(self) -> None:
        games = tuple(self.games)
        if not games:
            raise GameError("a linked game needs at least one stage game")
        for k, g in enumerate(games):
            if not isinstance(g, NormalFormGame):
                raise GameError(f"issue {k + 1} is a {type(g).__name__}; expected NormalFormGame")
            if g.players != games[0].players:
                raise GameError(
                    f"issue {k + 1} has players {list(g.players)}, expected "
                    f"{list(games[0].players)} (the same players play every issue)"
                )
        object.__setattr__(self, "games", games)
        issues = tuple(self.issues) or tuple(f"issue {k + 1}" for k in range(len(games)))
        if len(issues) != len(games) or len(set(issues)) != len(issues):
            raise GameError(f"expected {len(games)} distinct issue names, got {list(issues)}")
        object.__setattr__(self, "issues", issues)
        beta = tuple(self.breakdown) or tuple(Fraction(0) for _ in games)
        if len(beta) != len(games):
            raise GameError(f"expected {len(games)} breakdown probabilities, got {len(beta)}")
        object.__setattr__(
            self,
            "breakdown",
            tuple(
                _probability(b, f"breakdown probability of {name}", open_top=True)
                for b, name in zip(beta, issues, strict=True)
            ),
        )
        if self.delta is not None:
            object.__setattr__(
                self, "delta", _probability(self.delta, "discount factor", open_top=True)
            )
        object.__setattr__(self, "detection", _probability(self.detection, "detection probability"))
        object.__setattr__(
            self, "false_alarm", _probability(self.false_alarm, "false-alarm probability")
        )
        object.__setattr__(self, "linked", bool(self.linked))
        object.__setattr__(self, "provenance", tuple(self.provenance))

    @property
    def players(self) -> tuple[str, ...]:
        """The players of every issue."""
        return self.games[0].players

    def survival(self) -> Number:
        """Probability that no issue breaks down in a period: :math:`\\prod_j (1 - \\beta_j)`."""
        out: Number = Fraction(1)
        for b in self.breakdown:
            out = out * (1 - b)
        return out

    def combined_stage(self) -> NormalFormGame:
        """The one-shot game of playing every issue at once.

        A strategy is one strategy per issue, labelled ``"a+b+..."``; payoffs add up across
        issues. Its size is the product of the issues' sizes.
        """
        shapes = [g.shape for g in self.games]
        n = len(self.players)
        labels: list[list[str]] = []
        for i in range(n):
            combos: list[tuple[str, ...]] = [()]
            for g in self.games:
                combos = [(*c, s) for c in combos for s in g.strategies[i]]
            labels.append(["+".join(c) for c in combos])
        exact = all(g.is_exact for g in self.games)
        total: Any = 0
        for k, g in enumerate(self.games):
            u = g.payoffs if exact else g.float_payoffs()
            # Player i's combined axis is the product of its axes in every issue (issue-major);
            # issue k's payoffs fill its own sub-axes and broadcast over the others.
            dims = [shapes[j][i] if j == k else 1 for i in range(n) for j in range(len(shapes))]
            total = total + np.asarray(u).reshape(*dims, n)
        full = [int(np.prod([s[i] for s in shapes])) for i in range(n)]
        every = [shapes[j][i] for i in range(n) for j in range(len(shapes))]
        arr = np.array(np.broadcast_to(np.asarray(total), (*every, n))).reshape(*full, n)
        return NormalFormGame(
            arr,
            players=self.players,
            strategies=labels,
            title=self.title or " + ".join(self.issues),
            provenance=(*self.provenance, "issues played together: " + ", ".join(self.issues)),
        )

    def delinked(self) -> LinkedGame:
        """The same issues with punishments kept separate."""
        return replace(
            self, linked=False, provenance=(*self.provenance, "punishments separated by issue")
        )

    def relinked(self) -> LinkedGame:
        """The same issues with punishments pooled across issues."""
        return replace(
            self, linked=True, provenance=(*self.provenance, "punishments pooled across issues")
        )

    def with_delta(self, delta: Any) -> LinkedGame:
        """A copy with another discount factor."""
        d = _probability(delta, "discount factor", open_top=True)
        return replace(
            self, delta=d, provenance=(*self.provenance, f"discount factor {format_number(d)}")
        )

    def with_breakdown(self, breakdown: Sequence[Any]) -> LinkedGame:
        """A copy with other per-issue breakdown probabilities."""
        beta = tuple(to_number(b, what="breakdown probability") for b in breakdown)
        note = "breakdown " + ", ".join(format_number(b) for b in beta)
        return replace(self, breakdown=beta, provenance=(*self.provenance, note))

    def repeated(self, index: int) -> RepeatedGame:
        """Issue ``index`` on its own, its breakdown probability as the lapse hazard."""
        return RepeatedGame(
            self.games[index],
            delta=self.delta,
            detection=self.detection,
            false_alarm=self.false_alarm,
            lapse=self.breakdown[index],
            title=self.issues[index],
            provenance=(*self.provenance, f"issue {self.issues[index]!r} on its own"),
        )
