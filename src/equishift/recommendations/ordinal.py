"""Ordinal robustness: a verdict over every cardinal game consistent with preference orders.

A scenario file may give a normal-form game as ranks only (``ordinal = true`` in its table,
see :mod:`equishift.games.formats.scenario`): each payoff is a player's rank of the outcome,
higher is better, ties allowed. Any cardinal payoffs with the same orders are equally
plausible, so a verdict computed at the ranks themselves rests on one arbitrary choice.
:func:`ordinal_robustness` evaluates the recommendation over many cardinal games drawn
uniformly among those consistent with the orders and reports how often it works.

How a cardinal game is drawn (:func:`cardinal_sample`), for each ordinal game and for each
player independently:

* the player's distinct ranks are :math:`r_1 < \\dots < r_k`; every cell with rank
  :math:`r_j` gets the same value :math:`x_j` (ties stay ties);
* :math:`x_1, \\dots, x_k` are :math:`k` uniform draws on [0, 1], sorted -- the uniform order
  statistics, whose joint law is uniform (density :math:`k!`) on the ordered region
  :math:`0 \\le x_1 \\le \\dots \\le x_k \\le 1`: every strictly increasing assignment of
  values is equally likely;
* the values are then rescaled by the positive affine map that sends the smallest to the
  file's lowest rank :math:`r_1` and the largest to its highest rank :math:`r_k`. Given the
  smallest and the largest, uniform order statistics in between are again sorted uniform draws,
  so this is the same as pinning each player's worst outcome at :math:`r_1`, the best at
  :math:`r_k`, and drawing the :math:`k - 2` values in between as sorted uniforms on the open
  interval. Each value is a rational :math:`r_1 + (r_k - r_1) m / 10000` with distinct
  integers :math:`0 < m < 10000` drawn without replacement (so orders stay strict and every
  game stays exact); a player with one or two distinct ranks keeps them.

Why the rescaling. Nash equilibria, dominance, payoff and risk dominance and the threshold
belief p* do not change when a player's payoffs go through a positive affine map, so for them
the verdicts have exactly the distribution of the unscaled order statistics. The numbers in a
recommendation's change are cardinal, though: ``shift_payoffs`` adds its ``deltas`` as written,
and a shift means something only against the scale of the payoffs. They are kept as written
and read **in rank units**: in every sampled game each player's worst-to-best span is the
file's, :math:`r_k - r_1` (3 for ranks 1 to 4), so a shift of 1/2 is a sixth of that span in
every sample, as at the ranks. What varies is where the middle outcomes lie, which is exactly
what preference orders leave open. Criteria that add payoffs across players (welfare) compare
utilities between people, which orders never license; their verdicts here depend on the choice
of the span.

Samples are drawn with :func:`numpy.random.default_rng` from ``seed``, game by game (in the
file's order) and player by player, so a seed gives the same result, and the first ``m``
samples are the same for every ``n >= m``. A game built on an ordinal game (a repeated game's
``stage``) is rebuilt on each sample (the scenario is read again with
:func:`~equishift.games.formats.scenario.parse_scenario`'s ``games=``).

Examples
--------
>>> r = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=40, seed=3)
>>> r.rank_verdict, r.works + r.fails + r.undetermined, r.ordinally_robust
('works', 40, False)
>>> r == ordinal_robustness("ordinal-engagement", "R1-ordinal", n=40, seed=3)
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..games.errors import EquishiftError, GameError
from ..games.formats.scenario import Scenario, parse_scenario
from ..games.normal_form import NormalFormGame
from ..games.numbers import format_number
from ..games.repeated import LinkedGame, RepeatedGame
from .evaluate import FAILS, UNDETERMINED, WORKS, evaluate, scenario_recommendations
from .recommendation import Recommendation
from .robustness import share_line, wilson_interval

__all__ = [
    "GRID",
    "OrdinalRobustness",
    "Reversal",
    "cardinal_sample",
    "ordinal_robustness",
    "payoff_table",
]

GRID = 10_000
"""Sampled values are ``low + (high - low) * m / GRID`` for integers ``0 < m < GRID``."""


# -- sampling ---------------------------------------------------------------------------------
def cardinal_sample(game: NormalFormGame, rng: np.random.Generator) -> NormalFormGame:
    """A cardinal game with every player's preference order of ``game``, drawn uniformly.

    For each player, the cells of their lowest payoff keep it, the cells of their highest
    keep it, and each distinct payoff in between gets a value drawn as a sorted uniform order
    statistic between the two (see the module docstring); equal payoffs stay equal. The
    result is exact (values on a grid of ``GRID`` steps), with ``game``'s labels and title.

    Parameters
    ----------
    game
        The game whose payoffs give the orders (ranks of an ordinal game, or any payoffs).
    rng
        The random generator; draws are made player by player.

    Raises
    ------
    GameError
        When a player has more than ``GRID + 1`` distinct payoffs.

    Examples
    --------
    >>> ranks = NormalFormGame.from_arrays([[4, 1], [3, 2]], [[4, 3], [1, 2]])
    >>> g = cardinal_sample(ranks, np.random.default_rng(0))
    >>> print(payoff_table(g))
    1, 1: 4, 4
    1, 2: 1, 1.9234
    2, 1: 3.5515, 1
    2, 2: 2.9107, 1.8094
    >>> g == cardinal_sample(ranks, np.random.default_rng(0))
    True
    """
    out = np.empty(game.payoffs.shape, dtype=object)
    for i in range(game.n_players):
        values = game.payoff_array(i)
        flat = [Fraction(v) for v in values.ravel().tolist()]
        levels = sorted(set(flat))
        k = len(levels)
        new = list(levels)
        if k > 2:
            if k - 2 > GRID - 1:
                raise GameError(
                    f"cardinal_sample(): player {game.players[i]!r} has {k} distinct payoffs; "
                    f"at most {GRID + 1} can be sampled"
                )
            low, high = levels[0], levels[-1]
            picks = sorted(int(m) + 1 for m in rng.choice(GRID - 1, size=k - 2, replace=False))
            new = [low, *(low + (high - low) * Fraction(m, GRID) for m in picks), high]
        value = dict(zip(levels, new, strict=True))
        column = np.empty(len(flat), dtype=object)
        column[:] = [value[v] for v in flat]
        out[..., i] = column.reshape(values.shape)
    return game.with_payoffs(out, provenance="cardinal sample of its preference orders")


# -- results ----------------------------------------------------------------------------------
def _decimal(value: Any) -> str:
    """An exact number as a short decimal when it has one (``3371/1250`` -> ``2.6968``)."""
    frac = Fraction(value)
    d = frac.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return format_number(frac)
    digits = 0
    while (frac * 10**digits).denominator != 1:
        digits += 1
    if digits == 0:
        return str(frac.numerator)
    scaled = abs(frac.numerator) * 10**digits // frac.denominator
    whole, part = divmod(scaled, 10**digits)
    return f"{'-' if frac < 0 else ''}{whole}.{str(part).rjust(digits, '0')}"


def payoff_table(game: NormalFormGame) -> str:
    """A game's payoffs, one profile a line, exact values as decimals.

    >>> print(payoff_table(NormalFormGame.from_arrays([[4, 1]], [["5/2", "1/3"]])))
    1, 1: 4, 2.5
    1, 2: 1, 1/3
    """
    return "\n".join(
        f"{', '.join(prof)}: {', '.join(_decimal(v) for v in game.payoff(prof))}"
        for prof in game.profiles()
    )


@dataclass(frozen=True)
class Reversal:
    """A sample whose verdict differs from the verdict at the file's ranks.

    Attributes
    ----------
    sample
        Its index (0-based) in the sample.
    verdict, reason
        Its verdict and the reason the evaluation gave.
    games
        The sampled cardinal games, as ``(name, game)`` pairs in the file's order.
    """

    sample: int
    verdict: str
    reason: str
    games: tuple[tuple[str, NormalFormGame], ...]

    def game(self, name: str | None = None) -> NormalFormGame:
        """The sampled game called ``name``, or the only one when ``name`` is ``None``."""
        found = dict(self.games)
        if name is None:
            if len(found) != 1:
                raise KeyError(f"{len(found)} sampled games; name one of {list(found)}")
            return next(iter(found.values()))
        return found[name]

    def to_json(self) -> dict[str, Any]:
        return {
            "sample": self.sample,
            "verdict": self.verdict,
            "reason": self.reason,
            "games": {
                name: {
                    ", ".join(prof): [_decimal(v) for v in g.payoff(prof)] for prof in g.profiles()
                }
                for name, g in self.games
            },
        }


@dataclass(frozen=True)
class OrdinalRobustness:
    """What :func:`ordinal_robustness` found.

    Attributes
    ----------
    scenario, recommendation_id, seed, n
        What was analysed, the seed and the number of samples.
    games
        The ordinal games whose cardinal payoffs were sampled, in the file's order.
    works, fails, undetermined
        How many samples work, do not work, or could not be decided (an evaluation that
        raised a ``GameError``/``SolverError``, or a criterion left undetermined).
    probability, interval
        The share of decided samples that work (``None`` if none was decided) and its 95%
        Wilson interval.
    rank_verdict, rank_reason
        The verdict at the file's own ranks (the ranks read as cardinal payoffs).
    ordinally_robust
        True when the verdict at the ranks is decided and every sample has it: the verdict
        follows from the preference orders alone (as far as the sample shows).
    reversal
        The first sample with a decided verdict other than the ranks' one, with its cardinal
        payoffs; ``None`` when there is none.
    reasons
        The distinct reasons of the undetermined samples.
    """

    scenario: str
    recommendation_id: str
    seed: int
    n: int
    games: tuple[str, ...]
    works: int
    fails: int
    undetermined: int
    probability: float | None
    interval: tuple[float, float]
    rank_verdict: str
    rank_reason: str
    ordinally_robust: bool
    reversal: Reversal | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "scenario": self.scenario,
            "recommendation": self.recommendation_id,
            "seed": self.seed,
            "n": self.n,
            "games": list(self.games),
            "works": self.works,
            "does_not_work": self.fails,
            "undetermined": self.undetermined,
            "probability": self.probability,
            "interval": list(self.interval),
            "rank_verdict": self.rank_verdict,
            "rank_reason": self.rank_reason,
            "ordinally_robust": self.ordinally_robust,
            "reversal": None if self.reversal is None else self.reversal.to_json(),
            "undetermined_reasons": list(self.reasons),
        }

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented text with sorted keys."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def describe(self) -> str:
        """A plain-text report."""
        lines = [
            f"Ordinal robustness of {self.recommendation_id} ({self.scenario}): {self.n} "
            f"cardinal samples (seed {self.seed}) consistent with the ranks of "
            + ", ".join(self.games),
            f"  works: {self.works}, does not work: {self.fails}, "
            f"undetermined: {self.undetermined}",
        ]
        lines.append(share_line(self.probability, self.interval))
        lines.append(f"  verdict at the file's ranks: {self.rank_verdict} ({self.rank_reason})")
        if self.ordinally_robust:
            lines.append("  ordinally robust: yes (every sample has the verdict of the ranks)")
        elif self.rank_verdict == UNDETERMINED:
            lines.append("  ordinally robust: unknown (no verdict at the ranks)")
        elif self.reversal is None:
            lines.append("  ordinally robust: unknown (some samples could not be decided)")
        else:
            lines.append("  ordinally robust: no (the verdict depends on the cardinal payoffs)")
        if self.reversal is not None:
            rev = self.reversal
            lines.append(f"  a reversing sample (#{rev.sample}): {rev.verdict} ({rev.reason})")
            for name, game in rev.games:
                lines.append(f"    {name}:")
                lines.extend(f"      {row}" for row in payoff_table(game).splitlines())
        for reason in self.reasons[:5]:
            lines.append(f"  undetermined: {reason}")
        return "\n".join(lines)


# -- the analysis -----------------------------------------------------------------------------
def _source(name_or_path: str | Path) -> tuple[Path, str]:
    """(path, text) of a bundled scenario's name or a TOML file's path."""
    from .scenarios import list_scenarios, scenario_path

    text = str(name_or_path)
    stem = text.removesuffix(".toml")
    if isinstance(name_or_path, str) and "/" not in text and stem in list_scenarios():
        path = scenario_path(stem)
    else:
        path = Path(name_or_path)
    return path, path.read_text(encoding="utf-8")


def _status(rec: Recommendation, games: Mapping[str, Any]) -> tuple[str, str]:
    """(status, reason) of ``rec`` on ``games``; errors give ``undetermined``."""
    try:
        ev = evaluate(rec, games)
    except EquishiftError as exc:  # GameError, SolverError
        return UNDETERMINED, f"{type(exc).__name__}: {exc}"
    return ev.verdict.status, ev.verdict.reason


def _sampled_games(
    base: Scenario, text: str, path: Path, sampled: Mapping[str, NormalFormGame]
) -> Mapping[str, Any] | tuple[str, str]:
    """The scenario's games with ``sampled`` in place of the ordinal ones.

    Only repeated and linked games are built on other games (their stages); when the file
    has some, it is read again with the replacements so that they are rebuilt on them.
    """
    if not any(isinstance(g, RepeatedGame | LinkedGame) for g in base.games.values()):
        return {**base.games, **sampled}
    try:
        return parse_scenario(text, path=path, games=sampled).games
    except EquishiftError as exc:
        return UNDETERMINED, f"{type(exc).__name__}: {exc}"


def ordinal_robustness(
    scenario_name_or_path: str | Path,
    recommendation_id: str,
    *,
    n: int = 1000,
    seed: int = 0,
) -> OrdinalRobustness:
    """How robust a recommendation's verdict is to the cardinal payoffs behind ranks.

    Every ordinal game of the scenario (``ordinal = true``) is replaced, ``n`` times, by a
    cardinal game drawn uniformly among those with the same preference orders
    (:func:`cardinal_sample`; the module docstring says how, and how the numbers of the
    recommendation's change are read), and the recommendation is evaluated on each.

    Parameters
    ----------
    scenario_name_or_path
        A bundled scenario's name (``"ordinal-engagement"``) or a TOML file's path.
    recommendation_id
        The id of a recommendation in that file's ``[[recommendations]]`` tables.
    n, seed
        How many samples, and the seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    OrdinalRobustness
        Deterministic for a given seed.

    Raises
    ------
    KeyError
        When the file has no recommendation ``recommendation_id``.
    GameError
        When the file has no ordinal game.
    FormatError
        When the file cannot be read.
    ValueError
        When ``n`` is not positive.

    Examples
    --------
    >>> r = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=20)
    >>> r.games, r.rank_verdict, 0 < r.works < 20
    (('game',), 'works', True)
    >>> r.reversal.sample, r.reversal.verdict
    (2, 'does not work')
    >>> print(payoff_table(r.reversal.game()))
    Engage, Engage: 4, 4
    Engage, Hedge: 1, 3.1882
    Hedge, Engage: 2.8198, 1
    Hedge, Hedge: 2.5108, 2.8969
    """
    if n < 1:
        raise ValueError(f"n must be positive, got {n}")
    path, text = _source(scenario_name_or_path)
    base = parse_scenario(text, path=path)
    recs = {r.id: r for r in scenario_recommendations(base)}
    if recommendation_id not in recs:
        raise KeyError(f"no recommendation {recommendation_id!r}; the file has {list(recs)}")
    names = tuple(name for name in base.games if name in base.ordinal)
    if not names:
        raise GameError(
            f"{path}: no ordinal game to sample; mark a normal-form game whose payoffs are "
            "ranks with 'ordinal = true'"
        )
    rec = recs[recommendation_id]
    rank_status, rank_reason = _status(rec, base.games)
    rng = np.random.default_rng(seed)
    statuses: list[str] = []
    reasons: list[str] = []
    reversal: Reversal | None = None
    for k in range(n):
        sampled: dict[str, NormalFormGame] = {}
        for name in names:
            game = base.games[name]
            assert isinstance(game, NormalFormGame)  # Scenario checks ordinal games are
            sampled[name] = cardinal_sample(game, rng)
        games = _sampled_games(base, text, path, sampled)
        status, reason = games if isinstance(games, tuple) else _status(rec, games)
        statuses.append(status)
        if status == UNDETERMINED and reason not in reasons:
            reasons.append(reason)
        if reversal is None and status in (WORKS, FAILS) and status != rank_status:
            reversal = Reversal(k, status, reason, tuple(sampled.items()))
    works, fails = statuses.count(WORKS), statuses.count(FAILS)
    decided = works + fails
    return OrdinalRobustness(
        scenario=str(scenario_name_or_path),
        recommendation_id=recommendation_id,
        seed=seed,
        n=n,
        games=names,
        works=works,
        fails=fails,
        undetermined=statuses.count(UNDETERMINED),
        probability=works / decided if decided else None,
        interval=wilson_interval(works, decided),
        rank_verdict=rank_status,
        rank_reason=rank_reason,
        ordinally_robust=rank_status in (WORKS, FAILS) and all(s == rank_status for s in statuses),
        reversal=reversal,
        reasons=tuple(reasons),
    )
