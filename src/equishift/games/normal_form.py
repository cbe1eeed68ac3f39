"""Finite games in normal (strategic) form.

A normal-form game has players :math:`i = 1..N`, a finite set of labelled
strategies :math:`S_i` for each, and a payoff :math:`u_i(s)` for every player
at every pure profile :math:`s \\in S_1 \\times \\dots \\times S_N`.

The payoffs are held as one array of shape ``(|S_1|, ..., |S_N|, N)``: exact
(an object array of :class:`fractions.Fraction`) when every input payoff is
exact, ``float64`` otherwise. Games are immutable values: every operation that
"changes" a game returns a new one.

Examples
--------
>>> g = NormalFormGame.from_mapping(
...     {("Freeze", "Suspend"): (3, 3), ("Freeze", "Exercise"): (0, 4),
...      ("Test", "Suspend"): (5, 0), ("Test", "Exercise"): (1, 1)},
...     players=["DPRK", "US-ROK"])
>>> g
NormalFormGame('', players=('DPRK', 'US-ROK'), shape=(2, 2), exact)
>>> g.strategies
(('Freeze', 'Test'), ('Suspend', 'Exercise'))
>>> g.payoff(("Test", "Exercise"))
(Fraction(1, 1), Fraction(1, 1))
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import GameError
from .numbers import Number, as_float_array, format_number, integerize, to_number

__all__ = ["NormalFormGame", "check_player_arrays"]


def _check_labels(labels: Sequence[str], what: str) -> tuple[str, ...]:
    out: list[str] = []
    for k, lab in enumerate(labels):
        if not isinstance(lab, str):
            raise GameError(f"{what} {k + 1} has label {lab!r}; expected a string")
        if not lab.strip():
            raise GameError(f"{what} {k + 1} has an empty label")
        out.append(lab)
    seen: set[str] = set()
    for lab in out:
        if lab in seen:
            raise GameError(f"duplicate {what} label {lab!r}")
        seen.add(lab)
    return tuple(out)


class NormalFormGame:
    """An N-player finite game in normal form with labelled players and strategies.

    Parameters
    ----------
    payoffs
        Array-like of shape ``(n_1, ..., n_N, N)``: ``payoffs[s][i]`` is player
        ``i``'s payoff at pure profile ``s``. Entries may be ints, Fractions,
        decimal strings (read exactly) or floats (the game is then a float game).
    players
        Player labels; default ``"Player 1"``, ``"Player 2"``, ...
    strategies
        Strategy labels per player; default ``"1"``, ``"2"``, ... for each player.
    title
        A short description.
    provenance
        What produced this game (file, transforms applied); carried along, never
        used in computation.

    Raises
    ------
    GameError
        On a shape mismatch, empty or duplicate labels, empty strategy sets,
        NaN or infinite payoffs, or the wrong number of payoffs in a cell.

    Examples
    --------
    >>> NormalFormGame([[[1, 1], [0, 0]], [[0, 0], [1, 1]]]).shape
    (2, 2)
    >>> NormalFormGame([[[1, float("nan")]]])
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: payoff of Player 2 at ('1', '1') is NaN; ...
    """

    __slots__ = (
        "_exact",
        "_ordinal_cache",
        "_payoffs",
        "_players",
        "_provenance",
        "_strategies",
        "_title",
    )

    def __init__(
        self,
        payoffs: Any,
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        arr = payoffs if isinstance(payoffs, np.ndarray) else _to_ndarray(payoffs)
        if arr.ndim < 2:
            raise GameError(
                f"payoffs have shape {arr.shape}; expected (n_1, ..., n_N, N) with one "
                "payoff per player in every cell"
            )
        shape = tuple(int(n) for n in arr.shape[:-1])
        n_players = len(shape)
        if arr.shape[-1] != n_players:
            raise GameError(
                f"every cell must hold {n_players} payoffs (one per player), found {arr.shape[-1]}"
            )
        if any(n == 0 for n in shape):
            empty = [i + 1 for i, n in enumerate(shape) if n == 0]
            raise GameError(f"player(s) {empty} have no strategies; expected at least one")
        if players is None:
            players = [f"Player {i + 1}" for i in range(n_players)]
        players_t = _check_labels(list(players), "player")
        if len(players_t) != n_players:
            raise GameError(
                f"{len(players_t)} player labels given for a game with {n_players} players"
            )
        if strategies is None:
            strategies = [[str(k + 1) for k in range(n)] for n in shape]
        if len(strategies) != n_players:
            raise GameError(
                f"strategy labels given for {len(strategies)} players, expected {n_players}"
            )
        strat_t: list[tuple[str, ...]] = []
        for i, labs in enumerate(strategies):
            if isinstance(labs, str):
                raise GameError(f"strategies of {players_t[i]} must be a list of labels")
            labs_t = _check_labels(list(labs), f"strategy of {players_t[i]}")
            if len(labs_t) != shape[i]:
                raise GameError(
                    f"{players_t[i]} has {len(labs_t)} strategy labels but the payoff array "
                    f"has {shape[i]} strategies on axis {i}"
                )
            strat_t.append(labs_t)
        self._players = players_t
        self._strategies = tuple(strat_t)
        self._title = str(title)
        self._provenance = tuple(provenance)
        self._ordinal_cache: NDArray[Any] | None = None
        if arr.dtype.kind in "iu" and arr.size and np.abs(arr).max() < 2**62:
            # Integer input is already exactly comparable: keep it for the solvers.
            self._ordinal_cache = np.array(arr, dtype=np.int64)
            self._ordinal_cache.flags.writeable = False
        self._payoffs, self._exact = self._convert(arr)
        self._payoffs.flags.writeable = False

    # -- construction -----------------------------------------------------------------------
    def _convert(self, arr: NDArray[Any]) -> tuple[NDArray[Any], bool]:
        if arr.dtype.kind in "iu":
            out = np.empty(arr.shape, dtype=object)
            out.ravel()[:] = [Fraction(int(v)) for v in arr.ravel()]
            return out, True
        if arr.dtype.kind == "f":
            bad = ~np.isfinite(arr)
            if bad.any():
                idx = tuple(int(k) for k in np.argwhere(bad)[0])
                self._raise_bad(idx, "NaN" if np.isnan(arr[idx]) else "infinite")
            return np.array(arr, dtype=np.float64), False
        if arr.dtype.kind == "b":
            raise GameError("payoffs are booleans; expected numbers")
        # object / string array: convert entry by entry.
        flat = arr.ravel()
        values: list[Number] = []
        for pos, v in enumerate(flat):
            where = tuple(int(i) for i in np.unravel_index(pos, arr.shape))
            values.append(to_number(v, what=self._where(where)))
        if all(isinstance(v, Fraction) for v in values):
            out = np.empty(arr.shape, dtype=object)
            out.ravel()[:] = values
            return out, True
        return np.array([float(v) for v in values], dtype=np.float64).reshape(arr.shape), False

    def _where(self, idx: tuple[int, ...]) -> str:
        profile = tuple(self._strategies[i][s] for i, s in enumerate(idx[:-1]))
        return f"payoff of {self._players[idx[-1]]} at {profile}"

    def _raise_bad(self, idx: tuple[int, ...], kind: str) -> None:
        raise GameError(f"{self._where(idx)} is {kind}; expected a finite number")

    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Build a game from one payoff array per player (``A, B`` for a bimatrix game).

        Examples
        --------
        >>> g = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                strategies=[["C", "D"], ["C", "D"]])
        >>> g.payoff_array(1).tolist()
        [[Fraction(3, 1), Fraction(5, 1)], [Fraction(0, 1), Fraction(1, 1)]]
        """
        arrs = check_player_arrays([_to_ndarray(a) for a in arrays])
        shape = arrs[0].shape
        kinds = {a.dtype.kind for a in arrs}
        if kinds <= {"i", "u"}:
            stacked: NDArray[Any] = np.stack(arrs, axis=-1)
        elif kinds <= {"i", "u", "f"}:
            stacked = np.stack([a.astype(np.float64) for a in arrs], axis=-1)
        else:
            stacked = np.empty((*shape, len(arrs)), dtype=object)
            for i, a in enumerate(arrs):
                stacked[..., i] = a
        return cls(stacked, players=players, strategies=strategies, title=title)

    @classmethod
    def from_mapping(
        cls,
        payoffs: Mapping[Any, Sequence[Any]],
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Build a game from ``{profile: payoffs}`` keyed by strategy labels.

        A key is a tuple of labels or a string ``"A, B"``. Strategy labels are
        taken in order of first appearance unless ``strategies`` is given; then
        every profile must be present exactly once.

        Examples
        --------
        >>> g = NormalFormGame.from_mapping({"H, H": (1, -1), "H, T": (-1, 1),
        ...                                  "T, H": (-1, 1), "T, T": (1, -1)})
        >>> g.strategies
        (('H', 'T'), ('H', 'T'))
        >>> NormalFormGame.from_mapping({"H, H": (1, -1)}, strategies=[["H", "T"], ["H"]])
        Traceback (most recent call last):
        ...
        equishift.games.errors.GameError: no payoffs given for profile ('T', 'H')
        """
        keys: list[tuple[str, ...]] = []
        for key in payoffs:
            if isinstance(key, str):
                parts = tuple(p.strip() for p in key.split(","))
            elif isinstance(key, tuple):
                parts = tuple(str(p) for p in key)
            else:
                raise GameError(f"profile key {key!r} must be a tuple of labels or 'A, B'")
            keys.append(parts)
        if not keys:
            raise GameError("no payoffs given")
        n = len(keys[0])
        for k in keys:
            if len(k) != n:
                raise GameError(f"profile {k} names {len(k)} strategies, expected {n}")
        if strategies is None:
            strategies = [list(dict.fromkeys(k[i] for k in keys)) for i in range(n)]
        strat = [list(s) for s in strategies]
        if len(strat) != n:
            raise GameError(f"strategies given for {len(strat)} players, profiles name {n}")
        index = [{lab: j for j, lab in enumerate(s)} for s in strat]
        shape = tuple(len(s) for s in strat)
        cells = np.empty((*shape, n), dtype=object)
        filled = np.zeros(shape, dtype=bool)
        for k, values in zip(keys, payoffs.values(), strict=True):
            idx = []
            for i, lab in enumerate(k):
                if lab not in index[i]:
                    who = players[i] if players is not None and i < len(players) else i + 1
                    raise GameError(
                        f"profile {k}: unknown strategy {lab!r} for player {who}; "
                        f"expected one of {strat[i]}"
                    )
                idx.append(index[i][lab])
            t = tuple(idx)
            if filled[t]:
                raise GameError(f"profile {k} given twice")
            vals = list(values) if not isinstance(values, str) else [values]
            if len(vals) != n:
                raise GameError(f"profile {k} has {len(vals)} payoffs, expected {n}")
            for i, v in enumerate(vals):
                cells[(*t, i)] = v
            filled[t] = True
        if not filled.all():
            missing = tuple(int(v) for v in np.argwhere(~filled)[0])
            absent = tuple(strat[i][j] for i, j in enumerate(missing))
            raise GameError(f"no payoffs given for profile {absent}")
        return cls(cells, players=players, strategies=strat, title=title)

    @classmethod
    def from_file(cls, path: str | Path) -> NormalFormGame:
        """Read a game from a Gambit ``.nfg`` file.

        Raises
        ------
        FormatError
            Naming the file, the line and what was expected.
        """
        from .formats.gambit import read_nfg

        return read_nfg(path)

    # -- accessors --------------------------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        """Player labels."""
        return self._players

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        """Strategy labels, per player."""
        return self._strategies

    @property
    def title(self) -> str:
        """A short description of the game."""
        return self._title

    @property
    def provenance(self) -> tuple[str, ...]:
        """What produced this game (file read, transforms applied), oldest first."""
        return self._provenance

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies per player."""
        return tuple(int(n) for n in self._payoffs.shape[:-1])

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self._players)

    @property
    def n_profiles(self) -> int:
        """Number of pure-strategy profiles."""
        return int(np.prod(self.shape))

    @property
    def is_exact(self) -> bool:
        """True when every payoff is a ``Fraction`` (results are then exact too)."""
        return self._exact

    @property
    def payoffs(self) -> NDArray[Any]:
        """Read-only payoff array of shape ``(n_1, ..., n_N, N)``."""
        return self._payoffs

    def payoff_array(self, player: int | str) -> NDArray[Any]:
        """Read-only payoffs of one player, shape ``(n_1, ..., n_N)``."""
        return self._payoffs[..., self.player_index(player)]

    def comparable_payoffs(self) -> NDArray[Any]:
        """Payoffs in a dtype where comparisons are exact and fast (read-only, cached).

        Exact games: each player's payoffs scaled by the lcm of their denominators into
        integers (``int64`` when they fit), which keeps every order and tie. Float games:
        the ``float64`` payoffs. Use it to compare payoffs of the same player only.

        >>> NormalFormGame([[["1/2", "1/3"]]]).comparable_payoffs().tolist()
        [[[1, 1]]]
        """
        if self._ordinal_cache is None:
            if self._exact:
                cols = [integerize(self._payoffs[..., i]) for i in range(self.n_players)]
                if all(c.dtype == np.int64 for c in cols):
                    out = np.stack(cols, axis=-1)
                else:
                    out = np.empty(self._payoffs.shape, dtype=object)
                    for i, c in enumerate(cols):
                        out[..., i] = c
            else:
                out = self._payoffs
            out.flags.writeable = False
            self._ordinal_cache = out
        return self._ordinal_cache

    def float_payoffs(self) -> NDArray[np.float64]:
        """The payoffs as a new ``float64`` array."""
        return as_float_array(self._payoffs)

    def player_index(self, player: int | str) -> int:
        """Index of a player given by label or index.

        >>> NormalFormGame([[[0, 0]]], players=["A", "B"]).player_index("B")
        1
        """
        if isinstance(player, int | np.integer) and not isinstance(player, bool):
            if not 0 <= player < self.n_players:
                raise GameError(f"player index {player} out of range 0..{self.n_players - 1}")
            return int(player)
        try:
            return self._players.index(str(player))
        except ValueError:
            raise GameError(
                f"unknown player {player!r}; expected one of {list(self._players)}"
            ) from None

    def strategy_index(self, player: int | str, strategy: int | str) -> int:
        """Index of a strategy of ``player`` given by label or index."""
        i = self.player_index(player)
        labels = self._strategies[i]
        if isinstance(strategy, int | np.integer) and not isinstance(strategy, bool):
            if not 0 <= strategy < len(labels):
                raise GameError(
                    f"strategy index {strategy} of {self._players[i]} out of range "
                    f"0..{len(labels) - 1}"
                )
            return int(strategy)
        try:
            return labels.index(str(strategy))
        except ValueError:
            raise GameError(
                f"unknown strategy {strategy!r} of {self._players[i]}; expected one of "
                f"{list(labels)}"
            ) from None

    def profile_index(self, profile: Sequence[int | str]) -> tuple[int, ...]:
        """Indices of a pure profile given by labels or indices."""
        if len(profile) != self.n_players:
            raise GameError(
                f"profile {tuple(profile)} names {len(profile)} strategies, "
                f"expected {self.n_players}"
            )
        return tuple(self.strategy_index(i, s) for i, s in enumerate(profile))

    def payoff(self, profile: Sequence[int | str]) -> tuple[Number, ...]:
        """Payoffs of every player at a pure profile (labels or indices)."""
        idx = self.profile_index(profile)
        return tuple(self._payoffs[idx].tolist())

    def profiles(self) -> Iterator[tuple[str, ...]]:
        """All pure profiles, by label, in lexicographic (C) order."""
        return iter(itertools.product(*self._strategies))

    # -- derived games ----------------------------------------------------------------------
    def with_payoffs(self, payoffs: Any, *, provenance: str | None = None) -> NormalFormGame:
        """A new game with the same labels and new payoffs."""
        prov = self._provenance + ((provenance,) if provenance else ())
        return NormalFormGame(
            payoffs,
            players=self._players,
            strategies=self._strategies,
            title=self._title,
            provenance=prov,
        )

    def with_title(self, title: str) -> NormalFormGame:
        """A copy with another title."""
        return NormalFormGame(
            self._payoffs,
            players=self._players,
            strategies=self._strategies,
            title=title,
            provenance=self._provenance,
        )

    def to_float(self) -> NormalFormGame:
        """The same game with float payoffs."""
        return self.with_payoffs(self.float_payoffs())

    def restrict(self, keep: Sequence[Iterable[int | str]]) -> NormalFormGame:
        """The subgame in which each player uses only the given strategies.

        >>> g = NormalFormGame.from_arrays([[1, 2], [3, 4]], [[0, 0], [0, 0]])
        >>> g.restrict([["2"], ["1", "2"]]).strategies
        (('2',), ('1', '2'))
        """
        if len(keep) != self.n_players:
            raise GameError(f"restrict() needs a strategy list for each of {self.n_players}")
        idx = [[self.strategy_index(i, s) for s in ks] for i, ks in enumerate(keep)]
        sub = self._payoffs[np.ix_(*idx, range(self.n_players))]
        labels = [[self._strategies[i][k] for k in ks] for i, ks in enumerate(idx)]
        return NormalFormGame(
            sub,
            players=self._players,
            strategies=labels,
            title=self._title,
            provenance=self._provenance,
        )

    # -- value semantics --------------------------------------------------------------------
    def equals(self, other: object) -> bool:
        """Same labels and exactly the same payoffs (float and exact games never equal).

        >>> a = NormalFormGame([[[1, 2]]]); a.equals(NormalFormGame([[["1", "2"]]]))
        True
        """
        if not isinstance(other, NormalFormGame):
            return False
        return (
            self._players == other._players
            and self._strategies == other._strategies
            and self._exact == other._exact
            and self._payoffs.shape == other._payoffs.shape
            and bool(np.all(self._payoffs == other._payoffs))
        )

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    def __hash__(self) -> int:
        return hash((self._players, self._strategies, self._payoffs.shape))

    def __repr__(self) -> str:
        kind = "exact" if self._exact else "float"
        return (
            f"NormalFormGame({self._title!r}, players={self._players}, shape={self.shape}, {kind})"
        )

    def describe(self) -> str:
        """A plain-text table of the game (two players) or a list of cells (more).

        >>> print(NormalFormGame.from_arrays([[1, 0]], [[2, "1/2"]]).describe())
        Player 1 \\ Player 2 | 1    | 2
        1                   | 1, 2 | 0, 1/2
        """
        if self.n_players == 2:
            header = [f"{self._players[0]} \\ {self._players[1]}", *self._strategies[1]]
            rows = [header]
            for r, lab in enumerate(self._strategies[0]):
                cells = [
                    ", ".join(format_number(v) for v in self._payoffs[r, c].tolist())
                    for c in range(self.shape[1])
                ]
                rows.append([lab, *cells])
            widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
            lines = [
                " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                for row in rows
            ]
            return "\n".join(lines)
        lines = []
        for prof in self.profiles():
            vals = ", ".join(format_number(v) for v in self.payoff(prof))
            lines.append(f"{', '.join(prof)}: {vals}")
        return "\n".join(lines)


