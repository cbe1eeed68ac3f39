"""Pure equilibria, dominance and iterated elimination against brute force."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

from hypothesis import given, settings

from equishift.games import NormalFormGame
from equishift.solver.pure import dominated_strategies, iterated_elimination, pure_equilibria
from equishift.solver.verify import is_equilibrium

from .strategies import int_games


def brute_force_pure(game: NormalFormGame) -> list[tuple[int, ...]]:
    out = []
    for prof in itertools.product(*(range(n) for n in game.shape)):
        ok = True
        for i in range(game.n_players):
            mine = game.payoffs[prof][i]
            for d in range(game.shape[i]):
                dev = list(prof)
                dev[i] = d
                if game.payoffs[tuple(dev)][i] > mine:
                    ok = False
        if ok:
            out.append(prof)
    return out


@settings(max_examples=150, deadline=None)
@given(int_games(min_players=1, max_players=4, max_strategies=3))
def test_pure_equilibria_match_brute_force(game: NormalFormGame) -> None:
    found = pure_equilibria(game)
    assert found == brute_force_pure(game)
    for prof in found:
        assert is_equilibrium(game, [game.strategies[i][k] for i, k in enumerate(prof)])


@settings(max_examples=60, deadline=None)
@given(int_games(max_players=3, max_strategies=3))
def test_float_game_gives_same_pure_equilibria(game: NormalFormGame) -> None:
    assert pure_equilibria(game.to_float()) == pure_equilibria(game)


@settings(max_examples=80, deadline=None)
@given(int_games(max_players=3, max_strategies=3))
def test_strict_elimination_keeps_every_pure_equilibrium(game: NormalFormGame) -> None:
    reduced = iterated_elimination(game, strict=True).game
    before = {tuple(game.strategies[i][k] for i, k in enumerate(p)) for p in pure_equilibria(game)}
    after = {
        tuple(reduced.strategies[i][k] for i, k in enumerate(p)) for p in pure_equilibria(reduced)
    }
    assert before == after


def test_exactness_with_tiny_differences() -> None:
    # 1/3 vs 0.333...: the exact game must see the strict gap floats would blur.
    eps = F(1, 10**20)
    g = NormalFormGame.from_arrays([[F(1, 3)], [F(1, 3) + eps]], [[0], [0]])
    assert pure_equilibria(g) == [(1, 0)]
    assert dominated_strategies(g, 0) == {"1": "2"}


def test_weak_dominance_order_is_reproducible() -> None:
    g = NormalFormGame.from_arrays(
        [[1, 1], [1, 0], [0, 1]], [[1, 1], [0, 1], [1, 0]], strategies=[["T", "M", "B"], ["L", "R"]]
    )
    r1 = iterated_elimination(g, strict=False)
    r2 = iterated_elimination(g, strict=False)
    assert r1.steps == r2.steps
    assert r1.steps[0] == ("Player 1", "M", "T")


def test_solve_large_bimatrix_falls_back_to_lemke_howson_and_says_so() -> None:
    import numpy as np

    from equishift.solver import solve

    rng = np.random.default_rng(7)
    g = NormalFormGame.from_arrays(rng.integers(0, 9, (20, 20)), rng.integers(0, 9, (20, 20)))
    sol = solve(g)
    assert sol.method == "lemke_howson" and not sol.complete and len(sol.equilibria) == 1
    assert "beyond the size" in sol.warnings[0]
    assert sol.equilibria[0].regret == 0


def test_solve_large_nplayer_falls_back_to_pure_and_says_so() -> None:
    import numpy as np

    from equishift.solver import solve

    rng = np.random.default_rng(3)
    g = NormalFormGame.from_arrays(*[rng.integers(0, 5, (4,) * 5) for _ in range(5)])
    sol = solve(g)
    assert sol.method == "pure" and not sol.complete
    assert sol.scope == "Nash equilibria" and "only pure-strategy" in sol.warnings[0]
    assert [eq.pure_profile() for eq in sol.equilibria] == [
        tuple(g.strategies[i][k] for i, k in enumerate(p)) for p in pure_equilibria(g)
    ]
