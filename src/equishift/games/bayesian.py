"""Bayesian games: players with private types drawn from a common prior.

A Bayesian game has players :math:`i = 1..N`, finite type sets :math:`T_i`, a
common prior :math:`p` over type profiles :math:`T_1 \\times \\dots \\times T_N`
(exact probabilities), finite action sets :math:`A_i` and payoffs
:math:`u_i(t, a)` that depend on the whole type profile and action profile.
A (type-contingent) strategy of player ``i`` picks an action for each of their
types. The *Harsanyi transformation* turns the game into an extensive-form game:
chance draws the type profile, then each player acts knowing only their own
type (:meth:`BayesianGame.harsanyi`).

The module also holds two transforms of trees used to model commitment
(:func:`commit_to_action`, :func:`with_commitment_stage`). Games are immutable:
every transform returns a new game.

Examples
--------
>>> g = BayesianGame(
...     players=["A", "B"],
...     types=[["strong", "weak"], ["only"]],
...     actions=[["Fight", "Yield"], ["Fight", "Yield"]],
...     prior={("strong", "only"): "1/3", ("weak", "only"): "2/3"},
...     payoffs={("strong", "only"): [[(1, -1), (2, 0)], [(0, 2), (0, 0)]],
...              ("weak", "only"): [[(-1, 1), (2, 0)], [(0, 2), (0, 0)]]})
>>> g
BayesianGame(players=('A', 'B'), types=((2, 1)), actions=((2, 2)))
>>> g.marginal("A")
{'strong': Fraction(1, 3), 'weak': Fraction(2, 3)}
>>> g.induced_normal_form().strategies[0]
('Fight/Fight', 'Fight/Yield', 'Yield/Fight', 'Yield/Yield')
>>> g.harsanyi().n_nodes
15
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import GameError
from .extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from .normal_form import NormalFormGame
from .numbers import Number, to_number

__all__ = [
    "BayesianGame",
    "commit_to_action",
    "independent_prior",
    "with_commitment_stage",
]


def independent_prior(*marginals: Mapping[str, Any]) -> dict[tuple[str, ...], Fraction]:
    """The product prior of independent types, one marginal ``{type: probability}`` per player.

    >>> independent_prior({"T": "0.4", "U": "0.6"}, {"x": 1})
    {('T', 'x'): Fraction(2, 5), ('U', 'x'): Fraction(3, 5)}
    """
    out: dict[tuple[str, ...], Fraction] = {}
    exact = [
        {t: _prob(p, f"marginal probability of {t!r}") for t, p in m.items()} for m in marginals
    ]
    for combo in itertools.product(*(list(m.items()) for m in exact)):
        prob = Fraction(1)
        for _, p in combo:
            prob *= p
        out[tuple(t for t, _ in combo)] = prob
    return out


def _prob(value: Any, what: str) -> Fraction:
    if isinstance(value, float):
        raise GameError(f"{what} is the float {value!r}; priors must be exact (e.g. '0.4')")
    p = to_number(value, what=what)
    if not isinstance(p, Fraction) or p < 0:
        raise GameError(f"{what} must be an exact non-negative number, got {value!r}")
    return p


class BayesianGame:
    """A finite Bayesian game with a common prior (immutable).

    Parameters
    ----------
    players
        Player labels.
    types
        Type labels per player (a player with complete information has one type).
    actions
        Action labels per player (the same for each of the player's types).
    prior
        ``{type profile: probability}``; exact numbers summing to 1; missing
        profiles have probability 0.
    payoffs
        ``{type profile: payoffs}`` where ``payoffs`` is a :class:`NormalFormGame`
        or an array-like of shape ``(|A_1|, ..., |A_N|, N)``; or a callable
        ``u(type_profile, action_profile) -> payoff vector`` taking labels.
    title
        A short description.

    Raises
    ------
    GameError
        On unknown labels, a prior that is inexact, negative or does not sum to 1,
        or payoffs of the wrong shape.
    """

    __slots__ = (
        "_actions",
        "_exact",
        "_payoffs",
        "_players",
        "_prior",
        "_provenance",
        "_title",
        "_types",
    )

    def __init__(
        self,
        *,
        players: Sequence[str],
        types: Sequence[Sequence[str]],
        actions: Sequence[Sequence[str]],
        prior: Mapping[tuple[str, ...], Any],
        payoffs: Mapping[tuple[str, ...], Any] | Callable[[tuple[str, ...], tuple[str, ...]], Any],
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        self._players = tuple(players)
        self._provenance = tuple(provenance)
        n = len(self._players)
        if n == 0 or len(set(self._players)) != n:
            raise GameError("a Bayesian game needs distinct player labels")
        if len(types) != n or len(actions) != n:
            raise GameError("types and actions need one entry per player")
        self._types = tuple(tuple(t) for t in types)
        self._actions = tuple(tuple(a) for a in actions)
        for what, rows in (("type", self._types), ("action", self._actions)):
            for i, row in enumerate(rows):
                if not row or len(set(row)) != len(row):
                    raise GameError(f"{what}s of {self._players[i]!r} must be non-empty, unique")
        self._title = title
        tshape = tuple(len(t) for t in self._types)
        ashape = tuple(len(a) for a in self._actions)
        pr = np.empty(tshape, dtype=object)
        pr[...] = Fraction(0)
        for prof, p in prior.items():
            pr[self._type_index(prof)] = _prob(p, f"prior probability of {prof}")
        total = sum(pr.ravel().tolist(), Fraction(0))
        if total != 1:
            raise GameError(f"the prior sums to {total}, expected 1")
        pr.flags.writeable = False
        self._prior = pr
        pay = np.empty((*tshape, *ashape, n), dtype=object)
        exact = True
        for tidx in itertools.product(*(range(k) for k in tshape)):
            tlab = tuple(self._types[i][k] for i, k in enumerate(tidx))
            if callable(payoffs):
                cells = np.empty((*ashape, n), dtype=object)
                for aidx in itertools.product(*(range(k) for k in ashape)):
                    alab = tuple(self._actions[i][k] for i, k in enumerate(aidx))
                    vec = tuple(payoffs(tlab, alab))
                    if len(vec) != n:
                        raise GameError(f"payoffs at {tlab}, {alab} need {n} entries")
                    cells[aidx] = list(vec)
            else:
                if tlab not in payoffs:
                    raise GameError(f"no payoffs for type profile {tlab}")
                given = payoffs[tlab]
                cells = (
                    given.payoffs
                    if isinstance(given, NormalFormGame)
                    else np.array(given, dtype=object)
                )
                if cells.shape != (*ashape, n):
                    raise GameError(
                        f"payoffs for {tlab} have shape {cells.shape}, expected {(*ashape, n)}"
                    )
            for aidx in itertools.product(*(range(k) for k in ashape)):
                for j in range(n):
                    v = to_number(cells[(*aidx, j)], what=f"payoff of {self._players[j]}")
                    exact = exact and isinstance(v, Fraction)
                    pay[(*tidx, *aidx, j)] = v
        if not exact:
            pay = pay.astype(np.float64)
        pay.flags.writeable = False
        self._payoffs = pay
        self._exact = exact

    # -- accessors --------------------------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        """Player labels."""
        return self._players

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self._players)

    @property
    def types(self) -> tuple[tuple[str, ...], ...]:
        """Type labels per player."""
        return self._types

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        """Action labels per player."""
        return self._actions

    @property
    def title(self) -> str:
        """A short description."""
        return self._title

    @property
    def is_exact(self) -> bool:
        """True when every payoff is a ``Fraction`` (the prior always is)."""
        return self._exact

    @property
    def prior(self) -> NDArray[Any]:
        """The prior as a read-only array of ``Fraction`` with shape ``(|T_1|, ..., |T_N|)``."""
        return self._prior

    @property
    def payoffs(self) -> NDArray[Any]:
        """Read-only payoffs, shape ``(|T_1|..|T_N|, |A_1|..|A_N|, N)``."""
        return self._payoffs

    def player_index(self, player: int | str) -> int:
        """Index of a player given by index or label."""
        if isinstance(player, int):
            if not 0 <= player < self.n_players:
                raise GameError(f"player index {player} out of range")
            return player
        if player not in self._players:
            raise GameError(f"unknown player {player!r}; players are {list(self._players)}")
        return self._players.index(player)

    def _type_index(self, profile: Sequence[str]) -> tuple[int, ...]:
        if len(profile) != self.n_players:
            raise GameError(f"type profile {tuple(profile)} needs one type per player")
        out = []
        for i, t in enumerate(profile):
            if t not in self._types[i]:
                raise GameError(f"unknown type {t!r} of {self._players[i]!r}")
            out.append(self._types[i].index(t))
        return tuple(out)

    def payoff(self, types: Sequence[str], actions: Sequence[str]) -> tuple[Number, ...]:
        """Payoffs at a type profile and action profile, by labels."""
        tidx = self._type_index(types)
        aidx = tuple(self._actions[i].index(a) for i, a in enumerate(actions))
        return tuple(self._payoffs[(*tidx, *aidx)].tolist())

    def marginal(self, player: int | str) -> dict[str, Fraction]:
        """The marginal distribution of a player's type."""
        i = self.player_index(player)
        axes = tuple(j for j in range(self.n_players) if j != i)
        sums = self._prior.sum(axis=axes) if axes else self._prior
        return {t: Fraction(sums[k]) for k, t in enumerate(self._types[i])}

    def posterior(self, player: int | str, type_: str) -> dict[tuple[str, ...], Fraction]:
        """A type's belief about the others' types (Bayes' rule on the prior).

        Raises ``GameError`` for a type of probability zero.

        >>> g = BayesianGame(players=["A", "B"], types=[["a"], ["x", "y"]],
        ...     actions=[["L"], ["L"]], prior={("a", "x"): "1/4", ("a", "y"): "3/4"},
        ...     payoffs=lambda t, a: (0, 0))
        >>> g.posterior("A", "a")
        {('x',): Fraction(1, 4), ('y',): Fraction(3, 4)}
        """
        i = self.player_index(player)
        k = self._types[i].index(type_)
        sl = np.take(self._prior, k, axis=i)
        total = sum(np.ravel(sl).tolist(), Fraction(0))
        if total == 0:
            raise GameError(f"type {type_!r} of {self._players[i]!r} has probability zero")
        others = [self._types[j] for j in range(self.n_players) if j != i]
        out: dict[tuple[str, ...], Fraction] = {}
        for idx in itertools.product(*(range(len(t)) for t in others)):
            out[tuple(others[j][m] for j, m in enumerate(idx))] = (
                Fraction(sl[idx] if idx else sl) / total
            )
        return out

    # -- strategies and normal forms ----------------------------------------------------------
    def strategy_plans(self, player: int | str) -> tuple[tuple[int, ...], ...]:
        """Type-contingent pure strategies of a player: an action index per type."""
        i = self.player_index(player)
        return tuple(itertools.product(range(len(self._actions[i])), repeat=len(self._types[i])))

    def strategy_labels(self, player: int | str) -> tuple[str, ...]:
        """Labels of the type-contingent strategies: actions per type joined by ``"/"``."""
        i = self.player_index(player)
        return tuple("/".join(self._actions[i][a] for a in plan) for plan in self.strategy_plans(i))

    def induced_normal_form(self) -> NormalFormGame:
        """The ex-ante normal form over type-contingent strategies (expected payoffs).

        Built with one vectorised gather per type profile; the size is
        ``prod_i |A_i| ** |T_i|`` profiles.

        >>> g = BayesianGame(players=["A", "B"], types=[["x", "y"], ["z"]],
        ...     actions=[["a", "b"], ["c"]], prior={("x", "z"): "1/4", ("y", "z"): "3/4"},
        ...     payoffs=lambda t, a: (1 if (t[0] == "x") == (a[0] == "a") else 0, 0))
        >>> nf = g.induced_normal_form()
        >>> nf.strategies[0], nf.payoff(("a/b", "c"))
        (('a/a', 'a/b', 'b/a', 'b/b'), (Fraction(1, 1), Fraction(0, 1)))
        """
        n = self.n_players
        plans = [np.array(self.strategy_plans(i), dtype=np.int64) for i in range(n)]
        shape = tuple(len(p) for p in plans)
        total = np.zeros((*shape, n), dtype=object if self._exact else np.float64)
        if self._exact:
            total[...] = Fraction(0)
        grids = np.meshgrid(*(np.arange(k) for k in shape), indexing="ij")
        for tidx in itertools.product(*(range(len(t)) for t in self._types)):
            p = self._prior[tidx]
            if p == 0:
                continue
            cells = self._payoffs[tidx]
            acts = tuple(plans[i][grids[i], tidx[i]] for i in range(n))
            gathered = cells[acts]
            total = total + (gathered * p if self._exact else gathered * float(p))
        return NormalFormGame(
            total,
            players=self._players,
            strategies=[self.strategy_labels(i) for i in range(n)],
            title=self._title,
            provenance=("induced normal form of a Bayesian game",),
        )

    def agents(self) -> tuple[tuple[int, int], ...]:
        """The agents of the agent form: ``(player, type)`` index pairs in order."""
        return tuple((i, k) for i in range(self.n_players) for k in range(len(self._types[i])))

    def agent_form(self) -> NormalFormGame:
        """The agent normal form: one player per (player, type), ex-ante weighted payoffs.

        Agent ``(i, t)`` gets ``sum_{t_-i} p(t, t_-i) u_i((t, t_-i), a)``: its
        interim payoff times the probability of ``t``, so a type of probability
        zero is indifferent between all its actions. Pure Nash equilibria of the
        agent form are exactly the pure Bayesian Nash equilibria.

        >>> g = BayesianGame(players=["A", "B"], types=[["x", "y"], ["z"]],
        ...     actions=[["a", "b"], ["c"]], prior={("x", "z"): "1/4", ("y", "z"): "3/4"},
        ...     payoffs=lambda t, a: (1 if (t[0] == "x") == (a[0] == "a") else 0, 0))
        >>> af = g.agent_form()
        >>> af.players, af.payoff(("a", "b", "c"))[:2]
        (('A|x', 'A|y', 'B|z'), (Fraction(1, 4), Fraction(3, 4)))
        """
        n = self.n_players
        agents = self.agents()
        k_of = {ag: pos for pos, ag in enumerate(agents)}
        shape = tuple(len(self._actions[i]) for i, _ in agents)
        m = len(agents)
        total = np.zeros((*shape, m), dtype=object if self._exact else np.float64)
        if self._exact:
            total[...] = Fraction(0)
        for tidx in itertools.product(*(range(len(t)) for t in self._types)):
            p = self._prior[tidx]
            if p == 0:
                continue
            cells = self._payoffs[tidx]
            axes = [k_of[(i, tidx[i])] for i in range(n)]
            # Place action axis i of the cell table on agent axis (i, t_i).
            order = np.argsort(axes)
            for i in range(n):
                u = np.transpose(cells[..., i], order)
                bshape = [1] * m
                for j in range(n):
                    bshape[axes[j]] = shape[axes[j]]
                u = u.reshape(bshape)
                w = u * p if self._exact else u * float(p)
                total[..., axes[i]] = total[..., axes[i]] + w
        labels = [f"{self._players[i]}|{self._types[i][k]}" for i, k in agents]
        return NormalFormGame(
            total,
            players=labels,
            strategies=[self._actions[i] for i, _ in agents],
            title=self._title,
            provenance=("agent form of a Bayesian game",),
        )

    @property
    def provenance(self) -> tuple[str, ...]:
        """What produced this game (transforms applied), oldest first."""
        return self._provenance

    def with_prior(
        self, prior: Mapping[tuple[str, ...], Any], note: str | None = None
    ) -> BayesianGame:
        """The same game with another prior (a new game); ``note`` joins its provenance.

        >>> g = BayesianGame(players=["A"], types=[["x", "y"]], actions=[["a"]],
        ...     prior={("x",): "1/2", ("y",): "1/2"}, payoffs=lambda t, a: (0,))
        >>> g.with_prior({("x",): 1}, "sure of x").provenance
        ('sure of x',)
        """
        return BayesianGame(
            players=self._players,
            types=self._types,
            actions=self._actions,
            prior=prior,
            payoffs=self.payoff,
            title=self._title,
            provenance=(*self._provenance, *((note,) if note else ())),
        )

    def harsanyi(self, *, keep_zero: bool = False) -> ExtensiveFormGame:
        """The Harsanyi transformation: chance draws types, then players move in turn.

        Each player's information set is labelled ``"<player>|<type>"``: it holds
        every node where the player has that type, so later movers see neither
        the others' types nor their actions. Type profiles of prior probability
        zero are left out unless ``keep_zero``.

        >>> g = BayesianGame(players=["A", "B"], types=[["x", "y"], ["z"]],
        ...     actions=[["a", "b"], ["c"]], prior={("x", "z"): "1/4", ("y", "z"): "3/4"},
        ...     payoffs=lambda t, a: (0, 0))
        >>> tree = g.harsanyi()
        >>> [h.label for h in tree.infosets[0]], [h.label for h in tree.infosets[1]]
        (['A|x', 'A|y'], ['B|z'])
        >>> tree.chance_infosets[0].probs
        (Fraction(1, 4), Fraction(3, 4))
        """
        n = self.n_players

        def moves(i: int, tlab: tuple[str, ...], tidx: tuple[int, ...], acts: list[int]) -> Node:
            if i == n:
                return Terminal(tuple(self._payoffs[(*tidx, *acts)].tolist()))
            return Decision(
                self._players[i],
                {a: moves(i + 1, tlab, tidx, [*acts, k]) for k, a in enumerate(self._actions[i])},
                infoset=f"{self._players[i]}|{tlab[i]}",
            )

        branches: dict[str, tuple[Any, Node]] = {}
        for tidx in itertools.product(*(range(len(t)) for t in self._types)):
            p = self._prior[tidx]
            if p == 0 and not keep_zero:
                continue
            tlab = tuple(self._types[i][k] for i, k in enumerate(tidx))
            branches[", ".join(tlab)] = (p, moves(0, tlab, tidx, []))
        return ExtensiveFormGame.build(
            players=list(self._players), root=Chance(branches), title=self._title
        )

    def __repr__(self) -> str:
        t = ", ".join(str(len(x)) for x in self._types)
        a = ", ".join(str(len(x)) for x in self._actions)
        return f"BayesianGame(players={self._players}, types=(({t})), actions=(({a})))"


# ---------------------------------------------------------------------------------------------
# Commitment transforms on trees
# ---------------------------------------------------------------------------------------------
def _relabel(node: Node, fn: Callable[[Decision], Node | None], suffix: str) -> Node:
    """Copy a builder tree, renaming information sets and letting ``fn`` replace decisions."""
    if isinstance(node, Terminal):
        return node
    if isinstance(node, Chance):
        return Chance(
            {a: (p, _relabel(c, fn, suffix)) for a, (p, c) in node.actions.items()},
            infoset=None if node.infoset is None else node.infoset + suffix,
            label=node.label,
            payoffs=node.payoffs,
            outcome=node.outcome,
        )
    replaced = fn(node)
    base = node if replaced is None else replaced
    assert isinstance(base, Decision)
    return Decision(
        base.player,
        {a: _relabel(c, fn, suffix) for a, c in base.actions.items()},
        infoset=None if base.infoset is None else base.infoset + suffix,
        label=base.label,
        payoffs=base.payoffs,
        outcome=base.outcome,
    )


def commit_to_action(
    game: ExtensiveFormGame, player: str, infoset: str, action: str
) -> ExtensiveFormGame:
    """A new game in which ``player`` is bound to ``action`` at information set ``infoset``.

    The other actions of that information set are removed (with their subtrees),
    so the commitment is credible by construction.

    Raises
    ------
    GameError
        When the player has no such information set or action.

    Examples
    --------
    >>> g = ExtensiveFormGame.build(players=["E", "I"], root=Decision("E", {
    ...     "Out": Terminal((0, 2)),
    ...     "In": Decision("I", {"Fight": Terminal((-1, -1)), "Share": Terminal((1, 1))},
    ...                    infoset="I")}))
    >>> c = commit_to_action(g, "I", "I", "Fight")
    >>> c.infosets[1][0].actions
    ('Fight',)
    """
    i = _check_infoset(game, player, infoset, action)

    def restrict(d: Decision) -> Node | None:
        h = game.players.index(d.player)
        if h == i and d.infoset == infoset:
            return Decision(d.player, {action: d.actions[action]}, infoset=d.infoset)
        return None

    root = _relabel(game.to_tree(), restrict, "")
    return ExtensiveFormGame.build(
        players=list(game.players), root=root, title=game.title or "commitment"
    )


def with_commitment_stage(
    game: ExtensiveFormGame,
    player: str,
    infoset: str,
    action: str,
    *,
    commit_label: str = "Commit",
    free_label: str = "No commitment",
) -> ExtensiveFormGame:
    """A first stage where ``player`` chooses whether to commit to ``action`` at ``infoset``.

    The root is a decision of ``player`` between ``commit_label`` (the game of
    :func:`commit_to_action`) and ``free_label`` (the original game); the
    information sets of the committed copy get the suffix ``" [committed]"``.

    Examples
    --------
    >>> g = ExtensiveFormGame.build(players=["E", "I"], root=Decision("E", {
    ...     "Out": Terminal((0, 2)),
    ...     "In": Decision("I", {"Fight": Terminal((-1, -1)), "Share": Terminal((1, 1))},
    ...                    infoset="I")}))
    >>> s = with_commitment_stage(g, "I", "I", "Fight")
    >>> [h.label for h in s.infosets[1]]
    ['commitment', 'I [committed]', 'I']
    """
    _check_infoset(game, player, infoset, action)
    committed = commit_to_action(game, player, infoset, action).to_tree()
    root = Decision(
        player,
        infoset="commitment",
        actions={
            commit_label: _relabel(committed, lambda d: None, " [committed]"),
            free_label: game.to_tree(),
        },
    )
    return ExtensiveFormGame.build(
        players=list(game.players), root=root, title=game.title or "commitment stage"
    )


def _check_infoset(game: ExtensiveFormGame, player: str, infoset: str, action: str) -> int:
    if player not in game.players:
        raise GameError(f"unknown player {player!r}; players are {list(game.players)}")
    i = game.players.index(player)
    for h in game.infosets[i]:
        if h.label == infoset:
            if action not in h.actions:
                raise GameError(f"{infoset!r} has no action {action!r}; actions: {h.actions}")
            return i
    labels = [h.label for h in game.infosets[i]]
    raise GameError(f"{player!r} has no information set {infoset!r}; it has {labels}")
