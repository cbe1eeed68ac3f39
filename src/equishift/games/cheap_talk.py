"""Cheap talk: a costless message stage in front of a simultaneous-move game.

:func:`with_cheap_talk` turns a :class:`~equishift.games.NormalFormGame` into an
:class:`~equishift.games.ExtensiveFormGame`. The senders first announce a message each,
simultaneously (a later sender does not see an earlier one's message: their message
nodes share one information set); the messages cost nothing and change no payoff. Then
everybody sees every message and the original game is played simultaneously: after each
message profile, each player's decision nodes form one information set (labelled by the
messages heard), so nobody sees the others' actions. Messages matter only through the
beliefs they create (Farrell 1987; Baliga & Sjöström 2004, Rev. Econ. Stud. 71(2)).

The information-set labels follow :func:`message_infoset` and :func:`play_infoset`, so
an analysis can find the message stage and the play after each message profile.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
...     players=["DPRK", "US"], strategies=[["Engage", "Hedge"]] * 2)
>>> talk = with_cheap_talk(stag, ["engage", "hedge"])
>>> talk.n_nodes, talk.has_perfect_recall
(15, True)
>>> [h.label for h in talk.infosets[0]]
['DPRK talks', 'DPRK after engage', 'DPRK after hedge']
>>> [h.label for h in talk.infosets[1]]
['US after engage', 'US after hedge']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import GameError
from .extensive_form import Decision, ExtensiveFormGame, Node, Terminal
from .normal_form import NormalFormGame

__all__ = ["message_infoset", "play_infoset", "with_cheap_talk"]


def message_infoset(player: str) -> str:
    """Label of ``player``'s message information set.

    >>> message_infoset("DPRK")
    'DPRK talks'
    """
    return f"{player} talks"


def play_infoset(player: str, messages: Sequence[str]) -> str:
    """Label of ``player``'s information set in the game played after ``messages``.

    >>> play_infoset("US", ["engage"]), play_infoset("US", ["a", "b"])
    ('US after engage', 'US after a/b')
    """
    return f"{player} after {'/'.join(messages)}"


def _message_sets(
    game: NormalFormGame, messages: Sequence[str] | Mapping[str | int, Sequence[str]]
) -> list[tuple[int, tuple[str, ...]]]:
    if isinstance(messages, Mapping):
        items = [(game.player_index(k), v) for k, v in messages.items()]
    else:
        if isinstance(messages, str):
            raise GameError("with_cheap_talk(): messages must be a list of labels, not a string")
        items = [(0, messages)]
    out: list[tuple[int, tuple[str, ...]]] = []
    for i, msgs in sorted(items):
        labels = tuple(msgs)
        if isinstance(msgs, str) or not labels:
            raise GameError(
                f"with_cheap_talk(): {game.players[i]} needs a non-empty list of message labels"
            )
        if any(not isinstance(m, str) or not m.strip() or "/" in m for m in labels):
            raise GameError(
                f"with_cheap_talk(): messages of {game.players[i]} must be non-empty strings "
                "without '/'"
            )
        if len(set(labels)) != len(labels):
            raise GameError(f"with_cheap_talk(): duplicate messages for {game.players[i]}")
        out.append((i, labels))
    return out


def with_cheap_talk(
    game: NormalFormGame, messages: Sequence[str] | Mapping[str | int, Sequence[str]]
) -> ExtensiveFormGame:
    """``game`` preceded by a stage of costless messages.

    Parameters
    ----------
    game
        The simultaneous-move game played after the talk.
    messages
        The message labels of the first player (a list), or ``{player: messages}`` for
        several senders (players by label or index); senders talk simultaneously.

    Returns
    -------
    ExtensiveFormGame
        Solvable by :func:`equishift.solver.solve`; its comment records the transform.

    Raises
    ------
    GameError
        For unknown players, empty or duplicate messages.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> coord = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> both = with_cheap_talk(coord, {0: ["x", "y"], 1: ["x", "y"]})
    >>> [h.label for h in both.infosets[1]][:2]
    ['Player 2 talks', 'Player 2 after x/x']
    """
    senders = _message_sets(game, messages)
    players = list(game.players)
    n = game.n_players

    def play(msgs: tuple[str, ...]) -> Node:
        def level(j: int, prefix: tuple[int, ...]) -> Node:
            if j == n:
                return Terminal(tuple(game.payoffs[(*prefix, k)] for k in range(n)))
            return Decision(
                players[j],
                {a: level(j + 1, (*prefix, s)) for s, a in enumerate(game.strategies[j])},
                infoset=play_infoset(players[j], msgs),
            )

        return level(0, ())

    def talk(k: int, sent: tuple[str, ...]) -> Node:
        if k == len(senders):
            return play(sent)
        i, labels = senders[k]
        return Decision(
            players[i],
            {m: talk(k + 1, (*sent, m)) for m in labels},
            infoset=message_infoset(players[i]),
        )

    who = ", ".join(f"{players[i]}: {list(m)}" for i, m in senders)
    title = f"{game.title} with cheap talk" if game.title else "cheap talk"
    n_profiles = 1
    for _, labels in senders:
        n_profiles *= len(labels)
    return ExtensiveFormGame.build(
        players=players,
        root=talk(0, ()),
        title=title,
        comment=f"cheap talk before the game; messages {who}; {n_profiles} message profile(s)",
    )
