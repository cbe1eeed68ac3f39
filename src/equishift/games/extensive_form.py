"""Finite games in extensive form: trees of decision, chance and terminal nodes.

An :class:`ExtensiveFormGame` is an immutable value. Its tree is stored as flat
arrays in *preorder* (a node's subtree is the contiguous index range
``[v, v + subtree_size[v])``), so solvers can sweep it bottom-up without
recursion. As in Gambit:

* every decision node belongs to an *information set* of one player; the nodes
  of an information set share its label and its (labelled) actions;
* chance nodes have actions with exact probabilities (``Fraction``) summing to 1;
* an *outcome* (a payoff vector) may sit on any node, inner nodes included; the
  payoff of a play is the sum of the outcomes along its path.

Build a game with :meth:`ExtensiveFormGame.build` from nested
:class:`Decision`, :class:`Chance` and :class:`Terminal` nodes, with
:meth:`ExtensiveFormGame.from_arrays` from flat per-node arrays (no Python
object per node: millions of nodes in about a second), or read a Gambit
``.efg`` file with :meth:`ExtensiveFormGame.from_file`.

Big trees stay cheap: information sets and outcomes are stored as columns and
their records (:class:`Infoset`, :class:`Outcome`) are only built when asked
for; solvers use :meth:`ExtensiveFormGame.infoset_columns`,
:meth:`ExtensiveFormGame.scaled_node_payoffs` (exact integers with a common
scale), :meth:`ExtensiveFormGame.level_order` and, for bottom-up sweeps,
:meth:`ExtensiveFormGame.inner_levels` and
:meth:`ExtensiveFormGame.scaled_level_payoffs` (computed once per game).

Examples
--------
>>> g = ExtensiveFormGame.build(
...     players=["Entrant", "Incumbent"],
...     root=Decision("Entrant", {
...         "Out": Terminal((0, 2)),
...         "In": Decision("Incumbent", {
...             "Fight": Terminal((-1, -1)),
...             "Accommodate": Terminal((1, 1)),
...         }),
...     }),
...     title="Entry deterrence")
>>> g
ExtensiveFormGame('Entry deterrence', players=('Entrant', 'Incumbent'), nodes=5, exact)
>>> g.is_perfect_information, g.has_perfect_recall
(True, True)
>>> [i.label for i in g.infosets[1]]
['Incumbent:1']
>>> rnf = g.reduced_normal_form()
>>> rnf.game.strategies
(('Out', 'In'), ('Fight', 'Accommodate'))
>>> rnf.game.payoff(("In", "Accommodate"))
(Fraction(1, 1), Fraction(1, 1))
"""

from __future__ import annotations

import contextlib
import copy
import gc
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .errors import GameError
from .normal_form import NormalFormGame
from .numbers import Number, to_number

__all__ = [
    "CHANCE",
    "DECISION",
    "DEFAULT_MAX_PROFILES",
    "TERMINAL",
    "Chance",
    "Decision",
    "ExtensiveFormGame",
    "Infoset",
    "InfosetColumns",
    "Node",
    "Outcome",
    "ReducedNormalForm",
    "Terminal",
    "TreeArrays",
    "TreeLevel",
]

TERMINAL = 0
"""Node kind of a terminal node (in :attr:`TreeArrays.kind`)."""
DECISION = 1
"""Node kind of a player's decision node."""
CHANCE = 2
"""Node kind of a chance node."""

_ONE = Fraction(1)

DEFAULT_MAX_PROFILES = 1_000_000
"""Default limit on the number of pure profiles of a reduced normal form."""


# ---------------------------------------------------------------------------------------------
# Builder nodes
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Terminal:
    """A leaf of a game tree.

    Parameters
    ----------
    payoffs
        One payoff per player (added to the outcomes met on the way), or
        ``None`` for a leaf without an outcome (all zeros).
    label
        Optional node label.
    outcome
        Optional outcome label (kept in ``.efg`` files).

    Examples
    --------
    >>> Terminal((1, "1/2")).payoffs
    (1, '1/2')
    """

    payoffs: Sequence[Any] | None = None
    label: str = ""
    outcome: str = ""


@dataclass(frozen=True, eq=False)
class Decision:
    """A decision node of ``player``: ``{action label: child node}`` in order.

    Parameters
    ----------
    player
        The player's label.
    actions
        Ordered mapping from action labels to child nodes.
    infoset
        Label of the information set. Decision nodes of the same player with
        the same ``infoset`` label form one information set (they must offer the
        same actions). ``None`` gives the node an information set of its own.
    label
        Optional node label.
    payoffs
        Optional outcome at this node; added to the payoff of every play through it.
    outcome
        Optional outcome label.

    Examples
    --------
    >>> d = Decision("Bob", {"L": Terminal((0, 0)), "R": Terminal((1, 1))}, infoset="B1")
    >>> list(d.actions)
    ['L', 'R']
    """

    player: str
    actions: Mapping[str, Node]
    infoset: str | None = None
    label: str = ""
    payoffs: Sequence[Any] | None = None
    outcome: str = ""


@dataclass(frozen=True, eq=False)
class Chance:
    """A chance node: ``{action label: (probability, child node)}`` in order.

    Probabilities must be exact (ints, ``Fraction`` or strings such as
    ``"1/3"`` or ``"0.25"``), non-negative, and sum to 1.

    Examples
    --------
    >>> c = Chance({"King": ("1/2", Terminal((1,))), "Queen": ("1/2", Terminal((0,)))})
    >>> [p for p, _ in c.actions.values()]
    ['1/2', '1/2']
    """

    actions: Mapping[str, tuple[Any, Node]]
    infoset: str | None = None
    label: str = ""
    payoffs: Sequence[Any] | None = None
    outcome: str = ""


Node: TypeAlias = Terminal | Decision | Chance
"""A node of a game tree given to :meth:`ExtensiveFormGame.build`."""


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """A payoff vector attached to nodes; ``label`` is kept for files."""

    label: str
    payoffs: tuple[Number, ...]


@dataclass(frozen=True)
class Infoset:
    """An information set of a player (or of chance).

    Attributes
    ----------
    player
        Index of the player, or ``-1`` for chance.
    index
        Index of the information set among its player's (0-based, order of
        first appearance in preorder).
    label
        Label unique among the player's information sets (generated as
        ``"<player>:<k>"`` when the file or the model gives none).
    actions
        Action labels, unique and non-empty (``"1"``, ``"2"``, ... when missing).
    probs
        Chance probabilities (exact), or ``None`` for a player's information set.
    members
        Node indices in the set, in preorder.
    file_label, file_actions
        The labels as given (possibly empty or repeated), used when writing files.
    """

    player: int
    index: int
    label: str
    actions: tuple[str, ...]
    probs: tuple[Fraction, ...] | None
    members: tuple[int, ...]
    file_label: str = ""
    file_actions: tuple[str, ...] = ()

    @property
    def n_actions(self) -> int:
        """Number of actions."""
        return len(self.actions)


@dataclass(frozen=True, eq=False)
class TreeArrays:
    """The tree as flat read-only arrays in preorder (node 0 is the root).

    Attributes
    ----------
    kind
        ``TERMINAL``, ``DECISION`` or ``CHANCE`` per node.
    parent
        Parent index (``-1`` for the root).
    action
        Index of the action at the parent leading to the node (``-1`` for the root).
    child_ptr, children
        Children of ``v`` are ``children[child_ptr[v]:child_ptr[v + 1]]``, in action order.
    depth, size
        Depth (root 0) and subtree size (the subtree of ``v`` is ``v .. v + size[v] - 1``).
    infoset
        Global information set id per node (index into ``ExtensiveFormGame.all_infosets``),
        ``-1`` for terminal nodes.
    player
        Player index of decision nodes, ``-1`` for chance nodes and ``-2`` for terminals.
    outcome
        Outcome index per node (into ``ExtensiveFormGame.outcomes``), ``-1`` when none.
    """

    kind: NDArray[np.int8]
    parent: NDArray[np.int64]
    action: NDArray[np.int64]
    child_ptr: NDArray[np.int64]
    children: NDArray[np.int64]
    depth: NDArray[np.int64]
    size: NDArray[np.int64]
    infoset: NDArray[np.int64]
    player: NDArray[np.int64]
    outcome: NDArray[np.int64]

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.kind.shape[0])


class InfosetColumns(NamedTuple):
    """Information sets as columns, indexed by global id (see :attr:`TreeArrays.infoset`).

    Attributes
    ----------
    player, local_index, n_actions
        Player (``-1`` for chance), index among the player's sets, number of actions.
    first_node, n_members
        First member node in preorder, and the number of member nodes.
    labels, actions, probs
        Labels, action labels, and chance probabilities (``None`` for players).
    file_labels, file_actions
        The labels as given (possibly empty or repeated), used when writing files.
    """

    player: NDArray[np.int64]
    local_index: NDArray[np.int64]
    n_actions: NDArray[np.int64]
    first_node: NDArray[np.int64]
    n_members: NDArray[np.int64]
    labels: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    probs: tuple[tuple[Fraction, ...] | None, ...]
    file_labels: tuple[str, ...]
    file_actions: tuple[tuple[str, ...], ...]


class TreeLevel(NamedTuple):
    """The inner nodes of one depth, as positions in :meth:`ExtensiveFormGame.level_order`.

    In level order the children of the inner nodes of depth ``d``, concatenated
    in order, are exactly the nodes of depth ``d + 1``: the range
    ``child_start:child_stop``. Node ``positions[k]`` has ``n_children[k]``
    children, starting at ``child_start + offsets[k]``.

    Attributes
    ----------
    depth
        The depth (root 0).
    start, stop
        Level-order range of all nodes of this depth (terminal nodes included).
    positions
        Level-order positions of the inner nodes, ascending.
    nodes
        Their node ids (preorder).
    n_children, offsets
        Number of children per inner node, and where its children start relative
        to ``child_start``.
    child_start, child_stop
        Level-order range of the children: every node of depth ``depth + 1``.
    mover
        The player moving at each inner node, ``-1`` for chance.
    all_inner
        Every node of this depth is inner (``positions`` is ``start .. stop - 1``).
    branching
        The common number of children of the inner nodes, or ``0`` when they differ.
    single_mover
        The player when every inner node is a decision node of that one player,
        else ``-1``.
    has_chance
        Some inner node of this depth is a chance node.
    """

    depth: int
    start: int
    stop: int
    positions: NDArray[np.int64]
    nodes: NDArray[np.int64]
    n_children: NDArray[np.int64]
    offsets: NDArray[np.int64]
    child_start: int
    child_stop: int
    mover: NDArray[np.int64]
    all_inner: bool
    branching: int
    single_mover: int
    has_chance: bool


