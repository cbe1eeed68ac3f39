"""Reading the equilibria of a cheap-talk game: what was said, and what followed.

:func:`equishift.games.cheap_talk.with_cheap_talk` builds the game; :func:`~equishift.solver.solve`
finds its equilibria as behaviour strategies. :func:`talk_equilibria` reads each one back
in terms of the original game: the probability of each message profile, the mixed profile
played after it, the distribution over the original game's outcomes, and whether play
reacts to the messages (*responsive*) or not (*babbling*: every player does the same
whatever was said, so talk changes nothing).

Examples
--------
>>> from equishift.games import NormalFormGame
>>> from equishift.games.cheap_talk import with_cheap_talk
>>> from equishift.solver import solve
>>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
...     players=["DPRK", "US"], strategies=[["Engage", "Hedge"]] * 2)
>>> talk = with_cheap_talk(stag, ["engage", "hedge"])
>>> found = talk_equilibria(stag, talk, solve(talk))
>>> t = next(t for t in found if t.responsive)
>>> t.messages, t.outcome
({('engage',): Fraction(1, 1)}, {('Engage', 'Engage'): Fraction(1, 1)})
>>> t.response("US")
{('engage',): 'Engage', ('hedge',): 'Hedge'}
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from ..games.cheap_talk import message_infoset, play_infoset
from ..games.errors import GameError
from ..games.extensive_form import ExtensiveFormGame
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number
from .solution import BehaviorEquilibrium, Solution

__all__ = ["TalkEquilibrium", "talk_equilibria"]


@dataclass(frozen=True)
class TalkEquilibrium:
    """An equilibrium of a cheap-talk game, read in terms of the original game.

    Attributes
    ----------
    equilibrium
        The behaviour-strategy equilibrium of the cheap-talk game.
    messages
        Probability of each message profile sent (zeros omitted).
    play
        For every message profile (sent or not), the mixed profile of the original game
        played after it (per player, per strategy).
    outcome
        Distribution over the original game's pure profiles (zeros omitted).
    responsive
        Whether some player's play differs between message profiles (for a sender, only
        between profiles with a message it sends with positive probability: its play after
        the others is left open by its reduced strategy).
    payoffs
        Each player's expected payoff.
    """

    equilibrium: BehaviorEquilibrium
    strategies: tuple[tuple[str, ...], ...]
    players: tuple[str, ...]
    messages: dict[tuple[str, ...], Number]
    play: dict[tuple[str, ...], tuple[tuple[Number, ...], ...]]
    outcome: dict[tuple[str, ...], Number]
    responsive: bool
    payoffs: tuple[Number, ...]

    @property
    def babbling(self) -> bool:
        """No player's play depends on the messages."""
        return not self.responsive

    def response(self, player: str) -> dict[tuple[str, ...], str | tuple[Number, ...]]:
        """What ``player`` plays after each message profile: a label if pure, else the mixture."""
        i = self.players.index(player)
        out: dict[tuple[str, ...], str | tuple[Number, ...]] = {}
        for msgs, prof in self.play.items():
            row = prof[i]
            pure = [k for k, p in enumerate(row) if p == 1]
            out[msgs] = self.strategies[i][pure[0]] if pure else row
        return out


def talk_equilibria(
    game: NormalFormGame, talk: ExtensiveFormGame, solution: Solution
) -> tuple[TalkEquilibrium, ...]:
    """Read every behaviour equilibrium of ``solution`` (of ``talk``) in terms of ``game``.

    Parameters
    ----------
    game
        The original game.
    talk
        ``with_cheap_talk(game, ...)``.
    solution
        ``solve(talk)``.

    Raises
    ------
    GameError
        When ``talk`` was not built from ``game`` by ``with_cheap_talk`` (labels differ) or
        the solution holds no behaviour equilibria.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> from equishift.games.cheap_talk import with_cheap_talk
    >>> from equishift.solver import solve
    >>> coord = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> talk = with_cheap_talk(coord, ["one", "two"])
    >>> found = talk_equilibria(coord, talk, solve(talk))
    >>> sorted({(t.babbling, tuple(t.outcome)) for t in found if len(t.outcome) == 1})
    [(False, (('1', '1'),)), (False, (('2', '2'),)), (True, (('1', '1'),)), (True, (('2', '2'),))]
    """
    if not isinstance(talk, ExtensiveFormGame):
        raise GameError("talk_equilibria(): the message stage needs an ExtensiveFormGame")
    players = game.players
    senders: list[tuple[int, tuple[str, ...]]] = []
    for i, pl in enumerate(players):
        for h in talk.infosets[i]:
            if h.label == message_infoset(pl):
                senders.append((i, h.actions))
    if not senders:
        raise GameError("talk_equilibria(): the tree has no message stage from with_cheap_talk")
    profiles = list(itertools.product(*(m for _, m in senders)))
    out: list[TalkEquilibrium] = []
    for eq in solution.equilibria:
        if not isinstance(eq, BehaviorEquilibrium):
            raise GameError("talk_equilibria(): expected behaviour-strategy equilibria")
        beh = eq.by_label(include_zero=True)
        play: dict[tuple[str, ...], tuple[tuple[Number, ...], ...]] = {}
        msg_prob: dict[tuple[str, ...], Number] = {}
        for msgs in profiles:
            rows: list[tuple[Number, ...]] = []
            for i, pl in enumerate(players):
                label = play_infoset(pl, msgs)
                if label not in beh[pl]:
                    raise GameError(f"talk_equilibria(): no information set {label!r}")
                d = beh[pl][label]
                rows.append(tuple(d[s] for s in game.strategies[i]))
            play[msgs] = tuple(rows)
            p: Number = Fraction(1)
            for (i, _), m in zip(senders, msgs, strict=True):
                p = p * beh[players[i]][message_infoset(players[i])][m]
            msg_prob[msgs] = p
        outcome: dict[tuple[str, ...], Number] = {}
        for msgs, prof in play.items():
            if msg_prob[msgs] == 0:
                continue
            for idx in itertools.product(*(range(n) for n in game.shape)):
                q: Number = msg_prob[msgs]
                for i, k in enumerate(idx):
                    q = q * prof[i][k]
                if q != 0:
                    key = tuple(game.strategies[i][k] for i, k in enumerate(idx))
                    outcome[key] = outcome.get(key, Fraction(0)) + q
        responsive = False
        for i, pl in enumerate(players):
            # A sender's play after messages it never sends is payoff-irrelevant to it (its
            # reduced strategy leaves it open), so only its own possible messages count.
            own = [k for k, (j, _) in enumerate(senders) if j == i]
            seen = {
                play[m][i]
                for m in profiles
                if all(beh[pl][message_infoset(pl)][m[k]] != 0 for k in own)
            }
            responsive = responsive or len(seen) > 1
        out.append(
            TalkEquilibrium(
                equilibrium=eq,
                strategies=game.strategies,
                players=players,
                messages={m: p for m, p in msg_prob.items() if p != 0},
                play=play,
                outcome=outcome,
                responsive=responsive,
                payoffs=eq.payoffs,
            )
        )
    return tuple(out)
