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
:class:`Decision`, :class:`Chance` and :class:`Terminal` nodes, or read a
Gambit ``.efg`` file with :meth:`ExtensiveFormGame.from_file`.

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
    "Node",
    "Outcome",
    "ReducedNormalForm",
    "Terminal",
    "TreeArrays",
]

TERMINAL = 0
"""Node kind of a terminal node (in :attr:`TreeArrays.kind`)."""
DECISION = 1
"""Node kind of a player's decision node."""
CHANCE = 2
"""Node kind of a chance node."""

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
        "_infosets",
        "_node_labels",
        "_outcomes",
        "_player_infosets",
        "_players",
        "_provenance",
        "_title",
        "_tree",
    )

    def __init__(
        self,
        raw: _RawTree,
        *,
        title: str = "",
        comment: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        n_players = len(raw.players)
        if n_players == 0:
            raise GameError("an extensive-form game needs at least one player")
        n = len(raw.kind)
        if n == 0:
            raise GameError("the game tree has no nodes")
        self._file_players = tuple(raw.players)
        self._players = _unique_labels(raw.players, lambda k: f"Player {k + 1}")
        self._title = str(title)
        self._comment = str(comment)
        self._provenance = tuple(provenance)
        self._cache: dict[str, Any] = {}

        kind = np.asarray(raw.kind, dtype=np.int8)
        parent = np.asarray(raw.parent, dtype=np.int64)
        nchild = np.asarray(raw.n_children, dtype=np.int64)
        child_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(nchild, out=child_ptr[1:])
        children = np.empty(int(child_ptr[-1]), dtype=np.int64)
        action = np.asarray(raw.action, dtype=np.int64)
        nonroot = np.arange(1, n, dtype=np.int64)
        if n > 1:
            if np.any(parent[1:] >= nonroot) or np.any(parent[1:] < 0):
                raise GameError("nodes are not in preorder (a parent after its child)")
            children[child_ptr[parent[1:]] + action[1:]] = nonroot
        depth = _depths(parent)
        size = np.ones(n, dtype=np.int64)
        by_depth = np.argsort(-depth, kind="stable")
        cuts = np.flatnonzero(np.diff(depth[by_depth])) + 1
        for nodes in np.split(by_depth, cuts):  # deepest level first
            nodes = nodes[nodes > 0]
            np.add.at(size, parent[nodes], size[nodes])

        # Information sets: validate and order per player by first appearance.
        infoset = np.asarray(raw.infoset, dtype=np.int64)
        per_player: list[list[int]] = [[] for _ in range(n_players)]
        chance_ids: list[int] = []
        first_seen: dict[int, int] = {}
        for v in range(n):
            h = int(infoset[v])
            if h >= 0 and h not in first_seen:
                first_seen[h] = v
        order = sorted(first_seen, key=lambda h: first_seen[h])
        for h in order:
            ri = raw.infosets[h]
            if ri.player == -1:
                chance_ids.append(h)
            elif 0 <= ri.player < n_players:
                per_player[ri.player].append(h)
            else:
                raise GameError(f"information set names player {ri.player + 1} of {n_players}")
        new_id: dict[int, int] = {}
        infos: list[Infoset] = []
        player_infosets: list[tuple[Infoset, ...]] = []
        for i, ids in enumerate([*per_player, chance_ids]):
            is_chance = i == n_players
            who = "Chance" if is_chance else self._players[i]
            labels = _unique_labels(
                [raw.infosets[h].label for h in ids], lambda k, who=who: f"{who}:{k + 1}"
            )
            group: list[Infoset] = []
            for k, h in enumerate(ids):
                ri = raw.infosets[h]
                if not ri.actions:
                    raise GameError(f"information set {labels[k]!r} of {who} has no actions")
                acts = _unique_labels(ri.actions, lambda j: str(j + 1))
                probs: tuple[Fraction, ...] | None = None
                if is_chance:
                    probs = _check_probs(ri.probs, acts, labels[k])
                new_id[h] = len(infos)
                rec = Infoset(
                    player=-1 if is_chance else i,
                    index=k,
                    label=labels[k],
                    actions=acts,
                    probs=probs,
                    members=tuple(ri.members),
                    file_label=ri.label,
                    file_actions=tuple(ri.actions),
                )
                infos.append(rec)
                group.append(rec)
            if not is_chance:
                player_infosets.append(tuple(group))
        chance_group = tuple(infos[new_id[h]] for h in chance_ids)
        self._infosets = tuple(infos)
        self._player_infosets = (*player_infosets, chance_group)
        term = kind == TERMINAL
        bad = np.flatnonzero(term & ((infoset >= 0) | (nchild != 0)))
        if bad.size:
            raise GameError(f"terminal node {int(bad[0])} has an information set or children")
        bad = np.flatnonzero(~term & (infoset < 0))
        if bad.size:
            raise GameError(f"node {int(bad[0])} has children but no information set")
        remap = np.full(len(raw.infosets) + 1, -1, dtype=np.int64)
        for h, g in new_id.items():
            remap[h] = g
        node_infoset = remap[infoset]  # -1 stays -1 (last entry)
        g_player = np.array([rec.player for rec in infos] + [-2], dtype=np.int64)
        g_nact = np.array([rec.n_actions for rec in infos] + [0], dtype=np.int64)
        player_of_node = g_player[node_infoset]
        bad = np.flatnonzero((kind == CHANCE) != (player_of_node == -1))
        if bad.size:
            raise GameError(f"node {int(bad[0])}: chance and player nodes cannot share an infoset")
        bad = np.flatnonzero(~term & (nchild != g_nact[node_infoset]))
        if bad.size:
            v = int(bad[0])
            rec = infos[int(node_infoset[v])]
            raise GameError(
                f"node {v} has {int(nchild[v])} children but its information set "
                f"{rec.label!r} has {rec.n_actions} actions"
            )
        # Outcomes.
        outcomes: list[Outcome] = []
        exact = True
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
            outcomes.append(Outcome(o.label, vals))
        self._outcomes = tuple(outcomes)
        self._exact = exact
        self._node_labels = tuple(raw.labels)
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
            outcome=np.asarray(raw.outcome, dtype=np.int64),
        )
        for arr in vars(arrays).values():
            arr.flags.writeable = False
        self._tree = arrays

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

    def reach_chance(self) -> NDArray[Any]:
        """Product of chance probabilities on the path to each node (object array of Fraction)."""
        cached = self._cache.get("reach_chance")
        if cached is None:
            t = self._tree
            probs = np.empty(self.n_nodes, dtype=object)
            probs[0] = Fraction(1)
            for v in range(1, self.n_nodes):
                p = int(t.parent[v])
                q = probs[p]
                if t.kind[p] == CHANCE:
                    h = self._infosets[int(t.infoset[p])]
                    assert h.probs is not None
                    q = q * h.probs[int(t.action[v])]
                probs[v] = q
            probs.flags.writeable = False
            self._cache["reach_chance"] = probs
            cached = probs
        result: NDArray[Any] = cached
        return result

    # -- structure --------------------------------------------------------------------------
    @property
    def is_perfect_information(self) -> bool:
        """True when every information set of a player has a single node."""
        return all(len(h.members) == 1 for hs in self.infosets for h in hs)

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
        infos = tuple((h.player, h.index, h.label, h.actions, h.probs) for h in self._infosets)
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
    dist = (parent >= 0).astype(np.int64)
    nxt = parent.copy()
    while True:
        live = np.flatnonzero(nxt >= 0)
        if live.size == 0:
            return dist
        up = nxt[live]
        dist[live] += dist[up]
        nxt[live] = nxt[up]


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