class ReducedNormalForm(NamedTuple):
    """The reduced strategic form of a tree, with the map back to behaviour.

    Attributes
    ----------
    game
        The normal-form game; strategies in Gambit's order with readable labels
        (the action chosen at each of the player's information sets, joined by
        ``"; "``, ``"*"`` where the strategy's own earlier moves exclude the set).
    plans
        Per player, per strategy: the action index chosen at each of the player's
        information sets, ``None`` where the set cannot be reached.
    gambit_labels
        Gambit's labels: one character per information set, the 1-based action
        number or ``"*"`` (``"*"`` for a player without information sets).
    """

    game: NormalFormGame
    plans: tuple[tuple[tuple[int | None, ...], ...], ...]
    gambit_labels: tuple[tuple[str, ...], ...]

    def behavior_from_mixed(
        self, profile: Sequence[Sequence[Number]]
    ) -> tuple[tuple[tuple[Number, ...], ...], ...]:
        """Behaviour strategies realization-equivalent to a mixed profile (perfect recall).

        The probability of action ``a`` at information set ``h`` is the mass of
        the strategies that reach ``h`` and choose ``a``, divided by the mass of
        those that reach ``h``. At an information set the player's own mixed
        strategy never reaches (mass 0) the choice does not affect any payoff; it
        is then defined as **the first action with probability 1**.

        Examples
        --------
        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal((0,)),
        ...     "y": Decision("A", {"u": Terminal((1,)), "v": Terminal((2,))})}))
        >>> rnf = g.reduced_normal_form()
        >>> rnf.game.strategies
        (('x; *', 'y; u', 'y; v'),)
        >>> F = Fraction
        >>> rnf.behavior_from_mixed([[F(1, 2), 0, F(1, 2)]])
        (((Fraction(1, 2), Fraction(1, 2)), (Fraction(0, 1), Fraction(1, 1))),)
        """
        out: list[tuple[tuple[Number, ...], ...]] = []
        for i, plans in enumerate(self.plans):
            row = profile[i]
            n_h = len(plans[0]) if plans else 0
            sizes = _plan_sizes(plans, n_h)
            beh: list[tuple[Number, ...]] = []
            for h in range(n_h):
                k = sizes[h]
                mass: list[Number] = [Fraction(0)] * k
                for plan, p in zip(plans, row, strict=True):
                    a = plan[h]
                    if a is not None and p != 0:
                        mass[a] = mass[a] + p
                total = sum(mass, Fraction(0))
                if total == 0:
                    beh.append(tuple(Fraction(int(j == 0)) for j in range(k)))
                elif isinstance(total, Fraction) and all(isinstance(m, Fraction) for m in mass):
                    beh.append(tuple(Fraction(m) / total for m in mass))
                else:
                    beh.append(tuple(float(m) / float(total) for m in mass))
            out.append(tuple(beh))
        return tuple(out)

    def strategy_of(self, player: int, choices: Sequence[int]) -> int:
        """Index of the reduced strategy that agrees with a pure behaviour strategy.

        ``choices`` gives an action index for every information set of the player.
        """
        for k, plan in enumerate(self.plans[player]):
            if all(a is None or a == c for a, c in zip(plan, choices, strict=True)):
                return k
        raise GameError(f"no reduced strategy of player {player + 1} matches {list(choices)}")


def _plan_sizes(plans: Sequence[Sequence[int | None]], n_h: int) -> list[int]:
    sizes = [0] * n_h
    for plan in plans:
        for h, a in enumerate(plan):
            if a is not None and a + 1 > sizes[h]:
                sizes[h] = a + 1
    return sizes


# ---------------------------------------------------------------------------------------------
# Raw parts used by the constructor (builder and file reader produce these)
# ---------------------------------------------------------------------------------------------
@dataclass
class _RawInfoset:
    player: int  # -1 chance
    label: str
    actions: list[str]
    probs: list[Fraction] | None = None
    members: list[int] = field(default_factory=list)


@dataclass
class _RawTree:
    """Mutable scratch representation in preorder; validated by ExtensiveFormGame."""

    players: list[str]
    kind: list[int] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    action: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    infoset: list[int] = field(default_factory=list)
    outcome: list[int] = field(default_factory=list)
    n_children: list[int] = field(default_factory=list)
    infosets: list[_RawInfoset] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def add_node(self, kind: int, parent: int, action: int, label: str) -> int:
        v = len(self.kind)
        self.kind.append(kind)
        self.parent.append(parent)
        self.action.append(action)
        self.labels.append(label)
        self.infoset.append(-1)
        self.outcome.append(-1)
        self.n_children.append(0)
        return v


def _unique_labels(raw: Sequence[str], default: Any) -> tuple[str, ...]:
    """Non-empty unique labels.

    Empty labels become ``default(k)``; a label used several times becomes
    ``label_1``, ``label_2``, ... (as Gambit names repeated strategies).

    >>> _unique_labels(["a", "", "b", "b"], lambda k: f"#{k + 1}")
    ('a', '#2', 'b_1', 'b_2')
    """
    if len(set(raw)) == len(raw) and all(lab.strip() for lab in raw):
        return tuple(raw)  # the common case, kept fast for big trees
    if not any(lab.strip() for lab in raw):  # all generated (big trees read from files)
        gen = tuple(str(default(k)) for k in range(len(raw)))
        if len(set(gen)) == len(gen):
            return gen
    base = [lab if lab.strip() else str(default(k)) for k, lab in enumerate(raw)]
    counts: dict[str, int] = {}
    for lab in base:
        counts[lab] = counts.get(lab, 0) + 1
    seen_n: dict[str, int] = {}
    out: list[str] = []
    used: set[str] = set()
    for lab in base:
        cand = lab
        if counts[lab] > 1:
            seen_n[lab] = seen_n.get(lab, 0) + 1
            cand = f"{lab}_{seen_n[lab]}"
        while cand in used:
            cand += "'"
        used.add(cand)
        out.append(cand)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# The game
