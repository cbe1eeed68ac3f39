"""2x2 taxonomy: enumeration counts, named classes, ties, invariances (hypothesis)."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame
from equishift.games.examples import example_path
from equishift.games.taxonomy import (
    TYPE_NAMES,
    RGPosition,
    all_strict_games,
    canonical_form,
    classify,
    classify_ordinal,
    ordinal_game,
    oriented_form,
    periodic_table,
    strict_classes,
    taxonomy_counts,
)


def sym(R: object, S: object, T: object, P: object) -> NormalFormGame:
    """Symmetric 2x2 game in the R, S, T, P notation of MODELS.md (strategies C, D)."""
    return NormalFormGame.from_arrays(
        [[R, S], [T, P]], [[R, T], [S, P]], strategies=[["C", "D"], ["C", "D"]]
    )


# -- enumeration -----------------------------------------------------------------------------


def test_counts_by_enumeration() -> None:
    assert taxonomy_counts() == {
        "strict_games": 576,
        "classes": 144,
        "classes_up_to_player_swap": 78,
        "no_conflict": 21,
        "conflict": 57,
        "symmetric": 12,
    }


def test_all_strict_games_are_distinct_permutations() -> None:
    games = list(all_strict_games())
    assert len(set(games)) == 576
    for g in games:
        for i in range(2):
            assert sorted(g[r][c][i] for r in range(2) for c in range(2)) == [1, 2, 3, 4]


def test_periodic_table_is_a_bijection_onto_4_layers_of_6x6() -> None:
    table = periodic_table()
    assert len(table) == 144
    assert set(table) == {
        RGPosition(layer, r, c) for layer in range(1, 5) for r in range(1, 7) for c in range(1, 7)
    }
    # Every strict game lands on the position of its class.
    by_class = {canonical_form(c.ordinal): pos for pos, c in table.items()}
    for g in itertools.islice(all_strict_games(), 0, 576, 7):
        assert classify_ordinal(g).rg_position == by_class[canonical_form(g)]


def test_layers_and_symmetric_diagonal() -> None:
    table = periodic_table()
    assert all(oriented_form(c.ordinal) == c.ordinal for c in table.values())
    symmetric = [pos for pos, c in table.items() if c.symmetric]
    assert len(symmetric) == 12
    assert all(p.row == p.column and p.layer in (1, 3) for p in symmetric)
    win_win = [pos for pos, c in table.items() if c.family == "win-win"]
    assert sorted(win_win) == sorted(p for p in table if p.layer == 3)
    assert [table[RGPosition(p.layer, p.row, p.row)].name for p in sorted(symmetric)] == list(
        TYPE_NAMES
    )
    # 21 = 6 symmetric + 15 pairs of asymmetric win-win games up to player swap.
    assert sum(1 for c in table.values() if c.conflict is False and c.symmetric) == 6


def test_swapping_players_moves_the_position_as_documented() -> None:
    for pos, c in periodic_table().items():
        g = c.ordinal
        swapped = tuple(
            tuple((g[col][row][1], g[col][row][0]) for col in range(2)) for row in range(2)
        )
        other = classify_ordinal(swapped)  # type: ignore[arg-type]
        assert other.rg_position == pos.swapped()
        assert other.name == c.name and other.family == c.family


def test_types_form_a_hexagon_of_adjacent_swaps() -> None:
    """Consecutive indices in a layer differ by one swap of adjacent ranks (1-2 or 2-3)."""
    table = periodic_table()
    for layer in (1, 3):
        views = []
        for idx in range(1, 7):
            g = table[RGPosition(layer, idx, idx)].ordinal
            views.append(sorted((g[r][c][0], (r, c)) for r in range(2) for c in range(2)))
        for k in range(6):
            a = {cell: rank for rank, cell in views[k]}
            b = {cell: rank for rank, cell in views[(k + 1) % 6]}
            changed = [cell for cell in a if a[cell] != b[cell]]
            # Compare as ordinal patterns of the same symmetric class up to orientation:
            # the differing cells hold two adjacent ranks below 4 that are exchanged.
            assert len(changed) == 2
            x, y = changed
            assert {a[x], a[y]} == {b[x], b[y]}
            assert abs(a[x] - a[y]) == 1 and 4 not in (a[x], a[y])


def test_class_counts_up_to_player_swap_by_family() -> None:
    reps = strict_classes(swap_players=True)
    fams = [classify_ordinal(g).family for g in reps]
    assert fams.count("win-win") == 21
    assert len(fams) - fams.count("win-win") == 57


# -- named games -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payoffs", "name", "family", "code"),
    [
        ((3, 0, 5, 1), "Prisoner's Dilemma", "social dilemma", "111"),  # R, S, T, P
        ((4, 0, 3, 2), "Stag Hunt", "win-win", "311"),
        ((5, 0, 4, 1), "Stag Hunt", "win-win", "311"),  # Kydd, MODELS.md R6
        ((3, 2, 4, -10), "Chicken", "battle", "122"),
        ((1, 0, 3, 2), "Deadlock", "unique equilibrium", "166"),
        ((4, 2, 3, 1), "Harmony", "win-win", "322"),
        ((2, 3, 4, 1), "Leader", "battle", "133"),
        ((1, 3, 4, 2), "Battle of the Sexes (Hero)", "battle", "144"),
        ((4, 1, 2, 3), "Assurance", "win-win", "366"),
    ],
)
def test_named_symmetric_games(
    payoffs: tuple[int, int, int, int], name: str, family: str, code: str
) -> None:
    c = classify(sym(*payoffs))
    assert (c.name, c.family, c.rg_id, c.symmetric, c.strict) == (name, family, code, True, True)
    assert c.row_type == c.column_type == name


def test_models_md_dual_freeze_baseline_and_variants() -> None:
    """MODELS.md DF: an asymmetric PD; a Stag Hunt variant; Deadlock for the DPRK."""
    base = NormalFormGame.from_file(example_path("dual-freeze"))
    c = classify(base)
    assert c.name == "Prisoner's Dilemma" and c.family == "social dilemma" and c.symmetric
    stag = NormalFormGame.from_arrays([[4, 0], [3, 1]], [[4, 3], [0, 1]], players=base.players)
    assert classify(stag).name == "Stag Hunt"
    # DPRK: Test dominates and mutual testing beats the freeze (T > P > R > S).
    deadlock = NormalFormGame.from_arrays([[2, 0], [5, 3]], [[3, 4], [0, 1]], players=base.players)
    d = classify(deadlock)
    assert d.name == "Prisoner's Dilemma–Deadlock hybrid"
    assert (d.row_type, d.column_type, d.symmetric) == ("Deadlock", "Prisoner's Dilemma", False)
    assert "DPRK has Deadlock preferences" in d.notes
    assert d.family == "unique equilibrium"  # no outcome is better for both than the NE


def test_models_md_r1_games_from_bundled_files() -> None:
    assert classify(NormalFormGame.from_file(example_path("crisis-chicken"))).name == "Chicken"
    stag = classify(NormalFormGame.from_file(example_path("engagement-stag-hunt")))
    assert stag.name == "Stag Hunt" and stag.conflict is False


def test_no_pure_equilibrium_is_cyclic() -> None:
    mp = NormalFormGame.from_arrays([[2, 0], [1, 3]], [[1, 3], [2, 0]])
    c = classify(mp)
    assert c.family == "cyclic" and not c.symmetric and c.rg_position is not None


# -- ties ------------------------------------------------------------------------------------


def test_ties_are_reported_not_forced() -> None:
    # Stag Hunt with T = P (MODELS.md allows R > T >= P > S).
    c = classify(sym(4, 0, 2, 2))
    assert c.family == "tied" and c.rg_position is None and c.rg_id is None
    assert not c.strict and c.ties
    assert "Stag Hunt" in c.nearest and "Assurance" in c.nearest
    assert c.name.startswith("tied")
    assert c.symmetric


def test_classic_battle_of_the_sexes_with_tied_miscoordination() -> None:
    bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    c = classify(bos)
    assert c.family == "tied"
    assert {"Leader", "Battle of the Sexes (Hero)"} <= set(c.nearest)
    assert len(c.ties) == 2  # each player's two miscoordination payoffs


def test_all_equal_payoffs() -> None:
    c = classify(NormalFormGame.from_arrays([[1, 1], [1, 1]], [[1, 1], [1, 1]]))
    assert c.family == "tied" and c.conflict is False and len(c.nearest) >= 12


def test_not_2x2_is_an_error() -> None:
    with pytest.raises(GameError, match="2x2"):
        classify(NormalFormGame.from_arrays([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]))


def test_float_games() -> None:
    assert classify(sym(3.0, 0.0, 5.0, 1.0)).name == "Prisoner's Dilemma"
    assert ordinal_game(sym(3.0, 0.0, 5.0, 1.0)) == ordinal_game(sym(3, 0, 5, 1))


# -- invariances -----------------------------------------------------------------------------


@st.composite
def games_2x2(draw: st.DrawFn, *, strict: bool = False) -> NormalFormGame:
    if strict:
        a = draw(st.permutations([-3, 0, 2, 7]))
        b = draw(st.permutations([1, 4, 5, 9]))
    else:
        a = draw(st.lists(st.integers(-3, 3), min_size=4, max_size=4))
        b = draw(st.lists(st.integers(-3, 3), min_size=4, max_size=4))
    return NormalFormGame.from_arrays(np.reshape(a, (2, 2)), np.reshape(b, (2, 2)))


def _transform(game: NormalFormGame, rows: bool, cols: bool, players: bool) -> NormalFormGame:
    A = np.asarray(game.payoff_array(0))
    B = np.asarray(game.payoff_array(1))
    if rows:
        A, B = A[::-1, :], B[::-1, :]
    if cols:
        A, B = A[:, ::-1], B[:, ::-1]
    if players:
        A, B = B.T, A.T
    return NormalFormGame.from_arrays(A, B)


def _key(game: NormalFormGame) -> tuple[object, ...]:
    c = classify(game)
    return (c.name, c.family, c.symmetric, c.conflict, c.nearest, len(c.ties))


@settings(max_examples=150, deadline=None)
@given(games_2x2(), st.booleans(), st.booleans(), st.booleans())
def test_invariant_under_relabelling_and_player_swap(
    game: NormalFormGame, rows: bool, cols: bool, players: bool
) -> None:
    other = _transform(game, rows, cols, players)
    assert _key(other) == _key(game)
    c, d = classify(game), classify(other)
    if c.rg_position is not None:
        assert d.rg_position == (c.rg_position.swapped() if players else c.rg_position)


@settings(max_examples=100, deadline=None)
@given(
    games_2x2(),
    st.fractions(min_value=F(1, 10), max_value=10),
    st.fractions(min_value=-10, max_value=10),
    st.fractions(min_value=F(1, 10), max_value=10),
    st.fractions(min_value=-10, max_value=10),
)
def test_invariant_under_positive_affine_transforms(
    game: NormalFormGame, s1: F, c1: F, s2: F, c2: F
) -> None:
    A = np.asarray(game.payoff_array(0)) * s1 + c1
    B = np.asarray(game.payoff_array(1)) * s2 + c2
    other = NormalFormGame.from_arrays(A, B)
    assert ordinal_game(other) == ordinal_game(game)
    assert classify(other) == classify(game)


@settings(max_examples=80, deadline=None)
@given(games_2x2(strict=True))
def test_strict_games_have_a_position_and_type_names(game: NormalFormGame) -> None:
    c = classify(game)
    assert c.strict and c.rg_position is not None and c.conflict is not None
    assert c.row_type in TYPE_NAMES and c.column_type in TYPE_NAMES
    assert c.symmetric == (c.row_type == c.column_type)
    assert periodic_table()[c.rg_position].name == c.name
