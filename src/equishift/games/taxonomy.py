"""Classification of 2x2 games: Prisoner's Dilemma, Stag Hunt, Chicken and the rest.

A 2x2 game is classified by the *ordinal ranks* of each player's four payoffs
(4 = best, 1 = worst), so the class does not change under positive affine
transforms of a player's payoffs, under relabelling (swapping) either player's
strategies, nor - for the name, family and symmetry - under swapping the players.

Strict ordinal games
--------------------
There are :math:`4! \\cdot 4! = 576` strict ordinal 2x2 games. Swapping rows and
swapping columns act freely on them, leaving 144 classes (Robinson & Goforth
2005, "The Topology of the 2x2 Games: A New Periodic Table"); swapping the
players as well leaves 78 (Rapoport & Guyer 1966). 21 of the 78 have an
outcome that is best for both players (no-conflict games), 57 do not, and 12 of
the 144 are symmetric. :func:`taxonomy_counts` computes these numbers by
enumeration.

Orientation and player types
----------------------------
Every strict game has exactly one *oriented* form: swap the columns if needed so
that the row player's best outcome (rank 4) is in the **second column**, then
swap the rows if needed so that the column player's best outcome is in the
**second row**. Each player's *own view* is their rank matrix with their own
strategies as rows (the column player's matrix is transposed); in the oriented
form each player's 4 sits in the opponent's second strategy, so a player's view
is one of 12 *types*: the 4 in the first or second own row, and the ranks 1-3
arranged in the other three cells in one of 6 ways.

Each type is the row player's view of exactly one of the 12 symmetric games, so
it carries that game's name. A game is symmetric iff both players have the same
type. Written with the symmetric notation (R mutual cooperation, S sucker,
T temptation, P mutual defection; ranks highest first), the 12 types are:

=====  =====  ==========================  ======================
 bit   index  name                        ranks, highest first
=====  =====  ==========================  ======================
  0      1    Prisoner's Dilemma          T > R > P > S
  0      2    Chicken                     T > R > S > P
  0      3    Leader                      T > S > R > P
  0      4    Battle of the Sexes (Hero)  T > S > P > R
  0      5    Compromise                  T > P > S > R
  0      6    Deadlock                    T > P > R > S
  1      1    Stag Hunt                   R > T > P > S
  1      2    Harmony                     R > T > S > P
  1      3    Concord                     R > S > T > P
  1      4    Peace                       R > S > P > T
  1      5    Coordination                R > P > S > T
  1      6    Assurance                   R > P > T > S
=====  =====  ==========================  ======================

Relabelling C and D (R <-> P, S <-> T) gives the same type, so "T > S > P > R" and
"S > T > R > P" (Rapoport & Guyer's Hero, the symmetric form of the Battle of the
Sexes) are one type. *bit* is 0 when the player's best outcome is off the
diagonal (T or S) and 1 when it is on it (R or P). Within a bit, consecutive
indices (and 6 -> 1) differ by one swap of adjacent ranks 1-2 or 2-3 in that
player's payoffs, as in Robinson & Goforth's topology: the six types form a
hexagon of swaps.

Robinson–Goforth position (equishift's indexing convention)
-----------------------------------------------------------
The 144 classes are laid out as Robinson & Goforth do, in four layers of 6 x 6
games, one row per row-player type and one column per column-player type:

- layer 1: both players' best outcomes off the diagonal (bits 0, 0) - contains
  the Prisoner's Dilemma, Chicken, Deadlock, Leader, Battle of the Sexes;
- layer 2: bits (0, 1): row player's best off the diagonal, column player's on it;
- layer 3: bits (1, 1): both on the diagonal - exactly the 36 games with an
  outcome best for both (Stag Hunt, Harmony, ...);
- layer 4: bits (1, 0).

The position is ``(layer, row, column)`` with row and column the players'
indices 1-6 in the table above; :attr:`RGPosition.code` writes it as three digits
(``"111"`` is the Prisoner's Dilemma, ``"311"`` the Stag Hunt). Swapping the
players maps ``(1, r, c) -> (1, c, r)``, ``(3, r, c) -> (3, c, r)`` and
``(2, r, c) <-> (4, c, r)``. The layer/row/column *structure* follows Robinson &
Goforth; the *numbering* is equishift's own, defined exactly above, and is not
claimed to coincide digit for digit with the book's tables.

Names of asymmetric games combine the two types (as Bruns 2015, "Names for
games", does): e.g. "Deadlock–Prisoner's Dilemma hybrid"; the pair is written in
table order so the name does not depend on which player is which, and the notes
say which player has which preferences.

Ties
----
A game in which a player has two equal payoffs is never forced into a strict
class: it is reported with family ``"tied"``, the ties it has, and its *nearest
strict classes* - every strict class obtained by breaking the ties (one payoff
nudged above the other), i.e. the strict games it lies between in the topology.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> c = classify(pd)
>>> c.name, c.family, c.rg_position.code, c.symmetric
("Prisoner's Dilemma", 'social dilemma', '111', True)
>>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]])
>>> classify(stag).name
'Stag Hunt'
>>> taxonomy_counts()["classes_up_to_player_swap"]
78
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeAlias

from .errors import GameError
from .normal_form import NormalFormGame

__all__ = [
    "TYPE_NAMES",
    "Classification",
    "OrdinalGame",
    "RGPosition",
    "all_strict_games",
    "canonical_form",
    "classify",
    "classify_ordinal",
    "ordinal_game",
    "oriented_form",
    "periodic_table",
    "strict_classes",
    "taxonomy_counts",
]

OrdinalGame: TypeAlias = tuple[tuple[tuple[int, int], tuple[int, int]], ...]
"""Ranks ``game[r][c] == (row player's rank, column player's rank)``, 4 = best."""

_View: TypeAlias = tuple[tuple[int, int], tuple[int, int]]

# Defining rank patterns of the 12 symmetric games as (R, S, T, P) ranks, in table order.
_PATTERNS: tuple[tuple[str, int, int, tuple[int, int, int, int]], ...] = (
    ("Prisoner's Dilemma", 0, 1, (3, 1, 4, 2)),
    ("Chicken", 0, 2, (3, 2, 4, 1)),
    ("Leader", 0, 3, (2, 3, 4, 1)),
    ("Battle of the Sexes (Hero)", 0, 4, (1, 3, 4, 2)),
    ("Compromise", 0, 5, (1, 2, 4, 3)),
    ("Deadlock", 0, 6, (2, 1, 4, 3)),
    ("Stag Hunt", 1, 1, (4, 1, 3, 2)),
    ("Harmony", 1, 2, (4, 2, 3, 1)),
    ("Concord", 1, 3, (4, 3, 2, 1)),
    ("Peace", 1, 4, (4, 3, 1, 2)),
    ("Coordination", 1, 5, (4, 2, 1, 3)),
    ("Assurance", 1, 6, (4, 1, 2, 3)),
)

TYPE_NAMES: tuple[str, ...] = tuple(p[0] for p in _PATTERNS)
"""Names of the 12 player types (= the 12 symmetric games), in table order."""

_LAYER_OF_BITS = {(0, 0): 1, (0, 1): 2, (1, 1): 3, (1, 0): 4}


@dataclass(frozen=True, order=True)
class RGPosition:
    """Position in the periodic table: layer 1-4, row (row player's type) and column 1-6.

    Examples
    --------
    >>> RGPosition(3, 1, 1).code
    '311'
    """

    layer: int
    row: int
    column: int

    @property
    def code(self) -> str:
        """Three digits ``layer row column``."""
        return f"{self.layer}{self.row}{self.column}"

    def swapped(self) -> RGPosition:
        """The position of the same game with the players swapped."""
        layer = {1: 1, 2: 4, 3: 3, 4: 2}[self.layer]
        return RGPosition(layer, self.column, self.row)


@dataclass(frozen=True)
class Classification:
    """The class of a 2x2 game.

    Attributes
    ----------
    name
        Class name ("Prisoner's Dilemma", "Deadlock–Prisoner's Dilemma hybrid",
        or "tied (between ...)"). Independent of strategy labels, affine
        transforms and the order of the players.
    family
        ``"win-win"`` (an outcome best for both), ``"social dilemma"`` (a unique
        pure equilibrium, Pareto-dominated), ``"unique equilibrium"`` (unique,
        Pareto-efficient), ``"coordination"`` (two pure equilibria, one better
        for both), ``"battle"`` (two pure equilibria, the players prefer
        different ones), ``"cyclic"`` (no pure equilibrium) or ``"tied"``.
    rg_position
        :class:`RGPosition` of a strict game (see the module docstring for the
        convention); ``None`` for games with ties.
    symmetric
        True when some relabelling of strategies makes the column player's ranks
        the transpose of the row player's.
    ordinal
        Ranks in the game's own labelling, ``ordinal[r][c] = (rank of row
        player, rank of column player)``; 4 = best, and a tied payoff gets
        1 + the number of that player's payoffs strictly below it.
    notes
        Plain-language remarks: each player's type, ties, how the name was made.
    conflict
        False when some outcome is (weakly, with ties) best for both players.
    row_type, column_type
        Each player's type name (strict games only).
    ties
        Descriptions of the ties, ``()`` for strict games.
    nearest
        For tied games, the names of the strict classes obtained by breaking the ties.
    """

    name: str
    family: str
    rg_position: RGPosition | None
    symmetric: bool
    ordinal: OrdinalGame
    notes: tuple[str, ...] = ()
    conflict: bool = True
    row_type: str | None = None
    column_type: str | None = None
    ties: tuple[str, ...] = ()
    nearest: tuple[str, ...] = ()

    @property
    def rg_id(self) -> str | None:
        """The Robinson–Goforth position as a three-digit code, or ``None`` with ties."""
        return None if self.rg_position is None else self.rg_position.code

    @property
    def strict(self) -> bool:
        """True when neither player has tied payoffs."""
        return not self.ties


# -- ordinal helpers -----------------------------------------------------------------------


def _ranks(values: Sequence[Any]) -> tuple[int, ...]:
    return tuple(1 + sum(1 for w in values if w < v) for v in values)


def ordinal_game(game: NormalFormGame) -> OrdinalGame:
    """The ranks of a 2x2 game, per cell ``(row rank, column rank)``, 4 = best.

    Raises
    ------
    GameError
        When the game is not a two-player game with two strategies each.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> ordinal_game(NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    (((3, 3), (1, 4)), ((4, 1), (2, 2)))
    """
    if game.n_players != 2 or game.shape != (2, 2):
        raise GameError(
            f"the 2x2 taxonomy needs a 2-player game with 2 strategies each; "
            f"this game has shape {game.shape}"
        )
    cells = [(r, c) for r in range(2) for c in range(2)]
    per_player = []
    for i in range(2):
        vals = [game.payoffs[r, c, i] for r, c in cells]
        if not game.is_exact:
            vals = [float(v) for v in vals]
        per_player.append(_ranks(vals))
    return _make(
        [[(per_player[0][2 * r + c], per_player[1][2 * r + c]) for c in range(2)] for r in range(2)]
    )


def _make(cells: Sequence[Sequence[tuple[int, int]]]) -> OrdinalGame:
    def cell(x: tuple[int, int]) -> tuple[int, int]:
        return (int(x[0]), int(x[1]))

    return tuple((cell(row[0]), cell(row[1])) for row in cells)


def _swap_rows(g: OrdinalGame) -> OrdinalGame:
    return (g[1], g[0])


def _swap_cols(g: OrdinalGame) -> OrdinalGame:
    return _make([(row[1], row[0]) for row in g])


def _swap_players(g: OrdinalGame) -> OrdinalGame:
    return _make([[(g[c][r][1], g[c][r][0]) for c in range(2)] for r in range(2)])


def _variants(g: OrdinalGame, swap_players: bool) -> list[OrdinalGame]:
    out = []
    bases = [g, _swap_players(g)] if swap_players else [g]
    for b in bases:
        for rows in (False, True):
            for cols in (False, True):
                h = b
                if rows:
                    h = _swap_rows(h)
                if cols:
                    h = _swap_cols(h)
                out.append(h)
    return out


def canonical_form(game: OrdinalGame, *, swap_players: bool = False) -> OrdinalGame:
    """The least equivalent ordinal game under row/column swaps (and player swap if asked).

    Examples
    --------
    >>> g = (((3, 3), (1, 4)), ((4, 1), (2, 2)))
    >>> canonical_form(g) == canonical_form((((2, 2), (4, 1)), ((1, 4), (3, 3))))
    True
    """
    return min(_variants(game, swap_players))


def _is_symmetric(g: OrdinalGame) -> bool:
    for h in _variants(g, False):
        if all(h[r][c][0] == h[c][r][1] for r in range(2) for c in range(2)):
            return True
    return False


def _orient(g: OrdinalGame) -> OrdinalGame:
    """Row player's 4 in column 2, then column player's 4 in row 2 (strict games)."""
    r4 = next((r, c) for r in range(2) for c in range(2) if g[r][c][0] == 4)
    if r4[1] != 1:
        g = _swap_cols(g)
    c4 = next((r, c) for r in range(2) for c in range(2) if g[r][c][1] == 4)
    if c4[0] != 1:
        g = _swap_rows(g)
    return g


def oriented_form(game: OrdinalGame) -> OrdinalGame:
    """The oriented form of a strict ordinal game (see "Orientation" above).

    Row player's 4 in the second column, column player's 4 in the second row.

    >>> oriented_form((((3, 3), (1, 4)), ((4, 1), (2, 2))))  # the Prisoner's Dilemma
    (((2, 2), (4, 1)), ((1, 4), (3, 3)))
    """
    if any(
        sorted(game[r][c][i] for r in range(2) for c in range(2)) != [1, 2, 3, 4] for i in range(2)
    ):
        raise GameError("oriented_form() needs strict ranks 1-4 for each player")
    return _orient(game)


def _views(g: OrdinalGame) -> tuple[_View, _View]:
    """Each player's own view of an oriented game (own strategies as rows)."""
    row: _View = ((g[0][0][0], g[0][1][0]), (g[1][0][0], g[1][1][0]))
    col: _View = ((g[0][0][1], g[1][0][1]), (g[0][1][1], g[1][1][1]))
    return row, col


@lru_cache(maxsize=1)
def _type_table() -> dict[_View, tuple[str, int, int]]:
    """Own view -> (name, bit, index), built by orienting each symmetric pattern."""
    table: dict[_View, tuple[str, int, int]] = {}
    for name, bit, index, (r, s, t, p) in _PATTERNS:
        sym = _make([[(r, r), (s, t)], [(t, s), (p, p)]])
        row_view, col_view = _views(_orient(sym))
        if row_view != col_view or row_view in table:  # pragma: no cover - definition check
            raise AssertionError(f"pattern of {name} does not define a distinct type")
        got_bit = 0 if row_view[0][1] == 4 else 1
        if got_bit != bit:  # pragma: no cover - definition check
            raise AssertionError(f"pattern of {name} has its 4 in the wrong place")
        table[row_view] = (name, bit, index)
    return table


def _pure_equilibria(g: OrdinalGame) -> list[tuple[int, int]]:
    out = []
    for r in range(2):
        for c in range(2):
            if g[r][c][0] >= g[1 - r][c][0] and g[r][c][1] >= g[r][1 - c][1]:
                out.append((r, c))
    return out


def _pareto_dominated(g: OrdinalGame, cell: tuple[int, int]) -> bool:
    u = g[cell[0]][cell[1]]
    for r in range(2):
        for c in range(2):
            v = g[r][c]
            if v[0] >= u[0] and v[1] >= u[1] and v != u:
                return True
    return False


def _family(g: OrdinalGame) -> str:
    if any(g[r][c] == (4, 4) for r in range(2) for c in range(2)):
        return "win-win"
    eqs = _pure_equilibria(g)
    if not eqs:
        return "cyclic"
    if len(eqs) == 1:
        return "social dilemma" if _pareto_dominated(g, eqs[0]) else "unique equilibrium"
    a, b = (g[r][c] for r, c in eqs)
    if (a[0] - b[0]) * (a[1] - b[1]) > 0:
        return "coordination"
    return "battle"


def _sort_key(type_name: str) -> int:
    return TYPE_NAMES.index(type_name)


@lru_cache(maxsize=4096)
def _classify_strict(g: OrdinalGame, labels: tuple[str, str]) -> Classification:
    table = _type_table()
    oriented = _orient(g)
    row_view, col_view = _views(oriented)
    rname, rbit, ridx = table[row_view]
    cname, cbit, cidx = table[col_view]
    pos = RGPosition(_LAYER_OF_BITS[(rbit, cbit)], ridx, cidx)
    symmetric = row_view == col_view
    notes = [f"{labels[0]} has {rname} preferences", f"{labels[1]} has {cname} preferences"]
    if symmetric:
        name = rname
    else:
        first, second = sorted((rname, cname), key=_sort_key)
        name = f"{first}–{second} hybrid"
    family = _family(g)
    return Classification(
        name=name,
        family=family,
        rg_position=pos,
        symmetric=symmetric,
        ordinal=g,
        notes=tuple(notes),
        conflict=family != "win-win",
        row_type=rname,
        column_type=cname,
    )


def _tie_groups(values: Sequence[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for k, v in enumerate(values):
        groups.setdefault(v, []).append(k)
    return [grp for grp in groups.values() if len(grp) > 1]


def _strict_completions(values: Sequence[int]) -> list[tuple[int, ...]]:
    """All strict rankings of four values that keep every strict comparison."""
    out = []
    for perm in itertools.permutations(range(1, 5)):
        if all((values[a] < values[b]) <= (perm[a] < perm[b]) for a in range(4) for b in range(4)):
            out.append(perm)
    return out


def classify_ordinal(
    game: OrdinalGame, *, players: tuple[str, str] = ("Player 1", "Player 2")
) -> Classification:
    """Classify a game given by its ranks (as :func:`ordinal_game` returns them).

    Any numbers work as ranks: only their order within each player counts.

    Examples
    --------
    >>> classify_ordinal((((4, 4), (1, 3)), ((3, 1), (2, 2)))).name
    'Stag Hunt'
    >>> c = classify_ordinal((((4, 4), (1, 2)), ((2, 1), (2, 2))))
    >>> c.family, c.nearest
    ('tied', ('Stag Hunt', 'Stag Hunt–Assurance hybrid', 'Assurance'))
    """
    cells = [(r, c) for r in range(2) for c in range(2)]
    ranks = [_ranks([game[r][c][i] for r, c in cells]) for i in range(2)]
    g = _make([[(ranks[0][2 * r + c], ranks[1][2 * r + c]) for c in range(2)] for r in range(2)])
    groups = [_tie_groups(ranks[i]) for i in range(2)]
    if not groups[0] and not groups[1]:
        return _classify_strict(g, players)
    ties = []
    for i in range(2):
        for grp in groups[i]:
            where = " = ".join(f"({cells[k][0] + 1},{cells[k][1] + 1})" for k in grp)
            ties.append(f"{players[i]}: equal payoffs at cells {where}")
    names = _nearest_names(ranks[0], ranks[1])
    tops = (max(ranks[0]), max(ranks[1]))
    win_win = any(g[r][c] == tops for r in range(2) for c in range(2))
    notes = (
        "ties are not broken: the game lies between the strict classes listed in `nearest`",
        *ties,
    )
    return Classification(
        name=_tied_name(names),
        family="tied",
        rg_position=None,
        symmetric=_is_symmetric(g),
        ordinal=g,
        notes=notes,
        conflict=not win_win,
        ties=tuple(ties),
        nearest=names,
    )


@lru_cache(maxsize=1024)
def _nearest_names(row: tuple[int, ...], col: tuple[int, ...]) -> tuple[str, ...]:
    """Names of the strict classes reached by breaking the ties in the two players' ranks."""
    nearest: dict[str, None] = {}
    for ra in _strict_completions(row):
        for rb in _strict_completions(col):
            h = _make([[(ra[2 * r + c], rb[2 * r + c]) for c in range(2)] for r in range(2)])
            nearest[_classify_strict(h, ("1", "2")).name] = None
    return tuple(sorted(nearest, key=_nearest_key))


def _tied_name(names: Sequence[str]) -> str:
    if len(names) == 1:
        return f"tied ({names[0]})"
    if len(names) <= 4:
        return f"tied (between {', '.join(names)})"
    return f"tied (between {len(names)} strict classes)"


def _nearest_key(name: str) -> tuple[int, ...]:
    parts = name.removesuffix(" hybrid").split("–")
    return tuple(_sort_key(p) for p in parts)


def classify(game: NormalFormGame) -> Classification:
    """Classify a 2x2 game by the ordinal ranks of each player's payoffs.

    Parameters
    ----------
    game
        A two-player game with two strategies each (exact or float payoffs; float
        payoffs are compared exactly as floats, so nearly equal values are distinct).

    Returns
    -------
    Classification
        Frozen. Strict games get a name, family and Robinson–Goforth position;
        games with ties are reported as tied, with their nearest strict classes.

    Raises
    ------
    GameError
        When the game is not 2x2.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> chicken = NormalFormGame.from_arrays([[3, 2], [4, -10]], [[3, 4], [2, -10]])
    >>> c = classify(chicken)
    >>> c.name, c.family, c.rg_id
    ('Chicken', 'battle', '122')
    >>> df = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 4], [0, 1]],
    ...                                 players=["DPRK", "US-ROK"])
    >>> classify(df).name
    "Prisoner's Dilemma"
    """
    labels = (game.players[0], game.players[1]) if game.n_players == 2 else ("1", "2")
    return classify_ordinal(ordinal_game(game), players=labels)


# -- enumeration ---------------------------------------------------------------------------


def all_strict_games() -> Iterator[OrdinalGame]:
    """All 576 strict ordinal 2x2 games, each player's ranks a permutation of 1-4.

    >>> sum(1 for _ in all_strict_games())
    576
    """
    for ra in itertools.permutations(range(1, 5)):
        for rb in itertools.permutations(range(1, 5)):
            yield _make([[(ra[2 * r + c], rb[2 * r + c]) for c in range(2)] for r in range(2)])


def strict_classes(*, swap_players: bool = False) -> tuple[OrdinalGame, ...]:
    """One canonical representative per class of strict games, sorted.

    Classes are up to row and column swaps (144), and also up to swapping the
    players when ``swap_players`` is true (78).

    >>> len(strict_classes()), len(strict_classes(swap_players=True))
    (144, 78)
    """
    return tuple(sorted({canonical_form(g, swap_players=swap_players) for g in all_strict_games()}))


def periodic_table() -> dict[RGPosition, Classification]:
    """The 144 strict classes by their :class:`RGPosition`, in layer, row, column order.

    Each entry's ``ordinal`` is the class's oriented form (:func:`oriented_form`).

    >>> table = periodic_table()
    >>> len(table), table[RGPosition(1, 6, 6)].name
    (144, 'Deadlock')
    """
    return dict(_periodic_table())


@lru_cache(maxsize=1)
def _periodic_table() -> tuple[tuple[RGPosition, Classification], ...]:
    out: dict[RGPosition, Classification] = {}
    for g in strict_classes():
        c = classify_ordinal(_orient(g))
        if c.rg_position is None or c.rg_position in out:  # pragma: no cover - invariant
            raise AssertionError("periodic table positions are not one-to-one")
        out[c.rg_position] = c
    return tuple(sorted(out.items()))


def taxonomy_counts() -> dict[str, int]:
    """Counts of strict ordinal 2x2 games, computed by enumeration.

    Keys: ``strict_games`` (576), ``classes`` (144, up to row/column swaps),
    ``classes_up_to_player_swap`` (78), ``no_conflict`` (21 of the 78 have an
    outcome best for both players), ``conflict`` (57), ``symmetric`` (12 of the 144).

    >>> taxonomy_counts()
    {'strict_games': 576, 'classes': 144, 'classes_up_to_player_swap': 78, 'no_conflict': 21, 'conflict': 57, 'symmetric': 12}
    """  # noqa: E501
    games = list(all_strict_games())
    classes = strict_classes()
    classes78 = strict_classes(swap_players=True)
    no_conflict = sum(
        1 for g in classes78 if any(g[r][c] == (4, 4) for r in range(2) for c in range(2))
    )
    return {
        "strict_games": len(games),
        "classes": len(classes),
        "classes_up_to_player_swap": len(classes78),
        "no_conflict": no_conflict,
        "conflict": len(classes78) - no_conflict,
        "symmetric": sum(1 for g in classes if _is_symmetric(g)),
    }