def check_player_arrays(arrays: Sequence[NDArray[Any]]) -> Sequence[NDArray[Any]]:
    """Check one payoff array per player: as many axes as players, all of one shape.

    Shared by the game classes built ``from_arrays``; returns ``arrays`` unchanged.

    >>> check_player_arrays([np.zeros((2, 2)), np.zeros((2, 3))])
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: payoffs of player 2 have shape (2, 3), expected (2, 2) ...
    """
    if not arrays:
        raise GameError("from_arrays() needs one payoff array per player")
    shape = arrays[0].shape
    if len(shape) != len(arrays):
        raise GameError(
            f"payoffs of player 1 have {len(shape)} dimension(s) but {len(arrays)} "
            "arrays were given; expected one axis per player"
        )
    for i, a in enumerate(arrays[1:], start=2):
        if a.shape != shape:
            raise GameError(
                f"payoffs of player {i} have shape {a.shape}, expected {shape} "
                "(the shape of player 1's payoffs)"
            )
    return arrays


def _to_ndarray(values: Any) -> NDArray[Any]:
    """Turn nested sequences into an array without losing exactness or raising on ragged input."""
    if isinstance(values, np.ndarray):
        return values
    try:
        arr = np.array(values)
    except ValueError:
        raise GameError(
            "payoffs are ragged (rows of different lengths); expected a rectangular array"
        ) from None
    if arr.dtype.kind in "USO":
        # Keep Fractions and strings as Python objects; a ragged list becomes a 1-d object
        # array of lists, which the caller's shape checks reject.
        try:
            arr = np.array(values, dtype=object)
        except ValueError:
            raise GameError(
                "payoffs are ragged (rows of different lengths); expected a rectangular array"
            ) from None
        if any(isinstance(v, list | tuple) for v in arr.ravel()):
            raise GameError(
                "payoffs are ragged (rows of different lengths); expected a rectangular array"
            )
    return arr
