"""Reciprocity strategies as finite automata, noisy play as Markov chains, collective stability.

An :class:`Automaton` is a repeated-game strategy with finitely many states: in each state it
plays an action (or a lottery over actions), and it moves to the next state on the *observed*
profile (its own action, the other's action). Tit-for-tat, generous tit-for-tat, win-stay
lose-shift, grim and always-X are built in; any other is a few lines.

Two automata playing each other with implementation noise ε (each intended action is replaced by
another one with probability ε, uniformly among the others) form a Markov chain over pairs of
states (:func:`play_chain`). Its stationary distributions are computed exactly -- sympy linear
algebra over rationals or symbols -- and a non-ergodic chain is reported as such: one stationary
distribution per closed class, and the long-run distribution reached from the initial state.

Collective stability (Axelrod 1984) is checked against *every* single deviation: against a
resident automaton whose state both players see, the best a mutant can do is a stationary
policy on the resident's states (a Markov decision problem), so the mutants tried are all
|actions|^|states| such policies -- they include ALLD and alternation. Thresholds on the
continuation probability w (discounted payoffs from the automata) or on a strategy parameter
(limit-of-means payoffs) are solved exactly with sympy.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                 strategies=[["C", "D"], ["C", "D"]])
>>> chain = play_chain(tit_for_tat(), tit_for_tat(), eps="0.1")
>>> outcome_distribution(chain)
{('C', 'C'): Fraction(1, 4), ('C', 'D'): Fraction(1, 4),
 ('D', 'C'): Fraction(1, 4), ('D', 'D'): Fraction(1, 4)}
>>> long_run_payoffs(chain, pd)
(Fraction(9, 4), Fraction(9, 4))
>>> collective_stability(tit_for_tat(), pd).threshold
Fraction(2, 3)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeAlias

from ..games.errors import GameError, SolverError
from ..games.normal_form import NormalFormGame

__all__ = [
    "Automaton",
    "CollectiveStability",
    "InvaderResult",
    "PlayChain",
    "StationaryResult",
    "alternate",
    "always",
    "collective_stability",
    "discounted_payoffs",
    "generosity_threshold",
    "generous_tit_for_tat",
    "grim",
    "long_run_payoffs",
    "outcome_distribution",
    "play_chain",
    "policy_mutants",
    "stationary",
    "tit_for_tat",
    "win_stay_lose_shift",
]

Value: TypeAlias = Any
"""A ``Fraction``, a ``float`` or a sympy expression."""


def _sym(x: Any) -> Any:
    import sympy as sp

    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    if isinstance(x, str):
        return sp.Rational(x)
    if isinstance(x, float):
        return sp.Float(x)
    return sp.sympify(x)


def _plain(x: Any) -> Value:
    """sympy -> Fraction (rational), float (Float) or the expression itself."""
    import sympy as sp

    x = sp.sympify(x)
    if x.free_symbols:
        x = sp.factor(sp.cancel(x))
    elif not isinstance(x, sp.Rational | sp.Float):
        x = sp.nsimplify(x) if x.is_rational else sp.simplify(x)
    if isinstance(x, sp.Rational):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, sp.Float):
        return float(x)
    return x


# -- automata ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Automaton:
    """A finite-state strategy of a two-player repeated game.

    Attributes
    ----------
    name
        A label (``"TFT"``).
    actions
        The action alphabet, e.g. ``("C", "D")``.
    states
        State labels; the first is not special, ``initial`` is.
    initial
        The state in the first period.
    play
        Per state (in ``states`` order), the probability of each action (in ``actions`` order).
        Probabilities may be Fractions or sympy expressions (e.g. a symbol ``q``).
    transitions
        Per state, per observed profile ``(own action, other's action)`` in
        ``itertools.product(actions, actions)`` order, the next state.

    Examples
    --------
    >>> tft = Automaton.build("TFT", initial="c",
    ...     play={"c": "C", "d": "D"},
    ...     transition=lambda state, own, other: "c" if other == "C" else "d")
    >>> tft.next_state("c", "C", "D"), tft.action("d")
    ('d', {'C': Fraction(0, 1), 'D': Fraction(1, 1)})
    """

    name: str
    actions: tuple[str, ...]
    states: tuple[str, ...]
    initial: str
    play: tuple[tuple[Value, ...], ...]
    transitions: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if self.initial not in self.states:
            raise GameError(f"automaton {self.name}: initial state {self.initial!r} unknown")
        k = len(self.actions)
        if len(self.play) != len(self.states) or any(len(p) != k for p in self.play):
            raise GameError(f"automaton {self.name}: give {k} action probabilities per state")
        if len(self.transitions) != len(self.states) or any(
            len(t) != k * k or any(s not in self.states for s in t) for t in self.transitions
        ):
            raise GameError(f"automaton {self.name}: a next state per state and observed profile")

    @classmethod
    def build(
        cls,
        name: str,
        *,
        initial: str,
        play: Mapping[str, str | Mapping[str, Any]],
        transition: Callable[[str, str, str], str] | Mapping[tuple[str, str, str], str],
        actions: Sequence[str] = ("C", "D"),
    ) -> Automaton:
        """Build an automaton from readable pieces.

        Parameters
        ----------
        play
            ``{state: action}`` or ``{state: {action: probability}}``; the states, in order.
        transition
            ``f(state, own action, other's action) -> next state`` or the same as a mapping.
        actions
            The action alphabet.
        """
        acts = tuple(actions)
        states = tuple(play)
        rows: list[tuple[Value, ...]] = []
        for s in states:
            p = play[s]
            if isinstance(p, str):
                if p not in acts:
                    raise GameError(f"automaton {name}: unknown action {p!r} in state {s!r}")
                rows.append(tuple(Fraction(int(a == p)) for a in acts))
            else:
                unknown = set(p) - set(acts)
                if unknown:
                    raise GameError(f"automaton {name}: unknown actions {sorted(unknown)}")
                rows.append(tuple(_prob(p.get(a, 0)) for a in acts))
        trans: list[tuple[str, ...]] = []
        for s in states:
            row = []
            for own, other in itertools.product(acts, acts):
                nxt = (
                    transition(s, own, other)
                    if callable(transition)
                    else transition[(s, own, other)]
                )
                row.append(nxt)
            trans.append(tuple(row))
        return cls(name, acts, states, initial, tuple(rows), tuple(trans))

    def action(self, state: str) -> dict[str, Value]:
        """The lottery over actions played in ``state``."""
        return dict(zip(self.actions, self.play[self.states.index(state)], strict=True))

    def next_state(self, state: str, own: str, other: str) -> str:
        """The state after observing ``(own, other)`` in ``state``."""
        k = len(self.actions)
        pos = self.actions.index(own) * k + self.actions.index(other)
        return self.transitions[self.states.index(state)][pos]

    def rename(self, name: str) -> Automaton:
        """The same automaton with another name."""
        return Automaton(name, self.actions, self.states, self.initial, self.play, self.transitions)


def _prob(x: Any) -> Value:
    if isinstance(x, Fraction | float):
        return x
    if isinstance(x, int | str):
        return Fraction(x)
    return x


def tit_for_tat(cooperate: str = "C", defect: str = "D") -> Automaton:
    """Cooperate first, then do what the other did last period."""
    return Automaton.build(
        "TFT",
        initial="c",
        play={"c": cooperate, "d": defect},
        transition=lambda s, own, other: "c" if other == cooperate else "d",
        actions=(cooperate, defect),
    )


def generous_tit_for_tat(q: Any, cooperate: str = "C", defect: str = "D") -> Automaton:
    """Tit-for-tat that forgives a defection with probability ``q`` (a number or a sympy symbol).

    >>> generous_tit_for_tat("1/3").action("d")
    {'C': Fraction(1, 3), 'D': Fraction(2, 3)}
    """
    qq = _prob(q)
    return Automaton.build(
        "GTFT",
        initial="c",
        play={"c": cooperate, "d": {cooperate: qq, defect: 1 - qq}},
        transition=lambda s, own, other: "c" if other == cooperate else "d",
        actions=(cooperate, defect),
    )


def win_stay_lose_shift(cooperate: str = "C", defect: str = "D") -> Automaton:
    """Pavlov: repeat the last action after the other cooperated, switch after a defection."""

    def step(s: str, own: str, other: str) -> str:
        stay = own if other == cooperate else (defect if own == cooperate else cooperate)
        return "c" if stay == cooperate else "d"

    return Automaton.build(
        "WSLS",
        initial="c",
        play={"c": cooperate, "d": defect},
        transition=step,
        actions=(cooperate, defect),
    )


def grim(cooperate: str = "C", defect: str = "D") -> Automaton:
    """Cooperate until the other defects once, then defect for ever."""
    return Automaton.build(
        "GRIM",
        initial="c",
        play={"c": cooperate, "d": defect},
        transition=lambda s, own, other: "d" if s == "d" or other != cooperate else "c",
        actions=(cooperate, defect),
    )


def always(action: str, actions: Sequence[str] = ("C", "D")) -> Automaton:
    """Play ``action`` in every period (``always("D")`` is ALLD)."""
    return Automaton.build(
        f"ALL{action}",
        initial="s",
        play={"s": action},
        transition={("s", a, b): "s" for a in actions for b in actions},
        actions=actions,
    )


def alternate(
    first: str = "D", second: str = "C", actions: Sequence[str] = ("C", "D")
) -> Automaton:
    """Alternate ``first``, ``second``, ``first``, ... regardless of the other."""
    return Automaton.build(
        f"ALT({first}{second})",
        initial="one",
        play={"one": first, "two": second},
        transition=lambda s, own, other: "two" if s == "one" else "one",
        actions=actions,
    )


# -- chains -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlayChain:
    """The Markov chain of play between two automata.

    Attributes
    ----------
    row, column
        The automata (player 1, player 2).
    eps
        Implementation noise.
    states
        Reachable pairs ``(row state, column state)``; ``states[0]`` is the initial pair.
    matrix
        Transition probabilities (sympy ``Matrix``; rows sum to 1).
    outcomes
        Per state, the probability of each realised action profile ``{(a, b): p}``.
    """

    row: Automaton
    column: Automaton
    eps: Value
    states: tuple[tuple[str, str], ...]
    matrix: Any
    outcomes: tuple[Mapping[tuple[str, str], Any], ...]


def _is_zero(x: Any) -> bool:
    import sympy as sp

    x = sp.sympify(x)
    if x.is_number:
        return bool(x == 0)
    return bool(sp.simplify(x) == 0)


def _realised(intended: Mapping[str, Any], actions: Sequence[str], eps: Any) -> dict[str, Any]:
    k = len(actions)
    if k == 1:
        return {actions[0]: _sym(1)}
    out = {}
    for a in actions:
        p_int = _sym(intended[a])
        p_other = sum((_sym(intended[b]) for b in actions if b != a), _sym(0))
        out[a] = p_int * (1 - eps) + p_other * eps / (k - 1)
    return out


def play_chain(row: Automaton, column: Automaton, *, eps: Any = 0) -> PlayChain:
    """The Markov chain of play between ``row`` and ``column`` with implementation noise ``eps``.

    Each period both automata draw their intended action; with probability ``eps`` the action
    actually taken is another one (uniformly among the others). Both see the realised profile
    and move on. States are the reachable pairs of automaton states. A symbolic ``eps`` (or
    symbolic play probabilities) is treated as a generic value strictly inside (0, 1).

    Examples
    --------
    >>> chain = play_chain(tit_for_tat(), always("D"))
    >>> chain.states
    (('c', 's'), ('d', 's'))
    """
    import sympy as sp

    if row.actions != column.actions:
        raise GameError("play_chain(): the automata must share the action alphabet")
    acts = row.actions
    e = _sym(eps)
    if e.is_number and (e < 0 or e > 1):
        raise GameError(f"noise eps is {eps}; expected a probability")
    start = (row.initial, column.initial)
    order: list[tuple[str, str]] = [start]
    rows: dict[tuple[str, str], dict[tuple[str, str], Any]] = {}
    outs: dict[tuple[str, str], dict[tuple[str, str], Any]] = {}
    k = 0
    while k < len(order):
        s = order[k]
        k += 1
        pa = _realised(row.action(s[0]), acts, e)
        pb = _realised(column.action(s[1]), acts, e)
        out: dict[tuple[str, str], Any] = {}
        nxt: dict[tuple[str, str], Any] = {}
        for a, b in itertools.product(acts, acts):
            p = sp.expand(pa[a] * pb[b])
            out[(a, b)] = p
            if _is_zero(p):
                continue
            t = (row.next_state(s[0], a, b), column.next_state(s[1], b, a))
            nxt[t] = nxt.get(t, 0) + p
            if t not in order:
                order.append(t)
        rows[s] = nxt
        outs[s] = out
    n = len(order)
    M = sp.zeros(n, n)
    for i, s in enumerate(order):
        for t, p in rows[s].items():
            M[i, order.index(t)] += p
    return PlayChain(row, column, _plain(e), tuple(order), M, tuple(outs[s] for s in order))


@dataclass(frozen=True)
class StationaryResult:
    """Stationary distributions of a chain of play.

    Attributes
    ----------
    ergodic
        True when there is a single closed class (a unique stationary distribution).
    classes
        The closed (recurrent) classes, as tuples of states.
    distributions
        One stationary distribution per closed class ``{state: probability}``.
    absorption
        Probability of ending in each class when starting from the initial state.
    long_run
        The long-run (Cesàro) distribution from the initial state: the class distributions
        weighted by the absorption probabilities.
    """

    ergodic: bool
    classes: tuple[tuple[tuple[str, str], ...], ...]
    distributions: tuple[Mapping[tuple[str, str], Value], ...]
    absorption: tuple[Value, ...]
    long_run: Mapping[tuple[str, str], Value]


def _closed_classes(M: Any, n: int) -> list[list[int]]:
    edges = [[j for j in range(n) if not _is_zero(M[i, j])] for i in range(n)]
    reach = []
    for i in range(n):
        seen = {i}
        stack = [i]
        while stack:
            a = stack.pop()
            for b in edges[a]:
                if b not in seen:
                    seen.add(b)
                    stack.append(b)
        reach.append(seen)
    classes: list[list[int]] = []
    assigned: set[int] = set()
    for i in range(n):
        if i in assigned:
            continue
        if all(i in reach[j] for j in reach[i]):  # closed: everything reachable leads back
            cls = sorted(reach[i])
            classes.append(cls)
            assigned.update(cls)
    return classes


def stationary(chain: PlayChain) -> StationaryResult:
    """Exact stationary distributions of ``chain``, honest about non-ergodic chains.

    Examples
    --------
    Without noise TFT against itself stays in mutual cooperation; ALLD against TFT ends in
    mutual defection:

    >>> stationary(play_chain(tit_for_tat(), always("D"))).long_run
    {('c', 's'): Fraction(0, 1), ('d', 's'): Fraction(1, 1)}
    >>> res = stationary(play_chain(grim(), grim(), eps="0.1"))
    >>> res.ergodic, res.classes
    (True, ((('d', 'd'),),))
    """
    import sympy as sp

    M = chain.matrix
    n = len(chain.states)
    classes = _closed_classes(M, n)
    dists: list[dict[int, Any]] = []
    for cls in classes:
        sub = M.extract(cls, cls)
        m = len(cls)
        pis = sp.symbols(f"pi0:{m}")
        eqs = [sum(pis[a] * sub[a, b] for a in range(m)) - pis[b] for b in range(m)]
        eqs = [*eqs[:-1], sum(pis) - 1]
        sol = sp.solve(eqs, pis, dict=True)
        if len(sol) != 1:  # pragma: no cover - a closed class has a unique distribution
            raise SolverError("stationary(): could not solve for the stationary distribution")
        dists.append({cls[a]: sp.cancel(sol[0][pis[a]]) for a in range(m)})
    recurrent = {i for cls in classes for i in cls}
    transient = [i for i in range(n) if i not in recurrent]
    absorb: list[Any]
    if 0 in recurrent:
        absorb = [sp.Integer(1) if 0 in cls else sp.Integer(0) for cls in classes]
    else:
        Q = M.extract(transient, transient)
        N = (sp.eye(len(transient)) - Q).inv()
        absorb = []
        for cls in classes:
            R = M.extract(transient, cls)
            b = N * R * sp.ones(len(cls), 1)
            absorb.append(sp.cancel(b[transient.index(0), 0]))
    long_run = {s: sp.Integer(0) for s in range(n)}
    for w, dist in zip(absorb, dists, strict=True):
        for s, p in dist.items():
            long_run[s] += w * p
    return StationaryResult(
        ergodic=len(classes) == 1,
        classes=tuple(tuple(chain.states[i] for i in cls) for cls in classes),
        distributions=tuple({chain.states[i]: _plain(p) for i, p in d.items()} for d in dists),
        absorption=tuple(_plain(w) for w in absorb),
        long_run={chain.states[i]: _plain(long_run[i]) for i in range(n)},
    )


def outcome_distribution(chain: PlayChain) -> dict[tuple[str, str], Value]:
    """Long-run frequency of each realised action profile, from the initial state."""
    lr = stationary(chain).long_run
    acts = chain.row.actions
    out = {}
    for a, b in itertools.product(acts, acts):
        total = sum(
            (_sym(lr[s]) * chain.outcomes[k][(a, b)] for k, s in enumerate(chain.states)), _sym(0)
        )
        out[(a, b)] = _plain(total)
    return out


def _stage_payoffs(game: Any, actions: Sequence[str]) -> dict[tuple[str, str], tuple[Any, Any]]:
    """``{(a, b): (u1, u2)}`` as sympy values, from a game or a mapping."""
    out = {}
    for a, b in itertools.product(actions, actions):
        if isinstance(game, NormalFormGame):
            if game.n_players != 2:
                raise GameError("reciprocity needs a 2-player stage game")
            vals = game.payoff((a, b))
        else:
            vals = game[(a, b)]
        out[(a, b)] = (_sym(vals[0]), _sym(vals[1]))
    return out


def long_run_payoffs(chain: PlayChain, game: Any) -> tuple[Value, Value]:
    """Long-run average payoffs (limit of means) of both players from the initial state.

    ``game`` is a 2-player :class:`~equishift.games.NormalFormGame` whose strategy labels are the
    automata's actions, or a mapping ``{(a, b): (u1, u2)}`` (values may be sympy expressions).
    """
    dist = outcome_distribution(chain)
    pay = _stage_payoffs(game, chain.row.actions)
    u1 = sum((_sym(p) * pay[o][0] for o, p in dist.items()), _sym(0))
    u2 = sum((_sym(p) * pay[o][1] for o, p in dist.items()), _sym(0))
    return _plain(u1), _plain(u2)


def discounted_payoffs(chain: PlayChain, game: Any, w: Any) -> tuple[Value, Value]:
    """Normalised discounted payoffs :math:`(1-w)\\sum_t w^t u_t` from the initial state.

    ``w`` is a number in [0, 1) or a sympy symbol (the result is then a rational function).

    >>> import sympy as sp
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"], ["C", "D"]])
    >>> w = sp.Symbol("w")
    >>> discounted_payoffs(play_chain(always("D"), tit_for_tat()), pd, w)[0]
    5 - 4*w
    """
    import sympy as sp

    ww = _sym(w)
    pay = _stage_payoffs(game, chain.row.actions)
    n = len(chain.states)
    out = []
    for player in (0, 1):
        r = sp.Matrix(
            [
                sum((p * pay[o][player] for o, p in chain.outcomes[k].items()), _sym(0))
                for k in range(n)
            ]
        )
        A = sp.eye(n) - ww * chain.matrix
        v = A.LUsolve((1 - ww) * r)
        out.append(_plain(sp.factor(sp.cancel(v[0]))))
    return out[0], out[1]


# -- collective stability ---------------------------------------------------------------------
def policy_mutants(resident: Automaton) -> tuple[Automaton, ...]:
    """Every stationary deterministic policy on the resident's states, as an automaton.

    Against a resident whose state is known to the mutant (both see the realised profile and
    the resident's transitions are deterministic), the mutant faces a Markov decision problem
    over the resident's states; a best reply can be found among these policies (discounted or
    limit-of-means payoffs). Recognisable policies are named (``ALLD``, ``ALLC``); the others
    are named by the action in each resident state, e.g. ``"c→D d→C"``.
    """
    acts = resident.actions
    out = []
    for choice in itertools.product(acts, repeat=len(resident.states)):
        play = dict(zip(resident.states, choice, strict=True))

        def step(s: str, own: str, other: str) -> str:
            return resident.next_state(s, other, own)

        if len(set(choice)) == 1:
            name = f"ALL{choice[0]}"
        else:
            name = " ".join(f"{s}→{a}" for s, a in play.items())
        out.append(
            Automaton.build(
                name, initial=resident.initial, play=play, transition=step, actions=acts
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class InvaderResult:
    """How one mutant fares against a resident.

    Attributes
    ----------
    invader
        The mutant's name.
    advantage
        Mutant's payoff against the resident minus the resident's payoff against itself,
        as a function of the parameter (a sympy expression).
    threshold
        For w: the smallest w from which the mutant never gains (``None``: it gains as w → 1).
        For a strategy parameter: the largest value up to which the mutant never gains
        (``None``: it gains for every positive value).
    """

    invader: str
    advantage: Any
    threshold: Value | None


@dataclass(frozen=True)
class CollectiveStability:
    """Collective stability of a resident strategy against all single mutants.

    Attributes
    ----------
    resident
        The resident's name.
    parameter
        ``"w"`` (continuation probability) or the strategy parameter's name.
    threshold
        For w: the resident is collectively stable iff w ≥ threshold (``None``: never for w < 1).
        For a strategy parameter: stable iff the parameter ≤ threshold.
    binding
        The mutants that set the threshold.
    invaders
        Every mutant checked, with its own threshold.
    """

    resident: str
    parameter: str
    threshold: Value | None
    binding: tuple[str, ...]
    invaders: tuple[InvaderResult, ...] = field(default=())


def _sign_intervals(expr: Any, x: Any, lo: Any, hi: Any) -> list[tuple[Any, Any, bool]]:
    """Split (lo, hi) at the real roots of expr's numerator and denominator; is expr > 0 there?"""
    import sympy as sp

    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    pts: set[Any] = set()
    for part in (num, den):
        part = sp.expand(part)
        if part.has(x):
            for r in sp.Poly(part, x).real_roots():
                if lo < r < hi:
                    pts.add(r)
    cuts = [lo, *sorted(pts, key=lambda r: float(r)), hi]
    out = []
    for a, b in itertools.pairwise(cuts):
        mid = sp.nsimplify((float(a) + float(b)) / 2, rational=True)
        if not a < mid < b:
            mid = (a + b) / 2
        at = expr.subs(x, mid)
        out.append((a, b, bool((at if at.is_Rational else sp.simplify(at)) > 0)))
    return out


def _w_threshold(adv: Any, w: Any) -> Any | None:
    """Smallest w0 in [0, 1) with adv <= 0 on (w0, 1); None when adv > 0 just below 1."""
    import sympy as sp

    parts = _sign_intervals(adv, w, sp.Integer(0), sp.Integer(1))
    if parts[-1][2]:
        return None
    w0 = sp.Integer(0)
    for a, _b, bad in parts:
        if bad:
            w0 = None
        elif w0 is None:
            w0 = a
    # the last interval is good, so w0 is set to the start of the final good run
    return w0


def _param_threshold(adv: Any, x: Any) -> Any | None:
    """Largest x0 in [0, 1] with adv <= 0 on (0, x0); None when adv > 0 just above 0."""
    import sympy as sp

    parts = _sign_intervals(adv, x, sp.Integer(0), sp.Integer(1))
    if parts[0][2]:
        return None
    for a, _b, bad in parts:
        if bad:
            return a
    return parts[-1][1]


def collective_stability(
    resident: Automaton,
    game: Any,
    *,
    eps: Any = 0,
    extra_invaders: Sequence[Automaton] = (),
) -> CollectiveStability:
    """Continuation probabilities w for which ``resident`` is collectively stable.

    The resident is collectively stable when no mutant earns more against it than it earns
    against itself (Axelrod 1984). Payoffs are discounted sums with continuation probability w,
    computed from the automata's chains of play (with noise ``eps`` if given); the mutants are
    all policies of :func:`policy_mutants` plus ``extra_invaders``. The resident's
    transitions must be deterministic (its *actions* may be random).

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"], ["C", "D"]])
    >>> res = collective_stability(tit_for_tat(), pd)
    >>> res.threshold, res.binding
    (Fraction(2, 3), ('c→D d→C',))
    >>> {r.invader: r.threshold for r in res.invaders}["ALLD"]
    Fraction(1, 2)
    """
    import sympy as sp

    w = sp.Symbol("w", positive=True)
    home = discounted_payoffs(play_chain(resident, resident, eps=eps), game, w)[0]
    results = []
    for mutant in (*policy_mutants(resident), *extra_invaders):
        v = discounted_payoffs(play_chain(mutant, resident, eps=eps), game, w)[0]
        adv = sp.factor(sp.cancel(_sym(v) - _sym(home)))
        results.append(InvaderResult(mutant.name, adv, _w_threshold(adv, w)))
    return _summarise(resident.name, "w", results, upper=False)


def _summarise(
    name: str, parameter: str, results: list[InvaderResult], *, upper: bool
) -> CollectiveStability:
    import sympy as sp

    thresholds = [r.threshold for r in results]
    out_results = tuple(
        InvaderResult(r.invader, r.advantage, None if r.threshold is None else _plain(r.threshold))
        for r in results
    )
    if any(t is None for t in thresholds):
        binding = tuple(r.invader for r in results if r.threshold is None)
        return CollectiveStability(name, parameter, None, binding, out_results)
    known: list[Any] = [t for t in thresholds if t is not None]
    pick = min if upper else max
    star = pick(known, key=lambda t: float(t))
    binding = tuple(
        r.invader
        for r in results
        if r.threshold is not None and sp.simplify(r.threshold - star) == 0
    )
    return CollectiveStability(name, parameter, _plain(star), binding, out_results)


def generosity_threshold(game: Any) -> CollectiveStability:
    """Largest forgiveness q for which generous tit-for-tat resists every mutant.

    GTFT(q) cooperates after the other cooperated and forgives a defection with probability q.
    Against every stationary policy on GTFT's states the mutant's limit-of-means payoff (from
    the exact chain of play, with q a symbol) is compared with GTFT's payoff against itself; the
    constraints are solved in q (Molander 1985; Nowak & Sigmund 1992).

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"], ["C", "D"]])
    >>> res = generosity_threshold(pd)
    >>> res.threshold, res.binding
    (Fraction(1, 3), ('c→D d→C',))
    """
    import sympy as sp

    q = sp.Symbol("q", positive=True)
    resident = generous_tit_for_tat(q)
    home = long_run_payoffs(play_chain(resident, resident), game)[0]
    results = []
    for mutant in policy_mutants(resident):
        v = long_run_payoffs(play_chain(mutant, resident), game)[0]
        adv = sp.factor(sp.cancel(_sym(v) - _sym(home)))
        results.append(InvaderResult(mutant.name, adv, _param_threshold(adv, q)))
    return _summarise("GTFT", "q", results, upper=True)