# ---------------------------------------------------------------------------------------------
class ExtensiveFormGame:
    """An N-player finite game in extensive form (immutable).

    Construct with :meth:`build` (nested :class:`Decision` / :class:`Chance` /
    :class:`Terminal` nodes) or :meth:`from_file` (Gambit ``.efg``); the
    constructor itself is internal.

    Examples
    --------
    A one-card poker game: chance deals, Alice sees her card, Bob does not.

    >>> def showdown(stake):
    ...     return Decision("Bob", {"Meet": Terminal((stake, -stake)),
    ...                             "Pass": Terminal((1, -1))}, infoset="Bob")
    >>> poker = ExtensiveFormGame.build(players=["Alice", "Bob"], root=Chance({
    ...     "King": ("1/2", Decision("Alice", {"Raise": showdown(2), "Fold": Terminal((1, -1))},
    ...                              infoset="has King")),
    ...     "Queen": ("1/2", Decision("Alice", {"Raise": showdown(-2),
    ...                                         "Fold": Terminal((-1, 1))},
    ...                               infoset="has Queen"))}))
    >>> poker.is_perfect_information, poker.has_perfect_recall
    (False, True)
    >>> [(h.label, len(h.members)) for h in poker.infosets[1]]
    [('Bob', 2)]
    >>> poker.reduced_normal_form().game.shape
    (4, 2)
    """

    __slots__ = (
        "_cache",
        "_comment",
        "_exact",
        "_file_players",
        "_g_actions",
        "_g_file_actions",
        "_g_file_labels",
        "_g_index",
        "_g_labels",
        "_g_player",
        "_g_probs",
        "_node_labels",
        "_outcome_list",
        "_players",
        "_provenance",
        "_scaled",
        "_title",
        "_tree",
    )
    _outcome_list: tuple[Outcome, ...] | None
    _scaled: tuple[NDArray[Any], int] | None

    def __init__(
        self,
        raw: _RawTree,
        *,
        title: str = "",
        comment: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        self._start(raw.players, len(raw.kind), title, comment, provenance)
        n = len(raw.kind)
        kind = np.asarray(raw.kind, dtype=np.int8)
        parent = np.asarray(raw.parent, dtype=np.int64)
        action = np.asarray(raw.action, dtype=np.int64)
        if n > 1 and (
            np.any(parent[1:] >= np.arange(1, n, dtype=np.int64)) or np.any(parent[1:] < 0)
        ):
            raise GameError("nodes are not in preorder (a parent after its child)")
        self._setup_tree(
            kind,
            parent,
            action,
            np.asarray(raw.n_children, dtype=np.int64),
            np.asarray(raw.infoset, dtype=np.int64),
            np.array([ri.player for ri in raw.infosets], dtype=np.int64),
            [ri.label for ri in raw.infosets],
            [ri.actions for ri in raw.infosets],
            [ri.probs for ri in raw.infosets],
            np.asarray(raw.outcome, dtype=np.int64),
        )
        # Outcomes.
        n_players = len(self._players)
        outcomes: list[Outcome] = []
        exact = True
        all_exact = {len(o.payoffs) for o in raw.outcomes} <= {n_players} and {
            type(p) for o in raw.outcomes for p in o.payoffs
        } <= {Fraction}
        if all_exact:  # already exact numbers (big files): nothing to convert
            outcomes = list(raw.outcomes)
        else:
            for o in raw.outcomes:
                if len(o.payoffs) != n_players:
                    raise GameError(
                        f"outcome {o.label!r} has {len(o.payoffs)} payoffs, expected {n_players}"
                    )
                vals = tuple(
                    p
                    if type(p) is Fraction
                    else to_number(p, what=f"payoff of {self._players[j]} in outcome {o.label!r}")
                    for j, p in enumerate(o.payoffs)
                )
                exact = exact and all(isinstance(v, Fraction) for v in vals)
                outcomes.append(o if vals == o.payoffs else Outcome(o.label, vals))
        self._outcome_list = tuple(outcomes)
        self._exact = exact
        self._node_labels = tuple(raw.labels)

    def _start(
        self,
        players: Sequence[str],
        n: int,
        title: str,
        comment: str,
        provenance: Sequence[str],
    ) -> None:
        if len(players) == 0:
            raise GameError("an extensive-form game needs at least one player")
        if n == 0:
            raise GameError("the game tree has no nodes")
        self._file_players = tuple(players)
        self._players = _unique_labels(list(players), lambda k: f"Player {k + 1}")
        self._title = str(title)
        self._comment = str(comment)
        self._provenance = tuple(provenance)
        self._cache: dict[str, Any] = {}
        self._outcome_list = None
        self._scaled = None

    def _setup_tree(
        self,
        kind: NDArray[np.int8],
        parent: NDArray[np.int64],
        action: NDArray[np.int64],
        nchild: NDArray[np.int64],
        node_iset: NDArray[np.int64],
        iset_player: NDArray[np.int64],
        iset_labels: Sequence[str],
        iset_actions: Sequence[Sequence[str]],
        iset_probs: Sequence[Sequence[Any] | None],
        outcome: NDArray[np.int64],
        depth_size: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
    ) -> None:
        """Validate a tree in preorder and store it with its information sets as columns.

        ``node_iset`` holds ids into the ``iset_*`` columns (``-1`` for terminal
        nodes); ids no node uses are dropped. Information sets are renumbered per
        player in order of first appearance, chance last.
        """
        n = int(kind.shape[0])
        m = len(self._players)
        child_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(nchild, out=child_ptr[1:])
        children = np.empty(int(child_ptr[-1]), dtype=np.int64)
        nonroot = np.arange(1, n, dtype=np.int64)
        term = kind == TERMINAL
        bad = np.flatnonzero(term & ((node_iset >= 0) | (nchild != 0)))
        if bad.size:
            raise GameError(f"terminal node {int(bad[0])} has an information set or children")
        bad = np.flatnonzero(~term & (node_iset < 0))
        if bad.size:
            raise GameError(f"node {int(bad[0])} has children but no information set")
        if n > 1:
            children[child_ptr[parent[1:]] + action[1:]] = nonroot
        if depth_size is not None:
            depth, size = depth_size
        else:
            depth = _depths(parent)
            size = np.ones(n, dtype=np.int64)
            if n > 1:
                by_depth = np.argsort(-depth[1:], kind="stable") + 1
                cuts = np.flatnonzero(np.diff(depth[by_depth])) + 1
                for nodes in np.split(by_depth, cuts):  # deepest level first
                    size += np.bincount(parent[nodes], weights=size[nodes], minlength=n).astype(
                        np.int64
                    )

        # Information sets: per player, in order of first appearance in preorder.
        inner = np.flatnonzero(~term)
        used, first = np.unique(node_iset[inner], return_index=True)
        used = used[np.argsort(first, kind="stable")]
        who_of = iset_player[used]
        bad = np.flatnonzero((who_of < -1) | (who_of >= m))
        if bad.size:
            raise GameError(f"information set names player {int(who_of[bad[0]]) + 1} of {m}")
        group = np.where(who_of < 0, m, who_of)
        gorder = np.argsort(group, kind="stable")
        g_raw = used[gorder]  # raw id of each global information set
        g_group = group[gorder]
        starts = np.searchsorted(g_group, np.arange(m + 2))
        g_index = np.arange(len(g_raw), dtype=np.int64) - starts[g_group]
        g_player = np.where(g_group == m, -1, g_group).astype(np.int64)
        g_raw_list = g_raw.tolist()
        file_labels = [iset_labels[h] for h in g_raw_list]
        file_actions = [
            fa if type(fa) is tuple else tuple(fa)
            for fa in map(iset_actions.__getitem__, g_raw_list)
        ]
        labels: list[str] = []
        for i in range(m + 1):
            who = "Chance" if i == m else self._players[i]
            part = file_labels[starts[i] : starts[i + 1]]
            if any(part):
                labels.extend(_unique_labels(part, lambda k, who=who: f"{who}:{k + 1}"))
            else:  # all generated: unique by construction
                labels.extend([f"{who}:{k}" for k in range(1, len(part) + 1)])
        act_memo: dict[tuple[str, ...], tuple[str, ...]] = {}
        for fa in set(file_actions):
            if not fa:
                g = file_actions.index(fa)
                who = "Chance" if g_player[g] < 0 else self._players[int(g_player[g])]
                raise GameError(f"information set {labels[g]!r} of {who} has no actions")
            act_memo[fa] = _unique_labels(list(fa), lambda j: str(j + 1))
        actions = [act_memo[fa] for fa in file_actions]
        prob_memo: dict[tuple[Any, ...], tuple[Fraction, ...]] = {}
        probs: list[tuple[Fraction, ...] | None] = [None] * int(starts[m])
        for g in range(int(starts[m]), len(g_raw_list)):
            given = iset_probs[g_raw_list[g]]
            key = (len(actions[g]), *given) if given is not None else None
            checked = prob_memo.get(key) if key is not None else None
            if checked is None:
                checked = _check_probs(given, actions[g], labels[g])
                if key is not None:
                    prob_memo[key] = checked
            probs.append(checked)
        remap = np.full(len(iset_player) + 1, -1, dtype=np.int64)
        remap[g_raw] = np.arange(len(g_raw), dtype=np.int64)
        node_infoset = remap[node_iset]  # -1 stays -1 (last entry)
        g_nact = np.array([len(a) for a in actions] + [0], dtype=np.int64)
        player_of_node = np.append(g_player, -2)[node_infoset]
        bad = np.flatnonzero((kind == CHANCE) != (player_of_node == -1))
        if bad.size:
            raise GameError(f"node {int(bad[0])}: chance and player nodes cannot share an infoset")
        bad = np.flatnonzero(~term & (nchild != g_nact[node_infoset]))
        if bad.size:
            v = int(bad[0])
            g = int(node_infoset[v])
            raise GameError(
                f"node {v} has {int(nchild[v])} children but its information set "
                f"{labels[g]!r} has {int(g_nact[g])} actions"
            )
        self._g_player = g_player
        self._g_index = g_index
        self._g_labels = tuple(labels)
        self._g_actions = tuple(actions)
        self._g_probs = tuple(probs)
        self._g_file_labels = tuple(file_labels)
        self._g_file_actions = tuple(file_actions)
        arrays = TreeArrays(
            kind=kind,
            parent=parent,
            action=action,
            child_ptr=child_ptr,
            children=children,
            depth=depth,
            size=size,
            infoset=node_infoset,
            player=player_of_node,
            outcome=outcome,
        )
        for arr in vars(arrays).values():
            arr.flags.writeable = False
        self._tree = arrays

    @property
    def _infosets(self) -> tuple[Infoset, ...]:
        """Information set records, built on first use (big trees may never need them)."""
        cached = self._cache.get("infosets")
        if cached is None:
            t = self._tree
            order = np.argsort(t.infoset, kind="stable")
            counts = np.bincount(t.infoset + 1, minlength=len(self._g_labels) + 1)
            bounds = np.cumsum(counts).tolist()
            members = order.tolist()
            cached = tuple(
                Infoset(
                    player=p,
                    index=k,
                    label=lab,
                    actions=acts,
                    probs=pr,
                    members=tuple(members[bounds[g] : bounds[g + 1]]),
                    file_label=flab,
                    file_actions=facts,
                )
                for g, (p, k, lab, acts, pr, flab, facts) in enumerate(
                    zip(
                        self._g_player.tolist(),
                        self._g_index.tolist(),
                        self._g_labels,
                        self._g_actions,
                        self._g_probs,
                        self._g_file_labels,
                        self._g_file_actions,
                        strict=True,
                    )
                )
            )
            self._cache["infosets"] = cached
        result: tuple[Infoset, ...] = cached
        return result

    @property
    def _player_infosets(self) -> tuple[tuple[Infoset, ...], ...]:
        cached = self._cache.get("player_infosets")
        if cached is None:
            infos = self._infosets
            bounds = np.searchsorted(
                np.where(self._g_player < 0, self.n_players, self._g_player),
                np.arange(self.n_players + 2),
            ).tolist()
            cached = tuple(infos[bounds[i] : bounds[i + 1]] for i in range(self.n_players + 1))
            self._cache["player_infosets"] = cached
        result: tuple[tuple[Infoset, ...], ...] = cached
        return result

    @property
    def _outcomes(self) -> tuple[Outcome, ...]:
        if self._outcome_list is None:
            values, scale = self.scaled_outcome_payoffs()
            labels = self._cache.get("outcome_labels")
            if self._exact:
                rows = [tuple(Fraction(x, scale) for x in row) for row in values.tolist()]
            else:
                rows = [tuple(row) for row in values.tolist()]
            self._outcome_list = tuple(
                Outcome("" if labels is None else labels[k], row) for k, row in enumerate(rows)
            )
        return self._outcome_list

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        *,
        players: Sequence[str],
        root: Node,
        title: str = "",
        comment: str = "",
    ) -> ExtensiveFormGame:
        """Build a game from nested :class:`Decision`, :class:`Chance` and :class:`Terminal` nodes.

        Parameters
        ----------
        players
            Player labels; :class:`Decision` nodes name their player by label.
        root
            The root node.
        title, comment
            Descriptions (kept in ``.efg`` files).

        Raises
        ------
        GameError
            For an unknown player, information sets whose nodes offer different
            actions, probabilities that are not exact, negative, or do not sum to
            1, or payoff vectors of the wrong length.

        Examples
        --------
        Two nodes of Bob in one information set (he does not see Ann's move):

        >>> bob = lambda a, b: Decision("Bob", {"l": Terminal(a), "r": Terminal(b)},
        ...                             infoset="Bob")
        >>> g = ExtensiveFormGame.build(players=["Ann", "Bob"], root=Decision("Ann", {
        ...     "L": bob((3, 1), (0, 0)), "R": bob((0, 0), (1, 3))}))
        >>> g.is_perfect_information, g.n_nodes
        (False, 7)
        >>> ExtensiveFormGame.build(players=["Ann"], root=Chance(
        ...     {"a": ("1/2", Terminal((1,))), "b": ("1/3", Terminal((0,)))}))
        Traceback (most recent call last):
        ...
        equishift.games.errors.GameError: chance probabilities at information set 'Chance:1' \
sum to 5/6, expected 1
        """
        with gc_paused():
            return cls._build(players, root, title, comment)

    @classmethod
    def _build(
        cls, players: Sequence[str], root: Node, title: str, comment: str
    ) -> ExtensiveFormGame:
        labels = list(players)
        for lab in labels:
            if not isinstance(lab, str) or not lab.strip():
                raise GameError(f"player label {lab!r} must be a non-empty string")
        if len(set(labels)) != len(labels):
            raise GameError(f"duplicate player labels in {labels}")
        pindex = {lab: i for i, lab in enumerate(labels)}
        n_players = len(labels)
        raw = _RawTree(players=labels)
        infoset_keys: dict[tuple[int, str], int] = {}

        def add_outcome(payoffs: Sequence[Any] | None, olabel: str, where: _Where) -> int:
            if payoffs is None:
                return -1
            if isinstance(payoffs, str | bytes) or not isinstance(payoffs, Sequence):
                raise GameError(f"payoffs at {where} must be a sequence, got {payoffs!r}")
            if len(payoffs) != n_players:
                raise GameError(
                    f"payoffs at {where} have {len(payoffs)} entries, expected {n_players} "
                    "(one per player)"
                )
            vals = tuple(
                Fraction(p)
                if type(p) is int
                else to_number(p, what=f"payoff of {labels[j]} at {where}")
                for j, p in enumerate(payoffs)
            )
            raw.outcomes.append(Outcome(olabel, vals))
            return len(raw.outcomes) - 1

        # Iterative preorder walk: (node, parent index, action index, path description).
        stack: list[tuple[Any, int, int, _Where]] = [(root, -1, -1, _Where(None, ""))]
        while stack:
            node, par, act, where = stack.pop()
            if isinstance(node, Terminal):
                v = raw.add_node(TERMINAL, par, act, node.label)
                raw.outcome[v] = add_outcome(node.payoffs, node.outcome, where)
            elif isinstance(node, Decision):
                if node.player not in pindex:
                    raise GameError(
                        f"decision node at {where} names player {node.player!r}; "
                        f"expected one of {labels}"
                    )
                i = pindex[node.player]
                acts = list(node.actions)
                if not acts:
                    raise GameError(f"decision node at {where} has no actions")
                v = raw.add_node(DECISION, par, act, node.label)
                raw.outcome[v] = add_outcome(node.payoffs, node.outcome, where)
                if node.infoset is None:
                    h = len(raw.infosets)
                    raw.infosets.append(_RawInfoset(i, "", [str(a) for a in acts]))
                else:
                    key = (i, str(node.infoset))
                    if key not in infoset_keys:
                        infoset_keys[key] = len(raw.infosets)
                        raw.infosets.append(
                            _RawInfoset(i, str(node.infoset), [str(a) for a in acts])
                        )
                    h = infoset_keys[key]
                    if raw.infosets[h].actions != [str(a) for a in acts]:
                        raise GameError(
                            f"information set {node.infoset!r} of {node.player}: node at {where} "
                            f"offers actions {acts}, another node offers {raw.infosets[h].actions}"
                        )
                raw.infoset[v] = h
                raw.infosets[h].members.append(v)
                raw.n_children[v] = len(acts)
                for k in reversed(range(len(acts))):
                    stack.append((node.actions[acts[k]], v, k, _Where(where, acts[k])))
            elif isinstance(node, Chance):
                acts = list(node.actions)
                if not acts:
                    raise GameError(f"chance node at {where} has no actions")
                probs: list[Fraction] = []
                kids: list[Any] = []
                for a in acts:
                    entry = node.actions[a]
                    if not isinstance(entry, tuple) or len(entry) != 2:
                        raise GameError(
                            f"chance action {a!r} at {where} must be (probability, node)"
                        )
                    probs.append(_exact_prob(entry[0], f"probability of {a!r} at {where}"))
                    kids.append(entry[1])
                v = raw.add_node(CHANCE, par, act, node.label)
                raw.outcome[v] = add_outcome(node.payoffs, node.outcome, where)
                ckey = (-1, str(node.infoset)) if node.infoset is not None else None
                if ckey is not None and ckey in infoset_keys:
                    h = infoset_keys[ckey]
                    old = raw.infosets[h]
                    if old.actions != [str(a) for a in acts] or old.probs != probs:
                        raise GameError(
                            f"chance information set {node.infoset!r}: node at {where} has "
                            "other actions or probabilities than another node of the set"
                        )
                else:
                    h = len(raw.infosets)
                    raw.infosets.append(
                        _RawInfoset(
                            -1, "" if ckey is None else ckey[1], [str(a) for a in acts], probs
                        )
                    )
                    if ckey is not None:
                        infoset_keys[ckey] = h
                raw.infoset[v] = h
                raw.infosets[h].members.append(v)
                raw.n_children[v] = len(acts)
                for k in reversed(range(len(acts))):
                    stack.append((kids[k], v, k, _Where(where, acts[k])))
            else:
                raise GameError(
                    f"node at {where} is {type(node).__name__}; expected Decision, Chance "
                    "or Terminal"
                )
        return cls(raw, title=title, comment=comment)

    @classmethod
    def from_arrays(
        cls,
        *,
        players: Sequence[str],
        parent: Any,
        player: Any,
        payoffs: Any,
        action: Any = None,
        infoset: Any = None,
        probs: Any = None,
        action_labels: Sequence[str] | None = None,
        title: str = "",
        comment: str = "",
    ) -> ExtensiveFormGame:
        """Build a game from flat per-node arrays, without a Python object per node.

        Nodes may come in any order (the game renumbers them in preorder); all
        validation is vectorised, so trees with millions of nodes build in
        about a second.

        Parameters
        ----------
        players
            Player labels.
        parent
            Parent index of every node; ``-1`` for the root (exactly one). A node
            without children is terminal.
        player
            For nodes with children: the index of the player who moves, or ``-1``
            for a chance node. Ignored for terminal nodes.
        payoffs
            Array ``(n_nodes, n_players)``: integers (exact), floats (a float game)
            or objects (``Fraction``, ints, strings such as ``"1/3"``). Every terminal
            node gets its row as outcome; an inner node gets one where its row is
            not all zero (the payoff of a play is the sum along its path).
        action
            Index of the action at the parent that leads to each node; the
            children of a node must be numbered ``0 .. k-1``. By default children
            are ordered by node index.
        infoset
            Information-set key per node: nodes with the same key ``>= 0`` share an
            information set (same player, same number of actions, same action
            labels, same probabilities). ``-1`` (the default for every node) gives
            a node a set of its own.
        probs
            Exact probability of the edge into each node whose parent is a chance
            node (``Fraction``, int or string; other entries are ignored).
        action_labels
            Label of the action leading into each node (the root's is ignored);
            by default ``"1"``, ``"2"``, ...
        title, comment
            Descriptions (kept in ``.efg`` files).

        Raises
        ------
        GameError
            For a malformed tree (no single root, a cycle, out-of-range
            indices, bad action numbers), inconsistent information sets,
            probabilities that are not exact or do not sum to 1, or a payoff array
            of the wrong shape.

        Examples
        --------
        The entry game (node 0 the root; 1 and 3, 4 terminal):

        >>> g = ExtensiveFormGame.from_arrays(
        ...     players=["Entrant", "Incumbent"],
        ...     parent=[-1, 0, 0, 2, 2],
        ...     player=[0, -2, 1, -2, -2],
        ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]],
        ...     action_labels=["", "Out", "In", "Fight", "Accommodate"])
        >>> g.terminal_payoffs()[4]
        (Fraction(1, 1), Fraction(1, 1))
        >>> [h.actions for h in g.infosets[1]]
        [('Fight', 'Accommodate')]
        >>> ExtensiveFormGame.from_arrays(players=["A"], parent=[-1, 0, 5], player=[0, 0, 0],
        ...                               payoffs=[[0], [1], [2]])
        Traceback (most recent call last):
        ...
        equishift.games.errors.GameError: parent[2] = 5 is not a node index (0 to 2) or -1
        """
        with gc_paused():
            return cls._from_arrays(
                players,
                parent,
                player,
                payoffs,
                action,
                infoset,
                probs,
                action_labels,
                title,
                comment,
            )

    @classmethod
    def _from_arrays(
        cls,
        players: Sequence[str],
        parent_in: Any,
        player_in: Any,
        payoffs_in: Any,
        action_in: Any,
        infoset_in: Any,
        probs_in: Any,
        action_labels: Sequence[str] | None,
        title: str,
        comment: str,
    ) -> ExtensiveFormGame:
        labels = _check_players(players)
        m = len(labels)
        parent = _int_array(parent_in, "parent")
        n = int(parent.shape[0])
        if n == 0:
            raise GameError("the game tree has no nodes")
        bad = np.flatnonzero((parent < -1) | (parent >= n))
        if bad.size:
            v = int(bad[0])
            raise GameError(
                f"parent[{v}] = {int(parent[v])} is not a node index (0 to {n - 1}) or -1"
            )
        roots = np.flatnonzero(parent == -1)
        if roots.size != 1:
            raise GameError(f"expected exactly one root (parent -1), found {roots.size}")
        who = _int_array(player_in, "player", n)
        edges = np.flatnonzero(parent >= 0)
        nchild = np.bincount(parent[edges], minlength=n).astype(np.int64)
        inner = nchild > 0
        bad = np.flatnonzero(inner & ((who < -1) | (who >= m)))
        if bad.size:
            v = int(bad[0])
            raise GameError(
                f"node {v} has children but player[{v}] = {int(who[v])} is neither a player "
                f"index (0 to {m - 1}) nor -1 (chance)"
            )
        # Children in action order: sort the edges by (parent, action).
        if action_in is None:
            srt = edges[np.lexsort((edges, parent[edges]))]
        else:
            act = _int_array(action_in, "action", n)
            srt = edges[np.lexsort((act[edges], parent[edges]))]
        par_s = parent[srt]
        rank = np.arange(srt.size, dtype=np.int64) - np.searchsorted(par_s, par_s)
        if action_in is not None:
            bad = np.flatnonzero(act[srt] != rank)
            if bad.size:
                p = int(par_s[bad[0]])
                got = sorted(act[srt[par_s == p]].tolist())
                raise GameError(
                    f"the children of node {p} have actions {got}; expected 0 to "
                    f"{int(nchild[p]) - 1}, each once"
                )
        depth = _depths(parent)  # also rejects cycles
        size = np.ones(n, dtype=np.int64)
        order_d = np.argsort(-depth[edges], kind="stable")
        by_depth = edges[order_d]
        cuts = np.flatnonzero(np.diff(depth[by_depth])) + 1
        for nodes in np.split(by_depth, cuts):  # deepest level first
            size += np.bincount(parent[nodes], weights=size[nodes], minlength=n).astype(np.int64)
        # Preorder position: parent's + 1 + sizes of the earlier siblings.
        csum = np.cumsum(size[srt]) - size[srt]
        first_of_group = np.searchsorted(par_s, par_s)
        weight = np.zeros(n, dtype=np.int64)
        weight[srt] = 1 + csum - csum[first_of_group]
        pos = _path_sums(parent, weight)
        order = np.empty(n, dtype=np.int64)
        order[pos] = np.arange(n, dtype=np.int64)  # order[k]: given node at preorder k
        action = np.full(n, -1, dtype=np.int64)
        action[srt] = rank
        p_parent = np.where(parent[order] >= 0, pos[np.maximum(parent[order], 0)], -1)
        p_action = action[order]
        p_nchild = nchild[order]
        p_inner = inner[order]
        p_who = np.where(p_inner, who[order], -2)
        kind = np.where(~p_inner, TERMINAL, np.where(p_who >= 0, DECISION, CHANCE)).astype(np.int8)
        inner_nodes = np.flatnonzero(p_inner)
        # Information sets (raw ids in preorder of first member).
        node_iset = np.full(n, -1, dtype=np.int64)
        if infoset_in is None:
            node_iset[inner_nodes] = np.arange(inner_nodes.size, dtype=np.int64)
            n_raw = int(inner_nodes.size)
        else:
            keys = _int_array(infoset_in, "infoset", n)[order][inner_nodes]
            shared = keys >= 0
            uniq, inv = np.unique(keys[shared], return_inverse=True)
            ids = np.empty(inner_nodes.size, dtype=np.int64)
            ids[shared] = inv.reshape(-1)
            ids[~shared] = uniq.size + np.arange(int(np.count_nonzero(~shared)), dtype=np.int64)
            node_iset[inner_nodes] = ids
            n_raw = int(uniq.size) + int(np.count_nonzero(~shared))
            for what, col in (("player", p_who), ("number of children", p_nchild)):
                lo = np.full(n_raw, np.iinfo(np.int64).max, dtype=np.int64)
                hi = np.full(n_raw, np.iinfo(np.int64).min, dtype=np.int64)
                np.minimum.at(lo, ids, col[inner_nodes])
                np.maximum.at(hi, ids, col[inner_nodes])
                bad = np.flatnonzero(lo != hi)
                if bad.size:
                    raise GameError(
                        f"information set key {int(uniq[bad[0]])}: its nodes differ in "
                        f"{what} (chance and player nodes cannot share a set either)"
                    )
        if infoset_in is None:
            first_member = inner_nodes
        else:
            _, first_at = np.unique(node_iset[inner_nodes], return_index=True)
            first_member = inner_nodes[first_at]
        iset_player = p_who[first_member]
        # Children of each node in preorder, for labels and probabilities.
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(p_nchild, out=ptr[1:])
        kids = np.empty(int(ptr[-1]), dtype=np.int64)
        nonroot = np.arange(1, n, dtype=np.int64)
        kids[ptr[p_parent[1:]] + p_action[1:]] = nonroot
        ptr_l = ptr.tolist()
        multi = np.bincount(node_iset[inner_nodes], minlength=n_raw) > 1
        multi_nodes = inner_nodes[multi[node_iset[inner_nodes]]].tolist()
        first_list = first_member.tolist()
        iset_actions: list[Sequence[str]]
        if action_labels is None:
            ks = p_nchild[first_member]
            by_k = {k: tuple(str(j + 1) for j in range(k)) for k in np.unique(ks).tolist()}
            iset_actions = list(map(by_k.__getitem__, ks.tolist()))
        else:
            if len(action_labels) != n:
                raise GameError(f"action_labels has {len(action_labels)} entries, expected {n}")
            given = order[kids].tolist()
            edge_lab = [str(action_labels[c]) for c in given]
            iset_actions = [tuple(edge_lab[ptr_l[v] : ptr_l[v + 1]]) for v in first_list]
            for v in multi_nodes:
                h = int(node_iset[v])
                if tuple(edge_lab[ptr_l[v] : ptr_l[v + 1]]) != iset_actions[h]:
                    raise GameError(
                        f"node {int(order[v])} offers actions "
                        f"{list(edge_lab[ptr_l[v] : ptr_l[v + 1]])}, another node of its "
                        f"information set offers {list(iset_actions[h])}"
                    )
        iset_probs: list[tuple[Fraction, ...] | None] = [None] * n_raw
        chance_nodes = np.flatnonzero(kind == CHANCE)
        if chance_nodes.size:
            if probs_in is None:
                raise GameError("the tree has chance nodes: give probs for their children")
            if len(probs_in) != n:
                raise GameError(f"probs has {len(probs_in)} entries, expected {n}")
            memo: dict[Any, Fraction] = {}

            def edge_prob(c: int) -> Fraction:
                value = probs_in[c]
                key = (type(value), value)
                p = memo.get(key)
                if p is None:
                    p = memo[key] = _exact_prob(value, f"probability of the edge into node {c}")
                return p

            first_set = set(first_list)
            for v in chance_nodes.tolist():
                row = tuple(edge_prob(int(order[c])) for c in kids[ptr_l[v] : ptr_l[v + 1]])
                h = int(node_iset[v])
                if v in first_set:
                    iset_probs[h] = row
                elif row != iset_probs[h]:
                    raise GameError(
                        f"chance node {int(order[v])} has other probabilities than another "
                        "node of its information set"
                    )
        # Payoffs.
        pay, scale, exact = _payoff_array(payoffs_in, n, m, labels)
        pay = pay[order]
        nonzero = (
            np.any(pay != 0, axis=1)
            if pay.dtype != object
            else np.array([any(x != 0 for x in row) for row in pay.tolist()], dtype=bool)
        )
        has = ~p_inner | nonzero
        outcome = np.where(has, np.cumsum(has) - 1, -1).astype(np.int64)
        game = cls.__new__(cls)
        game._start(labels, n, title, comment, ("built from arrays",))
        game._setup_tree(
            kind,
            p_parent.astype(np.int64),
            p_action,
            p_nchild,
            node_iset,
            iset_player,
            [""] * n_raw,
            iset_actions,
            iset_probs,
            outcome,
            (depth[order], size[order]),
        )
        values = pay[has]
        values.flags.writeable = False
        game._scaled = (values, scale)
        game._exact = exact
        game._node_labels = ("",) * n
        return game

    @classmethod
    def from_file(cls, path: str | Path) -> ExtensiveFormGame:
        """Read a game from a Gambit ``.efg`` file.

        Raises
        ------
        FormatError
            Naming the file, the line and what was expected.
        """
        from .formats.gambit import read_efg

        return read_efg(path)

    # -- accessors --------------------------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        """Player labels (unique, non-empty; generated where a file gives none)."""
        return self._players

    @property
    def file_players(self) -> tuple[str, ...]:
        """Player labels as given (possibly empty), used when writing files."""
        return self._file_players

    @property
    def n_players(self) -> int:
        """Number of players (chance not counted)."""
        return len(self._players)

    @property
    def title(self) -> str:
        """A short description of the game."""
        return self._title

    @property
    def comment(self) -> str:
        """A longer comment (the second line of an ``.efg`` file)."""
        return self._comment

    @property
    def provenance(self) -> tuple[str, ...]:
        """What produced this game (file read, transforms applied), oldest first."""
        return self._provenance

    def with_provenance(self, *notes: str) -> ExtensiveFormGame:
        """The same game with ``notes`` appended to its provenance (a new value).

        >>> g = ExtensiveFormGame.build(players=["A"], root=Terminal((1,)))
        >>> g.with_provenance("made by hand").provenance
        ('made by hand',)
        >>> g.provenance
        ()
        """
        out = copy.copy(self)
        out._provenance = (*self._provenance, *notes)
        return out

    @property
    def is_exact(self) -> bool:
        """True when every payoff is a ``Fraction`` (probabilities are always exact)."""
        return self._exact

    @property
    def tree(self) -> TreeArrays:
        """The tree as flat read-only arrays (for solvers)."""
        return self._tree

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return self._tree.n_nodes

    @property
    def n_terminal_nodes(self) -> int:
        """Number of terminal nodes."""
        return int(np.count_nonzero(self._tree.kind == TERMINAL))

    @property
    def infosets(self) -> tuple[tuple[Infoset, ...], ...]:
        """Per player, their information sets (order of first appearance in preorder)."""
        return self._player_infosets[:-1]

    @property
    def chance_infosets(self) -> tuple[Infoset, ...]:
        """Information sets of chance."""
        return self._player_infosets[-1]

    @property
    def all_infosets(self) -> tuple[Infoset, ...]:
        """Every information set: players' in order, then chance's (indexed by ``tree.infoset``)."""
        return self._infosets

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Outcomes (indexed by ``tree.outcome``)."""
        return self._outcomes

    def node_label(self, node: int) -> str:
        """The label of a node (may be empty)."""
        return self._node_labels[node]

    def children(self, node: int) -> tuple[int, ...]:
        """Child node indices, in action order."""
        t = self._tree
        return tuple(int(c) for c in t.children[t.child_ptr[node] : t.child_ptr[node + 1]])

    def node_infoset(self, node: int) -> Infoset | None:
        """The information set of a node (``None`` for a terminal node)."""
        h = int(self._tree.infoset[node])
        return None if h < 0 else self._infosets[h]

    def outcome_label(self, index: int) -> str:
        """The label of outcome ``index`` (without building outcome records)."""
        if self._outcome_list is None:
            return ""  # games built from arrays have unlabelled outcomes
        return self._outcome_list[index].label

    def node_outcome(self, node: int) -> Outcome | None:
        """The outcome attached to a node, if any."""
        o = int(self._tree.outcome[node])
        return None if o < 0 else self._outcomes[o]

    def path(self, node: int) -> tuple[str, ...]:
        """Action labels from the root to ``node``.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal((0,)), "y": Terminal((1,))}))
        >>> g.path(2)
        ('y',)
        """
        t = self._tree
        out: list[str] = []
        v = node
        while t.parent[v] >= 0:
            p = int(t.parent[v])
            out.append(self._infosets[int(t.infoset[p])].actions[int(t.action[v])])
            v = p
        return tuple(reversed(out))

    def scaled_outcome_payoffs(self) -> tuple[NDArray[Any], int]:
        """Outcome payoffs as one array ``(n_outcomes, n_players)`` and a scale.

        For exact games the values are integers and the payoff of outcome ``k``
        to player ``j`` is ``values[k, j] / scale`` (``scale`` is the lcm of the
        denominators): ``int64`` when every value fits in 62 bits, else an object
        array of Python ints. For float games, ``float64`` values and scale 1.
        Solvers compare these directly: order and ties are exact.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal(("1/2",)), "y": Terminal(("1/3",))}))
        >>> g.scaled_outcome_payoffs()
        (array([[3],
               [2]]), 6)
        """
        if self._scaled is None:
            m = self.n_players
            outs = self._outcomes
            if not self._exact:
                vals = np.array([[float(x) for x in o.payoffs] for o in outs], dtype=np.float64)
                self._scaled = (vals.reshape(len(outs), m), 1)
            else:
                flat = [x for o in outs for x in o.payoffs if isinstance(x, Fraction)]
                scale = 1
                for d in {x.denominator for x in flat}:
                    scale = scale * d // math.gcd(scale, d)
                ints = [x.numerator * (scale // x.denominator) for x in flat]
                big = max((abs(x) for x in ints), default=0)
                arr: NDArray[Any]
                if big < 2**62:
                    arr = np.array(ints, dtype=np.int64).reshape(len(outs), m)
                else:
                    arr = np.empty((len(outs), m), dtype=object)
                    arr.ravel()[:] = ints
                self._scaled = (arr, scale)
            self._scaled[0].flags.writeable = False
        return self._scaled

    def scaled_node_payoffs(self) -> tuple[NDArray[Any], int]:
        """Outcome payoffs per node ``(n_nodes, n_players)`` as in :meth:`scaled_outcome_payoffs`.

        Rows of nodes without an outcome are zero.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal(("1/2",)), "y": Terminal(("1/3",))}))
        >>> g.scaled_node_payoffs()[0][:, 0].tolist()
        [0, 3, 2]
        """
        cached = self._cache.get("scaled_nodes")
        if cached is None:
            vals, scale = self.scaled_outcome_payoffs()
            table = np.zeros((vals.shape[0] + 1, self.n_players), dtype=vals.dtype)
            table[:-1] = vals
            if table.dtype == object:
                table[-1] = 0
            per_node = table[self._tree.outcome]  # -1 picks the zero row
            per_node.flags.writeable = False
            cached = (per_node, scale)
            self._cache["scaled_nodes"] = cached
        result: tuple[NDArray[Any], int] = cached
        return result

    def infoset_columns(self) -> InfosetColumns:
        """Information sets as columns (indexed by global id), without building records.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal((0,)), "y": Decision("A", {"u": Terminal((1,))})}))
        >>> c = g.infoset_columns()
        >>> c.player.tolist(), c.n_actions.tolist(), c.first_node.tolist(), c.labels
        ([0, 0], [2, 1], [0, 2], ('A:1', 'A:2'))
        """
        cached = self._cache.get("columns")
        if cached is None:
            t = self._tree
            inner = np.flatnonzero(t.infoset >= 0)
            ids = t.infoset[inner]
            order = np.argsort(ids, kind="stable")
            counts = np.bincount(ids, minlength=len(self._g_labels))
            starts = np.zeros(len(counts), dtype=np.int64)
            np.cumsum(counts[:-1], out=starts[1:])
            first = inner[order[starts]] if inner.size else np.zeros(0, dtype=np.int64)
            nact = np.array([len(a) for a in self._g_actions], dtype=np.int64)
            cached = InfosetColumns(
                self._g_player,
                self._g_index,
                nact,
                first,
                counts.astype(np.int64),
                self._g_labels,
                self._g_actions,
                self._g_probs,
                self._g_file_labels,
                self._g_file_actions,
            )
            for arr in (nact, first, cached.n_members):
                arr.flags.writeable = False
            self._cache["columns"] = cached
        result: InfosetColumns = cached
        return result

    def player_infoset_labels(
        self,
    ) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[tuple[str, ...], ...], ...]]:
        """The labels of :meth:`infoset_columns` split by player (computed once per game).

        Returns ``(labels, actions)``: ``labels[i]`` are player ``i``'s information-set
        labels and ``actions[i][k]`` the action labels of their ``k``-th set, in
        global-id order. Equilibria of one game can share these tuples.

        >>> g = ExtensiveFormGame.build(players=["A", "B"], root=Decision("A", {
        ...     "x": Terminal((0, 0)), "y": Decision("B", {"u": Terminal((1, 1))})}))
        >>> g.player_infoset_labels()
        ((('A:1',), ('B:1',)), ((('x', 'y'),), (('u',),)))
        """
        cached = self._cache.get("player_labels")
        if cached is None:
            cols = self.infoset_columns()
            m = self.n_players
            key = np.where(cols.player < 0, m, cols.player)
            b = np.searchsorted(key, np.arange(m + 1)).tolist()
            cached = (
                tuple(cols.labels[b[i] : b[i + 1]] for i in range(m)),
                tuple(cols.actions[b[i] : b[i + 1]] for i in range(m)),
            )
            self._cache["player_labels"] = cached
        result: tuple[tuple[tuple[str, ...], ...], tuple[tuple[tuple[str, ...], ...], ...]]
        result = cached
        return result

    def chance_edge_probabilities(self) -> NDArray[Any]:
        """Chance probability of the edge into each node (object array of ``Fraction``).

        ``1`` for the root and for nodes whose parent is not a chance node.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Chance({
        ...     "a": ("1/3", Terminal((1,))), "b": ("2/3", Terminal((0,)))}))
        >>> g.chance_edge_probabilities().tolist()
        [Fraction(1, 1), Fraction(1, 3), Fraction(2, 3)]
        """
        cached = self._cache.get("chance_edges")
        if cached is None:
            t = self._tree
            out = np.empty(self.n_nodes, dtype=object)
            out[:] = _ONE
            nodes = np.flatnonzero(t.kind[np.maximum(t.parent, 0)] == CHANCE)
            nodes = nodes[nodes > 0]
            if nodes.size:
                probs = self._g_probs
                vals: list[Fraction] = []
                for h, a in zip(
                    t.infoset[t.parent[nodes]].tolist(), t.action[nodes].tolist(), strict=True
                ):
                    row = probs[h]
                    assert row is not None
                    vals.append(row[a])
                out[nodes] = vals
            out.flags.writeable = False
            self._cache["chance_edges"] = out
            cached = out
        result: NDArray[Any] = cached
        return result

    def node_payoffs(self) -> NDArray[Any]:
        """Outcome payoffs per node, shape ``(n_nodes, n_players)`` (zeros where none).

        Exact (object array of ``Fraction``) when the game is exact, else ``float64``.
        """
        cached = self._cache.get("node_payoffs")
        if cached is None:
            n, m = self.n_nodes, self.n_players
            table = np.empty((len(self._outcomes) + 1, m), dtype=object)
            table[-1, :] = Fraction(0)
            for k, o in enumerate(self._outcomes):
                table[k, :] = list(o.payoffs)
            cached = table[self._tree.outcome]  # -1 picks the zero row
            if not self._exact:
                cached = cached.astype(np.float64)
            assert cached.shape == (n, m)
            cached.flags.writeable = False
            self._cache["node_payoffs"] = cached
        result: NDArray[Any] = cached
        return result

    def terminal_payoffs(self) -> dict[int, tuple[Number, ...]]:
        """Payoffs of every play: ``{terminal node: sum of outcomes on its path}``.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal((1,)), "y": Terminal(None)}, payoffs=(10,)))
        >>> g.terminal_payoffs()
        {1: (Fraction(11, 1),), 2: (Fraction(10, 1),)}
        """
        cum = self._cumulative_payoffs()
        return {int(v): tuple(cum[v].tolist()) for v in np.flatnonzero(self._tree.kind == TERMINAL)}

    def _cumulative_payoffs(self) -> NDArray[Any]:
        cached = self._cache.get("cumulative")
        if cached is None:
            t = self._tree
            cum = self.node_payoffs().copy()
            order = np.argsort(t.depth, kind="stable")
            # Add the parent's cumulative payoff level by level (vectorised per depth).
            bounds = np.searchsorted(t.depth[order], np.arange(int(t.depth.max()) + 2))
            for d in range(1, len(bounds) - 1):
                nodes = order[bounds[d] : bounds[d + 1]]
                cum[nodes] = cum[nodes] + cum[t.parent[nodes]]
            cum.flags.writeable = False
            self._cache["cumulative"] = cum
            cached = cum
        result: NDArray[Any] = cached
        return result

    def level_order(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Nodes sorted by depth, preorder within a depth, and where each depth starts.

        In this order the children of the nodes of one depth, concatenated in
        order, are exactly the nodes of the next depth: solvers sweep levels as
        contiguous slices.

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Decision("A", {"u": Terminal((1,))}), "y": Terminal((0,))}))
        >>> order, bounds = g.level_order()
        >>> order.tolist(), bounds.tolist()
        ([0, 1, 3, 2], [0, 1, 3, 4])
        """
        cached = self._cache.get("level_order")
        if cached is None:
            depth = self._tree.depth
            top = int(depth.max())
            key = depth.astype(np.int16) if top < 2**15 else depth
            order = np.argsort(key, kind="stable").astype(np.int64)
            bounds = np.searchsorted(depth[order], np.arange(top + 2)).astype(np.int64)
            order.flags.writeable = False
            bounds.flags.writeable = False
            cached = (order, bounds)
            self._cache["level_order"] = cached
        result: tuple[NDArray[np.int64], NDArray[np.int64]] = cached
        return result

    def level_positions(self) -> NDArray[np.int64]:
        """Position of each node in :meth:`level_order` (the inverse permutation).

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Decision("A", {"u": Terminal((1,))}), "y": Terminal((0,))}))
        >>> g.level_order()[0].tolist(), g.level_positions().tolist()
        ([0, 1, 3, 2], [0, 1, 3, 2])
        """
        cached = self._cache.get("level_positions")
        if cached is None:
            order = self.level_order()[0]
            cached = np.empty(order.shape[0], dtype=np.int64)
            cached[order] = np.arange(order.shape[0], dtype=np.int64)
            cached.flags.writeable = False
            self._cache["level_positions"] = cached
        result: NDArray[np.int64] = cached
        return result

    def inner_levels(self) -> tuple[TreeLevel, ...]:
        """The inner nodes depth by depth, deepest first, in level order (see :class:`TreeLevel`).

        Computed once per game: a bottom-up sweep (backward induction) walks these
        records and touches every level as contiguous slices of the level order.

        >>> g = ExtensiveFormGame.build(players=["A", "B"], root=Decision("A", {
        ...     "x": Decision("B", {"u": Terminal((1, 0)), "v": Terminal((0, 1))}),
        ...     "y": Terminal((0, 0))}))
        >>> [(lv.depth, lv.positions.tolist(), lv.n_children.tolist(), lv.single_mover)
        ...  for lv in g.inner_levels()]
        [(1, [1], [2], 1), (0, [0], [2], 0)]
        >>> lv = g.inner_levels()[0]
        >>> (lv.child_start, lv.child_stop), lv.all_inner, lv.branching
        ((3, 5), False, 2)
        """
        cached = self._cache.get("inner_levels")
        if cached is None:
            cached = self._inner_levels()
            self._cache["inner_levels"] = cached
        result: tuple[TreeLevel, ...] = cached
        return result

    def _inner_levels(self) -> tuple[TreeLevel, ...]:
        t = self._tree
        order, bounds = self.level_order()
        nchild = (t.child_ptr[1:] - t.child_ptr[:-1])[order]
        out: list[TreeLevel] = []
        for d in reversed(range(len(bounds) - 2)):
            lo, hi = int(bounds[d]), int(bounds[d + 1])
            cnt = nchild[lo:hi]
            all_inner = bool(cnt.min() > 0)
            if all_inner:
                positions = np.arange(lo, hi, dtype=np.int64)
                counts = cnt.copy()
            else:
                rel = np.flatnonzero(cnt)
                if rel.size == 0:
                    continue
                positions = lo + rel
                counts = cnt[rel]
            offsets = np.zeros(len(counts), dtype=np.int64)
            np.cumsum(counts[:-1], out=offsets[1:])
            nodes = order[positions]
            mover = t.player[nodes]
            lo_m, hi_m = int(mover.min()), int(mover.max())
            c_lo, c_hi = int(counts.min()), int(counts.max())
            for arr in (positions, nodes, counts, offsets, mover):
                arr.flags.writeable = False
            out.append(
                TreeLevel(
                    depth=d,
                    start=lo,
                    stop=hi,
                    positions=positions,
                    nodes=nodes,
                    n_children=counts,
                    offsets=offsets,
                    child_start=hi,
                    child_stop=int(bounds[d + 2]),
                    mover=mover,
                    all_inner=all_inner,
                    branching=c_lo if c_lo == c_hi else 0,
                    single_mover=lo_m if lo_m == hi_m and lo_m >= 0 else -1,
                    has_chance=lo_m < 0,
                )
            )
        return tuple(out)

    def scaled_level_payoffs(self) -> NDArray[Any]:
        """:meth:`scaled_node_payoffs` per player, in :meth:`level_order`: ``(n_players, n_nodes)``.

        Row ``i`` holds player ``i``'s scaled payoffs contiguously, node
        ``level_order()[0][k]`` at column ``k``; the scale is the one of
        :meth:`scaled_node_payoffs`.

        >>> g = ExtensiveFormGame.build(players=["A", "B"], root=Decision("A", {
        ...     "x": Decision("A", {"u": Terminal((1, "1/2"))}), "y": Terminal((0, 1))}))
        >>> g.scaled_level_payoffs().tolist(), g.scaled_node_payoffs()[1]
        ([[0, 0, 0, 2], [0, 0, 2, 1]], 2)
        """
        cached = self._cache.get("scaled_level_payoffs")
        if cached is None:
            pay = self.scaled_node_payoffs()[0]
            order = self.level_order()[0]
            cached = np.take(np.ascontiguousarray(pay.T), order, axis=1)
            cached.flags.writeable = False
            self._cache["scaled_level_payoffs"] = cached
        result: NDArray[Any] = cached
        return result

    def reach_chance(self) -> NDArray[Any]:
        """Product of chance probabilities on the path to each node (object array of Fraction)."""
        cached = self._cache.get("reach_chance")
        if cached is None:
            t = self._tree
            edge = self.chance_edge_probabilities()
            probs = np.array(edge, dtype=object)
            order = np.argsort(t.depth, kind="stable")
            bounds = np.searchsorted(t.depth[order], np.arange(int(t.depth.max()) + 2))
            for d in range(1, len(bounds) - 1):
                nodes = order[bounds[d] : bounds[d + 1]]
                probs[nodes] = probs[nodes] * probs[t.parent[nodes]]
            probs.flags.writeable = False
            self._cache["reach_chance"] = probs
            cached = probs
        result: NDArray[Any] = cached
        return result

    # -- structure --------------------------------------------------------------------------
    @property
    def is_perfect_information(self) -> bool:
        """True when every information set of a player has a single node."""
        cols = self.infoset_columns()
        return bool(np.all(cols.n_members[cols.player >= 0] == 1))

    @property
    def has_perfect_recall(self) -> bool:
        """True when no player ever forgets their own earlier information sets and actions.

        Checked directly: all nodes of an information set must have the same
        sequence of the player's own (information set, action) pairs on their
        paths from the root (this also excludes absent-mindedness).

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Decision("A", {"u": Terminal((1,)), "v": Terminal((0,))}, infoset="late"),
        ...     "y": Decision("A", {"u": Terminal((0,)), "v": Terminal((1,))}, infoset="late")}))
        >>> g.has_perfect_recall
        False
        """
        return not self.perfect_recall_violations()

    def perfect_recall_violations(self) -> tuple[str, ...]:
        """Information sets where a player forgets, with a short explanation each."""
        cached = self._cache.get("pr_violations")
        if cached is not None:
            result: tuple[str, ...] = cached
            return result
        if self.is_perfect_information:
            self._cache["pr_violations"] = ()
            return ()
        t = self._tree
        n = self.n_nodes
        m = self.n_players
        # seq[v, i]: interned id of player i's own (infoset, action) history before node v.
        seq = np.zeros((n, m), dtype=np.int64)
        intern: dict[tuple[int, int, int], int] = {}
        for v in range(1, n):
            p = int(t.parent[v])
            seq[v] = seq[p]
            i = int(t.player[p])
            if i >= 0:
                key = (int(seq[p, i]), int(t.infoset[p]), int(t.action[v]))
                sid = intern.get(key)
                if sid is None:
                    sid = len(intern) + 1
                    intern[key] = sid
                seq[v, i] = sid
        bad: list[str] = []
        for i, hs in enumerate(self.infosets):
            for h in hs:
                ids = {int(seq[v, i]) for v in h.members}
                if len(ids) > 1:
                    bad.append(
                        f"{self._players[i]} forgets at information set {h.label!r}: its nodes "
                        "follow different earlier moves of the same player"
                    )
        out = tuple(bad)
        self._cache["pr_violations"] = out
        return out

    def subgame_roots(self) -> tuple[int, ...]:
        """Nodes that start a subgame (the root included), in preorder.

        A node ``r`` starts a subgame when every information set with a node in
        ``r``'s subtree lies entirely inside that subtree (chance information sets
        are ignored: chance moves are observed by no one and constrain nothing).

        >>> g = ExtensiveFormGame.build(players=["A", "B"], root=Decision("A", {
        ...     "x": Terminal((0, 0)),
        ...     "y": Decision("B", {"u": Terminal((1, 1)), "v": Terminal((2, 0))})}))
        >>> g.subgame_roots()
        (0, 2)
        """
        cached = self._cache.get("subgame_roots")
        if cached is None and self.is_perfect_information:
            cached = tuple(np.flatnonzero(self._tree.kind != TERMINAL).tolist())
            self._cache["subgame_roots"] = cached
        if cached is None:
            t = self._tree
            n = self.n_nodes
            idx = np.arange(n, dtype=np.int64)
            lo = idx.copy()
            hi = idx.copy()
            for h in self._infosets:
                if h.player < 0:
                    continue
                mem = np.asarray(h.members, dtype=np.int64)
                lo[mem] = mem.min()
                hi[mem] = mem.max()
            sub_lo = lo.copy()
            sub_hi = hi.copy()
            for v in range(n - 1, 0, -1):
                p = t.parent[v]
                if sub_lo[v] < sub_lo[p]:
                    sub_lo[p] = sub_lo[v]
                if sub_hi[v] > sub_hi[p]:
                    sub_hi[p] = sub_hi[v]
            inner = t.kind != TERMINAL
            ok = inner & (sub_lo >= idx) & (sub_hi < idx + t.size)
            cached = tuple(int(v) for v in np.flatnonzero(ok))
            self._cache["subgame_roots"] = cached
        result2: tuple[int, ...] = cached
        return result2

    # -- reduced normal form ----------------------------------------------------------------
    def _reduced_plans(self, player: int, limit: int) -> list[tuple[int | None, ...]]:
        """Reduced pure strategies of ``player`` in Gambit's order (at most ``limit``)."""
        t = self._tree
        hs = self._player_infosets[player]
        infos = self._infosets
        n_h = len(hs)
        out: list[tuple[int | None, ...]] = []
        assign: list[int | None] = [None] * n_h
        # Frames: (pending snapshot, node, local infoset, action).
        frames: list[tuple[list[int], int, int, int]] = []
        pending: list[int] = [0]
        kind, player_of, infoset = t.kind, t.player, t.infoset
        child_ptr, children = t.child_ptr, t.children
        while True:
            while pending:
                v = pending.pop()
                if kind[v] == TERMINAL:
                    continue
                if int(player_of[v]) != player:
                    lo, hi = int(child_ptr[v]), int(child_ptr[v + 1])
                    pending.extend(int(c) for c in children[lo:hi][::-1])
                    continue
                h = infos[int(infoset[v])].index
                a = assign[h]
                if a is not None:
                    pending.append(int(children[child_ptr[v] + a]))
                    continue
                frames.append((pending.copy(), v, h, 0))
                assign[h] = 0
                pending.append(int(children[child_ptr[v]]))
            out.append(tuple(assign))
            if len(out) > limit:
                raise _TooLarge(len(out))
            while frames:
                snap, v, h, a = frames.pop()
                assign[h] = None
                if a + 1 < hs[h].n_actions:
                    frames.append((snap, v, h, a + 1))
                    assign[h] = a + 1
                    pending = snap.copy()
                    pending.append(int(children[child_ptr[v] + a + 1]))
                    break
            else:
                return out

    def reduced_normal_form(self, *, max_profiles: int = DEFAULT_MAX_PROFILES) -> ReducedNormalForm:
        """The reduced strategic form, in Gambit's strategy order.

        A reduced pure strategy fixes an action only at the information sets its
        own earlier moves do not exclude. Strategies are ordered as Gambit orders
        them (depth-first through the tree, first action first), so the payoff
        table equals Gambit's; labels are readable (``"Raise; *"``) and Gambit's
        labels (``"1*"``) are kept in :attr:`ReducedNormalForm.gambit_labels`.

        Parameters
        ----------
        max_profiles
            Refuse (``GameError``) when the table would have more pure profiles.

        Raises
        ------
        GameError
            When the reduced normal form has more than ``max_profiles`` profiles.
        """
        key = f"rnf:{max_profiles}"
        cached = self._cache.get(key)
        if cached is not None:
            result: ReducedNormalForm = cached
            return result
        if self.is_perfect_information:
            self._check_pi_size(max_profiles)
        plans: list[list[tuple[int | None, ...]]] = []
        total = 1
        for i in range(self.n_players):
            try:
                pl = self._reduced_plans(i, max_profiles)
            except _TooLarge:
                raise GameError(
                    f"the reduced normal form is too large: {self._players[i]} alone has more "
                    f"than {max_profiles} reduced strategies (limit max_profiles={max_profiles})"
                ) from None
            total *= len(pl)
            if total > max_profiles:
                raise GameError(
                    f"the reduced normal form is too large: more than {max_profiles} pure "
                    f"profiles (limit max_profiles={max_profiles}); use a tree method such as "
                    "backward induction or subgame decomposition"
                )
            plans.append(pl)
        payoffs = self._rnf_payoffs(plans)
        labels = [self._readable_labels(i, pl) for i, pl in enumerate(plans)]
        gambit = [
            tuple("".join("*" if a is None else str(a + 1) for a in plan) or "*" for plan in pl)
            for pl in plans
        ]
        nfg = NormalFormGame(
            payoffs,
            players=self._players,
            strategies=labels,
            title=self._title,
            provenance=(*self._provenance, "reduced normal form of an extensive-form game"),
        )
        result = ReducedNormalForm(nfg, tuple(tuple(pl) for pl in plans), tuple(gambit))
        self._cache[key] = result
        return result

    def _check_pi_size(self, max_profiles: int) -> None:
        """Refuse a too large reduced normal form of a perfect-information tree early.

        The number of reduced strategies of player ``i`` below a node is 1 at a
        terminal node, the sum over the children at ``i``'s own nodes and the
        product over the children elsewhere; counted level by level (in floats
        capped above ``max_profiles``), without enumerating anything.
        """
        t = self._tree
        m = self.n_players
        order, bounds = self.level_order()
        nchild = (t.child_ptr[1:] - t.child_ptr[:-1])[order]
        who = t.player[order]
        cap = 2.0 * (max_profiles + 1)
        cnt = np.ones((m, self.n_nodes), dtype=np.float64)  # in level order
        for d in reversed(range(len(bounds) - 2)):
            lo, hi = int(bounds[d]), int(bounds[d + 1])
            rel = np.flatnonzero(nchild[lo:hi])
            if rel.size == 0:
                continue
            starts = np.zeros(rel.size, dtype=np.int64)
            np.cumsum(nchild[lo + rel][:-1], out=starts[1:])
            kids = cnt[:, hi : int(bounds[d + 2])]
            summed = np.add.reduceat(kids, starts, axis=1)
            prod = np.multiply.reduceat(kids, starts, axis=1)
            mine = who[lo + rel][None, :] == np.arange(m)[:, None]
            cnt[:, lo + rel] = np.minimum(np.where(mine, summed, prod), cap)
        total = 1.0
        for i in range(m):
            if cnt[i, 0] > max_profiles:
                raise GameError(
                    f"the reduced normal form is too large: {self._players[i]} alone has more "
                    f"than {max_profiles} reduced strategies (limit max_profiles={max_profiles})"
                )
            total *= float(cnt[i, 0])
        if total > max_profiles:
            raise GameError(
                f"the reduced normal form is too large: more than {max_profiles} pure "
                f"profiles (limit max_profiles={max_profiles}); use a tree method such as "
                "backward induction or subgame decomposition"
            )

    def _readable_labels(
        self, player: int, plans: Sequence[tuple[int | None, ...]]
    ) -> tuple[str, ...]:
        hs = self._player_infosets[player]
        labs = tuple(
            "; ".join("*" if a is None else hs[h].actions[a] for h, a in enumerate(plan)) or "*"
            for plan in plans
        )
        if len(set(labs)) == len(labs):
            return labs
        return tuple(  # pragma: no cover - action labels are unique per information set
            "".join("*" if a is None else str(a + 1) for a in plan) or "*" for plan in plans
        )

    def _rnf_payoffs(self, plans: Sequence[Sequence[tuple[int | None, ...]]]) -> NDArray[Any]:
        t = self._tree
        m = self.n_players
        terminals = np.flatnonzero(t.kind == TERMINAL)
        # Own (local infoset, action) requirements of each player on the path to each terminal.
        infos = self._infosets
        reqs: list[list[list[tuple[int, int]]]] = [[] for _ in range(m)]
        for z in terminals:
            per: list[list[tuple[int, int]]] = [[] for _ in range(m)]
            v = int(z)
            while t.parent[v] >= 0:
                p = int(t.parent[v])
                i = int(t.player[p])
                if i >= 0:
                    per[i].append((infos[int(t.infoset[p])].index, int(t.action[v])))
                v = p
            for i in range(m):
                reqs[i].append(per[i])
        consistent: list[NDArray[np.bool_]] = []
        for i in range(m):
            mat = np.array(
                [[-1 if a is None else a for a in plan] for plan in plans[i]], dtype=np.int64
            ).reshape(len(plans[i]), -1)
            c = np.ones((len(plans[i]), len(terminals)), dtype=bool)
            for k, req in enumerate(reqs[i]):
                for h, a in req:
                    c[:, k] &= mat[:, h] == a
            consistent.append(c)
        shape = tuple(len(p) for p in plans)
        cum = self._cumulative_payoffs()[terminals]
        reach = self.reach_chance()[terminals]
        if self._exact:
            weights = np.empty((len(terminals), m), dtype=object)
            for k in range(len(terminals)):
                for j in range(m):
                    weights[k, j] = Fraction(cum[k, j]) * reach[k]
            denom = 1
            for w in weights.ravel():
                denom = denom * w.denominator // math.gcd(denom, w.denominator)
            ints = [int(w * denom) for w in weights.ravel()]
            big = max((abs(x) for x in ints), default=0)
            dtype: Any = np.int64 if big * max(len(terminals), 1) < 2**62 else object
            acc = np.zeros((*shape, m), dtype=dtype)
            if dtype is object:
                acc[...] = 0
            wv = np.empty(weights.shape, dtype=dtype)
            wv.ravel()[:] = ints
        else:
            wv = (
                np.asarray(cum, dtype=np.float64)
                * np.array([float(r) for r in reach], dtype=np.float64)[:, None]
            )
            acc = np.zeros((*shape, m), dtype=np.float64)
        for k in range(len(terminals)):
            idx = [np.flatnonzero(consistent[i][:, k]) for i in range(m)]
            if any(len(x) == 0 for x in idx):
                continue
            acc[np.ix_(*idx, np.arange(m))] += wv[k]
        if self._exact:
            out = np.empty(acc.shape, dtype=object)
            out.ravel()[:] = [Fraction(int(x), denom) for x in acc.ravel()]
            return out
        return acc

    # -- derived games ----------------------------------------------------------------------
    def subtree_game(
        self, root: int, replacements: Mapping[int, Sequence[Any]] | None = None
    ) -> tuple[ExtensiveFormGame, tuple[int, ...]]:
        """The game played from ``root``, with some subtrees cut off.

        Parameters
        ----------
        root
            A node; normally a subgame root (see :meth:`subgame_roots`).
        replacements
            ``{node: payoffs}``: each such node below ``root`` becomes a terminal
            node with these payoffs (its subtree is dropped), e.g. the
            equilibrium payoffs of a subgame already solved.

        Returns
        -------
        (game, infoset_map)
            ``infoset_map[g]`` is the global id in this game of the new game's
            information set ``g`` (see :attr:`all_infosets`).

        Raises
        ------
        GameError
            When an information set of the part kept also has nodes outside it.

        Examples
        --------
        >>> g = ExtensiveFormGame.build(players=["A", "B"], root=Decision("A", {
        ...     "x": Terminal((0, 0)),
        ...     "y": Decision("B", {"u": Terminal((1, 1)), "v": Terminal((2, 0))})}))
        >>> sub, _ = g.subtree_game(0, {2: (2, 0)})
        >>> sub.n_nodes, sub.terminal_payoffs()[2]
        (3, (Fraction(2, 1), Fraction(0, 1)))
        """
        repl = dict(replacements or {})
        t = self._tree
        raw = _RawTree(players=list(self._players))
        new_of_old_infoset: dict[int, int] = {}
        old_of_new_node: list[int] = []
        outcome_ids: dict[int, int] = {}
        # Iterative preorder: (old node, new parent, action).
        stack: list[tuple[int, int, int]] = [(root, -1, -1)]
        while stack:
            v, par, act = stack.pop()
            if v in repl and v != root:
                w = raw.add_node(TERMINAL, par, act, self._node_labels[v])
                raw.outcome[w] = len(raw.outcomes)
                raw.outcomes.append(Outcome("subgame value", tuple(repl[v])))
                old_of_new_node.append(v)
                continue
            kind = int(t.kind[v])
            w = raw.add_node(kind, par, act, self._node_labels[v])
            old_of_new_node.append(v)
            o = int(t.outcome[v])
            if o >= 0:
                if o not in outcome_ids:
                    outcome_ids[o] = len(raw.outcomes)
                    raw.outcomes.append(self._outcomes[o])
                raw.outcome[w] = outcome_ids[o]
            if kind == TERMINAL:
                continue
            g = int(t.infoset[v])
            if g not in new_of_old_infoset:
                h = self._infosets[g]
                new_of_old_infoset[g] = len(raw.infosets)
                raw.infosets.append(
                    _RawInfoset(
                        h.player,
                        h.label,
                        list(h.actions),
                        None if h.probs is None else list(h.probs),
                    )
                )
            hid = new_of_old_infoset[g]
            raw.infoset[w] = hid
            raw.infosets[hid].members.append(w)
            kids = self.children(v)
            raw.n_children[w] = len(kids)
            for a in reversed(range(len(kids))):
                stack.append((kids[a], w, a))
        for g in new_of_old_infoset:
            h = self._infosets[g]
            if h.player >= 0 and len(h.members) != len(raw.infosets[new_of_old_infoset[g]].members):
                raise GameError(
                    f"information set {h.label!r} has nodes outside the subtree at node {root}; "
                    "it is not a subgame"
                )
        sub = ExtensiveFormGame(
            raw,
            title=self._title,
            provenance=(*self._provenance, f"subgame at node {root}"),
        )
        mapping = tuple(int(t.infoset[old_of_new_node[h.members[0]]]) for h in sub.all_infosets)
        return sub, mapping

    # -- conversion -------------------------------------------------------------------------
    def to_tree(self) -> Node:
        """The game as nested builder nodes (inverse of :meth:`build`, labels as given).

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal((0,)), "y": Terminal((1,))}, infoset="only"))
        >>> ExtensiveFormGame.build(players=["A"], root=g.to_tree()) == g
        True
        """
        t = self._tree
        n = self.n_nodes
        built: list[Node | None] = [None] * n
        for v in range(n - 1, -1, -1):
            o = self.node_outcome(v)
            pay = None if o is None else o.payoffs
            olab = "" if o is None else o.label
            lab = self._node_labels[v]
            if t.kind[v] == TERMINAL:
                built[v] = Terminal(pay, label=lab, outcome=olab)
                continue
            h = self._infosets[int(t.infoset[v])]
            kids = [built[c] for c in self.children(v)]
            if t.kind[v] == DECISION:
                acts: dict[str, Node] = {}
                for a, kid in zip(h.actions, kids, strict=True):
                    assert kid is not None
                    acts[a] = kid
                built[v] = Decision(
                    self._players[h.player],
                    acts,
                    infoset=h.label,
                    label=lab,
                    payoffs=pay,
                    outcome=olab,
                )
            else:
                assert h.probs is not None
                cacts: dict[str, tuple[Any, Node]] = {}
                for a, p, kid in zip(h.actions, h.probs, kids, strict=True):
                    assert kid is not None
                    cacts[a] = (p, kid)
                built[v] = Chance(cacts, infoset=h.label, label=lab, payoffs=pay, outcome=olab)
            for c in self.children(v):
                built[c] = None
        root = built[0]
        assert root is not None
        return root

    # -- value semantics --------------------------------------------------------------------
    def _signature(self) -> tuple[Any, ...]:
        t = self._tree
        infos = (
            self._g_player.tobytes(),
            self._g_index.tobytes(),
            self._g_labels,
            self._g_actions,
            self._g_probs,
        )
        outs = tuple(
            None if o < 0 else (self._outcomes[o].label, self._outcomes[o].payoffs)
            for o in t.outcome.tolist()
        )
        return (
            self._players,
            self._exact,
            t.kind.tobytes(),
            t.parent.tobytes(),
            t.action.tobytes(),
            t.infoset.tobytes(),
            self._node_labels,
            infos,
            outs,
        )

    def equals(self, other: object) -> bool:
        """Same players, tree, labels, information sets, probabilities and payoffs.

        Labels are compared as the game shows them (a generated ``"A:1"`` equals
        an explicit ``"A:1"``). The title, comment and provenance are not
        compared; nor is outcome numbering (outcomes are compared node by node).
        """
        if not isinstance(other, ExtensiveFormGame):
            return False
        if self is other:
            return True
        return self._signature() == other._signature()

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    def __hash__(self) -> int:
        return hash((self._players, self.n_nodes))

    def __repr__(self) -> str:
        kind = "exact" if self._exact else "float"
        return (
            f"ExtensiveFormGame({self._title!r}, players={self._players}, "
            f"nodes={self.n_nodes}, {kind})"
        )

    def describe(self, *, max_nodes: int = 200) -> str:
        """An indented plain-text outline of the tree (first ``max_nodes`` nodes).

        >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
        ...     "x": Terminal((0,)), "y": Terminal((1,))}))
        >>> print(g.describe())
        A:1 (A)
          x: 0
          y: 1
        """
        from .numbers import format_number

        t = self._tree
        lines: list[str] = []
        for v in range(min(self.n_nodes, max_nodes)):
            indent = "  " * int(t.depth[v])
            prefix = ""
            if v > 0:
                p = int(t.parent[v])
                prefix = self._infosets[int(t.infoset[p])].actions[int(t.action[v])] + ": "
            if t.kind[v] == TERMINAL:
                cum = self._cumulative_payoffs()[v]
                lines.append(indent + prefix + ", ".join(format_number(x) for x in cum.tolist()))
            else:
                h = self._infosets[int(t.infoset[v])]
                who = "chance" if h.player < 0 else self._players[h.player]
                lines.append(f"{indent}{prefix}{h.label} ({who})")
        if self.n_nodes > max_nodes:
            lines.append(f"... {self.n_nodes - max_nodes} more nodes")
        return "\n".join(lines)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small objects.

    The objects built are acyclic, and the collector's repeated scans would
    otherwise dominate the time for trees with millions of nodes.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Where:
    """A node's path from the root, formatted only when an error message needs it."""

    __slots__ = ("action", "up")

    def __init__(self, up: _Where | None, action: str) -> None:
        self.up = up
        self.action = action

    def __str__(self) -> str:
        parts: list[str] = []
        w: _Where | None = self
        while w is not None and w.up is not None:
            parts.append(str(w.action))
            w = w.up
        return "the root" if not parts else "the root → " + " → ".join(reversed(parts))


