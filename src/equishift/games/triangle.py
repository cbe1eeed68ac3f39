"""The strategic triangle (Dittmer 1981): three players and the signs of their relations.

Each of the three relations (edges) of a triangle of players is in amity (+1) or enmity (−1).
Following Dittmer (1981, "The Strategic Triangle: An Elementary Game-Theoretical Analysis",
World Politics 33(4)) as scored in the design (MODELS.md, R8), a player scores

* the signs of its own two relations, plus
* −1 if the other two are friends (they may combine against it), +1 if they are foes.

So player ``i`` with partners ``j, k`` scores :math:`s_{ij} + s_{ik} - s_{jk}`. The eight sign
patterns fall into four configurations, and each score into a role:

=====================  =====================================  ======
configuration          signs and roles                        total
=====================  =====================================  ======
ménage à trois         all +1; every player a *friend* (+1)    +3
romantic triangle      two +1 around a *pivot* (+3), the two   +1
                       *wings* (−1) at enmity
stable marriage        one +1 between two *partners* (+1),     −1
                       the third player the *outcast* (−3)
unit veto              all −1; every player a *foe* (−1)       −3
=====================  =====================================  ======

As a game (:meth:`SignedTriangle.game`), each player chooses amity or enmity toward each of the
other two (four strategies); a relation is in amity only if **both** its players choose amity
(friendship takes two, hostility one). This is equishift's modelling choice, documented here:
a player can always spoil a relation but never force one. Two consequences follow, and
``equishift.solver.solve(triangle.game(), method="pure")`` shows them: choosing amity toward
both others weakly dominates for every player (its own relations can only gain, and it cannot
change the relation between the other two), so the ménage à trois is the equilibrium in
undominated strategies; and each of the eight sign patterns is a pure equilibrium when both
ends of every relation choose alike, because a lone offer of amity changes nothing. The game
therefore says which configurations are *self-enforcing*, and the scores say who gains from
moving between them.

:class:`SignedGraph` extends the scoring to N players: every triad is a strategic triangle, and
a player's score is the sum of its scores in the triads it belongs to (for three players, the
triangle's score). A triad is *balanced* (Heider 1946; Cartwright & Harary 1956) when the
product of its signs is +1: the ménage à trois and the stable marriage are balanced, the
romantic triangle and the unit veto are not.

Examples
--------
>>> t2018 = SignedTriangle(["US", "CN", "RU"],
...                        {("US", "CN"): -1, ("US", "RU"): -1, ("CN", "RU"): 1})
>>> t2018.configuration, t2018.total
('stable marriage', -1)
>>> t2018.scores
{'US': -3, 'CN': 1, 'RU': 1}
>>> t2018.roles
{'US': 'outcast', 'CN': 'partner', 'RU': 'partner'}
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import GameError
from .normal_form import NormalFormGame

__all__ = ["CONFIGURATIONS", "SignedGraph", "SignedTriangle"]

CONFIGURATIONS: dict[int, str] = {
    3: "ménage à trois",
    2: "romantic triangle",
    1: "stable marriage",
    0: "unit veto",
}
"""Configuration name by the number of relations in amity."""

_ROLES: dict[tuple[str, int], str] = {
    ("ménage à trois", 1): "friend",
    ("romantic triangle", 3): "pivot",
    ("romantic triangle", -1): "wing",
    ("stable marriage", 1): "partner",
    ("stable marriage", -3): "outcast",
    ("unit veto", -1): "foe",
}

AMITY = "amity"
ENMITY = "enmity"


def _edge(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


@dataclass(frozen=True, init=False)
class SignedTriangle:
    """Three players and the sign (+1 amity, −1 enmity) of each of their three relations.

    Parameters
    ----------
    players
        Three distinct labels.
    signs
        ``{(a, b): sign}`` for each of the three pairs (either order), sign ``+1`` or ``−1``.
    title, provenance
        Description, and what produced this value (oldest first).

    Raises
    ------
    GameError
        For a number of players other than three, unknown or repeated pairs, a missing pair,
        or a sign other than +1 and −1.

    Examples
    --------
    >>> SignedTriangle(["A", "B", "C"], {("A", "B"): 1, ("B", "C"): 1})
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: no sign given for the relation A–C; expected +1 or -1 ...
    >>> SignedTriangle(["A", "B", "C"], {("A", "B"): 2, ("B", "C"): 1, ("A", "C"): 1})
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: sign of A–B is 2; expected +1 (amity) or -1 (enmity)
    """

    players: tuple[str, str, str]
    _signs: tuple[int, int, int]
    title: str = ""
    provenance: tuple[str, ...] = field(default=())

    def __init__(
        self,
        players: Sequence[str],
        signs: Mapping[tuple[str, str], int],
        *,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        if isinstance(players, str) or len(players) != 3:
            raise GameError(f"a strategic triangle has exactly 3 players, got {players!r}")
        labs = tuple(players)
        for k, lab in enumerate(labs):
            if not isinstance(lab, str) or not lab.strip():
                raise GameError(f"player {k + 1} has label {lab!r}; expected a non-empty string")
        if len(set(labs)) != 3:
            raise GameError(f"duplicate player labels in {list(labs)}")
        given: dict[frozenset[str], int] = {}
        for pair, sign in signs.items():
            if len(pair) != 2 or any(p not in labs for p in pair) or pair[0] == pair[1]:
                raise GameError(
                    f"relation {pair!r} is not a pair of two different players of {list(labs)}"
                )
            key = _edge(*pair)
            if key in given:
                raise GameError(f"relation {pair[0]}–{pair[1]} is given twice")
            if isinstance(sign, bool) or sign not in (1, -1):
                raise GameError(
                    f"sign of {pair[0]}–{pair[1]} is {sign!r}; expected +1 (amity) or -1 (enmity)"
                )
            given[key] = int(sign)
        out = []
        for a, b in self.pairs_of(labs):
            if _edge(a, b) not in given:
                raise GameError(
                    f"no sign given for the relation {a}–{b}; expected +1 or -1 for each of "
                    "the three relations"
                )
            out.append(given[_edge(a, b)])
        object.__setattr__(self, "players", labs)
        object.__setattr__(self, "_signs", (out[0], out[1], out[2]))
        object.__setattr__(self, "title", str(title))
        object.__setattr__(self, "provenance", tuple(provenance))

    @staticmethod
    def pairs_of(players: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """The three relations in a fixed order: (1, 2), (1, 3), (2, 3)."""
        a, b, c = players
        return ((a, b), (a, c), (b, c))

    @classmethod
    def all_configurations(cls, players: Sequence[str]) -> tuple[SignedTriangle, ...]:
        """All 2³ = 8 sign patterns, in a fixed order (all amity first).

        >>> [t.configuration for t in SignedTriangle.all_configurations("ABC")]
        ... # doctest: +NORMALIZE_WHITESPACE
        ['ménage à trois', 'romantic triangle', 'romantic triangle', 'stable marriage',
         'romantic triangle', 'stable marriage', 'stable marriage', 'unit veto']
        """
        pairs = cls.pairs_of(tuple(players))
        return tuple(
            cls(tuple(players), dict(zip(pairs, signs, strict=True)))
            for signs in itertools.product((1, -1), repeat=3)
        )

    # -- views --------------------------------------------------------------------------------
    @property
    def signs(self) -> dict[tuple[str, str], int]:
        """``{(a, b): sign}`` for the three relations, in :meth:`pairs_of` order."""
        return dict(zip(self.pairs_of(self.players), self._signs, strict=True))

    def sign(self, a: str, b: str) -> int:
        """The sign of the relation between ``a`` and ``b``."""
        self._check(a)
        self._check(b)
        if a == b:
            raise GameError(f"{a!r} has no relation with itself")
        for (p, q), s in self.signs.items():
            if _edge(p, q) == _edge(a, b):
                return s
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, player: str) -> None:
        if player not in self.players:
            raise GameError(f"unknown player {player!r}; expected one of {list(self.players)}")

    def score(self, player: str) -> int:
        """Own relations plus −1 if the other two are friends, +1 if they are foes."""
        self._check(player)
        j, k = (p for p in self.players if p != player)
        return self.sign(player, j) + self.sign(player, k) - self.sign(j, k)

    @property
    def scores(self) -> dict[str, int]:
        """Every player's score."""
        return {p: self.score(p) for p in self.players}

    @property
    def total(self) -> int:
        """The sum of the scores (+3, +1, −1 or −3)."""
        return sum(self.scores.values())

    @property
    def amities(self) -> int:
        """How many relations are in amity (0 to 3)."""
        return sum(1 for s in self._signs if s > 0)

    @property
    def configuration(self) -> str:
        """The configuration: ménage à trois, romantic triangle, stable marriage or unit veto."""
        return CONFIGURATIONS[self.amities]

    def role(self, player: str) -> str:
        """The player's role: friend, pivot, wing, partner, outcast or foe."""
        return _ROLES[(self.configuration, self.score(player))]

    @property
    def roles(self) -> dict[str, str]:
        """Every player's role."""
        return {p: self.role(p) for p in self.players}

    @property
    def balanced(self) -> bool:
        """True when the product of the three signs is +1 (structural balance)."""
        return self._signs[0] * self._signs[1] * self._signs[2] > 0

    def describe(self) -> str:
        """One line: the configuration, total and each player's role and score.

        >>> t = SignedTriangle(["A", "B", "C"], {("A", "B"): 1, ("A", "C"): 1, ("B", "C"): -1})
        >>> print(t.describe())
        romantic triangle (total +1): A pivot +3, B wing -1, C wing -1
        """
        parts = ", ".join(f"{p} {self.role(p)} {self.score(p):+d}" for p in self.players)
        return f"{self.configuration} (total {self.total:+d}): {parts}"

    # -- changes ------------------------------------------------------------------------------
    def with_sign(self, a: str, b: str, sign: int) -> SignedTriangle:
        """A new triangle with one relation changed; the change is recorded in ``provenance``.

        >>> t = SignedTriangle(["A", "B", "C"], {("A", "B"): -1, ("A", "C"): -1, ("B", "C"): -1})
        >>> t.with_sign("A", "B", 1).provenance
        ('set A–B to +1 (was -1)',)
        """
        old = self.sign(a, b)
        signs = {pair: s for pair, s in self.signs.items() if _edge(*pair) != _edge(a, b)}
        signs[(a, b)] = sign
        note = f"set {a}–{b} to {sign:+d} (was {old:+d})"
        return SignedTriangle(
            self.players, signs, title=self.title, provenance=(*self.provenance, note)
        )

    # -- as a game ----------------------------------------------------------------------------
    def strategies_of(self, player: str) -> tuple[str, ...]:
        """Labels of a player's four strategies, e.g. ``"amity CN, enmity RU"``."""
        self._check(player)
        others = [p for p in self.players if p != player]
        return tuple(
            f"{c1} {others[0]}, {c2} {others[1]}"
            for c1, c2 in itertools.product((AMITY, ENMITY), repeat=2)
        )

    def game(self) -> NormalFormGame:
        """The normal-form game in which every player chooses amity or enmity to each other.

        A relation is +1 only when both its players choose amity; payoffs are the Dittmer
        scores of the resulting triangle. The current signs play no part (they are one outcome
        of the game: the profile :meth:`profile` names).

        Examples
        --------
        >>> t = SignedTriangle(["A", "B", "C"], {("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1})
        >>> g = t.game()
        >>> g.shape
        (4, 4, 4)
        >>> g.payoff(t.profile())
        (Fraction(1, 1), Fraction(1, 1), Fraction(1, 1))
        """
        players = self.players
        labels = [self.strategies_of(p) for p in players]
        payoffs = [
            [
                [list(self.outcome((s0, s1, s2)).scores.values()) for s2 in labels[2]]
                for s1 in labels[1]
            ]
            for s0 in labels[0]
        ]
        return NormalFormGame(
            payoffs,
            players=players,
            strategies=labels,
            title=self.title or "strategic triangle (amity needs both sides)",
            provenance=self.provenance,
        )

    def _wants(self, player: str, other: str, choice: tuple[bool, bool]) -> bool:
        others = [p for p in self.players if p != player]
        return choice[others.index(other)]

    def outcome(self, profile: Sequence[str]) -> SignedTriangle:
        """The triangle that a pure profile of :meth:`game` produces (amity needs both sides).

        >>> t = SignedTriangle(["A", "B", "C"], {("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1})
        >>> t.outcome(["amity B, enmity C", "amity A, amity C", "amity A, amity B"]).describe()
        'romantic triangle (total +1): A wing -1, B pivot +3, C wing -1'
        """
        if isinstance(profile, str) or len(profile) != 3:
            raise GameError(f"a profile names one strategy per player, got {profile!r}")
        chosen: dict[str, tuple[bool, bool]] = {}
        for p, label in zip(self.players, profile, strict=True):
            options = self.strategies_of(p)
            if label not in options:
                raise GameError(
                    f"unknown strategy {label!r} of {p}; expected one of {list(options)}"
                )
            k = options.index(label)
            chosen[p] = (k < 2, k % 2 == 0)
        signs = {
            (a, b): 1 if self._wants(a, b, chosen[a]) and self._wants(b, a, chosen[b]) else -1
            for a, b in self.pairs_of(self.players)
        }
        return SignedTriangle(self.players, signs)

    def profile(self) -> tuple[str, ...]:
        """The strategy profile of :meth:`game` in which each player chooses the current signs."""
        out = []
        for p in self.players:
            others = [q for q in self.players if q != p]
            c = [AMITY if self.sign(p, q) > 0 else ENMITY for q in others]
            out.append(f"{c[0]} {others[0]}, {c[1]} {others[1]}")
        return tuple(out)


