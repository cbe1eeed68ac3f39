"""Ordinal robustness: verdicts over every cardinal game consistent with preference orders.

The sampler must keep each player's order exactly (ties included) and be uniform over the
ordered region; verdicts that depend on the orders only (pure Nash equilibria) must come out
with probability exactly 0 or 1, and verdicts that depend on cardinal values (risk dominance in
a Stag Hunt, a repeated game's critical discount factor) strictly in between.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame
from equishift.games.formats.scenario import parse_scenario
from equishift.recommendations.evaluate import evaluate, scenario_recommendations
from equishift.recommendations.ordinal import (
    GRID,
    OrdinalRobustness,
    cardinal_sample,
    ordinal_robustness,
    payoff_table,
)
from equishift.recommendations.scenarios import list_scenarios, load_scenario
from equishift.solver import solve
from equishift.solver.solution import Equilibrium

from .strategies import int_games

# The probability that R1-ordinal works: P(the change makes (Engage, Engage) risk dominant)
# when each side's T and P are sorted uniforms on (1, 4); 0.7591 by a 4-million-draw Monte
# Carlo of the closed-form condition (R - T_1)(R - T_2) > (P_1 - S')(P_2 - S') or S' > P_i.
R1_ORDINAL_PROBABILITY = 0.759


def _signs(values: np.ndarray) -> list[list[int]]:
    """For every pair of cells, whether the first is worse (-1), equal (0) or better (1)."""
    flat = [Fraction(v) for v in values.ravel().tolist()]
    return [[(a > b) - (a < b) for b in flat] for a in flat]


def ordinal_pd(transforms: str, success: str, extra: str = "") -> str:
    """An ordinal Prisoner's Dilemma (T = 4 > R = 3 > P = 2 > S = 1) with one recommendation."""
    return f"""
[meta]
id = "ordinal-pd"

[games.pd]
form = "normal"
ordinal = true
players = ["Row", "Column"]
strategies = {{ Row = ["C", "D"], Column = ["C", "D"] }}
payoffs = [[[3, 3], [1, 4]], [[4, 1], [2, 2]]]
{extra}
[[recommendations]]
id = "X"
title = "test"
section = "test"
quote = "test"
targets = [{"'deal'" if "deal" in extra else "'pd'"}]
transforms = [{transforms}]
success = {success}
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the sampler ------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(
    game=st.one_of(int_games(), int_games(min_players=3, max_players=3, max_strategies=3)),
    seed=st.integers(0, 2**32 - 1),
)
def test_sample_keeps_every_players_order_exactly(game: NormalFormGame, seed: int) -> None:
    g = cardinal_sample(game, np.random.default_rng(seed))
    assert g.is_exact
    assert (g.players, g.strategies, g.title) == (game.players, game.strategies, game.title)
    for i in range(game.n_players):
        before, after = game.payoff_array(i), g.payoff_array(i)
        # Same order and the same ties, between every pair of cells.
        assert _signs(before) == _signs(after)
        # Worst and best outcomes keep their values; every value lies on the grid between them.
        lo, hi = Fraction(before.min()), Fraction(before.max())
        assert Fraction(after.min()) == lo and Fraction(after.max()) == hi
        for v in after.ravel().tolist():
            if hi > lo:
                assert ((Fraction(v) - lo) / (hi - lo) * GRID).denominator == 1


def test_sample_is_deterministic_for_a_seed() -> None:
    game = load_scenario("ordinal-engagement").games["game"]
    assert isinstance(game, NormalFormGame)
    a = [cardinal_sample(game, rng) for rng in [np.random.default_rng(7)] * 5]
    b = [cardinal_sample(game, rng) for rng in [np.random.default_rng(7)] * 5]
    assert a == b
    assert len({payoff_table(g) for g in a}) == 5  # successive draws differ


def test_sample_is_uniform_over_the_ordered_region() -> None:
    # Ranks 1 < 2 < 3 < 4: the two middle values are sorted uniforms on (1, 4), whose means
    # are 1 + 3/3 = 2 and 1 + 3 * 2/3 = 3, and each lies below the midpoint 5/2 with
    # probability 3/4 and 1/4.
    game = NormalFormGame([[1], [2], [3], [4]])
    rng = np.random.default_rng(0)
    draws = np.array(
        [
            [float(v) for v in cardinal_sample(game, rng).payoff_array(0).ravel()[1:3]]
            for _ in range(4000)
        ]
    )
    assert draws[:, 0].mean() == pytest.approx(2, abs=0.05)
    assert draws[:, 1].mean() == pytest.approx(3, abs=0.05)
    assert (draws[:, 0] < 2.5).mean() == pytest.approx(0.75, abs=0.03)
    assert (draws[:, 1] < 2.5).mean() == pytest.approx(0.25, abs=0.03)


def test_players_with_one_or_two_levels_keep_them() -> None:
    game = NormalFormGame.from_arrays([[2, 2], [2, 2]], [[5, 0], [0, 5]])
    assert cardinal_sample(game, np.random.default_rng(1)) == game.with_payoffs(game.payoffs)


# -- ordinal robustness -----------------------------------------------------------------------
def test_bundled_example_is_listed_and_reads() -> None:
    assert "ordinal-engagement" in list_scenarios()
    s = load_scenario("ordinal-engagement")
    assert s.ordinal == frozenset({"game"})
    assert [r.id for r in scenario_recommendations(s)] == ["R1-ordinal"]


def test_deterministic_for_a_seed() -> None:
    a = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=30, seed=5)
    b = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=30, seed=5)
    assert a == b
    assert a.to_json_text() == b.to_json_text()
    assert a.describe() == b.describe()
    c = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=30, seed=6)
    assert c.to_json() != a.to_json()


def test_a_longer_run_extends_a_shorter_one() -> None:
    short = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=10, seed=2)
    long = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=25, seed=2)
    assert short.reversal is not None and long.reversal is not None
    assert short.reversal == long.reversal
    assert long.works >= short.works and long.fails >= short.fails


def test_stag_hunt_risk_dominance_depends_on_cardinal_values() -> None:
    r = ordinal_robustness("ordinal-engagement", "R1-ordinal", n=300, seed=0)
    assert isinstance(r, OrdinalRobustness)
    assert r.games == ("game",) and r.n == 300
    assert r.works + r.fails + r.undetermined == 300 and r.undetermined == 0
    assert r.probability is not None and 0 < r.probability < 1
    lo, hi = r.interval
    assert 0 < lo <= r.probability <= hi < 1
    assert lo <= R1_ORDINAL_PROBABILITY <= hi
    assert r.rank_verdict == "works" and not r.ordinally_robust
    # The reversing sample is a real counterexample: same orders, the other verdict.
    rev = r.reversal
    assert rev is not None and rev.verdict == "does not work"
    ranks = load_scenario("ordinal-engagement")
    game, ranked = rev.game(), ranks.games["game"]
    assert isinstance(ranked, NormalFormGame)
    for i in range(2):
        assert _signs(game.payoff_array(i)) == _signs(ranked.payoff_array(i))
    (rec,) = scenario_recommendations(ranks)
    assert evaluate(rec, {"game": game}).verdict.status == "does not work"
    assert "Hedge, Hedge" in r.describe() and "ordinally robust: no" in r.describe()
    doc = json.loads(r.to_json_text())
    assert doc["reversal"]["games"]["game"]["Engage, Engage"] == ["4", "4"]
    assert doc["ordinally_robust"] is False


def test_prisoners_dilemma_equilibria_follow_from_the_orders(tmp_path: Path) -> None:
    # A fine of 3 rank units on defecting against a cooperator: T - 3 = 1 < R in every
    # cardinal game (T is the best outcome, held at 4; R lies strictly below it).
    fine = (
        '{ op = "shift_payoffs", profiles = [["D", "C"], ["C", "D"]], deltas = [[-3, 0], [0, -3]] }'
    )
    cc = '{ kind = "target_is_equilibrium", profile = ["C", "C"] }'
    works = ordinal_robustness(write(tmp_path, ordinal_pd(fine, cc)), "X", n=40)
    assert (works.probability, works.works, works.interval[1]) == (1.0, 40, 1.0)
    assert works.rank_verdict == "works" and works.ordinally_robust and works.reversal is None
    assert "ordinally robust: yes" in works.describe()
    # No change: (C, C) is never an equilibrium of a Prisoner's Dilemma; (D, D) always is.
    nothing = '{ op = "shift_payoffs", profiles = [["C", "C"]], deltas = [[0, 0]] }'
    never = ordinal_robustness(write(tmp_path, ordinal_pd(nothing, cc)), "X", n=40)
    assert (never.probability, never.fails, never.interval[0]) == (0.0, 40, 0.0)
    assert never.rank_verdict == "does not work" and never.ordinally_robust
    dd = '{ kind = "target_is_unique", profile = ["D", "D"] }'
    always = ordinal_robustness(write(tmp_path, ordinal_pd(nothing, dd)), "X", n=40)
    assert always.probability == 1.0 and always.ordinally_robust


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ranks=st.lists(st.integers(1, 4), min_size=8, max_size=8),
    profile=st.sampled_from(list(itertools.product("CD", repeat=2))),
    seed=st.integers(0, 1000),
)
def test_pure_equilibrium_verdicts_are_ordinal(
    tmp_path: Path, ranks: list[int], profile: tuple[str, str], seed: int
) -> None:
    """Whether a profile is a pure equilibrium depends on the orders only: probability 0 or 1."""
    cells = [[ranks[0:2], ranks[2:4]], [ranks[4:6], ranks[6:8]]]
    text = ordinal_pd(
        '{ op = "shift_payoffs", profiles = [["C", "C"]], deltas = [[0, 0]] }',
        f'{{ kind = "target_is_equilibrium", profile = ["{profile[0]}", "{profile[1]}"] }}',
    ).replace("[[[3, 3], [1, 4]], [[4, 1], [2, 2]]]", str(cells))
    r = ordinal_robustness(write(tmp_path, text, f"g{seed}.toml"), "X", n=8, seed=seed)
    game = NormalFormGame(cells, strategies=[["C", "D"], ["C", "D"]])
    is_equilibrium = any(
        isinstance(eq, Equilibrium) and eq.pure_profile() == profile
        for eq in solve(game).equilibria
    )
    assert r.probability == (1.0 if is_equilibrium else 0.0)
    assert r.ordinally_robust and r.reversal is None


def test_a_repeated_game_on_an_ordinal_stage_is_rebuilt(tmp_path: Path) -> None:
    # delta* = (T - R) / (T - P) with T = 4: 1/2 at the ranks, below delta = 3/5; in a cardinal
    # game with R near P it exceeds 3/5.
    extra = """