def _depths(parent: NDArray[np.int64]) -> NDArray[np.int64]:
    """Depth of every node by pointer jumping (O(n log depth), no Python loop over nodes)."""
    return _path_sums(parent, (parent >= 0).astype(np.int64))


def _path_sums(parent: NDArray[np.int64], weight: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sum of ``weight`` over each node and its ancestors, by pointer jumping.

    Raises ``GameError`` when the parent pointers contain a cycle.

    >>> _path_sums(np.array([-1, 0, 1, 0]), np.array([0, 1, 1, 5]))
    array([0, 1, 2, 5])
    """
    dist = weight.astype(np.int64, copy=True)
    nxt = parent.copy()
    rounds = 0
    limit = max(int(parent.shape[0]), 2).bit_length() + 1
    while True:
        live = np.flatnonzero(nxt >= 0)
        if live.size == 0:
            return dist
        if rounds > limit:
            raise GameError(
                f"the parent pointers contain a cycle (node {int(live[0])} never reaches the root)"
            )
        rounds += 1
        up = nxt[live]
        dist[live] += dist[up]
        nxt[live] = nxt[up]


def _check_players(players: Sequence[str]) -> list[str]:
    labels = list(players)
    for lab in labels:
        if not isinstance(lab, str) or not lab.strip():
            raise GameError(f"player label {lab!r} must be a non-empty string")
    if len(set(labels)) != len(labels):
        raise GameError(f"duplicate player labels in {labels}")
    if not labels:
        raise GameError("an extensive-form game needs at least one player")
    return labels


def _int_array(values: Any, name: str, n: int | None = None) -> NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
        raise GameError(f"{name} must be a one-dimensional array of integers")
    if n is not None and arr.shape[0] != n:
        raise GameError(f"{name} has {arr.shape[0]} entries, expected {n} (one per node)")
    return arr.astype(np.int64, copy=False)


def _payoff_array(
    values: Any, n: int, m: int, players: Sequence[str]
) -> tuple[NDArray[Any], int, bool]:
    """Payoffs per node as (scaled values, scale, exact), see ``scaled_outcome_payoffs``."""
    arr = np.asarray(values)
    if arr.shape != (n, m):
        raise GameError(f"payoffs has shape {arr.shape}, expected ({n}, {m}): one row per node")
    if arr.dtype == bool:
        raise GameError("payoffs must be numbers, not booleans")
    if np.issubdtype(arr.dtype, np.integer):
        ints = arr.astype(np.int64)
        if arr.dtype == np.uint64 and bool(np.any(arr > 2**62)):
            ints = arr.astype(object)
        elif arr.size and int(np.abs(ints).max()) >= 2**62:
            ints = np.array(arr.tolist(), dtype=object)
        return ints, 1, True
    if np.issubdtype(arr.dtype, np.floating):
        fl = arr.astype(np.float64)
        bad = np.argwhere(~np.isfinite(fl))
        if bad.size:
            v, j = (int(x) for x in bad[0])
            raise GameError(f"payoff of {players[j]} at node {v} is {fl[v, j]!r}; must be finite")
        return fl, 1, False
    flat = arr.ravel().tolist()
    nums = [
        x
        if type(x) is Fraction
        else to_number(x, what=f"payoff of {players[k % m]} at node {k // m}")
        for k, x in enumerate(flat)
    ]
    fracs = [x for x in nums if isinstance(x, Fraction)]
    if len(fracs) != len(nums):
        return np.array([float(x) for x in nums], dtype=np.float64).reshape(n, m), 1, False
    scale = 1
    for d in {x.denominator for x in fracs}:
        scale = scale * d // math.gcd(scale, d)
    scaled = [x.numerator * (scale // x.denominator) for x in fracs]
    if max((abs(x) for x in scaled), default=0) < 2**62:
        return np.array(scaled, dtype=np.int64).reshape(n, m), scale, True
    out = np.empty((n, m), dtype=object)
    out.ravel()[:] = scaled
    return out, scale, True


class _TooLarge(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def _exact_prob(value: Any, what: str) -> Fraction:
    if isinstance(value, float):
        raise GameError(
            f"{what} is the float {value!r}; chance probabilities must be exact: write it as "
            "a string such as '0.3' or as Fraction(3, 10)"
        )
    p = to_number(value, what=what)
    if not isinstance(p, Fraction):  # pragma: no cover - to_number returns floats only for floats
        raise GameError(f"{what} must be exact")
    if p < 0:
        raise GameError(f"{what} is negative ({p})")
    return p


def _check_probs(
    probs: Sequence[Fraction] | None, actions: Sequence[str], label: str
) -> tuple[Fraction, ...]:
    if probs is None or len(probs) != len(actions):
        raise GameError(f"chance information set {label!r} needs one probability per action")
    out = tuple(
        _exact_prob(p, f"probability of {a!r} at {label!r}")
        for p, a in zip(probs, actions, strict=True)
    )
    total = sum(out, Fraction(0))
    if total != 1:
        raise GameError(
            f"chance probabilities at information set {label!r} sum to {total}, expected 1"
        )
    return out