@dataclass(frozen=True, init=False)
class SignedGraph:
    """N >= 3 players with amity (+1) or enmity (−1) on every pair, scored triad by triad.

    Parameters
    ----------
    players
        At least three distinct labels.
    signs
        ``{(a, b): sign}`` for pairs of players (either order), sign +1 or −1.
    default
        Sign of every pair not in ``signs``; ``None`` (the default) requires every pair.
    title, provenance
        Description, and what produced this value (oldest first).

    Raises
    ------
    GameError
        For fewer than three players, duplicate labels, unknown or repeated pairs, a missing
        pair without a default, or a sign other than +1 and −1.

    Examples
    --------
    >>> g = SignedGraph(["US", "JP", "CN", "RU"], {("US", "JP"): 1, ("CN", "RU"): 1}, default=-1)
    >>> g.scores
    {'US': -1, 'JP': -1, 'CN': -1, 'RU': -1}
    >>> g.configurations()
    {'ménage à trois': 0, 'romantic triangle': 0, 'stable marriage': 4, 'unit veto': 0}
    >>> g.is_balanced
    True
    """

    players: tuple[str, ...]
    _signs: tuple[int, ...]
    title: str = ""
    provenance: tuple[str, ...] = field(default=())

    def __init__(
        self,
        players: Sequence[str],
        signs: Mapping[tuple[str, str], int],
        *,
        default: int | None = None,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        if isinstance(players, str) or len(players) < 3:
            raise GameError(f"a signed graph needs at least 3 players, got {players!r}")
        labs = tuple(players)
        for k, lab in enumerate(labs):
            if not isinstance(lab, str) or not lab.strip():
                raise GameError(f"player {k + 1} has label {lab!r}; expected a non-empty string")
        if len(set(labs)) != len(labs):
            raise GameError(f"duplicate player labels in {list(labs)}")
        if default is not None and (isinstance(default, bool) or default not in (1, -1)):
            raise GameError(f"default sign is {default!r}; expected +1, -1 or None")
        given: dict[frozenset[str], int] = {}
        for pair, sign in signs.items():
            if len(pair) != 2 or any(p not in labs for p in pair) or pair[0] == pair[1]:
                raise GameError(
                    f"relation {pair!r} is not a pair of two different players of {list(labs)}"
                )
            key = _edge(*pair)
            if key in given:
                raise GameError(f"relation {pair[0]}–{pair[1]} is given twice")
            if isinstance(sign, bool) or sign not in (1, -1):
                raise GameError(
                    f"sign of {pair[0]}–{pair[1]} is {sign!r}; expected +1 (amity) or -1 (enmity)"
                )
            given[key] = int(sign)
        out = []
        for a, b in itertools.combinations(labs, 2):
            if _edge(a, b) in given:
                out.append(given[_edge(a, b)])
            elif default is not None:
                out.append(default)
            else:
                raise GameError(
                    f"no sign given for the relation {a}–{b}; give every pair or a default sign"
                )
        object.__setattr__(self, "players", labs)
        object.__setattr__(self, "_signs", tuple(out))
        object.__setattr__(self, "title", str(title))
        object.__setattr__(self, "provenance", tuple(provenance))

    @property
    def signs(self) -> dict[tuple[str, str], int]:
        """``{(a, b): sign}`` for every pair, in label order of the players."""
        return dict(zip(itertools.combinations(self.players, 2), self._signs, strict=True))

    def sign(self, a: str, b: str) -> int:
        """The sign of the relation between ``a`` and ``b``."""
        for p in (a, b):
            if p not in self.players:
                raise GameError(f"unknown player {p!r}; expected one of {list(self.players)}")
        if a == b:
            raise GameError(f"{a!r} has no relation with itself")
        return next(s for pair, s in self.signs.items() if _edge(*pair) == _edge(a, b))

    def triads(self) -> tuple[SignedTriangle, ...]:
        """Every triad as a :class:`SignedTriangle`, in the players' order."""
        return tuple(
            SignedTriangle(
                trio, {(a, b): self.sign(a, b) for a, b in itertools.combinations(trio, 2)}
            )
            for trio in itertools.combinations(self.players, 3)
        )

    def score(self, player: str) -> int:
        """The sum of the player's Dittmer scores over the triads that contain it."""
        if player not in self.players:
            raise GameError(f"unknown player {player!r}; expected one of {list(self.players)}")
        return sum(t.score(player) for t in self.triads() if player in t.players)

    @property
    def scores(self) -> dict[str, int]:
        """Every player's score."""
        return {p: self.score(p) for p in self.players}

    @property
    def total(self) -> int:
        """The sum of the scores (= the sum of the triads' totals)."""
        return sum(t.total for t in self.triads())

    def configurations(self) -> dict[str, int]:
        """How many triads are in each configuration."""
        counts = dict.fromkeys(CONFIGURATIONS[k] for k in (3, 2, 1, 0))
        found = [t.configuration for t in self.triads()]
        return {name: found.count(name) for name in counts}

    @property
    def is_balanced(self) -> bool:
        """True when every triad is balanced (the graph splits into at most two camps)."""
        return all(t.balanced for t in self.triads())

    def with_sign(self, a: str, b: str, sign: int) -> SignedGraph:
        """A new graph with one relation changed; the change is recorded in ``provenance``."""
        old = self.sign(a, b)
        signs = {pair: s for pair, s in self.signs.items() if _edge(*pair) != _edge(a, b)}
        signs[(a, b)] = sign
        return SignedGraph(
            self.players,
            signs,
            title=self.title,
            provenance=(*self.provenance, f"set {a}–{b} to {sign:+d} (was {old:+d})"),
        )