[games.deal]
form = "repeated"
stage = "pd"
delta = 0.6
"""
    text = ordinal_pd(
        '{ op = "set_lapse", lapse = 0 }',
        '{ kind = "threshold_below", profile = ["C", "C"] }',
        extra,
    )
    r = ordinal_robustness(write(tmp_path, text), "X", n=60, seed=1)
    assert r.rank_verdict == "works"
    assert r.probability is not None and 0 < r.probability < 1
    assert r.reversal is not None and [name for name, _ in r.reversal.games] == ["pd"]


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="no recommendation 'R9'"):
        ordinal_robustness("ordinal-engagement", "R9", n=2)
    with pytest.raises(ValueError, match="n must be positive"):
        ordinal_robustness("ordinal-engagement", "R1-ordinal", n=0)
    with pytest.raises(GameError, match="no ordinal game"):
        ordinal_robustness("engagement-stag-hunt", "R1", n=2)
    big = NormalFormGame([[v] for v in range(GRID + 2)])
    with pytest.raises(GameError, match="distinct payoffs"):
        cardinal_sample(big, np.random.default_rng(0))


def test_undetermined_samples_are_counted_with_their_reason(tmp_path: Path) -> None:
    # A change naming a strategy the game lacks cannot be applied, at the ranks or anywhere.
    bad = '{ op = "shift_payoffs", profiles = [["C", "X"]], deltas = [[1, 0]] }'
    cc = '{ kind = "target_is_equilibrium", profile = ["C", "C"] }'
    r = ordinal_robustness(write(tmp_path, ordinal_pd(bad, cc)), "X", n=5)
    assert (r.works, r.fails, r.undetermined) == (0, 0, 5)
    assert r.probability is None and r.interval == (0.0, 1.0)
    assert r.rank_verdict == "undetermined" and not r.ordinally_robust
    assert len(r.reasons) == 1 and r.reasons[0].startswith("GameError")
    text = r.describe()
    assert "unknown (no sample was decided)" in text and "unknown (no verdict" in text


def test_sampled_scenario_is_read_with_replacements() -> None:
    s = load_scenario("ordinal-engagement")
    game = s.games["game"]
    assert isinstance(game, NormalFormGame)
    g = cardinal_sample(game, np.random.default_rng(3))
    assert s.path is not None and s.text is not None
    again = parse_scenario(s.text, path=s.path, games={"game": g})
    assert again.games["game"] == g and again.ordinal == frozenset()
